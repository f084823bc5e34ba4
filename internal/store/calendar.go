package store

import (
	"context"
	"fmt"
	"time"

	"postdash/internal/postal"
)

// Schedule says when a month's figures are due for one partner and category
// ("" is every partner or every category).
type Schedule struct {
	ID       int64
	Partner  string
	Category string
	Rule     string       // "day": day N of the month after; "after": N days after the month's end
	N        int          // the day, or the days
	From     postal.Month // the first month it applies to (zero: every month)
	User     string       // who set it last
	At       time.Time    // when
}

// Annotation is an analyst's short note on a month, optionally on one
// partner or category ("" is all).
type Annotation struct {
	ID        int64
	Month     postal.Month
	Partner   string
	Category  string
	Text      string
	CreatedBy string
	CreatedAt time.Time
	UpdatedBy string     // "" until edited
	UpdatedAt *time.Time // nil until edited
}

// Receipt is when a category and partner's month was first received: the
// earliest committed batch, not undone, holding any of its series.
type Receipt struct {
	Month    postal.Month
	Category postal.Category
	Partner  string
	At       time.Time
	Batch    int64
}

// Calendar is the reporting schedule, the analysts' notes on months and
// what the batch history says of when months arrived.
type Calendar interface {
	// Schedules lists the schedule, by partner then category.
	Schedules(ctx context.Context) ([]Schedule, error)
	// PutSchedule sets the rule of sc's partner and category (replacing
	// the one there) and returns it with its id.
	PutSchedule(ctx context.Context, sc Schedule) (Schedule, error)
	// DeleteSchedule removes a rule; ErrNotFound when there is none.
	DeleteSchedule(ctx context.Context, id int64) (Schedule, error)
	// Annotations lists the notes on months from..to (zero: open-ended), by month then id.
	Annotations(ctx context.Context, from, to postal.Month) ([]Annotation, error)
	// Annotation returns one note, or ErrNotFound.
	Annotation(ctx context.Context, id int64) (Annotation, error)
	// AddAnnotation stores a new note (CreatedAt is set) and returns it with its id.
	AddAnnotation(ctx context.Context, a Annotation) (Annotation, error)
	// UpdateAnnotation rewrites a note's month, scope and text (by, now); ErrNotFound when there is none.
	UpdateAnnotation(ctx context.Context, a Annotation, by string) (Annotation, error)
	// DeleteAnnotation removes a note and returns what it was; ErrNotFound when there is none.
	DeleteAnnotation(ctx context.Context, id int64) (Annotation, error)
	// Receipts lists, for every category, partner and month with live
	// values matching q (By is ignored), when it was first received.
	Receipts(ctx context.Context, q Query) ([]Receipt, error)
	// MarkedMonths lists the months holding a live value matching q whose
	// sheet marked it (a footnote such as "* preliminary"), in order.
	MarkedMonths(ctx context.Context, q Query) ([]postal.Month, error)
}

// Every change to the schedule or the notes bumps the data version too, so
// that cached pages and ETags showing them are renewed.

const selectSchedules = `SELECT id, partner, category, rule, n, from_month, user_name, updated_at
FROM report_schedules ORDER BY partner, category`

const upsertSchedule = `INSERT INTO report_schedules (partner, category, rule, n, from_month, user_name, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (partner, category) DO UPDATE SET rule = excluded.rule, n = excluded.n,
    from_month = excluded.from_month, user_name = excluded.user_name, updated_at = excluded.updated_at
RETURNING id`

const selectScheduleByID = `SELECT id, partner, category, rule, n, from_month, user_name, updated_at
FROM report_schedules WHERE id = $1`

const deleteScheduleByID = `DELETE FROM report_schedules WHERE id = $1`

func monthIndexOrNone(m postal.Month) int64 {
	if m.IsZero() {
		return -1
	}
	return int64(m.Index())
}

func monthOrZero(i int64) postal.Month {
	if i < 0 {
		return postal.Month{}
	}
	return postal.MonthFromIndex(int(i))
}

func scanSchedule(sc scanner) (Schedule, error) {
	var s Schedule
	var from, at int64
	if err := sc.Scan(&s.ID, &s.Partner, &s.Category, &s.Rule, &s.N, &from, &s.User, &at); err != nil {
		return s, err
	}
	s.From, s.At = monthOrZero(from), fromMicros(at)
	return s, nil
}

// Schedules lists the schedule.
func (s *sqlStore) Schedules(ctx context.Context) ([]Schedule, error) {
	rs, err := s.db.query(ctx, selectSchedules)
	if err != nil {
		return nil, fmt.Errorf("schedules: %w", err)
	}
	defer rs.Close()
	var out []Schedule
	for rs.Next() {
		sc, err := scanSchedule(rs)
		if err != nil {
			return nil, fmt.Errorf("schedules: %w", err)
		}
		out = append(out, sc)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("schedules: %w", err)
	}
	return out, nil
}

// PutSchedule sets the rule of a partner and category.
func (s *sqlStore) PutSchedule(ctx context.Context, sc Schedule) (Schedule, error) {
	sc.At = s.now()
	err := s.db.write(ctx, func(tx writeTx) error {
		if err := tx.queryRow(ctx, upsertSchedule, sc.Partner, sc.Category, sc.Rule, int64(sc.N),
			monthIndexOrNone(sc.From), sc.User, micros(sc.At)).Scan(&sc.ID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, bumpDataVersion)
		return err
	})
	if err != nil {
		return sc, fmt.Errorf("put schedule: %w", err)
	}
	return sc, nil
}

// DeleteSchedule removes a rule.
func (s *sqlStore) DeleteSchedule(ctx context.Context, id int64) (Schedule, error) {
	var sc Schedule
	err := s.db.write(ctx, func(tx writeTx) error {
		var err error
		if sc, err = scanSchedule(tx.queryRow(ctx, selectScheduleByID, id)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, deleteScheduleByID, id); err != nil {
			return err
		}
		_, err = tx.exec(ctx, bumpDataVersion)
		return err
	})
	if err != nil {
		return sc, fmt.Errorf("delete schedule %d: %w", id, err)
	}
	return sc, nil
}

const annotationColumns = `id, month, partner, category, text, created_by, created_at, updated_by, updated_at`

const selectAnnotationsBetween = `SELECT ` + annotationColumns + ` FROM annotations
WHERE month >= $1 AND month <= $2 ORDER BY month, id`

const selectAnnotationByID = `SELECT ` + annotationColumns + ` FROM annotations WHERE id = $1`

const insertAnnotation = `INSERT INTO annotations (month, partner, category, text, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`

const updateAnnotationByID = `UPDATE annotations SET month = $2, partner = $3, category = $4, text = $5,
    updated_by = $6, updated_at = $7 WHERE id = $1`

const deleteAnnotationByID = `DELETE FROM annotations WHERE id = $1`

func scanAnnotation(sc scanner) (Annotation, error) {
	var a Annotation
	var month, at int64
	var upd *int64
	if err := sc.Scan(&a.ID, &month, &a.Partner, &a.Category, &a.Text, &a.CreatedBy, &at, &a.UpdatedBy, &upd); err != nil {
		return a, err
	}
	a.Month, a.CreatedAt, a.UpdatedAt = postal.MonthFromIndex(int(month)), fromMicros(at), fromMicrosPtr(upd)
	return a, nil
}

// Annotations lists the notes on months from..to.
func (s *sqlStore) Annotations(ctx context.Context, from, to postal.Month) ([]Annotation, error) {
	lo, hi := int64(-1<<31), int64(1<<31-1)
	if !from.IsZero() {
		lo = int64(from.Index())
	}
	if !to.IsZero() {
		hi = int64(to.Index())
	}
	rs, err := s.db.query(ctx, selectAnnotationsBetween, lo, hi)
	if err != nil {
		return nil, fmt.Errorf("annotations: %w", err)
	}
	defer rs.Close()
	var out []Annotation
	for rs.Next() {
		a, err := scanAnnotation(rs)
		if err != nil {
			return nil, fmt.Errorf("annotations: %w", err)
		}
		out = append(out, a)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("annotations: %w", err)
	}
	return out, nil
}

// Annotation returns one note.
func (s *sqlStore) Annotation(ctx context.Context, id int64) (Annotation, error) {
	a, err := scanAnnotation(s.db.queryRow(ctx, selectAnnotationByID, id))
	if err != nil {
		return a, fmt.Errorf("annotation %d: %w", id, err)
	}
	return a, nil
}

// AddAnnotation stores a new note.
func (s *sqlStore) AddAnnotation(ctx context.Context, a Annotation) (Annotation, error) {
	a.CreatedAt, a.UpdatedBy, a.UpdatedAt = s.now(), "", nil
	err := s.db.write(ctx, func(tx writeTx) error {
		if err := tx.queryRow(ctx, insertAnnotation, int64(a.Month.Index()), a.Partner, a.Category, a.Text,
			a.CreatedBy, micros(a.CreatedAt)).Scan(&a.ID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, bumpDataVersion)
		return err
	})
	if err != nil {
		return a, fmt.Errorf("add annotation: %w", err)
	}
	return a, nil
}

// UpdateAnnotation rewrites a note.
func (s *sqlStore) UpdateAnnotation(ctx context.Context, a Annotation, by string) (Annotation, error) {
	var out Annotation
	now := s.now()
	err := s.db.write(ctx, func(tx writeTx) error {
		n, err := tx.exec(ctx, updateAnnotationByID, a.ID, int64(a.Month.Index()), a.Partner, a.Category, a.Text, by, micros(now))
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if out, err = scanAnnotation(tx.queryRow(ctx, selectAnnotationByID, a.ID)); err != nil {
			return err
		}
		_, err = tx.exec(ctx, bumpDataVersion)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("update annotation %d: %w", a.ID, err)
	}
	return out, nil
}

// DeleteAnnotation removes a note.
func (s *sqlStore) DeleteAnnotation(ctx context.Context, id int64) (Annotation, error) {
	var a Annotation
	err := s.db.write(ctx, func(tx writeTx) error {
		var err error
		if a, err = scanAnnotation(tx.queryRow(ctx, selectAnnotationByID, id)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, deleteAnnotationByID, id); err != nil {
			return err
		}
		_, err = tx.exec(ctx, bumpDataVersion)
		return err
	})
	if err != nil {
		return a, fmt.Errorf("delete annotation %d: %w", id, err)
	}
	return a, nil
}

// receiptsSQL finds for each live category, partner and month the
// earliest batch not undone that holds any of its series (superseded or
// live: a correction does not move the day a month arrived; an undone
// batch never counts). The batches that ever held a live series-month are
// the one live there now and those recorded as superseded there, so the
// query reads live_series and supersessions (a row per series-month and
// batch), never the facts (a row per sheet). where is liveFilter's, used
// twice with the same arguments.
func receiptsSQL(where string) string {
	return `WITH held AS (
    SELECT l.month, l.category, l.partner, l.batch_id FROM live_series l` + where + `
    UNION ALL
    SELECT l.month, l.category, l.partner, s.superseded_batch_id
    FROM supersessions s
    JOIN live_series l ON l.month = s.month AND l.direction = s.direction AND l.partner = s.partner
        AND l.category = s.category AND l.marketplace = s.marketplace` + where + `
)
SELECT h.month, h.category, h.partner, MIN(b.created_at), MIN(b.id)
FROM held h
JOIN batches b ON b.id = h.batch_id AND b.undone_at IS NULL
GROUP BY h.month, h.category, h.partner
ORDER BY h.month, h.category, h.partner`
}

// Receipts lists when each category, partner and month was first received.
func (s *sqlStore) Receipts(ctx context.Context, q Query) ([]Receipt, error) {
	where, args, err := liveFilter(q)
	if err != nil {
		return nil, fmt.Errorf("receipts: %w", err)
	}
	rs, err := s.db.query(ctx, receiptsSQL(where), args...)
	if err != nil {
		return nil, fmt.Errorf("receipts: %w", err)
	}
	defer rs.Close()
	var out []Receipt
	for rs.Next() {
		var r Receipt
		var month, at int64
		var cat string
		if err := rs.Scan(&month, &cat, &r.Partner, &at, &r.Batch); err != nil {
			return nil, fmt.Errorf("receipts: %w", err)
		}
		r.Month, r.Category, r.At = postal.MonthFromIndex(int(month)), postal.Category(cat), fromMicros(at)
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("receipts: %w", err)
	}
	return out, nil
}

// selectMarkedMonths and its tail, with liveFilter's WHERE between them,
// list the months where a fact behind a live value carries a mark.
const selectMarkedMonths = `WITH live AS MATERIALIZED (
    SELECT l.batch_id, l.month, l.direction, l.partner, l.category, l.marketplace
    FROM live_series l`

const selectMarkedMonthsTail = `)
SELECT DISTINCT f.month
FROM live l
CROSS JOIN facts f
WHERE f.batch_id = l.batch_id AND f.month = l.month AND f.direction = l.direction
    AND f.partner = l.partner AND f.category = l.category AND f.marketplace = l.marketplace
    AND f.note <> ''
ORDER BY f.month`

// MarkedMonths lists the months holding a marked live value.
func (s *sqlStore) MarkedMonths(ctx context.Context, q Query) ([]postal.Month, error) {
	where, args, err := liveFilter(q)
	if err != nil {
		return nil, fmt.Errorf("marked months: %w", err)
	}
	rs, err := s.db.query(ctx, selectMarkedMonths+where+selectMarkedMonthsTail, args...)
	if err != nil {
		return nil, fmt.Errorf("marked months: %w", err)
	}
	defer rs.Close()
	var out []postal.Month
	for rs.Next() {
		var m int64
		if err := rs.Scan(&m); err != nil {
			return nil, fmt.Errorf("marked months: %w", err)
		}
		out = append(out, postal.MonthFromIndex(int(m)))
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("marked months: %w", err)
	}
	return out, nil
}
