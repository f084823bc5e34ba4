package store_test

import (
	"strings"
	"testing"

	"postdash/internal/store"
)

// TestRedactDSN: no password of any DSN form survives into what is logged,
// and everything else a reader needs to tell databases apart does.
func TestRedactDSN(t *testing.T) {
	tests := []struct {
		dsn, want string
	}{
		{"postdash.db", "postdash.db"},
		{"sqlite:/var/lib/postdash/postdash.db", "sqlite:/var/lib/postdash/postdash.db"},
		{"postgres://ana:secret@db:5432/postdash?sslmode=disable", "postgres://ana:xxxxx@db:5432/postdash?sslmode=disable"},
		{"postgresql://ana@db/postdash", "postgresql://ana@db/postdash"},
		{"postgres://ana:p%40ss%3Aword@db/postdash", "postgres://ana:xxxxx@db/postdash"},
		{"postgres://ana@db/postdash?password=secret&sslmode=require", "postgres://ana@db/postdash?password=xxxxx&sslmode=require"},
		{"host=db user=ana password=secret dbname=postdash", "host=db user=ana password=xxxxx dbname=postdash"},
		{"host=db password = secret dbname=postdash", "host=db password=xxxxx dbname=postdash"},
		{`host=db password='se cr\'et' dbname=postdash`, "host=db password=xxxxx dbname=postdash"},
		{"host=db PASSWORD=secret sslpassword=secret", "host=db PASSWORD=xxxxx sslpassword=xxxxx"},
	}
	for _, tt := range tests {
		got := store.RedactDSN(tt.dsn)
		if got != tt.want {
			t.Errorf("RedactDSN(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
		if strings.Contains(got, "secret") || strings.Contains(got, "p%40ss") || strings.Contains(got, "cr") && strings.Contains(tt.dsn, "cr\\'") {
			t.Errorf("RedactDSN(%q) = %q: the password shows", tt.dsn, got)
		}
	}
}
