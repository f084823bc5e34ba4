package sheet

import (
	"strings"
	"testing"
)

// mappedSheet is a list with one column whose meaning the header does not
// give ("Foo bar"), as analysts' own sheets often have.
func mappedSheet(extra ...[]rawCell) gridSheet {
	rows := [][]rawCell{
		row("Month", "Letters inbound, kg", "Foo bar"),
		row("2025-01", 10, 1.5),
		row("2025-02", 20, 2.25),
	}
	return sheetOf("S", append(rows, extra...)...)
}

func parcelsInboundTonnes() Mapping {
	return Mapping{
		Format: MappingFormat, Version: MappingVersion, ID: 3, SavedBy: "dilnoza",
		Header:  []string{"month", "letters inbound, kg", "foo bar"},
		Columns: []ColumnChoice{{Header: "foo bar", Column: "C", Meaning: "measure", Category: "parcel", Direction: "inbound", Unit: "t"}},
	}
}

func TestMappingFillsWhatTheHeaderLeavesUnsaid(t *testing.T) {
	res, err := readGrid(t, testOpts(), mappedSheet())
	if err != nil {
		t.Fatal(err)
	}
	if res.ErrorCount != 1 || res.Errors[0].Cell != "C" || !strings.Contains(res.Errors[0].Text, "choose what column C holds") {
		t.Fatalf("without a mapping: want the unknown column C saying what to do, got %+v", res.Errors)
	}

	opts := testOpts()
	opts.SavedMappings = []Mapping{parcelsInboundTonnes()}
	res, err = readGrid(t, opts, mappedSheet())
	if err != nil || res.ErrorCount != 0 {
		t.Fatalf("with the mapping: %v %+v", err, res.Errors)
	}
	// Truth by hand: 1.5 t and 2.25 t of inbound parcels, next to the letters.
	want := "2025-01 inbound - letter_post - kg=10\n2025-01 inbound - parcel - kg=1500\n" +
		"2025-02 inbound - letter_post - kg=20\n2025-02 inbound - parcel - kg=2250\n"
	if got := factLines(res.Facts); got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	tab := res.Sheets[0].Tables[0]
	if tab.Mapping == nil || tab.Mapping.ID != 3 || tab.Mapping.SavedBy != "dilnoza" {
		t.Errorf("the table does not name the mapping applied: %+v", tab.Mapping)
	}
	c := tab.Columns[2]
	if c.Meaning != "parcel inbound t" || c.Total == nil || *c.Total != 3750 || c.Accounting.Facts != 2 || c.Accounting.Unknown != 0 {
		t.Errorf("column C: %+v", c)
	}
}

func TestMappingFollowsAColumnThatMoved(t *testing.T) {
	opts := testOpts()
	opts.SavedMappings = []Mapping{parcelsInboundTonnes()}
	res, err := readGrid(t, opts, sheetOf("S",
		row("Foo bar", "Month", "Letters inbound, kg"),
		row(4, "2025-03", 30),
	))
	if err != nil || res.ErrorCount != 0 {
		t.Fatalf("%v %+v", err, res.Errors)
	}
	if got, want := factLines(res.Facts), "2025-03 inbound - letter_post - kg=30\n2025-03 inbound - parcel - kg=4000\n"; got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
}

func TestMappingOfAnotherHeaderDoesNotApply(t *testing.T) {
	opts := testOpts()
	m := parcelsInboundTonnes()
	m.ID, m.Source = 0, "parcels.json"
	opts.Mappings = []Mapping{m}
	// One more column: another form, so the mapping is not applied, and
	// the outcome says so, naming the column that differs.
	res, err := readGrid(t, opts, sheetOf("S",
		row("Month", "Letters inbound, kg", "Foo bar", "Parcels, kg"),
		row("2025-01", 10, 1.5, 7),
	))
	if err != nil {
		t.Fatal(err)
	}
	if res.ErrorCount != 1 || res.Errors[0].Cell != "C" {
		t.Errorf("want column C still unknown, got %+v", res.Errors)
	}
	found := false
	for _, w := range res.Warnings {
		found = found || w.Key == keyMappingUnused && strings.Contains(w.Text, `“parcels.json”`) && strings.Contains(w.Text, `“parcels, kg”`)
	}
	if !found {
		t.Errorf("no warning that the mapping was not applied: %+v", res.Warnings)
	}
	if res.Sheets[0].Tables[0].Mapping != nil {
		t.Error("a table names a mapping that was not applied")
	}
}

func TestMappingNeverOverridesTheHeader(t *testing.T) {
	opts := testOpts()
	m := Mapping{Format: MappingFormat, Version: MappingVersion, ID: 1,
		Header: []string{"month", "letters inbound, kg", "foo bar"},
		Columns: []ColumnChoice{
			{Header: "foo bar", Meaning: "measure", Category: "parcel", Unit: "t"},
			// The header says letters inbound in kg: it wins, and the outcome says so.
			{Header: "letters inbound, kg", Meaning: "measure", Category: "ems", Unit: "kg"},
		}}
	opts.SavedMappings = []Mapping{m}
	res, err := readGrid(t, opts, mappedSheet())
	if err != nil || res.ErrorCount != 0 {
		t.Fatalf("%v %+v", err, res.Errors)
	}
	if got := res.Sheets[0].Tables[0].Columns[1].Meaning; got != "letter_post inbound kg" {
		t.Errorf("column B read as %q; the header must win", got)
	}
	found := false
	for _, w := range res.Warnings {
		found = found || w.Key == keyMappingHeaderWins && w.Cell == "B1" && strings.Contains(w.Text, "category ems") && strings.Contains(w.Text, "category letter_post")
	}
	if !found {
		t.Errorf("no warning naming the contradiction: %+v", res.Warnings)
	}
}

func TestMappingIgnoresAColumnAndCountsIt(t *testing.T) {
	opts := testOpts()
	m := parcelsInboundTonnes()
	m.Columns = append(m.Columns, ColumnChoice{Header: "letters inbound, kg", Meaning: "ignore"})
	m.Columns[0].Meaning, m.Columns[0].Category, m.Columns[0].Direction, m.Columns[0].Unit = "measure", "parcel", "", "kg"
	opts.SavedMappings = []Mapping{m}
	res, err := readGrid(t, opts, mappedSheet())
	if err != nil || res.ErrorCount != 0 {
		t.Fatalf("%v %+v", err, res.Errors)
	}
	if got, want := factLines(res.Facts), "2025-01 unspecified - parcel - kg=1.5\n2025-02 unspecified - parcel - kg=2.25\n"; got != want {
		t.Errorf("facts:\n%s\nwant:\n%s", got, want)
	}
	a := res.Sheets[0].Tables[0].Accounting
	if a.Numeric != 4 || a.Facts != 2 || a.Ignored != 2 || a.Unknown != 0 {
		t.Errorf("accounting %+v: want 4 numbers, 2 facts, 2 ignored", a)
	}
	if got := res.Sheets[0].Tables[0].Columns[1].Meaning; got != "ignored" {
		t.Errorf("column B meaning %q", got)
	}
}

func TestMappingCellStillWins(t *testing.T) {
	// A choice of year never overrides the period a cell writes: a row of
	// 2024 under a mapping saying 2025 is the contract's two-sources error.
	opts := testOpts()
	m := parcelsInboundTonnes()
	m.Columns[0].Year = 2025
	opts.SavedMappings = []Mapping{m}
	res, err := readGrid(t, opts, sheetOf("S",
		row("Month", "Letters inbound, kg", "Foo bar"),
		row("2024-05", 10, 1.5),
	))
	if err != nil {
		t.Fatal(err)
	}
	if res.ErrorCount == 0 {
		t.Fatalf("a cell saying 2024 under a mapping saying 2025 was read silently: %s", factLines(res.Facts))
	}
}

func TestParseMapping(t *testing.T) {
	good := `{"format":"postdash-mapping","version":1,"header":["Month","Foo  Bar"],
	  "columns":[{"header":"FOO bar","meaning":"measure","category":"parcel","unit":"t","partner":"China Post"}]}`
	m, err := ParseMapping([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if m.Header[1] != "foo bar" || m.Columns[0].Header != "foo bar" || m.Columns[0].Partner != "china_post" {
		t.Errorf("not folded or canonical: %+v", m)
	}
	for name, bad := range map[string]string{
		"json":     `{`,
		"version":  `{"format":"postdash-mapping","version":2,"header":["a"],"columns":[{"header":"a","meaning":"ignore"}]}`,
		"meaning":  `{"format":"postdash-mapping","version":1,"header":["a"],"columns":[{"header":"a","meaning":"guess"}]}`,
		"unit":     `{"format":"postdash-mapping","version":1,"header":["a"],"columns":[{"header":"a","meaning":"measure","unit":"stone"}]}`,
		"category": `{"format":"postdash-mapping","version":1,"header":["a"],"columns":[{"header":"a","meaning":"measure","category":"pigeons"}]}`,
		"header":   `{"format":"postdash-mapping","version":1,"header":["a"],"columns":[{"header":"b","meaning":"ignore"}]}`,
		"empty":    `{"format":"postdash-mapping","version":1,"header":[],"columns":[]}`,
	} {
		if _, err := ParseMapping([]byte(bad)); err == nil {
			t.Errorf("%s: accepted %s", name, bad)
		}
	}
}
