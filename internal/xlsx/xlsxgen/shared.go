package xlsxgen

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// WriteFile writes the manifest workbook to path.
func (m Manifest) WriteFile(path string) error { return writeFile(path, m.Write) }

// Write writes the manifest workbook.
func (m Manifest) Write(w io.Writer) error {
	if m.Inline {
		return m.writeExcelize(w)
	}
	return writeShared(w, m.sheetName(), m.Date1904, func(sw *sheetWriter) {
		sw.row(1)
		for c, h := range ManifestHeader() {
			sw.str(c, h)
		}
		sw.endRow()
		for i := range m.Rows {
			r := m.Record(i)
			sw.row(i + 2)
			sw.num(0, strconv.Itoa(Serial(r.Date, m.Date1904)), styleDate)
			sw.str(1, r.Direction)
			sw.str(2, r.Partner)
			sw.str(3, r.Category)
			if r.Marketplace != "" {
				sw.str(4, r.Marketplace)
			}
			sw.num(5, strconv.Itoa(r.Items), 0)
			sw.num(6, r.WeightKg(), 0)
			sw.endRow()
		}
	})
}

// WriteFile writes the wide workbook to path.
func (wd Wide) WriteFile(path string) error { return writeFile(path, wd.Write) }

// Write writes the wide workbook.
func (wd Wide) Write(w io.Writer) error {
	if wd.Inline {
		return wd.writeExcelize(w)
	}
	return writeShared(w, wd.sheetName(), false, func(sw *sheetWriter) {
		sw.row(1)
		for c, h := range wd.Header() {
			sw.str(c, h)
		}
		sw.endRow()
		for i := range wd.Rows {
			sw.row(i + 2)
			sw.str(0, wd.Period(i))
			for c := range wd.Cols {
				if v := wd.Value(i, c); v >= 0 {
					sw.num(c+1, strconv.Itoa(v), 0)
				}
			}
			sw.endRow()
		}
	})
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create workbook: %w", err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write workbook: %w", err)
	}
	return f.Close()
}

// Style indexes in the fixed styles part.
const (
	styleDate = 1 // numFmtId 14, the short date format
)

// sheetWriter streams one worksheet's rows with shared strings, the way
// Excel itself stores text.
type sheetWriter struct {
	w      *bufio.Writer
	rowNum int
	buf    []byte
	sst    map[string]int
	strs   []string
}

func (sw *sheetWriter) row(n int) {
	sw.rowNum = n
	sw.buf = append(sw.buf[:0], `<row r="`...)
	sw.buf = strconv.AppendInt(sw.buf, int64(n), 10)
	sw.buf = append(sw.buf, `">`...)
}

func (sw *sheetWriter) ref(col int) {
	sw.buf = append(sw.buf, `<c r="`...)
	sw.buf = appendCol(sw.buf, col)
	sw.buf = strconv.AppendInt(sw.buf, int64(sw.rowNum), 10)
	sw.buf = append(sw.buf, '"')
}

func (sw *sheetWriter) str(col int, s string) {
	idx, ok := sw.sst[s]
	if !ok {
		idx = len(sw.strs)
		sw.sst[s] = idx
		sw.strs = append(sw.strs, s)
	}
	sw.ref(col)
	sw.buf = append(sw.buf, ` t="s"><v>`...)
	sw.buf = strconv.AppendInt(sw.buf, int64(idx), 10)
	sw.buf = append(sw.buf, `</v></c>`...)
}

func (sw *sheetWriter) num(col int, v string, style int) {
	sw.ref(col)
	if style != 0 {
		sw.buf = append(sw.buf, ` s="`...)
		sw.buf = strconv.AppendInt(sw.buf, int64(style), 10)
		sw.buf = append(sw.buf, '"')
	}
	sw.buf = append(sw.buf, `><v>`...)
	sw.buf = append(sw.buf, v...)
	sw.buf = append(sw.buf, `</v></c>`...)
}

func (sw *sheetWriter) endRow() {
	sw.buf = append(sw.buf, `</row>`...)
	sw.w.Write(sw.buf)
}

// appendCol appends the letters of a 0-based column.
func appendCol(b []byte, col int) []byte {
	var tmp [4]byte
	i := len(tmp)
	for col++; col > 0; col = (col - 1) / 26 {
		i--
		tmp[i] = byte('A' + (col-1)%26)
	}
	return append(b, tmp[i:]...)
}

const (
	nsMain = `http://schemas.openxmlformats.org/spreadsheetml/2006/main`
	nsRel  = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	nsPkg  = `http://schemas.openxmlformats.org/package/2006/relationships`
	ctBase = `application/vnd.openxmlformats-officedocument.spreadsheetml.`
)

// writeShared writes a one-sheet workbook whose rows come from body.
func writeShared(w io.Writer, sheet string, date1904 bool, body func(*sheetWriter)) error {
	zw := zip.NewWriter(w)
	put := func(name, content string) error {
		pw, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(pw, content)
		return err
	}
	pr := `<workbookPr/>`
	if date1904 {
		pr = `<workbookPr date1904="1"/>`
	}
	fixed := []struct{ name, content string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="` + ctBase + `sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="` + ctBase + `worksheet+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="` + ctBase + `styles+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="` + ctBase + `sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="` + nsPkg + `">` +
			`<Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">` +
			pr + `<sheets><sheet name="` + xmlEscape(sheet) + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="` + nsPkg + `">` +
			`<Relationship Id="rId1" Type="` + nsRel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + nsRel + `/styles" Target="styles.xml"/>` +
			`<Relationship Id="rId3" Type="` + nsRel + `/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/styles.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="` + nsMain + `">` +
			`<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
			`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
			`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
			`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
			`<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
			`<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`},
	}
	for _, p := range fixed {
		if err := put(p.name, p.content); err != nil {
			return fmt.Errorf("write %s: %w", p.name, err)
		}
	}
	pw, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return fmt.Errorf("write sheet: %w", err)
	}
	bw := bufio.NewWriterSize(pw, 256<<10)
	sw := &sheetWriter{w: bw, sst: make(map[string]int)}
	bw.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><sheetData>`)
	body(sw)
	bw.WriteString(`</sheetData></worksheet>`)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write sheet: %w", err)
	}
	var sst strings.Builder
	fmt.Fprintf(&sst, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst xmlns="%s" uniqueCount="%d">`, nsMain, len(sw.strs))
	for _, s := range sw.strs {
		sst.WriteString(`<si><t>` + xmlEscape(s) + `</t></si>`)
	}
	sst.WriteString(`</sst>`)
	if err := put("xl/sharedStrings.xml", sst.String()); err != nil {
		return fmt.Errorf("write shared strings: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
