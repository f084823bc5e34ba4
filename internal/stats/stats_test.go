package stats

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"postdash/internal/postal"
	"postdash/internal/store"
)

func mo(y, m int) postal.Month { return postal.Month{Year: y, Month: m} }

func letters(m postal.Month, d postal.Direction, kg float64) postal.Fact {
	return postal.Fact{Month: m, Series: postal.Series{Direction: d, Partner: postal.ChinaPost, Category: postal.LetterPost}, Sheet: "s", WeightKg: kg, HasWeight: true}
}

func registered(m postal.Month, d postal.Direction, n int64) postal.Fact {
	return postal.Fact{Month: m, Series: postal.Series{Direction: d, Partner: postal.ChinaPost, Category: postal.RegisteredLetter}, Sheet: "s", Items: n, HasItems: true}
}

// sqlite returns a real SQLite store holding facts as one batch.
func sqlite(t *testing.T, facts []postal.Fact) store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "stats.db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if len(facts) > 0 {
		if err := st.CommitBatch(context.Background(), &store.Batch{FileName: "t.xlsx", SHA256: "00", User: "test"}, facts); err != nil {
			t.Fatalf("commit: %v", err)
		}
	}
	return st
}

func TestLoadKPIsCompareOnlyMonthsInBothYears(t *testing.T) {
	facts := []postal.Fact{}
	for m := 1; m <= 6; m++ {
		facts = append(facts, letters(mo(2025, m), postal.Inbound, 100), letters(mo(2025, m), postal.Outbound, 50), registered(mo(2025, m), postal.Inbound, 10))
	}
	// A year earlier only March and June hold letters; no registered letters at all.
	facts = append(facts, letters(mo(2024, 3), postal.Inbound, 120), letters(mo(2024, 6), postal.Inbound, 180))
	st := sqlite(t, facts)

	tests := []struct {
		name         string
		f            Filter
		wantLetters  float64
		wantCompared []postal.Month
		wantPrev     float64
	}{
		{"whole 2025", Filter{From: mo(2025, 1), To: mo(2025, 6)}, 900, []postal.Month{mo(2025, 3), mo(2025, 6)}, 300},
		{"Jan-Feb: nothing to compare", Filter{From: mo(2025, 1), To: mo(2025, 2)}, 300, nil, 0},
		{"inbound only", Filter{From: mo(2025, 1), To: mo(2025, 6), Direction: "inbound"}, 600, []postal.Month{mo(2025, 3), mo(2025, 6)}, 300},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o, err := Load(context.Background(), st, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			k := o.KPIs[0]
			if k.Key != "letters" || math.Abs(k.Value-tc.wantLetters) > 1e-9 {
				t.Errorf("letters KPI %s = %v, want %v", k.Key, k.Value, tc.wantLetters)
			}
			if tc.wantCompared == nil {
				if k.Change != nil {
					t.Errorf("change %+v, want nothing to compare", *k.Change)
				}
				return
			}
			if k.Change == nil {
				t.Fatal("no change, want one")
			}
			if !reflect.DeepEqual(k.Change.Months, tc.wantCompared) || k.Change.Previous != tc.wantPrev {
				t.Errorf("compared %v (prev %v), want %v (prev %v)", k.Change.Months, k.Change.Previous, tc.wantCompared, tc.wantPrev)
			}
			if reg := o.KPIs[1]; reg.Change != nil {
				t.Errorf("registered letters compared with a year holding none: %+v", *reg.Change)
			}
		})
	}
}

func TestLoadDefaultRangeAndEmpty(t *testing.T) {
	o, err := Load(context.Background(), sqlite(t, nil), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if !o.Empty || o.HasData() {
		t.Errorf("empty store: Empty=%v HasData=%v", o.Empty, o.HasData())
	}
	st := sqlite(t, []postal.Fact{letters(mo(2025, 2), postal.Inbound, 1), letters(mo(2025, 5), postal.Inbound, 1)})
	o, err = Load(context.Background(), st, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if o.Filter.From != mo(2025, 2) || o.Filter.To != mo(2025, 5) || len(o.Months) != 4 {
		t.Errorf("default range %v..%v (%d months), want 2025-02..2025-05", o.Filter.From, o.Filter.To, len(o.Months))
	}
	if o.AsOf.IsZero() || len(o.Sources) == 0 {
		t.Errorf("as of %v, sources %v: want the batch", o.AsOf, o.Sources)
	}
}

// The filter form offers the months with data; a URL may ask for centuries.
// The months drawn stay within the data, so such a page costs no more.
func TestLoadKeepsMonthsWithinTheData(t *testing.T) {
	st := sqlite(t, []postal.Fact{letters(mo(2025, 2), postal.Inbound, 1), letters(mo(2025, 5), postal.Inbound, 1)})
	tests := []struct {
		f    Filter
		want int
	}{
		{Filter{From: mo(1900, 1), To: mo(2999, 12)}, 4},
		{Filter{From: mo(2025, 3), To: mo(2999, 12)}, 3},
		{Filter{From: mo(1900, 1), To: mo(1900, 12)}, 0},
		{Filter{From: mo(2999, 1), To: mo(2999, 12)}, 0},
	}
	for _, tc := range tests {
		o, err := Load(context.Background(), st, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Months) != tc.want || o.Filter != tc.f {
			t.Errorf("%v..%v: %d months, filter %+v; want %d months, the filter asked for", tc.f.From, tc.f.To, len(o.Months), o.Filter, tc.want)
		}
	}
}

func TestParseFilter(t *testing.T) {
	tests := []struct {
		q       map[string]string
		want    Filter
		wantErr *FilterError
	}{
		{map[string]string{}, Filter{}, nil},
		{map[string]string{"from": "2025-01", "to": "2025-06", "direction": "inbound", "partner": "Korea Post"}, Filter{From: mo(2025, 1), To: mo(2025, 6), Direction: "inbound", Partner: "Korea Post"}, nil},
		{map[string]string{"from": "2025-06", "to": "2025-01"}, Filter{}, &FilterError{Value: "2025-06..2025-01", Reason: "order"}},
		{map[string]string{"from": "June"}, Filter{}, &FilterError{Param: "from", Value: "June", Reason: "month"}},
		{map[string]string{"to": "2025-13"}, Filter{}, &FilterError{Param: "to", Value: "2025-13", Reason: "month"}},
		{map[string]string{"direction": "in"}, Filter{}, &FilterError{Param: "direction", Value: "in", Reason: "unknown"}},
		{map[string]string{"category": "letters"}, Filter{}, &FilterError{Param: "category", Value: "letters", Reason: "unknown"}},
	}
	for _, tc := range tests {
		got, err := ParseFilter(func(k string) string { return tc.q[k] })
		var fe FilterError
		switch {
		case tc.wantErr == nil && (err != nil || got != tc.want):
			t.Errorf("ParseFilter(%v) = %+v, %v; want %+v", tc.q, got, err, tc.want)
		case tc.wantErr != nil && (!errors.As(err, &fe) || fe != *tc.wantErr):
			t.Errorf("ParseFilter(%v) error %#v, want %#v", tc.q, err, *tc.wantErr)
		}
	}
}

func sm(m postal.Month, d postal.Direction, partner string, c postal.Category, market string, items int64, kg float64) store.SeriesMonth {
	s := store.SeriesMonth{Month: m, Series: postal.Series{Direction: d, Partner: partner, Category: c, Marketplace: market}}
	if items >= 0 {
		s.Items, s.HasItems = items, true
	}
	if kg >= 0 {
		s.WeightKg, s.HasWeight = kg, true
	}
	return s
}

func TestMonthlyByMarksGapsAndOrdersKeys(t *testing.T) {
	live := []store.SeriesMonth{
		sm(mo(2025, 1), postal.Outbound, postal.ChinaPost, postal.LetterPost, "", -1, 10),
		sm(mo(2025, 3), postal.Inbound, postal.ChinaPost, postal.LetterPost, "", -1, 5),
		sm(mo(2025, 3), postal.Inbound, postal.LatvijasPasts, postal.LetterPost, "", -1, 7),
		sm(mo(2025, 3), postal.Inbound, postal.ChinaPost, postal.RegisteredLetter, "", 99, -1),
	}
	months := []postal.Month{mo(2025, 1), mo(2025, 2), mo(2025, 3)}
	g := MonthlyBy(live, months, CategoryMeasure(postal.LetterPost), func(s store.SeriesMonth) string { return string(s.Direction) }, DirectionOrder())
	if !reflect.DeepEqual(g.Keys, []string{"inbound", "outbound"}) {
		t.Errorf("keys %v", g.Keys)
	}
	want := []Cell{{}, {}, {V: 12, Has: true}}
	if !reflect.DeepEqual(g.Cells["inbound"], want) {
		t.Errorf("inbound %v, want %v (February is a gap, not a zero)", g.Cells["inbound"], want)
	}
}

func TestYearOverYearBalancesMarketplacesCompleteness(t *testing.T) {
	live := []store.SeriesMonth{
		sm(mo(2025, 1), postal.Inbound, postal.ChinaPost, postal.Ecommerce, postal.Temu, -1, 3000),
		sm(mo(2025, 1), postal.Inbound, postal.ChinaPost, postal.Ecommerce, "", -1, 1000),
		sm(mo(2025, 2), postal.Inbound, postal.LatvijasPasts, postal.Ecommerce, postal.AliExpress, -1, 5000),
		sm(mo(2025, 1), postal.Inbound, postal.ChinaPost, postal.LetterPost, "", -1, 200),
		sm(mo(2025, 1), postal.Outbound, postal.ChinaPost, postal.LetterPost, "", -1, 300),
	}
	prev := []store.SeriesMonth{sm(mo(2024, 2), postal.Inbound, postal.LatvijasPasts, postal.Ecommerce, postal.AliExpress, -1, 4000)}
	months := []postal.Month{mo(2025, 1), mo(2025, 2)}

	parcels, _ := MeasureByKey("parcels")
	y := YearOverYear(months[0], months, live, prev, parcels)
	if !reflect.DeepEqual(y.Years, []int{2024, 2025}) || !reflect.DeepEqual(y.CalMonths, []int{1, 2}) {
		t.Errorf("years %v months %v", y.Years, y.CalMonths)
	}
	if got := y.Values[2024]; got[0].Has || got[1] != (Cell{V: 4, Has: true}) {
		t.Errorf("2024 row %v: January is a gap, February 4 t", got)
	}

	bs := Balances(live)
	if len(bs) != 2 || bs[0].Category != postal.LetterPost {
		t.Fatalf("balances %+v", bs)
	}
	if r, ok := bs[0].Ratio(); !ok || r != 1.5 {
		t.Errorf("letter ratio %v %v, want 1.5", r, ok)
	}
	if _, ok := bs[1].Ratio(); ok {
		t.Error("e-commerce has no outbound: no ratio")
	}

	mk := ByMarketplace(live)
	if want := []Slice{{postal.AliExpress, 5}, {postal.Temu, 3}, {"", 1}}; !reflect.DeepEqual(mk, want) {
		t.Errorf("marketplaces %v, want %v", mk, want)
	}

	c := CompletenessGrid(live, months)
	wantRows := []CompletenessRow{{postal.LetterPost, postal.ChinaPost}, {postal.Ecommerce, postal.ChinaPost}, {postal.Ecommerce, postal.LatvijasPasts}}
	if !reflect.DeepEqual(c.Rows, wantRows) {
		t.Errorf("rows %v, want %v", c.Rows, wantRows)
	}
	if want := [][]int{{2, 0}, {2, 0}, {0, 1}}; !reflect.DeepEqual(c.Counts, want) {
		t.Errorf("counts %v, want %v (zeros are gaps)", c.Counts, want)
	}
}

// A range of more than twelve months holds months that are also a year
// before other months of the range: each is counted once.
func TestYearOverYearCountsOverlapOnce(t *testing.T) {
	var facts []postal.Fact
	for m := 1; m <= 12; m++ {
		facts = append(facts, letters(mo(2024, m), postal.Inbound, 1431), letters(mo(2025, m), postal.Inbound, 1000))
	}
	st := sqlite(t, facts)
	o, err := Load(context.Background(), st, Filter{From: mo(2024, 1), To: mo(2025, 12)})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := MeasureByKey("letters")
	y := YearOverYear(o.Filter.From, o.Months, o.Sums, o.Prev, m)
	if got := y.Values[2024][0]; got != (Cell{V: 1431, Has: true}) {
		t.Errorf("January 2024 = %v, want 1431 kg once", got)
	}
}
