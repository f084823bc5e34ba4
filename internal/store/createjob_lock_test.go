package store_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"postdash/internal/store"
)

// TestCreateJobWaitsForAWriter: on PostgreSQL a job is created behind the
// writers' advisory lock, not beside a write going on, so that a drop of
// a file (a write) either sees the job that will store that file again or
// is committed before the job exists (see CreateJob). The lock is held
// here by another connection, as another instance's write would hold it.
func TestCreateJobWaitsForAWriter(t *testing.T) {
	dsn := scratchPostgres(t)
	s := openStore(t, dsn)
	ctx := context.Background()
	other, err := pgx.Connect(ctx, os.Getenv(postgresEnv))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	tx, err := other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", store.WriteLockKey); err != nil {
		t.Fatal(err)
	}
	created := make(chan error, 1)
	go func() {
		created <- s.CreateJob(ctx, store.Job{ID: "j", User: "ali", FileName: "f.xlsx", SHA256: "00", State: "committing"})
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
