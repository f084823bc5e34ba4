package sheet

import (
	"context"
	"path/filepath"
	"testing"
)

// TestFilesSavedByPrograms reads files that a spreadsheet program wrote (see
// testdata/README.md for which program, version and locale): what they hold
// is what each contract rule sees from real exports, not from our writer.
func TestFilesSavedByPrograms(t *testing.T) {
	uzCyrlReport := lines(
		"2025-01 inbound china_post letter_post - kg=512.5",
		"2025-01 inbound china_post parcel - items=1200",
		"2025-01 outbound china_post letter_post - kg=20.25",
		"2025-01 outbound china_post parcel - items=35",
		"2025-01 unspecified china_post ecommerce - kg=12750",
		"2025-02 inbound china_post letter_post - kg=498",
		"2025-02 inbound china_post parcel - items=1150",
		"2025-02 outbound china_post letter_post - kg=0",
		"2025-02 outbound china_post parcel - items=40",
		"2025-02 unspecified china_post ecommerce - kg=11500",
		"2025-03 inbound china_post letter_post - kg=530.75",
		"2025-03 inbound china_post parcel - items=1302",
		"2025-03 outbound china_post letter_post - kg=18",
		"2025-03 unspecified china_post ecommerce - kg=13000",
	)
	ruTonnes := lines(
		"2025-01 inbound - letter_post - kg=1234.5",
		"2025-01 inbound china_post parcel - kg=12500", // "из Китая": inbound (contract §5)
		"2025-01 outbound - ems - items=40",
		"2025-01 unspecified - registered_letter - kg=250",
		"2025-02 inbound - letter_post - kg=1100",
		"2025-02 inbound china_post parcel - kg=11250",
		"2025-02 outbound - ems - items=38",
		"2025-02 unspecified - registered_letter - kg=240",
	)
	tests := []struct {
		file     string
		facts    string
		rows     int64
		warnings string
	}{
		// Titles, a merged two-row Uzbek Cyrillic header, date cells shown
		// as "mmmm yyyy", an empty column, formula totals (Жами) with cached
		// values, a note row; a second sheet in Uzbek Latin with ʻ, ‘ and `
		// apostrophes, text periods and a year only in the title; an empty
		// sheet and a hidden one.
		{"libreoffice-7.4_uz_two-sheets_merged-header.xlsx", uzCyrlReport + lines(
			"2025-01 inbound china_post ecommerce aliexpress items=1200 kg=4512.5",
			"2025-02 outbound latvijas_pasts ems - items=3 kg=1.5",
			"2025-03 transit vanuatu_post letter_post - kg=0",
		), 6, lines(" import.sheet.empty", " import.sheet.hidden")},
		// The same workbook saved by LibreOffice as .xls (BIFF8) and .ods.
		{"libreoffice-7.4_uz_two-sheets_merged-header.xls", uzCyrlReport + lines(
			"2025-01 inbound china_post ecommerce aliexpress items=1200 kg=4512.5",
			"2025-02 outbound latvijas_pasts ems - items=3 kg=1.5",
			"2025-03 transit vanuatu_post letter_post - kg=0",
		), 6, lines(" import.sheet.empty", " import.sheet.hidden")},
		{"libreoffice-7.4_uz_two-sheets_merged-header.ods", uzCyrlReport + lines(
			"2025-01 inbound china_post ecommerce aliexpress items=1200 kg=4512.5",
			"2025-02 outbound latvijas_pasts ems - items=3 kg=1.5",
			"2025-03 transit vanuatu_post letter_post - kg=0",
		), 6, lines(" import.sheet.empty", " import.sheet.hidden")},
		// The 1904 date system, tonnes and grams in the headers, decimal
		// commas as text, "Итого:".
		{"libreoffice-7.4_ru_1904_tonnes-grams.xlsx", ruTonnes, 2, ""},
		// The same as .xls (DATEMODE 1904), .ods and flat .fods (calendar dates).
		{"libreoffice-7.4_ru_1904_tonnes-grams.xls", ruTonnes, 2, ""},
		{"libreoffice-7.4_ru_1904_tonnes-grams.ods", ruTonnes, 2, ""},
		{"libreoffice-7.4_ru_1904_tonnes-grams.fods", ruTonnes, 2, ""},
		// The same as CSV from LibreOffice in an en-US locale: Windows-1251,
		// ';', and the dates as that locale shows them, 1/1/2025 and 2/1/2025
		// (month first).
		{"libreoffice-7.4_en-us_cp1251_us-dates.csv", ruTonnes, 2, ""},
		// Windows-1251 has no қ or ҳ: the header says "чи?увчи", "Изо?".
		{"libreoffice-7.4_en-us_cp1251_uz-cyrl.csv", uzCyrlReport, 3, ""},
		// Windows-1251 has no ʻ: the header says "Yo?nalish".
		{"libreoffice-7.4_en-us_cp1251_uz-latn.csv", lines(
			"2025-01 inbound china_post parcel - items=1200 kg=4512.5",
			"2025-01 inbound china_post registered_letter - items=50",
			"2025-02 outbound latvijas_pasts ems - items=3 kg=1.5",
			"2025-03 transit vanuatu_post letter_post - kg=0",
		), 4, ""},
		// LibreOffice in a Russian locale: UTF-8, ';', decimal commas,
		// "Январь 2025".
		{"libreoffice-7.4_ru-ru_utf8_uz-cyrl.csv", uzCyrlReport, 3, ""},
		// A CSV typed by hand, opened in LibreOffice (en-US) and saved as
		// .xlsx: it turned 2025.03, 01.2025, 2025.10 and 11.2020 into the
		// numbers 2025.03, 1.2025, 2025.1 and 11.202. Its title, "Отчёт о
		// посылках из Китая", says inbound ("из Китая", contract §5).
		{"libreoffice-7.4_en-us_typed-periods.xlsx", lines(
			"2020-11 inbound china_post parcel - items=4 kg=4",
			"2025-01 inbound china_post parcel - items=2 kg=2.5",
			"2025-03 inbound china_post parcel - items=13 kg=13.5",
			"2025-04 inbound china_post parcel - items=6 kg=6",
			"2025-10 inbound china_post parcel - items=3 kg=3",
		), 7, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := filepath.Join("testdata", tt.file)
			res, err := ReadFile(context.Background(), p, tt.file, Options{Now: testNow})
			if err != nil {
				t.Fatal(err)
			}
			if got := factLines(res.Facts); got != tt.facts {
				t.Errorf("facts:\n%s\nwant:\n%s", got, tt.facts)
			}
			if res.Rows != tt.rows || res.ErrorCount != 0 {
				t.Errorf("rows %d (want %d), errors %v", res.Rows, tt.rows, res.Errors)
			}
			if got := issueLines(res.Warnings); got != tt.warnings {
				t.Errorf("warnings:\n%s\nwant:\n%s", got, tt.warnings)
			}
		})
	}
}

// Section 2: "a workbook saved in all three formats gives the same facts":
// the sample workbook, saved by LibreOffice as .xlsx, .xls and .ods, gives
// the facts of the original (written by excelize).
func TestSampleInThreeFormats(t *testing.T) {
	want, err := ReadFile(context.Background(), filepath.Join("..", "..", "data", "uz-cn-post-2025-h1.xlsx"), "sample.xlsx", Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Facts) < 20 {
		t.Fatalf("the sample gives %d facts", len(want.Facts))
	}
	for _, ext := range []string{"xlsx", "xls", "ods"} {
		name := "libreoffice-7.4_postal-sample." + ext
		res, err := ReadFile(context.Background(), filepath.Join("testdata", name), name, Options{Now: testNow})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if got, w := factLines(res.Facts), factLines(want.Facts); got != w {
			t.Errorf("%s facts:\n%s\nwant (the original's):\n%s", name, got, w)
		}
		if res.Rows != want.Rows || res.ErrorCount != want.ErrorCount || issueLines(res.Warnings) != issueLines(want.Warnings) {
			t.Errorf("%s: rows %d, errors %d, warnings %q; the original: %d, %d, %q", name, res.Rows, res.ErrorCount,
				issueLines(res.Warnings), want.Rows, want.ErrorCount, issueLines(want.Warnings))
		}
	}
}

// Section 2: ".xlsx and .xlsm", whatever the case of the name.
func TestWorkbookExtensions(t *testing.T) {
	p := filepath.Join("testdata", "libreoffice-7.4_ru_1904_tonnes-grams.xlsx")
	for _, name := range []string{"report.xlsm", "REPORT.XLSX", "Report.Xlsm"} {
		res, err := ReadFile(context.Background(), p, name, Options{Now: testNow})
		if err != nil || len(res.Facts) != 8 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The limits of .xlsx hold for .xls and .ods: here the filled cells.
func TestLegacyFormatsKeepTheCellLimit(t *testing.T) {
	for _, name := range []string{"libreoffice-7.4_postal-sample.xls", "libreoffice-7.4_postal-sample.ods"} {
		_, err := ReadFile(context.Background(), filepath.Join("testdata", name), name, Options{Now: testNow, Limits: Limits{MaxCells: 20}})
		re, ok := err.(*RefusedError)
		if !ok || re.Key != keyLimitPrefix+limitCells {
			t.Errorf("%s: %v, want the cells limit", name, err)
		}
	}
}
