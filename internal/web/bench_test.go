package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
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
