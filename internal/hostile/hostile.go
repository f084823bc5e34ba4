// Package hostile writes the files an attacker would upload to make one
// import cost gigabytes or minutes: each shape a few megabytes on disk (or
// a hundred for CSV) that unpacks or parses into far more. Tests send them
// through the real server and check that each is refused or read within
// bounds; small versions seed the fuzzers.
package hostile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// Shape is one hostile file.
type Shape struct {
	Name  string // short, for test names and the README table
	File  string // the name it is uploaded as (its extension decides the format)
	Write func(w io.Writer, scale float64) error
}

// WriteFile writes the shape at path; scale 1 is the full shape, a
// smaller one a small version of it (for fuzz seeds and quick tests).
func (s Shape) WriteFile(path string, scale float64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = s.Write(bw, scale)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", s.Name, err)
	}
	return nil
}

// Shapes lists every hostile shape: those of issue 15 first, then those
// found while bounding them.
func Shapes() []Shape {
	return []Shape{
		{"sst-200M-empty", "sst.xlsx", emptySharedStrings},
		{"csv-line-50M", "line.csv", longCSVLine},
		{"merges-40M", "merges.xlsx", manyMerges},
		{"bad-cells-15MB-string", "bad.xlsx", badCellsLongString(15<<20, 40)},
		{"header-search-30x16000", "header.xlsx", headerSearch},
		{"vertical-merges-200k", "vmerges.xlsx", verticalMerges},
		{"bad-cells-120KB-string", "bad2.xlsx", badCellsLongString(120_000, 2000)},
		{"csv-300k-unknown-partners", "partners.csv", unknownPartners},
		{"csv-unclosed-quote", "quote.csv", unclosedQuote},
		{"sheets-2000", "sheets.xlsx", manySheets},
		{"vertical-merge-pairs-200k", "pairs.xlsx", mergedPairs},
	}
}

func scaled(n int, scale float64) int { return max(1, int(float64(n)*scale)) }

const (
	nsMain  = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	nsRel   = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	nsPkg   = `http://schemas.openxmlformats.org/package/2006/relationships`
	xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`
)

// workbook is the parts of a workbook of n sheets (sheet1.xml …) and, when
// sst is not nil, shared strings.
func workbook(sheets [][]seg, sst []seg) []part {
	var names, rels strings.Builder
	for i := range sheets {
		fmt.Fprintf(&names, `<sheet name="S%d" sheetId="%d" r:id="rId%d"/>`, i+1, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, nsRel, i+1)
	}
	if sst != nil {
		fmt.Fprintf(&rels, `<Relationship Id="rIdS" Type="%s/sharedStrings" Target="sharedStrings.xml"/>`, nsRel)
	}
	parts := []part{
		partOf("[Content_Types].xml", once(xmlDecl+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
			`<Default Extension="xml" ContentType="application/xml"/>`+
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`)),
		partOf("_rels/.rels", once(xmlDecl+`<Relationships xmlns="`+nsPkg+`"><Relationship Id="rId1" Type="`+nsRel+`/officeDocument" Target="xl/workbook.xml"/></Relationships>`)),
		partOf("xl/workbook.xml", once(xmlDecl+`<workbook xmlns="`+nsMain+`" xmlns:r="`+nsRel+`"><sheets>`+names.String()+`</sheets></workbook>`)),
		partOf("xl/_rels/workbook.xml.rels", once(xmlDecl+`<Relationships xmlns="`+nsPkg+`">`+rels.String()+`</Relationships>`)),
	}
	for i, s := range sheets {
		parts = append(parts, partOf(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), s...))
	}
	if sst != nil {
		parts = append(parts, partOf("xl/sharedStrings.xml", sst...))
	}
	return parts
}

// sheetOpen and sheetClose wrap a sheet's rows.
const (
	sheetOpen  = xmlDecl + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><sheetData>`
	sheetClose = `</sheetData></worksheet>`
)

// table is a small valid long table: a header and one row of figures.
func table() string {
	return `<row r="1">` + is("A1", "Period") + is("B1", "Category") + is("C1", "Direction") + is("D1", "Items") + `</row>` +
		`<row r="2">` + is("A2", "2025-01") + is("B2", "letters") + is("C2", "inbound") + `<c r="D2"><v>5</v></c></row>`
}

// is is an inline-string cell.
func is(ref, text string) string {
	return `<c r="` + ref + `" t="inlineStr"><is><t>` + text + `</t></is></c>`
}

// emptySharedStrings: 200M empty <si/> (1 GB of XML in about a megabyte).
func emptySharedStrings(w io.Writer, scale float64) error {
	sheet := []seg{once(sheetOpen + table() + sheetClose)}
	sst := []seg{once(xmlDecl + `<sst xmlns="` + nsMain + `">`), times(`<si/>`, scaled(200_000_000, scale)), once(`</sst>`)}
	return writeZip(w, workbook([][]seg{sheet}, sst))
}

// manyMerges: 40M <mergeCell> after a small table.
func manyMerges(w io.Writer, scale float64) error {
	sheet := []seg{once(sheetOpen + table() + `</sheetData><mergeCells>`),
		times(`<mergeCell ref="E1:F1"/>`, scaled(40_000_000, scale)), once(`</mergeCells></worksheet>`)}
	return writeZip(w, workbook([][]seg{sheet}, nil))
}

// badCellsLongString: rows whose items cell is one long shared string, so
// every error would cite it.
func badCellsLongString(size, rows int) func(io.Writer, float64) error {
	return func(w io.Writer, scale float64) error {
		var b strings.Builder
		b.WriteString(sheetOpen + `<row r="1">` + is("A1", "Period") + is("B1", "Category") + is("C1", "Items") + `</row>`)
		n := scaled(rows, scale)
		for r := 2; r < n+2; r++ {
			fmt.Fprintf(&b, `<row r="%d">%s%s<c r="C%d" t="s"><v>0</v></c></row>`, r, is(fmt.Sprintf("A%d", r), "2025-01"), is(fmt.Sprintf("B%d", r), "letters"), r)
		}
		b.WriteString(sheetClose)
		sst := []seg{once(xmlDecl + `<sst xmlns="` + nsMain + `"><si><t>`), times("x", scaled(size, scale)), once(`</t></si></sst>`)}
		return writeZip(w, workbook([][]seg{{once(b.String())}}, sst))
	}
}

// headerSearch: 30 rows of 16,000 cells, each the same 4,000-character
// shared string, where the header is looked for.
func headerSearch(w io.Writer, scale float64) error {
	cols := scaled(16_000, scale)
	var row strings.Builder
	for c := 0; c < cols; c++ {
		row.WriteString(`<c t="s"><v>0</v></c>`)
	}
	sheet := []seg{once(sheetOpen), times(`<row>`+row.String()+`</row>`, 30), once(sheetClose)}
	word := strings.Repeat("Period Items ", 4000/13+1)[:4000]
	sst := []seg{once(xmlDecl + `<sst xmlns="` + nsMain + `"><si><t>` + word + `</t></si></sst>`)}
	return writeZip(w, workbook([][]seg{sheet}, sst))
}

// verticalMerges: a long table of 100k rows with 200k vertical merged
// ranges, each running from its row to the end of the table in the period
// or the category column (overlapping, as no spreadsheet program writes but
// any attacker can).
func verticalMerges(w io.Writer, scale float64) error {
	rows := scaled(100_000, scale)
	last := rows + 1
	var b strings.Builder
	b.WriteString(sheetOpen + `<row r="1">` + is("A1", "Period") + is("B1", "Category") + is("C1", "Direction") + is("D1", "Items") + `</row>`)
	for r := 2; r <= last; r++ {
		fmt.Fprintf(&b, `<row r="%d">%s%s%s<c r="D%d"><v>%d</v></c></row>`, r,
			is(fmt.Sprintf("A%d", r), fmt.Sprintf("2025-%02d", r%12+1)), is(fmt.Sprintf("B%d", r), "letters"),
			is(fmt.Sprintf("C%d", r), "inbound"), r, r%97)
	}
	b.WriteString(`</sheetData><mergeCells>`)
	for r := 2; r <= last; r++ {
		fmt.Fprintf(&b, `<mergeCell ref="A%d:A%d"/><mergeCell ref="B%d:B%d"/>`, r, last, r, last)
	}
	b.WriteString(`</mergeCells></worksheet>`)
	return writeZip(w, workbook([][]seg{{once(b.String())}}, nil))
}

// mergedPairs: a long table of 100k rows whose four columns are merged
// down in pairs, as a sheet with a value written once for two rows would
// be: 200k merged ranges that must be read, not refused.
func mergedPairs(w io.Writer, scale float64) error {
	rows := scaled(100_000, scale) &^ 1
	var b strings.Builder
	b.WriteString(sheetOpen + `<row r="1">` + is("A1", "Period") + is("B1", "Category") + is("C1", "Direction") + is("D1", "Items") + `</row>`)
	for r := 2; r < rows+2; r++ {
		fmt.Fprintf(&b, `<row r="%d">%s%s%s<c r="D%d"><v>%d</v></c></row>`, r,
			is(fmt.Sprintf("A%d", r), fmt.Sprintf("2025-%02d", r/2%12+1)), is(fmt.Sprintf("B%d", r), "letters"),
			is(fmt.Sprintf("C%d", r), "inbound"), r, r%97)
	}
	b.WriteString(`</sheetData><mergeCells>`)
	for r := 2; r < rows+2; r += 2 {
		for _, c := range "ABCD" {
			fmt.Fprintf(&b, `<mergeCell ref="%c%d:%c%d"/>`, c, r, c, r+1)
		}
	}
	b.WriteString(`</mergeCells></worksheet>`)
	return writeZip(w, workbook([][]seg{{once(b.String())}}, nil))
}

// manySheets: 2,000 small sheets.
func manySheets(w io.Writer, scale float64) error {
	n := scaled(2000, scale)
	sheets := make([][]seg, n)
	for i := range sheets {
		sheets[i] = []seg{once(sheetOpen + table() + sheetClose)}
	}
	return writeZip(w, workbook(sheets, nil))
}

// longCSVLine: a header and one line of 50M values "1," (100 MB).
func longCSVLine(w io.Writer, scale float64) error {
	if _, err := io.WriteString(w, "Period,Category,Direction,Items\n2025-01,letters,inbound,"); err != nil {
		return err
	}
	chunk := strings.Repeat("1,", 1<<16)
	for left := scaled(50_000_000, scale); left > 0; left -= 1 << 16 {
		if _, err := io.WriteString(w, chunk[:2*min(left, 1<<16)]); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// unknownPartners: 300k rows, each naming a partner nobody knows, each a
// warning.
func unknownPartners(w io.Writer, scale float64) error {
	if _, err := io.WriteString(w, "Period,Category,Direction,Partner,Items\n"); err != nil {
		return err
	}
	for i := range scaled(300_000, scale) {
		if _, err := fmt.Fprintf(w, "2025-01,letters,inbound,Nobody Post %d,%d\n", i, i%10+1); err != nil {
			return err
		}
	}
	return nil
}

// unclosedQuote: a quote opened in the first data row and never closed,
// over 30 MB of short lines.
func unclosedQuote(w io.Writer, scale float64) error {
	if _, err := io.WriteString(w, "Period,Category,Direction,Items\n2025-01,letters,inbound,\"1"); err != nil {
		return err
	}
	chunk := strings.Repeat("2,3\n", 1<<14)
	for left := scaled(30<<20, scale); left > 0; left -= len(chunk) {
		if _, err := io.WriteString(w, chunk); err != nil {
			return err
		}
	}
	return nil
}
