package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"postdash/internal/i18n"
	"postdash/internal/web"
)

// unknownColumnWorkbook writes a month of the analyst's own form: a
// column "Foo bar" whose header says nothing of what it counts.
func unknownColumnWorkbook(t *testing.T, name, month string, letters, foo float64) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	for i, r := range [][]any{{"Month", "Letters inbound, kg", "Foo bar"}, {month, letters, foo}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// acrossWorkbook writes a month of a form with the months across and one
// stub row, "Foo bar" in tonnes, whose label says nothing of what it counts.
func acrossWorkbook(t *testing.T, name, m1, m2 string, fooFirst bool) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	parcels := []any{"Посылки входящие", "шт", 10, 20, 30}
	foo := []any{"Foo bar", "т", 1.5, 2.25, 3.75}
	rows := [][]any{{"Показатель", "Ед. изм.", m1, m2, "Итого"}, parcels, foo}
	if fooFirst {
		rows[1], rows[2] = foo, parcels
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMappingInBrowser: a sheet with a column of unknown meaning is marked
// in the preview and cannot be confirmed; the analyst chooses "parcels,
// inbound, t", sees the new facts and totals, confirms, and the dashboard
// has them. Next month's file of the same form previews with the saved
// mapping and no question; once the mapping is deleted the question is back.
func TestMappingInBrowser(t *testing.T) {
	exe := chromium(t)
	ts := startServer(t, web.Config{DefaultLang: i18n.EN}, "ali")
	july := unknownColumnWorkbook(t, "july.xlsx", "2025-07", 10, 1.5)
	august := unknownColumnWorkbook(t, "august.xlsx", "2025-08", 20, 2.25)
	bl := &browserLog{origin: ts.URL}
	ctx, cancel := browser(t, exe, bl.listen, chromedp.WindowSize(1400, 1000))
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
	upload := func(file, waitFor string) string {
		t.Helper()
		step("upload "+filepath.Base(file),
			chromedp.Navigate(ts.URL+"/upload?lang=en"),
			chromedp.WaitVisible(chromedp.ID("upload-submit")),
			chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"]`), []string{file}),
			chromedp.Click(chromedp.ID("upload-submit")),
			chromedp.WaitVisible(chromedp.ID(waitFor)),
		)
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}

	step("sign in",
		chromedp.Navigate(ts.URL+"/upload"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="name"]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), "ali"),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), "analyst-password"),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("upload-submit")),
	)
	step("overview before", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".kpis")))
	before := text(".kpis")

	jobURL := upload(july, "job-rejected")
	if row := text("#table-0-0 tr.in-error"); !strings.Contains(row, "Foo bar") {
		t.Errorf("the unknown column is not marked: %q", row)
	}
	if errs := text("#job-errors"); !strings.Contains(errs, "choose what column C holds") {
		t.Errorf("the error does not say what to do: %q", errs)
	}
	// The cells are fine, only the reading is missing: the banner asks for a
	// choice, not for the file to be corrected and uploaded again.
	if banner := text("#job-rejected"); !strings.Contains(banner, "Choose below what each marked column") || strings.Contains(banner, "upload it again") {
		t.Errorf("the rejected banner does not ask for a choice: %q", banner)
	}
	disabled, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("job-confirm-disabled").disabled && !document.getElementById("job-confirm")`))
	if err != nil || !disabled {
		t.Error("Confirm is not disabled while a column's meaning is unknown")
	}
	for _, l := range []string{"en", "ru", "uz-Latn", "uz-Cyrl"} {
		step("preview in "+l, chromedp.Navigate(jobURL+"?lang="+l), chromedp.WaitVisible(chromedp.ID("job-rejected")))
		shot("mapping-preview-" + l)
	}

	form := "#choose-0-0-C1"
	step("choose parcels, inbound, t",
		chromedp.Navigate(jobURL+"?lang=en"), chromedp.WaitVisible(chromedp.CSS(form)),
		chromedp.SetValue(chromedp.CSS(form+` select[name="meaning"]`), "measure"),
		chromedp.SetValue(chromedp.CSS(form+` select[name="category"]`), "parcel"),
		chromedp.SetValue(chromedp.CSS(form+` select[name="direction"]`), "inbound"),
		chromedp.SetValue(chromedp.CSS(form+` select[name="unit"]`), "t"),
		chromedp.Click(chromedp.CSS(form+` button`)),
		chromedp.WaitVisible(chromedp.ID("job-ready")),
	)
	shot("mapping-applied-en")
	if m := text("#job-mapping"); !strings.Contains(m, "choices made in this preview") {
		t.Errorf("the preview does not say it read with the choices: %q", m)
	}
	// Truth by hand: 1.5 t of inbound parcels is 1,500 kg.
	if tab := text("#table-0-0"); !strings.Contains(tab, "1,500\u00a0kg") || !strings.Contains(tab, "Parcels") {
		t.Errorf("the table does not show the new meaning and total:\n%s", tab)
	}
	if diff := text("#job-diff"); !strings.Contains(diff, "2025-07") || !strings.Contains(diff, "1,500") {
		t.Errorf("the diff lacks the new fact:\n%s", diff)
	}
	step("confirm", chromedp.Click(chromedp.ID("job-confirm")), chromedp.WaitVisible(chromedp.ID("job-committed")))
	step("overview after", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".kpis")))
	if after := text(".kpis"); after == before {
		t.Errorf("the overview did not change after the import:\n%s", after)
	}
	step("totals", chromedp.Navigate(ts.URL+"/api/v1/totals?where=category=parcel,direction=inbound&from=2025-07&to=2025-07"))
	if body := text("body"); !strings.Contains(body, `"weight_kg":1500`) {
		t.Errorf("the dashboard's totals lack the 1,500 kg of parcels: %s", body)
	}

	upload(august, "job-ready") // no question: the saved mapping applies
	if m := text("#job-mapping"); !strings.Contains(m, "saved by ali on") || !strings.Contains(m, "mapping 1") {
		t.Errorf("the preview does not name the saved mapping: %q", m)
	}
	if tab := text("#table-0-0"); !strings.Contains(tab, "2,250\u00a0kg") {
		t.Errorf("next month's table does not read with the mapping:\n%s", tab)
	}
	shot("mapping-next-month-en")

	step("delete the mapping",
		chromedp.Click(chromedp.CSS("#job-mapping a")),
		chromedp.WaitVisible(chromedp.ID("mapping-1")),
		chromedp.Click(chromedp.CSS("#mapping-1 .mapping-delete")),
		chromedp.WaitVisible(chromedp.ID("mappings-none")),
	)
	upload(august, "job-rejected") // the question is back
	if row := text("#table-0-0 tr.in-error"); !strings.Contains(row, "Foo bar") {
		t.Errorf("after deleting the mapping the column is not marked: %q", row)
	}

	// Months across the columns: the unknown stub row is chosen for, and
	// next month's file (other month headings, the row moved) matches.
	autumn := acrossWorkbook(t, "autumn.xlsx", "Сентябрь 2025", "Октябрь 2025", false)
	winter := acrossWorkbook(t, "winter.xlsx", "Ноябрь 2025", "Декабрь 2025", true)
	upload(autumn, "job-rejected")
	if row := text("#table-0-0 tr.in-error"); !strings.Contains(row, "Foo bar") {
		t.Errorf("the unknown stub row is not marked: %q", row)
	}
	shot("mapping-across-preview-en")
	form = "#choose-0-0-A3"
	step("choose EMS, outbound for row 3",
		chromedp.WaitVisible(chromedp.CSS(form)),
		chromedp.SetValue(chromedp.CSS(form+` select[name="meaning"]`), "measure"),
		chromedp.SetValue(chromedp.CSS(form+` select[name="category"]`), "ems"),
		chromedp.SetValue(chromedp.CSS(form+` select[name="direction"]`), "outbound"),
		chromedp.Click(chromedp.CSS(form+` button`)),
		chromedp.WaitVisible(chromedp.ID("job-ready")),
	)
	shot("mapping-across-applied-en")
	// Truth by hand: 1.5 t + 2.25 t of outbound EMS is 3,750 kg.
	if tab := text("#table-0-0"); !strings.Contains(tab, "3,750\u00a0kg") {
		t.Errorf("the across table does not show the chosen row's total:\n%s", tab)
	}
	step("confirm across", chromedp.Click(chromedp.ID("job-confirm")), chromedp.WaitVisible(chromedp.ID("job-committed")))
	upload(winter, "job-ready") // no question: the saved mapping applies
	if m := text("#table-0-0 .table-mapping"); !strings.Contains(m, "saved by ali on") {
		t.Errorf("next month's across file does not name the saved mapping: %q", m)
	}
	if tab := text("#table-0-0"); !strings.Contains(tab, "3,750\u00a0kg") {
		t.Errorf("next month's across table does not read with the mapping:\n%s", tab)
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
