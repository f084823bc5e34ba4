package web

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"postdash/internal/importer"
	"postdash/internal/sheet"
)

// TestAPIImportsShareTheGate: an analyst who already has the most imports
// waiting or running is refused by the API too, in one sentence.
func TestAPIImportsShareTheGate(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	for range importer.MaxQueuedPerUser {
		tu, err := env.srv.jobs.Enter("ali")
		if err != nil {
			t.Fatal(err)
		}
		defer tu.Leave()
	}
	ali := env.tokenClient("ali")
	resp := ali.upload("/api/v1/imports?dry_run=1", nil, "a.xlsx", workbook(t, row{"2025-01", "inbound", "", "letter_post", 1, 2}))
	if resp.Code != http.StatusTooManyRequests || !strings.Contains(resp.Body.String(), "imports running or waiting") {
		t.Errorf("a fourth import by the API answered %d %s, want 429 and the sentence", resp.Code, resp.Body.String())
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
