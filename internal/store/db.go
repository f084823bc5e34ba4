package store

import (
	"context"
	"time"

	"postdash/internal/postal"
)

// The SQL of postdash is one dialect subset that SQLite and PostgreSQL both
// run: $N parameters, times as Unix microseconds, booleans as 0/1 integers,
// text compared byte for byte. A backend adapts its driver (database/sql for
// SQLite, pgx for PostgreSQL) to the small interfaces below, and adds what
// differs: how writers take turns, how facts are bulk-loaded, backups.

// querier runs SQL; a database or a transaction.
type querier interface {
	exec(ctx context.Context, query string, args ...any) (int64, error)
	query(ctx context.Context, query string, args ...any) (rows, error)
	// queryRow's Scan returns ErrNotFound when there is no row.
	queryRow(ctx context.Context, query string, args ...any) scanner
}

// rows is a result set being read.
type rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// scanner reads one row.
type scanner interface {
	Scan(dest ...any) error
}

// writeTx is a transaction that holds the database's single write turn.
type writeTx interface {
	querier
	// insertFacts bulk-loads the facts of a batch.
	insertFacts(ctx context.Context, batchID int64, facts []postal.Fact) error
}

// backend is one database behind the Store.
type backend interface {
	querier
	// write runs fn in one transaction, after every earlier writer of the
	// database (from any instance) has finished, and commits when fn
	// returns nil.
	write(ctx context.Context, fn func(tx writeTx) error) error
	// refreshStatistics brings the planner's statistics of the fact tables
	// up to date after a large load (PostgreSQL; SQLite keeps none).
	refreshStatistics(ctx context.Context) error
	// isUniqueViolation reports whether err is a unique-constraint failure.
	isUniqueViolation(err error) bool
	dialect() string
	close() error
}

// sqlStore implements Store over a backend.
type sqlStore struct {
	db  backend
	now func() time.Time
}

func newSQLStore(db backend) *sqlStore {
	return &sqlStore{db: db, now: timeNow}
}

// timeNow is the store's clock: UTC, to the microsecond it keeps.
func timeNow() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Close releases the database.
func (s *sqlStore) Close() error { return s.db.close() }

// micros and fromMicros convert times to the stored form and back.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

func fromMicrosPtr(us *int64) *time.Time {
	if us == nil {
		return nil
	}
	t := fromMicros(*us)
	return &t
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
