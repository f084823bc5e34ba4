package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// The trace of a KPI lists every value it sums with its batch, file and
// sheet, and adds up to the card; a bad measure is refused.
func TestTraceOfSampleKPI(t *testing.T) {
	st, _ := sqliteWithSample(t)
	h := newTestServer(t, st)
	page := html.UnescapeString(body(t, get(t, h, "/trace?lang=en&measure=letters&compare=1")))
	for _, w := range []string{"What this figure sums", "Letter post · January–June 2025", "<span class=\"trace-total\">3,085\u00a0kg</span>",
		"uz-cn-post-2025-h1.xlsx", "2025 I ярим йиллик", `href="/batches/1/file"`, "The same months a year earlier"} {
		if !strings.Contains(page, w) {
			t.Errorf("trace lacks %q", w)
		}
	}
	if !regexp.MustCompile(`class="trace-sheet">2025 I ярим йиллик · [A-Z]+[0-9]+<`).MatchString(page) {
		t.Error("trace does not name the cell each value came from")
	}
	if n := strings.Count(page, `class="trace-sheet"`); n != 12 {
		t.Errorf("trace lists %d values, want 12 (six months, in and out)", n)
	}
	if r := get(t, h, "/trace?lang=en&measure=nope"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown measure: status %d", r.StatusCode)
	}
	panel := body(t, get(t, h, "/trace?lang=en&measure=letter_post&from=2025-03&to=2025-03&direction=inbound&panel=1"))
	if strings.Contains(panel, "<html") || !strings.Contains(panel, "221\u00a0kg") {
		t.Errorf("panel is a whole page or lacks March's 221 kg:\n%s", panel)
	}
}

// A figure summing more values than a page can list shows the first ones
// and says how many more the total counts.
func TestTraceListsAtMostItsLimit(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "many.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var facts []postal.Fact
	for i := 0; i < maxTraceRows+7; i++ {
		facts = append(facts, postal.Fact{Month: postal.Month{Year: 2025, Month: 1}, Sheet: "s",
			Series: postal.Series{Direction: postal.Inbound, Partner: fmt.Sprintf("Post %03d", i), Category: postal.EMS}, Items: 1, HasItems: true})
	}
	if err := st.CommitBatch(ctx, &store.Batch{FileName: "many.xlsx", SHA256: "ab", User: "t"}, facts); err != nil {
		t.Fatal(err)
	}
	page := body(t, get(t, newTestServer(t, st), "/trace?lang=en&measure=ems"))
	if n := strings.Count(page, `class="trace-sheet"`); n != maxTraceRows {
		t.Errorf("%d rows listed, want %d", n, maxTraceRows)
	}
	if !strings.Contains(page, "and 7 more values") || !strings.Contains(page, fmt.Sprintf(`trace-total">%d`, maxTraceRows+7)) {
		t.Error("the trace does not say how many more values its total counts")
	}
}

// A figure summing a value its sheet marked ("* preliminary") carries a "*"
// in the briefing, and the note is said under the summary.
func TestBriefingMarksNotedValues(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "noted.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := postal.Month{Year: 2025, Month: 3}
	facts := []postal.Fact{
		{Month: m, Sheet: "s", Series: postal.Series{Direction: postal.Inbound, Partner: postal.ChinaPost, Category: postal.LetterPost}, WeightKg: 100, HasWeight: true, Note: "preliminary", Source: "C5"},
		{Month: m, Sheet: "s", Series: postal.Series{Direction: postal.Inbound, Partner: postal.ChinaPost, Category: postal.EMS}, Items: 4, HasItems: true, Source: "D5"},
	}
	if err := st.CommitBatch(ctx, &store.Batch{FileName: "n.xlsx", SHA256: "cd", User: "t"}, facts); err != nil {
		t.Fatal(err)
	}
	page := html.UnescapeString(body(t, get(t, newTestServer(t, st), "/briefing?lang=en")))
	if !strings.Contains(page, `data-col="current">100*<`) || !strings.Contains(page, `data-col="current">4<`) {
		t.Error("the noted letters figure has no * (or EMS has one)")
	}
	if !strings.Contains(page, "* includes values their sheet marks: preliminary") {
		t.Error("the briefing does not say the note")
	}
}
