package xls

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"postdash/internal/xlsx"
)

// rkInt is an RK holding an integer; rkHundredths one holding n/100.
func rkInt(n int) uint32        { return uint32(n)<<2 | 0x02 }
func rkHundredths(n int) uint32 { return uint32(n)<<2 | 0x03 }

func TestCellsAndStrings(t *testing.T) {
	// The SST: "Почта" in UTF-16; "abcdef" begun in 8-bit characters whose
	// last three cross into a CONTINUE record that switches to UTF-16 (the
	// flag byte is given again there); a rich string whose formatting runs
	// cross into the next CONTINUE.
	sst := rec{recSST, cat(le32(3), le32(3),
		le16(5), []byte{1}, wide("Почта"),
		le16(6), []byte{0}, []byte("abc"))}
	cont1 := rec{recContinue, cat([]byte{1}, wide("def"),
		le16(2), []byte{0x08}, le16(2), []byte("xy"), le16(0, 1))}
	cont2 := rec{recContinue, le16(1, 2)} // the rest of the 2 runs
	formats := []rec{
		{recFormat, cat(le16(164), xlStr(`[$-419]DD.MM.YYYY`))},
		{recFormat, cat(le16(165), xlStr(`0.00E+00`))},
		{recFormat, cat(le16(166), xlStr(`"d"0;[Red]0`))},
	}
	xf := func(ifmt int) rec { return rec{recXF, cat(le16(0, ifmt), make([]byte, 16))} }
	globals := append(append([]rec{{recCodePage, le16(1200)}, {recDateMode, le16(0)}}, formats...),
		xf(0), xf(14), xf(164), xf(165), xf(166), sst, cont1, cont2)
	formula := func(row, col int, result []byte) rec {
		return rec{recFormula, cat(le16(row, col, 0), result, le16(0), le32(0), le16(0))}
	}
	cells := []rec{
		labelSST(0, 0, 0), labelSST(0, 1, 1), labelSST(0, 2, 2),
		{recRK, cat(le16(1, 0, 1), le32(rkInt(44197)))},                                                                 // a date (ifmt 14)
		{recRK, cat(le16(1, 1, 0), le32(rkHundredths(12345)))},                                                          // 123.45
		{recRK, cat(le16(1, 2, 0), le32(0x3FF80000))},                                                                   // 1.5, a float RK
		{recMulRK, cat(le16(2, 1), le16(2), le32(rkInt(7)), le16(3), le32(rkInt(8)), le16(4), le32(rkInt(9)), le16(3))}, // B3:D3
		numberRec(3, 0, 0, 0.1), numberRec(3, 1, 0, 1e21), numberRec(3, 2, 0, -2.5e-7),
		{recBoolErr, cat(le16(4, 0, 0), []byte{1, 0})}, {recBoolErr, cat(le16(4, 1, 0), []byte{0x07, 1})},
		{recLabel, cat(le16(4, 2, 0), xlStr("label"))},
		formula(5, 0, cat(numberBits(42.5))),
		formula(5, 1, []byte{0, 0, 0, 0, 0, 0, 0xFF, 0xFF}), {recString, xlStr("from formula")},
		formula(5, 2, []byte{1, 0, 1, 0, 0, 0, 0xFF, 0xFF}),
		formula(5, 3, []byte{2, 0, 0x2A, 0, 0, 0, 0xFF, 0xFF}),
		formula(5, 4, []byte{3, 0, 0, 0, 0, 0, 0xFF, 0xFF}), // the empty string: no cell
		{recString, xlStr("stray")},                         // a STRING after no formula is ignored
		{recMerged, cat(le16(2), le16(0, 1, 0, 2), le16(6, 6, 0, 3))},
	}
	file := cfbFile("Workbook", biff(biff8, globals,
		sheetDef{name: "Лист", records: cells},
		sheetDef{name: "Hidden", vis: 1}, sheetDef{name: "Very", vis: 2}, sheetDef{name: "Chart", kind: 2}), nil)
	got, err := readAll(file)
	if err != nil {
		t.Fatalf("%v (read %q)", err, got)
	}
	want := []string{
		"sheet Лист 0",
		"R1C1=1:Почта", "R1C2=1:abcdef", "R1C3=1:xy",
		"R2C1=0:44197*", "R2C2=0:123.45", "R2C3=0:1.5",
		"R3C2=0:7*", "R3C3=0:8", "R3C4=0:9",
		"R4C1=0:0.1", "R4C2=0:1e+21", "R4C3=0:-2.5e-07",
		"R5C1=2:1", "R5C2=3:#DIV/0!", "R5C3=1:label",
		"R6C1=0:42.5", "R6C2=1:from formula", "R6C3=2:1", "R6C4=3:#N/A",
		"merge 0,0-1,2", "merge 6,0-6,3",
		"sheet Hidden 1", "sheet Very 2",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("read:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func numberBits(v float64) []byte { return numberRec(0, 0, 0, v).body[6:] }

func TestDateFormats(t *testing.T) {
	for code, want := range map[string]bool{
		"dd.mm.yyyy": true, "[$-419]DD.MM.YYYY": true, "h:mm": true, "[h]:mm:ss": true, "mmmm yyyy": true,
		"0.00E+00": false, "General": false, `"d"0`: false, "[Red]0.00": false, `# ##0,00\ "р."`: false,
		`0.0;[Red]-0.0`: false, `_-* #,##0.00\ [$р.-419]_-`: false, `\d0`: false,
	} {
		if got := isDateFormat(code); got != want {
			t.Errorf("isDateFormat(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestBIFF5CodePage(t *testing.T) {
	cp1251 := func(s string) []byte { // Почта in Windows-1251, written out
		return map[string][]byte{"Почта": {0xCF, 0xEE, 0xF7, 0xF2, 0xE0}, "Лист": {0xCB, 0xE8, 0xF1, 0xF2}}[s]
	}
	label := rec{recLabel, cat(le16(0, 0, 0), le16(5), cp1251("Почта"))}
	s := biff(biff5, []rec{{recCodePage, le16(1251)}}, sheetDef{name: string(cp1251("Лист")), records: []rec{label, numberRec(0, 1, 0, 3)}})
	got, err := readAll(cfbFile("Book", s, nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := "sheet Лист 0\nR1C1=1:Почта\nR1C2=0:3"; strings.Join(got, "\n") != want {
		t.Errorf("read %q, want %q", got, want)
	}
}

func TestRefusals(t *testing.T) {
	ok := biff(biff8, nil, sheetDef{name: "S", records: []rec{numberRec(0, 0, 0, 1)}})
	truncatedRecord := biff(biff8, nil, sheetDef{name: "S", records: []rec{{recNumber, make([]byte, 14)}}})
	truncatedRecord = truncatedRecord[:len(truncatedRecord)-8] // the sheet's last records cut off
	tests := []struct {
		name string
		file []byte
		want error
	}{
		{"FILEPASS (RC4 or XOR)", cfbFile("Workbook", biff(biff8, []rec{{recFilePass, le16(1, 1)}}), nil), ErrEncrypted},
		{"no workbook stream", cfbFile("WordDocument", ok, nil), ErrNotWorkbook},
		{"Excel 4 BOF", cfbFile("Workbook", rec{0x0409, le16(0, 0x10)}.bytes(), nil), ErrOldVersion},
		{"sector loop", cfbFile("Workbook", ok, func(fat []uint32) { fat[3] = 2 }), ErrCorrupt},
		{"chain out of range", cfbFile("Workbook", ok, func(fat []uint32) { fat[2] = 9999 }), ErrCorrupt},
		{"chain ends early", cfbFile("Workbook", ok, func(fat []uint32) { fat[3] = cfbEndChain }), ErrCorrupt},
		{"file cut in half", cfbFile("Workbook", ok, nil)[:2048], ErrCorrupt},
		{"record past the stream", cfbFile("Workbook", longRecord(ok), nil), ErrCorrupt},
		{"a sheet cut short", cfbFile("Workbook", truncatedRecord, nil), ErrCorrupt},
		{"cell for a row already given", cfbFile("Workbook", biff(biff8, nil, sheetDef{name: "S", records: []rec{
			numberRec(0, 0, 0, 1), {recDBCell, le32(0)}, numberRec(1, 0, 0, 2), {recDBCell, le32(0)}, numberRec(0, 1, 0, 3)}}), nil), ErrCorrupt},
		{"shared string out of range", cfbFile("Workbook", biff(biff8, nil, sheetDef{name: "S", records: []rec{labelSST(0, 0, 7)}}), nil), ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAll(tt.file)
			if !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
}

// TestRowsOutOfOrderWithinABlock: cells of earlier rows may follow later
// ones inside a block (up to a DBCELL); SheetJS writes a formula after the
// block's DBCELL.
func TestRowsOutOfOrderWithinABlock(t *testing.T) {
	recs := []rec{numberRec(1, 0, 0, 2), numberRec(0, 0, 0, 1), numberRec(1, 1, 0, 3), {recDBCell, le32(0)}, numberRec(1, 2, 0, 4), numberRec(2, 0, 0, 5)}
	got, err := readAll(cfbFile("Workbook", biff(biff8, nil, sheetDef{name: "S", records: recs}), nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := "sheet S 0\nR1C1=0:1\nR2C1=0:2\nR2C2=0:3\nR2C3=0:4\nR3C1=0:5"; strings.Join(got, "\n") != want {
		t.Errorf("read %q, want %q", got, want)
	}
}

// longRecord makes the sheet's NUMBER record claim 65,535 bytes, more than
// the stream holds.
func longRecord(stream []byte) []byte {
	s := append([]byte(nil), stream...)
	i := bytes.LastIndex(s, numberRec(0, 0, 0, 1).bytes())
	s[i+2], s[i+3] = 0xFF, 0xFF
	return s
}

func TestSharedStringLimits(t *testing.T) {
	sst := rec{recSST, cat(le32(2), le32(2), le16(3), []byte{0}, []byte("abc"), le16(2), []byte{0}, []byte("de"))}
	file := cfbFile("Workbook", biff(biff8, []rec{sst}, sheetDef{name: "S"}), nil)
	for _, tt := range []struct {
		lim  Limits
		want string
	}{{Limits{MaxStrings: 1}, xlsx.LimitSharedStrings}, {Limits{MaxStringBytes: 4}, xlsx.LimitSharedStringBytes}, {Limits{}, ""}} {
		_, err := OpenReader(bytes.NewReader(file), int64(len(file)), tt.lim)
		var le *xlsx.LimitError
		if got := ""; errors.As(err, &le) {
			got = le.Limit
			if got != tt.want {
				t.Errorf("%+v: limit %q, want %q", tt.lim, got, tt.want)
			}
		} else if tt.want != "" || err != nil {
			t.Errorf("%+v: error %v, want limit %q", tt.lim, err, tt.want)
		}
	}
}
