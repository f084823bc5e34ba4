package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"postdash/data"
	"postdash/internal/i18n"
	"postdash/internal/web"
)

// TestTraceInBrowser: a click on a bar opens the panel of what it sums,
// naming the batch and the sheet; its file link downloads the original,
// byte for byte; a KPI opens the same panel from the keyboard.
func TestTraceInBrowser(t *testing.T) {
	exe := chromium(t)
	ts := startServer(t, web.Config{DefaultLang: i18n.EN}, "ali")
	bl := &browserLog{origin: ts.URL}
	ctx, cancel := browser(t, exe, bl.listen)
	defer cancel()
	ctx, cancelWait := context.WithTimeout(ctx, 60*time.Second)
	defer cancelWait()
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	step("sign in",
		chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(ts.URL+"/upload"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "ali"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "analyst-password"),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("upload-submit")),
		chromedp.Navigate(ts.URL+"/?lang=en"),
	)
	if _, err := waitCharts(ctx); err != nil {
		t.Fatalf("charts: %v", err)
	}
	// Where March's inbound letters bar is drawn, in page coordinates.
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
		const el = document.getElementById('chart-letters');
		el.scrollIntoView({block: 'center'});
		const c = echarts.getInstanceByDom(el);
		const bar = c.getModel().getSeriesByIndex(0).getData().getItemLayout(2); // the bar as drawn
		const r = el.getBoundingClientRect();
		return [r.left + bar.x + bar.width / 2, r.top + bar.y + bar.height / 2];
	})()`))
	if err != nil || len(xy) != 2 {
		t.Fatalf("bar position: %v %v", xy, err)
	}
	step("click the bar", chromedp.MouseClickXY(xy[0], xy[1]), chromedp.WaitVisible(chromedp.CSS("#trace-panel .trace-sheet")))
	panel, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#trace-panel")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Letter post · March 2025 · Inbound", "2025 I ярим йиллик", "uz-cn-post-2025-h1.xlsx", "March 2025"} {
		if !strings.Contains(panel, want) {
			t.Errorf("panel lacks %q:\n%s", want, panel)
		}
	}
	batch, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#trace-panel .trace-batch")))
	if err != nil || strings.TrimSpace(batch) != "1" {
		t.Errorf("panel names batch %q (%v), want 1", batch, err)
	}
	if out := os.Getenv("POSTDASH_E2E_OUT"); out != "" {
		if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
			_ = os.WriteFile(filepath.Join(out, "trace-panel.png"), png, 0o644)
		}
	}
	// Follow the file link as the browser downloads it; hash what arrives.
	sum, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const a = document.querySelector('#trace-panel a.trace-file');
		const r = await fetch(a.href, {credentials: 'same-origin'});
		if (!r.ok) return 'status ' + r.status;
		const d = await crypto.subtle.digest('SHA-256', await r.arrayBuffer());
		return [...new Uint8Array(d)].map(b => b.toString(16).padStart(2, '0')).join('');
	})()`, chromedp.EvalAwaitPromise))
	want := sha256.Sum256(data.Sample)
	if err != nil || sum != hex.EncodeToString(want[:]) {
		t.Errorf("downloaded original: %q (%v), want SHA-256 %x", sum, err, want)
	}
	// The shareable address opens the same list as a page.
	link, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('trace-link').href`))
	if err != nil || !strings.Contains(link, "/trace?") || !strings.Contains(link, "measure=letter_post") {
		t.Errorf("trace link %q (%v)", link, err)
	}
	// Escape closes the panel; a KPI reached by Tab and Enter opens it again.
	step("close", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotVisible(chromedp.ID("trace-panel")))
	step("keyboard",
		chromedp.Focus(chromedp.CSS("#kpi-letters a.trace")),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS("#trace-panel .trace-sheet")),
	)
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`))
	if err != nil || focused != "trace-title" {
		t.Errorf("focus on %q (%v), want the panel's title", focused, err)
	}
	total, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#trace-panel .trace-total")))
	if err != nil || total != "3,085\u00a0kg" {
		t.Errorf("KPI trace total %q (%v), want 3,085 kg", total, err)
	}
	// The batches page in Russian shows its "Отменить…" link whole, without scrolling.
	step("batches", chromedp.Navigate(ts.URL+"/batches?lang=ru"), chromedp.WaitVisible(chromedp.CSS("#batches a.undo")))
	clip, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const a = document.querySelector('#batches a.undo').getBoundingClientRect();
		const box = document.querySelector('#batches').closest('.wide').getBoundingClientRect();
		return a.right <= box.right + 0.5 ? '' : a.right + ' > ' + box.right;
	})()`))
	if err != nil || clip != "" {
		t.Errorf("the undo link is clipped: %s (%v)", clip, err)
	}
	if err := chromedp.Do(ctx, chromedp.Sleep(200*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	bl.mu.Lock()
	defer bl.mu.Unlock()
	if len(bl.errors) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(bl.errors, "\n"))
	}
}
