package xlsx

import (
	"bytes"
	"encoding/binary"
)

// The fast path. Almost every cell a spreadsheet program writes has one of a
// few shapes:
//
//	<c r="B7" s="3" t="s"><v>12</v></c>
//	<c r="C7" t="n"><v>1.5</v></c>
//	<c r="D7" s="3"/>
//
// fastCells reads such cells straight from the scanner's buffer, without
// tokens or an attribute iterator. Anything else (a prefix, odd spacing,
// single quotes, other attributes, <f>, <is>, CDATA, comments, a cell split
// by the buffer's end) leaves the buffer untouched for the general path
// (readCell), which reads every cell the same way, only slower: the fast path
// decides nothing on its own, it hands the same raw values to the same
// functions (parseColRef, parseKind, parseIndex, appendText, addCell).
// TestFastPathMatchesGeneral and FuzzFastPath hold it to that.

// Closing tags, compared as little-endian words.
var (
	endCell  = binary.LittleEndian.Uint32([]byte("</c>"))
	endVCell = binary.LittleEndian.Uint64([]byte("</v></c>"))
	endRow   = []byte("</row>")
)

// fastCells reads the cells from the scanner's position on while they have
// a common shape, and the </row> after them. It stops, leaving the scanner
// at the first byte it did not read, on anything else or at the end of the
// bytes read so far. It returns the next cell's positional column and
// whether the row ended.
func (r *Rows) fastCells(nextCol int) (next int, ended bool, err error) {
	s := r.s
	buf := s.buf[:s.end]
	pos := s.pos
	for {
		b := buf[pos:]
		if len(b) < 2 || b[0] != '<' {
			break
		}
		if b[1] != 'c' {
			if bytes.HasPrefix(b, endRow) {
				s.pos = pos + len(endRow)
				return nextCol, true, nil
			}
			break
		}
		n, col, err := r.fastCell(b, nextCol)
		if n == 0 {
			break
		}
		pos += n
		nextCol = col + 1
		if err != nil {
			s.pos = pos
			return nextCol, false, err
		}
	}
	s.pos = pos
	return nextCol, false, nil
}

// fastCell reads the cell at the start of b (which starts with "<c") if it
// has a common shape, returning its length, or 0 when it does not, and its
// column.
func (r *Rows) fastCell(b []byte, nextCol int) (n, col int, err error) {
	col = nextCol
	typ := kindNumber
	f := FormatPlain
	i := 2
	for i < len(b) {
		switch b[i] {
		case ' ':
			// One attribute: a one-letter name, = and a double-quoted
			// value, raw as attrIter gives it (cellHead decodes no
			// reference either).
			if i+3 >= len(b) || b[i+2] != '=' || b[i+3] != '"' {
				return 0, 0, nil
			}
			name := b[i+1]
			j := i + 4
			for j < len(b) && b[j] != '"' {
				j++
			}
			if j >= len(b) {
				return 0, 0, nil
			}
			v := b[i+4 : j]
			switch name {
			case 'r':
				if c, ok := parseColRef(v); ok {
					col = c
				}
			case 't':
				typ = parseKind(v)
			case 's':
				if len(r.styles) > 0 {
					if k, ok := parseIndex(v); ok && k < len(r.styles) {
						f = r.styles[k]
					}
				}
			default:
				return 0, 0, nil
			}
			i = j + 1
		case '/':
			if i+1 >= len(b) || b[i+1] != '>' {
				return 0, 0, nil
			}
			return i + 2, col, nil // an empty cell: a style at most
		case '>':
			rest := b[i+1:]
			if len(rest) >= 4 && binary.LittleEndian.Uint32(rest) == endCell {
				return i + 5, col, r.addCell(col, typ, f, nil, nil, false)
			}
			if len(rest) < 3 || rest[0] != '<' || rest[1] != 'v' || rest[2] != '>' {
				return 0, 0, nil
			}
			// The value up to the next '<', in one pass that also sees
			// whether it holds a reference or a CR to decode.
			text := rest[3:]
			k, plain := 0, true
			for k < len(text) && text[k] != '<' {
				if c := text[k]; c == '&' || c == '\r' {
					plain = false
				}
				k++
			}
			if len(text)-k < 8 || binary.LittleEndian.Uint64(text[k:]) != endVCell {
				return 0, 0, nil
			}
			val := text[:k]
			if !plain {
				r.val = appendText(r.val[:0], val)
				val = r.val
			}
			return i + 1 + 3 + k + 8, col, r.addCell(col, typ, f, val, nil, false)
		default:
			return 0, 0, nil
		}
	}
	return 0, 0, nil
}
