package store_test

import (
	"context"
	"testing"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// TestLiveGroups: LiveGroups adds up the live values per group, the
// weight of those holding it only and exactly (0.1 kg ten times is 1 kg,
// not 0.9999999999999999), counts the series-months of each group, and
// filters as every query does. On both backends.
func TestLiveGroups(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		inLatviaEcomTemu := series(postal.Inbound, postal.LatvijasPasts, postal.Ecommerce, postal.Temu)
		var facts []postal.Fact
		for i, mk := range []string{"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"} {
			sr := series(postal.Inbound, postal.ChinaPost, postal.Ecommerce, mk)
			facts = append(facts, both(t, "2024-01", sr, "S", int64(i), 0.1))
		}
		facts = append(facts,
			itemsOnly(t, "2024-01", inChinaParcel, "S", 5),
			both(t, "2024-02", inChinaParcel, "S", 2, 1.5),
			both(t, "2024-02", inLatviaEcomTemu, "S", 7, 2.25),
			itemsOnly(t, "2024-03", outLatviaEMS, "S", 3))
		commit(t, s, "groups.xlsx", facts...)
		ctx := context.Background()
		mo := func(m int) postal.Month { return postal.Month{Year: 2024, Month: m} }
		gs, err := s.LiveGroups(ctx, store.Query{By: []postal.Field{postal.FieldPeriod, postal.FieldCategory}})
		if err != nil {
			t.Fatal(err)
		}
		g := func(m int, c postal.Category, items int64, hasItems bool, kg float64, hasWeight bool, n int64) store.SeriesGroup {
			return store.SeriesGroup{SeriesMonth: store.SeriesMonth{Month: mo(m), Series: postal.Series{Category: c},
				Items: items, HasItems: hasItems, WeightKg: kg, HasWeight: hasWeight}, Count: n}
		}
		want := []store.SeriesGroup{
			g(1, postal.Ecommerce, 45, true, 1, true, 10),
			g(1, postal.Parcel, 5, true, 0, false, 1),
			g(2, postal.Ecommerce, 7, true, 2.25, true, 1),
			g(2, postal.Parcel, 2, true, 1.5, true, 1),
			g(3, postal.EMS, 3, true, 0, false, 1),
		}
		if len(gs) != len(want) {
			t.Fatalf("%d groups, want %d: %+v", len(gs), len(want), gs)
		}
		for i := range want {
			if gs[i] != want[i] {
				t.Errorf("group %d = %+v, want %+v", i, gs[i], want[i])
			}
		}
		// Per marketplace, filtered to inbound e-commerce of January–February.
		gs, err = s.LiveGroups(ctx, store.Query{From: mo(1), To: mo(2), By: []postal.Field{postal.FieldMarketplace},
			Where: map[postal.Field][]string{postal.FieldCategory: {"ecommerce"}, postal.FieldDirection: {"inbound"}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(gs) != 11 || gs[0].Marketplace != "m0" || gs[10].Marketplace != postal.Temu || gs[10].WeightKg != 2.25 || gs[10].Count != 1 || !gs[0].Month.IsZero() {
			t.Errorf("per marketplace: %+v", gs)
		}
		// No By: one group of everything; nothing matched: no group.
		if gs, err = s.LiveGroups(ctx, store.Query{}); err != nil || len(gs) != 1 || gs[0].Count != 14 || gs[0].Items != 62 || gs[0].WeightKg != 4.75 {
			t.Errorf("grand total: %+v, %v", gs, err)
		}
		if gs, err = s.LiveGroups(ctx, store.Query{From: mo(7)}); err != nil || len(gs) != 0 {
			t.Errorf("nothing matched: %+v, %v", gs, err)
		}
		if _, err := s.LiveGroups(ctx, store.Query{By: []postal.Field{postal.FieldYear}}); err == nil {
			t.Error("grouped by year without an error")
		}
	})
}
