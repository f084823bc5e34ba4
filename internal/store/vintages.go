package store

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"postdash/internal/postal"
)

// Vintages: series_history keeps, per series-month, which batch's value was
// live from when to when (see migration 0007). CommitBatch and UndoBatch
// keep it in the same transaction as live_series; a Query with AsOf reads
// it instead of live_series.

// openUntil is live_until of a history row that is live now.
const openUntil = math.MaxInt64

// keySeriesOfBatch adds the series-months a batch holds to series_keys.
const keySeriesOfBatch = `INSERT INTO series_keys (month, direction, partner, category, marketplace)
SELECT DISTINCT month, direction, partner, category, marketplace FROM facts WHERE batch_id = $1
ON CONFLICT (month, direction, partner, category, marketplace) DO NOTHING`

// closeHistoryOfBatchSeries ends, at $2, the live rows of the series-months
// batch $1 holds (which the batch is about to supersede). The batch's
// series-months drive the join, each seeking its live row by the key index
// (a row-value IN would let SQLite use the month only, and scan history).
const closeHistoryOfBatchSeries = `UPDATE series_history SET live_until = $2
FROM (SELECT DISTINCT month, direction, partner, category, marketplace FROM facts WHERE batch_id = $1) n
WHERE series_history.month = n.month AND series_history.direction = n.direction
    AND series_history.partner = n.partner AND series_history.category = n.category
    AND series_history.marketplace = n.marketplace
    AND series_history.live_until = 9223372036854775807`

// openHistoryOfBatch starts, at $2, a row for every live value of batch $1.
const openHistoryOfBatch = `INSERT INTO series_history (month, direction, partner, category, marketplace,
    items, has_items, weight_kg, has_weight, batch_id, live_from, live_until)
SELECT month, direction, partner, category, marketplace, items, has_items, weight_kg, has_weight,
    batch_id, $2, 9223372036854775807
FROM live_series WHERE batch_id = $1`

// closeHistoryOfUndoneBatch ends, at $2, the rows where batch $1 is live.
const closeHistoryOfUndoneBatch = `UPDATE series_history SET live_until = $2
WHERE batch_id = $1 AND live_until = 9223372036854775807`

// openHistoryAfterUndo starts, at $2, a row for each value an undo of
// batch $1 brought back (where the batch was live until $2).
const openHistoryAfterUndo = `INSERT INTO series_history (month, direction, partner, category, marketplace,
    items, has_items, weight_kg, has_weight, batch_id, live_from, live_until)
SELECT l.month, l.direction, l.partner, l.category, l.marketplace, l.items, l.has_items,
    l.weight_kg, l.has_weight, l.batch_id, $2, 9223372036854775807
FROM series_history h
JOIN live_series l ON l.month = h.month AND l.direction = h.direction AND l.partner = h.partner
    AND l.category = h.category AND l.marketplace = h.marketplace
WHERE h.batch_id = $1 AND h.live_until = $2`

// historyBeforeCommit runs in CommitBatch before live_series changes.
func historyBeforeCommit(ctx context.Context, tx writeTx, id int64, now time.Time) error {
	if _, err := tx.exec(ctx, keySeriesOfBatch, id); err != nil {
		return fmt.Errorf("record series keys: %w", err)
	}
	if _, err := tx.exec(ctx, closeHistoryOfBatchSeries, id, micros(now)); err != nil {
		return fmt.Errorf("close superseded history: %w", err)
	}
	return nil
}

// historyAfterCommit runs in CommitBatch after live_series changed.
func historyAfterCommit(ctx context.Context, tx writeTx, id int64, now time.Time) error {
	if _, err := tx.exec(ctx, openHistoryOfBatch, id, micros(now)); err != nil {
		return fmt.Errorf("open history: %w", err)
	}
	return nil
}

// historyBeforeUndo runs in UndoBatch before live_series changes.
func historyBeforeUndo(ctx context.Context, tx writeTx, id int64, now time.Time) error {
	if _, err := tx.exec(ctx, closeHistoryOfUndoneBatch, id, micros(now)); err != nil {
		return fmt.Errorf("close history of undone batch: %w", err)
	}
	return nil
}

// historyAfterUndo runs in UndoBatch after live_series was restored.
func historyAfterUndo(ctx context.Context, tx writeTx, id int64, now time.Time) error {
	if _, err := tx.exec(ctx, openHistoryAfterUndo, id, micros(now)); err != nil {
		return fmt.Errorf("open restored history: %w", err)
	}
	return nil
}

// asOfMicros is the time a query reads the data at: AsOf, or the end of
// time for live data (every batch committed, none undone later).
func asOfMicros(q Query) int64 {
	if q.AsOf.IsZero() {
		return openUntil
	}
	return micros(q.AsOf)
}

// liveSource returns what a query over live values reads as l, with the
// WHERE clause to put after it and the arguments of both: live_series for
// live data; for a query AsOf a time T, each series-month's history row
// live at T (its row with the first live_until after T, when that row had
// started by T), sought through series_keys.
func liveSource(q Query) (from, where string, args []any, err error) {
	where, args, err = liveFilter(q)
	if err != nil || q.AsOf.IsZero() {
		return "live_series l", where, args, err
	}
	args = append(args, micros(q.AsOf))
	t := "$" + strconv.Itoa(len(args))
	if where == "" {
		where = " WHERE "
	} else {
		where += " AND "
	}
	from = `(SELECT h.month, h.direction, h.partner, h.category, h.marketplace,
        h.items, h.has_items, h.weight_kg, h.has_weight, h.batch_id
    FROM series_keys l
    CROSS JOIN series_history h` + where + `h.month = l.month AND h.direction = l.direction AND h.partner = l.partner
        AND h.category = l.category AND h.marketplace = l.marketplace
        AND h.live_until = (SELECT x.live_until FROM series_history x
            WHERE x.month = l.month AND x.direction = l.direction AND x.partner = l.partner
                AND x.category = l.category AND x.marketplace = l.marketplace AND x.live_until > ` + t + `
            ORDER BY x.live_until LIMIT 1)
        AND h.live_from <= ` + t + `) l`
	return from, "", args, nil
}

// MonthRangeAt returns the first and last month holding live facts at
// time at (zero: now), zero months when none.
func (s *sqlStore) MonthRangeAt(ctx context.Context, at time.Time) (first, last postal.Month, err error) {
	if at.IsZero() {
		return s.MonthRange(ctx)
	}
	from, where, args, err := liveSource(Query{AsOf: at})
	if err != nil {
		return first, last, fmt.Errorf("month range: %w", err)
	}
	var lo, hi int64
	if err := s.db.queryRow(ctx, `SELECT COALESCE(MIN(l.month), -1), COALESCE(MAX(l.month), -1) FROM `+from+where, args...).Scan(&lo, &hi); err != nil {
		return first, last, fmt.Errorf("month range as of %s: %w", at, err)
	}
	if lo < 0 {
		return first, last, nil
	}
	return postal.MonthFromIndex(int(lo)), postal.MonthFromIndex(int(hi)), nil
}

// SeriesFlag says what marks a live value (at q.AsOf) carries.
type SeriesFlag struct {
	Month postal.Month
	postal.Series
	Live  SeriesMonth // the live value
	Batch int64       // the batch whose value is live
	// Revised: the live value differs from the first published one, that
	// of the oldest batch holding the series-month that was committed by
	// then and not undone by then; First is that value, FirstBatch its batch.
	Revised    bool
	First      SeriesMonth
	FirstBatch int64
	Note       string // a note the live value's sheet gave it ("preliminary"), "" when none
}

// flagsSQL lists, per live series-month of the source, its batch, the
// first published batch and one note of its facts; then the first batch's
// value where it is another batch.
const flagsSQL = `WITH live AS MATERIALIZED (
    SELECT l.month, l.direction, l.partner, l.category, l.marketplace, l.items, l.has_items,
        l.weight_kg, l.has_weight, l.batch_id
    FROM %s%s
), firsts AS MATERIALIZED (
    SELECT l.*,
        (SELECT f.batch_id FROM facts f JOIN batches b ON b.id = f.batch_id
         WHERE f.month = l.month AND f.direction = l.direction AND f.partner = l.partner
             AND f.category = l.category AND f.marketplace = l.marketplace
             AND b.created_at <= $%d AND (b.undone_at IS NULL OR b.undone_at > $%d)
         ORDER BY f.batch_id LIMIT 1) AS first_id,
        COALESCE((SELECT MIN(n.note) FROM facts n
         WHERE n.batch_id = l.batch_id AND n.month = l.month AND n.direction = l.direction
             AND n.partner = l.partner AND n.category = l.category AND n.marketplace = l.marketplace
             AND n.note <> ''), '') AS note
    FROM live l
)
SELECT r.month, r.direction, r.partner, r.category, r.marketplace, r.items, r.has_items,
    r.weight_kg, r.has_weight, r.batch_id, r.first_id, r.note,
    CAST(COALESCE(SUM(f.items), 0) AS BIGINT), COALESCE(MAX(f.has_items), 0),
    COALESCE(SUM(f.weight_kg), 0), COALESCE(MAX(f.has_weight), 0)
FROM firsts r
LEFT JOIN facts f ON r.first_id <> r.batch_id AND f.batch_id = r.first_id AND f.month = r.month
    AND f.direction = r.direction AND f.partner = r.partner AND f.category = r.category
    AND f.marketplace = r.marketplace
WHERE r.first_id <> r.batch_id OR r.note <> ''
GROUP BY r.month, r.direction, r.partner, r.category, r.marketplace, r.items, r.has_items,
    r.weight_kg, r.has_weight, r.batch_id, r.first_id, r.note`

// SeriesFlags lists the live values matching q (at q.AsOf) that are revised
// or carry a note, ordered by month then series.
func (s *sqlStore) SeriesFlags(ctx context.Context, q Query) ([]SeriesFlag, error) {
	from, where, args, err := liveSource(q)
	if err != nil {
		return nil, fmt.Errorf("series flags: %w", err)
	}
	args = append(args, asOfMicros(q))
	n := len(args)
	rs, err := s.db.query(ctx, fmt.Sprintf(flagsSQL, from, where, n, n), args...)
	if err != nil {
		return nil, fmt.Errorf("series flags: %w", err)
	}
	defer rs.Close()
	var out []SeriesFlag
	for rs.Next() {
		var (
			fl               SeriesFlag
			live             SeriesMonth
			month            int64
			dir, cat         string
			hi, hw, fhi, fhw int64
			firstID          *int64
		)
		if err := rs.Scan(&month, &dir, &live.Partner, &cat, &live.Marketplace, &live.Items, &hi, &live.WeightKg, &hw,
			&fl.Batch, &firstID, &fl.Note, &fl.First.Items, &fhi, &fl.First.WeightKg, &fhw); err != nil {
			return nil, fmt.Errorf("series flags: %w", err)
		}
		live.Month = postal.MonthFromIndex(int(month))
		live.Direction, live.Category = postal.Direction(dir), postal.Category(cat)
		live.HasItems, live.HasWeight = hi != 0, hw != 0
		fl.Month, fl.Series, fl.Live = live.Month, live.Series, live
		fl.First.Month, fl.First.Series = live.Month, live.Series
		fl.First.HasItems, fl.First.HasWeight = fhi != 0, fhw != 0
		if firstID != nil && *firstID != fl.Batch {
			fl.FirstBatch = *firstID
			fl.Revised = !sameValue(live, fl.First)
		}
		if !fl.Revised && fl.Note == "" {
			continue
		}
		if q.MaxRows > 0 && len(out) >= q.MaxRows {
			return nil, fmt.Errorf("series flags: %w (%d)", ErrTooManyRows, q.MaxRows)
		}
		out = append(out, fl)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("series flags: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		return seriesMonthLess(SeriesMonth{Month: out[i].Month, Series: out[i].Series}, SeriesMonth{Month: out[j].Month, Series: out[j].Series})
	})
	return out, nil
}

// sameValue reports whether two values of a series-month say the same:
// the same measures, the same items, the same weight to the milligram.
func sameValue(a, b SeriesMonth) bool {
	return a.HasItems == b.HasItems && a.HasWeight == b.HasWeight &&
		(!a.HasItems || a.Items == b.Items) &&
		(!a.HasWeight || math.Abs(a.WeightKg-b.WeightKg) < 1e-6)
}

// SeriesVersion is one batch's value of a series-month: what a revision
// replaced, or replaces.
type SeriesVersion struct {
	SeriesMonth
	BatchID  int64
	FileName string
	User     string
	At       time.Time  // when the batch was committed
	UndoneAt *time.Time // when it was undone, if it was by the query's time
	UndoneBy string
}

const versionsSQL = `WITH live AS MATERIALIZED (
    SELECT l.month, l.direction, l.partner, l.category, l.marketplace
    FROM %s%s
)
SELECT f.month, f.direction, f.partner, f.category, f.marketplace, f.batch_id, b.file_name,
    b.user_name, b.created_at, b.undone_at, b.undone_by,
    CAST(SUM(f.items) AS BIGINT), MAX(f.has_items), SUM(f.weight_kg), MAX(f.has_weight)
FROM live l
CROSS JOIN facts f
JOIN batches b ON b.id = f.batch_id
WHERE f.month = l.month AND f.direction = l.direction AND f.partner = l.partner
    AND f.category = l.category AND f.marketplace = l.marketplace AND b.created_at <= $%d
GROUP BY f.month, f.direction, f.partner, f.category, f.marketplace, f.batch_id, b.file_name,
    b.user_name, b.created_at, b.undone_at, b.undone_by
ORDER BY f.month, f.direction, f.partner, f.category, f.marketplace, f.batch_id`

// SeriesVersions lists, for every live series-month matching q (at
// q.AsOf), the value of each batch that held it and was committed by
// then, undone or not, ordered by month, series and batch.
func (s *sqlStore) SeriesVersions(ctx context.Context, q Query) ([]SeriesVersion, error) {
	from, where, args, err := liveSource(q)
	if err != nil {
		return nil, fmt.Errorf("series versions: %w", err)
	}
	at := asOfMicros(q)
	args = append(args, at)
	rs, err := s.db.query(ctx, fmt.Sprintf(versionsSQL, from, where, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("series versions: %w", err)
	}
	defer rs.Close()
	var out []SeriesVersion
	for rs.Next() {
		var (
			v           SeriesVersion
			month, when int64
			undone      *int64
			dir, cat    string
			hi, hw      int64
		)
		if err := rs.Scan(&month, &dir, &v.Partner, &cat, &v.Marketplace, &v.BatchID, &v.FileName, &v.User, &when, &undone, &v.UndoneBy,
			&v.Items, &hi, &v.WeightKg, &hw); err != nil {
			return nil, fmt.Errorf("series versions: %w", err)
		}
		v.Month = postal.MonthFromIndex(int(month))
		v.Direction, v.Category = postal.Direction(dir), postal.Category(cat)
		v.HasItems, v.HasWeight = hi != 0, hw != 0
		v.At = fromMicros(when)
		if undone != nil && *undone <= at {
			v.UndoneAt = fromMicrosPtr(undone)
		} else {
			v.UndoneBy = ""
		}
		if q.MaxRows > 0 && len(out) >= q.MaxRows {
			return nil, fmt.Errorf("series versions: %w (%d)", ErrTooManyRows, q.MaxRows)
		}
		out = append(out, v)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("series versions: %w", err)
	}
	return out, nil
}
