package store_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"testing"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// sampleFacts is one batch: two years, both directions, three categories, a
// marketplace, a month given on two sheets, and a value without weight.
func sampleFacts(tb testing.TB) []postal.Fact {
	return []postal.Fact{
		both(tb, "2023-12", inChinaParcel, "Sheet1", 10, 5),
		both(tb, "2024-01", inChinaParcel, "Sheet1", 20, 7.5),
		both(tb, "2024-01", inChinaEcomAli, "Sheet1", 100, 30),
		itemsOnly(tb, "2024-02", outLatviaEMS, "Sheet1", 3),
		both(tb, "2024-02", inChinaParcel, "Sheet1", 2, 1),
		both(tb, "2024-02", inChinaParcel, "Sheet2", 1, 0.5),
	}
}

// row builds an expected total: measures, then field=value pairs.
func row(items int64, kg float64, hasItems, hasWeight bool, kv ...string) store.Total {
	t := store.Total{Group: map[postal.Field]string{}, Items: items, WeightKg: kg, HasItems: hasItems, HasWeight: hasWeight}
	for i := 0; i+1 < len(kv); i += 2 {
		t.Group[postal.Field(kv[i])] = kv[i+1]
	}
	return t
}

func TestTotals(t *testing.T) {
	by := func(fs ...postal.Field) []postal.Field { return fs }
	tests := []struct {
		name string
		q    func(tb testing.TB) store.Query
		want []store.Total
	}{
		{"grand total", func(testing.TB) store.Query { return store.Query{} },
			[]store.Total{row(136, 44, true, true)}},
		{"by period", func(testing.TB) store.Query { return store.Query{By: by(postal.FieldPeriod)} },
			[]store.Total{
				row(10, 5, true, true, "period", "2023-12"),
				row(120, 37.5, true, true, "period", "2024-01"),
				row(6, 1.5, true, true, "period", "2024-02"),
			}},
		{"by year", func(testing.TB) store.Query { return store.Query{By: by(postal.FieldYear)} },
			[]store.Total{row(10, 5, true, true, "year", "2023"), row(126, 39, true, true, "year", "2024")}},
		{"by direction", func(testing.TB) store.Query { return store.Query{By: by(postal.FieldDirection)} },
			[]store.Total{row(133, 44, true, true, "direction", "inbound"), row(3, 0, true, false, "direction", "outbound")}},
		{"by partner", func(testing.TB) store.Query { return store.Query{By: by(postal.FieldPartner)} },
			[]store.Total{row(133, 44, true, true, "partner", "china_post"), row(3, 0, true, false, "partner", "latvijas_pasts")}},
		{"by category", func(testing.TB) store.Query { return store.Query{By: by(postal.FieldCategory)} },
			[]store.Total{
				row(100, 30, true, true, "category", "ecommerce"),
				row(3, 0, true, false, "category", "ems"),
				row(33, 14, true, true, "category", "parcel"),
			}},
		{"by marketplace", func(testing.TB) store.Query { return store.Query{By: by(postal.FieldMarketplace)} },
			[]store.Total{row(36, 14, true, true, "marketplace", ""), row(100, 30, true, true, "marketplace", "aliexpress")}},
		{"by period and direction from to", func(tb testing.TB) store.Query {
			return store.Query{By: by(postal.FieldPeriod, postal.FieldDirection), From: month(tb, "2024-01"), To: month(tb, "2024-02")}
		}, []store.Total{
			row(120, 37.5, true, true, "period", "2024-01", "direction", "inbound"),
			row(3, 1.5, true, true, "period", "2024-02", "direction", "inbound"),
			row(3, 0, true, false, "period", "2024-02", "direction", "outbound"),
		}},
		{"to only", func(tb testing.TB) store.Query { return store.Query{To: month(tb, "2023-12")} },
			[]store.Total{row(10, 5, true, true)}},
		{"where several values are or-ed", func(testing.TB) store.Query {
			return store.Query{By: by(postal.FieldYear), Where: map[postal.Field][]string{postal.FieldCategory: {"parcel", "ems"}}}
		}, []store.Total{row(10, 5, true, true, "year", "2023"), row(26, 9, true, true, "year", "2024")}},
		{"where fields are and-ed", func(testing.TB) store.Query {
			return store.Query{Where: map[postal.Field][]string{postal.FieldYear: {"2024"}, postal.FieldPartner: {"china_post"}}}
		}, []store.Total{row(123, 39, true, true)}},
		{"where period", func(testing.TB) store.Query {
			return store.Query{By: by(postal.FieldMarketplace), Where: map[postal.Field][]string{postal.FieldPeriod: {"2024-01", "2023-12"}}}
		}, []store.Total{row(30, 12.5, true, true, "marketplace", ""), row(100, 30, true, true, "marketplace", "aliexpress")}},
		{"where direction without weight", func(testing.TB) store.Query {
			return store.Query{Where: map[postal.Field][]string{postal.FieldDirection: {"outbound"}}}
		}, []store.Total{row(3, 0, true, false)}},
		{"where empty marketplace", func(testing.TB) store.Query {
			return store.Query{By: by(postal.FieldCategory), Where: map[postal.Field][]string{postal.FieldMarketplace: {""}}}
		}, []store.Total{row(3, 0, true, false, "category", "ems"), row(33, 14, true, true, "category", "parcel")}},
		{"nothing matches", func(testing.TB) store.Query {
			return store.Query{By: by(postal.FieldPeriod), Where: map[postal.Field][]string{postal.FieldPartner: {"nobody"}}}
		}, nil},
	}
	forEachBackend(t, func(t *testing.T, s store.Store) {
		commit(t, s, "sample", sampleFacts(t)...)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := totals(t, s, tt.q(t))
				if msg := diffTotals(got, tt.want); msg != "" {
					t.Error(msg)
				}
			})
		}
	})
}

func diffTotals(got, want []store.Total) string {
	if len(got) != len(want) {
		return fmt.Sprintf("got %d rows %+v, want %d rows %+v", len(got), got, len(want), want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if fmt.Sprint(g.Group) != fmt.Sprint(w.Group) || g.Items != w.Items || math.Abs(g.WeightKg-w.WeightKg) > 1e-9 ||
			g.HasItems != w.HasItems || g.HasWeight != w.HasWeight {
			return fmt.Sprintf("row %d: got %+v, want %+v", i, g, w)
		}
	}
	return ""
}

func TestTotalsRefusesBadQueries(t *testing.T) {
	tests := []struct {
		name string
		q    store.Query
	}{
		{"unknown group field", store.Query{By: []postal.Field{"colour"}}},
		{"unknown where field", store.Query{Where: map[postal.Field][]string{"colour": {"red"}}}},
		{"bad period", store.Query{Where: map[postal.Field][]string{postal.FieldPeriod: {"2024-13"}}}},
		{"bad year", store.Query{Where: map[postal.Field][]string{postal.FieldYear: {"24"}}}},
	}
	forEachBackend(t, func(t *testing.T, s store.Store) {
		for _, tt := range tests {
			if _, err := s.Totals(context.Background(), tt.q); err == nil {
				t.Errorf("%s: Totals succeeded, want an error", tt.name)
			}
		}
	})
}

func TestMonthRange(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		first, last, err := s.MonthRange(ctx)
		if err != nil || !first.IsZero() || !last.IsZero() {
			t.Fatalf("empty store: MonthRange = %v, %v, %v; want zero months", first, last, err)
		}
		commit(t, s, "a", sampleFacts(t)...)
		id := commit(t, s, "b", both(t, "2025-06", outLatviaEMS, "S", 1, 1))
		first, last, err = s.MonthRange(ctx)
		if err != nil || first.String() != "2023-12" || last.String() != "2025-06" {
			t.Fatalf("MonthRange = %v, %v, %v; want 2023-12, 2025-06", first, last, err)
		}
		if err := s.UndoBatch(ctx, id, "ana"); err != nil {
			t.Fatal(err)
		}
		if _, last, _ = s.MonthRange(ctx); last.String() != "2024-02" {
			t.Errorf("after undo last = %v, want 2024-02", last)
		}
	})
}

// TestMaxRowsRefusesLongAnswers: an answer of more rows than MaxRows is
// ErrTooManyRows, one of exactly MaxRows is answered.
func TestMaxRowsRefusesLongAnswers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		commit(t, s, "sample", sampleFacts(t)...)
		ctx := context.Background()
		all, err := s.Totals(ctx, store.Query{By: []postal.Field{postal.FieldPeriod, postal.FieldPartner}})
		if err != nil || len(all) < 2 {
			t.Fatalf("totals: %d rows, %v", len(all), err)
		}
		q := store.Query{By: []postal.Field{postal.FieldPeriod, postal.FieldPartner}, MaxRows: len(all)}
		if got, err := s.Totals(ctx, q); err != nil || len(got) != len(all) {
			t.Errorf("MaxRows = the rows: %d rows, %v", len(got), err)
		}
		q.MaxRows = len(all) - 1
		if _, err := s.Totals(ctx, q); !errors.Is(err, store.ErrTooManyRows) {
			t.Errorf("MaxRows one short: %v, want ErrTooManyRows", err)
		}
		live, err := s.LiveSeries(ctx, store.Query{})
		if err != nil || len(live) < 2 {
			t.Fatalf("live series: %d, %v", len(live), err)
		}
		if _, err := s.LiveSeries(ctx, store.Query{MaxRows: len(live) - 1}); !errors.Is(err, store.ErrTooManyRows) {
			t.Errorf("live series one short: %v, want ErrTooManyRows", err)
		}
	})
}
