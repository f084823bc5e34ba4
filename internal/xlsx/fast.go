package xlsx

import "bytes"

// The fast path. Almost every cell a spreadsheet program writes has one of a
// few shapes:
//
//	<c r="B7" s="3" t="s"><v>12</v></c>
//	<c r="C7" t="n"><v>1.5</v></c>
//	<c r="D7" s="3"/>
//
// fastCell reads such a cell straight from the scanner's buffer, without
// tokens or an attribute iterator. Anything else (a prefix, odd spacing,
// single quotes, other attributes, <f>, <is>, CDATA, comments, a cell split
// by the buffer's end) leaves the buffer untouched for the general path
// (readCell), which reads every cell the same way, only slower: the fast path
// decides nothing on its own, it hands the same raw values to the same
// functions (parseColRef, parseKind, parseIndex, appendText, addCell).
// TestFastPathMatchesGeneral and FuzzFastPath hold it to that.

var (
	endCell  = []byte("</c>")
	endVCell = []byte("</v></c>")
	endRow   = []byte("</row>")
)

// fastCell reads the cell at the scanner's position if it has a common
// shape. handled reports whether it did; when not, nothing was consumed.
// col is the cell's column, for the next cell's positional default.
func (r *Rows) fastCell(nextCol int) (col int, handled bool, err error) {
	s := r.s
	b := s.buf[s.pos:s.end]
	// b[0] == '<' and b[1] == 'c', checked by the caller.
	col = nextCol
	typ := kindNumber
	f := FormatPlain
	i := 2
	for {
		if i >= len(b) {
			return 0, false, nil
		}
		switch b[i] {
		case ' ':
			// One attribute: a one-letter name, = and a double-quoted
			// value, raw as attrIter gives it (cellHead decodes no
			// reference either).
			if i+3 >= len(b) || b[i+2] != '=' || b[i+3] != '"' {
				return 0, false, nil
			}
			name := b[i+1]
			j := i + 4
			for j < len(b) && b[j] != '"' {
				j++
			}
			if j >= len(b) {
				return 0, false, nil
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
				return 0, false, nil
			}
			i = j + 1
		case '/':
			if i+1 >= len(b) || b[i+1] != '>' {
				return 0, false, nil
			}
			s.pos += i + 2 // an empty cell: a style at most
			return col, true, nil
		case '>':
			i++
			rest := b[i:]
			if bytes.HasPrefix(rest, endCell) {
				s.pos += i + len(endCell)
				return col, true, r.addCell(col, typ, f, nil, nil, false)
			}
			if len(rest) < 3 || rest[0] != '<' || rest[1] != 'v' || rest[2] != '>' {
				return 0, false, nil
			}
			text := rest[3:]
			k := bytes.IndexByte(text, '<')
			if k < 0 || !bytes.HasPrefix(text[k:], endVCell) {
				return 0, false, nil
			}
			text = text[:k]
			val := text
			if !isPlain(text) {
				r.val = appendText(r.val[:0], text)
				val = r.val
			}
			s.pos += i + 3 + k + len(endVCell)
			return col, true, r.addCell(col, typ, f, val, nil, false)
		default:
			return 0, false, nil
		}
	}
}
