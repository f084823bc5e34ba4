package store_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"postdash/internal/store"
)

// postgresEnv names the DSN of a PostgreSQL server the tests may use.
const postgresEnv = "POSTDASH_TEST_POSTGRES"

// forEachBackendDSN runs fn once per backend with the DSN of an empty
// database: a SQLite file in t.TempDir(), and a scratch schema of the
// PostgreSQL server named by POSTDASH_TEST_POSTGRES (skipped when unset).
func forEachBackendDSN(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, filepath.Join(t.TempDir(), "postdash.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, scratchPostgres(t))
	})
}

// forEachBackend runs fn once per backend with a freshly opened, empty store.
func forEachBackend(t *testing.T, fn func(t *testing.T, s store.Store)) {
	t.Helper()
	forEachBackendDSN(t, func(t *testing.T, dsn string) {
		fn(t, openStore(t, dsn))
	})
}

func openStore(tb testing.TB, dsn string) store.Store {
	tb.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", dsn, err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// scratchPostgres creates a schema of its own on the test server and returns
// a DSN whose search_path is that schema; the schema is dropped at the end.
func scratchPostgres(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		tb.Skip(postgresEnv + " not set: skipping PostgreSQL")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connect to %s: %v", postgresEnv, err)
	}
	defer conn.Close(ctx)
	var suffix [6]byte
	rand.Read(suffix[:])
	schema := "postdash_test_" + hex.EncodeToString(suffix[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("parse %s: %v", postgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
