package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// BenchmarkOverviewAsOf renders the overview, cold (a new server for every
// request, so nothing is cached), of the live data and as of three times,
// on SQLite holding 1,000 batches of 1,000 facts each (a million facts):
// every batch revises the same 1,000 series-months (50 months by 4
// directions by 5 categories), one minute after the one before, and every
// tenth batch is undone ten minutes after its commit. The history of each
// series-month is then a thousand rows long, the worst case for as_of.
func BenchmarkOverviewAsOf(b *testing.B) {
	const batches, seriesMonths = 1000, 1000
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	now := start
	ctx := context.Background()
	st, err := store.OpenWithClock(ctx, filepath.Join(b.TempDir(), "asof.db"), func() time.Time { return now })
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	first := postal.Month{Year: 2025, Month: 6}.Add(-49)
	var undo []int64
	for n := range batches {
		now = start.Add(time.Duration(n) * time.Minute)
		for len(undo) > 0 && n%10 == 0 { // the batch ten minutes back
			if err := st.UndoBatch(ctx, undo[0], "bench"); err != nil {
				b.Fatal(err)
			}
			undo = undo[1:]
		}
		facts := make([]postal.Fact, 0, seriesMonths)
		for i := range seriesMonths {
			facts = append(facts, postal.Fact{
				Month: first.Add(i / 20),
				Series: postal.Series{Direction: postal.Directions[i%4], Category: postal.Categories[i/4%5],
					Partner: postal.ChinaPost},
				Sheet: "Sheet1", Items: int64(i%1000 + n), HasItems: true,
				WeightKg: float64(i%100+n) / 4, HasWeight: true,
			})
		}
		bt := &store.Batch{FileName: fmt.Sprintf("b%d.xlsx", n), SHA256: fmt.Sprintf("%064d", n), User: "bench", Facts: seriesMonths}
		if err := st.CommitBatch(ctx, bt, facts); err != nil {
			b.Fatal(err)
		}
		if n%10 == 5 {
			undo = append(undo, bt.ID)
		}
	}
	tz := time.FixedZone("UTC+5", 5*3600) // the test server's Asia/Tashkent
	at := func(minute int) string {
		return start.Add(time.Duration(minute) * time.Minute).In(tz).Format("2006-01-02T15:04")
	}
	for _, view := range []struct{ name, url string }{
		{"live", "/?lang=en"},
		{"as_of=early", "/?lang=en&as_of=" + at(batches/10)},
		{"as_of=middle", "/?lang=en&as_of=" + at(batches/2)},
		{"as_of=late", "/?lang=en&as_of=" + at(batches-5)},
	} {
		b.Run(view.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				h := newTestServer(b, st)
				b.StartTimer()
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, view.url, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d", view.url, rec.Code)
				}
			}
		})
	}
}
