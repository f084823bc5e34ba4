package xlsx

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func sheetDoc(rows string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<worksheet ` + nsMain + `><sheetData>` + rows + `</sheetData></worksheet>`
}

func TestRowsCellValues(t *testing.T) {
	sst := `<sst ` + nsMain + ` count="9" uniqueCount="1">` +
		`<si><t>plain</t></si>` +
		`<si><r><rPr><b/></rPr><t>rich </t></r><r><t xml:space="preserve">runs </t></r></si>` +
		`<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></si>` +
		`<si><t>a_x000D_b_x005F_x000D_</t></si>` +
		`<si/>` +
		`<si><t>x &amp; y &lt; &#1071;&#x41;</t></si>` +
		`</sst>`
	tests := []struct {
		name string
		rows string
		want []gotCell
	}{
		{"shared plain", `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`, []gotCell{{0, 0, String, "plain"}}},
		{"shared rich runs", `<row r="2"><c r="B2" t="s"><v>1</v></c></row>`, []gotCell{{1, 1, String, "rich runs "}}},
		{"phonetic runs left out", `<row r="1"><c r="A1" t="s"><v>2</v></c></row>`, []gotCell{{0, 0, String, "漢字"}}},
		{"escapes decoded", `<row r="1"><c r="A1" t="s"><v>3</v></c></row>`, []gotCell{{0, 0, String, "a\rb_x000D_"}}},
		{"empty shared string skipped", `<row r="1"><c r="A1" t="s"><v>4</v></c><c r="B1"><v>1</v></c></row>`, []gotCell{{0, 1, Number, "1"}}},
		{"entities in sst", `<row r="1"><c r="A1" t="s"><v>5</v></c></row>`, []gotCell{{0, 0, String, "x & y < ЯA"}}},
		{"number and no type", `<row r="3"><c r="C3" t="n"><v>1.5</v></c><c r="D3"><v>-2E-3</v></c></row>`,
			[]gotCell{{2, 2, Number, "1.5"}, {2, 3, Number, "-2E-3"}}},
		{"formula counts by cached value", `<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>`,
			[]gotCell{{0, 0, Number, "2"}, {0, 1, String, "ab"}}},
		{"formula without cached value skipped", `<row r="1"><c r="A1"><f>NOW()</f></c></row>`, nil},
		{"bool error date", `<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="e"><v>#DIV/0!</v></c><c r="C1" t="d"><v>2014-02-14T08:27:48.765Z</v></c></row>`,
			[]gotCell{{0, 0, Bool, "1"}, {0, 1, Error, "#DIV/0!"}, {0, 2, Date, "2014-02-14T08:27:48.765Z"}}},
		{"inline string with runs", `<row r="1"><c r="A1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c></row>`,
			[]gotCell{{0, 0, String, "inline"}}},
		{"inline string CDATA", `<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<b>&amp;</b>]]></t></is></c></row>`,
			[]gotCell{{0, 0, String, "<b>&amp;</b>"}}},
		{"inline string in v", `<row r="1"><c r="A1" t="inlineStr"><v>v text</v></c></row>`, []gotCell{{0, 0, String, "v text"}}},
		{"inline escape", `<row r="1"><c r="A1" t="inlineStr"><is><t>1_x000D_2</t></is></c></row>`, []gotCell{{0, 0, String, "1\r2"}}},
		{"no r attributes count positionally",
			`<row><c><v>1</v></c><c><v>2</v></c></row><row><c/><c><v>3</v></c></row>`,
			[]gotCell{{0, 0, Number, "1"}, {0, 1, Number, "2"}, {1, 1, Number, "3"}}},
		{"row without r follows the previous", `<row r="5"><c><v>1</v></c></row><row><c r="C7"><v>2</v></c></row>`,
			[]gotCell{{4, 0, Number, "1"}, {5, 2, Number, "2"}}},
		{"empty rows and styled cells skipped", `<row r="1" spans="1:16384"><c r="A1" s="3"/><c r="B1" s="3"><v/></c></row><row r="2"/><row r="3"><c r="XFD3"><v>7</v></c></row>`,
			[]gotCell{{2, 16383, Number, "7"}}},
		{"x prefixed elements", `<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>pre</x:t></x:is></x:c><x:c r="B1"><x:v>4</x:v></x:c></x:row>`,
			[]gotCell{{0, 0, String, "pre"}, {0, 1, Number, "4"}}},
		{"single quoted attributes", `<row r='2'><c r='B2' t='s'><v>0</v></c></row>`, []gotCell{{1, 1, String, "plain"}}},
		{"out of order cells sorted", `<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c></row>`,
			[]gotCell{{0, 0, Number, "1"}, {0, 2, Number, "3"}}},
		{"comments and processing instructions", `<!-- <row r="9"><c><v>9</v></c></row> --><row r="1"><?pi x?><c r="A1"><v>1</v></c></row>`,
			[]gotCell{{0, 0, Number, "1"}}},
		{"greater-than inside an attribute", `<row r="1" x="a>b"><c r="A1" t="str" y='>'><v>q</v></c></row>`, []gotCell{{0, 0, String, "q"}}},
		{"line ends normalised", "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a\r\nb\rc&#13;</t></is></c></row>", []gotCell{{0, 0, String, "a\nb\nc\r"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readSheetXML(t, sheetDoc(tc.rows), sst)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestRowsErrors(t *testing.T) {
	tests := []struct {
		name, sheet string
	}{
		{"shared index out of range", sheetDoc(`<row r="1"><c r="A1" t="s"><v>5</v></c></row>`)},
		{"truncated inside a row", `<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c>`},
		{"truncated inside a tag", `<worksheet><sheetData><row r="1"><c r="A1"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readSheetXML(t, tc.sheet, "")
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("err = %v, want ErrCorrupt", err)
			}
		})
	}
}

func TestRowsCancelled(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 3*ctxEvery; i++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d"><v>%d</v></c></row>`, i, i, i)
	}
	path := writeZip(t, t.TempDir(), minimalParts(sheetDoc(b.String()), "")...)
	wb, err := Open(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rows, err := wb.Rows(ctx, "S")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if n++; n == 10 {
			cancel()
		}
	}
	if !errors.Is(rows.Err(), context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", rows.Err())
	}
	if n >= 3*ctxEvery {
		t.Fatalf("read all %d rows after cancel", n)
	}
}

func TestBytesReadProgress(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 20000; i++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="A%d"><v>%d</v></c></row>`, i, i, i*7919%100003)
	}
	path := writeZip(t, t.TempDir(), minimalParts(sheetDoc(b.String()), "")...)
	wb, err := Open(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.Rows(context.Background(), "S")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var last, mid int64
	n := 0
	for rows.Next() {
		cur := rows.BytesRead()
		if cur < last {
			t.Fatalf("BytesRead went back from %d to %d", last, cur)
		}
		last = cur
		if n++; n == 10000 {
			mid = cur
		}
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	if last != rows.Size() {
		t.Errorf("BytesRead at end = %d, want Size %d", last, rows.Size())
	}
	if mid <= 0 || mid >= last {
		t.Errorf("BytesRead half way = %d, want between 0 and %d", mid, last)
	}
}

func TestMergedRanges(t *testing.T) {
	sheet := `<worksheet ` + nsMain + `><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>mergeCell ref="Z9"</t></is></c></row></sheetData>` +
		`<mergeCells count="3"><mergeCell ref="A1:C2"/><x:mergeCell ref="$D$4:$E$9" /><mergeCell ref="F1"></mergeCell><mergeCell ref="bogus"/></mergeCells></worksheet>`
	path := writeZip(t, t.TempDir(), minimalParts(sheet, "")...)
	wb, err := Open(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	got, err := wb.MergedRanges("S")
	if err != nil {
		t.Fatal(err)
	}
	want := []Range{{0, 0, 1, 2}, {3, 3, 8, 4}, {0, 5, 0, 5}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// TestDeclaredGridNotAllocated mirrors gnumeric's A1:XFD1048576 sheet: two
// rows of data, then rows to 1,048,576 full of empty styled cells. Only the
// values come out, and memory does not grow with the declared grid.
func TestDeclaredGridNotAllocated(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<worksheet ` + nsMain + `><dimension ref="A1:XFD1048576"/><sheetData>`)
	b.WriteString(`<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="B2"><v>2</v></c></row>`)
	for _, r := range []int{3, 500000, 1048576} {
		fmt.Fprintf(&b, `<row r="%d" spans="1:16384">`, r)
		for c := range 16384 {
			fmt.Fprintf(&b, `<c r="%s%d" s="1"/>`, string(appendTestCol(nil, c)), r)
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`</sheetData></worksheet>`)
	path := writeZip(t, t.TempDir(), minimalParts(b.String(), "")...)
	wb, err := Open(path, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	cells, err := readAll(t, wb, "S")
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	want := []gotCell{{0, 0, Number, "1"}, {1, 1, Number, "2"}}
	if !reflect.DeepEqual(cells, want) {
		t.Errorf("got %+v, want %+v", cells, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2<<20 {
		t.Errorf("reading allocated %d bytes", alloc)
	}
}

func appendTestCol(b []byte, col int) []byte {
	var tmp [4]byte
	i := len(tmp)
	for col++; col > 0; col = (col - 1) / 26 {
		i--
		tmp[i] = byte('A' + (col-1)%26)
	}
	return append(b, tmp[i:]...)
}
