package sheet

import (
	"context"
	"maps"
	"path/filepath"
	"strings"
	"testing"
)

// Section 6: the marks are decided per column from all its cells. A column
// with `1.234.567` writes `.` between thousands, so its `2.500` is 2500,
// whichever comes first; a column that also writes `12.5` cannot say.
func TestDotsDecidedPerColumn(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Period", "Letters inbound, kg"),
		row("2025-01", "2.500"),
		row("2025-02", "1.234.567"),
	))
	if got, want := factLines(res.Facts), lines("2025-01 inbound - letter_post - kg=2500", "2025-02 inbound - letter_post - kg=1234567"); got != want || res.ErrorCount > 0 {
		t.Errorf("facts:\n%swant:\n%serrors:\n%s", got, want, issueLines(res.Errors))
	}
	res = mustRead(t, sheetOf("S",
		row("Period", "Letters inbound, kg"),
		row("2025-01", "2.500"),
		row("2025-02", "1.234.567"),
		row("2025-03", "12.5"),
	))
	if got := issueLines(res.Errors); got != lines("B import.cell.dots_both_ways") {
		t.Errorf("errors:\n%s", got)
	}
	// A column with only `2.500` and `12.5` keeps the decimal dot.
	res = mustRead(t, sheetOf("S",
		row("Period", "Letters inbound, kg"),
		row("2025-01", "2.500"),
		row("2025-02", "12.5"),
	))
	if got, want := factLines(res.Facts), lines("2025-01 inbound - letter_post - kg=2.5", "2025-02 inbound - letter_post - kg=12.5"); got != want {
		t.Errorf("facts:\n%swant:\n%s", got, want)
	}
}

// A count has no decimals: as its 12,345 is twelve thousand, its 2.500 is
// two thousand five hundred, never a fractional count.
func TestDotsInACount(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Period", "Parcels inbound, items"),
		row("2025-01", "2.500"),
		row("2025-02", "1.234.567"),
	))
	if got, want := factLines(res.Facts), lines("2025-01 inbound - parcel - items=2500", "2025-02 inbound - parcel - items=1234567"); got != want || res.ErrorCount > 0 {
		t.Errorf("facts:\n%swant:\n%serrors:\n%s", got, want, issueLines(res.Errors))
	}
	res = mustRead(t, sheetOf("S",
		row("Показатель", "Январь 2025", "Февраль 2025"),
		row("Посылки входящие, шт", "2.500", 12),
	))
	if got, want := factLines(res.Facts), lines("2025-01 inbound - parcel - items=2500", "2025-02 inbound - parcel - items=12"); got != want || res.ErrorCount > 0 {
		t.Errorf("facts:\n%swant:\n%serrors:\n%s", got, want, issueLines(res.Errors))
	}
}

func TestDotsDecidedPerRowAcross(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Показатель", "Январь 2025", "Февраль 2025"),
		row("Письма входящие, кг", "2.500", "1.234.567"),
	))
	if got, want := factLines(res.Facts), lines("2025-01 inbound - letter_post - kg=2500", "2025-02 inbound - letter_post - kg=1234567"); got != want || res.ErrorCount > 0 {
		t.Errorf("facts:\n%swant:\n%serrors:\n%s", got, want, issueLines(res.Errors))
	}
}

// Section 6: "A unit written after the number must agree with the column",
// across as down.
func TestUnitAfterNumberAcross(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Показатель", "Январь 2025", "Февраль 2025", "Март 2025"),
		row("Письма входящие, кг", "12,5 кг", "12,5 т", "3 шт"),
	))
	if got := issueLines(res.Errors); got != lines("C2 import.cell.unit_disagrees", "D2 import.cell.unit_not_weight") {
		t.Errorf("errors:\n%s", got)
	}
}

// Running totals from January down the rows: a month alone among them is
// neither a running total nor a month's figure for sure: an error. Rows that
// break the sequence in the first rows make the table not running at all,
// and each range is then an error for its cell.
func TestRunningTotalsDownMixed(t *testing.T) {
	months := []string{"Январь 2025", "Январь-февраль 2025", "Январь-март 2025", "Январь-апрель 2025", "Январь-май 2025", "Январь-июнь 2025",
		"Январь-июль 2025", "Январь-август 2025", "Январь-сентябрь 2025", "Январь-октябрь 2025", "Январь-ноябрь 2025", "Январь-декабрь 2025"}
	rows := [][]rawCell{row("Месяц", "Партнёр", "Посылки входящие, шт")}
	for _, p := range []string{"Китай", "Латвия", "Вануату"} {
		for i, m := range months {
			if p == "Вануату" && i == 10 {
				m = "Ноябрь 2025" // row 36: a month alone, past the first rows
			}
			rows = append(rows, row(m, p, 10*(i+1)))
		}
	}
	res := mustRead(t, gridSheet{name: "S", rows: rows})
	if got := issueLines(res.Errors); got != lines("A36 import.cell.running_mixed", "C37 import.cell.running_gap") {
		t.Errorf("errors:\n%s", got)
	}
	res = mustRead(t, sheetOf("S",
		row("Месяц", "Посылки входящие, шт"),
		row("Январь 2025", 100),
		row("Январь-февраль 2025", 250),
		row("Март 2025", 90),
	))
	if got := issueLines(res.Errors); got != lines("A3 import.cell.period_invalid") {
		t.Errorf("errors:\n%s", got)
	}
}

// Section 3: "the outcome names what was taken from context, and where".
// Form 18's direction comes from its A1 title ("Входящая почта из Китая"),
// form 88's from "из Китая" in A1, never from a sheet name that does not say
// it; form 88's year columns keep their own years against the title's.
func TestContextNamesItsSource(t *testing.T) {
	for _, tt := range []struct {
		file string
		want map[string]string // field -> from
		cols map[string]string // header cell -> a word its meaning must hold
	}{
		{"18-title-direction-ru.xlsx", map[string]string{"year": "A1", "direction": "A1", "partner": "A1"}, nil},
		{"88-title-year-and-year-columns-ru.xlsx", map[string]string{"year": "A1", "direction": "A1", "partner": "A1", "category": "A1"},
			map[string]string{"B2": "2024", "C2": "2025"}},
		{"17-sheet-name-context-uzl.xlsx", map[string]string{"year": "sheet name", "partner": "sheet name"}, nil},
	} {
		res, err := ReadFile(context.Background(), filepath.Join("testdata/forms", tt.file), "upload.xlsx", testOpts())
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if len(res.Sheets) == 0 || len(res.Sheets[0].Tables) == 0 {
			t.Fatalf("%s: no table", tt.file)
		}
		tb := res.Sheets[0].Tables[0]
		got := map[string]string{}
		for _, c := range tb.Context {
			got[c.Field] = c.From
		}
		if !maps.Equal(got, tt.want) {
			t.Errorf("%s: context from %v, want %v", tt.file, got, tt.want)
		}
		for cell, word := range tt.cols {
			found := false
			for _, c := range tb.Columns {
				if c.Cell == cell {
					found = strings.Contains(c.Meaning, word)
				}
			}
			if !found {
				t.Errorf("%s: column %s's meaning does not say %s: %+v", tt.file, cell, word, tb.Columns)
			}
		}
	}
}

// Section 2: a hidden row whose meaning is unknown is ignored with a warning
// naming it, where a visible one is an error: across (its label) and down
// (its period).
func TestHiddenRowsOfUnknownMeaning(t *testing.T) {
	for _, hidden := range []bool{false, true} {
		down := gridSheet{name: "S", rows: [][]rawCell{
			row("Месяц", "Посылки входящие, шт"),
			row("2025-01", 1200),
			row("Код", 101),
			row("2025-02", 1150),
		}}
		across := gridSheet{name: "T", rows: [][]rawCell{
			row("Показатель", "Январь 2025", "Февраль 2025"),
			row("Посылки исходящие, шт", 10, 12),
			row("Код строки", 101, 102),
		}}
		if hidden {
			down.hid, across.hid = map[int]bool{2: true}, map[int]bool{2: true}
		}
		res := mustRead(t, down, across)
		if !hidden {
			if got := issueLines(res.Errors); got != lines("A3 import.cell.period_invalid", "A3 import.cell.row_unknown") {
				t.Errorf("visible: errors:\n%s", got)
			}
			continue
		}
		if res.ErrorCount > 0 {
			t.Errorf("hidden: errors:\n%s", issueLines(res.Errors))
		}
		if got := issueLines(res.Warnings); got != lines("A3 import.warning.hidden_row_ignored", "A3 import.warning.hidden_row_ignored") {
			t.Errorf("hidden: warnings:\n%s", got)
		}
		want := lines("2025-01 inbound - parcel - items=1200", "2025-02 inbound - parcel - items=1150",
			"2025-01 outbound - parcel - items=10", "2025-02 outbound - parcel - items=12")
		if got := factLines(res.Facts); got != want {
			t.Errorf("hidden: facts:\n%swant:\n%s", got, want)
		}
	}
}
