package web

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"postdash/internal/auth"
	"postdash/internal/sheet"
)

func TestImportGateQueuesInOrderAndBoundsUsers(t *testing.T) {
	g := newImportGate(2, 3)
	var turns []*turn
	for i, user := range []string{"a", "b", "a", "c", "a"} {
		tu, err := g.enter(user)
		if err != nil {
			t.Fatalf("enter %d (%s): %v", i, user, err)
		}
		tu.forJob(string(rune('0' + i)))
		turns = append(turns, tu)
	}
	if _, err := g.enter("a"); !errors.Is(err, errQueueFull) {
		t.Fatalf("a fourth import of one user: %v, want errQueueFull", err)
	}
	for i, want := range []int{0, 0, 1, 2, 3} {
		if got := g.position(string(rune('0' + i))); got != want {
			t.Errorf("job %d: position %d, want %d", i, got, want)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := turns[2].wait(ctx); err == nil {
		t.Fatal("a third import ran while two were running")
	}
	// The third gave up waiting: the fourth is next, and the user may queue again.
	if got := g.position("3"); got != 1 {
		t.Errorf("after the third left, the fourth is at %d, want 1", got)
	}
	turns[0].leave()
	turns[0].leave() // harmless
	if err := turns[3].wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := g.position("4"); got != 1 {
		t.Errorf("the fifth is at %d, want 1", got)
	}
	if _, err := g.enter("a"); err != nil {
		t.Errorf("a has two imports now, a third must be let in line: %v", err)
	}
}

// TestAPIImportsShareTheGate: an analyst who already has the most imports
// waiting or running is refused by the API too, in one sentence.
func TestAPIImportsShareTheGate(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	for range maxQueuedPerUser {
		tu, err := env.srv.gate.enter("ali")
		if err != nil {
			t.Fatal(err)
		}
		defer tu.leave()
	}
	secret, _, err := env.svc.CreateToken(context.Background(), "ali", "nightly", auth.Actor{User: "adam"})
	if err != nil {
		t.Fatal(err)
	}
	ali := env.anon()
	ali.token = secret
	resp := ali.upload("/api/v1/imports?dry_run=1", nil, "a.xlsx", workbook(t, row{"2025-01", "inbound", "", "letter_post", 1, 2}))
	if resp.Code != http.StatusTooManyRequests || !strings.Contains(resp.Body.String(), "imports running or waiting") {
		t.Errorf("a fourth import by the API answered %d %s, want 429 and the sentence", resp.Code, resp.Body.String())
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

func TestViewCacheIsBoundedByBytes(t *testing.T) {
	var vc viewCache
	big := strings.Repeat("x", viewCacheBytes/8) // an eighth of the budget each
	for i := range 20 {
		vc.put(1, string(rune('a'+i)), []string{big})
	}
	if vc.bytes > viewCacheBytes {
		t.Errorf("cache holds %d bytes, more than its %d", vc.bytes, viewCacheBytes)
	}
	if len(vc.items) == 0 || len(vc.items) > 8 {
		t.Errorf("cache holds %d items of an eighth of its budget each", len(vc.items))
	}
	vc.put(1, "huge", strings.Repeat("y", viewCacheBytes/2))
	if _, ok := vc.get(1, "huge"); ok {
		t.Error("a view of half the budget was kept")
	}
	if got := sizeOf(reflect.ValueOf(map[string][]int{"ab": {1, 2, 3}})); got < 2+3*8 {
		t.Errorf("sizeOf a small map = %d, less than its contents", got)
	}
}
