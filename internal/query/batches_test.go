package query_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"postdash/internal/query"
	"postdash/internal/store"
)

func TestBatchesJSON(t *testing.T) {
	tashkent := time.FixedZone("UZT", 5*3600)
	undone := time.Date(2025, 7, 2, 14, 0, 0, 0, tashkent)
	got := query.Batches([]store.Batch{
		{ID: 2, FileName: "june.xlsx", SHA256: "ab", User: "dilnoza", CreatedAt: time.Date(2025, 7, 1, 9, 30, 0, 0, tashkent),
			Sheets: []string{"Июнь"}, Rows: 6, Facts: 24, Items: 6014, WeightKg: 3085, UndoneAt: &undone, UndoneBy: "aziz"},
		{ID: 1, FileName: "may.xlsx", SHA256: "cd", User: "dilnoza", CreatedAt: time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)},
	})
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		`"created_at":"2025-07-01T04:30:00Z"`, `"undone_at":"2025-07-02T09:00:00Z"`, `"undone_by":"aziz"`, `"live":false`,
		`"sheets":["Июнь"]`, `"sheets":[]`, `"live":true`, `"weight_kg":3085`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("batches JSON lacks %s:\n%s", want, s)
		}
	}
	if strings.Count(s, "undone_at") != 1 {
		t.Errorf("a live batch shows undone_at:\n%s", s)
	}
	if empty, _ := json.Marshal(query.Batches(nil)); string(empty) != `{"batches":[]}` {
		t.Errorf("no batches = %s, want {\"batches\":[]}", empty)
	}
}
