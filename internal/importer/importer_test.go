package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"postdash/data"
	"postdash/internal/importer"
	"postdash/internal/postal"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

func newImporter(t *testing.T) (*importer.Importer, store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return importer.New(st, sheet.Limits{}, nil), st
}

func writeSample(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), data.SampleName)
	if err := os.WriteFile(p, data.Sample, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// longSheet writes a canonical long sheet with one row per (month, weight) given.
func longSheet(t *testing.T, name string, rows [][]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	head := []any{"Period", "Direction", "Partner", "Category", "Items", "Weight, kg"}
	if err := f.SetSheetRow("Sheet1", "A1", &head); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), name)
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func total(t *testing.T, st store.Store, where map[postal.Field][]string) store.Total {
	t.Helper()
	rows, err := st.Totals(context.Background(), store.Query{Where: where})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		return store.Total{}
	}
	return rows[0]
}

// TestSampleReproducesPublishedFigures is the anchor: the sample workbook's
// half-year totals are the published ones.
func TestSampleReproducesPublishedFigures(t *testing.T) {
	imp, st := newImporter(t)
	out, err := imp.Import(context.Background(), importer.Request{Path: writeSample(t), FileName: data.SampleName, User: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != importer.StatusCommitted {
		t.Fatalf("status %s (%s), errors %+v", out.Status, out.Message, out.Errors)
	}
	if out.Layout != "wide" {
		t.Errorf("layout %q, want wide", out.Layout)
	}
	letters := total(t, st, map[postal.Field][]string{postal.FieldCategory: {"letter_post"}})
	if letters.WeightKg != 3085 {
		t.Errorf("letter post in + out = %v kg, want 3085", letters.WeightKg)
	}
	reg := total(t, st, map[postal.Field][]string{postal.FieldCategory: {"registered_letter"}})
	if reg.Items != 6014 {
		t.Errorf("registered letters = %d items, want 6014", reg.Items)
	}
	ecom := total(t, st, map[postal.Field][]string{postal.FieldCategory: {"ecommerce"}, postal.FieldDirection: {"inbound"}})
	if ecom.WeightKg < 226000 || ecom.WeightKg > 227000 {
		t.Errorf("e-commerce inbound = %v kg, want 226 t or a little more", ecom.WeightKg)
	}
	for _, p := range postal.Partners {
		if total(t, st, map[postal.Field][]string{postal.FieldCategory: {"ecommerce"}, postal.FieldPartner: {p}}).WeightKg == 0 {
			t.Errorf("no e-commerce through %s", p)
		}
	}
	for _, m := range postal.Marketplaces {
		if total(t, st, map[postal.Field][]string{postal.FieldCategory: {"ecommerce"}, postal.FieldMarketplace: {m}}).WeightKg == 0 {
			t.Errorf("no e-commerce from %s", m)
		}
	}
	if out.Totals.Items != 6014 || out.Totals.WeightKg != 229585 {
		t.Errorf("outcome totals %+v, want 6014 items and 229585 kg", out.Totals)
	}
}

func TestDuplicateFileRefusedUntilUndone(t *testing.T) {
	imp, _ := newImporter(t)
	ctx := context.Background()
	path := writeSample(t)
	first, err := imp.Import(ctx, importer.Request{Path: path, FileName: data.SampleName, User: "a"})
	if err != nil || first.Status != importer.StatusCommitted {
		t.Fatalf("first import: %v %s", err, first.Status)
	}
	again, err := imp.Import(ctx, importer.Request{Path: path, FileName: "renamed.xlsx", User: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if again.Status != importer.StatusDuplicate || again.Batch != first.Batch || again.ExitCode() != 2 {
		t.Fatalf("second import: status %s batch %d exit %d, want duplicate of %d", again.Status, again.Batch, again.ExitCode(), first.Batch)
	}
	if err := imp.Undo(ctx, first.Batch, "a"); err != nil {
		t.Fatal(err)
	}
	third, err := imp.Import(ctx, importer.Request{Path: path, FileName: data.SampleName, User: "a"})
	if err != nil || third.Status != importer.StatusCommitted {
		t.Fatalf("after undo: %v %s", err, third.Status)
	}
}

func TestDryRunAndRejectedWriteNothing(t *testing.T) {
	imp, st := newImporter(t)
	ctx := context.Background()
	dry, err := imp.Import(ctx, importer.Request{Path: writeSample(t), FileName: data.SampleName, DryRun: true})
	if err != nil || dry.Status != importer.StatusDryRun || dry.ExitCode() != 0 {
		t.Fatalf("dry run: %v %s", err, dry.Status)
	}
	if dry.Facts == 0 || len(dry.Diff) == 0 {
		t.Errorf("dry run reports %d facts and %d changes, want some", dry.Facts, len(dry.Diff))
	}
	bad := longSheet(t, "bad.xlsx", [][]any{
		{"2025-01", "inbound", "China Post", "letters", 10, 5.5},
		{"2025-02", "inbound", "China Post", "letters", -3, "lots"},
	})
	rej, err := imp.Import(ctx, importer.Request{Path: bad, FileName: "bad.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	if rej.Status != importer.StatusRejected || rej.ExitCode() != 1 {
		t.Fatalf("status %s, want rejected", rej.Status)
	}
	cells := map[string]bool{}
	for _, e := range rej.Errors {
		cells[e.Cell] = true
		if e.Sheet != "Sheet1" || e.Text == "" {
			t.Errorf("error %+v lacks sheet or sentence", e)
		}
	}
	if !cells["E3"] || !cells["F3"] || rej.ErrorCount != 2 {
		t.Errorf("errors %+v, want E3 and F3", rej.Errors)
	}
	batches, err := st.Batches(ctx)
	if err != nil || len(batches) != 0 {
		t.Errorf("batches after dry run and rejection: %d (%v), want none", len(batches), err)
	}
}

func TestSupersedeDiffAndUndo(t *testing.T) {
	imp, st := newImporter(t)
	ctx := context.Background()
	jan := map[postal.Field][]string{postal.FieldPeriod: {"2025-01"}}
	feb := map[postal.Field][]string{postal.FieldPeriod: {"2025-02"}}
	first := longSheet(t, "v1.xlsx", [][]any{
		{"2025-01", "inbound", "China Post", "letters", nil, 100},
		{"2025-02", "inbound", "China Post", "letters", nil, 200},
	})
	o1, err := imp.Import(ctx, importer.Request{Path: first, FileName: "v1.xlsx"})
	if err != nil || o1.Status != importer.StatusCommitted {
		t.Fatalf("v1: %v %s %+v", err, o1.Status, o1.Errors)
	}
	revised := longSheet(t, "v2.xlsx", [][]any{
		{"2025-02", "inbound", "China Post", "letters", nil, 250},
		{"2025-03", "inbound", "China Post", "letters", nil, 300},
	})
	dry, err := imp.Import(ctx, importer.Request{Path: revised, FileName: "v2.xlsx", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, c := range dry.Diff {
		kinds[c.Month.String()] = c.Kind
		if c.Kind == importer.Changed && (c.Old == nil || c.Old.WeightKg != 200 || c.New.WeightKg != 250) {
			t.Errorf("changed %s: old %+v new %+v, want 200 -> 250", c.Month, c.Old, c.New)
		}
	}
	if kinds["2025-02"] != importer.Changed || kinds["2025-03"] != importer.Added || len(kinds) != 2 {
		t.Errorf("diff kinds %v, want 2025-02 changed and 2025-03 added", kinds)
	}
	o2, err := imp.Import(ctx, importer.Request{Path: revised, FileName: "v2.xlsx"})
	if err != nil || o2.Status != importer.StatusCommitted {
		t.Fatalf("v2: %v %s", err, o2.Status)
	}
	if got := total(t, st, jan).WeightKg; got != 100 {
		t.Errorf("January after v2 = %v, want 100 (untouched)", got)
	}
	if got := total(t, st, feb).WeightKg; got != 250 {
		t.Errorf("February after v2 = %v, want 250 (superseded)", got)
	}
	if err := imp.Undo(ctx, o2.Batch, "t"); err != nil {
		t.Fatal(err)
	}
	if got := total(t, st, feb).WeightKg; got != 200 {
		t.Errorf("February after undo = %v, want 200 back", got)
	}
	if got := total(t, st, nil).WeightKg; got != 300 {
		t.Errorf("all after undo = %v, want 300", got)
	}
}

func TestRefusedFiles(t *testing.T) {
	imp, _ := newImporter(t)
	dir := t.TempDir()
	cases := map[string][]byte{
		"old.xls":    {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0},
		"empty.xlsx": {},
		"notes.xlsx": []byte("just some text, not a workbook"),
		"doc.pdf":    []byte("%PDF-1.4"),
	}
	for name, content := range cases {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, content, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := imp.Import(context.Background(), importer.Request{Path: p, FileName: name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if out.Status != importer.StatusRefused || out.Message == "" || out.ExitCode() != 2 {
			t.Errorf("%s: status %s message %q, want refused with a sentence", name, out.Status, out.Message)
		}
	}
}

// Section 7: "Undoing a batch brings back exactly what it superseded", in
// any order: a batch superseded later stays superseded when an older one is
// undone, and an undone batch is never brought back.
func TestUndoInAnyOrder(t *testing.T) {
	imp, st := newImporter(t)
	ctx := context.Background()
	feb := map[postal.Field][]string{postal.FieldPeriod: {"2025-02"}}
	var ids []int64
	for i, kg := range []float64{200, 250, 300} {
		name := []string{"v1.xlsx", "v2.xlsx", "v3.xlsx"}[i]
		p := longSheet(t, name, [][]any{{"2025-02", "inbound", "China Post", "letters", nil, kg}})
		o, err := imp.Import(ctx, importer.Request{Path: p, FileName: name})
		if err != nil || o.Status != importer.StatusCommitted {
			t.Fatalf("%s: %v %s", name, err, o.Status)
		}
		ids = append(ids, o.Batch)
	}
	steps := []struct {
		undo int64
		want float64
	}{
		{ids[1], 300}, // v2 was superseded by v3: v3 stays
		{ids[2], 200}, // v3 undone: v2 is undone too, so v1 comes back
		{ids[0], 0},   // nothing left
	}
	for _, s := range steps {
		if err := imp.Undo(ctx, s.undo, "t"); err != nil {
			t.Fatal(err)
		}
		if got := total(t, st, feb).WeightKg; got != s.want {
			t.Errorf("after undoing batch %d: %v kg, want %v", s.undo, got, s.want)
		}
	}
}

// Section 7: "for every series that a batch holds, it supersedes what
// earlier batches said for that series and month; everything else stays":
// a batch holding only items of a series still replaces the whole series.
func TestSupersedeIsPerSeriesAndMonth(t *testing.T) {
	imp, st := newImporter(t)
	ctx := context.Background()
	v1 := longSheet(t, "v1.xlsx", [][]any{
		{"2025-02", "inbound", "China Post", "letters", 10, 100},
		{"2025-02", "outbound", "China Post", "letters", 1, 5},
	})
	v2 := longSheet(t, "v2.xlsx", [][]any{{"2025-02", "inbound", "China Post", "letters", 12, nil}})
	for _, p := range []string{v1, v2} {
		if o, err := imp.Import(ctx, importer.Request{Path: p, FileName: filepath.Base(p)}); err != nil || o.Status != importer.StatusCommitted {
			t.Fatalf("%s: %v %s", p, err, o.Status)
		}
	}
	in := total(t, st, map[postal.Field][]string{postal.FieldDirection: {"inbound"}})
	out := total(t, st, map[postal.Field][]string{postal.FieldDirection: {"outbound"}})
	if in.Items != 12 || in.WeightKg != 0 || out.Items != 1 || out.WeightKg != 5 {
		t.Errorf("inbound %+v (want 12 items, no weight), outbound %+v (want untouched)", in, out)
	}
}

// Section 7: "Warnings (unknown partner, total-row mismatch, skipped sheet)
// do not stop an import."
func TestWarningsDoNotStopAnImport(t *testing.T) {
	imp, st := newImporter(t)
	f := excelize.NewFile()
	defer f.Close()
	for ref, v := range map[string]any{
		"A1": "Period", "B1": "Partner", "C1": "Parcels, pcs",
		"A2": "2025-01", "B2": "Royal Mail", "C2": 5,
		"A3": "Total", "C3": 6,
	} {
		if err := f.SetCellValue("Sheet1", ref, v); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.NewSheet("Notes"); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "w.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	out, err := imp.Import(context.Background(), importer.Request{Path: p, FileName: "w.xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != importer.StatusCommitted || out.ExitCode() != 0 || len(out.Warnings) != 3 {
		t.Fatalf("status %s, warnings %+v; want committed with 3 warnings", out.Status, out.Warnings)
	}
	if got := total(t, st, map[postal.Field][]string{postal.FieldPartner: {"Royal Mail"}}).Items; got != 5 {
		t.Errorf("Royal Mail parcels = %d, want 5", got)
	}
}

// TestBatchRecordsCanonicalDefaults: the defaults a batch records are the
// values its facts got ("China Post" typed is china_post), so the batches
// list and the figures agree.
func TestBatchRecordsCanonicalDefaults(t *testing.T) {
	imp, st := newImporter(t)
	ctx := context.Background()
	p := longSheet(t, "march.xlsx", [][]any{{"2025-03", "", "", "parcels", 7, 1.5}})
	out, err := imp.Import(ctx, importer.Request{Path: p, FileName: "march.xlsx", User: "ali",
		Defaults: sheet.Defaults{Direction: postal.Inbound, Partner: " China Post ", Marketplace: "Шейн"}})
	if err != nil || out.Status != importer.StatusCommitted {
		t.Fatalf("import: %v %s %s", err, out.Status, out.Message)
	}
	bs, err := st.Batches(ctx)
	if err != nil || len(bs) != 1 {
		t.Fatalf("batches %+v, %v", bs, err)
	}
	if b := bs[0]; b.Direction != "inbound" || b.Partner != "china_post" || b.Marketplace != "shein" {
		t.Errorf("batch records defaults %q, %q, %q; want inbound, china_post, shein", b.Direction, b.Partner, b.Marketplace)
	}
	if tot := total(t, st, map[postal.Field][]string{postal.FieldPartner: {"china_post"}, postal.FieldMarketplace: {"shein"}}); tot.Items != 7 {
		t.Errorf("china_post/shein items = %d, want 7", tot.Items)
	}
}
