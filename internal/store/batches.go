package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"postdash/internal/postal"
)

// factColumnNames are the columns a fact is loaded into, in argument order.
var factColumnNames = []string{
	"batch_id", "month", "direction", "partner", "category", "marketplace",
	"sheet", "items", "has_items", "weight_kg", "has_weight", "note", "source",
}

const factColumns = 13

// sortedFacts returns a copy of facts in the order of the facts indexes.
func sortedFacts(facts []postal.Fact) []postal.Fact {
	out := slices.Clone(facts)
	slices.SortFunc(out, func(a, b postal.Fact) int {
		return cmp.Or(
			cmp.Compare(a.Month.Index(), b.Month.Index()),
			cmp.Compare(a.Direction, b.Direction),
			cmp.Compare(a.Partner, b.Partner),
			cmp.Compare(a.Category, b.Category),
			cmp.Compare(a.Marketplace, b.Marketplace),
		)
	})
	return out
}

// appendFactArgs appends the values of f in factColumnNames order.
func appendFactArgs(args []any, batchID int64, f postal.Fact) []any {
	return append(args, batchID, int64(f.Month.Index()), string(f.Direction), f.Partner,
		string(f.Category), f.Marketplace, f.Sheet, f.Items, b2i(f.HasItems), f.WeightKg, b2i(f.HasWeight), f.Note, f.Source)
}

const selectLiveBatchIDBySHA = `SELECT id FROM batches WHERE sha256 = $1 AND undone_at IS NULL`

const insertBatch = `INSERT INTO batches
    (file_name, sha256, user_name, created_at, direction, partner, marketplace, sheets, rows_read, fact_count, items, weight_kg, notes)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
RETURNING id`

// insertSupersessionsOfBatch records, for every series-month the new batch
// holds, which batch was live there before it.
const insertSupersessionsOfBatch = `INSERT INTO supersessions
    (batch_id, superseded_batch_id, month, direction, partner, category, marketplace)
SELECT CAST($1 AS BIGINT), l.batch_id, l.month, l.direction, l.partner, l.category, l.marketplace
FROM (SELECT DISTINCT month, direction, partner, category, marketplace FROM facts WHERE batch_id = $1) n
JOIN live_series l ON l.month = n.month AND l.direction = n.direction AND l.partner = n.partner
    AND l.category = n.category AND l.marketplace = n.marketplace`

// upsertLiveSeriesOfBatch makes a batch the live value of every series-month it holds.
const upsertLiveSeriesOfBatch = `INSERT INTO live_series
    (month, direction, partner, category, marketplace, items, has_items, weight_kg, has_weight, batch_id)
SELECT month, direction, partner, category, marketplace,
    SUM(items), MAX(has_items), SUM(weight_kg), MAX(has_weight), batch_id
FROM facts
WHERE batch_id = $1
GROUP BY month, direction, partner, category, marketplace, batch_id
ON CONFLICT (month, direction, partner, category, marketplace) DO UPDATE SET
    items = excluded.items, has_items = excluded.has_items,
    weight_kg = excluded.weight_kg, has_weight = excluded.has_weight,
    batch_id = excluded.batch_id`

const bumpDataVersion = `UPDATE meta SET value = value + 1 WHERE name = 'data_version'`

const selectDataVersion = `SELECT value FROM meta WHERE name = 'data_version'`

// CommitBatch writes b and its facts in one transaction; see Store.
func (s *sqlStore) CommitBatch(ctx context.Context, b *Batch, facts []postal.Fact) error {
	return s.commitBatch(ctx, b, facts, -1)
}

// CommitBatchAt is CommitBatch when the data version is still version,
// checked in the commit's own transaction; see Store.
func (s *sqlStore) CommitBatchAt(ctx context.Context, b *Batch, facts []postal.Fact, version int64) error {
	if version < 0 {
		return fmt.Errorf("commit batch %s: data version %d", b.FileName, version)
	}
	return s.commitBatch(ctx, b, facts, version)
}

// commitBatch commits b; a version of 0 or more must be the data version
// inside the transaction (writes are serialised: SQLite's BEGIN IMMEDIATE,
// PostgreSQL's write lock), or nothing is written and ErrVersionMoved returned.
func (s *sqlStore) commitBatch(ctx context.Context, b *Batch, facts []postal.Fact, version int64) error {
	sheets := b.Sheets
	if sheets == nil {
		sheets = []string{}
	}
	sheetsJSON, err := json.Marshal(sheets)
	if err != nil {
		return fmt.Errorf("commit batch: encode sheets: %w", err)
	}
	notes := b.Notes
	if notes == nil {
		notes = []Note{}
	}
	notesJSON, err := json.Marshal(notes)
	if err != nil {
		return fmt.Errorf("commit batch: encode notes: %w", err)
	}
	var (
		now time.Time
		id  int64
	)
	err = s.db.write(ctx, func(tx writeTx) error {
		var err error
		if now, err = s.eventTime(ctx, tx); err != nil {
			return err
		}
		if version >= 0 {
			var v int64
			if err := tx.queryRow(ctx, selectDataVersion).Scan(&v); err != nil {
				return fmt.Errorf("data version: %w", err)
			}
			if v != version {
				return ErrVersionMoved
			}
		}
		err = tx.queryRow(ctx, selectLiveBatchIDBySHA, b.SHA256).Scan(&id)
		if err == nil {
			return ErrDuplicate
		}
		if !errors.Is(err, ErrNotFound) {
			return fmt.Errorf("look up live batch by sha256: %w", err)
		}
		err = tx.queryRow(ctx, insertBatch, b.FileName, b.SHA256, b.User, micros(now),
			b.Direction, b.Partner, b.Marketplace, string(sheetsJSON),
			b.Rows, b.Facts, b.Items, b.WeightKg, string(notesJSON)).Scan(&id)
		if s.db.isUniqueViolation(err) {
			return ErrDuplicate
		}
		if err != nil {
			return fmt.Errorf("insert batch: %w", err)
		}
		if err := tx.insertFacts(ctx, id, facts); err != nil {
			return err
		}
		if err := historyBeforeCommit(ctx, tx, id, now); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, insertSupersessionsOfBatch, id); err != nil {
			return fmt.Errorf("record supersessions: %w", err)
		}
		if _, err := tx.exec(ctx, upsertLiveSeriesOfBatch, id); err != nil {
			return fmt.Errorf("update live series: %w", err)
		}
		if err := historyAfterCommit(ctx, tx, id, now); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, bumpDataVersion); err != nil {
			return fmt.Errorf("bump data version: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("commit batch %s: %w", b.FileName, err)
	}
	b.ID, b.CreatedAt = id, now
	if len(facts) >= analyzeAfterFacts {
		// The batch is committed whatever this answers; autovacuum
		// analyzes the tables later when this could not.
		_ = s.db.refreshStatistics(context.WithoutCancel(ctx))
	}
	return nil
}

// analyzeAfterFacts is the size of a batch after which the planner's
// statistics are refreshed at once.
const analyzeAfterFacts = 1000

const selectBatchUndoneAt = `SELECT undone_at FROM batches WHERE id = $1`

const markBatchUndone = `UPDATE batches SET undone_at = $2, undone_by = $3 WHERE id = $1`

const deleteLiveSeriesOfBatch = `DELETE FROM live_series WHERE batch_id = $1`

// restoreLiveSeriesAfterUndo gives every series-month of an undone batch that
// has lost its live value (those where the batch itself was live) the value
// of the newest batch still live that holds it.
const restoreLiveSeriesAfterUndo = `INSERT INTO live_series
    (month, direction, partner, category, marketplace, items, has_items, weight_kg, has_weight, batch_id)
SELECT f.month, f.direction, f.partner, f.category, f.marketplace,
    SUM(f.items), MAX(f.has_items), SUM(f.weight_kg), MAX(f.has_weight), f.batch_id
FROM (
    SELECT k.month, k.direction, k.partner, k.category, k.marketplace,
        (SELECT MAX(g.batch_id) FROM facts g JOIN batches b ON b.id = g.batch_id
         WHERE b.undone_at IS NULL AND g.month = k.month AND g.direction = k.direction
             AND g.partner = k.partner AND g.category = k.category AND g.marketplace = k.marketplace
        ) AS live_id
    FROM (
        SELECT DISTINCT u.month, u.direction, u.partner, u.category, u.marketplace
        FROM facts u
        WHERE u.batch_id = $1 AND NOT EXISTS (
            SELECT 1 FROM live_series l
            WHERE l.month = u.month AND l.direction = u.direction AND l.partner = u.partner
                AND l.category = u.category AND l.marketplace = u.marketplace)
    ) k
) w
JOIN facts f ON f.batch_id = w.live_id AND f.month = w.month AND f.direction = w.direction
    AND f.partner = w.partner AND f.category = w.category AND f.marketplace = w.marketplace
GROUP BY f.month, f.direction, f.partner, f.category, f.marketplace, f.batch_id`

// UndoBatch marks a batch undone and brings back what it superseded; see Store.
func (s *sqlStore) UndoBatch(ctx context.Context, id int64, user string) error {
	err := s.db.write(ctx, func(tx writeTx) error {
		now, err := s.eventTime(ctx, tx)
		if err != nil {
			return err
		}
		var undoneAt *int64
		if err := tx.queryRow(ctx, selectBatchUndoneAt, id).Scan(&undoneAt); err != nil {
			return err
		}
		if undoneAt != nil {
			return ErrAlreadyUndone
		}
		if _, err := tx.exec(ctx, markBatchUndone, id, micros(now), user); err != nil {
			return fmt.Errorf("mark undone: %w", err)
		}
		if err := historyBeforeUndo(ctx, tx, id, now); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, deleteLiveSeriesOfBatch, id); err != nil {
			return fmt.Errorf("drop live series: %w", err)
		}
		if _, err := tx.exec(ctx, restoreLiveSeriesAfterUndo, id); err != nil {
			return fmt.Errorf("restore live series: %w", err)
		}
		if err := historyAfterUndo(ctx, tx, id, now); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, bumpDataVersion); err != nil {
			return fmt.Errorf("bump data version: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("undo batch %d: %w", id, err)
	}
	return nil
}

const batchColumns = `id, file_name, sha256, user_name, created_at, direction, partner, marketplace,
    sheets, rows_read, fact_count, items, weight_kg, undone_at, undone_by, notes`

const selectBatchByID = `SELECT ` + batchColumns + ` FROM batches WHERE id = $1`

const selectLiveBatchBySHA = `SELECT ` + batchColumns + ` FROM batches WHERE sha256 = $1 AND undone_at IS NULL`

const selectBatchesNewestFirst = `SELECT ` + batchColumns + ` FROM batches ORDER BY id DESC`

func scanBatch(r scanner) (Batch, error) {
	var (
		b         Batch
		created   int64
		sheets    string
		notes     string
		undoneAt  *int64
		weightKg  float64
		rows, cnt int64
	)
	err := r.Scan(&b.ID, &b.FileName, &b.SHA256, &b.User, &created, &b.Direction, &b.Partner,
		&b.Marketplace, &sheets, &rows, &cnt, &b.Items, &weightKg, &undoneAt, &b.UndoneBy, &notes)
	if err != nil {
		return Batch{}, err
	}
	if err := json.Unmarshal([]byte(sheets), &b.Sheets); err != nil {
		return Batch{}, fmt.Errorf("batch %d: decode sheets: %w", b.ID, err)
	}
	if err := json.Unmarshal([]byte(notes), &b.Notes); err != nil {
		return Batch{}, fmt.Errorf("batch %d: decode notes: %w", b.ID, err)
	}
	if len(b.Notes) == 0 {
		b.Notes = nil
	}
	b.CreatedAt, b.UndoneAt = fromMicros(created), fromMicrosPtr(undoneAt)
	b.Rows, b.Facts, b.WeightKg = rows, cnt, weightKg
	return b, nil
}

// Batch returns one batch, or ErrNotFound.
func (s *sqlStore) Batch(ctx context.Context, id int64) (Batch, error) {
	b, err := scanBatch(s.db.queryRow(ctx, selectBatchByID, id))
	if err != nil {
		return Batch{}, fmt.Errorf("batch %d: %w", id, err)
	}
	return b, nil
}

// LiveBatchBySHA returns the live batch of a file, or ErrNotFound.
func (s *sqlStore) LiveBatchBySHA(ctx context.Context, sha string) (Batch, error) {
	b, err := scanBatch(s.db.queryRow(ctx, selectLiveBatchBySHA, sha))
	if err != nil {
		return Batch{}, fmt.Errorf("live batch with sha256 %s: %w", sha, err)
	}
	return b, nil
}

// Batches lists all batches, newest first.
func (s *sqlStore) Batches(ctx context.Context) ([]Batch, error) {
	rs, err := s.db.query(ctx, selectBatchesNewestFirst)
	if err != nil {
		return nil, fmt.Errorf("list batches: %w", err)
	}
	defer rs.Close()
	var out []Batch
	for rs.Next() {
		b, err := scanBatch(rs)
		if err != nil {
			return nil, fmt.Errorf("list batches: %w", err)
		}
		out = append(out, b)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("list batches: %w", err)
	}
	return out, nil
}

// selectLastBatchEvent is the time of the latest commit or undo, 0 when none.
const selectLastBatchEvent = `SELECT COALESCE(MAX(t), 0) FROM (
    SELECT MAX(created_at) AS t FROM batches UNION ALL SELECT MAX(undone_at) FROM batches) e`

// eventTime is the time a commit or undo in tx is stamped with: the
// store's clock, or a microsecond after the latest commit or undo when the
// clock is not past it (two writers read the clock, the later one took the
// write turn first). Events are so stamped in the order they are
// committed, and the data as of the time of the latest one (as_of, exact
// to the microsecond) are those of the data version it made.
func (s *sqlStore) eventTime(ctx context.Context, tx writeTx) (time.Time, error) {
	now := s.now()
	var last int64
	if err := tx.queryRow(ctx, selectLastBatchEvent).Scan(&last); err != nil {
		return now, fmt.Errorf("time of the latest commit or undo: %w", err)
	}
	if last > 0 && micros(now) <= last {
		now = fromMicros(last + 1)
	}
	return now, nil
}

// versionReader is a backend that reads the data version on connections
// of its own: every request asks for it, and would otherwise wait behind
// the long reads of exports and loads for one of the pool's.
type versionReader interface {
	dataVersion(ctx context.Context) (int64, error)
}

// selectDataState is the data version with the time of the latest commit or undo.
const selectDataState = `SELECT (SELECT value FROM meta WHERE name = 'data_version'), (` + selectLastBatchEvent + `)`

// DataVersion returns the counter every commit and undo bumps.
func (s *sqlStore) DataVersion(ctx context.Context) (int64, error) {
	if vr, ok := s.db.(versionReader); ok {
		v, err := vr.dataVersion(ctx)
		if err != nil {
			return 0, fmt.Errorf("data version: %w", err)
		}
		return v, nil
	}
	var v int64
	if err := s.db.queryRow(ctx, selectDataVersion).Scan(&v); err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}
