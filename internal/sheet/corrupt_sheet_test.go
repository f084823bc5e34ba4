package sheet

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// truncatePart rewrites the workbook at path so that the deflated stream of
// the member named part keeps only keep/10 of its bytes, as in a file cut
// short in transit.
func truncatePart(t *testing.T, path, part string, keep int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, m := range zr.File {
		rc, err := m.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if m.Name != part {
			w, _ := zw.Create(m.Name)
			_, _ = w.Write(body)
			continue
		}
		var deflated bytes.Buffer
		fw, _ := flate.NewWriter(&deflated, flate.BestSpeed)
		_, _ = fw.Write(body)
		fw.Close()
		cut := deflated.Bytes()[:deflated.Len()*keep/10]
		w, err := zw.CreateRaw(&zip.FileHeader{Name: m.Name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(body),
			CompressedSize64: uint64(len(cut)), UncompressedSize64: uint64(len(body))})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(cut)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A sheet cut short within its rows is a damaged file: the whole file is
// refused, never imported without that sheet (the pass for merged ranges
// meets the damage too, and must not turn it into a skipped sheet).
func TestTruncatedSheetRefusesTheFile(t *testing.T) {
	tests := []struct {
		name   string
		keep   int // tenths of the sheet's compressed bytes left
		merged bool
	}{
		{"cut early", 1, false},
		{"cut halfway", 5, false},
		{"cut halfway, with merges", 5, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := excelize.NewFile()
			defer f.Close()
			set(t, f, "Sheet1", map[string]any{"A1": "Period", "B1": "Parcels, pcs", "A2": "2025-01", "B2": 5})
			if _, err := f.NewSheet("Sheet2"); err != nil {
				t.Fatal(err)
			}
			cells := map[string]any{"A1": "Period", "B1": "Parcels, pcs", "C1": "Note"}
			for r := 2; r < 3000; r++ {
				cells["A"+strconv.Itoa(r)] = "2024-" + []string{"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"}[r%12]
				cells["B"+strconv.Itoa(r)] = r
				cells["C"+strconv.Itoa(r)] = strings.Repeat("note ", r%7+1) + strconv.Itoa(r*7919)
			}
			set(t, f, "Sheet2", cells)
			if tt.merged {
				if err := f.MergeCell("Sheet2", "C2", "C3"); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(t.TempDir(), "book.xlsx")
			if err := f.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			truncatePart(t, path, "xl/worksheets/sheet2.xml", tt.keep)
			res, err := ReadFile(context.Background(), path, "book.xlsx", testOpts())
			var re *RefusedError
			if !errors.As(err, &re) || re.Key != keyRefusedCorrupt {
				t.Fatalf("got %+v, %v; want the file refused as %s", res, err, keyRefusedCorrupt)
			}
		})
	}
}
