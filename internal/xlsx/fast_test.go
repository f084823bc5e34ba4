package xlsx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// The fast path (fast.go) must read every cell exactly as the general path
// does: these tests read generated sheets, full of the shapes the fast path
// leaves alone, both ways and compare everything a caller sees.

// fastSST and fastStyles stand for a workbook's shared strings and cell
// formats (by s index) in these tests.
var (
	fastSST    = []string{"zero", "", "two_x000D_", "three & <four>"}
	fastStyles = []Format{FormatPlain, FormatDate, FormatPercent, FormatDate}
)

// pathResult is everything Rows tells its caller about a sheet.
type pathResult struct {
	Rows      []pathRow
	Hidden    []int
	Unordered bool
	Err       string
}

type pathRow struct {
	Row    int
	Hidden bool
	Cells  []Cell
}

// choppyReader hands its bytes over in reads of the sizes next gives, so
// that cells are split at every kind of place between the scanner's reads.
type choppyReader struct {
	b    []byte
	next func() int
}

func (c *choppyReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(c.b), max(1, c.next()))
	copy(p, c.b[:n])
	c.b = c.b[n:]
	return n, nil
}

// readPath reads sheet XML with the fast path on (general false) or off;
// chop, when not nil, gives the size of each read of the input.
func readPath(sheetXML []byte, general bool, chop func() int, lim Limits, styles []Format) pathResult {
	ctx := context.Background()
	var src io.Reader = bytes.NewReader(sheetXML)
	if chop != nil {
		src = &choppyReader{b: sheetXML, next: chop}
	}
	cr := &countingReader{r: src, ctx: ctx}
	r := &Rows{
		ctx: ctx, sheet: "S", s: newScanner(cr), pf: newPrefetcher(bytes.NewReader(nil)), count: cr,
		sst: fastSST, styles: styles, lim: lim.WithDefaults(), row: -1, general: general,
	}
	defer r.pf.Close()
	var res pathResult
	for r.Next() {
		res.Rows = append(res.Rows, pathRow{r.Row(), r.RowHidden(), append([]Cell(nil), r.Cells()...)})
	}
	res.Hidden, res.Unordered = r.HiddenColumns(), r.unordered
	if err := r.Err(); err != nil {
		res.Err = err.Error()
	}
	return res
}

// comparePaths reads sheetXML the general way and, three times, the fast way:
// whole, in reads of random sizes and in reads of one byte.
func comparePaths(t *testing.T, sheetXML []byte, seed uint64, lim Limits, styles []Format) {
	t.Helper()
	want := readPath(sheetXML, true, nil, lim, styles)
	rnd := rand.New(rand.NewPCG(seed, 7))
	for _, c := range []struct {
		name string
		chop func() int
	}{
		{"whole", nil},
		{"random reads", func() int { return 1 + rnd.IntN(96) }},
		{"one-byte reads", func() int { return 1 }},
	} {
		got := readPath(sheetXML, false, c.chop, lim, styles)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("fast path, %s, differs from the general path on\n%s\n got %+v\nwant %+v", c.name, sheetXML, got, want)
		}
	}
}

func pick(rnd *rand.Rand, s ...string) string { return s[rnd.IntN(len(s))] }

// genSheet writes a worksheet of rows, mostly in the shapes Excel and
// LibreOffice write, with a good share of everything else the format allows.
func genSheet(rnd *rand.Rand, rows int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<worksheet " + nsMain + ">")
	if rnd.IntN(4) == 0 {
		b.WriteString(`<cols><col min="2" max="3" hidden="1"/></cols>`)
	}
	b.WriteString("<sheetData>")
	row := 0
	for range rows {
		row += pickInt(rnd, 1, 1, 1, 1, 2, 0, -1)
		genRow(rnd, &b, row)
	}
	b.WriteString("</sheetData></worksheet>")
	out := []byte(b.String())
	if rnd.IntN(20) == 0 { // a truncated file
		out = out[:rnd.IntN(len(out)+1)]
	}
	return out
}

func pickInt(rnd *rand.Rand, v ...int) int { return v[rnd.IntN(len(v))] }

func genRow(rnd *rand.Rand, b *strings.Builder, row int) {
	pfx := ""
	if rnd.IntN(30) == 0 {
		pfx = "x:"
	}
	b.WriteString("<" + pfx + "row")
	if rnd.IntN(10) > 0 {
		b.WriteString(` r="` + strconv.Itoa(row) + `"`)
	}
	b.WriteString(pick(rnd, "", "", "", ` spans="1:7"`, ` hidden="1"`, ` hidden="false"`, ` x14ac:dyDescent="0.25"`))
	if rnd.IntN(15) == 0 {
		b.WriteString("/>")
		return
	}
	b.WriteString(">")
	col := 0
	for n := rnd.IntN(9); n > 0; n-- {
		col += pickInt(rnd, 1, 1, 1, 1, 2, 5, 0, -1)
		genCell(rnd, b, row, max(col, 0))
		if rnd.IntN(25) == 0 {
			b.WriteString(pick(rnd, "\n  ", " ", "<!-- between -->", "text", "<?pi x?>"))
		}
	}
	b.WriteString(pick(rnd, "</row>", "</row>", "</row>", "</row>", "</row>", "</row >", "</"+pfx+"row>"))
}

// genCell writes one <c>; col is 1-based.
func genCell(rnd *rand.Rand, b *strings.Builder, row, col int) {
	pfx := ""
	if rnd.IntN(30) == 0 {
		pfx = "x:"
	}
	var attrs [][2]string
	if rnd.IntN(8) > 0 {
		ref := colName(col) + strconv.Itoa(row)
		if rnd.IntN(6) == 0 {
			ref = pick(rnd, "$B$3", "b2", "", "1A", "XFD1", "XFE1", "AAAA1", "A", "AB12x", colName(col), " C4", "C 4", "A1&amp;")
		}
		attrs = append(attrs, [2]string{"r", ref})
	}
	if rnd.IntN(2) == 0 {
		attrs = append(attrs, [2]string{"s", pick(rnd, "0", "1", "2", "3", "1", "2", "4", "99", "", "x", " 1", "01", "-1", "1234567890")})
	}
	if rnd.IntN(3) > 0 {
		attrs = append(attrs, [2]string{"t", pick(rnd, "s", "s", "s", "n", "n", "str", "b", "e", "d", "inlineStr", "", "S", "&#115;", " s")})
	}
	if rnd.IntN(15) == 0 {
		attrs = append(attrs, pickAttr(rnd))
	}
	if rnd.IntN(20) == 0 && len(attrs) > 0 { // a repeated attribute
		a := attrs[rnd.IntN(len(attrs))]
		attrs = append(attrs, [2]string{a[0], pick(rnd, "s", "3", "D9", "n", "")})
	}
	rnd.Shuffle(len(attrs), func(i, j int) { attrs[i], attrs[j] = attrs[j], attrs[i] })
	b.WriteString("<" + pfx + "c")
	for _, a := range attrs {
		q := `"`
		if rnd.IntN(20) == 0 {
			q = "'"
		}
		b.WriteString(pick(rnd, " ", " ", " ", " ", " ", " ", " ", " ", "  ", "\n", "\t"))
		b.WriteString(a[0] + pick(rnd, "=", "=", "=", "=", "=", "=", " = ") + q + a[1] + q)
	}
	if rnd.IntN(25) == 0 { // odd spacing or junk before the tag's end
		b.WriteString(pick(rnd, " ", "\n", "/ ", "/", " /", " x", "=", `"`, " r", " t=", ` s="1`))
	}
	switch rnd.IntN(8) {
	case 0:
		b.WriteString("/>")
		return
	case 1:
		b.WriteString(" />")
		return
	}
	b.WriteString(">")
	b.WriteString(genContent(rnd, pfx))
	b.WriteString(pick(rnd, "</c>", "</c>", "</c>", "</c>", "</c>", "</c>", "</c>", "</c >", "</x:c>", "</"+pfx+"c>"))
}

func pickAttr(rnd *rand.Rand) [2]string {
	switch rnd.IntN(5) {
	case 0:
		return [2]string{"cm", "1"}
	case 1:
		return [2]string{"vm", "2"}
	case 2:
		return [2]string{"xmlns:x", "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
	case 3:
		return [2]string{"x:t", "s"}
	}
	return [2]string{"ph", "1"}
}

func genContent(rnd *rand.Rand, pfx string) string {
	v := genValue(rnd)
	switch rnd.IntN(24) {
	case 0:
		return ""
	case 1:
		return "<v/>"
	case 2:
		return "<v></v>"
	case 3:
		return "<f>1+1</f><v>" + v + "</v>"
	case 4:
		return "<v>" + v + "</v><f>A1</f>"
	case 5:
		return "<is><t>" + v + "</t></is>"
	case 6:
		return `<is><r><t>a</t></r><r><t xml:space="preserve">` + v + `</t></r><rPh><t>x</t></rPh></is>`
	case 7:
		return "<v><![CDATA[" + v + "]]></v>"
	case 8:
		return "<v>1<!--c-->2</v>"
	case 9:
		return " <v>" + v + "</v> "
	case 10:
		return "<v>" + v + "</v><v>" + genValue(rnd) + "</v>"
	case 11:
		return "<" + pfx + "v>" + v + "</" + pfx + "v>"
	case 12:
		return "<v>" + v + "</v >"
	case 13:
		return "<v>" + v + "<v>"
	}
	return "<v>" + v + "</v>"
}

func genValue(rnd *rand.Rand) string {
	return pick(rnd,
		"0", "1", "2", "3", "0", "1", "2", "3", "4", "99", "-1", " 2 ", "",
		"1.5", "-2E-3", "45000", " 12 ", "0.25",
		"a&amp;b", "a\r\nb", "a\rb", "x_x000D_y", "TRUE", "#N/A", "2014-02-14T08:27:48Z",
		"&#1071;&#x41;&unknown;", "a > b", strings.Repeat("long &lt;text&gt; ", 4), "\t3\n")
}

func colName(col int) string {
	if col < 1 {
		return ""
	}
	s := ""
	for ; col > 0; col = (col - 1) / 26 {
		s = string(rune('A'+(col-1)%26)) + s
	}
	return s
}

// TestFastPathMatchesGeneral reads generated sheets both ways, with the
// default limits and with tight ones, with and without number formats.
func TestFastPathMatchesGeneral(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	tight := Limits{MaxColumns: 4, MaxRows: 20, MaxCellBytes: 6}
	for i := range n {
		rnd := rand.New(rand.NewPCG(uint64(i), 1))
		sheetXML := genSheet(rnd, 1+rnd.IntN(12))
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			comparePaths(t, sheetXML, uint64(i), Limits{}, fastStyles)
			comparePaths(t, sheetXML, uint64(i), tight, nil)
		})
	}
}

// TestFastPathLargeSheet crosses the scanner's buffer many times, where a
// cell is cut at the end of the bytes read so far; its cells, common and odd,
// all read without error.
func TestFastPathLargeSheet(t *testing.T) {
	rnd := rand.New(rand.NewPCG(42, 2))
	shapes := []string{
		`<c r="%s" s="3" t="s"><v>3</v></c>`, `<c r="%s" t="n"><v>1.5</v></c>`, `<c r="%s" s="2"/>`,
		`<c r="%s" s="1"><v>45000</v></c>`, `<c r="%s"><v>-2E-3</v></c>`, `<c r="%s" t="s"><v>0</v></c>`,
		`<c r='%s' t='s'><v>2</v></c>`, `<c r="%s" t="inlineStr"><is><t>in &amp; line</t></is></c>`,
		`<c r="%s" t="str"><f>A1</f><v>x_x000D_</v></c>`, `<c  r="%s"><v><![CDATA[7]]></v></c>`,
		`<x:c r="%s"><x:v>8</x:v></x:c>`, `<c r="%s" t="s" ><v> 1 </v></c >`, `<c r="%s" cm="1"><v>9</v></c>`,
	}
	var b strings.Builder
	b.WriteString("<worksheet " + nsMain + "><sheetData>")
	for row := 1; row <= 20000; row++ {
		fmt.Fprintf(&b, `<row r="%d" spans="1:9">`, row)
		for col := 1; col <= 1+rnd.IntN(9); col++ {
			fmt.Fprintf(&b, shapes[rnd.IntN(len(shapes))], colName(col)+strconv.Itoa(row))
		}
		b.WriteString("</row>")
	}
	b.WriteString("</sheetData></worksheet>")
	sheetXML := []byte(b.String())
	if len(sheetXML) < 8*scanBufSize {
		t.Fatalf("sheet of %d bytes, want several buffers", len(sheetXML))
	}
	want := readPath(sheetXML, true, nil, Limits{}, fastStyles)
	if want.Err != "" || len(want.Rows) < 19000 { // a row of empty cells is left out
		t.Fatalf("%d rows, error %q", len(want.Rows), want.Err)
	}
	if got := readPath(sheetXML, false, nil, Limits{}, fastStyles); !reflect.DeepEqual(got, want) {
		t.Fatal("fast path differs from the general path on a large sheet")
	}
}

// TestFastPathCommonShapes pins down, by hand, what the shapes the fast path
// takes read as.
func TestFastPathCommonShapes(t *testing.T) {
	doc := sheetDoc(`<row r="7" spans="1:5"><c r="B7" s="3" t="s"><v>3</v></c><c r="C7" t="n"><v>1.5</v></c>` +
		`<c r="D7" s="3"/><c r="E7" s="1"><v>45000</v></c><c r="F7" s="2" t="str"><v>a_x000D_&amp;</v></c>` +
		`<c s="2"><v>0.4</v></c><c r="H7" t="s"><v>1</v></c><c r="I7" t="b"><v>1</v></c><c r="J7"></c></row>`)
	want := pathResult{Rows: []pathRow{{Row: 6, Cells: []Cell{
		{Col: 1, Type: String, Value: "three & <four>"},
		{Col: 2, Type: Number, Value: "1.5"},
		{Col: 4, Type: Number, Format: FormatDate, Value: "45000"},
		{Col: 5, Type: String, Value: "a\r&"},
		{Col: 6, Type: Number, Format: FormatPercent, Value: "0.4"},
		{Col: 8, Type: Bool, Value: "1"},
	}}}}
	for _, general := range []bool{false, true} {
		if got := readPath([]byte(doc), general, nil, Limits{}, fastStyles); !reflect.DeepEqual(got, want) {
			t.Errorf("general=%v: got %+v\nwant %+v", general, got, want)
		}
	}
}

// FuzzFastPath compares the two paths on arbitrary sheet XML. Seeds live in
// testdata/fuzz/FuzzFastPath; run with: go test -fuzz FuzzFastPath.
func FuzzFastPath(f *testing.F) {
	for i := range 8 {
		rnd := rand.New(rand.NewPCG(uint64(i), 3))
		f.Add(genSheet(rnd, 3))
	}
	f.Fuzz(func(t *testing.T, sheetXML []byte) {
		comparePaths(t, sheetXML, uint64(len(sheetXML)), Limits{}, fastStyles)
	})
}

// TestMergesOnThePass: the pass over the rows finds the merged ranges where
// they are (after sheetData, as written, or before it), with the limits and
// errors of Workbook.MergedRanges, and says when it did not read the part
// whole.
func TestMergesOnThePass(t *testing.T) {
	rows := `<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="B2"><v>1</v></c></row>`
	tail := `<mergeCells count="2"><mergeCell ref="A1:C1"/><x:mergeCell xmlns:x="` + `http://schemas.openxmlformats.org/spreadsheetml/2006/main" ref="B3:B5"></x:mergeCell></mergeCells>`
	doc := func(before, after string) string {
		return `<worksheet ` + nsMain + `>` + before + `<sheetData>` + rows + `</sheetData>` + after + `<pageMargins left="0.7"/></worksheet>`
	}
	two := []Range{{0, 0, 0, 2}, {2, 1, 4, 1}}
	for _, tc := range []struct {
		name    string
		xml     string
		lim     Limits
		want    []Range
		wantErr string
	}{
		{"after sheetData", doc("", tail), Limits{}, two, ""},
		{"before sheetData", doc(tail, ""), Limits{}, two, ""},
		{"none", doc("", ""), Limits{}, nil, ""},
		{"single cell and bad refs", doc("", `<mergeCells><mergeCell ref="D4"/><mergeCell ref="junk"/><mergeCell/></mergeCells>`), Limits{}, []Range{{3, 3, 3, 3}}, ""},
		{"too many ranges", doc("", tail), Limits{MaxMergedRanges: 1}, nil, "merged_ranges"},
		{"too many cells", doc("", tail), Limits{MaxMergedCells: 4}, nil, "merged_cells"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeZip(t, t.TempDir(), minimalParts(tc.xml, fuzzSST)...)
			wb, err := Open(path, tc.lim)
			if err != nil {
				t.Fatal(err)
			}
			defer wb.Close()
			got, whole, err := passMerges(wb, "S")
			scan, scanErr := wb.MergedRanges("S")
			if !whole {
				t.Fatal("the pass did not read the part whole")
			}
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || scanErr == nil || err.Error() != scanErr.Error() {
					t.Fatalf("error %v, want one with %q, as MergedRanges' %v", err, tc.wantErr, scanErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
			if scanErr != nil || !sameRanges(scan, got) {
				t.Fatalf("MergedRanges gives %v, %v; the pass %v", scan, scanErr, got)
			}
		})
	}
	t.Run("stopped early", func(t *testing.T) {
		path := writeZip(t, t.TempDir(), minimalParts(doc("", tail), fuzzSST)...)
		wb, err := Open(path, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		r, err := wb.Rows(context.Background(), "S")
		if err != nil {
			t.Fatal(err)
		}
		r.Next()
		r.Close()
		if _, whole, _ := r.MergedRanges(); whole {
			t.Fatal("a pass closed after one row says it read the part whole")
		}
	})
	t.Run("damaged after the rows", func(t *testing.T) {
		// A deflate stream cut after sheetData: the rows read, the merges fail.
		xml := doc("", tail)
		ctx := context.Background()
		cut := strings.Index(xml, "<mergeCells") + 5
		rows := newRows(ctx, "S", io.MultiReader(strings.NewReader(xml[:cut]), iotestErrReader{}), fastSST, nil, Limits{}.WithDefaults())
		for rows.Next() {
		}
		if rows.Err() != nil {
			t.Fatalf("rows error %v", rows.Err())
		}
		if _, whole, err := rows.MergedRanges(); !whole || err == nil || !errors.Is(err, ErrCorrupt) {
			t.Fatalf("whole %v, error %v; want a corrupt part", whole, err)
		}
	})
}

// iotestErrReader fails every read, as a damaged deflate stream does.
type iotestErrReader struct{}

func (iotestErrReader) Read([]byte) (int, error) { return 0, errors.New("flate: corrupt input") }
