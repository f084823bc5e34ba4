package importer

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// Change kinds of a diff against live data.
const (
	Added     = "added"
	Changed   = "changed"
	Unchanged = "unchanged"
)

// Change is what an import would do to one series in one month.
type Change struct {
	Month  postal.Month
	Series postal.Series
	Kind   string
	Old    *store.SeriesMonth // nil when added
	New    store.SeriesMonth
}

// Diff compares facts (as one import would write them) with the live values
// of the same series and months.
func (im *Importer) Diff(ctx context.Context, facts []postal.Fact) ([]Change, error) {
	type key struct {
		m postal.Month
		s postal.Series
	}
	incoming := map[key]*store.SeriesMonth{}
	var first, last postal.Month
	for _, f := range facts {
		k := key{f.Month, f.Series}
		sm, ok := incoming[k]
		if !ok {
			sm = &store.SeriesMonth{Month: f.Month, Series: f.Series}
			incoming[k] = sm
		}
		if f.HasItems {
			sm.Items += f.Items
			sm.HasItems = true
		}
		if f.HasWeight {
			sm.WeightKg += f.WeightKg
			sm.HasWeight = true
		}
		if first.IsZero() || f.Month.Before(first) {
			first = f.Month
		}
		if last.IsZero() || last.Before(f.Month) {
			last = f.Month
		}
	}
	if len(incoming) == 0 {
		return nil, nil
	}
	live, err := im.store.LiveSeries(ctx, store.Query{From: first, To: last})
	if err != nil {
		return nil, fmt.Errorf("read live series for diff: %w", err)
	}
	old := make(map[key]store.SeriesMonth, len(live))
	for _, sm := range live {
		old[key{sm.Month, sm.Series}] = sm
	}
	changes := make([]Change, 0, len(incoming))
	for k, sm := range incoming {
		sm.WeightKg = postal.RoundKg(sm.WeightKg)
		c := Change{Month: k.m, Series: k.s, New: *sm, Kind: Added}
		if o, ok := old[k]; ok {
			c.Old = &o
			c.Kind = Changed
			if o.HasItems == sm.HasItems && o.Items == sm.Items && o.HasWeight == sm.HasWeight && postal.RoundKg(o.WeightKg) == sm.WeightKg {
				c.Kind = Unchanged
			}
		}
		changes = append(changes, c)
	}
	slices.SortFunc(changes, func(a, b Change) int {
		return cmp.Or(
			cmp.Compare(a.Month.Index(), b.Month.Index()),
			compareSeries(a.Series, b.Series),
		)
	})
	return changes, nil
}

// compareSeries orders series field by field (no fmt.Sprint per comparison:
// an item-level manifest yields thousands of series-months).
func compareSeries(a, b postal.Series) int {
	return cmp.Or(
		cmp.Compare(a.Direction, b.Direction),
		cmp.Compare(a.Partner, b.Partner),
		cmp.Compare(a.Category, b.Category),
		cmp.Compare(a.Marketplace, b.Marketplace),
	)
}

// Measure is one value of a series in a month, as a diff lists it.
type Measure struct {
	Items    int64   `json:"items"`
	HasItems bool    `json:"has_items"`
	Kg       float64 `json:"kg"`
	HasKg    bool    `json:"has_kg"`
}

func measureOf(sm store.SeriesMonth) Measure {
	return Measure{sm.Items, sm.HasItems, sm.WeightKg, sm.HasWeight}
}

// DiffRow is one line of a diff: a series in a month, what it holds live
// (none when added) and what the import would make it.
type DiffRow struct {
	Month       string   `json:"month"`
	Direction   string   `json:"direction"`
	Partner     string   `json:"partner"`
	Category    string   `json:"category"`
	Marketplace string   `json:"marketplace"`
	Kind        string   `json:"kind"`
	Old         *Measure `json:"old,omitempty"`
	New         Measure  `json:"new"`
}

// MaxDiffRows is how many lines of a diff an answer lists; the counts
// cover every line.
const MaxDiffRows = 1000

// DiffSummary is a diff as an answer shows it: the count of each kind over
// every series-month, and the first lines (in month, then series order).
type DiffSummary struct {
	Added     int       `json:"added"`
	Changed   int       `json:"changed"`
	Unchanged int       `json:"unchanged"`
	Rows      []DiffRow `json:"rows"`
	Omitted   int       `json:"omitted"` // lines counted but not listed
}

// Summarize counts changes by kind and lists the first limit of them.
func Summarize(changes []Change, limit int) DiffSummary {
	s := DiffSummary{Rows: make([]DiffRow, 0, min(limit, len(changes)))}
	for _, ch := range changes {
		switch ch.Kind {
		case Added:
			s.Added++
		case Changed:
			s.Changed++
		case Unchanged:
			s.Unchanged++
		}
		if len(s.Rows) >= limit {
			s.Omitted++
			continue
		}
		row := DiffRow{Month: ch.Month.String(), Direction: string(ch.Series.Direction), Partner: ch.Series.Partner,
			Category: string(ch.Series.Category), Marketplace: ch.Series.Marketplace, Kind: ch.Kind, New: measureOf(ch.New)}
		if ch.Old != nil {
			m := measureOf(*ch.Old)
			row.Old = &m
		}
		s.Rows = append(s.Rows, row)
	}
	return s
}
