// Package store owns persistence: the Store interface, its SQLite and
// PostgreSQL implementations and their migrations. It is the only package
// that writes SQL.
package store

import (
	"context"
	"errors"
	"time"

	"postdash/internal/postal"
)

// Errors callers act on.
var (
	ErrNotFound      = errors.New("not found")
	ErrDuplicate     = errors.New("a live batch already holds a file with the same SHA-256")
	ErrAlreadyUndone = errors.New("batch already undone")
	ErrVersionMoved  = errors.New("the data version moved") // see CommitBatchAt
	ErrConflict      = errors.New("already exists")         // a unique name or hash is taken
	ErrTooManyRows   = errors.New("the answer would hold more rows than allowed")
)

// Batch is one committed import: history, never an overwrite.
type Batch struct {
	ID          int64
	FileName    string
	SHA256      string // hex
	User        string
	CreatedAt   time.Time
	Direction   string // defaults the analyst gave ("" when none)
	Partner     string
	Marketplace string
	Sheets      []string // sheets that yielded facts
	Rows        int64    // data rows read
	Facts       int64    // facts written
	Items       int64    // total items in the batch
	WeightKg    float64  // total weight in the batch
	UndoneAt    *time.Time
	UndoneBy    string
	Notes       []Note // text the workbook carries beside its figures
}

// Note is a line of text a workbook carries beside its figures: a notes
// sheet's lines, a title above a table (a source citation, a remark).
type Note struct {
	Sheet string `json:"sheet"`
	Text  string `json:"text"`
}

// Live reports whether the batch has not been undone.
func (b Batch) Live() bool { return b.UndoneAt == nil }

// Query selects live facts and how to group them.
type Query struct {
	From, To postal.Month              // zero means open-ended
	By       []postal.Field            // group-by fields, in output order
	Where    map[postal.Field][]string // canonical values; several values of one field are OR-ed
	// MaxRows, when positive, bounds the rows an answer may hold: past it
	// Totals, LiveSeries and LiveFacts return ErrTooManyRows instead of a huge answer.
	MaxRows int
	// AsOf, when not zero, reads the data as they were live at that time
	// (batches committed by then and not undone by then) instead of now.
	AsOf time.Time
}

// Total is one row of a grouped sum over live facts. Group holds the value of
// each By field (period as YYYY-MM, year as YYYY).
type Total struct {
	Group     map[postal.Field]string
	Items     int64
	WeightKg  float64
	HasItems  bool
	HasWeight bool
}

// SeriesGroup is the live values of a group of series-months added up:
// the fields of the group (Query.By) are set, the others are zero.
// Items and WeightKg sum only the values holding them (the weight exactly,
// to the milligram); HasItems and HasWeight say whether any does; Count is
// how many series-months it adds up.
type SeriesGroup struct {
	SeriesMonth
	Count int64
}

// SeriesMonth is a live value of one series in one month (postal's).
type SeriesMonth = postal.SeriesMonth

// Source traces live facts to where they came from.
type Source struct {
	BatchID  int64
	FileName string
	Sheet    string
	User     string
	At       time.Time
	Facts    int64
}

// TracedFact is a fact behind a live value, with where it came from.
type TracedFact struct {
	postal.Fact
	BatchID  int64
	FileName string
	SHA256   string
	User     string
	At       time.Time
}

// Store is what the rest of postdash needs from a database. Open returns one
// backed by SQLite or PostgreSQL; both behave the same.
type Store interface {
	Files
	Users
	Sessions
	Tokens
	LoginThrottle
	AuditLog
	Jobs
	Mappings
	Calendar

	// CommitBatch writes b and its facts in one transaction. For every
	// (month, series) the facts hold, earlier live values are superseded
	// (recorded with the superseding batch); other series-months are left
	// alone. Facts of one series-month on several sheets add up. It returns
	// ErrDuplicate when a live batch has the same SHA256. b.ID and
	// b.CreatedAt are set on success. Concurrent commits, from this or other
	// instances, end as if run one after another in batch id order.
	CommitBatch(ctx context.Context, b *Batch, facts []postal.Fact) error
	// CommitBatchAt is CommitBatch on condition that the data version is
	// still version when the commit's transaction runs: otherwise it
	// writes nothing and returns ErrVersionMoved. The check and the commit
	// are one transaction, so a commit or undo racing it cannot slip between.
	CommitBatchAt(ctx context.Context, b *Batch, facts []postal.Fact, version int64) error
	// UndoBatch marks a batch undone (by user, now) and brings back exactly
	// what it superseded: for each series-month the batch holds, the live
	// value becomes that of the newest batch still live holding it (so a
	// newer batch stays live where it covers the month). It returns
	// ErrNotFound or ErrAlreadyUndone. A file may be committed again once
	// its batch is undone.
	UndoBatch(ctx context.Context, id int64, user string) error
	// Batch returns one batch, or ErrNotFound.
	Batch(ctx context.Context, id int64) (Batch, error)
	// Batches lists all batches, newest first.
	Batches(ctx context.Context) ([]Batch, error)
	// LiveBatchBySHA returns the live batch holding a file with this SHA-256, or ErrNotFound.
	LiveBatchBySHA(ctx context.Context, sha string) (Batch, error)
	// Totals sums live facts grouped by q.By (period as YYYY-MM, year as
	// YYYY), ordered by the group values; with no By it returns one row of
	// grand totals. Values of one Where field are OR-ed, fields AND-ed, an
	// empty value list does not filter. HasItems/HasWeight are true when any
	// summed value had the measure. The cost follows live series × months,
	// not the number of facts.
	Totals(ctx context.Context, q Query) ([]Total, error)
	// LiveSeries returns live values per series and month matching q (By is ignored).
	LiveSeries(ctx context.Context, q Query) ([]SeriesMonth, error)
	// LiveGroups adds up the live values matching q per value of the
	// q.By fields (period, direction, partner, category, marketplace),
	// ordered by them; MaxRows is ignored: its answer grows with the
	// groups a page draws, not with the series behind them.
	LiveGroups(ctx context.Context, q Query) ([]SeriesGroup, error)
	// Sources lists the batches and sheets behind the live facts matching q
	// (q.By is ignored), ordered by batch then sheet, with how many facts each gave.
	Sources(ctx context.Context, q Query) ([]Source, error)
	// LiveFacts lists the facts behind the live values matching q (q.By is
	// ignored): each fact of the batch live for its series-month, with its
	// batch, file, sheet and importer, ordered by month, series, batch, sheet.
	LiveFacts(ctx context.Context, q Query) ([]TracedFact, error)
	// MonthRange returns the first and last month holding live facts (zero months when none).
	MonthRange(ctx context.Context) (first, last postal.Month, err error)
	// MonthRangeAt is MonthRange of the data live at time at (zero: now).
	MonthRangeAt(ctx context.Context, at time.Time) (first, last postal.Month, err error)
	// SeriesFlags lists the live values matching q (at q.AsOf) that are
	// revised (their value differs from the first published one: that of
	// the oldest batch holding the series-month committed by then and not
	// undone by then) or carry a note of their sheet.
	SeriesFlags(ctx context.Context, q Query) ([]SeriesFlag, error)
	// SeriesVersions lists, for the live series-months matching q (at
	// q.AsOf), the value of every batch committed by then that held them.
	SeriesVersions(ctx context.Context, q Query) ([]SeriesVersion, error)
	// DataVersion is a counter every commit and undo bumps, shared by all
	// instances on the database: a cache key or ETag for live data.
	DataVersion(ctx context.Context) (int64, error)
	// Snapshot runs fn over one consistent read snapshot of the database:
	// every read of st sees the data of version d.Version and nothing
	// committed after it, whatever commits while fn runs (SQLite: a
	// deferred read transaction under WAL; PostgreSQL: a read-only
	// REPEATABLE READ transaction). st must not be written to or kept.
	Snapshot(ctx context.Context, fn func(st Store, d DataState) error) error
	// Close releases the database.
	Close() error
}
