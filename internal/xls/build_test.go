package xls

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"unicode/utf16"
)

// rec is one BIFF record: its type and body.
type rec struct {
	typ  uint16
	body []byte
}

func (r rec) bytes() []byte {
	b := binary.LittleEndian.AppendUint16(nil, r.typ)
	b = binary.LittleEndian.AppendUint16(b, uint16(len(r.body)))
	return append(b, r.body...)
}

func le16(vs ...int) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint16(b, uint16(v))
	}
	return b
}

func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func bof(version, kind int) rec { return rec{recBOF, cat(le16(version, kind), make([]byte, 12))} }

var eof = rec{recEOF, nil}

// wide is a BIFF8 string's characters as UTF-16LE.
func wide(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// xlStr is an XLUnicodeString (two-byte count) in UTF-16.
func xlStr(s string) []byte {
	return cat(le16(len(utf16.Encode([]rune(s)))), []byte{1}, wide(s))
}

func numberRec(row, col, xf int, v float64) rec {
	return rec{recNumber, cat(le16(row, col, xf), binary.LittleEndian.AppendUint64(nil, math.Float64bits(v)))}
}

func labelSST(row, col, i int) rec { return rec{recLabelSST, cat(le16(row, col, 15), le32(uint32(i)))} }

// sheetDef is one sheet of a built workbook.
type sheetDef struct {
	name    string
	vis     byte
	kind    byte // 0 worksheet, 2 chart
	records []rec
}

// biff builds a Workbook stream: the globals (BOF, extra records, the
// sheets' BOUNDSHEETs, EOF), then each sheet's BOF, records and EOF.
func biff(version int, globals []rec, sheets ...sheetDef) []byte {
	bound := func(s sheetDef, off uint32) rec {
		var name []byte
		if version == biff5 {
			name = cat([]byte{byte(len(s.name))}, []byte(s.name))
		} else {
			name = cat([]byte{byte(len(utf16.Encode([]rune(s.name)))), 1}, wide(s.name))
		}
		return rec{recBoundSheet, cat(le32(off), []byte{s.vis, s.kind}, name)}
	}
	head := bof(version, 0x0005).bytes()
	for _, r := range globals {
		head = append(head, r.bytes()...)
	}
	n := len(head) + len(eof.bytes())
	for _, s := range sheets {
		n += len(bound(s, 0).bytes())
	}
	var body []byte
	for _, s := range sheets {
		off := uint32(n + len(body))
		head = append(head, bound(s, off).bytes()...)
		body = append(body, bof(version, 0x0010).bytes()...)
		for _, r := range s.records {
			body = append(body, r.bytes()...)
		}
		body = append(body, eof.bytes()...)
	}
	return cat(head, eof.bytes(), body)
}

// cfbFile wraps a stream in a version 3 compound file: sector 0 the FAT,
// sector 1 the directory, then the stream (padded to 4 KiB so that it lives
// in regular sectors). fix may change the FAT before it is written.
func cfbFile(name string, stream []byte, fix func(fat []uint32)) []byte {
	size := len(stream)
	if len(stream) < 4096 {
		stream = append(stream, make([]byte, 4096-len(stream))...)
		size = 4096
	}
	nStream := (len(stream) + 511) / 512
	fat := make([]uint32, 128)
	for i := range fat {
		fat[i] = cfbFree
	}
	fat[0], fat[1] = 0xFFFFFFFD, cfbEndChain
	for i := 0; i < nStream; i++ {
		fat[2+i] = uint32(3 + i)
	}
	fat[1+nStream] = cfbEndChain
	if fix != nil {
		fix(fat)
	}
	h := make([]byte, 512)
	copy(h, cfbMagic)
	copy(h[24:], le16(0x3E, 3, 0xFFFE, 9, 6))
	copy(h[44:], cat(le32(1), le32(1), le32(0), le32(4096), le32(cfbEndChain), le32(0), le32(cfbEndChain), le32(0), le32(0)))
	for i := 1; i < 109; i++ {
		copy(h[76+4*i:], le32(cfbFree))
	}
	var fatSec []byte
	for _, v := range fat {
		fatSec = append(fatSec, le32(v)...)
	}
	dir := make([]byte, 512)
	entry := func(i int, name string, kind byte, start uint32, size int) {
		e := dir[i*128:]
		n := copy(e, wide(name))
		binary.LittleEndian.PutUint16(e[64:], uint16(n+2))
		e[66] = kind
		copy(e[68:], cat(le32(cfbFree), le32(cfbFree), le32(cfbFree)))
		binary.LittleEndian.PutUint32(e[116:], start)
		binary.LittleEndian.PutUint32(e[120:], uint32(size))
	}
	entry(0, "Root Entry", 5, cfbEndChain, 0)
	entry(1, name, 2, 2, size)
	padded := append(stream, make([]byte, nStream*512-len(stream))...)
	return cat(h, fatSec, dir, padded)
}

// readAll opens a built file and reads every sheet: cells as R1C1=value
// lines (a * marks a date), then merges.
func readAll(file []byte) ([]string, error) {
	wb, err := OpenReader(bytes.NewReader(file), int64(len(file)), Limits{})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range wb.Sheets() {
		out = append(out, fmt.Sprintf("sheet %s %d", s.Name, s.Visibility))
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
		if err := rows.Err(); err != nil {
			return out, err
		}
		ms, err := wb.MergedRanges(s.Name)
		if err != nil {
			return out, err
		}
		for _, m := range ms {
			out = append(out, fmt.Sprintf("merge %d,%d-%d,%d", m.FirstRow, m.FirstCol, m.LastRow, m.LastCol))
		}
	}
	return out, nil
}
