package stats

import (
	"context"
	"fmt"
	"time"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// Overview is what the overview page and its exports show for one filter.
type Overview struct {
	Filter Filter // with From and To resolved
	Months []postal.Month
	// Sums are the live values matching the filter added up per month,
	// direction, partner and category (Groups, with how many series-months
	// each adds up): every chart and KPI of the page is a sum of them, so
	// that a view costs its groups, not its series (30 marketplaces or 300).
	Sums   []store.SeriesMonth
	Groups []store.SeriesGroup
	Prev   []store.SeriesMonth // the same filter twelve months earlier, per month and category
	YTD    []store.SeriesMonth // the same filter from January of To's year to To, per category
	Market []store.SeriesMonth // the live values per category and marketplace
	// Live lists the live values matching the filter, one per series and
	// month, only when the filter asks for them (Filter.Rows, exports):
	// bounded by Filter.MaxRows.
	Live      []store.SeriesMonth
	KPIs      []KPI
	Sources   []store.Source
	Notes     []BatchNotes // what the workbooks behind the view say beside their figures
	AsOf      time.Time    // when the latest live batch was committed (zero when none)
	LastMonth postal.Month // the last month the view holds data for (zero when none)
	YTDTo     postal.Month // the last month of the year to date: To, or the data's last month before it
	Empty     bool         // the store holds no live facts at all
	Flags     Flags        // the view's revised and noted values
}

// BatchNotes is the text one batch's workbook carries beside its figures.
type BatchNotes struct {
	Batch int64
	File  string
	Notes []store.Note
}

// HasData reports whether the filter matched any live value.
func (o *Overview) HasData() bool { return len(o.Groups) > 0 }

// KPI is one headline number with its parts by direction (which add up to
// it) and its change against the same calendar months of the previous year.
type KPI struct {
	Measure
	Value  float64
	Has    bool
	Parts  []Part  // one per direction holding the measure, in display order
	Change *Change // nil when no calendar month has data in both years
}

// Part is what one direction adds to a KPI.
type Part struct {
	Direction postal.Direction
	Value     float64
}

// Change compares a measure over the months present in both years.
type Change struct {
	Months   []postal.Month // months of the current range that were compared
	Current  float64
	Previous float64
}

// Ratio returns Current/Previous - 1; ok is false when Previous is zero.
func (c Change) Ratio() (r float64, ok bool) {
	if c.Previous == 0 {
		return 0, false
	}
	return c.Current/c.Previous - 1, true
}

// Load reads everything an overview of f needs. Zero From or To take the
// store's first or last month.
func Load(ctx context.Context, st store.Store, f Filter) (*Overview, error) {
	first, last, err := st.MonthRangeAt(ctx, f.AsOf)
	if err != nil {
		return nil, fmt.Errorf("month range: %w", err)
	}
	o := &Overview{Empty: first.IsZero()}
	if f.From.IsZero() {
		f.From = first
	}
	if f.To.IsZero() {
		f.To = last
	}
	if f.To.Before(f.From) && !f.To.IsZero() {
		f.From, f.To = f.To, f.From
	}
	o.Filter = f
	if o.Empty {
		return o, nil
	}
	// The form offers only months with data; a URL may ask for centuries.
	// Months without any data draw nothing, so the axis keeps to the data.
	if shown := (Filter{From: latest(f.From, first), To: earliest(f.To, last)}); !shown.To.Before(shown.From) {
		o.Months = shown.Months()
	}
	q := f.Query()
	if f.Rows {
		if o.Live, err = st.LiveSeries(ctx, q); err != nil {
			return nil, fmt.Errorf("live series: %w", err)
		}
	}
	groups := func(what string, q store.Query, by ...postal.Field) ([]store.SeriesGroup, []store.SeriesMonth, error) {
		q.By = by
		gs, err := st.LiveGroups(ctx, q)
		if err != nil {
			return nil, nil, fmt.Errorf("live sums %s: %w", what, err)
		}
		sums := make([]store.SeriesMonth, len(gs))
		for i, g := range gs {
			sums[i] = g.SeriesMonth
		}
		return gs, sums, nil
	}
	if o.Groups, o.Sums, err = groups("of the range", q, postal.FieldPeriod, postal.FieldDirection, postal.FieldPartner, postal.FieldCategory); err != nil {
		return nil, err
	}
	if _, o.Market, err = groups("per marketplace", q, postal.FieldCategory, postal.FieldMarketplace); err != nil {
		return nil, err
	}
	pq := q
	pq.From, pq.To = f.From.Add(-12), f.To.Add(-12)
	if _, o.Prev, err = groups("of the previous year", pq, postal.FieldPeriod, postal.FieldCategory); err != nil {
		return nil, err
	}
	yq := q
	o.YTDTo = earliest(f.To, last)
	yq.From, yq.To = postal.Month{Year: o.YTDTo.Year, Month: 1}, o.YTDTo
	if _, o.YTD, err = groups("of the year to date", yq, postal.FieldCategory); err != nil {
		return nil, err
	}
	if o.Sources, err = st.Sources(ctx, q); err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	batches, err := st.Batches(ctx)
	if err != nil {
		return nil, fmt.Errorf("batches: %w", err)
	}
	behind := map[int64]bool{}
	for _, src := range o.Sources {
		behind[src.BatchID] = true
	}
	for i := len(batches) - 1; i >= 0; i-- { // oldest first
		if b := batches[i]; behind[b.ID] && len(b.Notes) > 0 {
			o.Notes = append(o.Notes, BatchNotes{Batch: b.ID, File: b.FileName, Notes: b.Notes})
		}
	}
	for _, b := range batches {
		if liveAt(b, f.AsOf) && b.CreatedAt.After(o.AsOf) {
			o.AsOf = b.CreatedAt
		}
	}
	if o.Flags, err = loadFlags(ctx, st, q); err != nil {
		return nil, err
	}
	for _, sm := range o.Sums {
		if o.LastMonth.Before(sm.Month) {
			o.LastMonth = sm.Month
		}
	}
	for _, m := range measures {
		o.KPIs = append(o.KPIs, kpi(m, o.Months, o.Sums, o.Prev))
	}
	return o, nil
}

// SummaryRow is one measure of the briefing's summary table.
type SummaryRow struct {
	Measure
	Current  Cell    // the range
	Previous Cell    // the same months a year earlier
	Change   *Change // over the months both years hold (nil when none)
	YTD      Cell    // January of the range's last year to its last month
}

// Summary returns the summary table of o, one row per KPI measure.
func (o *Overview) Summary() []SummaryRow {
	var out []SummaryRow
	for _, k := range o.KPIs {
		r := SummaryRow{Measure: k.Measure, Current: Cell{V: k.Value, Has: k.Has}, Change: k.Change}
		r.Previous.V, r.Previous.Has = k.Measure.Sum(o.Prev)
		r.YTD.V, r.YTD.Has = k.Measure.Sum(o.YTD)
		out = append(out, r)
	}
	return out
}

// YTDRange is the months the year to date covers: January of the range's
// last year to its last month.
func (o *Overview) YTDRange() (from, to postal.Month) {
	return postal.Month{Year: o.YTDTo.Year, Month: 1}, o.YTDTo
}

// kpi sums m over live and compares it with prev over the calendar months
// where both years hold it.
func kpi(m Measure, months []postal.Month, live, prev []store.SeriesMonth) KPI {
	k := KPI{Measure: m}
	k.Value, k.Has = m.Sum(live)
	for _, d := range postal.Directions {
		p := Part{Direction: d}
		has := false
		for _, sm := range live {
			if v, ok := m.Value(sm); ok && sm.Direction == d {
				p.Value += v
				has = true
			}
		}
		if has {
			k.Parts = append(k.Parts, p)
		}
	}
	cur, prv := byMonth(m, live), byMonth(m, prev)
	var c Change
	for _, mo := range months {
		a, okA := cur[mo]
		b, okB := prv[mo.Add(-12)]
		if okA && okB {
			c.Months = append(c.Months, mo)
			c.Current += a
			c.Previous += b
		}
	}
	if len(c.Months) > 0 {
		k.Change = &c
	}
	return k
}

// byMonth sums m per month over the values that hold it.
func byMonth(m Measure, live []store.SeriesMonth) map[postal.Month]float64 {
	out := map[postal.Month]float64{}
	for _, sm := range live {
		if v, ok := m.Value(sm); ok {
			out[sm.Month] += v
		}
	}
	return out
}

func latest(a, b postal.Month) postal.Month {
	if a.Before(b) {
		return b
	}
	return a
}

func earliest(a, b postal.Month) postal.Month {
	if b.Before(a) {
		return b
	}
	return a
}
