package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"unicode/utf16"
)

// fakeCFB is a compound-file header followed by one directory sector
// holding entries with the given names; the FAT is garbage that loops.
func fakeCFB(names ...string) []byte {
	b := make([]byte, 512*3)
	copy(b, magicCFB)
	binary.LittleEndian.PutUint16(b[30:], 9) // 512-byte sectors
	binary.LittleEndian.PutUint32(b[48:], 0) // first directory sector: itself, forever
	for i := 76; i < 512; i += 4 {
		binary.LittleEndian.PutUint32(b[i:], 0)
	}
	for i, n := range names {
		e := b[512+128*i:]
		name := cfbEntryName(n)
		copy(e, name)
		binary.LittleEndian.PutUint16(e[64:], uint16(len(name)))
	}
	return b
}

// hugeDeclaredZip is a zip whose one member claims to inflate to size bytes.
func hugeDeclaredZip(t *testing.T, size uint64) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: 2, UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{3, 0})
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// manyPartsZip is a bare central directory of 131,072 entries whose
// end record claims zero of them (archive/zip checks the count modulo
// 65,536 only): the entries themselves must be counted and refused.
func manyPartsZip() []byte {
	const n = 131072
	b := make([]byte, 4, 4+46*n+22)
	copy(b, "PK\x03\x04")
	entry := make([]byte, 46)
	copy(entry, "PK\x01\x02")
	for range n {
		b = append(b, entry...)
	}
	end := make([]byte, 22)
	copy(end, "PK\x05\x06")
	binary.LittleEndian.PutUint32(end[12:], 46*n)
	binary.LittleEndian.PutUint32(end[16:], 4)
	return append(b, end...)
}

func TestOpenRefuses(t *testing.T) {
	good := zipBytes(t, minimalParts(sheetDoc(""), "")...)
	tests := []struct {
		name string
		data []byte
		lim  Limits
		want error
	}{
		{"empty file", nil, Limits{}, ErrCorrupt},
		{"plain text", []byte("Attachment not found!\n"), Limits{}, ErrNotOOXML},
		{"csv", []byte("a;b\n1;2\n"), Limits{}, ErrNotOOXML},
		{"encrypted OOXML", fakeCFB("Root Entry", "EncryptionInfo", "EncryptedPackage"), Limits{}, ErrEncrypted},
		{"legacy xls", fakeCFB("Root Entry", "Workbook", "\x05SummaryInformation"), Limits{}, ErrLegacyXLS},
		{"damaged compound file", fakeCFB(), Limits{}, ErrLegacyXLS},
		{"word document", fakeCFB("Root Entry", "WordDocument", "1Table"), Limits{}, ErrNotOOXML},
		{"raw BIFF4 stream", []byte{0x09, 0x04, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00}, Limits{}, ErrLegacyXLS},
		{"truncated zip", good[:len(good)/2], Limits{}, ErrCorrupt},
		{"docx", zipBytes(t, part{"word/document.xml", "<w/>"}), Limits{}, ErrNotOOXML},
		{"main part not a workbook", zipBytes(t, part{"_rels/.rels", `<Relationships><Relationship Id="r" Type="x/officeDocument" Target="doc/main.xml"/></Relationships>`},
			part{"doc/_rels/main.xml.rels", "<Relationships/>"}, part{"doc/main.xml", "<document/>"}), Limits{}, ErrNotOOXML},
		{"empty zip", zipBytes(t), Limits{}, ErrNotOOXML},
		{"xlsb", zipBytes(t, part{"xl/workbook.bin", "\x83\x01"}), Limits{}, ErrXLSB},
		{"ods", zipBytes(t, part{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
			part{"content.xml", "<office:document-content/>"}), Limits{}, ErrODS},
		{"numbers", zipBytes(t, part{"Book.numbers/Index.zip", "PK"}, part{"Book.numbers/Metadata/DocumentIdentifier", "x"}), Limits{}, ErrNumbers},
		{"over the inflation limit", good, Limits{MaxInflatedBytes: 100}, ErrTooLarge},
		{"missing workbook rels", zipBytes(t, minimalParts(sheetDoc(""), "")[:3]...), Limits{}, ErrCorrupt},
		{"declares 4 GiB", hugeDeclaredZip(t, 4<<30), Limits{}, ErrTooLarge},
		{"131,072 parts claiming none", manyPartsZip(), Limits{}, ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f.xlsx")
			if err := os.WriteFile(path, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			wb, err := Open(path, tc.lim)
			if err == nil {
				wb.Close()
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestFormatErrorsWrapNotOOXML(t *testing.T) {
	for _, err := range []error{ErrXLSB, ErrODS, ErrNumbers} {
		if !errors.Is(err, ErrNotOOXML) {
			t.Errorf("%v does not wrap ErrNotOOXML", err)
		}
	}
}

// TestZipBombRefusedFast checks that a 4 GiB declaration costs no memory:
// the refusal reads only the zip directory, never a byte of the bomb.
func TestZipBombRefusedFast(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bomb.xlsx")
	if err := os.WriteFile(path, hugeDeclaredZip(t, 4<<30), 0o600); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Open(path, Limits{MaxInflatedBytes: 1 << 30})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("refusal allocated %d bytes", alloc)
	}
}

// TestLyingSizeStopsAtDeclared feeds a sheet that declares 1 KiB but
// deflates to 16 MiB of text: reading stops at the declared size.
func TestLyingSizeStopsAtDeclared(t *testing.T) {
	parts := minimalParts("", "")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts[:4] {
		w, _ := zw.Create(p.name)
		w.Write([]byte(p.body))
	}
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestSpeed)
	fw.Write([]byte(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`))
	fw.Write(make([]byte, 16<<20))
	fw.Close()
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: uint64(deflated.Len()), UncompressedSize64: 1024})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(deflated.Bytes())
	zw.Close()
	path := filepath.Join(t.TempDir(), "liar.xlsx")
	os.WriteFile(path, buf.Bytes(), 0o600)
	wb, err := Open(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if _, err := readAll(t, wb, "S"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
}

func TestWorkbookStructure(t *testing.T) {
	const strictRel = "http://purl.oclc.org/ooxml/officeDocument/relationships"
	rels := func(typ string, rs ...[3]string) string {
		s := `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
		for _, r := range rs {
			s += `<Relationship Id="` + r[0] + `" Type="` + typ + `/` + r[1] + `" Target="` + r[2] + `"/>`
		}
		return s + `</Relationships>`
	}
	sheet := sheetDoc(`<row r="1"><c r="A1"><v>1</v></c></row>`)
	tests := []struct {
		name       string
		parts      []part
		wantSheets []SheetInfo
		want1904   bool
	}{
		{
			name: "strict, absolute targets, odd part names, visibility, chartsheet",
			parts: []part{
				{"_rels/.rels", rels(strictRel, [3]string{"rId1", "officeDocument", "/xl/workbook.xml"})},
				{"xl/workbook.xml", "\ufeff" + `<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main" xmlns:r="` + strictRel + `">` +
					`<workbookPr date1904="true"/><sheets><sheet name="A &amp; B" sheetId="1" r:id="rId1"/>` +
					`<sheet name="Chart" sheetId="2" r:id="rId2"/><sheet name="H" sheetId="3" state="hidden" r:id="rId3"/>` +
					`<sheet name="VH" sheetId="4" state="veryHidden" r:id="rId4"/></sheets></workbook>`},
				{"xl/_rels/workbook.xml.rels", rels(strictRel, [3]string{"rId1", "worksheet", "/xl/worksheets/sheet.xml"},
					[3]string{"rId2", "chartsheet", "chartsheets/sheet1.xml"}, [3]string{"rId3", "worksheet", "worksheets/h.xml"},
					[3]string{"rId4", "worksheet", "./worksheets/../worksheets/vh.xml"})},
				{"xl/worksheets/sheet.xml", sheet}, {"xl/worksheets/h.xml", sheet}, {"xl/worksheets/vh.xml", sheet},
				{"xl/chartsheets/sheet1.xml", "<chartsheet/>"},
			},
			wantSheets: []SheetInfo{{"A & B", Visible}, {"H", Hidden}, {"VH", VeryHidden}},
			want1904:   true,
		},
		{
			name: "x prefixes, backslash member names, no package rels, date1904=1",
			parts: []part{
				{`xl\workbook.xml`, `<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="` + relNS + `">` +
					`<x:workbookPr date1904="1"/><x:sheets><x:sheet name="Лист1" sheetId="1" r:id="R1a2b"/></x:sheets></x:workbook>`},
				{`xl\_rels\workbook.xml.rels`, rels(relNS, [3]string{"R1a2b", "worksheet", "worksheets/sheet1.xml"})},
				{`xl\worksheets\sheet1.xml`, sheet},
			},
			wantSheets: []SheetInfo{{"Лист1", Visible}},
			want1904:   true,
		},
		{
			name:       "date1904 false",
			parts:      minimalParts(sheet, ""),
			wantSheets: []SheetInfo{{"S", Visible}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wb, err := Open(writeZip(t, t.TempDir(), tc.parts...), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			if got := wb.Sheets(); !reflect.DeepEqual(got, tc.wantSheets) {
				t.Errorf("Sheets() = %+v, want %+v", got, tc.wantSheets)
			}
			if got := wb.Date1904(); got != tc.want1904 {
				t.Errorf("Date1904() = %v, want %v", got, tc.want1904)
			}
			for _, s := range tc.wantSheets {
				cells, err := readAll(t, wb, s.Name)
				if err != nil || len(cells) != 1 || cells[0].Value != "1" {
					t.Errorf("sheet %q: cells %+v, err %v", s.Name, cells, err)
				}
			}
			if _, err := wb.Rows(context.Background(), "Chart"); err == nil {
				t.Error("Rows of a chartsheet did not fail")
			}
		})
	}
}

// magicCFB opens a compound file.
const magicCFB = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"

// cfbEntryName is name as a directory entry holds it: UTF-16LE with a
// terminating zero.
func cfbEntryName(name string) []byte {
	u := utf16.Encode([]rune(name))
	b := make([]byte, 0, 2*len(u)+2)
	for _, c := range u {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return append(b, 0, 0)
}
