package xlsx

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// fuzzSST gives shared-string cells in fuzzed sheets something to point at.
const fuzzSST = `<sst ` + nsMain + `><si><t>zero</t></si><si><r><t>o</t></r><r><t>ne</t></r></si><si><t>_x0032_</t></si></sst>`

// FuzzRows feeds arbitrary worksheet XML, packaged in a minimal workbook,
// to Rows and MergedRanges: they must not panic or hang, and where excelize
// also reads the sheet without error the cells must agree. Seeds live in
// testdata/fuzz/FuzzRows; run with: go test -fuzz FuzzRows -fuzztime 60s.
func FuzzRows(f *testing.F) {
	for _, s := range []string{
		sheetDoc(`<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1"><v>2.5</v></c></row>`),
		sheetDoc(`<row><c t="inlineStr"><is><t>a&amp;b</t></is></c><c t="b"><v>1</v></c></row>`),
		`<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="3"><x:c r="C3" t="str"><x:f>A1</x:f><x:v>q</x:v></x:c></x:row></x:sheetData><x:mergeCells><x:mergeCell ref="A1:B2"/></x:mergeCells></x:worksheet>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, sheetXML []byte) {
		data := zipBytes(t, minimalParts(string(sheetXML), fuzzSST)...)
		wb, err := OpenReader(bytes.NewReader(data), int64(len(data)), Limits{})
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		cells, unordered, ourErr := readFuzz(wb)
		if _, err := wb.MergedRanges("S"); err != nil && typedError(err) == nil {
			t.Fatalf("merges: untyped error %v", err)
		}
		if ourErr != nil {
			if typedError(ourErr) == nil {
				t.Fatalf("untyped error %v", ourErr)
			}
			return
		}
		// excelize silently drops what encoding/xml rejects, where we are
		// lenient; only well-formed XML has one right answer.
		// Rows or cells out of order or repeated derail excelize's streaming
		// reader (it places later cells at wrong columns); we sort them.
		if unordered || !wellFormed(sheetXML) {
			return
		}
		ref, ok := excelizeFuzzCells(data)
		if !ok {
			return
		}
		sortCells(ref)
		if d := diffCells(cells, ref); len(d) > 0 {
			t.Fatalf("differs from excelize:\n  %s", strings.Join(d, "\n  "))
		}
	})
}

// excelizeFuzzCells reads the sheet with excelize, reporting false when
// excelize fails or panics (then there is nothing to compare).
func excelizeFuzzCells(data []byte) (cells []refCell, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, false
	}
	defer f.Close()
	cells, err = excelizeCells(f, "S")
	return cells, err == nil
}

// wellFormed reports whether encoding/xml reads b to the end without error.
func wellFormed(b []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
	}
}

// readFuzz reads sheet S, reporting whether it met rows or cells out of order.
func readFuzz(wb *Workbook) ([]refCell, bool, error) {
	rows, err := wb.Rows(context.Background(), "S")
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	var out []refCell
	for rows.Next() {
		for _, c := range rows.Cells() {
			out = append(out, refCell{rows.Row(), c.Col, c.Value})
		}
	}
	return out, rows.unordered, rows.Err()
}
