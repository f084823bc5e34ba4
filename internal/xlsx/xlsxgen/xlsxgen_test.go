package xlsxgen

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestManifestReadsBack checks with excelize that both writers produce a
// valid workbook holding exactly the records.
func TestManifestReadsBack(t *testing.T) {
	for _, inline := range []bool{false, true} {
		for _, d1904 := range []bool{false, true} {
			m := Manifest{Rows: 300, Seed: 7, Inline: inline, Date1904: d1904}
			t.Run(strconv.FormatBool(inline)+"/"+strconv.FormatBool(d1904), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "m.xlsx")
				if err := m.WriteFile(path); err != nil {
					t.Fatal(err)
				}
				f, err := excelize.OpenFile(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if got := f.GetSheetList(); len(got) != 1 || got[0] != "Manifest" {
					t.Fatalf("sheets %v", got)
				}
				rows, err := f.GetRows("Manifest", excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) != m.Rows+1 {
					t.Fatalf("%d rows, want %d", len(rows), m.Rows+1)
				}
				for i, row := range rows[1:] {
					r := m.Record(i)
					want := []string{strconv.Itoa(Serial(r.Date, d1904)), r.Direction, r.Partner, r.Category, r.Marketplace,
						strconv.Itoa(r.Items), r.WeightKg()}
					for c, w := range want {
						got := ""
						if c < len(row) {
							got = row[c]
						}
						if got != w {
							t.Fatalf("row %d col %d = %q, want %q", i+2, c, got, w)
						}
					}
				}
			})
		}
	}
}

func TestWideReadsBack(t *testing.T) {
	for _, inline := range []bool{false, true} {
		wd := Wide{Rows: 24, Cols: 40, Seed: 3, Inline: inline}
		path := filepath.Join(t.TempDir(), "w.xlsx")
		if err := wd.WriteFile(path); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.GetCellValue("Wide", "AO1")
		if err != nil || got != wd.Header()[40] {
			t.Errorf("inline=%v: AO1 = %q, %v; want %q", inline, got, err, wd.Header()[40])
		}
		v, err := f.GetCellValue("Wide", "C5")
		want := ""
		if n := wd.Value(3, 1); n >= 0 {
			want = strconv.Itoa(n)
		}
		if err != nil || v != want {
			t.Errorf("inline=%v: C5 = %q, %v; want %q", inline, v, err, want)
		}
		f.Close()
	}
}

func TestAppendCol(t *testing.T) {
	for col, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := string(appendCol(nil, col)); got != want {
			t.Errorf("appendCol(%d) = %q, want %q", col, got, want)
		}
	}
}

func TestInflateAndScanCountsRowsAndCells(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.xlsx")
	if err := (Manifest{Rows: 1000, Seed: 3}).WriteFile(path); err != nil {
		t.Fatal(err)
	}
	cells, rows, err := InflateAndScan(path)
	if err != nil || rows != 1001 || cells < 6*1000 || cells > 7*1001 {
		t.Errorf("InflateAndScan = %d cells, %d rows, %v; want 1,001 rows of 6–7 cells", cells, rows, err)
	}
	if _, _, err := InflateAndScan(filepath.Join(t.TempDir(), "none.xlsx")); err == nil {
		t.Error("InflateAndScan of a missing file succeeded")
	}
}

func TestCounterAcrossChunks(t *testing.T) {
	for _, size := range []int{1, 2, 3, 5, 64} {
		c := counter{pat: []byte("<row ")}
		s := []byte(strings.Repeat("<row r=\"1\"><c r=\"A1\"/></row>", 50))
		for i := 0; i < len(s); i += size {
			c.feed(s[i:min(i+size, len(s))])
		}
		if c.n != 50 {
			t.Errorf("chunks of %d: counted %d, want 50", size, c.n)
		}
	}
}
