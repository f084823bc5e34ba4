package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"postdash/internal/i18n"
	"postdash/internal/web"
)

// revisionWorkbook writes a small long-layout workbook adding parcels.
func revisionWorkbook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	rows := [][]any{
		{"period", "direction", "partner", "category", "items", "weight, kg"},
		{"2025-03", "inbound", "china_post", "parcel", 987654, 123456.5},
		{"2025-04", "inbound", "china_post", "parcel", 876543, 112233.5},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "revision.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestUploadRoundTripInBrowser: an analyst signs in, uploads a workbook,
// watches it being read, sees the preview and the diff, confirms, sees the
// overview change, undoes the batch and sees the overview as it was.
func TestUploadRoundTripInBrowser(t *testing.T) {
	exe := chromium(t)
	ts := startServer(t, web.Config{DefaultLang: i18n.EN}, "ali") // signed-in users only
	file := revisionWorkbook(t)
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

	step("sign in",
		chromedp.Navigate(ts.URL+"/upload"), // sends us to the login page first
		chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "ali"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "analyst-password"),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("upload-submit")),
	)
	step("overview before", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".kpis")))
	before := text(".kpis")

	step("upload",
		chromedp.Navigate(ts.URL+"/upload"),
		chromedp.WaitVisible(chromedp.ID("upload-submit")),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"]`), []string{file}),
		chromedp.Click(chromedp.ID("upload-submit")),
		chromedp.WaitVisible(chromedp.ID("job-ready")), // progress page polls, then shows the preview
	)
	shot := func(name string) {
		t.Helper()
		out := os.Getenv("POSTDASH_E2E_OUT")
		if out == "" {
			return
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if err := os.WriteFile(filepath.Join(out, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	shot("upload-preview")
	if diff := text("#job-diff-counts"); !strings.Contains(diff, "added") || !strings.Contains(diff, "changed") {
		t.Errorf("diff summary %q", diff)
	}
	if rows := text("#job-diff"); !strings.Contains(rows, "2025-03") || !strings.Contains(rows, "987,654") {
		t.Errorf("diff table lacks the new values:\n%s", rows)
	}
	step("confirm",
		chromedp.Click(chromedp.ID("job-confirm")),
		chromedp.WaitVisible(chromedp.ID("job-committed")),
	)
	step("overview after", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".kpis")))
	if after := text(".kpis"); after == before {
		t.Errorf("the overview did not change after the import:\n%s", after)
	}

	step("undo",
		chromedp.Navigate(ts.URL+"/batches"),
		chromedp.WaitVisible(chromedp.CSS("#batches a.undo")),
		chromedp.Click(chromedp.CSS("#batches a.undo")),
		chromedp.WaitVisible(chromedp.ID("undo-confirm")),
		chromedp.Click(chromedp.ID("undo-confirm")),
		chromedp.WaitVisible(chromedp.CSS("#batches tr.undone")),
	)
	shot("upload-batches")
	step("overview after undo", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".kpis")))
	if again := text(".kpis"); again != before {
		t.Errorf("after undo the overview is not as before:\nbefore:\n%s\nnow:\n%s", before, again)
	}

	if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	bl.mu.Lock()
	defer bl.mu.Unlock()
	if len(bl.errors) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(bl.errors, "\n"))
	}
	if len(bl.foreign) > 0 {
		t.Errorf("requests to other origins:\n%s", strings.Join(bl.foreign, "\n"))
	}
}
