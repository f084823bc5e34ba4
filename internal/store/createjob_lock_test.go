package store

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestCreateJobWaitsForAWriter: on PostgreSQL a job is created behind the
// writers' advisory lock, not beside a write going on, so that a drop of
// a file (a write) either sees the job that will store that file again or
// is committed before the job exists (see CreateJob). The lock is held
// here by another connection, as another instance's write would hold it.
func TestCreateJobWaitsForAWriter(t *testing.T) {
	dsn := os.Getenv("POSTDASH_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("POSTDASH_TEST_POSTGRES not set: skipping PostgreSQL")
	}
	ctx := context.Background()
	s := openScratchPostgres(t, dsn)
	other, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	tx, err := other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", writeLockKey); err != nil {
		t.Fatal(err)
	}
	created := make(chan error, 1)
	go func() {
		created <- s.CreateJob(ctx, Job{ID: "j", User: "ali", FileName: "f.xlsx", SHA256: "00", State: "committing"})
	}()
	select {
	case err := <-created:
		t.Fatalf("the job was created (%v) while another writer held the lock", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-created:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the job was not created after the writer committed")
	}
	if _, err := s.Job(ctx, "j"); err != nil {
		t.Fatal(err)
	}
}

// openScratchPostgres opens a store in a schema of its own, dropped at the end.
func openScratchPostgres(t *testing.T, dsn string) Store {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("postdash_lock_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return s
}
