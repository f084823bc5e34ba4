package sheet

import "testing"

// TestStackedTablesSameFact: two stacked tables of one sheet giving the same
// fact (1500 kg and 1.5 t) are two sources, an error naming both cells; the
// first table ends at the empty row above the second one's title.
func TestStackedTablesSameFact(t *testing.T) {
	res := mustRead(t, sheetOf("S",
		row("Посылки из Китая, кг"),
		row("Месяц", "Вес, кг"),
		row("2025-01", 1500),
		nil,
		row("Посылки из Китая, т"),
		row("Месяц", "Вес, т"),
		row("2025-01", 1.5),
	))
	found := false
	for _, is := range res.Errors {
		if is.Key == keyTwoSources && is.Cell == "B7" && is.Args["other"] == "S!B3" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no two-sources error at B7 naming S!B3; errors:\n%s\nfacts:\n%s", issueLines(res.Errors), factLines(res.Facts))
	}
	if len(res.Sheets) != 1 || len(res.Sheets[0].Tables) != 2 {
		t.Fatalf("want 2 tables, got %+v", res.Sheets)
	}
	if got := res.Sheets[0].Tables[0].Range; got != "A2:B3" {
		t.Errorf("first table's range = %s, want A2:B3", got)
	}
}

// TestListAcrossSheetsAddsUp: the rows of a list (a partner column, rows of
// items) split over two sheets still add up.
func TestListAcrossSheetsAddsUp(t *testing.T) {
	res := mustRead(t,
		sheetOf("A", row("Месяц", "Партнёр", "Категория", "Вес, кг"), row("2025-01", "China Post", "Посылки", 2)),
		sheetOf("B", row("Месяц", "Партнёр", "Категория", "Вес, кг"), row("2025-01", "China Post", "Посылки", 3)),
	)
	for _, is := range res.Errors {
		if is.Key == keyTwoSources {
			t.Fatalf("a list split over sheets is not two sources: %s", is.Text)
		}
	}
	var kg float64
	for _, f := range res.Facts {
		kg += f.WeightKg
	}
	if kg != 5 {
		t.Fatalf("total %v kg, want 5; facts:\n%s\nerrors:\n%s", kg, factLines(res.Facts), issueLines(res.Errors))
	}
}
