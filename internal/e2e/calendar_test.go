package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"postdash/internal/auth"
	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/sheet"
	"postdash/internal/store"
	"postdash/internal/web"
)

// calendarServer serves the sample on dsn with an administrator "adam"
// and an analyst "ali" (password "analyst-password"), judged by clock.
func calendarServer(t *testing.T, dsn string, clock func() time.Time) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	imp := importer.New(st, sheet.Limits{}, logger)
	if err := web.EnsureSample(ctx, st, imp, logger); err != nil {
		t.Fatalf("import sample: %v", err)
	}
	svc, err := auth.New(st, auth.Config{}, logger)
	if err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]string{"adam": auth.Admin, "ali": auth.Analyst} {
		if _, _, err := svc.CreateUser(ctx, name, role, "analyst-password", auth.Actor{User: "e2e"}); err != nil {
			t.Fatal(err)
		}
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{DefaultLang: i18n.EN, Logger: logger, Now: clock}, st, imp, cat)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &httptest.Server{Listener: l, Config: &http.Server{Handler: srv.Handler()}}
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// postgresScratch is a DSN on a schema of its own of POSTDASH_TEST_POSTGRES's server.
func postgresScratch(t *testing.T) string {
	dsn := os.Getenv("POSTDASH_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("POSTDASH_TEST_POSTGRES not set: skipping PostgreSQL")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	rand.Read(b[:])
	schema := "postdash_e2e_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pgx.Connect(ctx, dsn); err == nil {
			defer c.Close(ctx)
			_, _ = c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
		}
	})
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// monthWorkbook writes one month of inbound letter post from China Post.
func monthWorkbook(t *testing.T, month string) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	for i, r := range [][]any{{"period", "direction", "partner", "category", "weight, kg"}, {month, "inbound", "china_post", "letter_post", 321.5}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "letters-"+month+".xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestScheduleInBrowser: an administrator sets "by the 15th of the next
// month" from two months ago; the grid shows last-but-one month overdue in
// red and the overview lists it; an analyst uploads it: it turns green,
// "received late" with today's date. A note on February shows as a marker
// on the letters chart and as a footnote of the briefing.
func TestScheduleInBrowser(t *testing.T) {
	exe := chromium(t)
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			dsn := filepath.Join(t.TempDir(), "e2e.db")
			if backend == "postgres" {
				dsn = postgresScratch(t)
			}
			scheduleInBrowser(t, exe, dsn, backend == "sqlite")
		})
	}
}

func scheduleInBrowser(t *testing.T, exe, dsn string, shots bool) {
	tz, _ := time.LoadLocation(web.DefaultTimeZone)
	now := time.Now().In(tz)
	clock := func() time.Time { return now }
	ts := calendarServer(t, dsn, clock)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, tz)
	owed := first.AddDate(0, -2, 0) // its due date, the 15th of last month, has passed
	owedValue := owed.Format("2006-01")
	owedLabel := i18n.MonthShort(i18n.EN, int(owed.Month())) + " " + fmt.Sprint(owed.Year())
	owedLong := i18n.FormatMonth(i18n.EN, owed.Year(), int(owed.Month()))

	bl := &browserLog{origin: ts.URL}
	ctx, cancel := browser(t, exe, bl.listen)
	defer cancel()
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	signIn := func(name, next string) {
		step("sign in "+name,
			chromedp.Navigate(ts.URL+"/login?next="+url.QueryEscape(next)),
			chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)),
			chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), name),
			chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "analyst-password"),
			chromedp.Click(chromedp.ID("login-submit")),
		)
	}
	// gridCell is the state and text of the completeness table's cell of
	// Letter post · China Post in the owed month, and the colour the chart
	// draws it in.
	gridCell := func() (state, cellText, colour string) {
		t.Helper()
		js := fmt.Sprintf(`(() => {
			const tb = document.querySelector('table[data-chart="chart-completeness"]');
			const col = [...tb.querySelectorAll('thead th')].findIndex(th => th.textContent.trim() === %q);
			const tr = [...tb.querySelectorAll('tbody tr')].find(r => r.querySelector('th').textContent.includes('Letter post') && r.querySelector('th').textContent.includes('China Post'));
			if (col < 1 || !tr) return ['', '', ''];
			const td = tr.children[col];
			const chart = echarts.getInstanceByDom(document.getElementById('chart-completeness'));
			const opt = chart.getOption();
			const item = opt.series[0].data.find(d => d.name.startsWith('Letter post · China Post, ' + %q));
			const piece = opt.visualMap[0].pieces.find(p => p.min === item.value[2]);
			return [td.dataset.state || '', td.textContent.trim(), piece ? piece.color : ''];
		})()`, owedLabel, owedLabel)
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](js))
		if err != nil {
			t.Fatalf("grid cell: %v", err)
		}
		return v[0], v[1], v[2]
	}

	signIn("adam", "/admin/schedule")
	step("set the schedule",
		chromedp.WaitVisible(chromedp.ID("schedule-form")),
		chromedp.SetValue(chromedp.CSS(`#schedule-form input[name="n"]`), "15"),
		chromedp.SendKeys(chromedp.CSS(`#schedule-form input[name="from"]`), owedValue),
		chromedp.Click(chromedp.CSS(`#schedule-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#schedule tr[data-rule]`)),
	)
	if got := text("#schedule"); !strings.Contains(got, "by day 15 of the next month, from "+owedLong) {
		t.Fatalf("schedule table:\n%s", got)
	}
	step("log out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)), chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)))

	signIn("ali", "/")
	step("overview", chromedp.WaitVisible(chromedp.ID("overdue")))
	if _, err := waitCharts(ctx); err != nil {
		t.Fatal(err)
	}
	if got := text("#overdue"); !strings.Contains(got, "Letter post · China Post, "+owedLong+": was due 15 ") {
		t.Fatalf("the overdue list does not name %s:\n%s", owedLong, got)
	}
	state, cell, colour := gridCell()
	if state != "overdue" || colour != "#c62828" || !strings.HasPrefix(cell, "overdue") {
		t.Fatalf("grid cell of %s before the upload: %q %q %q; want overdue in red", owedLabel, state, cell, colour)
	}
	if legend := text("#grid-legend"); !strings.Contains(legend, "overdue") || !strings.Contains(legend, "received late") {
		t.Fatalf("legend: %q", legend)
	}
	if got := text("#release"); !strings.Contains(got, "Final") || !strings.Contains(got, "Next due:") {
		t.Fatalf("release facts: %q", got)
	}
	if shots {
		shot(t, ctx, "calendar-grid-overdue")
	}

	step("upload the owed month",
		chromedp.Navigate(ts.URL+"/upload"),
		chromedp.WaitVisible(chromedp.ID("upload-submit")),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"]`), []string{monthWorkbook(t, owedValue)}),
		chromedp.Click(chromedp.ID("upload-submit")),
		chromedp.WaitVisible(chromedp.ID("job-ready")),
		chromedp.Click(chromedp.ID("job-confirm")),
		chromedp.WaitVisible(chromedp.ID("job-committed")),
	)
	step("overview after", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.ID("overdue")))
	if _, err := waitCharts(ctx); err != nil {
		t.Fatal(err)
	}
	// The batch was committed by the store's clock, the real one.
	receivedOn := i18n.FormatDate(i18n.EN, time.Now().In(tz))
	state, cell, colour = gridCell()
	if state != "late" || cell != "received late, "+receivedOn || colour != "#8cc79a" {
		t.Fatalf("grid cell of %s after the upload: %q %q %q; want received late, %s, in green", owedLabel, state, cell, colour, receivedOn)
	}
	if got := text("#overdue"); strings.Contains(got, "Letter post · China Post, "+owedLong) {
		t.Fatalf("the overdue list still names it:\n%s", got)
	}
	if shots {
		shot(t, ctx, "calendar-grid-late")
	}

	note := "Spring Festival: operators closed 28 Jan – 4 Feb"
	step("add a note",
		chromedp.Navigate(ts.URL+"/annotations"),
		chromedp.WaitVisible(chromedp.ID("note-form")),
		chromedp.SendKeys(chromedp.CSS(`#note-form input[name="month"]`), "2025-02"),
		chromedp.SendKeys(chromedp.CSS(`#note-form input[name="text"]`), note),
		chromedp.Click(chromedp.CSS(`#note-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#notes tr[data-note]`)),
	)
	step("overview with the note", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.ID("month-notes")))
	if _, err := waitCharts(ctx); err != nil {
		t.Fatal(err)
	}
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const o = echarts.getInstanceByDom(document.getElementById('chart-letters')).getOption();
		const ml = o.series[0].markLine;
		return ml && ml.data ? ml.data.map(d => d.xAxis + '|' + d.name) : [];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if len(marks) != 1 || !strings.HasPrefix(marks[0], "Feb 2025|Spring Festival") {
		t.Fatalf("marks on the letters chart: %q", marks)
	}
	if shots {
		step("scroll to the letters chart", chromedp.ScrollIntoView(chromedp.ID("chart-letters")))
		shot(t, ctx, "calendar-chart-marker")
	}
	step("briefing", chromedp.Navigate(ts.URL+"/briefing"), chromedp.WaitVisible(chromedp.CSS(".footnote")))
	if got := text("main"); !strings.Contains(got, "† Note on February 2025: "+note) {
		t.Fatalf("the briefing has no footnote of the note")
	}
	if shots {
		shot(t, ctx, "calendar-briefing-footnote")
	}
	bl.mu.Lock()
	defer bl.mu.Unlock()
	if len(bl.errors) > 0 || len(bl.foreign) > 0 {
		t.Fatalf("browser errors %q, foreign requests %q", bl.errors, bl.foreign)
	}
}
