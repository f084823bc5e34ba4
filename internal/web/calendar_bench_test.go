package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"postdash/internal/store"
)

// BenchmarkOverviewSchedule is BenchmarkOverviewFacts' 1M-fact history
// (10 batches of 100 sheets, then one of 1 sheet, 1,000 live
// series-months) served cold, without and with a reporting schedule: what
// judging every month against the batch history costs.
func BenchmarkOverviewSchedule(b *testing.B) {
	st := sqliteWithFacts(b)
	for range 10 {
		commitFacts(b, st, 100)
	}
	commitFacts(b, st, 1)
	for _, rule := range []bool{false, true} {
		name := "no-schedule"
		if rule {
			name = "schedule"
			if _, err := st.PutSchedule(context.Background(), store.Schedule{Rule: "day", N: 15, User: "bench"}); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(name+"/cold", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				h := newTestServer(b, st)
				b.StartTimer()
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/?lang=en", nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
