package ods

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

const nsDecl = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ` +
	`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
	`xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"`

// content is a content.xml whose body holds tables.
func content(tables string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><office:document-content ` + nsDecl + `><office:automatic-styles>` +
		`<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>` +
		`</office:automatic-styles><office:body><office:spreadsheet>` + tables + `</office:spreadsheet></office:body></office:document-content>`
}

func odsZip(t testing.TB, members map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"mimetype", "META-INF/manifest.xml", "content.xml"} {
		body, ok := members[name]
		if !ok {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func odsOf(t testing.TB, tables string) []byte {
	return odsZip(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
		"META-INF/manifest.xml": `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>`,
		"content.xml":           content(tables)})
}

// readAll reads every table: R1C1=type:value lines (a * marks a date), merges.
func readAll(data []byte, lim Limits) ([]string, error) {
	wb, err := OpenReader(bytes.NewReader(data), int64(len(data)), lim)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range wb.Sheets() {
		out = append(out, fmt.Sprintf("table %s hidden=%v", s.Name, s.Hidden))
		rows, err := wb.Rows(context.Background(), s.Name)
		if err != nil {
			return out, err
		}
		for rows.Next() {
			for _, c := range rows.Cells() {
				mark := ""
				if c.Date {
					mark = "*"
				}
				out = append(out, fmt.Sprintf("R%dC%d=%d:%s%s", rows.Row()+1, c.Col+1, c.Type, c.Value, mark))
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return out, err
		}
		ms, _ := wb.MergedRanges(s.Name)
		for _, m := range ms {
			out = append(out, fmt.Sprintf("merge %d,%d-%d,%d", m.FirstRow, m.FirstCol, m.LastRow, m.LastCol))
		}
	}
	return out, nil
}

func TestValuesRepeatsAndMerges(t *testing.T) {
	tables := `<table:table table:name="Данные"><table:table-column table:number-columns-repeated="3"/>` +
		`<table:table-row><table:table-cell office:value-type="float" office:value="1234.5"><text:p>1 234,5</text:p></table:table-cell>` +
		`<table:table-cell office:value-type="percentage" office:value="0.15"><text:p>15%</text:p></table:table-cell>` +
		`<table:table-cell office:value-type="currency" office:currency="UZS" office:value="-3"><text:p>-3 сўм</text:p></table:table-cell></table:table-row>` +
		`<table:table-row><table:table-cell office:value-type="date" office:date-value="2025-03-01"><text:p>март 2025</text:p></table:table-cell>` +
		`<table:table-cell office:value-type="date" office:date-value="2025-03-01T12:00:00"/>` +
		`<table:table-cell office:value-type="time" office:time-value="PT06H00M00S"/>` +
		`<table:table-cell office:value-type="boolean" office:boolean-value="true"/>` +
		`<table:table-cell office:value-type="float" office:value="1" calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell></table:table-row>` +
		`<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="2"/>b<text:tab/>c</text:p><text:p>line <text:span>two</text:span><text:line-break/>x</text:p>` +
		`<office:annotation><text:p>a note</text:p></office:annotation></table:table-cell>` +
		`<table:table-cell table:number-columns-repeated="1000000"/></table:table-row>` +
		`<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>` +
		`<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="7"/></table:table-row>` +
		`<table:table-row><table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="2" office:value-type="string"><text:p>merged</text:p></table:table-cell>` +
		`<table:covered-table-cell office:value-type="string"><text:p>kept</text:p></table:covered-table-cell></table:table-row>` +
		`</table:table><table:table table:name="Hidden" table:style-name="ta2"><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>`
	got, err := readAll(odsOf(t, tables), Limits{})
	if err != nil {
		t.Fatalf("%v (read %q)", err, got)
	}
	want := []string{
		"table Данные hidden=false",
		"R1C1=0:1234.5", "R1C2=0:0.15", "R1C3=0:-3",
		// 2025-03-01 is serial 45717 in the 1900 system; noon adds half a day.
		"R2C1=0:45717*", "R2C2=0:45717.5*", "R2C3=0:0.25*", "R2C4=2:1", "R2C5=3:#DIV/0!",
		"R3C1=1:a  b\tc\nline two\nx",
		"R1048004C1=0:7", "R1048004C2=0:7", "R1048005C1=0:7", "R1048005C2=0:7",
		"R1048006C1=1:merged", "R1048006C2=1:kept",
		"merge 1048005,0-1048006,1",
		"table Hidden hidden=true", "R1C1=0:1",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("read:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDateSerials(t *testing.T) {
	// Excel's serials, as Excel shows them: 1 is 1900-01-01, 60 the
	// 1900-02-29 that never was, 61 is 1900-03-01.
	for v, want := range map[string]float64{"1900-01-01": 1, "1900-02-28": 59, "1900-03-01": 61, "1904-01-01": 1462, "2025-01-01": 45658} {
		if got, ok := dateSerial(v); !ok || got != want {
			t.Errorf("dateSerial(%s) = %v, %v; want %v", v, got, ok, want)
		}
	}
	for v, want := range map[string]float64{"PT12H": 0.5, "PT36H": 1.5, "P1DT6H": 1.25, "-PT6H": -0.25} {
		if got, ok := durationDays(v); !ok || got != want {
			t.Errorf("durationDays(%s) = %v, %v; want %v", v, got, ok, want)
		}
	}
}

func TestRefusals(t *testing.T) {
	row := func(cells string) string {
		return `<table:table table:name="S"><table:table-row>` + cells + `</table:table-row></table:table>`
	}
	tests := []struct {
		name string
		data []byte
		lim  Limits
		want error
	}{
		{"repeat of 2^31", odsOf(t, row(`<table:table-cell table:number-columns-repeated="2147483648"/>`)), Limits{}, ErrCorrupt},
		{"rows repeated 2^31", odsOf(t, `<table:table table:name="S"><table:table-row table:number-rows-repeated="2147483648"/></table:table>`), Limits{}, ErrCorrupt},
		{"a value repeated a million times", odsOf(t, row(`<table:table-cell table:number-columns-repeated="1000000" office:value-type="float" office:value="1"/>`)), Limits{}, ErrTooLarge},
		{"a row of values repeated past the cell limit", odsOf(t, `<table:table table:name="S"><table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="100" office:value-type="float" office:value="1"/></table:table-row></table:table>`), Limits{MaxCells: 50_000}, ErrTooLarge},
		{"a float that is not a number", odsOf(t, row(`<table:table-cell office:value-type="float" office:value="1,5"/>`)), Limits{}, ErrCorrupt},
		{"broken XML", odsOf(t, row(`<table:table-cell>`)), Limits{}, ErrCorrupt},
		{"encrypted", odsZip(t, map[string]string{"META-INF/manifest.xml": `<m><manifest:encryption-data/></m>`, "content.xml": "\x00\x01"}), Limits{}, ErrEncrypted},
		{"inflates past the limit", odsOf(t, row(strings.Repeat(`<table:table-cell/>`, 100))), Limits{MaxInflatedBytes: 1000}, ErrInflated},
		{"a text document", odsZip(t, map[string]string{"content.xml": `<office:document-content ` + nsDecl + `><office:body><office:text/></office:body></office:document-content>`}), Limits{}, ErrNotODS},
		{"no content.xml", odsZip(t, map[string]string{"mimetype": "x"}), Limits{}, ErrNotODS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAll(tt.data, tt.lim)
			if !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestFlatODS(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?><office:document ` + nsDecl + ` office:mimetype="application/vnd.oasis.opendocument.spreadsheet">` +
		`<office:body><office:spreadsheet><table:table table:name="F"><table:table-row><table:table-cell office:value-type="float" office:value="2"/></table:table-row></table:table></office:spreadsheet></office:body></office:document>`
	got, err := readAll([]byte(doc), Limits{})
	if err != nil || strings.Join(got, "|") != "table F hidden=false|R1C1=0:2" {
		t.Errorf("read %q, %v", got, err)
	}
}

// TestQuickScanAgreesWithXML: the byte search at open lists the same tables
// as encoding/xml, and stands aside when the prefixes are not the usual ones.
func TestQuickScanAgreesWithXML(t *testing.T) {
	tables := `<table:table table:name="A &amp; B"><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>` +
		`<table:table table:name="H" table:style-name="ta2"/><table:table table:name='q"uote'/>`
	doc := content(tables)
	quick, ok := quickScan(strings.NewReader(doc))
	if !ok {
		t.Fatal("quickScan stood aside")
	}
	wb := &Workbook{lim: Limits{MaxCells: DefaultMaxCells}, open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(doc)), nil }}
	if err := wb.scanXML(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(quick) != fmt.Sprint(wb.sheets) || len(quick) != 3 || !quick[1].Hidden || quick[0].Name != "A & B" {
		t.Errorf("quick %v, xml %v", quick, wb.sheets)
	}
	other := strings.NewReplacer("<table:", "<t:", "</table:", "</t:", " table:", " t:", "xmlns:table=", "xmlns:t=").Replace(doc)
	if _, ok := quickScan(strings.NewReader(other)); ok {
		t.Error("quickScan answered for a document that binds other prefixes")
	}
	got, err := readAll([]byte(other), Limits{})
	if err != nil || len(got) < 3 || got[0] != "table A & B hidden=false" {
		t.Errorf("other prefixes: read %q, %v", got, err)
	}
}
