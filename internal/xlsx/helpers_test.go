package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// part is one zip member of a hand-built package.
type part struct{ name, body string }

// writeZip writes the parts into a zip file in dir and returns its path.
func writeZip(t testing.TB, dir string, parts ...part) string {
	t.Helper()
	path := filepath.Join(dir, "book.xlsx")
	if err := os.WriteFile(path, zipBytes(t, parts...), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func zipBytes(t testing.TB, parts ...part) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relNS  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
)

// minimalParts is a one-sheet package around the given sheet XML and shared
// strings XML (omitted when empty).
func minimalParts(sheetXML, sstXML string) []part {
	wbRels := `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="` + relNS + `/worksheet" Target="worksheets/sheet1.xml"/>`
	if sstXML != "" {
		wbRels += `<Relationship Id="rId2" Type="` + relNS + `/sharedStrings" Target="sharedStrings.xml"/>`
	}
	wbRels += `</Relationships>`
	parts := []part{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + relNS + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook ` + nsMain + `><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", wbRels},
		{"xl/worksheets/sheet1.xml", sheetXML},
	}
	if sstXML != "" {
		parts = append(parts, part{"xl/sharedStrings.xml", sstXML})
	}
	return parts
}

// gotCell is a cell with its row, as the tests compare them.
type gotCell struct {
	Row, Col int
	Type     CellType
	Value    string
}

// readAll reads every cell of a sheet with our reader.
func readAll(t testing.TB, wb *Workbook, sheet string) ([]gotCell, error) {
	t.Helper()
	rows, err := wb.Rows(context.Background(), sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gotCell
	for rows.Next() {
		for _, c := range rows.Cells() {
			out = append(out, gotCell{rows.Row(), c.Col, c.Type, c.Value})
		}
	}
	return out, rows.Err()
}

// readSheetXML builds a one-sheet workbook around sheetXML and reads it.
func readSheetXML(t testing.TB, sheetXML, sstXML string) ([]gotCell, error) {
	t.Helper()
	path := writeZip(t, t.TempDir(), minimalParts(sheetXML, sstXML)...)
	wb, err := Open(path, Limits{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer wb.Close()
	return readAll(t, wb, "S")
}
