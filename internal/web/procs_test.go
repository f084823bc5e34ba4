package web

import (
	"runtime"
	"testing"
	"time"

	"postdash/internal/i18n"
	"postdash/internal/sheet"
)

// TestProcsWhileReading: a reader's request raises GOMAXPROCS to
// BusyProcs, readers coming keep it raised, and a quiet second puts it
// back; an upload's own requests and the health check do not raise it.
func TestProcsWhileReading(t *testing.T) {
	quiet := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(quiet)
	busy := quiet + 2
	env := newAuthEnvConfig(t, Config{DefaultLang: i18n.EN, Public: true, BusyProcs: busy}, sheet.Limits{})
	c := env.anon()
	for _, path := range []string{"/healthz", "/upload", "/upload/nosuchjob/progress", "/api/v1/imports"} {
		c.get(path)
		if got := runtime.GOMAXPROCS(0); got != quiet {
			t.Fatalf("after GET %s: GOMAXPROCS %d, want %d (not a reader)", path, got, quiet)
		}
	}
	if rec := c.get("/"); rec.Code != 200 {
		t.Fatalf("overview: %d", rec.Code)
	}
	if got := runtime.GOMAXPROCS(0); got != busy {
		t.Fatalf("after a reader's request: GOMAXPROCS %d, want %d", got, busy)
	}
	// Readers keep coming for twice the quiet delay: it stays raised.
	for end := time.Now().Add(2 * procsQuietAfter); time.Now().Before(end); time.Sleep(procsQuietAfter / 5) {
		c.get("/api/v1/totals?by=period")
		if got := runtime.GOMAXPROCS(0); got != busy {
			t.Fatalf("readers coming: GOMAXPROCS %d, want %d", got, busy)
		}
	}
	// Then none: back to quiet within a little more than the delay.
	deadline := time.Now().Add(procsQuietAfter + 2*time.Second)
	for runtime.GOMAXPROCS(0) != quiet && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := runtime.GOMAXPROCS(0); got != quiet {
		t.Fatalf("a quiet while after the last reader: GOMAXPROCS %d, want %d", got, quiet)
	}
	// And raised again by the next reader.
	c.get("/")
	if got := runtime.GOMAXPROCS(0); got != busy {
		t.Fatalf("the next reader: GOMAXPROCS %d, want %d", got, busy)
	}
}

// TestProcsLeftAlone: without BusyProcs (or one not above the current
// GOMAXPROCS) the server never changes it.
func TestProcsLeftAlone(t *testing.T) {
	quiet := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(quiet)
	for _, busy := range []int{0, quiet} {
		env := newAuthEnvConfig(t, Config{DefaultLang: i18n.EN, Public: true, BusyProcs: busy}, sheet.Limits{})
		env.anon().get("/")
		if got := runtime.GOMAXPROCS(0); got != quiet {
			t.Errorf("BusyProcs %d: GOMAXPROCS %d after a reader, want %d", busy, got, quiet)
		}
	}
}
