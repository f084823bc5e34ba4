package i18n

import (
	"math"
	"strings"
	"testing"
	"time"
)

// sp writes the no-break space as "_" in expectations, so they stay readable.
func sp(s string) string { return strings.ReplaceAll(s, "_", "\u00a0") }

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		uz, en   string // uz is also ru: the same separators
	}{
		{3085, 0, "3_085", "3,085"},
		{226.5, 1, "226,5", "226.5"},
		{0, 0, "0", "0"},
		{0, 2, "0,00", "0.00"},
		{999, 0, "999", "999"},
		{1000, 0, "1_000", "1,000"},
		{-3085, 0, "-3_085", "-3,085"},
		{-226.5, 1, "-226,5", "-226.5"},
		{-0.04, 1, "0,0", "0.0"}, // no negative zero
		{1234567.891, 2, "1_234_567,89", "1,234,567.89"},
		{9876543210, 0, "9_876_543_210", "9,876,543,210"},
		{1e15, 0, "1_000_000_000_000_000", "1,000,000,000,000,000"},
		{226.45, 1, "226,5", "226.5"}, // half away from zero on the decimal written
		{226.44, 1, "226,4", "226.4"},
		{-2.5, 0, "-3", "-3"},
		{2.5, 0, "3", "3"},
		{1.005, 2, "1,01", "1.01"},
		{999.96, 1, "1_000,0", "1,000.0"}, // carry into a new group
		{999999.5, 0, "1_000_000", "1,000,000"},
		{0.123456, 3, "0,123", "0.123"},
		{12, 2, "12,00", "12.00"},
		{3085.7, 0, "3_086", "3,086"},
		{3085, -1, "3_085", "3,085"},
	}
	for _, tt := range tests {
		want := map[Lang]string{UzLatn: sp(tt.uz), UzCyrl: sp(tt.uz), RU: sp(tt.uz), EN: tt.en}
		for l, w := range want {
			if got := FormatNumber(l, tt.v, tt.decimals); got != w {
				t.Errorf("FormatNumber(%s, %v, %d) = %q, want %q", l, tt.v, tt.decimals, got, w)
			}
		}
	}
}

func TestFormatNumberNotFinite(t *testing.T) {
	for _, l := range Langs() {
		if got := FormatNumber(l, math.NaN(), 1); got != "—" {
			t.Errorf("FormatNumber(%s, NaN) = %q", l, got)
		}
		if got := FormatNumber(l, math.Inf(-1), 1); got != "-∞" {
			t.Errorf("FormatNumber(%s, -Inf) = %q", l, got)
		}
	}
}

func TestFormatUnits(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"kg uz-Latn", FormatKg(UzLatn, 3085), sp("3_085_kg")},
		{"kg uz-Cyrl", FormatKg(UzCyrl, 3085), sp("3_085_кг")},
		{"kg ru", FormatKg(RU, 3085), sp("3_085_кг")},
		{"kg en", FormatKg(EN, 3085), sp("3,085_kg")},
		{"kg rounds to whole from 100", FormatKg(RU, 3085.46), sp("3_085_кг")},
		{"kg small keeps a decimal", FormatKg(RU, 12.46), sp("12,5_кг")},
		{"kg small whole has none", FormatKg(EN, 12.04), sp("12_kg")},
		{"kg small carries", FormatKg(EN, 99.96), sp("100_kg")},
		{"kg zero", FormatKg(UzLatn, 0), sp("0_kg")},
		{"kg negative", FormatKg(UzCyrl, -1500), sp("-1_500_кг")},
		{"t uz-Latn", FormatTonnes(UzLatn, 226.5, 1), sp("226,5_t")},
		{"t uz-Cyrl", FormatTonnes(UzCyrl, 226.5, 1), sp("226,5_т")},
		{"t ru", FormatTonnes(RU, 226.5, 1), sp("226,5_т")},
		{"t en", FormatTonnes(EN, 1226.54, 2), sp("1,226.54_t")},
		{"items uz", FormatItems(UzLatn, 6014), sp("6_014")},
		{"items ru", FormatItems(RU, 1234567), sp("1_234_567")},
		{"items en", FormatItems(EN, 6014), "6,014"},
		{"items zero", FormatItems(EN, 0), "0"},
		{"items small", FormatItems(RU, 999), "999"},
		{"items negative", FormatItems(UzCyrl, -6014), sp("-6_014")},
		{"items min int64", FormatItems(EN, math.MinInt64), "-9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestNumberJS(t *testing.T) {
	want := map[Lang][2]string{
		UzLatn: {"\u00a0", ","}, UzCyrl: {"\u00a0", ","}, RU: {"\u00a0", ","}, EN: {",", "."},
	}
	for l, w := range want {
		th, dec := NumberJS(l)
		if th != w[0] || dec != w[1] {
			t.Errorf("NumberJS(%s) = %q, %q; want %q, %q", l, th, dec, w[0], w[1])
		}
		// What JS is told must be what Go writes.
		if got, want := FormatNumber(l, 1234.5, 1), "1"+th+"234"+dec+"5"; got != want {
			t.Errorf("%s: FormatNumber %q disagrees with NumberJS %q", l, got, want)
		}
	}
}

func TestMonthNames(t *testing.T) {
	tests := []struct {
		l                 Lang
		m                 int
		full, short, year string
	}{
		{EN, 1, "January", "Jan", "January 2025"},
		{EN, 3, "March", "Mar", "March 2025"},
		{EN, 12, "December", "Dec", "December 2025"},
		{UzLatn, 1, "yanvar", "yan", "2025-yil yanvar"},
		{UzLatn, 3, "mart", "mar", "2025-yil mart"},
		{UzLatn, 9, "sentabr", "sen", "2025-yil sentabr"},
		{UzCyrl, 1, "январ", "янв", "2025 йил январ"},
		{UzCyrl, 3, "март", "мар", "2025 йил март"},
		{UzCyrl, 9, "сентябр", "сен", "2025 йил сентябр"},
		{RU, 1, "январь", "янв", "январь 2025"},
		{RU, 3, "март", "мар", "март 2025"},
		{RU, 5, "май", "май", "май 2025"},
		{RU, 12, "декабрь", "дек", "декабрь 2025"},
	}
	for _, tt := range tests {
		if got := MonthName(tt.l, tt.m); got != tt.full {
			t.Errorf("MonthName(%s, %d) = %q, want %q", tt.l, tt.m, got, tt.full)
		}
		if got := MonthShort(tt.l, tt.m); got != tt.short {
			t.Errorf("MonthShort(%s, %d) = %q, want %q", tt.l, tt.m, got, tt.short)
		}
		if got := FormatMonth(tt.l, 2025, tt.m); got != tt.year {
			t.Errorf("FormatMonth(%s, 2025, %d) = %q, want %q", tt.l, tt.m, got, tt.year)
		}
	}
}

func TestFormatDateTime(t *testing.T) {
	at := time.Date(2026, 11, 26, 1, 45, 30, 0, time.UTC)
	want := map[Lang]string{
		EN:     "26 November 2026, 01:45",
		RU:     "26 ноября 2026 г., 01:45",
		UzLatn: "2026-yil 26-noyabr, 01:45",
		UzCyrl: "2026 йил 26 ноябр, 01:45",
	}
	for l, w := range want {
		if got := FormatDateTime(l, at); got != w {
			t.Errorf("FormatDateTime(%s) = %q, want %q", l, got, w)
		}
	}
	// Russian declines the month in a date; every month has its form.
	for m := time.January; m <= time.December; m++ {
		if got := FormatDate(RU, time.Date(2025, m, 1, 0, 0, 0, 0, time.UTC)); strings.Contains(got, MonthName(RU, int(m))+" ") {
			t.Errorf("FormatDate(ru, %s) = %q: the month is not declined", m, got)
		}
	}
}

func TestMonthTablesComplete(t *testing.T) {
	for _, l := range Langs() {
		seen := map[string]bool{}
		for m := 1; m <= 12; m++ {
			full, short := MonthName(l, m), MonthShort(l, m)
			if full == "" || short == "" || seen[full] || seen[short+"/short"] {
				t.Errorf("%s month %d: full %q short %q empty or repeated", l, m, full, short)
			}
			seen[full], seen[short+"/short"] = true, true
		}
		if got := MonthName(l, 13); got != "13" {
			t.Errorf("MonthName(%s, 13) = %q, want the number", l, got)
		}
		if got := MonthShort(l, 0); got != "0" {
			t.Errorf("MonthShort(%s, 0) = %q, want the number", l, got)
		}
	}
}

func TestUzbekMonthsAreTransliterations(t *testing.T) {
	for m := 1; m <= 12; m++ {
		if got, want := UzLatinToCyrillic(MonthName(UzLatn, m)), MonthName(UzCyrl, m); got != want {
			t.Errorf("month %d: transliterated %q, table has %q", m, got, want)
		}
	}
}

func BenchmarkFormatNumber(b *testing.B) {
	for b.Loop() {
		FormatNumber(RU, 1234567.891, 1)
	}
}
