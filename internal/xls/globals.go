package xls

import (
	"encoding/binary"
	"fmt"
	"strings"

	"postdash/internal/xlsx"
)

// BIFF versions in a BOF record.
const (
	biff8 = 0x0600
	biff5 = 0x0500
)

// readGlobals reads the workbook globals substream: version, encryption,
// code page, date system, sheets, shared strings, formats and XFs.
func (w *Workbook) readGlobals(lim Limits) error {
	r := newRecReader(w.stream, w.size, 0)
	ok, err := r.next()
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: empty Workbook stream", ErrCorrupt)
	}
	switch {
	case r.typ == 0x0009 || r.typ == 0x0209 || r.typ == 0x0409:
		return ErrOldVersion
	case r.typ != recBOF || len(r.data) < 4:
		return fmt.Errorf("%w: the Workbook stream does not start with a BOF record", ErrCorrupt)
	}
	switch v := binary.LittleEndian.Uint16(r.data); v {
	case biff8:
	case biff5:
		w.biff5 = true
	default:
		if v < biff5 {
			return ErrOldVersion
		}
		return fmt.Errorf("%w: unknown BIFF version %#x", ErrCorrupt, v)
	}
	dateFmt := map[uint16]bool{}
	pctFmt := map[uint16]bool{}
	var xfFmt []uint16
	var sstBytes int64
	for {
		ok, err := r.next()
		if err != nil {
			return err
		}
		if !ok || r.typ == recEOF {
			break
		}
		d := r.data
		switch r.typ {
		case recFilePass:
			return ErrEncrypted
		case recCodePage:
			if len(d) >= 2 {
				w.decode = decoderFor(binary.LittleEndian.Uint16(d))
			}
		case recDateMode:
			w.date1904 = len(d) >= 2 && binary.LittleEndian.Uint16(d) == 1
		case recBoundSheet:
			if err := w.addSheet(d); err != nil {
				return err
			}
		case recFormat:
			if ifmt, code, ok := w.format(d); ok {
				dateFmt[ifmt] = isDateFormat(code)
				if isPercentFormat(code) {
					pctFmt[ifmt] = true
				}
			}
		case recXF:
			if len(d) >= 4 {
				xfFmt = append(xfFmt, binary.LittleEndian.Uint16(d[2:]))
			}
		case recSST:
			if w.biff5 {
				break
			}
			if err := w.readSST(r, lim, &sstBytes); err != nil {
				return err
			}
		}
	}
	w.dateXF = make([]bool, len(xfFmt))
	w.pctXF = make([]bool, len(xfFmt))
	for i, f := range xfFmt {
		custom, ok := dateFmt[f]
		w.dateXF[i] = ok && custom || !ok && builtinDate(f)
		w.pctXF[i] = !w.dateXF[i] && (pctFmt[f] || !ok && (f == 9 || f == 10))
	}
	return nil
}

// addSheet records a BOUNDSHEET naming a worksheet.
func (w *Workbook) addSheet(d []byte) error {
	if len(d) < 7 {
		return fmt.Errorf("%w: short BOUNDSHEET record", ErrCorrupt)
	}
	off := int64(binary.LittleEndian.Uint32(d))
	vis, typ := Visibility(d[4]&0x03), d[5]
	var name string
	if w.biff5 {
		n := int(d[6])
		if 7+n > len(d) {
			return fmt.Errorf("%w: BOUNDSHEET name runs past its record", ErrCorrupt)
		}
		name = w.decode(d[7 : 7+n])
	} else {
		s, ok := shortString(d[6:])
		if !ok {
			return fmt.Errorf("%w: BOUNDSHEET name runs past its record", ErrCorrupt)
		}
		name = s
	}
	if typ != 0 { // macro, chart or VB module sheets hold no cells
		return nil
	}
	if off <= 0 || off >= w.size {
		return fmt.Errorf("%w: sheet %q starts past the stream", ErrCorrupt, name)
	}
	if vis > VeryHidden {
		vis = Hidden
	}
	w.sheets = append(w.sheets, sheetEntry{info: SheetInfo{Name: name, Visibility: vis}, off: off})
	return nil
}

// shortString reads a BIFF8 string held in one record: a one-byte count,
// a flag byte, the characters.
func shortString(d []byte) (string, bool) {
	if len(d) < 2 {
		return "", false
	}
	return charsAt(d[2:], int(d[0]), d[1]&0x01 != 0)
}

// xlString reads a BIFF8 XLUnicodeString in one record (two-byte count).
func xlString(d []byte) (string, bool) {
	if len(d) < 3 {
		return "", false
	}
	return charsAt(d[3:], int(binary.LittleEndian.Uint16(d)), d[2]&0x01 != 0)
}

func charsAt(d []byte, n int, wide bool) (string, bool) {
	var sb strings.Builder
	if wide {
		if 2*n > len(d) {
			return "", false
		}
		appendUTF16(&sb, d[:2*n])
		return sb.String(), true
	}
	if n > len(d) {
		return "", false
	}
	for _, b := range d[:n] {
		sb.WriteRune(rune(b))
	}
	return sb.String(), true
}

// format reads a FORMAT record: its index and format code.
func (w *Workbook) format(d []byte) (uint16, string, bool) {
	if len(d) < 3 {
		return 0, "", false
	}
	ifmt := binary.LittleEndian.Uint16(d)
	if w.biff5 {
		n := int(d[2])
		if 3+n > len(d) {
			return 0, "", false
		}
		return ifmt, w.decode(d[3 : 3+n]), true
	}
	s, ok := xlString(d[2:])
	return ifmt, s, ok
}

// readSST reads the shared string table and its CONTINUE records. The
// strings are held in memory (as xlsx does), within the limits (an
// *xlsx.LimitError past them); the count the record declares only caps the
// reading, it allocates nothing.
func (w *Workbook) readSST(r *recReader, lim Limits, used *int64) error {
	if len(r.data) < 8 {
		return fmt.Errorf("%w: short SST record", ErrCorrupt)
	}
	unique := int64(binary.LittleEndian.Uint32(r.data[4:]))
	c := newCont(r)
	c.pos = 8
	var sb strings.Builder
	for i := int64(0); i < unique; i++ {
		if c.pos >= len(c.buf) && !c.more() {
			break // fewer strings than declared: Excel writes such files too
		}
		s, ok := c.unicodeString(&sb, 2)
		if !ok {
			if c.err != nil {
				return c.err
			}
			return fmt.Errorf("%w: shared string %d runs past its records", ErrCorrupt, i)
		}
		if *used += int64(len(s)); *used > lim.MaxStringBytes {
			return &xlsx.LimitError{Limit: xlsx.LimitSharedStringBytes, Max: lim.MaxStringBytes}
		}
		if len(w.sst) >= lim.MaxStrings {
			return &xlsx.LimitError{Limit: xlsx.LimitSharedStrings, Max: int64(lim.MaxStrings)}
		}
		w.sst = append(w.sst, s)
	}
	c.skip(1 << 30) // CONTINUE records past the declared count
	return c.err
}

// builtinDate reports whether a built-in number format shows a date or time.
func builtinDate(ifmt uint16) bool {
	return ifmt >= 14 && ifmt <= 22 || ifmt >= 27 && ifmt <= 36 || ifmt >= 45 && ifmt <= 47 || ifmt >= 50 && ifmt <= 58
}

// isDateFormat reports whether a format code shows a date or a time: a d,
// m, y, h or s outside quoted text, escapes and [colour] or [$-locale]
// brackets ([h], [mm] and [ss] are elapsed time, which counts).
func isDateFormat(code string) bool {
	sections := strings.Split(code, ";")
	code = strings.ToLower(sections[0])
	for i := 0; i < len(code); i++ {
		switch ch := code[i]; ch {
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return false
			}
			i += j + 1
		case '\\', '_', '*':
			i++
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return false
			}
			in := code[i+1 : i+j]
			if in != "" && strings.Trim(in, "hms") == "" {
				return true
			}
			i += j
		case 'd', 'm', 'y', 'h', 's':
			return true
		case 'g':
			if strings.HasPrefix(code[i:], "general") {
				i += len("general") - 1
			}
		}
	}
	return false
}

// isPercentFormat reports whether a format code shows a percentage: a %
// outside quotes and escapes, in its first (positive) section.
func isPercentFormat(code string) bool {
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case ';':
			return false
		case '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				return false
			}
			i += j + 1
		case '\\', '_', '*':
			i++
		case '%':
			return true
		}
	}
	return false
}
