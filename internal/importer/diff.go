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
