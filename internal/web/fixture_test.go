package web

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// fixture is live data for a test, held in a real SQLite store (a
// temporary file): a test may change the rows first, and newTestServer
// writes them as one batch before it serves. Every answer then comes from
// the store the product runs on; the fixture only counts the reads of live
// data (LiveSeries and Totals), for the cache tests.
type fixture struct {
	store.Store // the SQLite store, once opened
	live        []store.SeriesMonth
	batch       store.Batch // file, user and time of the batch holding live
	path        string
	reads       atomic.Int64
	commits     int
}

// fixtureSheet is the sheet every fixture fact came from: a name that looks
// like a formula, for the exports and pages to neutralise or escape.
const fixtureSheet = "=HYPERLINK(1)"

// open creates the SQLite file and commits live as one batch made at
// f.batch.CreatedAt; it is done once, by newTestServer or by the test.
func (f *fixture) open(t testing.TB) *fixture {
	t.Helper()
	if f.Store != nil {
		return f
	}
	f.path = filepath.Join(t.TempDir(), "fixture.db")
	st, err := store.Open(context.Background(), f.path)
	if err != nil {
		t.Fatalf("open fixture store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	f.Store = st
	if len(f.live) > 0 {
		f.commitAt(t, f.batch.FileName, f.batch.CreatedAt, f.live...)
	}
	return f
}

// commit writes rows as a new batch, as an import would: it supersedes
// those series-months and moves the data version.
func (f *fixture) commit(t testing.TB, rows ...store.SeriesMonth) {
	t.Helper()
	f.commitAt(t, fmt.Sprintf("change-%d.xlsx", f.commits), time.Now(), rows...)
}

func (f *fixture) commitAt(t testing.TB, file string, at time.Time, rows ...store.SeriesMonth) {
	t.Helper()
	f.commits++
	facts := make([]postal.Fact, len(rows))
	b := &store.Batch{FileName: file, SHA256: fmt.Sprintf("%064x", f.commits), User: f.batch.User, Sheets: []string{fixtureSheet}, Facts: int64(len(rows))}
	for i, r := range rows {
		facts[i] = postal.Fact{Month: r.Month, Series: r.Series, Sheet: fixtureSheet, Items: r.Items, HasItems: r.HasItems, WeightKg: r.WeightKg, HasWeight: r.HasWeight}
		b.Items += r.Items
		b.WeightKg += r.WeightKg
	}
	ctx := context.Background()
	if err := f.Store.CommitBatch(ctx, b, facts); err != nil {
		t.Fatalf("commit fixture batch: %v", err)
	}
	if at.IsZero() {
		return
	}
	// The store stamps a batch with the time of the commit; the pages show
	// that time, so the fixture gives its batch a fixed one.
	db, err := sql.Open("sqlite", f.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `UPDATE batches SET created_at = ? WHERE id = ?`, at.UnixMicro(), b.ID); err != nil {
		t.Fatalf("date the fixture batch: %v", err)
	}
}

func (f *fixture) LiveSeries(ctx context.Context, q store.Query) ([]store.SeriesMonth, error) {
	f.reads.Add(1)
	return f.Store.LiveSeries(ctx, q)
}

func (f *fixture) LiveGroups(ctx context.Context, q store.Query) ([]store.SeriesGroup, error) {
	f.reads.Add(1)
	return f.Store.LiveGroups(ctx, q)
}

func (f *fixture) Totals(ctx context.Context, q store.Query) ([]store.Total, error) {
	f.reads.Add(1)
	return f.Store.Totals(ctx, q)
}

// Snapshot counts the reads of the views loaded from a snapshot too.
func (f *fixture) Snapshot(ctx context.Context, fn func(st store.Store, d store.DataState) error) error {
	return f.Store.Snapshot(ctx, func(st store.Store, d store.DataState) error {
		return fn(&countingStore{Store: st, reads: &f.reads}, d)
	})
}

// countingStore counts what a fixture's LiveSeries and Totals count.
type countingStore struct {
	store.Store
	reads *atomic.Int64
}

func (c *countingStore) LiveSeries(ctx context.Context, q store.Query) ([]store.SeriesMonth, error) {
	c.reads.Add(1)
	return c.Store.LiveSeries(ctx, q)
}

func (c *countingStore) LiveGroups(ctx context.Context, q store.Query) ([]store.SeriesGroup, error) {
	c.reads.Add(1)
	return c.Store.LiveGroups(ctx, q)
}

func (c *countingStore) Totals(ctx context.Context, q store.Query) ([]store.Total, error) {
	c.reads.Add(1)
	return c.Store.Totals(ctx, q)
}

// emptyStore is a database with nothing imported.
func emptyStore() *fixture { return &fixture{} }

// sampleStore holds the sample workbook's figures: Jan–Jun 2025, letters in
// and out (kg), registered letters in and out (items), e-commerce inbound (kg)
// by partner and marketplace, plus June 2024 letters (500 kg) for a
// year-over-year, in one batch of uz-cn-post-2025-h1.xlsx imported by
// "test" on 2 July 2025 at 09:30 UTC.
func sampleStore() *fixture {
	f := &fixture{batch: store.Batch{FileName: "uz-cn-post-2025-h1.xlsx", User: "test", CreatedAt: time.Date(2025, 7, 2, 9, 30, 0, 0, time.UTC)}}
	lettersIn := []float64{198, 176, 221, 205, 232, 214}
	lettersOut := []float64{287, 301, 312, 298, 321, 320}
	regIn := []int64{512, 468, 540, 501, 530, 519}
	regOut := []int64{470, 455, 498, 502, 515, 504}
	ecom := []float64{33000, 35200, 37100, 38900, 40100, 42200}
	type split struct {
		partner, market string
		share           float64
	}
	splits := []split{{postal.ChinaPost, postal.AliExpress, 0.5}, {postal.ChinaPost, postal.Temu, 0.3}, {postal.LatvijasPasts, "Shein <b>&</b>", 0.2}}
	for i := 0; i < 6; i++ {
		m := postal.Month{Year: 2025, Month: i + 1}
		add := func(d postal.Direction, p string, c postal.Category, mk string, items int64, hasItems bool, kg float64, hasKg bool) {
			f.live = append(f.live, store.SeriesMonth{Month: m, Series: postal.Series{Direction: d, Partner: p, Category: c, Marketplace: mk},
				Items: items, HasItems: hasItems, WeightKg: kg, HasWeight: hasKg})
		}
		add(postal.Inbound, postal.ChinaPost, postal.LetterPost, "", 0, false, lettersIn[i], true)
		add(postal.Outbound, postal.ChinaPost, postal.LetterPost, "", 0, false, lettersOut[i], true)
		add(postal.Inbound, postal.ChinaPost, postal.RegisteredLetter, "", regIn[i], true, 0, false)
		add(postal.Outbound, postal.ChinaPost, postal.RegisteredLetter, "", regOut[i], true, 0, false)
		for _, s := range splits {
			add(postal.Inbound, s.partner, postal.Ecommerce, s.market, 0, false, ecom[i]*s.share, true)
		}
	}
	for _, d := range []struct {
		dir postal.Direction
		kg  float64
	}{{postal.Inbound, 200}, {postal.Outbound, 300}} {
		f.live = append(f.live, store.SeriesMonth{Month: postal.Month{Year: 2024, Month: 6}, Series: postal.Series{Direction: d.dir, Partner: postal.ChinaPost, Category: postal.LetterPost}, WeightKg: d.kg, HasWeight: true})
	}
	return f
}
