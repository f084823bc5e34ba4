package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"postdash/internal/postal"
)

// writeLockKey is the transaction-level advisory lock every writer takes
// first, so that writes from all instances happen one after another.
const writeLockKey int64 = 0x706f737464617368 // "postdash"

// postgresDB is the PostgreSQL backend: a pgx pool; facts are loaded by COPY.
type postgresDB struct {
	pool    *pgxpool.Pool
	version *pgxpool.Pool // two connections of their own for the data version (versionReader)
}

func openPostgres(ctx context.Context, dsn string) (*postgresDB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse postgres dsn: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	vcfg := cfg.Copy()
	vcfg.MaxConns, vcfg.MinConns = 2, 0
	version, err := pgxpool.NewWithConfig(ctx, vcfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return &postgresDB{pool: pool, version: version}, nil
}

func (d *postgresDB) dataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := d.version.QueryRow(ctx, selectDataVersion).Scan(&v)
	return v, err
}

func (d *postgresDB) dialect() string { return "postgres" }

func (d *postgresDB) close() error {
	d.version.Close()
	d.pool.Close()
	return nil
}

func (d *postgresDB) exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := d.pool.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

func (d *postgresDB) query(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := d.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (d *postgresDB) queryRow(ctx context.Context, query string, args ...any) scanner {
	return pgRow{d.pool.QueryRow(ctx, query, args...)}
}

func (d *postgresDB) write(ctx context.Context, fn func(tx writeTx) error) error {
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx) // a no-op after Commit
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", writeLockKey); err != nil {
		return fmt.Errorf("take write lock: %w", err)
	}
	if err := fn(pgTx{tx}); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// refreshStatistics analyzes the tables a commit grows. Until autovacuum
// gets to them, the planner takes freshly loaded tables for nearly empty
// ones: the overview's sources query then scanned every fact for each live
// series-month, 30 s and more with 30,000 facts (TestLoad), instead of
// using facts_by_batch.
func (d *postgresDB) refreshStatistics(ctx context.Context) error {
	if _, err := d.pool.Exec(ctx, "ANALYZE facts, live_series"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}

func (d *postgresDB) isUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

type pgRow struct{ r pgx.Row }

func (r pgRow) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

type pgTx struct{ tx pgx.Tx }

func (t pgTx) exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

func (t pgTx) query(ctx context.Context, query string, args ...any) (rows, error) {
	r, err := t.tx.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (t pgTx) queryRow(ctx context.Context, query string, args ...any) scanner {
	return pgRow{t.tx.QueryRow(ctx, query, args...)}
}

// insertFacts loads facts with COPY, in index order.
func (t pgTx) insertFacts(ctx context.Context, batchID int64, facts []postal.Fact) error {
	facts = sortedFacts(facts)
	src := pgx.CopyFromSlice(len(facts), func(i int) ([]any, error) {
		return appendFactArgs(make([]any, 0, factColumns), batchID, facts[i]), nil
	})
	if _, err := t.tx.CopyFrom(ctx, pgx.Identifier{"facts"}, factColumnNames, src); err != nil {
		return fmt.Errorf("copy facts: %w", err)
	}
	return nil
}
