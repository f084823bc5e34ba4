package sheet

import (
	"context"
	"strings"
	"testing"

	"postdash/internal/i18n"
)

// The forms of issue 10, each with the facts its cells hold written by hand.

func readOK(t *testing.T, s gridSheet) *Result {
	t.Helper()
	res := mustRead(t, s)
	if res.ErrorCount != 0 {
		t.Fatalf("errors: %s", issueLines(res.Errors))
	}
	return res
}

func TestMonthsAcrossWithUnitAndIndexColumns(t *testing.T) {
	s := sheetOf("Отчёт",
		row("Почта Китая: обмен за 2025 год"),
		row(nil),
		row("№", "Показатель", "Ед. изм.", "Январь", "Февраль", "Март", "Итого"),
		row(1, "Письма входящие", "кг", 100, 110, "120,5", 330.5),
		row(2, "Посылки исходящие", "тыс. шт", 1.5, 2, 3, 6.5),
		row(3, "Темп роста", "%", 100, 110, 109, nil),
	)
	res := readOK(t, s)
	want := lines(
		"2025-01 inbound china_post letter_post - kg=100",
		"2025-01 outbound china_post parcel - items=1500",
		"2025-02 inbound china_post letter_post - kg=110",
		"2025-02 outbound china_post parcel - items=2000",
		"2025-03 inbound china_post letter_post - kg=120.5",
		"2025-03 outbound china_post parcel - items=3000",
	)
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	tb := res.Sheets[0].Tables
	if len(tb) != 1 {
		t.Fatalf("tables %+v", tb)
	}
	a := tb[0].Accounting
	// 4 month cells + 1 total in each of rows 4 and 5, 3 derived in row 6.
	if a.Numeric != 11 || a.Facts != 6 || a.Totals != 2 || a.Derived != 3 || a.Unknown != 0 {
		t.Errorf("accounting %+v", a)
	}
	if tb[0].Range != "A3:G6" {
		t.Errorf("range %q", tb[0].Range)
	}
}

func TestMonthsAcrossBlocksPerPartner(t *testing.T) {
	s := sheetOf("2025",
		row("Показатель", "Январь 2025", "Февраль 2025"),
		row("Почта Китая"),
		row("Посылки, шт", 10, 20),
		row("Почта Латвии"),
		row("Посылки, шт", 1, 2),
		row("Итого посылки, шт", 11, 22),
	)
	res := readOK(t, s)
	want := lines(
		"2025-01 unspecified china_post parcel - items=10",
		"2025-01 unspecified latvijas_pasts parcel - items=1",
		"2025-02 unspecified china_post parcel - items=20",
		"2025-02 unspecified latvijas_pasts parcel - items=2",
	)
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
}

func TestMonthsAcrossUnknownRowIsAnError(t *testing.T) {
	s := sheetOf("S",
		row("Показатель", "Январь 2025", "Февраль 2025"),
		row("Посылки, шт", 10, 20),
		row("Прочее", 1, 2),
	)
	res := mustRead(t, s)
	if res.ErrorCount != 1 || res.Errors[0].Key != keyRowUnknown || res.Errors[0].Cell != "A3" {
		t.Errorf("errors %s", issueLines(res.Errors))
	}
}

func TestQuartersAreRefused(t *testing.T) {
	_, err := readGrid(t, testOpts(), sheetOf("S",
		row("Показатель", "I кв. 2025", "II кв. 2025"),
		row("Посылки, шт", 10, 20),
	))
	var re *RefusedError
	if !errorsAs(err, &re) || !strings.Contains(re.Text, "quarterly") {
		t.Errorf("err %v", err)
	}
}

// A sheet of quarters is refused with one whole sentence in each language:
// no English words ("quarterly figures") inside a translated sentence.
func TestQuartersAreRefusedInEveryLanguage(t *testing.T) {
	_, err := readGrid(t, testOpts(), sheetOf("S",
		row("Показатель", "I кв. 2025", "II кв. 2025"),
		row("Посылки, шт", 10, 20),
	))
	var re *RefusedError
	if !errorsAs(err, &re) || len(re.Sheets) != 1 {
		t.Fatalf("err %v", err)
	}
	cats, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	want := map[i18n.Lang]string{
		i18n.EN:     "Sheet “S” holds quarterly figures; postdash needs monthly figures, so it was not read.",
		i18n.RU:     "Лист “S” содержит квартальные данные; postdash нужны помесячные данные, поэтому лист не прочитан.",
		i18n.UzLatn: "“S” varagʻida choraklik maʼlumotlar bor; postdash oylik maʼlumotlarni talab qiladi, shuning uchun varaq oʻqilmadi.",
		i18n.UzCyrl: "“S” варағида чораклик маълумотлар бор; postdash ойлик маълумотларни талаб қилади, шунинг учун варақ ўқилмади.",
	}
	for l, w := range want {
		if got := cats.T(l, re.Sheets[0].Key, re.Sheets[0].Args); got != w {
			t.Errorf("%s: %q\nwant %q", l, got, w)
		}
	}
}

func TestUnknownColumnIsAnError(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Period", "Parcels, pcs", "Foo bar qty"),
		row("2025-01", 5, 1),
		row("2025-02", 6, 2),
		row("2025-03", 7, 3),
	))
	if res.ErrorCount != 1 || res.Errors[0].Cell != "C" || !strings.Contains(res.Errors[0].Text, `Column C “Foo bar qty”: 3 numbers whose meaning is unknown`) {
		t.Errorf("errors %v", res.Errors)
	}
	if a := res.Sheets[0].Tables[0].Accounting; a.Numeric != 6 || a.Facts != 3 || a.Unknown != 3 {
		t.Errorf("accounting %+v", a)
	}
}

func TestPoundsAndTonnesOfOneFlowAreTwoSources(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Date", "Parcels Weight LBS", "Parcels Metric TONS"),
		row("2025-01", 2204.62, 1),
	))
	if res.ErrorCount == 0 || res.Errors[0].Key != keyTwoSources {
		t.Errorf("errors %v", res.Errors)
	}
}

func TestPounds(t *testing.T) {
	res := readOK(t, sheetOf("S", row("Date", "Parcels, lbs"), row("2025-01", 1000)))
	if got := factLines(res.Facts); got != lines("2025-01 unspecified - parcel - kg=453.59237") {
		t.Errorf("facts %s", got)
	}
}

func TestYearInColumnHeaders(t *testing.T) {
	res := readOK(t, sheetOf("Посылки",
		row("Месяц", "2024 год, т", "2025 год, т"),
		row("Январь", 1, 2),
		row("Февраль", "1,5", 3),
	))
	want := lines(
		"2024-01 unspecified - parcel - kg=1000",
		"2024-02 unspecified - parcel - kg=1500",
		"2025-01 unspecified - parcel - kg=2000",
		"2025-02 unspecified - parcel - kg=3000",
	)
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
}

func TestYearInColumnHeaderAgainstISOMonthIsAnError(t *testing.T) {
	res := mustRead(t, sheetOf("Посылки",
		row("Month", "2024 год, т", "2025 год, т"),
		row("2025-01", 1, 2),
	))
	if res.ErrorCount != 1 || res.Errors[0].Key != keyYearConflict {
		t.Errorf("errors %s", issueLines(res.Errors))
	}
}

func TestThousandsMarksPerColumn(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Period", "Parcels, pcs", "Letters, kg"),
		row("2025-01", "12,345", "1,250"),
		row("2025-02", "1,234,567", "12,5"),
		row("2025-03", "13,020", "13,020.5"),
	))
	// Parcels writes 1,234,567: its commas are thousands (12,345 is twelve
	// thousand). Letters mixes 12,5 (a decimal comma) and 13,020.5 (a comma
	// between thousands): §6 decides the marks per column, and this column
	// fits neither reading, so it is an error naming it, never a guess.
	if res.ErrorCount != 1 || res.Errors[0].Key != keyCommasBothWays || res.Errors[0].Cell != "C" {
		t.Fatalf("errors %s", issueLines(res.Errors))
	}
	got := factLines(res.Facts)
	if !strings.Contains(got, "2025-01 unspecified - parcel - items=12345\n") || !strings.Contains(got, "items=1234567") {
		t.Errorf("facts:\n%s", got)
	}
}

func TestAmbiguousCommaAloneWarns(t *testing.T) {
	res := readOK(t, sheetOf("S",
		row("Period", "Letters, kg"),
		row("2025-01", "1,250"),
	))
	if got := factLines(res.Facts); got != lines("2025-01 unspecified - letter_post - kg=1250") {
		t.Errorf("facts %s", got)
	}
	found := false
	for _, w := range res.Warnings {
		found = found || w.Key == keyAmbiguousMarks && w.Cell == "B"
	}
	if !found {
		t.Errorf("warnings %s", issueLines(res.Warnings))
	}
}

func TestFootnoteMarks(t *testing.T) {
	res := readOK(t, sheetOf("S",
		row("Period", "Parcels, pcs"),
		row("2025-01", "221*"),
		row("2025-02", "230¹"),
		row("2025-03", "240 (p)"),
		row("* preliminary"),
	))
	if got := factLines(res.Facts); got != lines(
		"2025-01 unspecified - parcel - items=221",
		"2025-02 unspecified - parcel - items=230",
		"2025-03 unspecified - parcel - items=240") {
		t.Errorf("facts %s", got)
	}
	n := 0
	for _, w := range res.Warnings {
		if w.Key == keyFootnote {
			n++
			if w.Cell == "B2" && !strings.Contains(w.Text, "preliminary") {
				t.Errorf("warning %q", w.Text)
			}
		}
	}
	if n != 3 {
		t.Errorf("warnings %s", issueLines(res.Warnings))
	}
}

func TestDirectionsByPrepositionAndCase(t *testing.T) {
	res := readOK(t, sheetOf("S",
		row("Oy", "Xitoydan posilkalar, dona", "Xitoyga posilkalar, dona", "Письма в Китай, кг", "EMS from China, pcs"),
		row("2025-01", 1, 2, 3, 4),
	))
	if got := factLines(res.Facts); got != lines(
		"2025-01 inbound china_post ems - items=4",
		"2025-01 inbound china_post parcel - items=1",
		"2025-01 outbound china_post letter_post - kg=3",
		"2025-01 outbound china_post parcel - items=2") {
		t.Errorf("facts %s", got)
	}
}

func TestStyledEmptyCellsDoNotChangeTheReading(t *testing.T) {
	plain := sheetOf("S",
		row(nil, "Хат-хабарлар, кг", nil),
		row("Ой", "кирувчи", "чиқувчи"),
		row("2025-01", 12.5, 3),
	)
	styled := sheetOf("S",
		row("", "Хат-хабарлар, кг", ""),
		row("Ой", "кирувчи", "чиқувчи", ""),
		row("2025-01", 12.5, 3, ""),
	)
	// row() drops "" cells; add them as LibreOffice writes them.
	styled.rows[0] = append([]rawCell{{Col: 0, Kind: kindString}}, styled.rows[0]...)
	styled.rows[0] = append(styled.rows[0], rawCell{Col: 2, Kind: kindString})
	styled.rows[2] = append(styled.rows[2], rawCell{Col: 3, Kind: kindString})
	merged := []mergeRange{{FirstRow: 0, FirstCol: 1, LastRow: 0, LastCol: 2}}
	plain.merged, styled.merged = merged, merged
	a, b := factLines(readOK(t, plain).Facts), factLines(readOK(t, styled).Facts)
	want := lines("2025-01 inbound - letter_post - kg=12.5", "2025-01 outbound - letter_post - kg=3")
	if a != want || b != want {
		t.Errorf("plain:\n%s\nstyled:\n%s\nwant:\n%s", a, b, want)
	}
}

func TestTablesStackedPerPartnerWithBlockTitles(t *testing.T) {
	res := readOK(t, sheetOf("2025",
		row("Почта Китая"),
		row("Месяц", "Посылки, шт", "Письма, кг"),
		row("Январь 2025", 10, 1.5),
		row("Февраль 2025", 20, 2),
		row(nil),
		row("Почта Латвии"),
		row("Месяц", "Посылки, шт", "Письма, кг"),
		row("Январь 2025", 1, 0.5),
		row(nil),
		row("Почта Вануату"),
		row("Месяц", "EMS, шт"),
		row("Январь 2025", 7),
	))
	want := lines(
		"2025-01 unspecified china_post letter_post - kg=1.5",
		"2025-01 unspecified china_post parcel - items=10",
		"2025-01 unspecified latvijas_pasts letter_post - kg=0.5",
		"2025-01 unspecified latvijas_pasts parcel - items=1",
		"2025-01 unspecified vanuatu_post ems - items=7",
		"2025-02 unspecified china_post letter_post - kg=2",
		"2025-02 unspecified china_post parcel - items=20",
	)
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	if n := len(res.Sheets[0].Tables); n != 2 {
		t.Errorf("%d tables: %+v", n, res.Sheets[0].Tables)
	}
}

func TestFactsCarryTheirSourceCellsAndNotes(t *testing.T) {
	res := readOK(t, sheetOf("S",
		row("Period", "Parcels, pcs"),
		row("2025-01", "221*"),
		row("2025-01", 5),
		row("2025-02", 7),
		row("* preliminary"),
	))
	got := ""
	for _, f := range res.Facts {
		got += f.Month.String() + " " + f.Source + " " + f.Note + "\n"
	}
	if got != lines("2025-01 B2:B3 * preliminary", "2025-02 B4 ") {
		t.Errorf("got:\n%s", got)
	}
}

func TestCSVCellsKeepTheirLineAfterEmptyLines(t *testing.T) {
	p := writeFile(t, "blank.csv", []byte("Period;Parcels, pcs\n\n2025-01;x\n"))
	res, err := ReadFile(context.Background(), p, "blank.csv", Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if res.ErrorCount != 1 || res.Errors[0].Cell != "B3" {
		t.Errorf("errors %s", issueLines(res.Errors))
	}
}

func TestPartColumnsAreNotCountedTwice(t *testing.T) {
	res := readOK(t, sheetOf("S",
		row("Period", "Интернет-заказы, шт", "в т.ч. интернет-заказы АлиЭкспресс, шт"),
		row("2025-01", 100, 60),
	))
	if got := factLines(res.Facts); got != lines("2025-01 unspecified - ecommerce - items=100") {
		t.Errorf("facts %s", got)
	}
	if a := res.Sheets[0].Tables[0].Accounting; a.Parts != 1 || a.Facts != 1 || a.Numeric != 2 {
		t.Errorf("accounting %+v", a)
	}
}
