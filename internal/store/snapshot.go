package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// DataState is what a snapshot holds: the data version, and the time of
// the latest commit or undo (zero when there was none). The figures as of
// At (an as_of exact to the microsecond) are those of Version: commits and
// undos are stamped in the order they are made (eventTime).
type DataState struct {
	Version int64
	At      time.Time
}

// errReadOnly refuses a write inside a read snapshot.
var errReadOnly = errors.New("write inside a read snapshot")

// snapshotDB is a backend over one read transaction.
type snapshotDB struct {
	querier
	parent backend
}

func (d snapshotDB) write(context.Context, func(tx writeTx) error) error { return errReadOnly }
func (d snapshotDB) refreshStatistics(context.Context) error             { return nil }
func (d snapshotDB) isUniqueViolation(err error) bool                    { return d.parent.isUniqueViolation(err) }
func (d snapshotDB) dialect() string                                     { return d.parent.dialect() }
func (d snapshotDB) close() error                                        { return nil }

// readSnapshotter is a backend that can hold a read snapshot.
type readSnapshotter interface {
	readSnapshot(ctx context.Context, fn func(q querier) error) error
}

// Snapshot runs fn over one read snapshot; see Store.
func (s *sqlStore) Snapshot(ctx context.Context, fn func(st Store, d DataState) error) error {
	rs, ok := s.db.(readSnapshotter)
	if !ok {
		return fmt.Errorf("read snapshot: the %s backend has none", s.db.dialect())
	}
	return rs.readSnapshot(ctx, func(q querier) error {
		var (
			d    DataState
			last int64
		)
		if err := q.queryRow(ctx, selectDataState).Scan(&d.Version, &last); err != nil {
			return fmt.Errorf("read snapshot: data state: %w", err)
		}
		if last > 0 {
			d.At = fromMicros(last)
		}
		return fn(&sqlStore{db: snapshotDB{querier: q, parent: s.db}, now: s.now}, d)
	})
}

// readSnapshot runs fn in a deferred transaction on a connection of its
// own: under WAL it reads the database as of its first read, and neither
// waits for the writer nor makes it wait.
func (d *sqliteDB) readSnapshot(ctx context.Context, fn func(q querier) error) error {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("read snapshot: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return fmt.Errorf("read snapshot: begin: %w", err)
	}
	err = fn(sqliteConn{conn})
	if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn }) // not pooled inside a transaction
		if err == nil {
			err = fmt.Errorf("read snapshot: end: %w", rerr)
		}
	}
	return err
}

// sqliteConn is a querier over one connection.
type sqliteConn struct{ c *sql.Conn }

func (t sqliteConn) exec(ctx context.Context, query string, args ...any) (int64, error) {
	return sqlExec(ctx, t.c, query, args...)
}

func (t sqliteConn) query(ctx context.Context, query string, args ...any) (rows, error) {
	return sqlQuery(ctx, t.c, query, args...)
}

func (t sqliteConn) queryRow(ctx context.Context, query string, args ...any) scanner {
	return sqlRow{t.c.QueryRowContext(ctx, query, args...)}
}

// readSnapshot runs fn in a read-only REPEATABLE READ transaction: every
// statement sees the snapshot taken at its first.
func (d *postgresDB) readSnapshot(ctx context.Context, fn func(q querier) error) error {
	tx, err := d.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("read snapshot: begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	return fn(pgTx{tx})
}
