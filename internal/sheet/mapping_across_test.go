package sheet

import (
	"strings"
	"testing"
)

// acrossSheet is a months-across form with one stub row whose meaning its
// label does not give ("Foo bar", in tonnes), months from..from+1.
func acrossSheet(m1, m2 string, fooFirst bool) gridSheet {
	parcels := row("Посылки входящие", "шт", 10, 20, 30)
	foo := row("Foo bar", "т", 1.5, 2.25, 3.75)
	rows := [][]rawCell{row("Показатель", "Ед. изм.", m1, m2, "Итого")}
	if fooFirst {
		rows = append(rows, foo, parcels)
	} else {
		rows = append(rows, parcels, foo)
	}
	return sheetOf("S", rows...)
}

func fooOutboundEMS() Mapping {
	return Mapping{
		Format: MappingFormat, Version: MappingVersion, ID: 7, SavedBy: "dilnoza",
		Layout: LayoutAcross,
		Header: []string{"показатель", "ед. изм.", "итого"},
		Rows:   []RowChoice{{Label: "Foo bar, т", Row: 3, Meaning: "measure", Category: "ems", Direction: "outbound"}},
	}
}

func TestAcrossRowMapping(t *testing.T) {
	res, err := readGrid(t, testOpts(), acrossSheet("Январь 2025", "Февраль 2025", false))
	if err != nil {
		t.Fatal(err)
	}
	if res.ErrorCount != 1 || res.Errors[0].Cell != "A3" || !strings.Contains(res.Errors[0].Text, "Foo bar") || !strings.Contains(res.Errors[0].Text, "choose what row 3 counts") {
		t.Fatalf("without a mapping: want the unknown row 3 named, got %+v", res.Errors)
	}

	opts := testOpts()
	opts.SavedMappings = []Mapping{fooOutboundEMS()}
	res, err = readGrid(t, opts, acrossSheet("Январь 2025", "Февраль 2025", false))
	if err != nil || res.ErrorCount != 0 {
		t.Fatalf("with the mapping: %v %+v", err, res.Errors)
	}
	// Truth by hand: 1.5 t and 2.25 t of outbound EMS; the parcels as they were.
	want := "2025-01 inbound - parcel - items=10\n2025-01 outbound - ems - kg=1500\n" +
		"2025-02 inbound - parcel - items=20\n2025-02 outbound - ems - kg=2250\n"
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	tab := res.Sheets[0].Tables[0]
	if tab.Mapping == nil || tab.Mapping.ID != 7 {
		t.Errorf("the table does not name the mapping applied: %+v", tab.Mapping)
	}
	// Each row: two months read as facts, its total checked.
	a := tab.Accounting
	if a.Numeric != 6 || a.Facts != 4 || a.Totals != 2 || a.Unknown != 0 || !a.balanced() {
		t.Errorf("accounting: %+v", a)
	}
}

func TestAcrossRowMappingNextMonthAndMovedRow(t *testing.T) {
	opts := testOpts()
	opts.SavedMappings = []Mapping{fooOutboundEMS()}
	// Next month's file: other month headers, and the row moved up.
	res, err := readGrid(t, opts, acrossSheet("Март 2025", "Апрель 2025", true))
	if err != nil || res.ErrorCount != 0 {
		t.Fatalf("%v %+v", err, res.Errors)
	}
	want := "2025-03 inbound - parcel - items=10\n2025-03 outbound - ems - kg=1500\n" +
		"2025-04 inbound - parcel - items=20\n2025-04 outbound - ems - kg=2250\n"
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	if m := res.Sheets[0].Tables[0].Mapping; m == nil || m.ID != 7 {
		t.Errorf("mapping not named: %+v", m)
	}
}

func TestAcrossRowMappingOfAListDoesNotApply(t *testing.T) {
	// The same header texts, saved for a list table, are another key.
	opts := testOpts()
	m := fooOutboundEMS()
	m.Layout, m.Rows = "", nil
	m.Columns = []ColumnChoice{{Header: "итого", Meaning: "ignore"}}
	opts.SavedMappings = []Mapping{m}
	res, err := readGrid(t, opts, acrossSheet("Январь 2025", "Февраль 2025", false))
	if err != nil || res.ErrorCount != 1 {
		t.Fatalf("want the unknown row still: %v %+v", err, res.Errors)
	}
}

func TestAcrossRowMappingIgnore(t *testing.T) {
	opts := testOpts()
	m := fooOutboundEMS()
	m.Rows = []RowChoice{{Label: "foo bar", Meaning: "ignore"}} // by its label alone, without its unit
	opts.SavedMappings = []Mapping{m}
	res, err := readGrid(t, opts, acrossSheet("Январь 2025", "Февраль 2025", false))
	if err != nil || res.ErrorCount != 0 {
		t.Fatalf("%v %+v", err, res.Errors)
	}
	if got, want := factLines(res.Facts), "2025-01 inbound - parcel - items=10\n2025-02 inbound - parcel - items=20\n"; got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	a := res.Sheets[0].Tables[0].Accounting
	// Truth: the row's three numbers (two months and its total) ignored.
	if a.Numeric != 6 || a.Ignored != 3 || a.Facts != 2 || a.Unknown != 0 || !a.balanced() {
		t.Errorf("accounting: %+v", a)
	}
}

func TestAcrossRowMappingNeverOverridesTheLabel(t *testing.T) {
	opts := testOpts()
	m := fooOutboundEMS()
	// The parcels row says parcels, inbound, items: a choice saying
	// otherwise is not read, and a warning says so.
	m.Rows = append(m.Rows, RowChoice{Label: "Посылки входящие, шт", Meaning: "measure", Category: "ems", Unit: "kg"})
	opts.SavedMappings = []Mapping{m}
	res, err := readGrid(t, opts, acrossSheet("Январь 2025", "Февраль 2025", false))
	if err != nil || res.ErrorCount != 0 {
		t.Fatalf("%v %+v", err, res.Errors)
	}
	if !strings.Contains(factLines(res.Facts), "2025-01 inbound - parcel - items=10\n") {
		t.Errorf("the label lost: %s", factLines(res.Facts))
	}
	n := 0
	for _, w := range res.Warnings {
		if w.Key == keyMappingRowWins && w.Cell == "A2" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("want two warnings on A2 (unit, category), got %+v", res.Warnings)
	}
}

func TestParseMappingRows(t *testing.T) {
	// Version 1 files without rows still load; rows need the across layout.
	if _, err := ParseMapping([]byte(`{"format":"postdash-mapping","version":1,"header":["a"],"columns":[{"header":"a","meaning":"ignore"}]}`)); err != nil {
		t.Errorf("a columns-only mapping: %v", err)
	}
	m, err := ParseMapping([]byte(`{"format":"postdash-mapping","version":1,"layout":"across","header":["Показатель"],"columns":null,"rows":[{"label":"Foo  Bar","meaning":"measure","unit":"t"}]}`))
	if err != nil || m.Rows[0].Label != "foo bar" {
		t.Errorf("a rows mapping: %v %+v", err, m)
	}
	for _, bad := range []string{
		`{"format":"postdash-mapping","version":1,"header":["a"],"rows":[{"label":"x","meaning":"ignore"}]}`,
		`{"format":"postdash-mapping","version":1,"layout":"across","header":["a"],"rows":[{"label":"x","meaning":"period"}]}`,
		`{"format":"postdash-mapping","version":1,"layout":"across","header":["a"],"rows":[{"label":"x","meaning":"measure","unit":"bushel"}]}`,
	} {
		if _, err := ParseMapping([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
