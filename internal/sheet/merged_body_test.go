package sheet

import (
	"strings"
	"testing"
)

// TestMergedBodyValue: one number merged over two measure columns or two
// rows of a months-down body is an error naming the range (contract §0: no
// silent wrong number); a merged stub (a period written once for two rows of
// partners) is read as before.
func TestMergedBodyValue(t *testing.T) {
	header := row("Период", "Письма, кг", "Посылки, кг")
	cases := []struct {
		name   string
		rows   [][]rawCell
		merged []mergeRange
		want   string // the error's cell; "" when none
	}{
		{"over two measures", [][]rawCell{header, row("2025-01", 30), row("2025-02", 1, 2)},
			[]mergeRange{{FirstRow: 1, FirstCol: 1, LastRow: 1, LastCol: 2}}, "B2:C2"},
		{"over two months", [][]rawCell{header, row("2025-01", 30, 1), row("2025-02", nil, 2)},
			[]mergeRange{{FirstRow: 1, FirstCol: 1, LastRow: 2, LastCol: 1}}, "B2:B3"},
		{"a merged header and stub", [][]rawCell{row("Отправления", "Письма, кг", "Посылки, кг"), row("Период", "Вес", "Вес"), row("2025-01", 3, 4), row(nil, 5, 6)},
			[]mergeRange{{FirstRow: 0, FirstCol: 1, LastRow: 0, LastCol: 2}, {FirstRow: 2, FirstCol: 0, LastRow: 3, LastCol: 0}}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := sheetOf("S", tc.rows...)
			s.merged = tc.merged
			res := mustRead(t, s)
			if tc.want == "" {
				for _, is := range res.Errors {
					if is.Key == keyMergedColumns || is.Key == keyMergedRows {
						t.Fatalf("unexpected merge error %s: %s", is.Cell, is.Text)
					}
				}
				return
			}
			if len(res.Facts) != 0 && res.ErrorCount == 0 {
				t.Fatalf("committed %v with no error", factLines(res.Facts))
			}
			for _, is := range res.Errors {
				if is.Cell == tc.want && (is.Key == keyMergedColumns || is.Key == keyMergedRows) && strings.Contains(is.Text, tc.want) {
					return
				}
			}
			t.Fatalf("no merge error at %s; errors:\n%s", tc.want, issueLines(res.Errors))
		})
	}
}
