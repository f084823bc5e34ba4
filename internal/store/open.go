package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"postdash/internal/store/migrations"
)

// Open opens the database a DSN names and brings its schema up to date:
// "postgres://…" or "postgresql://…" is PostgreSQL; "sqlite:PATH" or a plain
// path is a SQLite file (created when missing).
func Open(ctx context.Context, dsn string) (Store, error) {
	db, err := openBackend(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := migrate(ctx, db); err != nil {
		db.close()
		return nil, err
	}
	return newSQLStore(db), nil
}

// Migrate brings the schema of the database a DSN names up to date and
// returns the versions it applied (none when it was current). Open does the
// same; Migrate is for `postdash migrate`.
func Migrate(ctx context.Context, dsn string) ([]string, error) {
	db, err := openBackend(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer db.close()
	return migrate(ctx, db)
}

// Backup writes a consistent copy of the SQLite database a DSN names to
// outPath (which must not exist), online: writers may go on meanwhile. A
// PostgreSQL database is backed up with pg_dump instead.
func Backup(ctx context.Context, dsn, outPath string) error {
	if isPostgresDSN(dsn) {
		return errors.New("backup: the database is PostgreSQL; back it up with pg_dump")
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	db, err := openSQLite(ctx, path)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer db.close()
	return db.backup(ctx, outPath)
}

// BackupStore is Backup for an open store.
func BackupStore(ctx context.Context, s Store, outPath string) error {
	ss, ok := s.(*sqlStore)
	if !ok {
		return fmt.Errorf("backup: unsupported store %T", s)
	}
	lite, ok := ss.db.(*sqliteDB)
	if !ok {
		return errors.New("backup: the database is PostgreSQL; back it up with pg_dump")
	}
	return lite.backup(ctx, outPath)
}

func isPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func openBackend(ctx context.Context, dsn string) (backend, error) {
	switch {
	case dsn == "":
		return nil, errors.New("open store: empty DSN")
	case isPostgresDSN(dsn):
		return openPostgres(ctx, dsn)
	default:
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	}
}

const createSchemaMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    TEXT PRIMARY KEY,
    applied_at BIGINT NOT NULL
)`

const selectAppliedMigrations = `SELECT version FROM schema_migrations`

const insertAppliedMigration = `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`

// migrate applies the migrations db has not seen, all in one write
// transaction so that instances starting together do not race.
func migrate(ctx context.Context, db backend) ([]string, error) {
	list, err := migrations.List(db.dialect())
	if err != nil {
		return nil, err
	}
	var applied []string
	err = db.write(ctx, func(tx writeTx) error {
		if _, err := tx.exec(ctx, createSchemaMigrations); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		done, err := appliedMigrations(ctx, tx)
		if err != nil {
			return err
		}
		for _, m := range list {
			if done[m.Version] {
				continue
			}
			if _, err := tx.exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("apply migration %s: %w", m.Version, err)
			}
			if _, err := tx.exec(ctx, insertAppliedMigration, m.Version, micros(timeNow())); err != nil {
				return fmt.Errorf("record migration %s: %w", m.Version, err)
			}
			applied = append(applied, m.Version)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("migrate %s: %w", db.dialect(), err)
	}
	return applied, nil
}

func appliedMigrations(ctx context.Context, q querier) (map[string]bool, error) {
	rs, err := q.query(ctx, selectAppliedMigrations)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rs.Close()
	done := map[string]bool{}
	for rs.Next() {
		var v string
		if err := rs.Scan(&v); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		done[v] = true
	}
	return done, rs.Err()
}

// OpenWithClock is Open with the clock commits and undos are stamped with
// (tests replay histories at chosen times with it).
func OpenWithClock(ctx context.Context, dsn string, now func() time.Time) (Store, error) {
	st, err := Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	st.(*sqlStore).now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
	return st, nil
}
