package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"postdash/internal/i18n"
	"postdash/internal/web"
)

// correctionWorkbook corrects one figure of the sample: inbound letter
// post from China Post in March 2025, 221 kg, is 250 kg.
func correctionWorkbook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	for i, r := range [][]any{
		{"period", "direction", "partner", "category", "weight, kg"},
		{"2025-03", "inbound", "china_post", "letter_post", 250},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "correction.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRevisionsAndVintagesInBrowser: an analyst imports a correction of a
// figure; the figure is marked revised in its table and the panel shows
// the value first published beside the new one; the overview as of a
// time before the correction shows the old value, unmarked, under a
// banner with a link back to the live data; the API answers the same.
func TestRevisionsAndVintagesInBrowser(t *testing.T) {
	exe := chromium(t)
	tz, err := time.LoadLocation(web.DefaultTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	ts := startServer(t, web.Config{DefaultLang: i18n.EN, Location: tz}, "ali")
	bl := &browserLog{origin: ts.URL}
	ctx, cancel := browser(t, exe, bl.listen)
	defer cancel()
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	// March inbound letters in the letters table: its text and its mark.
	marchInbound := `(() => {
		const tab = document.querySelector('table[data-chart="chart-letters"]');
		const col = [...tab.tHead.rows[0].cells].findIndex(c => c.textContent.trim() === 'Inbound');
		const row = [...tab.tBodies[0].rows].find(r => r.cells[0].textContent.trim() === 'Mar 2025');
		const td = row.cells[col];
		const mark = td.querySelector('sup.mark');
		return td.querySelector('a, span') ? td.firstChild.textContent.trim() + '|' + (mark ? mark.textContent : '') : td.textContent;
	})()`
	step("sign in",
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(ts.URL+"/upload"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "ali"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "analyst-password"),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("upload-submit")),
		chromedp.Navigate(ts.URL+"/?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(".kpis")),
	)
	if got := eval(marchInbound); got != "221|" {
		t.Fatalf("before the correction, March inbound letters show %q, want 221 unmarked", got)
	}
	before := time.Now().In(tz)
	asOf := before.Format("2006-01-02T15:04:05")
	time.Sleep(1100 * time.Millisecond) // the correction comes a second later
	step("import the correction",
		chromedp.Navigate(ts.URL+"/upload"),
		chromedp.WaitVisible(chromedp.ID("upload-submit")),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"]`), []string{correctionWorkbook(t)}),
		chromedp.Click(chromedp.ID("upload-submit")),
		chromedp.WaitVisible(chromedp.ID("job-ready")),
		chromedp.Click(chromedp.ID("job-confirm")),
		chromedp.WaitVisible(chromedp.ID("job-committed")),
		chromedp.Navigate(ts.URL+"/?lang=en"),
		chromedp.WaitVisible(chromedp.CSS(".kpis")),
	)
	if _, err := waitCharts(ctx); err != nil {
		t.Fatalf("charts: %v", err)
	}
	if got := eval(marchInbound); got != "250|r" {
		t.Errorf("after the correction, March inbound letters show %q, want 250 marked r", got)
	}
	// The tooltip of March's inbound bar says the mark after the value.
	if tip := eval(`(() => {
		const c = echarts.getInstanceByDom(document.getElementById('chart-letters'));
		const f = c.getOption().tooltip[0].formatter;
		return typeof f === 'function' ? f([{seriesIndex: 0, dataIndex: 2, marker: '', seriesName: 'Inbound', value: 250, axisValueLabel: 'Mar 2025'}]) : 'no formatter';
	})()`); !strings.Contains(tip, `<sup class="mark">r</sup>`) {
		t.Errorf("the tooltip of the revised bar is %q, without its mark", tip)
	}
	if legend := eval(`document.getElementById('marks-legend') ? document.getElementById('marks-legend').textContent : ''`); !strings.Contains(legend, "revised") {
		t.Errorf("no legend of the marks: %q", legend)
	}
	eval(`(() => {
		const tab = document.querySelector('table[data-chart="chart-letters"]');
		tab.closest('details').open = true;
		tab.scrollIntoView({block: 'center'});
		return 'shown';
	})()`)
	shot(t, ctx, "vintage-revised-mark")
	eval(`(() => {
		const tab = document.querySelector('table[data-chart="chart-letters"]');
		const col = [...tab.tHead.rows[0].cells].findIndex(c => c.textContent.trim() === 'Inbound');
		const row = [...tab.tBodies[0].rows].find(r => r.cells[0].textContent.trim() === 'Mar 2025');
		row.cells[col].querySelector('a').click();
		return 'clicked';
	})()`)
	step("open the panel", chromedp.WaitVisible(chromedp.CSS("#trace-panel .trace-versions")))
	versions := eval(`document.querySelector('#trace-panel .trace-versions').textContent`)
	for _, want := range []string{"221", "250", "first published", "shown now", "uz-cn-post-2025-h1.xlsx", "correction.xlsx", "ali"} {
		if !strings.Contains(versions, want) {
			t.Errorf("the panel's earlier values lack %q:\n%s", want, versions)
		}
	}
	shot(t, ctx, "vintage-revision-panel")

	step("view as of before the correction",
		chromedp.Navigate(ts.URL+"/?lang=en&as_of="+asOf),
		chromedp.WaitVisible(chromedp.ID("vintage-banner")),
	)
	if _, err := waitCharts(ctx); err != nil {
		t.Fatalf("charts: %v", err)
	}
	if got := eval(marchInbound); got != "221|" {
		t.Errorf("as of %s, March inbound letters show %q, want 221 unmarked", asOf, got)
	}
	banner := eval(`document.getElementById('vintage-banner').textContent`)
	if !strings.Contains(banner, before.Format("15:04:05")) {
		t.Errorf("banner %q does not name %s", banner, asOf)
	}
	if href := eval(`document.getElementById('vintage-live').getAttribute('href')`); strings.Contains(href, "as_of") {
		t.Errorf("the link back to live keeps as_of: %q", href)
	}
	shot(t, ctx, "vintage-asof-banner")
	api := `fetch('/api/v1/totals?by=period&category=letter_post&direction=inbound&partner=china_post&from=2025-03&to=2025-03%s', {credentials: 'same-origin'}).then(r => r.json()).then(j => String(j.rows[0].weight_kg))`
	if got := evalAwait(t, ctx, strings.Replace(api, "%s", "&as_of="+asOf, 1)); got != "221" {
		t.Errorf("API as of %s: %q kg, want 221", asOf, got)
	}
	if got := evalAwait(t, ctx, strings.Replace(api, "%s", "", 1)); got != "250" {
		t.Errorf("API live: %q kg, want 250", got)
	}
	step("briefing as of", chromedp.Navigate(ts.URL+"/briefing?lang=en&as_of="+asOf), chromedp.WaitVisible(chromedp.ID("briefing-title")))
	if title := eval(`document.getElementById('briefing-title').textContent`); !strings.Contains(title, "data as of") {
		t.Errorf("briefing title %q does not say which day's data it shows", title)
	}
	bl.mu.Lock()
	defer bl.mu.Unlock()
	if len(bl.errors) > 0 || len(bl.foreign) > 0 {
		t.Errorf("the browser logged errors %v or asked elsewhere %v", bl.errors, bl.foreign)
	}
}

// evalAwait evaluates a promise and returns what it resolves to.
func evalAwait(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return s
}
