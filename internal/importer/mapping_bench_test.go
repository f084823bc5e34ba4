package importer

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"postdash/internal/sheet"
	"postdash/internal/store"
)

// mappingBenchRows is the size of the sheet the preview is timed on.
const mappingBenchRows = 100_000

// writeListSheet writes a list of n rows: a month, letters inbound in kg,
// and a third column headed head.
func writeListSheet(b *testing.B, path, head string, n int) {
	b.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"Month", "Letters inbound, kg", head}); err != nil {
		b.Fatal(err)
	}
	for i := range n {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{fmt.Sprintf("2025-%02d", i%12+1), float64(i%97) + 0.5, float64(i%13) / 4}); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPreviewMapping times the preview (a dry run with its diff) of a
// 100,000-row sheet whose third column the header names ("Parcels inbound,
// t"), against the same sheet whose third column only a saved mapping
// explains ("Foo bar"): the mapping costs its look-up once per table.
//
//	go test -run '^$' -bench PreviewMapping -count 3 ./internal/importer/
func BenchmarkPreviewMapping(b *testing.B) {
	dir := b.TempDir()
	named, unnamed := filepath.Join(dir, "named.xlsx"), filepath.Join(dir, "unnamed.xlsx")
	writeListSheet(b, named, "Parcels inbound, t", mappingBenchRows)
	writeListSheet(b, unnamed, "Foo bar", mappingBenchRows)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	im := New(st, sheet.Limits{}, nil)
	m := sheet.Mapping{Format: sheet.MappingFormat, Version: sheet.MappingVersion,
		Header:  []string{"Month", "Letters inbound, kg", "Foo bar"},
		Columns: []sheet.ColumnChoice{{Header: "Foo bar", Meaning: "measure", Category: "parcel", Direction: "inbound", Unit: "t"}}}
	for _, bc := range []struct {
		name, path string
		save       bool
	}{{"without_mapping", named, false}, {"with_mapping", unnamed, true}} {
		b.Run(bc.name, func(b *testing.B) {
			if bc.save {
				if _, err := im.SaveMapping(ctx, m, Actor{User: "bench"}, ActMappingUpload); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				out, err := im.Import(ctx, Request{Path: bc.path, FileName: filepath.Base(bc.path), DryRun: true})
				if err != nil || out.Status != StatusDryRun || out.Rows != mappingBenchRows || out.Facts != 24 {
					b.Fatalf("%v %s rows %d facts %d %+v", err, out.Status, out.Rows, out.Facts, out.Errors)
				}
				if (out.Mapping != nil) != bc.save {
					b.Fatalf("mapping %+v", out.Mapping)
				}
			}
			b.ReportMetric(float64(mappingBenchRows), "rows")
		})
	}
}
