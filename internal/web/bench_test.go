package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"

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

// BenchmarkOverviewWide renders the overview of a store of the shape a
// tester's 400,000-row list made: 4 years × 3 directions × 3 partners ×
// 2 categories × 30 marketplaces (25,920 live series-months), and of ten
// times it (300 marketplaces: 259,200), in one batch each, on SQLite.
// Cold builds a new server (an empty view cache, untimed) for every
// request, warm serves from the cache. Besides the time it reports the
// CPU time of the process per request (cpu-ms/op, user and system, all
// goroutines: the load is on one core, the rest of the machine is shared)
// and the peak of the Go heap above what it held before the request
// (peak-heap-MB, sampled every 200 µs), which is what the request holds
// at once. -short keeps the first shape only.
func BenchmarkOverviewWide(b *testing.B) {
	for i, markets := range []int{30, 300} {
		if testing.Short() && i > 0 {
			continue
		}
		st := sqliteWithFacts(b)
		commitWide(b, st, markets)
		for _, warm := range []bool{false, true} {
			name := fmt.Sprintf("cold/live=%d", 864*markets)
			if warm {
				name = fmt.Sprintf("warm/live=%d", 864*markets)
			}
			b.Run(name, func(b *testing.B) {
				h := newTestServer(b, st)
				serve := func() {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/?lang=en", nil))
					if rec.Code != http.StatusOK {
						b.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
					}
				}
				if warm {
					serve() // fill the cache before the timer starts
				}
				var peak uint64
				var cpu time.Duration
				for b.Loop() {
					if !warm {
						b.StopTimer()
						h = newTestServer(b, st)
						b.StartTimer()
					}
					b.StopTimer()
					runtime.GC()
					base := heapBytes()
					stop := sampleHeap()
					c0 := processCPU()
					b.StartTimer()
					serve()
					b.StopTimer()
					cpu += processCPU() - c0
					if p := stop(); p > base && p-base > peak {
						peak = p - base
					}
					b.StartTimer()
				}
				b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
			})
		}
	}
}

// commitWide commits one batch of the 4 years (2022–2025) × 3 directions
// × 3 partners × parcels and e-commerce × markets marketplaces.
func commitWide(b *testing.B, st store.Store, markets int) {
	b.Helper()
	dirs := []postal.Direction{postal.Inbound, postal.Outbound, postal.Transit}
	partners := []string{postal.ChinaPost, postal.LatvijasPasts, "Korea Post"}
	facts := make([]postal.Fact, 0, 864*markets)
	i := 0
	for m := (postal.Month{Year: 2022, Month: 1}); m.Year < 2026; m = m.Add(1) {
		for _, d := range dirs {
			for _, p := range partners {
				for _, c := range []postal.Category{postal.Parcel, postal.Ecommerce} {
					for mk := range markets {
						i++
						facts = append(facts, postal.Fact{Month: m, Series: postal.Series{Direction: d, Partner: p, Category: c, Marketplace: fmt.Sprintf("shop%03d", mk)},
							Sheet: "big.csv", Items: int64(i%997 + 1), HasItems: true, WeightKg: float64(i%99991) / 1000, HasWeight: true})
					}
				}
			}
		}
	}
	bt := &store.Batch{FileName: "big.csv", SHA256: fmt.Sprintf("%064d", markets), User: "bench", Facts: int64(len(facts))}
	if err := st.CommitBatch(context.Background(), bt, facts); err != nil {
		b.Fatal(err)
	}
}

// heapBytes is the Go heap's live and not yet swept objects, in bytes.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// sampleHeap samples heapBytes until the function it returns is called,
// which returns the largest sample.
func sampleHeap() func() uint64 {
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var max uint64
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			if h := heapBytes(); h > max {
				max = h
			}
			select {
			case <-done:
				if h := heapBytes(); h > max {
					max = h
				}
				peak <- max
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); return <-peak }
}

// processCPU is the CPU time the process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
