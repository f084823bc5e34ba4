package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"postdash/internal/postal"
)

// Totals, LiveSeries, Sources and MonthRange read live_series, the table of
// live values per series and month that commits and undos keep current, so
// their cost follows series × months, not the number of facts ever loaded.

// fieldColumn says how a query field maps onto live_series (alias l).
type fieldColumn struct {
	expr    string
	numeric bool                          // an integer column: month index or year
	format  func(n int64) string          // numeric value to its canonical text
	parse   func(s string) (int64, error) // canonical text to the numeric value
}

var fieldColumns = map[postal.Field]fieldColumn{
	postal.FieldPeriod: {expr: "l.month", numeric: true,
		format: func(n int64) string { return postal.MonthFromIndex(int(n)).String() },
		parse: func(s string) (int64, error) {
			m, err := postal.ParseMonth(s)
			return int64(m.Index()), err
		}},
	postal.FieldYear: {expr: "l.month / 12", numeric: true,
		format: func(n int64) string { return fmt.Sprintf("%04d", n) },
		parse:  parseYear},
	postal.FieldDirection:   {expr: "l.direction"},
	postal.FieldPartner:     {expr: "l.partner"},
	postal.FieldCategory:    {expr: "l.category"},
	postal.FieldMarketplace: {expr: "l.marketplace"},
}

func parseYear(s string) (int64, error) {
	y, err := strconv.Atoi(s)
	if err != nil || len(s) != 4 {
		return 0, fmt.Errorf("year %q: want YYYY", s)
	}
	return int64(y), nil
}

func columnOf(f postal.Field) (fieldColumn, error) {
	c, ok := fieldColumns[f]
	if !ok {
		return fieldColumn{}, fmt.Errorf("unknown field %q", f)
	}
	return c, nil
}

// liveFilter is the WHERE clause of q over live_series l, with its arguments.
// Fields are taken in a fixed order so the same query gives the same SQL.
// A field with an empty value list does not filter.
func liveFilter(q Query) (string, []any, error) {
	var conds []string
	var args []any
	param := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if !q.From.IsZero() {
		conds = append(conds, "l.month >= "+param(int64(q.From.Index())))
	}
	if !q.To.IsZero() {
		conds = append(conds, "l.month <= "+param(int64(q.To.Index())))
	}
	for _, f := range postal.Fields {
		values := q.Where[f]
		if len(values) == 0 {
			continue
		}
		col := fieldColumns[f]
		ps := make([]string, len(values))
		for i, v := range values {
			if !col.numeric {
				ps[i] = param(v)
				continue
			}
			n, err := col.parse(v)
			if err != nil {
				return "", nil, fmt.Errorf("where %s: %w", f, err)
			}
			ps[i] = param(n)
		}
		conds = append(conds, col.expr+" IN ("+strings.Join(ps, ", ")+")")
	}
	for f := range q.Where {
		if _, err := columnOf(f); err != nil {
			return "", nil, fmt.Errorf("where: %w", err)
		}
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// totalsSQL sums live values grouped by q.By.
func totalsSQL(q Query) (string, []any, error) {
	var sel, group []string
	for i, f := range q.By {
		c, err := columnOf(f)
		if err != nil {
			return "", nil, fmt.Errorf("group by: %w", err)
		}
		sel = append(sel, c.expr)
		group = append(group, strconv.Itoa(i+1))
	}
	sel = append(sel, "CAST(COALESCE(SUM(l.items), 0) AS BIGINT)", "COALESCE(SUM(l.weight_kg), 0)",
		"COALESCE(MAX(l.has_items), 0)", "COALESCE(MAX(l.has_weight), 0)")
	from, where, args, err := liveSource(q)
	if err != nil {
		return "", nil, err
	}
	sql := "SELECT " + strings.Join(sel, ", ") + " FROM " + from + where
	if len(group) > 0 {
		sql += " GROUP BY " + strings.Join(group, ", ")
	}
	return sql, args, nil
}

// Totals sums live facts grouped by q.By, ordered by the group values. With
// no By it returns one row of grand totals.
func (s *sqlStore) Totals(ctx context.Context, q Query) ([]Total, error) {
	sql, args, err := totalsSQL(q)
	if err != nil {
		return nil, fmt.Errorf("totals: %w", err)
	}
	rs, err := s.db.query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("totals: %w", err)
	}
	defer rs.Close()
	var out []Total
	for rs.Next() {
		if q.MaxRows > 0 && len(out) >= q.MaxRows {
			return nil, fmt.Errorf("totals: %w (%d)", ErrTooManyRows, q.MaxRows)
		}
		t, err := scanTotal(rs, q.By)
		if err != nil {
			return nil, fmt.Errorf("totals: %w", err)
		}
		out = append(out, t)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("totals: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		for _, f := range q.By {
			if a, b := out[i].Group[f], out[j].Group[f]; a != b {
				return a < b
			}
		}
		return false
	})
	return out, nil
}

func scanTotal(rs rows, by []postal.Field) (Total, error) {
	nums := make([]int64, len(by))
	texts := make([]string, len(by))
	dest := make([]any, 0, len(by)+4)
	for i, f := range by {
		if fieldColumns[f].numeric {
			dest = append(dest, &nums[i])
		} else {
			dest = append(dest, &texts[i])
		}
	}
	var t Total
	var hasItems, hasWeight int64
	dest = append(dest, &t.Items, &t.WeightKg, &hasItems, &hasWeight)
	if err := rs.Scan(dest...); err != nil {
		return Total{}, err
	}
	t.HasItems, t.HasWeight = hasItems != 0, hasWeight != 0
	t.Group = make(map[postal.Field]string, len(by))
	for i, f := range by {
		if c := fieldColumns[f]; c.numeric {
			texts[i] = c.format(nums[i])
		}
		t.Group[f] = texts[i]
	}
	return t, nil
}

const selectLiveSeries = `SELECT l.month, l.direction, l.partner, l.category, l.marketplace,
    l.items, l.has_items, l.weight_kg, l.has_weight
FROM `

// LiveSeries returns the live value of each series in each month matching q,
// ordered by month then series.
func (s *sqlStore) LiveSeries(ctx context.Context, q Query) ([]SeriesMonth, error) {
	from, where, args, err := liveSource(q)
	if err != nil {
		return nil, fmt.Errorf("live series: %w", err)
	}
	rs, err := s.db.query(ctx, selectLiveSeries+from+where, args...)
	if err != nil {
		return nil, fmt.Errorf("live series: %w", err)
	}
	defer rs.Close()
	var out []SeriesMonth
	for rs.Next() {
		var (
			sm                  SeriesMonth
			month               int64
			dir, cat            string
			hasItems, hasWeight int64
		)
		if err := rs.Scan(&month, &dir, &sm.Partner, &cat, &sm.Marketplace,
			&sm.Items, &hasItems, &sm.WeightKg, &hasWeight); err != nil {
			return nil, fmt.Errorf("live series: %w", err)
		}
		sm.Month = postal.MonthFromIndex(int(month))
		sm.Direction, sm.Category = postal.Direction(dir), postal.Category(cat)
		sm.HasItems, sm.HasWeight = hasItems != 0, hasWeight != 0
		if q.MaxRows > 0 && len(out) >= q.MaxRows {
			return nil, fmt.Errorf("live series: %w (%d)", ErrTooManyRows, q.MaxRows)
		}
		out = append(out, sm)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("live series: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return seriesMonthLess(out[i], out[j]) })
	return out, nil
}

func seriesMonthLess(a, b SeriesMonth) bool {
	if a.Month != b.Month {
		return a.Month.Before(b.Month)
	}
	if a.Direction != b.Direction {
		return a.Direction < b.Direction
	}
	if a.Partner != b.Partner {
		return a.Partner < b.Partner
	}
	if a.Category != b.Category {
		return a.Category < b.Category
	}
	return a.Marketplace < b.Marketplace
}

// selectSourcesOfLiveSeries and groupSourcesOfLiveSeries, with liveFilter's
// WHERE between them, count per batch and sheet the facts behind the live
// series-months the filter keeps. The live rows are read first and each is
// looked up in facts (MATERIALIZED, then CROSS JOIN, whose order SQLite
// keeps): left to itself, SQLite's planner, which has no statistics, scans
// every fact ever loaded and looks each up in live_series, so that the
// overview would slow down with every superseded batch.
const selectSourcesOfLiveSeries = `WITH live AS MATERIALIZED (
    SELECT l.batch_id, l.month, l.direction, l.partner, l.category, l.marketplace
    FROM `

const groupSourcesOfLiveSeries = `)
SELECT f.batch_id, b.file_name, f.sheet, b.user_name, b.created_at, COUNT(*)
FROM live l
CROSS JOIN facts f
JOIN batches b ON b.id = f.batch_id
WHERE f.batch_id = l.batch_id AND f.month = l.month AND f.direction = l.direction
    AND f.partner = l.partner AND f.category = l.category AND f.marketplace = l.marketplace
GROUP BY f.batch_id, b.file_name, f.sheet, b.user_name, b.created_at`

// Sources lists, per batch and sheet, the live facts matching q, ordered by
// batch then sheet.
func (s *sqlStore) Sources(ctx context.Context, q Query) ([]Source, error) {
	from, where, args, err := liveSource(q)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	rs, err := s.db.query(ctx, selectSourcesOfLiveSeries+from+where+groupSourcesOfLiveSeries, args...)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	defer rs.Close()
	var out []Source
	for rs.Next() {
		var src Source
		var at int64
		if err := rs.Scan(&src.BatchID, &src.FileName, &src.Sheet, &src.User, &at, &src.Facts); err != nil {
			return nil, fmt.Errorf("sources: %w", err)
		}
		src.At = fromMicros(at)
		out = append(out, src)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].BatchID != out[j].BatchID {
			return out[i].BatchID < out[j].BatchID
		}
		return out[i].Sheet < out[j].Sheet
	})
	return out, nil
}

// selectLiveFactsOfLiveSeries and orderLiveFacts, with liveFilter's WHERE
// between them, list the facts behind the live series-months the filter
// keeps (read as Sources reads them: the live rows first).
const selectLiveFactsOfLiveSeries = `WITH live AS MATERIALIZED (
    SELECT l.batch_id, l.month, l.direction, l.partner, l.category, l.marketplace
    FROM `

const orderLiveFacts = `)
SELECT f.batch_id, b.file_name, b.sha256, b.user_name, b.created_at, f.month, f.direction, f.partner,
    f.category, f.marketplace, f.sheet, f.items, f.has_items, f.weight_kg, f.has_weight, f.note, f.source
FROM live l
CROSS JOIN facts f
JOIN batches b ON b.id = f.batch_id
WHERE f.batch_id = l.batch_id AND f.month = l.month AND f.direction = l.direction
    AND f.partner = l.partner AND f.category = l.category AND f.marketplace = l.marketplace
ORDER BY f.month, f.direction, f.partner, f.category, f.marketplace, f.batch_id, f.sheet`

// LiveFacts lists the facts behind the live values matching q.
func (s *sqlStore) LiveFacts(ctx context.Context, q Query) ([]TracedFact, error) {
	from, where, args, err := liveSource(q)
	if err != nil {
		return nil, fmt.Errorf("live facts: %w", err)
	}
	rs, err := s.db.query(ctx, selectLiveFactsOfLiveSeries+from+where+orderLiveFacts, args...)
	if err != nil {
		return nil, fmt.Errorf("live facts: %w", err)
	}
	defer rs.Close()
	var out []TracedFact
	for rs.Next() {
		var (
			tf                  TracedFact
			at, month           int64
			dir, cat            string
			hasItems, hasWeight int64
		)
		if q.MaxRows > 0 && len(out) >= q.MaxRows {
			return nil, fmt.Errorf("live facts: %w (%d)", ErrTooManyRows, q.MaxRows)
		}
		if err := rs.Scan(&tf.BatchID, &tf.FileName, &tf.SHA256, &tf.User, &at, &month, &dir, &tf.Partner,
			&cat, &tf.Marketplace, &tf.Sheet, &tf.Items, &hasItems, &tf.WeightKg, &hasWeight, &tf.Note, &tf.Source); err != nil {
			return nil, fmt.Errorf("live facts: %w", err)
		}
		tf.At = fromMicros(at)
		tf.Month = postal.MonthFromIndex(int(month))
		tf.Direction, tf.Category = postal.Direction(dir), postal.Category(cat)
		tf.HasItems, tf.HasWeight = hasItems != 0, hasWeight != 0
		out = append(out, tf)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("live facts: %w", err)
	}
	return out, nil
}

const selectLiveMonthRange = `SELECT COALESCE(MIN(month), -1), COALESCE(MAX(month), -1) FROM live_series`

// MonthRange returns the first and last month with live data (zero months when none).
func (s *sqlStore) MonthRange(ctx context.Context) (first, last postal.Month, err error) {
	var lo, hi int64
	if err := s.db.queryRow(ctx, selectLiveMonthRange).Scan(&lo, &hi); err != nil {
		return first, last, fmt.Errorf("month range: %w", err)
	}
	if lo < 0 {
		return first, last, nil
	}
	return postal.MonthFromIndex(int(lo)), postal.MonthFromIndex(int(hi)), nil
}

// groupColumns are the fields LiveGroups can group by, with their column.
var groupColumns = map[postal.Field]string{
	postal.FieldPeriod: "l.month", postal.FieldDirection: "l.direction", postal.FieldPartner: "l.partner",
	postal.FieldCategory: "l.category", postal.FieldMarketplace: "l.marketplace",
}

// LiveGroups adds up the live values matching q per value of q.By. The
// weight is summed in whole milligrams (the importer rounds each value to
// the milligram), so that the sum is exact and the same on both backends
// whatever order the database adds in.
func (s *sqlStore) LiveGroups(ctx context.Context, q Query) ([]SeriesGroup, error) {
	var sel, group []string
	for i, f := range q.By {
		col, ok := groupColumns[f]
		if !ok {
			return nil, fmt.Errorf("live groups: cannot group by %q", f)
		}
		sel = append(sel, col)
		group = append(group, strconv.Itoa(i+1))
	}
	sel = append(sel, "CAST(COALESCE(SUM(CASE WHEN l.has_items <> 0 THEN l.items ELSE 0 END), 0) AS BIGINT)",
		"COALESCE(MAX(l.has_items), 0)",
		"CAST(COALESCE(SUM(CASE WHEN l.has_weight <> 0 THEN CAST(ROUND(l.weight_kg * 1000000) AS BIGINT) ELSE 0 END), 0) AS BIGINT)",
		"COALESCE(MAX(l.has_weight), 0)", "COUNT(*)")
	from, where, args, err := liveSource(q)
	if err != nil {
		return nil, fmt.Errorf("live groups: %w", err)
	}
	sql := "SELECT " + strings.Join(sel, ", ") + " FROM " + from + where
	if len(group) > 0 {
		sql += " GROUP BY " + strings.Join(group, ", ")
	}
	rs, err := s.db.query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("live groups: %w", err)
	}
	defer rs.Close()
	var out []SeriesGroup
	for rs.Next() {
		var (
			g                   SeriesGroup
			month, mg           int64
			dir, cat            string
			hasItems, hasWeight int64
		)
		dest := make([]any, 0, len(q.By)+5)
		for _, f := range q.By {
			switch f {
			case postal.FieldPeriod:
				dest = append(dest, &month)
			case postal.FieldDirection:
				dest = append(dest, &dir)
			case postal.FieldPartner:
				dest = append(dest, &g.Partner)
			case postal.FieldCategory:
				dest = append(dest, &cat)
			case postal.FieldMarketplace:
				dest = append(dest, &g.Marketplace)
			}
		}
		dest = append(dest, &g.Items, &hasItems, &mg, &hasWeight, &g.Count)
		if err := rs.Scan(dest...); err != nil {
			return nil, fmt.Errorf("live groups: %w", err)
		}
		if slices.Contains(q.By, postal.FieldPeriod) {
			g.Month = postal.MonthFromIndex(int(month))
		}
		g.Direction, g.Category = postal.Direction(dir), postal.Category(cat)
		g.WeightKg = float64(mg) / 1e6
		g.HasItems, g.HasWeight = hasItems != 0, hasWeight != 0
		if g.Count == 0 { // no By and nothing matched: no group
			continue
		}
		out = append(out, g)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("live groups: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return seriesMonthLess(out[i].SeriesMonth, out[j].SeriesMonth) })
	return out, nil
}
