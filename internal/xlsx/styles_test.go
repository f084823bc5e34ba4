package xlsx

import "testing"

// TestFormatOfCode: custom number format codes, read by hand.
func TestFormatOfCode(t *testing.T) {
	for code, want := range map[string]Format{
		"0.00":            FormatPlain,
		"#,##0.00":        FormatPlain,
		"[$-419]#,##0.00": FormatPlain,
		`0.0" кг"`:        FormatPlain,
		"[Red]0.00":       FormatPlain,
		"0%":              FormatPercent,
		"0.00%":           FormatPercent,
		"YYYY-MM-DD":      FormatDate,
		"dd.mm.yyyy":      FormatDate,
		"[$-419]D MMMM":   FormatDate,
		"[h]:mm":          FormatDate,
		`0" шт";-0;"%"`:   FormatPlain,
		`0.0\%`:           FormatPlain,
	} {
		if got := formatOfCode(code); got != want {
			t.Errorf("formatOfCode(%q) = %d, want %d", code, got, want)
		}
	}
	for id, want := range map[int]Format{0: FormatPlain, 2: FormatPlain, 9: FormatPercent, 10: FormatPercent, 14: FormatDate, 22: FormatDate, 46: FormatDate, 49: FormatPlain} {
		if got := builtinFormat(id); got != want {
			t.Errorf("builtinFormat(%d) = %d, want %d", id, got, want)
		}
	}
}
