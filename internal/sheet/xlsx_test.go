package sheet

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// saveBook writes an excelize workbook to a temporary .xlsx file; patch, when
// set, rewrites the XML of each part (to add what excelize cannot write, such
// as a formula together with its cached value).
func saveBook(t *testing.T, f *excelize.File, patch func(name, xml string) string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if patch != nil {
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		zw := zip.NewWriter(&out)
		for _, m := range zr.File {
			rc, err := m.Open()
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(rc)
			rc.Close()
			w, _ := zw.Create(m.Name)
			_, _ = w.Write([]byte(patch(m.Name, string(body))))
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		b = out.Bytes()
	}
	p := filepath.Join(t.TempDir(), "book.xlsx")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func set(t *testing.T, f *excelize.File, sheet string, cells map[string]any) {
	t.Helper()
	for ref, v := range cells {
		if err := f.SetCellValue(sheet, ref, v); err != nil {
			t.Fatal(err)
		}
	}
}

func TestXLSXWideWorkbookEndToEnd(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const s = "Sheet1"
	set(t, f, s, map[string]any{
		"A1": "Ўзбекистон — Хитой почта статистикаси",
		"A2": "Ой", "B2": "Хат-хабарлар, кг", "D2": "Посилкалар, дона",
		"B3": "кирувчи", "C3": "чиқувчи", "D3": "кирувчи",
		"A4": time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), "B4": 10.5, "C4": 2, "D4": 7,
		"A5": time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), "B5": 20, "C5": "-", "D5": 3,
		"A6": "Жами", "B6": 30.5, "C6": 2, "D6": 10,
	})
	for _, m := range [][2]string{{"A1", "D1"}, {"A2", "A3"}, {"B2", "C2"}} {
		if err := f.MergeCell(s, m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 17})
	_ = f.SetCellStyle(s, "A4", "A5", style)
	if _, err := f.NewSheet("Hidden"); err != nil {
		t.Fatal(err)
	}
	set(t, f, "Hidden", map[string]any{"A1": "Period", "B1": "Parcels, pcs", "A2": "2025-01", "B2": 999})
	if err := f.SetSheetVisible("Hidden", false); err != nil {
		t.Fatal(err)
	}
	// The total of D is a formula whose cached value Excel stored.
	p := saveBook(t, f, func(name, xml string) string {
		if name != "xl/worksheets/sheet1.xml" {
			return xml
		}
		return strings.Replace(xml, `<c r="D6"><v>10</v>`, `<c r="D6"><f>SUM(D4:D5)</f><v>10</v>`, 1)
	})
	res, err := ReadFile(context.Background(), p, "h1.xlsx", Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	// The title names one partner (Хитой): it applies to every figure.
	want := lines(
		"2025-01 inbound china_post letter_post - kg=10.5",
		"2025-01 inbound china_post parcel - items=7",
		"2025-01 outbound china_post letter_post - kg=2",
		"2025-02 inbound china_post letter_post - kg=20",
		"2025-02 inbound china_post parcel - items=3",
		"2025-02 outbound china_post letter_post - kg=0",
	)
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	if res.ErrorCount != 0 || res.Layout() != "wide" || res.Rows != 2 {
		t.Errorf("errors %v layout %s rows %d", res.Errors, res.Layout(), res.Rows)
	}
	if got := issueLines(res.Warnings); got != lines(" import.sheet.hidden") {
		t.Errorf("warnings:\n%s", got)
	}
}

func TestXLSXDateSystem1904(t *testing.T) {
	for _, d1904 := range []bool{false, true} {
		f := excelize.NewFile()
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &d1904}); err != nil {
			t.Fatal(err)
		}
		set(t, f, "Sheet1", map[string]any{
			"A1": "Date", "B1": "EMS, kg",
			"A2": time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC), "B2": 1,
		})
		style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		_ = f.SetCellStyle("Sheet1", "A2", "A2", style)
		p := saveBook(t, f, nil)
		f.Close()
		res, err := ReadFile(context.Background(), p, "d.xlsx", Options{Now: testNow})
		if err != nil {
			t.Fatalf("1904=%v: %v", d1904, err)
		}
		if got := factLines(res.Facts); got != lines("2025-03 unspecified - ems - kg=1") {
			t.Errorf("1904=%v: facts:\n%s", d1904, got)
		}
	}
}

func TestXLSXCellTypes(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	set(t, f, "Sheet1", map[string]any{
		"A1": "Period", "B1": "Parcels, pcs", "C1": "Category",
		"A2": "2025-01", "B2": true, "C2": "parcels",
		"A3": 202502, "B3": 5, "C3": "посылки",
	})
	p := saveBook(t, f, func(name, xml string) string {
		if name != "xl/worksheets/sheet1.xml" {
			return xml
		}
		// An error cell, as Excel stores #N/A.
		return strings.Replace(xml, `<c r="B3"><v>5</v></c>`, `<c r="B3" t="e"><f>NA()</f><v>#N/A</v></c>`, 1)
	})
	res, err := ReadFile(context.Background(), p, "t.xlsx", Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if got := issueLines(res.Errors); got != lines("B2 import.cell.boolean", "B3 import.cell.error_value") {
		t.Errorf("errors:\n%s", got)
	}
}

func TestXLSXNoHeaderIsRefusedNamingSheets(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	set(t, f, "Sheet1", map[string]any{"A1": "hello", "B2": 3})
	p := saveBook(t, f, nil)
	_, err := ReadFile(context.Background(), p, "x.xlsx", Options{Now: testNow})
	re, ok := err.(*RefusedError)
	if !ok || re.Key != keyRefusedNoFacts || !strings.Contains(re.Text, "“Sheet1”") {
		t.Errorf("err = %v", err)
	}
}

func TestXLSXZipBombRefused(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	set(t, f, "Sheet1", map[string]any{"A1": "Period", "B1": "Parcels, pcs", "A2": "2025-01", "B2": 1})
	p := saveBook(t, f, nil)
	_, err := ReadFile(context.Background(), p, "x.xlsx", Options{Limits: Limits{MaxInflatedBytes: 100}})
	if key := refusedKey(t, err); key != keyRefusedInflated {
		t.Errorf("key = %s", key)
	}
}

func TestXLSXLongUzbekLatinWithTotal(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const s = "Sheet1"
	d := func(m int) time.Time { return time.Date(2025, time.Month(m), 10, 0, 0, 0, 0, time.UTC) }
	set(t, f, s, map[string]any{
		"A1": "Sana", "B1": "Yo‘nalish", "C1": "Hamkor", "D1": "Toifa", "E1": "Soni", "F1": "Og‘irlik, kg",
		"A2": d(1), "B2": "kiruvchi", "C2": "Xitoy pochtasi", "D2": "posilkalar", "E2": 120, "F2": 45.5,
		"A3": d(1), "B3": "chiqish", "C3": "Latviya", "D3": "EMS", "E3": 3, "F3": "1,5",
		"A4": d(2), "B4": "tranzit", "C4": "Vanuatu pochtasi", "D4": "xat-xabarlar", "F4": "-",
		"A5": "Jami", "E5": 123, "F5": 47,
	})
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	_ = f.SetCellStyle(s, "A2", "A4", style)
	p := saveBook(t, f, nil)
	res, err := ReadFile(context.Background(), p, "uz.xlsx", Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	want := lines(
		"2025-01 inbound china_post parcel - items=120 kg=45.5",
		"2025-01 outbound latvijas_pasts ems - items=3 kg=1.5",
		"2025-02 transit vanuatu_post letter_post - kg=0",
	)
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	if res.ErrorCount != 0 || len(res.Warnings) != 0 || res.Layout() != "long" || res.Rows != 3 {
		t.Errorf("errors %v warnings %v layout %s rows %d", res.Errors, res.Warnings, res.Layout(), res.Rows)
	}
}
