package stats

import (
	"context"
	"fmt"
	"slices"
	"time"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// Flags are the marks of a view's live values: which are revised (differ
// from the value first published for their series-month) and which carry
// a note of their sheet (such as "preliminary").
type Flags struct {
	List []store.SeriesFlag
}

// Marks says what a figure's marks are.
type Marks struct {
	Revised bool     // a value it sums is revised
	Notes   []string // the notes of the values it sums, once each
}

// Any reports whether the figure has a mark.
func (m Marks) Any() bool { return m.Revised || len(m.Notes) > 0 }

// Of returns the marks of the figure that sums measure m over the months
// from..to (zero: all of the view's) narrowed to field = value (field ""
// for none): revised when any value it sums is, noted with every note.
func (fl Flags) Of(m Measure, from, to postal.Month, field postal.Field, value string) Marks {
	var out Marks
	for _, f := range fl.List {
		if !from.IsZero() && (f.Month.Before(from) || to.Before(f.Month)) {
			continue
		}
		if field != "" && fieldValue(f.Series, f.Month, field) != value {
			continue
		}
		if _, ok := m.Value(f.Live); !ok || !slices.Contains(m.Categories, f.Category) {
			continue
		}
		out.Revised = out.Revised || f.Revised
		if f.Note != "" && !slices.Contains(out.Notes, f.Note) {
			out.Notes = append(out.Notes, f.Note)
		}
	}
	return out
}

// Get returns the flags of one series-month, if it has any.
func (fl Flags) Get(mo postal.Month, s postal.Series) (store.SeriesFlag, bool) {
	for _, f := range fl.List {
		if f.Month == mo && f.Series == s {
			return f, true
		}
	}
	return store.SeriesFlag{}, false
}

// Any reports whether any value is revised or noted.
func (fl Flags) Any() (revised, noted bool) {
	for _, f := range fl.List {
		revised = revised || f.Revised
		noted = noted || f.Note != ""
	}
	return revised, noted
}

func fieldValue(s postal.Series, mo postal.Month, f postal.Field) string {
	switch f {
	case postal.FieldDirection:
		return string(s.Direction)
	case postal.FieldPartner:
		return s.Partner
	case postal.FieldCategory:
		return string(s.Category)
	case postal.FieldMarketplace:
		return s.Marketplace
	case postal.FieldPeriod:
		return mo.String()
	}
	return ""
}

func loadFlags(ctx context.Context, st store.Store, q store.Query) (Flags, error) {
	list, err := st.SeriesFlags(ctx, q)
	if err != nil {
		return Flags{}, fmt.Errorf("flags: %w", err)
	}
	return Flags{List: list}, nil
}

// liveAt reports whether batch b was live at t (zero: now).
func liveAt(b store.Batch, t time.Time) bool {
	if t.IsZero() {
		return b.Live()
	}
	return !b.CreatedAt.After(t) && (b.UndoneAt == nil || b.UndoneAt.After(t))
}

// loadTraceHistory adds to t the flags of its values and the versions of
// the series-months several batches held.
func loadTraceHistory(ctx context.Context, st store.Store, q store.Query, t *Trace) error {
	var err error
	if t.Flags, err = loadFlags(ctx, st, q); err != nil {
		return err
	}
	vs, err := st.SeriesVersions(ctx, q)
	if err != nil {
		return fmt.Errorf("trace versions: %w", err)
	}
	for i := 0; i < len(vs); {
		j := i + 1
		for j < len(vs) && vs[j].Month == vs[i].Month && vs[j].Series == vs[i].Series {
			j++
		}
		if _, ok := t.Measure.Value(vs[i].SeriesMonth); j-i > 1 && ok && slices.Contains(t.Measure.Categories, vs[i].Category) {
			t.Versions = append(t.Versions, vs[i:j]...)
		}
		i = j
	}
	return nil
}
