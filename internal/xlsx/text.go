package xlsx

import (
	"bytes"
	"unicode/utf8"
)

// predefined are XML's five predefined entities. Any other named entity is
// kept literally: a DOCTYPE's declarations are never expanded, which is what
// defuses "billion laughs" files.
var predefined = map[string]byte{"amp": '&', "lt": '<', "gt": '>', "quot": '"', "apos": '\''}

// appendText appends raw XML character data to dst with entity and character
// references decoded and line ends normalised (CR LF and lone CR become LF,
// as an XML parser must).
func appendText(dst, raw []byte) []byte {
	if len(raw) <= 32 && isPlain(raw) { // most cell values: skip two IndexByte calls
		return append(dst, raw...)
	}
	if bytes.IndexByte(raw, '\r') >= 0 {
		raw = normalizeCR(raw)
	}
	return appendEntities(dst, raw)
}

// isPlain reports whether b needs no decoding.
func isPlain(b []byte) bool {
	for _, c := range b {
		if c == '&' || c == '\r' {
			return false
		}
	}
	return true
}

// appendCDATA appends a CDATA section's content with line ends normalised.
func appendCDATA(dst, raw []byte) []byte {
	if bytes.IndexByte(raw, '\r') >= 0 {
		return append(dst, normalizeCR(raw)...)
	}
	return append(dst, raw...)
}

// normalizeCR rewrites literal CR LF and lone CR as LF; a character
// reference (&#13;) still yields CR because it is decoded afterwards.
func normalizeCR(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '\r' {
			out = append(out, '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			continue
		}
		out = append(out, b[i])
	}
	return out
}

func appendEntities(dst, raw []byte) []byte {
	for {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		j := bytes.IndexByte(raw, ';')
		if j < 0 || j > 12 {
			dst = append(dst, '&')
			raw = raw[1:]
			continue
		}
		ent := raw[1:j]
		if r, ok := charRef(ent); ok {
			dst = utf8.AppendRune(dst, r)
		} else if c, ok := predefined[string(ent)]; ok {
			dst = append(dst, c)
		} else {
			dst = append(dst, raw[:j+1]...)
		}
		raw = raw[j+1:]
	}
}

// charRef decodes "#123" or "#x7B".
func charRef(ent []byte) (rune, bool) {
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	base, digits := 10, ent[1:]
	if digits[0] == 'x' || digits[0] == 'X' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 {
		return 0, false
	}
	var r rune
	for _, c := range digits {
		d := hexDigit(c)
		if d < 0 || d >= base {
			return 0, false
		}
		r = r*rune(base) + rune(d)
		if r > utf8.MaxRune {
			return 0, false
		}
	}
	if !utf8.ValidRune(r) {
		return utf8.RuneError, true
	}
	return r, true
}

func hexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// decodeEscapes decodes Excel's _xHHHH_ escapes (ECMA-376 ST_Xstring), which
// carry characters XML 1.0 cannot, such as carriage return as _x000D_.
// _x005F_ is an escaped underscore, so _x005F_x000D_ reads as "_x000D_".
func decodeEscapes(b []byte) []byte {
	i := bytes.Index(b, []byte("_x"))
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i >= 0 {
		out = append(out, b[:i]...)
		b = b[i:]
		if r, ok := escapeAt(b); ok {
			out = utf8.AppendRune(out, r)
			b = b[7:]
		} else {
			out = append(out, '_')
			b = b[1:]
		}
		i = bytes.Index(b, []byte("_x"))
	}
	return append(out, b...)
}

// escapeAt decodes "_xHHHH_" at the start of b.
func escapeAt(b []byte) (rune, bool) {
	if len(b) < 7 || b[6] != '_' {
		return 0, false
	}
	var r rune
	for _, c := range b[2:6] {
		d := hexDigit(c)
		if d < 0 {
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	if !utf8.ValidRune(r) {
		r = utf8.RuneError
	}
	return r, true
}
