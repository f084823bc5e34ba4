package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// headerPageSize reads the page size from the database file's header
// (bytes 16–17, big-endian; 1 stands for 65536), as SQLite's file format
// defines it.
func headerPageSize(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var h [100]byte
	if _, err := io.ReadFull(f, h[:]); err != nil {
		t.Fatal(err)
	}
	if string(h[:16]) != "SQLite format 3\x00" {
		t.Fatalf("%s: not an SQLite database", path)
	}
	if n := int(binary.BigEndian.Uint16(h[16:18])); n != 1 {
		return n
	}
	return 65536
}

func pragmaInt(t *testing.T, s *sqlStore, pragma string) int {
	t.Helper()
	var n int
	if err := s.db.queryRow(context.Background(), "PRAGMA "+pragma).Scan(&n); err != nil {
		t.Fatalf("PRAGMA %s: %v", pragma, err)
	}
	return n
}

func openSQLiteStore(t *testing.T, path string) *sqlStore {
	t.Helper()
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st.(*sqlStore)
}

// TestNewDatabasePageSize: a new database has 64 KiB pages and WAL mode,
// and its WAL is checkpointed at about 4 MB (62 pages), as at 4 KiB pages
// SQLite's default of 1,000 pages is.
func TestNewDatabasePageSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	s := openSQLiteStore(t, path)
	if got := headerPageSize(t, path); got != 65536 {
		t.Errorf("page size in the header = %d, want 65536", got)
	}
	if got := pragmaInt(t, s, "page_size"); got != 65536 {
		t.Errorf("PRAGMA page_size = %d, want 65536", got)
	}
	if got := pragmaInt(t, s, "wal_autocheckpoint"); got != 62 {
		t.Errorf("PRAGMA wal_autocheckpoint = %d, want 62", got)
	}
	var mode string
	if err := s.db.queryRow(context.Background(), "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}

// TestOpenDatabaseMadeBefore: a database made before the page size was
// set (4 KiB pages, WAL mode, as the driver's pragmas made it) opens,
// keeps its page size and SQLite's checkpoint threshold, and stores and
// returns an original and a batch's facts as before, also after reopening.
func TestOpenDatabaseMadeBefore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec("CREATE TABLE made_before (x INTEGER)"); err != nil {
		t.Fatal(err)
	}
	old.Close()
	if got := headerPageSize(t, path); got != 4096 {
		t.Fatalf("the old database has pages of %d bytes, want SQLite's default 4096", got)
	}

	content := make([]byte, 5<<19+123)
	r := rand.New(rand.NewPCG(5, 6))
	for i := range content {
		content[i] = byte(r.Uint32())
	}
	sum := sha256.Sum256(content)
	sha := hex.EncodeToString(sum[:])

	st, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open a database made before: %v", err)
	}
	s := st.(*sqlStore)
	if got := pragmaInt(t, s, "page_size"); got != 4096 {
		t.Errorf("PRAGMA page_size = %d, want 4096 (kept)", got)
	}
	if got := pragmaInt(t, s, "wal_autocheckpoint"); got != 1000 {
		t.Errorf("PRAGMA wal_autocheckpoint = %d, want 1000", got)
	}
	if err := s.PutFile(ctx, sha, "old.xlsx", bytes.NewReader(content)); err != nil {
		t.Fatal(err)
	}
	st.Close()

	s = openSQLiteStore(t, path)
	if got := headerPageSize(t, path); got != 4096 {
		t.Errorf("page size after reopening = %d, want 4096", got)
	}
	var n int
	if err := s.db.queryRow(ctx, "SELECT count(*) FROM made_before").Scan(&n); err != nil || n != 0 {
		t.Errorf("the old table: %d rows, %v", n, err)
	}
	rc, name, size, err := s.OpenFile(ctx, sha)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, content) || name != "old.xlsx" || size != int64(len(content)) {
		t.Errorf("OpenFile = %d bytes (equal %v) %q %d, %v", len(got), bytes.Equal(got, content), name, size, err)
	}
}
