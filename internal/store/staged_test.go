package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"postdash/internal/store"
)

// TestStagedParts: what a preview staged comes back part by part in part
// order, only for its own job, and is gone once dropped or once its job is pruned.
func TestStagedParts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		for _, id := range []string{"job-a", "job-b"} {
			if err := s.CreateJob(ctx, store.Job{ID: id, User: "amy", FileName: "h1.xlsx", SHA256: "abc", State: "ready"}); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range []int{2, 0, 1} { // written out of order
			if err := s.StagePart(ctx, "job-a", p, []byte(fmt.Sprintf("a%d\x00\xff", p))); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.StagePart(ctx, "job-b", 0, []byte("b0")); err != nil {
			t.Fatal(err)
		}
		read := func(job string) []string {
			var got []string
			if err := s.StagedParts(ctx, job, func(part int, data []byte) error {
				got = append(got, fmt.Sprintf("%d=%q", part, data))
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return got
		}
		want := fmt.Sprint([]string{`0="a0\x00\xff"`, `1="a1\x00\xff"`, `2="a2\x00\xff"`})
		if got := fmt.Sprint(read("job-a")); got != want {
			t.Errorf("staged parts of job-a = %s, want %s", got, want)
		}
		if err := s.StagePart(ctx, "job-a", 1, []byte("again")); err == nil {
			t.Error("a part staged twice was accepted")
		}
		if err := s.DropStaged(ctx, "job-a"); err != nil {
			t.Fatal(err)
		}
		if got := read("job-a"); len(got) != 0 {
			t.Errorf("after drop, job-a has %v", got)
		}
		if got := fmt.Sprint(read("job-b")); got != fmt.Sprint([]string{`0="b0"`}) {
			t.Errorf("dropping job-a touched job-b: %s", got)
		}
		if _, _, err := s.PruneJobs(ctx, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := read("job-b"); len(got) != 0 {
			t.Errorf("after its job was pruned, job-b has %v", got)
		}
	})
}
