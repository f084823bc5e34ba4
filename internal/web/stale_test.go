package web

import (
	"context"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// forBackends runs fn over a SQLite file and, with POSTDASH_TEST_POSTGRES
// set, over a scratch schema of PostgreSQL.
func forBackends(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "web.db")) })
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv("POSTDASH_TEST_POSTGRES")
		if dsn == "" {
			t.Skip("POSTDASH_TEST_POSTGRES not set: skipping PostgreSQL")
		}
		fn(t, scratchSchema(t, dsn))
	})
}

// kpiValueRe is a KPI card's value with its trace link.
var kpiValueRe = regexp.MustCompile(`id="kpi-([a-z]+)"[^>]*>\s*<div class="label">[^<]*</div>\s*<div class="value"><a class="trace" href="([^"]+)"[^>]*>([^<]*)</a>`)

type kpiShown struct{ link, value string }

// kpisOf reads a page's KPI cards: key → trace link and value.
func kpisOf(t *testing.T, page string) map[string]kpiShown {
	t.Helper()
	out := map[string]kpiShown{}
	for _, m := range kpiValueRe.FindAllStringSubmatch(page, -1) {
		out[m[1]] = kpiShown{link: html.UnescapeString(m[2]), value: m[3]}
	}
	if len(out) == 0 {
		t.Fatal("the page has no KPI card with a trace link")
	}
	return out
}

// TestStaleOverviewWhileLoading: while the view of a new data version
// loads, an anonymous reader is answered at once the figures of the last
// complete load, with the notice, and trace links that sum exactly those
// figures; never a view older than the last complete load; once the load
// and its page complete, the new figures without the notice. On both
// backends.
func TestStaleOverviewWhileLoading(t *testing.T) {
	forBackends(t, func(t *testing.T, dsn string) {
		e := calendarEnvOf(t, dsn, true)
		ctx := context.Background()
		n := 0
		commit := func(month int, items int64) {
			t.Helper()
			n++
			f := postal.Fact{Month: postal.Month{Year: 2025, Month: month}, Series: postal.Series{Direction: postal.Inbound, Category: postal.LetterPost, Partner: "china_post"},
				Sheet: "Sheet1", Items: items, HasItems: true, WeightKg: float64(items) / 10, HasWeight: true}
			b := &store.Batch{FileName: "m.xlsx", SHA256: strings.Repeat(string(rune('a'+n)), 64), User: "ali", Sheets: []string{"Sheet1"}, Rows: 1, Facts: 1, Items: items, WeightKg: f.WeightKg}
			if err := e.st.CommitBatch(ctx, b, []postal.Fact{f}); err != nil {
				t.Fatal(err)
			}
		}
		anon := e.anon()
		page := func() string { t.Helper(); return anon.get("/?lang=en").Body.String() }
		traceTotal := func(link string) string {
			t.Helper()
			m := traceTotalRe.FindStringSubmatch(anon.get(link).Body.String())
			if m == nil {
				t.Fatalf("%s: no trace total", link)
			}
			return m[1]
		}
		const notice = `id="stale-notice"`

		commit(1, 100) // version 1: January 100 items
		p1 := page()
		if strings.Contains(p1, notice) {
			t.Fatal("the first page, loaded while the reader waited, says it is of an earlier version")
		}
		v1 := kpisOf(t, p1)

		release, started := make(chan struct{}), make(chan struct{}, 4)
		e.srv.viewLoadHook = func(string) { started <- struct{}{}; <-release }
		commit(1, 250) // version 2: January revised to 250 items
		p2 := page()   // answered while the load of the new version is held
		if !strings.Contains(p2, notice) || !strings.Contains(p2, "Newer data are being added to this page") {
			t.Fatal("the page answered during the load does not say its figures are of an earlier version")
		}
		<-started
		v2 := kpisOf(t, p2)
		for k, was := range v1 {
			now := v2[k]
			if now.value != was.value {
				t.Errorf("%s during the load: %q, want the previous version's %q", k, now.value, was.value)
			}
			u, err := url.Parse(now.link)
			if err != nil || u.Query().Get("as_of") == "" {
				t.Fatalf("%s: trace link %q of the stale page names no as_of", k, now.link)
			}
			if got := traceTotal(now.link); got != was.value {
				t.Errorf("%s: the stale page's trace sums %q, the card shows %q", k, got, was.value)
			}
		}
		if got := traceTotal(v1["letters"].link); got == v1["letters"].value {
			t.Errorf("the live trace of letters still sums %q after the revision", got)
		}

		commit(2, 40) // version 3, while the load begun at version 2 is held
		if v3 := kpisOf(t, page()); v3["letters"].value != v1["letters"].value {
			t.Errorf("letters while the load is held: %q, want the last complete load's %q", v3["letters"].value, v1["letters"].value)
		}
		close(release)
		e.srv.background.Wait()
		e.srv.viewLoadHook = nil
		// The view is loaded; the first reader has its page written in
		// the background, and is answered meanwhile the last page written
		// (version 1's), with the notice.
		if p := page(); kpisOf(t, p)["letters"].value == v1["letters"].value && !strings.Contains(p, notice) {
			t.Error("while the new page is written, the page before is answered without the notice")
		}
		e.srv.background.Wait()
		p4 := page()
		if strings.Contains(p4, notice) {
			t.Error("after the load completed the page still says it is of an earlier version")
		}
		v4 := kpisOf(t, p4)
		if v4["letters"].value == v1["letters"].value {
			t.Errorf("after the load completed, letters %q: the previous version's", v4["letters"].value)
		}
		if got := traceTotal(v4["letters"].link); got != v4["letters"].value {
			t.Errorf("the current page's letters trace sums %q, the card shows %q", got, v4["letters"].value)
		}
		if strings.Contains(v4["letters"].link, "as_of") {
			t.Errorf("the current page's trace link %q views a past time", v4["letters"].link)
		}
	})
}

// TestStaleEmptyOverview: before the first import, a reader during the
// load of the first data is answered the empty page with a notice that
// names no time, then the figures.
func TestStaleEmptyOverview(t *testing.T) {
	forBackends(t, func(t *testing.T, dsn string) {
		e := calendarEnvOf(t, dsn, true)
		anon := e.anon()
		const notice = `id="stale-notice"`
		if p := anon.get("/?lang=en").Body.String(); strings.Contains(p, notice) || strings.Contains(p, `id="kpi-`) {
			t.Fatal("the empty overview has figures or a notice")
		}
		e.srv.background.Wait() // its twin written
		release := make(chan struct{})
		e.srv.viewLoadHook = func(string) { <-release }
		f := postal.Fact{Month: postal.Month{Year: 2025, Month: 1}, Series: postal.Series{Direction: postal.Inbound, Category: postal.LetterPost, Partner: "china_post"},
			Sheet: "Sheet1", Items: 7, HasItems: true}
		if err := e.st.CommitBatch(context.Background(), &store.Batch{FileName: "first.xlsx", SHA256: strings.Repeat("e", 64), User: "ali", Sheets: []string{"Sheet1"}, Rows: 1, Facts: 1, Items: 7}, []postal.Fact{f}); err != nil {
			t.Fatal(err)
		}
		p := anon.get("/?lang=en").Body.String()
		if !strings.Contains(p, notice) || !strings.Contains(p, "Data are being added to this page.") || strings.Contains(p, `id="kpi-`) {
			t.Error("during the first load the page is not the empty one with its notice")
		}
		close(release)
		e.srv.background.Wait()
		e.srv.viewLoadHook = nil
		anon.get("/?lang=en")
		e.srv.background.Wait()
		if p := anon.get("/?lang=en").Body.String(); strings.Contains(p, notice) || !strings.Contains(p, `id="kpi-`) {
			t.Error("after the first load the page lacks its figures or keeps the notice")
		}
	})
}
