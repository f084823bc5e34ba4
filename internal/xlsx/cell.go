package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// maxCol is the number of columns a sheet can have (A..XFD).
const maxCol = 16384

// maxRow is the number of rows a sheet can have.
const maxRow = 1 << 20

// maxRowBytes bounds one row's values (Limits.MaxCellBytes one cell's).
const maxRowBytes = 64 << 20

var errTooBig = errors.New("cell or row larger than a worksheet can hold")

// cellKind is a cell's t attribute, read before the scanner moves on.
type cellKind uint8

const (
	kindNumber cellKind = iota // "n", absent or unknown
	kindShared                 // "s"
	kindInline                 // "inlineStr"
	kindStr                    // "str": a formula's string result
	kindBool                   // "b"
	kindError                  // "e"
	kindDate                   // "d"
)

func parseKind(t []byte) cellKind {
	switch string(t) {
	case "s":
		return kindShared
	case "inlineStr":
		return kindInline
	case "str":
		return kindStr
	case "b":
		return kindBool
	case "e":
		return kindError
	case "d":
		return kindDate
	}
	return kindNumber
}

// readCell reads a <c> element's content up to </c> and appends the cell to
// the row when it has a value. A formula (<f>) counts by its cached <v>.
func (r *Rows) readCell(col int, typ cellKind, f Format) error {
	val, is := r.val[:0], r.istr[:0]
	var inV, inIS, inT, hasIS bool
	rph := 0
	for closed := false; !closed; {
		switch r.s.next() {
		case tokEOF:
			return errors.Join(io.ErrUnexpectedEOF, r.s.Err())
		case tokText:
			if len(val)+len(is) > r.lim.MaxCellBytes {
				return limitErr(LimitCellBytes, int64(r.lim.MaxCellBytes))
			}
			if inV {
				val = appendText(val, r.s.text)
			} else if inT && rph == 0 {
				is = appendText(is, r.s.text)
			}
		case tokCDATA:
			if len(val)+len(is) > r.lim.MaxCellBytes {
				return limitErr(LimitCellBytes, int64(r.lim.MaxCellBytes))
			}
			if inV {
				val = appendCDATA(val, r.s.text)
			} else if inT && rph == 0 {
				is = appendCDATA(is, r.s.text)
			}
		case tokStart:
			switch string(r.s.name) {
			case "v": // a repeated <v> replaces the earlier one, as in excelize
				inV, val = true, val[:0]
			case "is":
				inIS, hasIS, is = true, true, is[:0]
			case "t":
				inT = inIS
			case "rPh":
				rph++
			}
		case tokEmpty:
			switch string(r.s.name) {
			case "v":
				val = val[:0]
			case "is":
				hasIS, is = true, is[:0]
			}
		case tokEnd:
			switch string(r.s.name) {
			case "v":
				inV = false
			case "is":
				inIS = false
			case "t":
				inT = false
			case "rPh":
				rph--
			case "c":
				closed = true
			}
		}
	}
	r.val, r.istr = val, is
	return r.addCell(col, typ, f, val, is, hasIS)
}

// addCell resolves a cell's stored value by its type and appends it to the
// row unless it is empty.
func (r *Rows) addCell(col int, typ cellKind, f Format, val, is []byte, hasIS bool) error {
	if col >= maxCol {
		return fmt.Errorf("cell column %d past XFD", col+1)
	}
	if col >= r.lim.MaxColumns {
		return limitErr(LimitColumns, int64(r.lim.MaxColumns))
	}
	if len(r.cells) >= maxCol || len(r.arena) > maxRowBytes {
		return errTooBig
	}
	t := Number
	switch typ {
	case kindShared:
		idx, ok := parseIndex(trimSpace(val))
		if !ok {
			if len(trimSpace(val)) == 0 {
				return nil
			}
			return fmt.Errorf("bad shared string index %q", val)
		}
		if idx >= len(r.sst) {
			return fmt.Errorf("shared string index %d out of range (%d strings)", idx, len(r.sst))
		}
		if s := r.sst[idx]; s != "" {
			r.cells = append(r.cells, Cell{Col: col, Type: String, Value: s})
			r.ends = append(r.ends, -1)
		}
		return nil
	case kindInline:
		if hasIS {
			val = is
		}
		t, val = String, decodeEscapes(val)
	case kindStr:
		t, val = String, decodeEscapes(val)
	case kindBool:
		t, val = Bool, trimSpace(val)
	case kindError:
		t, val = Error, trimSpace(val)
	case kindDate:
		t, val = Date, trimSpace(val)
	default:
		val = trimSpace(val)
	}
	if len(val) == 0 {
		return nil
	}
	r.arena = append(r.arena, val...)
	if t != Number {
		f = FormatPlain
	}
	r.cells = append(r.cells, Cell{Col: col, Type: t, Format: f})
	r.ends = append(r.ends, len(r.arena))
	return nil
}

// parseColRef reads the column of a cell reference such as "AB12" (0-based).
func parseColRef(ref []byte) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c >= 'A' && c <= 'Z':
			col = col*26 + int(c-'A') + 1
		case c >= 'a' && c <= 'z':
			col = col*26 + int(c-'a') + 1
		case c == '$' && i == 0:
			continue
		default:
			goto done
		}
		if col > maxCol {
			return 0, false
		}
	}
done:
	if col == 0 {
		return 0, false
	}
	return col - 1, true
}

// parseCellRef reads a reference such as "B3" into 0-based row and column.
func parseCellRef(ref []byte) (row, col int, ok bool) {
	ref = bytes.ReplaceAll(ref, []byte("$"), nil)
	i := 0
	for i < len(ref) && (ref[i] >= 'A' && ref[i] <= 'Z' || ref[i] >= 'a' && ref[i] <= 'z') {
		i++
	}
	col, ok = parseColRef(ref[:i])
	if !ok {
		return 0, 0, false
	}
	n, ok := parseRowNum(ref[i:])
	if !ok {
		return 0, 0, false
	}
	return n - 1, col, true
}

// parseRowNum reads a 1-based row number.
func parseRowNum(b []byte) (int, bool) {
	n, ok := parseIndex(trimSpace(b))
	if !ok || n < 1 || n > maxRow {
		return 0, false
	}
	return n, true
}

// parseIndex reads a non-negative decimal integer of at most nine digits.
func parseIndex(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// rawAttr returns the undecoded value of an attribute.
func rawAttr(attrs []byte, name string) ([]byte, bool) {
	it := attrIter{attrs}
	for {
		n, v, ok := it.next()
		if !ok {
			return nil, false
		}
		if string(n) == name {
			return v, true
		}
	}
}
