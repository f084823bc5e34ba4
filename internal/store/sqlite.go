package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"postdash/internal/postal"
)

// sqliteDB is the SQLite backend: database/sql over modernc.org/sqlite in
// WAL mode. Writers take turns twice over: a mutex inside this process and
// BEGIN IMMEDIATE (with a busy timeout) between processes.
type sqliteDB struct {
	db      *sql.DB
	version *sql.DB // two connections of their own for the data version (versionReader)
	writeMu sync.Mutex
}

// SQLite's page cache is per connection and lives outside the Go heap.
// Loading facts gets 64 MiB, so that a 100k-fact batch updates its indexes
// in memory (1.5× as fast as with 8 MiB); everything else, up to four
// connections at once, 8 MiB each: storing an original or staging a
// preview only passes its pages through. A page cache only shrinks when
// told to, so with 64 MiB everywhere two 100 MiB uploads left four full
// caches behind: 288 MB resident where the Go heap held 21 MB
// (TestPeakRSSOfTwoLargeUploads).
const (
	readCacheSize  = "cache_size(-8192)"
	writeCacheSize = "PRAGMA cache_size(-65536)"
)

// sqlitePragmas are set on every connection.
var sqlitePragmas = []string{
	"busy_timeout(10000)",
	"journal_mode(WAL)",
	"foreign_keys(1)",
	"synchronous(NORMAL)",
	readCacheSize, // a write raises it for its transaction (see write)
	"temp_store(MEMORY)",
}

// sqlitePageSize is the page size of a database this package creates.
// At SQLite's default, 4 KiB, a 31 MB original is 7,900 pages, each
// written to the WAL (a frame header and the page: two pwrites) and again
// by the checkpoint (a pread and a pwrite), a syscall per 4 KiB; at 64 KiB
// a 1 MiB part is 16 pages, and storing the original takes less than half
// the CPU time (BenchmarkPutFile). Commits of facts and the totals' queries
// are no slower (BenchmarkCommit100k, BenchmarkTotals).
const sqlitePageSize = 65536

// walCheckpointBytes is how large the WAL grows before a commit copies it
// into the database: SQLite's default, 1,000 pages of 4 KiB, whatever the
// page size (the threshold is set in pages, so per database by its page
// size: 62 pages of 64 KiB). With 1,000 pages of 64 KiB a 31 MB original
// would stay in the WAL, to be checkpointed later by whichever commit
// follows.
const walCheckpointBytes = 1000 * 4096

// prepareSQLite gives a database that does not exist yet its page size and
// WAL mode, on a connection without the other pragmas (the driver runs a
// DSN's pragmas sorted by name, so journal_mode(WAL) would come first and
// fix the page size at 4 KiB: a WAL database cannot change it, not even by
// VACUUM), and answers the page size, which a database made before keeps.
func prepareSQLite(ctx context.Context, path string) (int, error) {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	qs := []string{"PRAGMA busy_timeout = 10000"}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		qs = append(qs, fmt.Sprintf("PRAGMA page_size = %d", sqlitePageSize), "PRAGMA journal_mode = WAL")
	}
	for _, q := range qs {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return 0, fmt.Errorf("%s: %w", q, err)
		}
	}
	var size int
	if err := conn.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size); err != nil {
		return 0, fmt.Errorf("page size: %w", err)
	}
	return size, nil
}

func openSQLite(ctx context.Context, path string) (*sqliteDB, error) {
	if strings.Contains(path, "?") {
		return nil, fmt.Errorf("sqlite path %q: must not contain '?'", path)
	}
	pageSize, err := prepareSQLite(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	var q []string
	for _, p := range sqlitePragmas {
		q = append(q, "_pragma="+p)
	}
	q = append(q, fmt.Sprintf("_pragma=wal_autocheckpoint(%d)", max(1, walCheckpointBytes/pageSize)))
	q = append(q, "_txlock=immediate")
	db, err := sql.Open("sqlite", path+"?"+strings.Join(q, "&"))
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// Readers run side by side in WAL mode; writers are serialized by write.
	db.SetMaxOpenConns(max(4, runtime.NumCPU()))
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	version, err := sql.Open("sqlite", path+"?"+strings.Join(q, "&"))
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	version.SetMaxOpenConns(2)
	return &sqliteDB{db: db, version: version}, nil
}

func (d *sqliteDB) dialect() string { return "sqlite" }

func (d *sqliteDB) close() error { return errors.Join(d.version.Close(), d.db.Close()) }

func (d *sqliteDB) dataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := d.version.QueryRowContext(ctx, selectDataVersion).Scan(&v)
	return v, err
}

func (d *sqliteDB) exec(ctx context.Context, query string, args ...any) (int64, error) {
	return sqlExec(ctx, d.db, query, args...)
}

func (d *sqliteDB) query(ctx context.Context, query string, args ...any) (rows, error) {
	return sqlQuery(ctx, d.db, query, args...)
}

func (d *sqliteDB) queryRow(ctx context.Context, query string, args ...any) scanner {
	return sqlRow{d.db.QueryRowContext(ctx, query, args...)}
}

// write runs fn in one transaction on a connection of its own, whose page
// cache is shrunk back afterwards (insertFacts raises it), which frees the
// pages beyond.
func (d *sqliteDB) write(ctx context.Context, fn func(tx writeTx) error) error {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA "+readCacheSize); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn }) // closed rather than pooled with a large cache
		}
	}()
	tx, err := conn.BeginTx(ctx, nil) // BEGIN IMMEDIATE, from _txlock
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(sqliteTx{tx}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (d *sqliteDB) refreshStatistics(context.Context) error { return nil }

func (d *sqliteDB) isUniqueViolation(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// sqlConn is what *sql.DB and *sql.Tx share.
type sqlConn interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

func sqlExec(ctx context.Context, c sqlConn, query string, args ...any) (int64, error) {
	res, err := c.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func sqlQuery(ctx context.Context, c sqlConn, query string, args ...any) (rows, error) {
	r, err := c.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{r}, nil
}

type sqlRows struct{ r *sql.Rows }

func (r sqlRows) Next() bool             { return r.r.Next() }
func (r sqlRows) Scan(dest ...any) error { return r.r.Scan(dest...) }
func (r sqlRows) Err() error             { return r.r.Err() }
func (r sqlRows) Close()                 { r.r.Close() }

type sqlRow struct{ r *sql.Row }

func (r sqlRow) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

type sqliteTx struct{ tx *sql.Tx }

func (t sqliteTx) exec(ctx context.Context, query string, args ...any) (int64, error) {
	return sqlExec(ctx, t.tx, query, args...)
}

func (t sqliteTx) query(ctx context.Context, query string, args ...any) (rows, error) {
	return sqlQuery(ctx, t.tx, query, args...)
}

func (t sqliteTx) queryRow(ctx context.Context, query string, args ...any) scanner {
	return sqlRow{t.tx.QueryRowContext(ctx, query, args...)}
}

// factsPerInsert rows go into one INSERT: 13 parameters each, far below
// SQLite's limit of 32766.
const factsPerInsert = 200

// insertFacts loads facts with multi-row INSERTs from one prepared statement,
// in index order so the index pages they touch stay few.
func (t sqliteTx) insertFacts(ctx context.Context, batchID int64, facts []postal.Fact) error {
	if _, err := t.tx.ExecContext(ctx, writeCacheSize); err != nil {
		return fmt.Errorf("raise the page cache: %w", err)
	}
	facts = sortedFacts(facts)
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	args := make([]any, 0, factsPerInsert*factColumns)
	for start := 0; start < len(facts); start += factsPerInsert {
		chunk := facts[start:min(start+factsPerInsert, len(facts))]
		args = args[:0]
		for _, f := range chunk {
			args = appendFactArgs(args, batchID, f)
		}
		var err error
		if len(chunk) == factsPerInsert {
			if full == nil {
				if full, err = t.tx.PrepareContext(ctx, insertFactsSQL(factsPerInsert)); err != nil {
					return fmt.Errorf("prepare fact insert: %w", err)
				}
			}
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = t.tx.ExecContext(ctx, insertFactsSQL(len(chunk)), args...)
		}
		if err != nil {
			return fmt.Errorf("insert facts: %w", err)
		}
	}
	return nil
}

// insertFactsSQL is a multi-row INSERT of n facts. Its parameters are
// anonymous (?): binding numbered ones costs the driver a scan of all names
// per parameter, which grows with the square of the rows per statement.
func insertFactsSQL(n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", factColumns), ",") + ")"
	return "INSERT INTO facts (" + strings.Join(factColumnNames, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(row+",", n), ",")
}

// backup writes a consistent copy of the database to outPath (VACUUM INTO)
// while it stays in use.
func (d *sqliteDB) backup(ctx context.Context, outPath string) error {
	if _, err := os.Stat(outPath); err == nil {
		return fmt.Errorf("backup: %s already exists", outPath)
	}
	if _, err := d.db.ExecContext(ctx, "VACUUM INTO $1", outPath); err != nil {
		return fmt.Errorf("backup to %s: %w", outPath, err)
	}
	return nil
}
