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

// BenchmarkOverview renders the overview of the sample, from the in-memory
// fake and from SQLite, cold (nothing cached: a new data version or a new
// server each time) and warm (the view cache holds the data).
func BenchmarkOverview(b *testing.B) {
	for _, warm := range []bool{false, true} {
		name := "fake/cold"
		if warm {
			name = "fake/warm"
		}
		b.Run(name, func(b *testing.B) {
			st := sampleStore()
			h := newTestServer(b, st)
			req := httptest.NewRequest(http.MethodGet, "/?lang=en", nil)
			for b.Loop() {
				if !warm {
					st.version++
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
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
// SQLite with the same 1,000 live series-months loaded as 1,000 facts (one
// batch) and as 1,000,000 (ten batches of 100 sheets each): the cost must not
// follow the number of facts. Cold builds a new server (an empty view cache,
// untimed) for every request; warm serves from the cache. -short leaves out
// 1M, whose loading takes a while.
func BenchmarkOverviewFacts(b *testing.B) {
	sizes := []struct {
		name            string
		batches, sheets int
	}{
		{"facts=1k", 1, 1},
		{"facts=1M", 10, 100},
	}
	pages := []struct{ name, url string }{
		{"overview", "/?lang=en"},
		{"totals", "/api/v1/totals?by=period,category"},
	}
	for _, size := range sizes {
		if testing.Short() && size.batches > 1 {
			continue
		}
		st := sqliteWithFacts(b, size.batches, size.sheets)
		for _, page := range pages {
			for _, warm := range []bool{false, true} {
				name := page.name + "/cold/" + size.name
				if warm {
					name = page.name + "/warm/" + size.name
				}
				b.Run(name, func(b *testing.B) {
					h := newTestServer(b, st)
					for b.Loop() {
						if !warm {
							b.StopTimer()
							h = newTestServer(b, st)
							b.StartTimer()
						}
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, page.url, nil))
						if rec.Code != http.StatusOK {
							b.Fatalf("%s: status %d", page.url, rec.Code)
						}
					}
				})
			}
		}
	}
}

// sqliteWithFacts is a SQLite store holding 1,000 series-months (the 50
// months to 2025-06 by 4 directions by 5 categories) in batches commits of
// sheets sheets each, every sheet holding all of them.
func sqliteWithFacts(b *testing.B, batches, sheets int) store.Store {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "facts.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
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
	for n := range batches {
		bt := &store.Batch{FileName: fmt.Sprintf("bench-%d.xlsx", n), SHA256: fmt.Sprintf("%064d", n), User: "bench", Facts: int64(len(facts))}
		if err := st.CommitBatch(ctx, bt, facts); err != nil {
			b.Fatal(err)
		}
	}
	return st
}
