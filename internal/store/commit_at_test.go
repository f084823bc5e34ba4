package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// TestCommitBatchAtRefusesAMovedVersion: a commit conditional on a data
// version that a commit or an undo has since moved writes nothing.
func TestCommitBatchAtRefusesAMovedVersion(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		ser := series(postal.Inbound, "china_post", postal.Parcel, "")
		v0, err := s.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		id := commit(t, s, "first", both(t, "2025-01", ser, "S", 10, 1))
		before := liveState(t, s)
		stale := []postal.Fact{both(t, "2025-01", ser, "S", 99, 9)}
		if err := s.CommitBatchAt(ctx, newBatch("stale", stale), stale, v0); !errors.Is(err, store.ErrVersionMoved) {
			t.Fatalf("commit at the version before a commit: %v, want ErrVersionMoved", err)
		}
		if got := liveState(t, s); !equalState(got, before) {
			t.Errorf("a refused commit changed live data: %v, want %v", got, before)
		}
		v1, _ := s.DataVersion(ctx)
		if err := s.UndoBatch(ctx, id, "ana"); err != nil {
			t.Fatal(err)
		}
		if err := s.CommitBatchAt(ctx, newBatch("stale", stale), stale, v1); !errors.Is(err, store.ErrVersionMoved) {
			t.Fatalf("commit at the version before an undo: %v, want ErrVersionMoved", err)
		}
		v2, _ := s.DataVersion(ctx)
		b := newBatch("fresh", stale)
		if err := s.CommitBatchAt(ctx, b, stale, v2); err != nil || b.ID == 0 {
			t.Fatalf("commit at the current version: batch %d, %v", b.ID, err)
		}
		if v3, _ := s.DataVersion(ctx); v3 != v2+1 {
			t.Errorf("data version %d after a conditional commit at %d, want %d", v3, v2, v2+1)
		}
	})
}

// TestCommitBatchAtRacingCommitsNeverCommitsStale: two commits made against
// the same data version (two confirmed previews) race a third, plain
// commit (another import). A conditional commit may only succeed if it ran
// first, at the version it was made against: so at most one of the two
// succeeds, and only with a batch id below the plain commit's.
func TestCommitBatchAtRacingCommitsNeverCommitsStale(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		ser := series(postal.Inbound, "china_post", postal.Parcel, "")
		wins := 0
		for round := range 12 {
			v, err := s.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var (
				wg      sync.WaitGroup
				ids     [3]int64
				errs    [3]error
				release = make(chan struct{})
			)
			for i := range 3 {
				facts := []postal.Fact{both(t, "2025-01", ser, "S", int64(100*round+i), 1)}
				b := newBatch(fmt.Sprintf("r%d-%d", round, i), facts)
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-release
					if i < 2 {
						errs[i] = s.CommitBatchAt(ctx, b, facts, v)
					} else {
						errs[i] = s.CommitBatch(ctx, b, facts)
					}
					ids[i] = b.ID
				}()
			}
			close(release)
			wg.Wait()
			if errs[2] != nil {
				t.Fatalf("round %d: the plain commit: %v", round, errs[2])
			}
			committed := 1
			for i := range 2 {
				switch {
				case errors.Is(errs[i], store.ErrVersionMoved):
				case errs[i] != nil:
					t.Fatalf("round %d: conditional commit %d: %v", round, i, errs[i])
				default:
					committed++
					wins++
					if ids[i] > ids[2] {
						t.Errorf("round %d: conditional commit %d (batch %d) committed after the plain one (batch %d): stale", round, i, ids[i], ids[2])
					}
				}
			}
			if committed > 2 {
				t.Errorf("round %d: both commits made at version %d committed", round, v)
			}
			if got, _ := s.DataVersion(ctx); got != v+int64(committed) {
				t.Errorf("round %d: data version %d after %d commits from %d", round, got, committed, v)
			}
		}
		t.Logf("conditional commits that won their race: %d of 12 rounds", wins)
	})
}
