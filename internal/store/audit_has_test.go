package store_test

import (
	"context"
	"testing"

	"postdash/internal/store"
)

func TestHasAudit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		has := func(action, user string) bool {
			t.Helper()
			ok, err := s.HasAudit(ctx, action, user)
			if err != nil {
				t.Fatalf("HasAudit(%q, %q): %v", action, user, err)
			}
			return ok
		}
		if has("login", "") {
			t.Error("an empty log has a login")
		}
		for _, e := range []store.AuditEvent{
			{User: "postdash", Action: "user.add", Detail: "admin (admin)"},
			{User: "admin", Action: "login.failed"},
			{User: "admin", Action: "login"},
			{User: "admin", Action: "login"},
		} {
			if err := s.AddAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			action, user string
			want         bool
		}{
			{"login", "", true},
			{"login", "admin", true},
			{"login", "postdash", false},
			{"user.add", "postdash", true},
			{"user.add", "admin", false},
			{"logout", "", false},
			{"log", "", false},
		} {
			if got := has(c.action, c.user); got != c.want {
				t.Errorf("HasAudit(%q, %q) = %v, want %v", c.action, c.user, got, c.want)
			}
		}
	})
}
