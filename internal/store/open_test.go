package store_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"postdash/internal/postal"
	"postdash/internal/store"
)

func TestOpenSQLiteDSNForms(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "forms.db")
	s := openStore(t, "sqlite:"+path)
	commit(t, s, "a", sampleFacts(t)...)
	s.Close()
	// the plain path names the same file
	if got := totals(t, openStore(t, path), store.Query{}); got[0].Items != 136 {
		t.Errorf("plain path: items = %d, want 136", got[0].Items)
	}
	if _, err := store.Open(context.Background(), ""); err == nil {
		t.Error("empty DSN accepted")
	}
	if _, err := store.Open(context.Background(), filepath.Join(dir, "missing-dir", "x.db")); err == nil {
		t.Error("a path in a missing directory opened")
	}
}

func TestBackup(t *testing.T) {
	forEachBackendDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openStore(t, dsn)
		commit(t, s, "a", sampleFacts(t)...)
		id := commit(t, s, "b", both(t, "2024-01", inChinaParcel, "S", 5, 5))
		if err := s.UndoBatch(ctx, id, "ana"); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		byDSN, byStore := filepath.Join(dir, "by-dsn.db"), filepath.Join(dir, "by-store.db")
		errDSN, errStore := store.Backup(ctx, dsn, byDSN), store.BackupStore(ctx, s, byStore)
		if strings.HasPrefix(t.Name(), "TestBackup/postgres") {
			for _, err := range []error{errDSN, errStore} {
				if err == nil || !strings.Contains(err.Error(), "pg_dump") {
					t.Errorf("backup of PostgreSQL: %v, want an error pointing to pg_dump", err)
				}
			}
			return
		}
		if errDSN != nil || errStore != nil {
			t.Fatalf("Backup: %v; BackupStore: %v", errDSN, errStore)
		}
		if err := store.Backup(ctx, dsn, byDSN); err == nil {
			t.Error("Backup overwrote an existing file")
		}
		if err := store.Backup(ctx, filepath.Join(dir, "missing.db"), filepath.Join(dir, "x.db")); err == nil {
			t.Error("Backup of a missing database succeeded")
		}
		q := store.Query{By: []postal.Field{postal.FieldPeriod, postal.FieldPartner}}
		for _, out := range []string{byDSN, byStore} {
			copied := openStore(t, out)
			if msg := diffTotals(totals(t, copied, q), totals(t, s, q)); msg != "" {
				t.Errorf("%s: totals differ: %s", out, msg)
			}
			if b, err := copied.Batch(ctx, id); err != nil || b.Live() {
				t.Errorf("%s: batch %d = %+v, %v; want it undone", out, id, b, err)
			}
		}
	})
}
