package importer

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestImportGateQueuesInOrderAndBoundsUsers(t *testing.T) {
	g := NewGate(2, 3)
	var turns []*Turn
	for i, user := range []string{"a", "b", "a", "c", "a"} {
		tu, err := g.Enter(user)
		if err != nil {
			t.Fatalf("enter %d (%s): %v", i, user, err)
		}
		tu.forJob(string(rune('0' + i)))
		turns = append(turns, tu)
	}
	if _, err := g.Enter("a"); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("a fourth import of one user: %v, want ErrQueueFull", err)
	}
	for i, want := range []int{0, 0, 1, 2, 3} {
		if got := g.Position(string(rune('0' + i))); got != want {
			t.Errorf("job %d: position %d, want %d", i, got, want)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := turns[2].Wait(ctx); err == nil {
		t.Fatal("a third import ran while two were running")
	}
	// The third gave up waiting: the fourth is next, and the user may queue again.
	if got := g.Position("3"); got != 1 {
		t.Errorf("after the third left, the fourth is at %d, want 1", got)
	}
	turns[0].Leave()
	turns[0].Leave() // harmless
	if err := turns[3].Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := g.Position("4"); got != 1 {
		t.Errorf("the fifth is at %d, want 1", got)
	}
	if _, err := g.Enter("a"); err != nil {
		t.Errorf("a has two imports now, a third must be let in line: %v", err)
	}
}

func TestRetryWriteOutlivesItsContextAndRetries(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the job's own context is over: the last write must happen anyway
	tries := 0
	err := retryWrite(ctx, func(wctx context.Context) error {
		tries++
		if wctx.Err() != nil {
			return wctx.Err()
		}
		if tries < 3 {
			return errors.New("database is locked")
		}
		return nil
	})
	if err != nil || tries != 3 {
		t.Errorf("retryWrite: %v after %d tries, want success at the third", err, tries)
	}
	tries = 0
	if err := retryWrite(context.Background(), func(context.Context) error { tries++; return errors.New("disk full") }); err == nil || tries != finalWriteTries {
		t.Errorf("retryWrite of a write that always fails: %v after %d tries, want an error after %d", err, tries, finalWriteTries)
	}
}
