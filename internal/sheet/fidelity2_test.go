package sheet

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"postdash/internal/postal"
)

// A stub row whose label and unit column disagree is an error, and the sheet
// is read: no note may also call it skipped for naming nothing it counts,
// and its two figures are counted as errors (the accounting adds up).
func TestNoContradictingNotes(t *testing.T) {
	path := filepath.Join("testdata", "forms", "116-unit-column-disagrees-across.xlsx")
	res, err := ReadFile(context.Background(), path, "upload.xlsx", Options{Now: time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if res.ErrorCount != 1 || res.Errors[0].Key != keyUnitConflict {
		t.Fatalf("errors %+v, want the one unit conflict", res.Errors)
	}
	for _, w := range res.Warnings {
		t.Errorf("warning %q beside the error", w.Text)
	}
	s := res.Sheets[0]
	if s.Note != nil {
		t.Errorf("sheet note %q", s.Note.Text)
	}
	var a Accounting
	for _, tb := range s.Tables {
		a.add(tb.Accounting)
	}
	if a.Numeric != 2 || a.Errors != 2 {
		t.Errorf("accounting %+v, want 2 numeric cells, both errors", a)
	}
}

// A header naming two values of one dimension gives both readings, and a
// header that repeats one value, or whose longest phrase covers a shorter
// one, is no conflict.
func TestHeaderConflicts(t *testing.T) {
	vocab := postal.DefaultMatcher()
	for text, want := range map[string]string{
		"Письма и посылки входящие, кг":                "“письма” (letter_post) and “посылки” (parcel)",
		"Посылки входящие и исходящие, шт":             "“входящие” (inbound) and “исходящие” (outbound)",
		"Посылки из Китая исходящие, шт":               "“из китая” (inbound) and “исходящие” (outbound)",
		"Parcels inbound from China and Latvia, items": "“china” (china_post) and “latvia” (latvijas_pasts)",
		"Интернет-заказы АлиЭкспресс и Тему, шт":       "(aliexpress) and ",
		"Посылки входящие, шт, кг":                     "(items) and “кг” (kg)",
		"Буюртма хатлар кирувчи, кг":                   "",
		"Посылки из Китая входящие, шт":                "",
		"Почта Китая, посылки входящие, шт":            "",
		"Посылки входящие, вес, кг":                    "",
		"Parcels in transit, kg":                       "",
		"Посылки 2025 г., т":                           "",
		"Хат-хабарлар, кг кирувчи":                     "",
	} {
		c := classifyHeader(vocab, 1, text)
		got := ""
		if c.Why == keyHeaderConflict {
			got = c.WhyArgs["first"] + " and " + c.WhyArgs["second"]
		}
		if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("%q: conflict %q, want %q (role %s, why %s)", text, got, want, roleNames[c.Role], c.Why)
		}
		if want == "" && c.Role != roleMeasure {
			t.Errorf("%q: role %s (%s), want a measure", text, roleNames[c.Role], c.Why)
		}
	}
}

// A stub row of a months-across table whose label names two categories is
// an error naming both readings, as a column header is.
func TestRowLabelConflictAcross(t *testing.T) {
	res, err := readGrid(t, testOpts(), sheetOf("S",
		row("Показатель", "Январь 2025", "Февраль 2025"),
		row("Письма и посылки входящие, кг", 1, 2),
		row("Посылки входящие, кол-во мешков", 3, 4),
	))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range res.Errors {
		got[e.Key] = e.Cell + " " + e.Text
	}
	if e := got[keyRowConflict]; !strings.Contains(e, "A2 ") || !strings.Contains(e, "“письма” (letter_post) and “посылки” (parcel)") {
		t.Errorf("row conflict %q; errors %v", e, got)
	}
	if e := got[keyRowUnitWordUnknown]; !strings.Contains(e, "A3 ") || !strings.Contains(e, "“мешков”") {
		t.Errorf("unknown unit word %q; errors %v", e, got)
	}
	if len(res.Facts) != 0 {
		t.Errorf("facts %v", res.Facts)
	}
}

// Express parcels are EMS, one category (the longest phrase wins), not a
// header naming both EMS and parcels.
func TestExpressParcelsAreEMS(t *testing.T) {
	vocab := postal.DefaultMatcher()
	for _, text := range []string{"Экспресс-посылки входящие, шт", "Express parcels inbound, items"} {
		c := classifyHeader(vocab, 1, text)
		if c.Role != roleMeasure || c.Dims.Category != "ems" {
			t.Errorf("%q: role %s (%s), category %q; want an ems measure", text, roleNames[c.Role], c.Why, c.Dims.Category)
		}
	}
}
