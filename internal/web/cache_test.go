package web

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/postal"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

// TestCachedLoadsAViewOncePerVersion: readers asking at once for a view
// the cache lacks (as all do right after a commit) wait for one load of it
// instead of each loading it; after a commit, it is loaded again.
func TestCachedLoadsAViewOncePerVersion(t *testing.T) {
	st, im := sqliteWithSample(t)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{DefaultLang: i18n.EN, Public: true}, st, im, cat)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var loads atomic.Int64
	load := func() (int, error) {
		loads.Add(1)
		time.Sleep(50 * time.Millisecond) // long enough for every reader to ask meanwhile
		return 42, nil
	}
	readAll := func() {
		var wg sync.WaitGroup
		for range 30 {
			wg.Go(func() {
				if v, err := cached(ctx, s, "view", load); err != nil || v != 42 {
					t.Errorf("cached: %v, %v", v, err)
				}
			})
		}
		wg.Wait()
	}
	readAll()
	if n := loads.Load(); n != 1 {
		t.Errorf("30 readers at once made %d loads, want 1", n)
	}
	readAll()
	if n := loads.Load(); n != 1 {
		t.Errorf("after the view was cached: %d loads, want 1", n)
	}
	fact := postal.Fact{Month: postal.Month{Year: 2025, Month: 7}, Series: postal.Series{Direction: postal.Directions[0], Category: postal.Categories[0], Partner: "china_post"},
		Sheet: "Sheet1", Items: 1, HasItems: true}
	if err := st.CommitBatch(ctx, &store.Batch{FileName: "july.xlsx", SHA256: strings.Repeat("ab", 32), User: "ali", Sheets: []string{"Sheet1"}, Rows: 1, Facts: 1, Items: 1}, []postal.Fact{fact}); err != nil {
		t.Fatal(err)
	}
	readAll()
	if n := loads.Load(); n != 2 {
		t.Errorf("after a commit: %d loads, want 2", n)
	}
}

// TestAnonymousOverviewFollowsCommits: the overview written once for
// readers who are not signed in is written again after a commit, and a
// signed-in reader never gets it.
func TestAnonymousOverviewFollowsCommits(t *testing.T) {
	env := newAuthEnv(t, true, sheet.Limits{})
	ctx := context.Background()
	if err := EnsureSample(ctx, env.st, importer.New(env.st, sheet.Limits{}, nil), slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	anon, vera := env.anon(), env.login("vera")
	const july = `value="2025-07"`
	for range 2 {
		if page := anon.get("/?lang=en").Body.String(); !strings.Contains(page, `value="2025-06"`) || strings.Contains(page, july) {
			t.Fatalf("anonymous overview before the commit: has 2025-06 %v, 2025-07 %v", strings.Contains(page, `value="2025-06"`), strings.Contains(page, july))
		}
	}
	if page := vera.get("/?lang=en").Body.String(); !strings.Contains(page, "vera") {
		t.Error("the signed-in reader's overview does not name her")
	}
	fact := postal.Fact{Month: postal.Month{Year: 2025, Month: 7}, Series: postal.Series{Direction: postal.Directions[0], Category: postal.Categories[0], Partner: "china_post"},
		Sheet: "Sheet1", Items: 1, HasItems: true}
	if err := env.st.CommitBatch(ctx, &store.Batch{FileName: "july.xlsx", SHA256: strings.Repeat("cd", 32), User: "ali", Sheets: []string{"Sheet1"}, Rows: 1, Facts: 1, Items: 1}, []postal.Fact{fact}); err != nil {
		t.Fatal(err)
	}
	// The first reader after the commit may be answered the page of the
	// version before, said to be so, while the new one loads.
	if page := anon.get("/?lang=en").Body.String(); !strings.Contains(page, july) && !strings.Contains(page, `id="stale-notice"`) {
		t.Error("the anonymous overview after the commit lacks 2025-07 and does not say it is of the version before")
	}
	env.srv.background.Wait()
	anon.get("/?lang=en") // has the new page written
	env.srv.background.Wait()
	if page := anon.get("/?lang=en").Body.String(); !strings.Contains(page, july) || strings.Contains(page, `id="stale-notice"`) {
		t.Error("the anonymous overview after the load lacks 2025-07 or says it is of the version before")
	}
	if page := anon.get("/?lang=en").Body.String(); strings.Contains(page, "vera") {
		t.Error("the anonymous overview names a signed-in reader")
	}
}
