package web

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"postdash/internal/postal"
	"postdash/internal/store"
)

func TestParseAsOfNamesTheEndOfItsPeriod(t *testing.T) {
	tz := time.FixedZone("UTC+5", 5*3600)
	for _, tc := range []struct {
		in   string
		want time.Time // in tz
		ok   bool
	}{
		{"2025-04-05", time.Date(2025, 4, 5, 23, 59, 59, 999999000, tz), true},
		{"2025-04-05T14:30", time.Date(2025, 4, 5, 14, 30, 59, 999999000, tz), true},
		{"2025-04-05T14:30:15", time.Date(2025, 4, 5, 14, 30, 15, 999999000, tz), true},
		{"2025-02-30", time.Time{}, false},
		{"2025-04-05 14:30", time.Time{}, false},
		{"05.04.2025", time.Time{}, false},
		{"2025-04", time.Time{}, false},
	} {
		got, ok := parseAsOf(tc.in, tz)
		if ok != tc.ok || ok && !got.Equal(tc.want) {
			t.Errorf("parseAsOf(%q) = %v, %v; want %v, %v", tc.in, got.In(tz), ok, tc.want, tc.ok)
		}
	}
}

// vintageStore holds a batch committed on 5 April 2025 at 14:00 in
// Tashkent and its correction at 16:00: 221 kg of inbound letters in March
// became 250 kg.
func vintageStore(t *testing.T) store.Store {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2025, 4, 5, 9, 0, 0, 0, time.UTC)
	st, err := store.OpenWithClock(ctx, filepath.Join(t.TempDir(), "v.db"), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := postal.Series{Direction: postal.Inbound, Partner: postal.ChinaPost, Category: postal.LetterPost}
	for i, kg := range []float64{221, 250} {
		f := []postal.Fact{{Month: postal.Month{Year: 2025, Month: 3}, Series: s, Sheet: "S", WeightKg: kg, HasWeight: true}}
		b := &store.Batch{FileName: []string{"first.xlsx", "correction.xlsx"}[i], SHA256: strings.Repeat(string(rune('a'+i)), 64), User: "ali"}
		if err := st.CommitBatch(ctx, b, f); err != nil {
			t.Fatal(err)
		}
		now = now.Add(2 * time.Hour)
	}
	return st
}

func TestAsOfThroughTheAPI(t *testing.T) {
	h := newTestServer(t, vintageStore(t))
	for _, tc := range []struct {
		asOf string
		want string // weight_kg, or "" for no rows
	}{
		{"", "250"},
		{"2025-04-04", ""},
		{"2025-04-05T13:59", ""},
		{"2025-04-05T14:00", "221"},
		{"2025-04-05T15:59:59", "221"},
		{"2025-04-05T16:00", "250"},
		{"2025-04-05", "250"},
	} {
		url := "/api/v1/totals?by=period&category=letter_post"
		if tc.asOf != "" {
			url += "&as_of=" + tc.asOf
		}
		res := get(t, h, url)
		var ans struct {
			Rows []map[string]any `json:"rows"`
		}
		if err := json.Unmarshal([]byte(body(t, res)), &ans); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %v", url, res.StatusCode, err)
		}
		got := ""
		if len(ans.Rows) > 0 {
			got = strings.TrimSpace(jsonNumber(ans.Rows[0]["weight_kg"]))
		}
		if got != tc.want {
			t.Errorf("%s: weight %q, want %q", url, got, tc.want)
		}
	}
	res := get(t, h, "/api/v1/totals?as_of=yesterday")
	if b := body(t, res); res.StatusCode != http.StatusBadRequest || !strings.Contains(b, "as_of") {
		t.Errorf("as_of=yesterday: %d %s", res.StatusCode, b)
	}
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// The overview, its exports and the trace mark the corrected figure "r"
// and explain the mark; as of before the correction they show the old
// value unmarked, under a banner linking back to the live page.
func TestRevisedMarksAndBanner(t *testing.T) {
	h := newTestServer(t, vintageStore(t))
	live := body(t, get(t, h, "/?lang=en"))
	if !strings.Contains(live, `<sup class="mark" data-mark="r">r</sup>`) || !strings.Contains(live, `id="marks-legend"`) {
		t.Errorf("the live overview does not mark the revised figure or lacks the legend")
	}
	if strings.Contains(live, `id="vintage-banner"`) {
		t.Errorf("the live overview has the as-of banner")
	}
	csv := body(t, get(t, h, "/export.csv?lang=en"))
	if !strings.Contains(csv, "250 (r)") || !strings.Contains(csv, "r revised") {
		t.Errorf("CSV lacks the mark or its legend:\n%s", csv)
	}
	old := body(t, get(t, h, "/?lang=en&as_of=2025-04-05T15:00"))
	if strings.Contains(old, `data-mark="r"`) || !strings.Contains(old, `id="vintage-banner"`) || !strings.Contains(old, `href="/?lang=en" id="vintage-live"`) {
		t.Errorf("as of 15:00 the overview marks a revision or lacks the banner")
	}
	if csv := body(t, get(t, h, "/export.csv?lang=en&as_of=2025-04-05T15:00")); !strings.Contains(csv, ",221\r\n") && !strings.Contains(csv, ",221\n") {
		t.Errorf("CSV as of 15:00 is not the first value:\n%s", csv)
	}
	tr := body(t, get(t, h, "/trace?lang=en&measure=letters&from=2025-03&to=2025-03"))
	for _, want := range []string{"first.xlsx", "correction.xlsx", "221", "250", "first published", "shown now", "superseded"} {
		if !strings.Contains(tr, want) {
			t.Errorf("trace lacks %q", want)
		}
	}
	brief := body(t, get(t, h, "/briefing?lang=en&as_of=2025-04-05"))
	if !strings.Contains(brief, `id="briefing-title">Postal exchange Uzbekistan — China, March 2025 · data as of 5 April 2025 (UTC&#43;5)</h1>`) {
		t.Errorf("the briefing as of a day does not say so in its title")
	}
}
