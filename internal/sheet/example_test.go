package sheet

import "testing"

// TestNotNumberExampleFollowsTheColumn: the number a "not a number" error
// shows as an example is written with its column's marks (section 6): a
// decimal comma column's 1 234,5, a comma-thousands column's 1,234.5; a
// column that decided nothing, by its sheet's language (English 1,234.5,
// Russian 1 234,5).
func TestNotNumberExampleFollowsTheColumn(t *testing.T) {
	for _, c := range []struct {
		name string
		s    gridSheet
		want map[string]string // column → example
	}{
		{"marks decided", sheetOf("S",
			row("Period", "Parcels, kg", "Letters, kg"),
			row("2025-01", "1,234,567", "12,5"),
			row("2025-02", "abc", "abc"),
		), map[string]string{"B3": "1,234.5", "C3": "1 234,5"}},
		{"english, undecided", sheetOf("S",
			row("Period", "Letters, kg"),
			row("2025-01", "100"),
			row("2025-02", "abc"),
		), map[string]string{"B3": "1,234.5"}},
		{"russian, undecided", sheetOf("S",
			row("Месяц", "Письма, кг"),
			row("2025-01", "100"),
			row("2025-02", "abc"),
		), map[string]string{"B3": "1 234,5"}},
	} {
		res := mustRead(t, c.s)
		got := map[string]string{}
		for _, e := range res.Errors {
			if e.Key == keyNotNumber {
				got[e.Cell] = e.Args["example"]
			}
		}
		for cell, want := range c.want {
			if got[cell] != want {
				t.Errorf("%s: %s's example %q, want %q (errors %s)", c.name, cell, got[cell], want, issueLines(res.Errors))
			}
		}
	}
}
