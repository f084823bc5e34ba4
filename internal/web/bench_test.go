package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// BenchmarkOverview renders the overview of the sample from SQLite, cold
// (a new server, so nothing cached) and warm (the view cache holds the data).
func BenchmarkOverview(b *testing.B) {
	b.Run("sqlite/warm", func(b *testing.B) {
		st, _ := sqliteWithSample(b)
		h := newTestServer(b, st)
		req := httptest.NewRequest(http.MethodGet, "/?lang=en", nil)
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
	b.Run("sqlite/cold", func(b *testing.B) {
		st, _ := sqliteWithSample(b)
		for b.Loop() {
			h := newTestServer(b, st) // a new server has an empty cache
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/?lang=en", nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
		}
	})
}

// BenchmarkOverviewFacts renders the overview and answers /api/v1/totals on
// SQLite with the same 1,000 live series-months behind three loads:
//
//	live=1k/facts=1k     one batch of one sheet
//	live=1k/facts=1M     ten batches of 100 sheets each, then one batch of one
//	                     sheet superseding them all: a million facts of history
//	live=100k/facts=1M   ten batches of 100 sheets each: the last one is live,
//	                     100 sheets (100,000 facts) behind every series-month
//
// Cold builds a new server (an empty view cache, untimed) for every request;
// warm serves from the cache. -short keeps the first load only.
func BenchmarkOverviewFacts(b *testing.B) {
	loads := []struct {
		name string
		// batches of sheets sheets each, then, when last, a one-sheet batch
		batches, sheets int
		last            bool
	}{
		{"live=1k/facts=1k", 1, 1, false},
		{"live=1k/facts=1M", 10, 100, true},
		{"live=100k/facts=1M", 10, 100, false},
	}
	pages := []struct{ name, url string }{
		{"overview", "/?lang=en"},
		{"totals", "/api/v1/totals?by=period,category"},
	}
	for i, load := range loads {
		if testing.Short() && i > 0 {
			continue
		}
		st := sqliteWithFacts(b)
		for range load.batches {
			commitFacts(b, st, load.sheets)
		}
		if load.last {
			commitFacts(b, st, 1)
		}
		for _, page := range pages {
			for _, warm := range []bool{false, true} {
				name := page.name + "/cold/" + load.name
				if warm {
					name = page.name + "/warm/" + load.name
				}
				b.Run(name, func(b *testing.B) {
					h := newTestServer(b, st)
					serve := func() {
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, page.url, nil))
						if rec.Code != http.StatusOK {
							b.Fatalf("%s: status %d", page.url, rec.Code)
						}
					}
					if warm {
						serve() // fill the cache before the timer starts
					}
					for b.Loop() {
						if !warm {
							b.StopTimer()
							h = newTestServer(b, st)
							b.StartTimer()
						}
						serve()
					}
				})
			}
		}
	}
}

// sqliteWithFacts opens an empty SQLite store for commitFacts.
func sqliteWithFacts(b *testing.B) store.Store {
	b.Helper()
	st, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "facts.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// commitFacts commits a batch of sheets sheets, each holding the same 1,000
// series-months (the 50 months to 2025-06 by 4 directions by 5 categories).
func commitFacts(b *testing.B, st store.Store, sheets int) {
	b.Helper()
	const seriesMonths = 1000
	first := postal.Month{Year: 2025, Month: 6}.Add(-49)
	facts := make([]postal.Fact, 0, seriesMonths*sheets)
	for sh := range sheets {
		for i := range seriesMonths {
			facts = append(facts, postal.Fact{
				Month: first.Add(i / 20),
				Series: postal.Series{
					Direction: postal.Directions[i%4], Category: postal.Categories[i/4%5],
					Partner: postal.ChinaPost,
				},
				Sheet: fmt.Sprintf("Sheet%d", sh), Items: int64(i%1000 + 1), HasItems: true,
				WeightKg: float64(i%100) / 4, HasWeight: true,
			})
		}
	}
	ctx := context.Background()
	n, err := st.Batches(ctx)
	if err != nil {
		b.Fatal(err)
	}
	bt := &store.Batch{FileName: fmt.Sprintf("bench-%d.xlsx", len(n)), SHA256: fmt.Sprintf("%064d", len(n)), User: "bench", Facts: int64(len(facts))}
	if err := st.CommitBatch(ctx, bt, facts); err != nil {
		b.Fatal(err)
	}
}
