package sheet

import (
	"strconv"
	"strings"
	"testing"

	"postdash/internal/postal"
)

func TestLongLayout(t *testing.T) {
	res := mustRead(t, sheetOf("Data",
		row("Period", "Direction", "Partner", "Category", "Marketplace", "Items", "Weight, kg"),
		row("2025-03", "inbound", "China Post", "parcels", "Temu", 10, 2.5),
		row("2025-03", "inbound", "China Post", "parcels", "Temu", 5, 1.5), // same series: adds up
		row("2025-03", "outbound", "Latvia", "EMS", "", 1, nil),
		row("2025-04", "transit", "Vanuatu", "letters", "AliExpress", nil, 0.25),
	))
	want := lines(
		"2025-03 inbound china_post parcel temu items=15 kg=4",
		"2025-03 outbound latvijas_pasts ems - items=1",
		"2025-04 transit vanuatu_post letter_post aliexpress kg=0.25",
	)
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	if res.Layout() != "long" || res.Rows != 4 || res.ErrorCount != 0 {
		t.Errorf("layout %q rows %d errors %v", res.Layout(), res.Rows, res.Errors)
	}
}

func TestWideLayout(t *testing.T) {
	res := mustRead(t, sheetOf("Wide",
		row("Month", "Letters inbound, kg", "Хат-хабарлар чиқувчи, кг", "Посылки из Китая, т", "Partner"),
		row("2025-01", 100, "1 234,5", "1,5", "Latvia"),
		row("2025-02", nil, "-", 2, "Latvia"),
	))
	want := lines(
		"2025-01 inbound china_post parcel - kg=1500", // contract §5: "из Китая" is inbound
		"2025-01 inbound latvijas_pasts letter_post - kg=100",
		"2025-01 outbound latvijas_pasts letter_post - kg=1234.5",
		"2025-02 inbound china_post parcel - kg=2000",
		"2025-02 outbound latvijas_pasts letter_post - kg=0",
	)
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	if res.Layout() != "wide" {
		t.Errorf("layout = %q", res.Layout())
	}
}

func TestYearAndMonthColumns(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Год", "Месяц", "Посылки, шт"),
		row(2025, 1, 10),
		row(2025, "февраль", 20),
		row("2025", "Mar", 30),
		row(2025, 13, 1),
		row(nil, "April 2025", 40),
		row(2025, dateNum(45792), 50), // a date cell (2025-05-15) in the month column
	))
	want := lines(
		"2025-01 unspecified - parcel - items=10",
		"2025-02 unspecified - parcel - items=20",
		"2025-03 unspecified - parcel - items=30",
		"2025-04 unspecified - parcel - items=40",
		"2025-05 unspecified - parcel - items=50",
	)
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	if got := issueLines(res.Errors); got != lines("B5 import.cell.month_invalid") {
		t.Errorf("errors:\n%s", got)
	}
}

// Section 6: "a year column plus a month column"; years are often written
// with the word for year, as in printed statistics.
func TestYearCellsWithTheWordForYear(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Год", "Месяц", "Посылки, шт"),
		row("2025 г.", "январь", 1),
		row("2025 йил", "fevral", 2),
		row("2025-yil", "mart", 3),
		row("2025 год", "апрель", 4),
		row("2025 year", "May", 5),
		row("2025 months", "June", 6),
	))
	want := lines(
		"2025-01 unspecified - parcel - items=1",
		"2025-02 unspecified - parcel - items=2",
		"2025-03 unspecified - parcel - items=3",
		"2025-04 unspecified - parcel - items=4",
		"2025-05 unspecified - parcel - items=5",
	)
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	if got := issueLines(res.Errors); got != lines("A7 import.cell.year_invalid") {
		t.Errorf("errors:\n%s", got)
	}
}

func TestYearColumnWithPeriodColumnOfMonthNames(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Yil", "Davr", "Posilkalar, dona"),
		row(2024, "dekabr", 1),
		row(2025, "yanvar", 2),
	))
	if got := factLines(res.Facts); got != lines("2024-12 unspecified - parcel - items=1", "2025-01 unspecified - parcel - items=2") {
		t.Errorf("facts:\n%s", got)
	}
}

func TestDefaultsFillWhatTheFileLeavesOut(t *testing.T) {
	opts := testOpts()
	opts.Defaults = Defaults{Direction: postal.Inbound, Partner: "china_post", Marketplace: "temu"}
	res, err := readGrid(t, opts, sheetOf("S",
		row("Period", "Parcels, pcs", "Partner"),
		row("2025-03", 7, nil),
		row("2025-04", 8, "Latvia"),
	))
	if err != nil {
		t.Fatal(err)
	}
	want := lines(
		"2025-03 inbound china_post parcel temu items=7",
		"2025-04 inbound latvijas_pasts parcel temu items=8",
	)
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
}

// Section 4: defaults the analyst states are values like any other: a known
// partner or marketplace however written becomes its canonical value.
func TestDefaultsAreCanonical(t *testing.T) {
	tests := []struct {
		partner, marketplace string
		want                 string
	}{
		{"China Post", "AliExpress", "china_post parcel aliexpress"},
		{" china_post ", "temu", "china_post parcel temu"},
		{"Почта Латвии", "Шейн", "latvijas_pasts parcel shein"},
		{" Royal Mail ", "Wildberries", "Royal Mail parcel Wildberries"},
	}
	for _, tt := range tests {
		opts := testOpts()
		opts.Defaults = Defaults{Partner: tt.partner, Marketplace: tt.marketplace}
		res, err := readGrid(t, opts, sheetOf("S", row("Period", "Parcels, pcs"), row("2025-03", 7)))
		if err != nil {
			t.Fatal(err)
		}
		if want := lines("2025-03 unspecified " + tt.want + " items=7"); factLines(res.Facts) != want {
			t.Errorf("defaults %q, %q: facts\n%s want\n%s", tt.partner, tt.marketplace, factLines(res.Facts), want)
		}
	}
}

func TestDirectionUnspecifiedWhenNothingGiven(t *testing.T) {
	res := mustRead(t, sheetOf("S", row("Period", "EMS, kg"), row("2025-03", 1)))
	if len(res.Facts) != 1 || res.Facts[0].Direction != postal.Unspecified || res.Facts[0].Partner != "" {
		t.Errorf("facts = %s", factLines(res.Facts))
	}
}

func TestTitleRowsAboveHeaderAreIgnored(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Почтовая статистика"),
		nil,
		row("Узбекистан — Китай, 2025"),
		row("Период", "Посылки, шт", "Вес, кг"),
		row("2025-03", 1, 2),
	))
	if res.Sheets[0].HeaderRow != 4 || len(res.Facts) != 1 {
		t.Errorf("header row %d, facts %s", res.Sheets[0].HeaderRow, factLines(res.Facts))
	}
	// The title names one partner and one category: they fill in.
	if f := res.Facts[0]; f.Partner != "china_post" || f.Category != postal.Parcel || f.Items != 1 || f.WeightKg != 2 {
		t.Errorf("fact = %+v", f)
	}
}

func TestHeaderNeedsTwoKnownCellsInFirst30Rows(t *testing.T) {
	var rows [][]rawCell
	for i := 0; i < 30; i++ {
		rows = append(rows, row("note", "Period")) // one known cell per row: not a header
	}
	rows = append(rows, row("Period", "Parcels, pcs"), row("2025-01", 1))
	_, err := readGrid(t, testOpts(), sheetOf("S", rows...))
	if key := refusedKey(t, err); key != keyRefusedNoFacts {
		t.Errorf("key = %s", key)
	}
	var re *RefusedError
	if !errorsAs(err, &re) || len(re.Sheets) != 1 || re.Sheets[0].Key != keyNoHeader || !strings.Contains(re.Text, "“S”") {
		t.Errorf("refusal = %+v", re)
	}
}

// Section 3: "among the first 30" counts the sheet's rows, empty ones too.
func TestHeaderIsLookedForInTheFirst30SheetRows(t *testing.T) {
	at := func(headerRow int) gridSheet {
		rows := make([][]rawCell, headerRow-1) // empty rows above
		return sheetOf("S", append(rows, row("Period", "Parcels, pcs"), row("2025-01", 1))...)
	}
	if res := mustRead(t, at(30)); res.Sheets[0].HeaderRow != 30 || len(res.Facts) != 1 {
		t.Errorf("header in row 30: %+v", res.Sheets[0])
	}
	_, err := readGrid(t, testOpts(), at(31))
	var re *RefusedError
	if !errorsAs(err, &re) || len(re.Sheets) != 1 || re.Sheets[0].Key != keyNoHeader {
		t.Errorf("header in row 31: %v", err)
	}
}

func TestTwoRowHeaderWithMergedGroups(t *testing.T) {
	s := sheetOf("S",
		row("Ҳисобот 2025"), // a title merged over the whole table
		row("Давр", "Хат-хабарлар, кг", nil, "Посилкалар, дона"),
		row(nil, "кирувчи", "чиқувчи", "кирувчи"),
		row("2025-01", 1, 2, 3),
	)
	s.merged = []mergeRange{
		{FirstRow: 0, FirstCol: 0, LastRow: 0, LastCol: 3},
		{FirstRow: 1, FirstCol: 0, LastRow: 2, LastCol: 0}, // Period spans both header rows
		{FirstRow: 1, FirstCol: 1, LastRow: 1, LastCol: 2},
	}
	res := mustRead(t, s)
	want := lines(
		"2025-01 inbound - letter_post - kg=1",
		"2025-01 inbound - parcel - items=3",
		"2025-01 outbound - letter_post - kg=2",
	)
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	if h := res.Sheets[0].Columns[1].Header; h != "Хат-хабарлар, кг кирувчи" {
		t.Errorf("header text = %q", h)
	}
}

func TestTwoRowHeaderWithoutMerges(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Period", "Letters, kg", nil, "Parcels, pcs", nil),
		row(nil, "inbound", "outbound", "inbound", "outbound"),
		row("2025-01", 1, 2, 3, 4),
	))
	if len(res.Facts) != 4 {
		t.Fatalf("facts:\n%s", factLines(res.Facts))
	}
	if got := res.Sheets[0].Columns[2].Meaning; got != "letter_post outbound kg" {
		t.Errorf("meaning = %q", got)
	}
}

func TestGroupRowAboveHeader(t *testing.T) {
	s := sheetOf("S",
		row(nil, "Parcels", nil),
		row("Period", "Inbound, pcs", "Outbound, pcs"),
		row("2025-01", 1, 2),
	)
	s.merged = []mergeRange{{FirstRow: 0, FirstCol: 1, LastRow: 0, LastCol: 2}}
	res := mustRead(t, s)
	if got := factLines(res.Facts); got != lines("2025-01 inbound - parcel - items=1", "2025-01 outbound - parcel - items=2") {
		t.Errorf("facts:\n%s", got)
	}
}

func TestUnknownColumnsAreIgnoredAndListed(t *testing.T) {
	res := mustRead(t, sheetOf("S", row("№", "Period", "Comment", "Parcels, pcs", "Total, pcs"), row(1, "2025-01", "ok", 5, 5)))
	var ignored []string
	for _, c := range res.Sheets[0].Columns {
		if c.Meaning == "index" || c.Meaning == "unknown" || c.Meaning == "total" {
			ignored = append(ignored, c.Cell)
		}
	}
	if strings.Join(ignored, ",") != "A1,C1,E1" || len(res.Facts) != 1 || res.Facts[0].Items != 5 {
		t.Errorf("ignored %v, facts %s", ignored, factLines(res.Facts))
	}
}

func TestTotalRowsAreCheckedNotImported(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Period", "Parcels, pcs", "Letters, kg"),
		row("2025-01", 10, "1,25"),
		row("2025-02", 20, "2,5"),
		row("Итого за квартал", 30, "3,8"), // 3,75 shown with 1 decimal: within 0.05
		row("2025-03", 5, 1),
		row("Jami:", 6, 1),     // block restarts after a total: 5 ≠ 6
		row("Всего", 35, 4.75), // grand total of every row
		row("Total", 34, 4.75),
	))
	if res.Rows != 3 || len(res.Facts) != 6 {
		t.Errorf("rows %d facts:\n%s", res.Rows, factLines(res.Facts))
	}
	if got := issueLines(res.Warnings); got != lines("B6 import.warning.total_mismatch", "B8 import.warning.total_mismatch") {
		t.Errorf("warnings:\n%s", got)
	}
}

// Section 4: total rows. Excel's and LibreOffice's Subtotal command label
// their rows "<group> Total" / "<group> Итог" and "Grand Total" / "Общий
// итог": the total word ends the label. They are totals too, never data.
func TestSubtotalRowsOfSpreadsheetPrograms(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Partner", "Period", "Parcels, pcs"),
		row("China", "2025-01", 1),
		row("China", "2025-02", 2),
		row("China Total", nil, 3),
		row("Latvia", "2025-01", 4),
		row("Latvia Итог", nil, 5), // 4: a mismatch
		row("Общий итог", nil, 7),
		row("Grand Total", nil, 7),
	))
	want := lines(
		"2025-01 unspecified china_post parcel - items=1",
		"2025-01 unspecified latvijas_pasts parcel - items=4",
		"2025-02 unspecified china_post parcel - items=2",
	)
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	if res.ErrorCount != 0 || res.Rows != 3 {
		t.Errorf("errors %v rows %d", res.Errors, res.Rows)
	}
	if got := issueLines(res.Warnings); got != lines("C6 import.warning.total_mismatch") {
		t.Errorf("warnings:\n%s", got)
	}
}

func TestEmptyCellIsAbsentDashIsZero(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Period", "Parcels, pcs", "Parcels, kg"),
		row("2025-01", "–", nil),
		row("2025-02", nil, nil), // no figures: no fact, no error
		row(nil, nil, nil),
	))
	if got := factLines(res.Facts); got != lines("2025-01 unspecified - parcel - items=0") {
		t.Errorf("facts:\n%s", got)
	}
	if res.ErrorCount != 0 || res.Rows != 1 {
		t.Errorf("errors %v rows %d", res.Errors, res.Rows)
	}
}

func TestNotesRowsAreSkipped(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Period", "Parcels, pcs"),
		row("2025-01", 1),
		row("* Source: Uzbekiston pochtasi"),
		row(nil, "see note 2"),
	))
	if res.ErrorCount != 0 || len(res.Facts) != 1 {
		t.Errorf("errors %v facts %s", res.Errors, factLines(res.Facts))
	}
}

func TestCellErrors(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Period", "Parcels, pcs", "Letters, kg", "Direction", "Category"),
		row("2025-01", -1, "abc", nil, "parcels"),            // row 2
		row("2025-01", 1.5, errVal("#N/A"), nil, "parcels"),  // row 3
		row(nil, 1, true, nil, "parcels"),                    // row 4: no period
		row("31.02.2025", 1, nil, nil, "parcels"),            // row 5
		row("1985-01", 1, "12 шт", nil, "parcels"),           // row 6
		row("2025-01", "3 кг", "5 т", "sideways", "parcels"), // row 7
		row("2025-01", 1, nil, nil, "furniture"),             // row 8
		row("2025-01", 1, nil, nil, nil),                     // row 9: parcels column names the category
		row("2030-01", 1, nil, nil, nil),                     // row 10
		row("hello", 1, nil, nil, nil),                       // row 11
	))
	want := lines(
		"B2 import.cell.negative",
		"C2 import.cell.not_number",
		"B3 import.cell.fractional_items",
		"C3 import.cell.error_value",
		"C4 import.cell.boolean",
		"A4 import.cell.period_missing",
		"A5 import.cell.period_impossible",
		"C6 import.cell.unit_not_weight",
		"A6 import.cell.period_range",
		"B7 import.cell.unit_not_items",
		"C7 import.cell.unit_disagrees", // `5 т` in a kg column: the units must agree (section 6)
		"D7 import.cell.direction_unknown",
		"E8 import.cell.category_unknown",
		"A10 import.cell.period_range",
		"A11 import.cell.period_invalid",
	)
	if got := issueLines(res.Errors); got != want {
		t.Errorf("errors:\n%s\nwant:\n%s", got, want)
	}
	if res.ErrorCount != 15 {
		t.Errorf("ErrorCount = %d", res.ErrorCount)
	}
	for _, e := range res.Errors {
		if e.Sheet != "S" || e.Text == "" || strings.Contains(e.Text, "{") {
			t.Errorf("issue %+v", e)
		}
	}
}

// Section 6: "a fractional item count" is an error, but a formula's cached
// value carries binary noise (=B2*3 of 0.1-steps): a whole count is whole.
func TestItemCountsFromFormulasAreWhole(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Period", "Parcels, pcs"),
		row("2025-01", 1200.0000000000002),
		row("2025-02", 299.99999999999994),
		row("2025-03", "1 200,0"),
		row("2025-04", 1200.5),
		row("2025-05", 12345678.000000002),
	))
	if got := factLines(res.Facts); got != lines(
		"2025-01 unspecified - parcel - items=1200",
		"2025-02 unspecified - parcel - items=300",
		"2025-03 unspecified - parcel - items=1200",
		"2025-05 unspecified - parcel - items=12345678",
	) {
		t.Errorf("facts:\n%s", got)
	}
	if got := issueLines(res.Errors); got != lines("B5 import.cell.fractional_items") {
		t.Errorf("errors:\n%s", got)
	}
}

func TestUnitsConvertToKg(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Period", "EMS, kg", "EMS, t", "EMS, g"),
		row("2025-01", "12,5 кг", "0,5", 500),
		row("2025-02", nil, "1 т", "250 g"),
	))
	if got := factLines(res.Facts); got != lines("2025-01 unspecified - ems - kg=513", "2025-02 unspecified - ems - kg=1000.25") {
		t.Errorf("facts:\n%s", got)
	}
}

func TestUnknownPartnerWarnsOncePerValue(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Period", "Partner", "Parcels, pcs"),
		row("2025-01", " Royal Mail ", 1),
		row("2025-02", "Royal Mail", 1),
		row("2025-02", "Xитой", 1),
	))
	if got := issueLines(res.Warnings); got != lines("B2 import.warning.unknown_partner") {
		t.Errorf("warnings:\n%s", got)
	}
	if got := factLines(res.Facts); !strings.Contains(got, "2025-01 unspecified Royal Mail parcel") || !strings.Contains(got, "china_post") {
		t.Errorf("facts:\n%s", got)
	}
}

func TestMarketplaceCanonicalOrAsWritten(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Period", "Marketplace", "E-commerce, pcs"),
		row("2025-01", "АлиЕxпресс", 1),
		row("2025-01", "Wildberries", 2),
	))
	if got := factLines(res.Facts); got != lines("2025-01 unspecified - ecommerce Wildberries items=2", "2025-01 unspecified - ecommerce aliexpress items=1") {
		t.Errorf("facts:\n%s", got)
	}
}

func TestHiddenSheetsAreIgnoredAndReported(t *testing.T) {
	hidden := sheetOf("Secret", row("Period", "Parcels, pcs"), row("2025-01", 99))
	hidden.hidden = true
	res := mustRead(t, hidden, sheetOf("S", row("Period", "Parcels, pcs"), row("2025-01", 1)))
	if res.Sheets[0].Status != "hidden" || res.Sheets[0].Note == nil || len(res.Facts) != 1 || res.Facts[0].Items != 1 {
		t.Errorf("sheets %+v facts %s", res.Sheets, factLines(res.Facts))
	}
	if got := issueLines(res.Warnings); got != lines(" import.sheet.hidden") {
		t.Errorf("warnings:\n%s", got)
	}
}

func TestEverySheetReadAndSkippedSheetsNoted(t *testing.T) {
	res := mustRead(t,
		sheetOf("Notes", row("This workbook holds postal statistics.")),
		sheetOf("Empty"),
		sheetOf("A", row("Period", "Parcels, pcs"), row("2025-01", 1)),
		sheetOf("B", row("Period", "Parcels, pcs"), row("2025-01", 2)),
	)
	statuses := []string{}
	for _, s := range res.Sheets {
		statuses = append(statuses, s.Status)
	}
	if strings.Join(statuses, ",") != "skipped,skipped,read,read" || len(res.Facts) != 2 {
		t.Errorf("statuses %v facts %s", statuses, factLines(res.Facts))
	}
	if got := issueLines(res.Warnings); got != lines(" import.sheet.no_header", " import.sheet.empty") {
		t.Errorf("warnings:\n%s", got)
	}
}

// A table whose only figures lack part of their meaning (no category
// anywhere, no unit) is not skipped: its numbers are errors naming the
// column, which the analyst resolves with a mapping (contract section 0).
func TestFiguresOfUndecidedMeaningAreErrors(t *testing.T) {
	for name, sh := range map[string]gridSheet{
		"no category": sheetOf("Cats", row("Period", "Weight, kg"), row("2025-01", 1)),
		"no unit":     sheetOf("Units", row("Period", "Parcels"), row("2025-01", 1), row("2025-02", 2)),
	} {
		res, err := readGrid(t, testOpts(), sh)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.ErrorCount != 1 || res.Errors[0].Cell != "B" || !strings.Contains(res.Errors[0].Text, "column B") {
			t.Errorf("%s: errors %+v", name, res.Errors)
		}
		a := res.Sheets[0].Tables[0].Accounting
		if a.Unknown != a.Numeric || a.Numeric == 0 {
			t.Errorf("%s: accounting %+v", name, a)
		}
	}
	opts := testOpts()
	opts.SavedMappings = []Mapping{{Format: MappingFormat, Version: MappingVersion, ID: 1, Header: []string{"period", "parcels"},
		Columns: []ColumnChoice{{Header: "parcels", Meaning: "measure", Unit: "items"}}}}
	res, err := readGrid(t, opts, sheetOf("Units", row("Period", "Parcels"), row("2025-01", 1), row("2025-02", 2)))
	if err != nil || res.ErrorCount != 0 || factLines(res.Facts) != "2025-01 unspecified - parcel - items=1\n2025-02 unspecified - parcel - items=2\n" {
		t.Errorf("with a mapping giving the unit: %v %+v\n%s", err, res.Errors, factLines(res.Facts))
	}
}

func TestNoFactsRefusalNamesEverySheet(t *testing.T) {
	_, err := readGrid(t, testOpts(),
		sheetOf("Notes", row("hello")),
		sheetOf("Plan", row("Period", "Direction"), row("2025-01", "inbound")),
	)
	var re *RefusedError
	if !errorsAs(err, &re) || re.Key != keyRefusedNoFacts {
		t.Fatalf("err = %v", err)
	}
	keys := []string{}
	for _, s := range re.Sheets {
		keys = append(keys, s.Key)
	}
	if strings.Join(keys, ",") != keyNoHeader+","+keyNoMeasure {
		t.Errorf("sheet notes %v", keys)
	}
	for _, name := range []string{"“Notes”", "“Plan”"} {
		if !strings.Contains(re.Text, name) {
			t.Errorf("refusal %q does not name %s", re.Text, name)
		}
	}
}

func TestPeriodFromSheetName(t *testing.T) {
	res := mustRead(t, sheetOf("Март 2025", row("Partner", "Parcels, pcs"), row("China", 4)))
	if got := factLines(res.Facts); got != lines("2025-03 unspecified china_post parcel - items=4") {
		t.Errorf("facts:\n%s", got)
	}
}

// Section 6: "a month name with a year". Reports often name the year once,
// in the title or the sheet name, and the months alone in the column.
func TestMonthNamesTakeTheYearOfTheTitle(t *testing.T) {
	res := mustRead(t,
		sheetOf("S",
			row("Почтовые отправления за 2025 год"),
			row("Месяц", "Посылки, шт"),
			row("Январь", 1),
			row("fevral", 2),
			row("March 2024", 3), // a year in the cell wins
		),
		sheetOf("2024", row("Oy", "Posilkalar, dona"), row("dekabr", 4)),
		sheetOf("No year", row("Месяц", "Посылки, шт"), row("Январь", 5)),
		sheetOf("A decree's year", row("2019 йил 5 июлдаги ПҚ-4380-сон қарорига мувофиқ"), row("Месяц", "Посылки, шт"), row("Январь", 6)),
	)
	want := lines(
		"2024-03 unspecified - parcel - items=3",
		"2025-01 unspecified - parcel - items=1",
		"2025-02 unspecified - parcel - items=2",
		"2024-12 unspecified - parcel - items=4",
	)
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	if got := issueLines(res.Errors); got != lines("A2 import.cell.period_invalid", "A3 import.cell.period_invalid") {
		t.Errorf("errors:\n%s", got)
	}
}

func TestVerticallyMergedPeriodCell(t *testing.T) {
	s := sheetOf("S",
		row("Period", "Partner", "Parcels, pcs"),
		row("2025-01", "China", 1),
		row(nil, "Latvia", 2),
	)
	s.merged = []mergeRange{{FirstRow: 1, FirstCol: 0, LastRow: 2, LastCol: 0}}
	res := mustRead(t, s)
	if res.ErrorCount != 0 || len(res.Facts) != 2 {
		t.Errorf("errors %v facts %s", res.Errors, factLines(res.Facts))
	}
}

func TestErrorsKeptUpToLimitAllCounted(t *testing.T) {
	rows := [][]rawCell{row("Period", "Parcels, pcs")}
	for i := 0; i < 30; i++ {
		rows = append(rows, row("2025-01", "x"))
	}
	opts := testOpts()
	opts.Limits.MaxErrors = 10
	res, err := readGrid(t, opts, sheetOf("S", rows...))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 10 || res.ErrorCount != 30 {
		t.Errorf("kept %d counted %d", len(res.Errors), res.ErrorCount)
	}
}

func TestTextOnlyDataRowIsNotASubHeader(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Period", "Direction", "Parcels, pcs"),
		row("2025-01", "inbound", "–"),
		row("2025-02", "outbound", 3),
	))
	if got := factLines(res.Facts); got != lines("2025-01 inbound - parcel - items=0", "2025-02 outbound - parcel - items=3") {
		t.Errorf("facts:\n%s", got)
	}
}

// Section 6: periods. Programs in a US locale (Excel, LibreOffice) write date
// cells as m/d/yyyy in CSV; the spec's 14/03/2025 is d/m/yyyy. A column uses
// one order: the one its cells prove, or, for first-of-month dates that prove
// nothing, the one that puts every date on the first of a month.
func TestSlashDatesFollowTheColumnsOrder(t *testing.T) {
	tests := []struct {
		name  string
		dates []string
		want  []string
	}{
		{"US first of month", []string{"1/1/2025", "2/1/2025", "3/1/2025"}, []string{"2025-01", "2025-02", "2025-03"}},
		{"US proven by a day past 12", []string{"2/3/2025", "2/14/2025"}, []string{"2025-02", "2025-02"}},
		{"US with two-digit years", []string{"1/1/25", "12/1/25"}, []string{"2025-01", "2025-12"}},
		{"day first of month", []string{"01/02/2025", "01/03/2025"}, []string{"2025-02", "2025-03"}},
		{"day first proven by a day past 12", []string{"02/03/2025", "15/03/2025"}, []string{"2025-03", "2025-03"}},
		{"unproven defaults to day first", []string{"02/03/2025", "04/05/2025"}, []string{"2025-03", "2025-05"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := [][]rawCell{row("Period", "Parcels, pcs")}
			for i, d := range tt.dates {
				rows = append(rows, row(d, i+1))
			}
			res := mustRead(t, sheetOf("S", rows...))
			var want []string
			for i, m := range tt.want {
				want = append(want, m+" unspecified - parcel - items="+strconv.Itoa(i+1))
			}
			if got := factLines(res.Facts); got != sortedLines(want) {
				t.Errorf("facts:\n%s\nwant:\n%s", got, sortedLines(want))
			}
			if res.Rows != int64(len(tt.dates)) || res.ErrorCount != 0 {
				t.Errorf("rows %d, errors %v", res.Rows, res.Errors)
			}
		})
	}
}

// A sheet whose rows are all in error is not "a sheet without figures": the
// errors say what is wrong, a note saying there is nothing would mislead.
func TestNoRowsNoteOnlyWhenNoRowHasFigures(t *testing.T) {
	res := mustRead(t,
		sheetOf("Bad", row("Period", "Parcels, pcs"), row("2025-01", -5)),
		sheetOf("Blank", row("Period", "Parcels, pcs"), row("2025-01", nil, "note")),
	)
	if got := issueLines(res.Warnings); got != lines(" import.sheet.no_rows") || res.Warnings[0].Sheet != "Blank" {
		t.Errorf("warnings:\n%s", got)
	}
}
