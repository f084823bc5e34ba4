package xlsx

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"postdash/internal/xlsx/xlsxgen"
)

// featureWorkbook writes, with excelize, a workbook using what real files
// hold: shared and rich strings, numbers, dates, booleans, formulas with
// cached values (through the StreamWriter, the one excelize API that writes
// them), inline strings, merges, hidden sheets, a chartsheet and 1904 dates.
func featureWorkbook(t *testing.T, path string, date1904 bool) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}))
	must(f.SetSheetName("Sheet1", "Plain & <odd>"))
	s := "Plain & <odd>"
	values := map[string]any{
		"A1": "Date", "B1": "Партнёр", "C1": "Weight, kg", "D1": "flag",
		"A2": time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC), "B2": "Xitoy pochtasi", "C2": 12.5, "D2": true,
		"A3": time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC), "B3": "a\r\nb _x000D_ <&>", "C3": 1e-7, "D3": false,
		"B5": "  spaced  ", "C5": int64(-42), "F9": 3.14159,
	}
	for cell, v := range values {
		must(f.SetCellValue(s, cell, v))
	}
	must(f.SetCellRichText(s, "E2", []excelize.RichTextRun{{Text: "bold ", Font: &excelize.Font{Bold: true}}, {Text: "plain"}}))
	must(f.MergeCell(s, "A7", "C8"))
	must(f.MergeCell(s, "E5", "E9"))

	for _, name := range []string{"Hidden", "VeryHidden"} {
		_, err := f.NewSheet(name)
		must(err)
		must(f.SetCellValue(name, "B2", name))
	}
	must(f.SetSheetVisible("Hidden", false))
	must(f.SetSheetVisible("VeryHidden", false, true))

	_, err := f.NewSheet("Stream")
	must(err)
	sw, err := f.NewStreamWriter("Stream")
	must(err)
	must(sw.SetRow("A1", []any{"inline text", 1, excelize.Cell{Formula: "B1*2", Value: 2}, excelize.Cell{Formula: `"x"&"y"`, Value: "xy"}}))
	must(sw.SetRow("B3", []any{true, nil, 0.5, excelize.Cell{Formula: "1/0", Value: "#DIV/0!"}}))
	for r := 5; r < 2000; r++ {
		must(sw.SetRow("A"+strconv.Itoa(r), []any{r, "row " + strconv.Itoa(r), float64(r) / 8}))
	}
	must(sw.MergeCell("A2", "D2"))
	must(sw.Flush())
	must(f.AddChartSheet("Chart", &excelize.Chart{Type: excelize.Line,
		Series: []excelize.ChartSeries{{Name: "Stream!$A$1", Categories: "Stream!$A$5:$A$9", Values: "Stream!$C$5:$C$9"}}}))
	must(f.SaveAs(path))
}

func TestDifferentialGenerated(t *testing.T) {
	dir := t.TempDir()
	files := map[string]func(string) error{
		"manifest-shared.xlsx":   xlsxgen.Manifest{Rows: 5000, Seed: 1}.WriteFile,
		"manifest-inline.xlsx":   xlsxgen.Manifest{Rows: 2000, Seed: 2, Inline: true}.WriteFile,
		"manifest-1904.xlsx":     xlsxgen.Manifest{Rows: 200, Seed: 3, Date1904: true}.WriteFile,
		"wide-shared.xlsx":       xlsxgen.Wide{Rows: 60, Cols: 300, Seed: 4}.WriteFile,
		"wide-inline.xlsx":       xlsxgen.Wide{Rows: 60, Cols: 120, Seed: 5, Inline: true}.WriteFile,
		"features.xlsx":          func(p string) error { featureWorkbook(t, p, false); return nil },
		"features-date1904.xlsx": func(p string) error { featureWorkbook(t, p, true); return nil },
	}
	for name, write := range files {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			if err := write(path); err != nil {
				t.Fatal(err)
			}
			if !compareWorkbook(t, path) {
				t.Fatal("excelize could not read a workbook excelize wrote")
			}
		})
	}
}

// TestFeatureWorkbookDetails checks what the differential cannot: cell
// types, visibility kinds and the chartsheet's absence.
func TestFeatureWorkbookDetails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.xlsx")
	featureWorkbook(t, path, true)
	wb, err := Open(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	want := []SheetInfo{{"Plain & <odd>", Visible}, {"Hidden", Hidden}, {"VeryHidden", VeryHidden}, {"Stream", Visible}}
	got := wb.Sheets()
	if len(got) != len(want) {
		t.Fatalf("Sheets() = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sheet %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if !wb.Date1904() {
		t.Error("Date1904() = false")
	}
	cells, err := readAll(t, wb, "Stream")
	if err != nil {
		t.Fatal(err)
	}
	types := map[[2]int]CellType{}
	for _, c := range cells {
		types[[2]int{c.Row, c.Col}] = c.Type
	}
	for pos, want := range map[[2]int]CellType{{0, 0}: String, {0, 1}: Number, {0, 2}: Number, {0, 3}: String, {2, 1}: Bool, {2, 3}: Number} {
		if types[pos] != want {
			t.Errorf("cell %v type %v, want %v", pos, types[pos], want)
		}
	}
}

// TestManifestRecords reads a generated manifest and checks every cell
// against the generator's records, types included.
func TestManifestRecords(t *testing.T) {
	m := xlsxgen.Manifest{Rows: 20000, Seed: 9}
	path := filepath.Join(t.TempDir(), "m.xlsx")
	if err := m.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	wb, err := Open(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	cells, err := readAll(t, wb, "Manifest")
	if err != nil {
		t.Fatal(err)
	}
	var want []gotCell
	for c, h := range xlsxgen.ManifestHeader() {
		want = append(want, gotCell{0, c, String, h})
	}
	for i := range m.Rows {
		r := m.Record(i)
		row := i + 1
		want = append(want,
			gotCell{row, 0, Number, strconv.Itoa(xlsxgen.Serial(r.Date, false))},
			gotCell{row, 1, String, r.Direction}, gotCell{row, 2, String, r.Partner}, gotCell{row, 3, String, r.Category})
		if r.Marketplace != "" {
			want = append(want, gotCell{row, 4, String, r.Marketplace})
		}
		want = append(want, gotCell{row, 5, Number, strconv.Itoa(r.Items)}, gotCell{row, 6, Number, r.WeightKg()})
	}
	if len(cells) != len(want) {
		t.Fatalf("%d cells, want %d", len(cells), len(want))
	}
	for i := range want {
		if cells[i] != want[i] {
			t.Fatalf("cell %d = %+v, want %+v", i, cells[i], want[i])
		}
	}
}
