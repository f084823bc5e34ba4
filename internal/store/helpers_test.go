package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"testing"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// month parses YYYY-MM or fails the test.
func month(tb testing.TB, s string) postal.Month {
	tb.Helper()
	m, err := postal.ParseMonth(s)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// series is a compact series: direction, partner, category, marketplace.
func series(dir postal.Direction, partner string, cat postal.Category, mkt string) postal.Series {
	return postal.Series{Direction: dir, Partner: partner, Category: cat, Marketplace: mkt}
}

var (
	inChinaParcel  = series(postal.Inbound, postal.ChinaPost, postal.Parcel, "")
	inChinaEcomAli = series(postal.Inbound, postal.ChinaPost, postal.Ecommerce, postal.AliExpress)
	outLatviaEMS   = series(postal.Outbound, postal.LatvijasPasts, postal.EMS, "")
)

// both is a fact with items and weight.
func both(tb testing.TB, m string, s postal.Series, sheet string, items int64, kg float64) postal.Fact {
	return postal.Fact{Month: month(tb, m), Series: s, Sheet: sheet, Items: items, HasItems: true, WeightKg: kg, HasWeight: true}
}

// itemsOnly is a fact without weight.
func itemsOnly(tb testing.TB, m string, s postal.Series, sheet string, items int64) postal.Fact {
	return postal.Fact{Month: month(tb, m), Series: s, Sheet: sheet, Items: items, HasItems: true}
}

// commit commits facts as a batch of a file whose content is name, and
// returns the batch id.
func commit(tb testing.TB, s store.Store, name string, facts ...postal.Fact) int64 {
	tb.Helper()
	b := newBatch(name, facts)
	if err := s.CommitBatch(context.Background(), b, facts); err != nil {
		tb.Fatalf("commit %s: %v", name, err)
	}
	return b.ID
}

func newBatch(name string, facts []postal.Fact) *store.Batch {
	sum := sha256.Sum256([]byte(name))
	b := &store.Batch{FileName: name + ".xlsx", SHA256: hex.EncodeToString(sum[:]), User: "ana",
		Sheets: []string{"Sheet1"}, Rows: int64(len(facts)), Facts: int64(len(facts))}
	for _, f := range facts {
		b.Items += f.Items
		b.WeightKg += f.WeightKg
	}
	return b
}

// liveValue and liveKey let tests compare whole live states as maps.
type liveValue struct {
	Items     int64
	HasItems  bool
	WeightKg  float64
	HasWeight bool
}

type liveKey struct {
	Month postal.Month
	postal.Series
}

// liveState reads every live series-month.
func liveState(tb testing.TB, s store.Store) map[liveKey]liveValue {
	tb.Helper()
	sms, err := s.LiveSeries(context.Background(), store.Query{})
	if err != nil {
		tb.Fatalf("live series: %v", err)
	}
	out := map[liveKey]liveValue{}
	for _, sm := range sms {
		out[liveKey{sm.Month, sm.Series}] = liveValue{sm.Items, sm.HasItems, sm.WeightKg, sm.HasWeight}
	}
	return out
}

func equalState(a, b map[liveKey]liveValue) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok || va.Items != vb.Items || va.HasItems != vb.HasItems || va.HasWeight != vb.HasWeight ||
			math.Abs(va.WeightKg-vb.WeightKg) > 1e-9 {
			return false
		}
	}
	return true
}

func totals(tb testing.TB, s store.Store, q store.Query) []store.Total {
	tb.Helper()
	ts, err := s.Totals(context.Background(), q)
	if err != nil {
		tb.Fatalf("totals %+v: %v", q, err)
	}
	return ts
}
