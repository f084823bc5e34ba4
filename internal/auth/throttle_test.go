package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"postdash/internal/store"
)

// TestConcurrentWrongPasswordsCountEach sends N wrong passwords for one
// account at the same moment (released by a barrier), then the right one:
// with a lock-out after 5 failures, at most 5 may be checked against the
// password, all N must be refused, and the right password, arriving after
// the limit, must be refused too.
func TestConcurrentWrongPasswordsCountEach(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "auth.db")
			if backend == "postgres" {
				dsn = scratchPostgres(t)
			}
			ctx := context.Background()
			st, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			now := time.Now().UTC()
			svc, err := New(st, Config{Hash: testHash, Now: func() time.Time { return now }, MaxFailures: 5}, nil)
			if err != nil {
				t.Fatal(err)
			}
			mustUser(t, svc, "dilnoza", "analyst", "the right passphrase")
			const n = 40
			var (
				wg      sync.WaitGroup
				barrier = make(chan struct{})
				errs    = make(chan error, n)
			)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-barrier
					// Each from its own address, so only the account's count can stop them.
					_, _, _, err := svc.Login(ctx, "dilnoza", "wrong passphrase", "10.0.0."+itoa(i))
					errs <- err
				}()
			}
			close(barrier)
			wg.Wait()
			close(errs)
			for err := range errs {
				if !errors.Is(err, ErrLoginFailed) {
					t.Errorf("a wrong password answered %v, want ErrLoginFailed", err)
				}
			}
			got, err := st.LoginFailures(ctx, "user:dilnoza", now.Add(-time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if got != 5 {
				t.Errorf("%d failures counted for the account after %d concurrent wrong passwords, want exactly the limit, 5", got, n)
			}
			if _, _, _, err := svc.Login(ctx, "dilnoza", "the right passphrase", "10.0.1.1"); !errors.Is(err, ErrLoginFailed) {
				t.Errorf("the right password after the limit answered %v, want ErrLoginFailed (locked out)", err)
			}
		})
	}
}

func itoa(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }

// scratchPostgres creates a schema of its own on the server named by
// POSTDASH_TEST_POSTGRES and returns a DSN whose search_path is that schema.
func scratchPostgres(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("POSTDASH_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("POSTDASH_TEST_POSTGRES not set: skipping PostgreSQL")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	var suffix [6]byte
	rand.Read(suffix[:])
	schema := "postdash_test_" + hex.EncodeToString(suffix[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
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
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
