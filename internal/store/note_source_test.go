package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// A fact's note (its footnote) and source cells are kept with it.
func TestFactNoteAndSourceAreStored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "postdash.db")
	s := openStore(t, path)
	f := sampleFacts(t)[0]
	f.Note, f.Source = "* preliminary", "C5:C900"
	commit(t, s, "report", f)
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var note, source string
	if err := db.QueryRowContext(context.Background(), "SELECT note, source FROM facts").Scan(&note, &source); err != nil {
		t.Fatal(err)
	}
	if note != "* preliminary" || source != "C5:C900" {
		t.Errorf("note %q source %q", note, source)
	}
}
