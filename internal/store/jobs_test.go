package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"postdash/internal/store"
)

// TestSwitchJobState: of several confirms of one job racing (from several
// instances), exactly one moves it on; the others see it already moved.
func TestSwitchJobState(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if err := s.CreateJob(ctx, store.Job{ID: "job-1", User: "amy", FileName: "h1.xlsx", SHA256: "abc", State: "ready"}); err != nil {
			t.Fatal(err)
		}
		var won atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				ok, err := s.SwitchJobState(ctx, "job-1", "ready", "committing", nil)
				if err != nil {
					t.Error(err)
				}
				if ok {
					won.Add(1)
				}
			})
		}
		wg.Wait()
		if won.Load() != 1 {
			t.Errorf("%d of 8 racing switches won, want 1", won.Load())
		}
		ok, err := s.SwitchJobState(ctx, "job-1", "committing", "finished", []byte(`{"batch":3}`))
		if !ok || err != nil {
			t.Fatalf("switch to finished: %v, %v", ok, err)
		}
		got, err := s.Job(ctx, "job-1")
		if err != nil || got.State != "finished" || string(got.Result) != `{"batch":3}` {
			t.Errorf("job after switches = %+v, %v", got, err)
		}
		if ok, err := s.SwitchJobState(ctx, "job-1", "ready", "cancelled", nil); ok || err != nil {
			t.Errorf("switch from a state the job has left: %v, %v; want false, nil", ok, err)
		}
		if _, err := s.SwitchJobState(ctx, "nope", "ready", "cancelled", nil); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("switch of a missing job: %v, want ErrNotFound", err)
		}
	})
}

// TestPruneJobs: old finished, cancelled and waiting jobs go, running ones
// stay; a stored original goes only when no batch and no job names it.
func TestPruneJobs(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		put := func(content string) string {
			sum := sha256.Sum256([]byte(content))
			sha := hex.EncodeToString(sum[:])
			if err := s.PutFile(ctx, sha, content+".xlsx", strings.NewReader(content)); err != nil {
				t.Fatal(err)
			}
			return sha
		}
		kept := put("h1") // the original of a committed batch
		b := newBatch("h1", nil)
		b.SHA256 = kept
		if err := s.CommitBatch(ctx, b, nil); err != nil {
			t.Fatal(err)
		}
		running := put("running")
		cancelled := put("cancelled")
		for id, j := range map[string]struct{ sha, state string }{
			"run": {running, "parsing"}, "gone": {cancelled, "cancelled"}, "done": {kept, "finished"},
		} {
			if err := s.CreateJob(ctx, store.Job{ID: id, User: "amy", FileName: "f.xlsx", SHA256: j.sha, State: j.state}); err != nil {
				t.Fatal(err)
			}
		}
		if jobs, files, err := s.PruneJobs(ctx, time.Now().Add(-time.Hour), "parsing"); err != nil || jobs != 0 || files != 0 {
			t.Errorf("prune before anything existed = %d jobs, %d files, %v; want nothing", jobs, files, err)
		}
		jobs, files, err := s.PruneJobs(ctx, time.Now().Add(time.Hour), "parsing", "committing")
		if err != nil || jobs != 2 || files != 1 {
			t.Errorf("PruneJobs = %d jobs, %d files, %v; want 2 jobs (gone, done) and 1 file (cancelled)", jobs, files, err)
		}
		if _, err := s.Job(ctx, "run"); err != nil {
			t.Errorf("running job pruned: %v", err)
		}
		for _, id := range []string{"gone", "done"} {
			if _, err := s.Job(ctx, id); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("job %s: %v, want ErrNotFound", id, err)
			}
		}
		for sha, want := range map[string]bool{kept: true, running: true, cancelled: false} {
			rc, _, _, err := s.OpenFile(ctx, sha)
			if got := err == nil; got != want {
				t.Errorf("file %s kept = %v (%v), want %v", sha[:8], got, err, want)
			}
			if rc != nil {
				rc.Close()
			}
		}
	})
}
