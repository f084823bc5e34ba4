package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// The as-of oracle: a random history of commits and undos, each at its own
// second, replayed into a store; at every moment of it, what the store
// says was live is computed again from the raw history by the plainest
// code (the newest batch committed by then and not undone by then holds
// each series-month), and so are the revised marks (the oldest such batch
// published the first value).

type vBatch struct {
	id        int64
	facts     []postal.Fact
	committed time.Time
	undone    *time.Time
}

// visibleAt reports whether b was live at t.
func (b vBatch) visibleAt(t time.Time) bool {
	return !b.committed.After(t) && (b.undone == nil || b.undone.After(t))
}

// valueOf sums b's facts of a series-month; ok is false when b lacks it.
func (b vBatch) valueOf(k liveKey) (v liveValue, ok bool) {
	for _, f := range b.facts {
		if f.Month == k.Month && f.Series == k.Series {
			v.Items += f.Items
			v.HasItems = v.HasItems || f.HasItems
			v.WeightKg += f.WeightKg
			v.HasWeight = v.HasWeight || f.HasWeight
			ok = true
		}
	}
	return v, ok
}

// oracleAt is the live state at t, and per series-month the first value.
func oracleAt(bs []vBatch, t time.Time) (live, first map[liveKey]liveValue) {
	live, first = map[liveKey]liveValue{}, map[liveKey]liveValue{}
	for _, b := range bs { // oldest first: the last visible holder wins, the first stays first
		if !b.visibleAt(t) {
			continue
		}
		for _, f := range b.facts {
			k := liveKey{f.Month, f.Series}
			v, _ := b.valueOf(k)
			live[k] = v
			if _, ok := first[k]; !ok {
				first[k] = v
			}
		}
	}
	return live, first
}

func randomHistory(r *rand.Rand) (ops []string, batches [][]postal.Fact) {
	keys := []postal.Series{inChinaParcel, inChinaEcomAli, outLatviaEMS}
	for i, n := 0, 3+r.IntN(10); i < n; i++ {
		if i > 0 && r.IntN(3) == 0 {
			ops = append(ops, "undo")
			continue
		}
		var facts []postal.Fact
		for range 1 + r.IntN(5) {
			f := postal.Fact{Month: postal.Month{Year: 2025, Month: 1 + r.IntN(4)}, Series: keys[r.IntN(len(keys))],
				Sheet: []string{"A", "B"}[r.IntN(2)], Items: int64(r.IntN(4)), HasItems: true}
			if r.IntN(2) == 0 {
				f.WeightKg, f.HasWeight = float64(r.IntN(40))/4, true
			}
			if r.IntN(5) == 0 {
				f.Note = "preliminary"
			}
			dup := false
			for _, g := range facts {
				dup = dup || (g.Month == f.Month && g.Series == f.Series && g.Sheet == f.Sheet)
			}
			if !dup {
				facts = append(facts, f)
			}
		}
		ops = append(ops, "commit")
		batches = append(batches, facts)
	}
	return ops, batches
}

// replay runs the history on s (whose clock is *now) one second apart.
func replay(t *testing.T, s store.Store, now *time.Time, r *rand.Rand, ops []string, facts [][]postal.Fact) []vBatch {
	ctx := context.Background()
	var bs []vBatch
	next := 0
	for i, op := range ops {
		*now = now.Add(time.Second)
		switch op {
		case "commit":
			b := newBatch(fmt.Sprintf("h%d-%d", i, r.Int()), facts[next])
			if err := s.CommitBatch(ctx, b, facts[next]); err != nil {
				t.Fatal(err)
			}
			bs = append(bs, vBatch{id: b.ID, facts: facts[next], committed: *now})
			next++
		case "undo":
			var live []int
			for j, b := range bs {
				if b.undone == nil {
					live = append(live, j)
				}
			}
			if len(live) == 0 {
				continue
			}
			j := live[r.IntN(len(live))]
			if err := s.UndoBatch(ctx, bs[j].id, "ana"); err != nil {
				t.Fatal(err)
			}
			at := *now
			bs[j].undone = &at
		}
	}
	return bs
}

func TestAsOfFollowsTheBatchHistory(t *testing.T) {
	forEachBackendDSN(t, func(t *testing.T, dsn string) {
		for seed := range uint64(12) {
			r := rand.New(rand.NewPCG(seed, 7))
			start := time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
			now := start
			s, err := store.OpenWithClock(context.Background(), dsn, func() time.Time { return now })
			if err != nil {
				t.Fatal(err)
			}
			ops, facts := randomHistory(r)
			bs := replay(t, s, &now, r, ops, facts)
			checkVintages(t, fmt.Sprintf("seed %d", seed), s, bs, start, now)
			if strings.HasPrefix(dsn, "postgres") {
				rebuildHistory(t, dsn, s)
				s2 := openStore(t, dsn)
				checkVintages(t, fmt.Sprintf("seed %d, history rebuilt by the migration", seed), s2, bs, start, now)
			} else {
				s.Close()
				rebuildHistory(t, dsn, nil)
				s2 := openStore(t, dsn)
				checkVintages(t, fmt.Sprintf("seed %d, history rebuilt by the migration", seed), s2, bs, start, now)
				s2.Close()
			}
			s.Close()
			wipe(t, dsn)
		}
	})
}

// rebuildHistory drops what migration 0007 made, so that opening the
// store again replays it over the batches and facts already there.
func rebuildHistory(t *testing.T, dsn string, _ store.Store) {
	t.Helper()
	stmts := []string{"DROP TABLE series_history", "DROP TABLE series_keys", "DELETE FROM schema_migrations WHERE version = '0007_series_history'"}
	run(t, dsn, stmts)
}

// wipe empties the database for the next history.
func wipe(t *testing.T, dsn string) {
	t.Helper()
	run(t, dsn, []string{"DELETE FROM facts", "DELETE FROM batches", "DELETE FROM live_series", "DELETE FROM supersessions",
		"DELETE FROM series_history", "DELETE FROM series_keys"})
}

func run(t *testing.T, dsn string, stmts []string) {
	t.Helper()
	ctx := context.Background()
	if strings.HasPrefix(dsn, "postgres") {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		for _, st := range stmts {
			if _, err := conn.Exec(ctx, st); err != nil {
				t.Fatalf("%s: %v", st, err)
			}
		}
		return
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, st := range stmts {
		if _, err := db.ExecContext(ctx, st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
}

func checkVintages(t *testing.T, name string, s store.Store, bs []vBatch, start, end time.Time) {
	t.Helper()
	ctx := context.Background()
	for at := start.Add(-time.Second); !at.After(end.Add(time.Second)); at = at.Add(500 * time.Millisecond) {
		wantLive, wantFirst := oracleAt(bs, at)
		q := store.Query{AsOf: at}
		if at.After(end) && at.Sub(end) > 600*time.Millisecond {
			q.AsOf = time.Time{} // live: the same as the end of the history
		}
		sms, err := s.LiveSeries(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		got := map[liveKey]liveValue{}
		for _, sm := range sms {
			got[liveKey{sm.Month, sm.Series}] = liveValue{sm.Items, sm.HasItems, sm.WeightKg, sm.HasWeight}
		}
		if !equalState(got, wantLive) {
			t.Errorf("%s, as of %s: live\n got  %v\n want %v", name, at.Format(time.TimeOnly+".0"), got, wantLive)
			return
		}
		flags, err := s.SeriesFlags(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		gotRev, gotNote := map[liveKey]liveValue{}, map[liveKey]bool{}
		for _, fl := range flags {
			k := liveKey{fl.Month, fl.Series}
			if fl.Revised {
				gotRev[k] = liveValue{fl.First.Items, fl.First.HasItems, fl.First.WeightKg, fl.First.HasWeight}
			}
			if fl.Note != "" {
				gotNote[k] = true
			}
		}
		wantRev := map[liveKey]liveValue{}
		for k, v := range wantLive {
			if f := wantFirst[k]; !sameLive(f, v) {
				wantRev[k] = f
			}
		}
		if !equalState(gotRev, wantRev) {
			t.Errorf("%s, as of %s: revised (first values)\n got  %v\n want %v", name, at.Format(time.TimeOnly+".0"), gotRev, wantRev)
		}
		wantNote := map[liveKey]bool{}
		var wantVersions int
		for _, b := range bs {
			if b.committed.After(at) {
				continue
			}
			holds := map[liveKey]bool{}
			for _, f := range b.facts {
				holds[liveKey{f.Month, f.Series}] = true
			}
			for k := range holds {
				if _, ok := wantLive[k]; ok {
					wantVersions++
				}
			}
		}
		for k := range wantLive {
			for i := len(bs) - 1; i >= 0; i-- {
				if _, ok := bs[i].valueOf(k); ok && bs[i].visibleAt(at) {
					for _, f := range bs[i].facts {
						if f.Month == k.Month && f.Series == k.Series && f.Note != "" {
							wantNote[k] = true
						}
					}
					break
				}
			}
		}
		if fmt.Sprint(gotNote) != fmt.Sprint(wantNote) {
			t.Errorf("%s, as of %s: noted %v, want %v", name, at.Format(time.TimeOnly+".0"), gotNote, wantNote)
		}
		vs, err := s.SeriesVersions(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != wantVersions {
			t.Errorf("%s, as of %s: %d versions, want %d", name, at.Format(time.TimeOnly+".0"), len(vs), wantVersions)
		}
		for _, v := range vs {
			for _, b := range bs {
				if b.id == v.BatchID && (v.UndoneAt != nil) != (b.undone != nil && !b.undone.After(at)) {
					t.Errorf("%s, as of %s: batch %d undone %v, want %v", name, at, b.id, v.UndoneAt, b.undone)
				}
			}
		}
		first, last, err := s.MonthRangeAt(ctx, q.AsOf)
		if err != nil {
			t.Fatal(err)
		}
		var wf, wl postal.Month
		for k := range wantLive {
			if wf.IsZero() || k.Month.Before(wf) {
				wf = k.Month
			}
			if wl.Before(k.Month) {
				wl = k.Month
			}
		}
		if first != wf || last != wl {
			t.Errorf("%s, as of %s: months %s..%s, want %s..%s", name, at, first, last, wf, wl)
		}
	}
}

func sameLive(a, b liveValue) bool {
	return a.HasItems == b.HasItems && a.HasWeight == b.HasWeight && a.Items == b.Items && math.Abs(a.WeightKg-b.WeightKg) < 1e-6
}
