package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// TestReceiptsFollowLiveBatches: a month is received by the earliest batch
// not undone that holds it; a correction does not move it, an undo of the
// first batch does (to the next one holding it), an undo of every one
// leaves it unreceived.
func TestReceiptsFollowLiveBatches(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		first := commit(t, s, "first", both(t, "2025-03", inChinaParcel, "S", 1, 1), both(t, "2025-04", inChinaParcel, "S", 1, 1))
		second := commit(t, s, "second", both(t, "2025-03", inChinaParcel, "S", 2, 2))
		third := commit(t, s, "third", both(t, "2025-03", inChinaParcel, "S", 3, 3), both(t, "2025-05", outLatviaEMS, "S", 1, 1))
		at := map[int64]bool{}
		for _, b := range []int64{first, second, third} {
			at[b] = true
		}
		receipts := func() map[string]int64 {
			rs, err := s.Receipts(ctx, store.Query{})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int64{}
			for _, r := range rs {
				b, err := s.Batch(ctx, r.Batch)
				if err != nil || !b.CreatedAt.Equal(r.At) {
					t.Fatalf("receipt %+v: batch %v, %v", r, b.CreatedAt, err)
				}
				out[r.Month.String()+" "+string(r.Category)+" "+r.Partner] = r.Batch
			}
			return out
		}
		want := map[string]int64{"2025-03 parcel china_post": first, "2025-04 parcel china_post": first, "2025-05 ems latvijas_pasts": third}
		if got := receipts(); !equalMap(got, want) {
			t.Fatalf("receipts %v, want %v", got, want)
		}
		if err := s.UndoBatch(ctx, first, "ana"); err != nil {
			t.Fatal(err)
		}
		want = map[string]int64{"2025-03 parcel china_post": second, "2025-05 ems latvijas_pasts": third}
		if got := receipts(); !equalMap(got, want) {
			t.Fatalf("after undoing the first: receipts %v, want %v", got, want)
		}
		rs, err := s.Receipts(ctx, store.Query{Where: map[postal.Field][]string{postal.FieldCategory: {"ems"}}})
		if err != nil || len(rs) != 1 || rs[0].Batch != third {
			t.Fatalf("receipts of ems: %+v, %v", rs, err)
		}
	})
}

func equalMap(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestScheduleAndAnnotations: rules replace one another per scope, notes
// keep who and when, and every change renews the data version.
func TestScheduleAndAnnotations(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		v0, _ := s.DataVersion(ctx)
		a, err := s.PutSchedule(ctx, store.Schedule{Rule: "day", N: 15, User: "boss"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutSchedule(ctx, store.Schedule{Partner: "china_post", Category: "parcel", Rule: "after", N: 20, From: month(t, "2025-07"), User: "boss"}); err != nil {
			t.Fatal(err)
		}
		b, err := s.PutSchedule(ctx, store.Schedule{Rule: "day", N: 10, User: "chief"}) // replaces a
		if err != nil || b.ID != a.ID {
			t.Fatalf("replace: %+v, %v (was %d)", b, err, a.ID)
		}
		all, err := s.Schedules(ctx)
		if err != nil || len(all) != 2 || all[0].N != 10 || all[0].User != "chief" || all[1].From != month(t, "2025-07") || !all[0].From.IsZero() {
			t.Fatalf("schedules %+v, %v", all, err)
		}
		if _, err := s.DeleteSchedule(ctx, all[1].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeleteSchedule(ctx, all[1].ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("delete twice: %v", err)
		}
		n, err := s.AddAnnotation(ctx, store.Annotation{Month: month(t, "2025-02"), Partner: "china_post", Text: "Spring Festival: operators closed 28 Jan – 4 Feb <b>", CreatedBy: "ana"})
		if err != nil || n.ID == 0 || n.CreatedAt.IsZero() {
			t.Fatalf("add: %+v, %v", n, err)
		}
		if _, err := s.AddAnnotation(ctx, store.Annotation{Month: month(t, "2025-05"), Text: "May", CreatedBy: "ana"}); err != nil {
			t.Fatal(err)
		}
		n.Text = "Spring Festival"
		u, err := s.UpdateAnnotation(ctx, n, "dilnoza")
		if err != nil || u.Text != "Spring Festival" || u.UpdatedBy != "dilnoza" || u.UpdatedAt == nil || u.CreatedBy != "ana" {
			t.Fatalf("update: %+v, %v", u, err)
		}
		feb, err := s.Annotations(ctx, month(t, "2025-01"), month(t, "2025-03"))
		if err != nil || len(feb) != 1 || feb[0].Text != "Spring Festival" {
			t.Fatalf("annotations Jan–Mar: %+v, %v", feb, err)
		}
		if all, _ := s.Annotations(ctx, postal.Month{}, postal.Month{}); len(all) != 2 {
			t.Fatalf("all annotations: %+v", all)
		}
		if _, err := s.DeleteAnnotation(ctx, n.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Annotation(ctx, n.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted note: %v", err)
		}
		if _, err := s.UpdateAnnotation(ctx, n, "x"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("update deleted: %v", err)
		}
		if v1, _ := s.DataVersion(ctx); v1 != v0+8 {
			t.Fatalf("data version %d → %d, want 8 bumps", v0, v1)
		}
	})
}

// TestReceiptsAgainstOracle: random commits and undos of batches holding
// random series-months; a month's receipt is, by the oracle, the earliest
// batch still live among those that held any of its series.
func TestReceiptsAgainstOracle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		rnd := rand.New(rand.NewPCG(8, 14))
		seriesOf := []postal.Series{inChinaParcel, series(postal.Outbound, postal.ChinaPost, postal.Parcel, ""), outLatviaEMS, inChinaEcomAli}
		months := []string{"2025-01", "2025-02", "2025-03"}
		type batch struct {
			id   int64
			live bool
			held map[string]bool // "month category partner"
		}
		var batches []*batch
		for step := 0; step < 40; step++ {
			if rnd.IntN(4) == 0 && len(batches) > 0 {
				b := batches[rnd.IntN(len(batches))]
				if b.live {
					if err := s.UndoBatch(ctx, b.id, "ana"); err != nil {
						t.Fatal(err)
					}
					b.live = false
				}
				continue
			}
			b := &batch{live: true, held: map[string]bool{}}
			var facts []postal.Fact
			for k := 1 + rnd.IntN(3); k > 0; k-- {
				m, sr := months[rnd.IntN(len(months))], seriesOf[rnd.IntN(len(seriesOf))]
				facts = append(facts, both(t, m, sr, "S", int64(step), 1))
				b.held[m+" "+string(sr.Category)+" "+sr.Partner] = true
			}
			b.id = commit(t, s, fmt.Sprintf("batch-%d", step), facts...)
			batches = append(batches, b)
		}
		want := map[string]int64{}
		for _, b := range batches { // in commit order: the first live one wins
			for k := range b.held {
				if _, ok := want[k]; !ok && b.live {
					want[k] = b.id
				}
			}
		}
		rs, err := s.Receipts(ctx, store.Query{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, r := range rs {
			got[r.Month.String()+" "+string(r.Category)+" "+r.Partner] = r.Batch
		}
		if !equalMap(got, want) {
			t.Fatalf("receipts %v\nwant %v", got, want)
		}
	})
}
