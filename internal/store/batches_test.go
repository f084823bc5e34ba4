package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"postdash/internal/postal"
	"postdash/internal/store"
)

func key(tb testing.TB, m string, s postal.Series) liveKey { return liveKey{month(tb, m), s} }

func TestSupersedeOnlyTheSeriesMonthsTheNewBatchHolds(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		commit(t, s, "january-march",
			both(t, "2024-01", inChinaParcel, "S", 10, 1),
			both(t, "2024-02", inChinaParcel, "S", 20, 2),
			both(t, "2024-03", inChinaParcel, "S", 30, 3),
			both(t, "2024-01", outLatviaEMS, "S", 5, 5),
		)
		commit(t, s, "february-april",
			both(t, "2024-02", inChinaParcel, "S", 21, 2.5),
			itemsOnly(t, "2024-04", inChinaParcel, "S", 40),
			// the same series-month on two sheets of one batch adds up
			both(t, "2024-01", inChinaEcomAli, "A", 1, 0.25),
			both(t, "2024-01", inChinaEcomAli, "B", 2, 0.5),
		)
		want := map[liveKey]liveValue{
			key(t, "2024-01", inChinaParcel):  {10, true, 1, true},
			key(t, "2024-02", inChinaParcel):  {21, true, 2.5, true},
			key(t, "2024-03", inChinaParcel):  {30, true, 3, true},
			key(t, "2024-04", inChinaParcel):  {40, true, 0, false},
			key(t, "2024-01", outLatviaEMS):   {5, true, 5, true},
			key(t, "2024-01", inChinaEcomAli): {3, true, 0.75, true},
		}
		if got := liveState(t, s); !equalState(got, want) {
			t.Errorf("live state\n got %v\nwant %v", got, want)
		}
		if got := totals(t, s, store.Query{}); got[0].Items != 10+21+30+40+5+3 {
			t.Errorf("grand total items = %d, want %d", got[0].Items, 10+21+30+40+5+3)
		}
	})
}

func TestUndoRestoresExactlyWhatWasSuperseded(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		commit(t, s, "first", sampleFacts(t)...)
		before := liveState(t, s)
		beforeTotals := totals(t, s, store.Query{By: []postal.Field{postal.FieldPeriod, postal.FieldCategory}})
		id := commit(t, s, "second",
			both(t, "2024-01", inChinaParcel, "S", 999, 99),
			itemsOnly(t, "2024-02", inChinaParcel, "S", 7), // replaces a value that had weight
			both(t, "2030-01", outLatviaEMS, "S", 1, 1),    // new series-month
		)
		if equalState(liveState(t, s), before) {
			t.Fatal("second batch changed nothing")
		}
		if err := s.UndoBatch(ctx, id, "boss"); err != nil {
			t.Fatal(err)
		}
		if got := liveState(t, s); !equalState(got, before) {
			t.Errorf("after undo\n got %v\nwant %v", got, before)
		}
		if msg := diffTotals(totals(t, s, store.Query{By: []postal.Field{postal.FieldPeriod, postal.FieldCategory}}), beforeTotals); msg != "" {
			t.Error(msg)
		}
		b, err := s.Batch(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if b.Live() || b.UndoneBy != "boss" || b.UndoneAt.Before(b.CreatedAt) {
			t.Errorf("undone batch = %+v, want undone by boss after its creation", b)
		}
	})
}

func TestUndoOrder(t *testing.T) {
	k := func(tb testing.TB) liveKey { return key(tb, "2024-05", inChinaParcel) }
	tests := []struct {
		name  string
		undo  []int // indexes of batches a, b, c to undo, in order
		items int64 // live items afterwards; 0 means no live value
	}{
		{"undo middle while newest live", []int{1}, 3},
		{"undo oldest while newer live", []int{0}, 3},
		{"undo newest", []int{2}, 2},
		{"undo newest then middle", []int{2, 1}, 1},
		{"undo middle then newest", []int{1, 2}, 1},
		{"undo newest then oldest", []int{2, 0}, 2},
		{"undo all", []int{2, 1, 0}, 0},
		{"undo all oldest first", []int{0, 1, 2}, 0},
	}
	forEachBackend(t, func(t *testing.T, s store.Store) {
		for ti, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				ctx := context.Background()
				var ids []int64
				for i := range 3 {
					// each case commits its own files, so their hashes differ between cases
					name := fmt.Sprintf("case%d-batch%d", ti, i)
					ids = append(ids, commit(t, s, name, both(t, "2024-05", inChinaParcel, "S", int64(i+1), 1)))
				}
				for _, i := range tt.undo {
					if err := s.UndoBatch(ctx, ids[i], "ana"); err != nil {
						t.Fatalf("undo %d: %v", i, err)
					}
				}
				v, ok := liveState(t, s)[k(t)]
				if tt.items == 0 && ok {
					t.Errorf("live value %+v, want none", v)
				}
				if tt.items != 0 && v.Items != tt.items {
					t.Errorf("live items = %d (present %t), want %d", v.Items, ok, tt.items)
				}
				// leave nothing live for the next case
				for _, id := range ids {
					if err := s.UndoBatch(ctx, id, "ana"); err != nil && !errors.Is(err, store.ErrAlreadyUndone) {
						t.Fatal(err)
					}
				}
			})
		}
	})
}

func TestUndoErrors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if err := s.UndoBatch(ctx, 42, "ana"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("undo missing batch: %v, want ErrNotFound", err)
		}
		id := commit(t, s, "a", sampleFacts(t)...)
		if err := s.UndoBatch(ctx, id, "ana"); err != nil {
			t.Fatal(err)
		}
		if err := s.UndoBatch(ctx, id, "ana"); !errors.Is(err, store.ErrAlreadyUndone) {
			t.Errorf("undo twice: %v, want ErrAlreadyUndone", err)
		}
		if _, err := s.Batch(ctx, 42); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Batch(42): %v, want ErrNotFound", err)
		}
	})
}

func TestDuplicateRefusedWhileLiveAndAcceptedAfterUndo(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		facts := sampleFacts(t)
		first := commit(t, s, "report", facts...)
		version, _ := s.DataVersion(ctx)
		err := s.CommitBatch(ctx, newBatch("report", facts), facts)
		if !errors.Is(err, store.ErrDuplicate) {
			t.Fatalf("second commit: %v, want ErrDuplicate", err)
		}
		if v, _ := s.DataVersion(ctx); v != version {
			t.Errorf("a refused duplicate changed the data version")
		}
		if bs, _ := s.Batches(ctx); len(bs) != 1 {
			t.Errorf("a refused duplicate left %d batches, want 1", len(bs))
		}
		live, err := s.LiveBatchBySHA(ctx, newBatch("report", nil).SHA256)
		if err != nil || live.ID != first {
			t.Fatalf("LiveBatchBySHA = %d, %v; want %d", live.ID, err, first)
		}
		if err := s.UndoBatch(ctx, first, "ana"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.LiveBatchBySHA(ctx, live.SHA256); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("LiveBatchBySHA after undo: %v, want ErrNotFound", err)
		}
		again := commit(t, s, "report", facts...)
		if again == first {
			t.Errorf("recommit reused batch id %d", first)
		}
		if got := totals(t, s, store.Query{}); got[0].Items != 136 {
			t.Errorf("after recommit items = %d, want 136", got[0].Items)
		}
	})
}

func TestBatchesRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		facts := sampleFacts(t)
		b := newBatch("round", facts)
		b.Direction, b.Partner, b.Marketplace = "inbound", "china_post", "temu"
		b.Sheets = []string{"Январь", "Sheet 2"}
		b.Rows = 17
		b.Notes = []store.Note{{Sheet: "Изоҳлар", Text: "Манба: элчихона"}, {Sheet: "Январь", Text: "Source: \"ministry\""}}
		if err := s.CommitBatch(ctx, b, facts); err != nil {
			t.Fatal(err)
		}
		second := commit(t, s, "later", facts[:1]...)
		got, err := s.Batch(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.CreatedAt.Equal(b.CreatedAt) {
			t.Errorf("CreatedAt = %v, want %v", got.CreatedAt, b.CreatedAt)
		}
		got.CreatedAt = b.CreatedAt
		if !reflect.DeepEqual(got, *b) {
			t.Errorf("Batch = %+v\nwant %+v", got, *b)
		}
		all, err := s.Batches(ctx)
		if err != nil || len(all) != 2 || all[0].ID != second || all[1].ID != b.ID {
			t.Errorf("Batches = %+v, %v; want newest first", all, err)
		}
	})
}

func TestSourcesTraceLiveFacts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		a := commit(t, s, "a", sampleFacts(t)...)
		b := commit(t, s, "b",
			both(t, "2024-01", inChinaParcel, "Feb", 1, 1),
			both(t, "2024-01", inChinaEcomAli, "Feb", 1, 1),
			both(t, "2024-01", inChinaEcomAli, "Mar", 1, 1),
		)
		srcs, err := s.Sources(ctx, store.Query{})
		if err != nil {
			t.Fatal(err)
		}
		type src struct {
			batch int64
			file  string
			sheet string
			facts int64
		}
		var got []src
		for _, x := range srcs {
			got = append(got, src{x.BatchID, x.FileName, x.Sheet, x.Facts})
			if x.User != "ana" || x.At.IsZero() {
				t.Errorf("source %+v: want user ana and a time", x)
			}
		}
		want := []src{{a, "a.xlsx", "Sheet1", 3}, {a, "a.xlsx", "Sheet2", 1}, {b, "b.xlsx", "Feb", 2}, {b, "b.xlsx", "Mar", 1}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Sources = %+v, want %+v", got, want)
		}
		srcs, err = s.Sources(ctx, store.Query{Where: map[postal.Field][]string{postal.FieldCategory: {"ecommerce"}}})
		if err != nil || len(srcs) != 2 || srcs[0].BatchID != b {
			t.Errorf("Sources(ecommerce) = %+v, %v; want batch %d only", srcs, err, b)
		}
		srcs, err = s.Sources(ctx, store.Query{From: month(t, "2024-02")})
		if err != nil || len(srcs) != 2 || srcs[0].BatchID != a {
			t.Errorf("Sources(from 2024-02) = %+v, %v; want batch %d only", srcs, err, a)
		}
	})
}

func TestDataVersionChangesWithLiveData(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		v0, err := s.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		id := commit(t, s, "a", sampleFacts(t)...)
		v1, _ := s.DataVersion(ctx)
		if err := s.UndoBatch(ctx, id, "ana"); err != nil {
			t.Fatal(err)
		}
		v2, _ := s.DataVersion(ctx)
		s.UndoBatch(ctx, id, "ana") // refused: changes nothing
		v3, _ := s.DataVersion(ctx)
		if !(v0 < v1 && v1 < v2 && v2 == v3) {
			t.Errorf("data versions %d, %d, %d, %d: want rising on commit and undo, steady on a refused undo", v0, v1, v2, v3)
		}
	})
}

// TestConcurrentCommits commits overlapping batches from several goroutines
// through two stores on the same database (two instances). The result must
// equal some serial order: the live value of every series-month is the one of
// the highest-numbered batch holding it.
func TestConcurrentCommits(t *testing.T) {
	const writers, perWriter = 4, 5
	months := []string{"2024-01", "2024-02", "2024-03", "2024-04"}
	forEachBackendDSN(t, func(t *testing.T, dsn string) {
		stores := []store.Store{openStore(t, dsn), openStore(t, dsn)}
		type held struct {
			id    int64
			facts []postal.Fact
		}
		var (
			mu      sync.Mutex
			batches []held
			wg      sync.WaitGroup
		)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perWriter {
					n := w*perWriter + i
					// each batch holds a window of two or three months
					var facts []postal.Fact
					for j, m := range months {
						if (j+n)%4 != 3 {
							facts = append(facts, both(t, m, inChinaParcel, "S", int64(n*100+j), float64(n)))
						}
					}
					b := newBatch(fmt.Sprintf("writer%d-%d", w, i), facts)
					if err := stores[w%2].CommitBatch(context.Background(), b, facts); err != nil {
						t.Errorf("commit: %v", err)
						return
					}
					mu.Lock()
					batches = append(batches, held{b.ID, facts})
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		want := map[liveKey]liveValue{}
		newest := map[liveKey]int64{}
		for _, b := range batches {
			for _, f := range b.facts {
				k := liveKey{f.Month, f.Series}
				if b.id > newest[k] {
					newest[k] = b.id
					want[k] = liveValue{f.Items, true, f.WeightKg, true}
				}
			}
		}
		if got := liveState(t, stores[0]); !equalState(got, want) {
			t.Errorf("live state\n got %v\nwant %v", got, want)
		}
		v, _ := stores[1].DataVersion(context.Background())
		if v != writers*perWriter {
			t.Errorf("data version %d, want %d", v, writers*perWriter)
		}
	})
}

func TestMigrationsAreIdempotent(t *testing.T) {
	forEachBackendDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		applied, err := store.Migrate(ctx, dsn)
		if err != nil || len(applied) == 0 {
			t.Fatalf("first Migrate = %v, %v; want the initial migration", applied, err)
		}
		s := openStore(t, dsn)
		commit(t, s, "a", sampleFacts(t)...)
		s.Close()
		again, err := store.Migrate(ctx, dsn)
		if err != nil || len(again) != 0 {
			t.Fatalf("second Migrate = %v, %v; want nothing to do", again, err)
		}
		s = openStore(t, dsn)
		if got := totals(t, s, store.Query{}); got[0].Items != 136 {
			t.Errorf("after reopening items = %d, want 136", got[0].Items)
		}
	})
}

// LiveFacts lists the facts behind live values only: a newer batch's facts
// where it replaced an older one, the older one's again after an undo, each
// with its batch, file and sheet.
func TestLiveFactsFollowSupersessionAndUndo(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		old := commit(t, s, "old", both(t, "2024-02", inChinaParcel, "Sheet1", 2, 1), both(t, "2024-02", inChinaParcel, "Sheet2", 1, 0.5), itemsOnly(t, "2024-03", outLatviaEMS, "Sheet1", 3))
		newer := commit(t, s, "newer", both(t, "2024-02", inChinaParcel, "Лист", 9, 4))
		q := store.Query{Where: map[postal.Field][]string{postal.FieldCategory: {"parcel"}}}
		got, err := s.LiveFacts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].BatchID != newer || got[0].Sheet != "Лист" || got[0].Items != 9 || got[0].FileName != "newer.xlsx" || got[0].User != "ana" {
			t.Fatalf("live parcel facts %+v, want the newer batch's one", got)
		}
		if err := s.UndoBatch(ctx, newer, "ana"); err != nil {
			t.Fatal(err)
		}
		got, err = s.LiveFacts(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].BatchID != old || got[0].Sheet != "Sheet1" || got[1].Sheet != "Sheet2" || got[0].WeightKg+got[1].WeightKg != 1.5 {
			t.Fatalf("after undo %+v, want the old batch's two sheets", got)
		}
		all, err := s.LiveFacts(ctx, store.Query{From: postal.Month{Year: 2024, Month: 3}})
		if err != nil || len(all) != 1 || all[0].Category != postal.EMS {
			t.Fatalf("from March: %+v %v", all, err)
		}
	})
}
