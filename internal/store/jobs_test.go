package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

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
