package stats

import (
	"context"
	"fmt"
	"slices"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// Trace is what one figure sums: the live facts of a measure over a
// filter, each with its batch, file and sheet.
type Trace struct {
	Measure  Measure
	Filter   Filter // with From and To resolved
	Facts    []store.TracedFact
	Values   []float64 // what each fact adds, in the measure's unit
	Total    float64
	Has      bool
	Previous *Trace // the same months a year earlier, when asked for
	Flags    Flags  // the revised and noted values among Facts
	// Versions are, for each series-month of Facts that more than one
	// batch held, every batch's value, oldest first.
	Versions []store.SeriesVersion
}

// AnyMeasure finds a KPI measure or a category's own measure by key.
func AnyMeasure(key string) (Measure, bool) {
	if m, ok := MeasureByKey(key); ok {
		return m, true
	}
	for _, c := range postal.Categories {
		if m := CategoryMeasure(c); m.Key == key {
			return m, true
		}
	}
	return Measure{}, false
}

// LoadTrace lists the facts behind m over f (zero From or To take the
// store's first or last month) and, when previous, those of the same
// months a year earlier.
func LoadTrace(ctx context.Context, st store.Store, f Filter, m Measure, previous bool) (*Trace, error) {
	if f.From.IsZero() || f.To.IsZero() {
		first, last, err := st.MonthRangeAt(ctx, f.AsOf)
		if err != nil {
			return nil, fmt.Errorf("month range: %w", err)
		}
		if f.From.IsZero() {
			f.From = first
		}
		if f.To.IsZero() {
			f.To = last
		}
	}
	t, err := loadTrace(ctx, st, f, m)
	if err != nil || !previous {
		return t, err
	}
	pf := f
	pf.From, pf.To = f.From.Add(-12), f.To.Add(-12)
	if t.Previous, err = loadTrace(ctx, st, pf, m); err != nil {
		return nil, err
	}
	return t, nil
}

func loadTrace(ctx context.Context, st store.Store, f Filter, m Measure) (*Trace, error) {
	t := &Trace{Measure: m, Filter: f}
	cats := make([]string, 0, len(m.Categories))
	for _, c := range m.Categories {
		if f.Category == "" || f.Category == string(c) {
			cats = append(cats, string(c))
		}
	}
	if len(cats) == 0 || f.From.IsZero() {
		return t, nil // the filter's category is not one the measure sums
	}
	q := f.Query()
	q.Where[postal.FieldCategory] = cats
	facts, err := st.LiveFacts(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("trace %s: %w", m.Key, err)
	}
	for _, tf := range facts {
		v, ok := m.Value(store.SeriesMonth{Month: tf.Month, Series: tf.Series, Items: tf.Items, HasItems: tf.HasItems, WeightKg: tf.WeightKg, HasWeight: tf.HasWeight})
		if !ok || !slices.Contains(m.Categories, tf.Category) {
			continue
		}
		t.Facts = append(t.Facts, tf)
		t.Values = append(t.Values, v)
		t.Total += v
		t.Has = true
	}
	if t.Has {
		if err := loadTraceHistory(ctx, st, q, t); err != nil {
			return nil, err
		}
	}
	return t, nil
}
