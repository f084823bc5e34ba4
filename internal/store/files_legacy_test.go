package store

import (
	"context"
	"io"
	"path/filepath"
	"testing"
)

// TestOpenFileStoredWhole: an original stored whole, before originals were
// stored in parts, still opens.
func TestOpenFileStoredWhole(t *testing.T) {
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "legacy.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, ok := st.(*sqlStore)
	if !ok {
		t.Fatalf("Open returned %T", st)
	}
	if _, err := s.db.exec(ctx, insertFileUnlessStored, "abc", "old.xlsx", int64(5), []byte("hello"), int64(1)); err != nil {
		t.Fatal(err)
	}
	rc, name, size, err := s.OpenFile(ctx, "abc")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	if err != nil || string(got) != "hello" || name != "old.xlsx" || size != 5 {
		t.Errorf("OpenFile = %q %q %d, %v; want hello, old.xlsx, 5", got, name, size, err)
	}
}
