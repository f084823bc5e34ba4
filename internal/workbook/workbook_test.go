package workbook_test

import (
	"context"
	"path/filepath"
	"sort"
	"testing"

	"github.com/xuri/excelize/v2"

	"postdash/internal/postal"
	"postdash/internal/sheet"
	"postdash/internal/workbook"
)

func TestSafeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"China Post", "China Post"},
		{"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
		{"+1", "'+1"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"a=b", "a=b"},
		{"Z;=cmd|' /C calc'!A0", "Z;'=cmd|' /C calc'!A0"},
		{"Z, =1+1", "Z, '=1+1"},
		{"line\n@SUM(A1)", "line\n'@SUM(A1)"},
		{"a\t-1", "a\t'-1"},
		{"＝1+1", "'＝1+1"},
		{"Почта;+7", "Почта;'+7"},
		{"a - b", "a - b"},
	}
	for _, tt := range tests {
		if got := workbook.SafeText(tt.in); got != tt.want {
			t.Errorf("SafeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestWriteLongReimports writes facts in every language and reads them back
// with the importer's reader: an export is a valid upload.
func TestWriteLongReimports(t *testing.T) {
	m := func(y, mo int) postal.Month { return postal.Month{Year: y, Month: mo} }
	rows := []workbook.Row{
		{Month: m(2025, 1), Series: postal.Series{Direction: postal.Inbound, Category: postal.LetterPost}, WeightKg: 1246.5, HasWeight: true},
		{Month: m(2025, 2), Series: postal.Series{Direction: postal.Outbound, Category: postal.RegisteredLetter}, Items: 2944, HasItems: true},
		{Month: m(2025, 3), Series: postal.Series{Direction: postal.Inbound, Partner: "china_post", Category: postal.Ecommerce, Marketplace: "temu"},
			Items: 1200, HasItems: true, WeightKg: 40500, HasWeight: true},
		{Month: m(2025, 4), Series: postal.Series{Direction: postal.Inbound, Partner: "vanuatu_post", Category: postal.Parcel}, WeightKg: 0, HasWeight: true},
	}
	for _, lang := range workbook.Langs {
		t.Run(lang, func(t *testing.T) {
			f := excelize.NewFile()
			if err := workbook.WriteLong(f, "Data", lang, rows); err != nil {
				t.Fatal(err)
			}
			if err := f.DeleteSheet("Sheet1"); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "export.xlsx")
			if err := f.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			res, err := sheet.ReadFile(context.Background(), path, "export.xlsx", sheet.Options{})
			if err != nil {
				t.Fatalf("read back: %v", err)
			}
			if res.ErrorCount > 0 || len(res.Warnings) > 0 {
				t.Fatalf("read back: errors %+v, warnings %+v", res.Errors, res.Warnings)
			}
			got := res.Facts
			sort.Slice(got, func(i, j int) bool { return got[i].Month.Before(got[j].Month) })
			if len(got) != len(rows) {
				t.Fatalf("read back %d facts, want %d: %+v", len(got), len(rows), got)
			}
			for i, r := range rows {
				g := got[i]
				if g.Month != r.Month || g.Series != r.Series || g.HasItems != r.HasItems || g.Items != r.Items ||
					g.HasWeight != r.HasWeight || g.WeightKg != r.WeightKg {
					t.Errorf("row %d: read back %+v, wrote %+v", i, g, r)
				}
			}
		})
	}
}

func TestWriteLongUnknownLanguage(t *testing.T) {
	if err := workbook.WriteLong(excelize.NewFile(), "Data", "fr", nil); err == nil {
		t.Error("WriteLong in an unknown language succeeded")
	}
}
