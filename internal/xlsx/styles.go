package xlsx

import (
	"context"
	"strconv"
	"strings"
)

// Format is what a number cell's number format says it shows.
type Format uint8

// Number formats.
const (
	FormatPlain   Format = iota // a plain number (or no style)
	FormatDate                  // a date or a time: the number is a date serial
	FormatPercent               // a percentage: 40 % is stored as 0.4
)

// relStyles ends the relationship type of the styles part.
const relStyles = "/styles"

// maxStyles bounds the cell formats read from the styles part.
const maxStyles = 1 << 16

// loadStyles reads the styles part once: the Format of each cell format
// (cellXfs), by the s attribute of a <c>. A missing or unreadable part
// leaves every cell plain.
func (w *Workbook) loadStyles(ctx context.Context) {
	if w.stylesLoaded {
		return
	}
	w.stylesLoaded = true
	zf := w.part(w.stylesPath)
	if w.stylesPath == "" || zf == nil {
		return
	}
	rc, err := w.openPart(zf)
	if err != nil {
		return
	}
	defer rc.Close()
	s := newScanner(&countingReader{r: rc, ctx: ctx})
	custom := map[int]Format{}
	var xfs []Format
	inXfs := false
	for k := s.next(); k != tokEOF; k = s.next() {
		switch k {
		case tokStart, tokEmpty:
			switch string(s.name) {
			case "numFmt":
				id, _ := attr(s.attrs, "numFmtId")
				code, _ := attr(s.attrs, "formatCode")
				if n, err := strconv.Atoi(id); err == nil && len(custom) < maxStyles {
					custom[n] = formatOfCode(code)
				}
			case "cellXfs":
				inXfs = k == tokStart
			case "xf":
				if !inXfs || len(xfs) >= maxStyles {
					continue
				}
				id, _ := attr(s.attrs, "numFmtId")
				n, _ := strconv.Atoi(id)
				f, ok := custom[n]
				if !ok {
					f = builtinFormat(n)
				}
				xfs = append(xfs, f)
			}
		case tokEnd:
			if string(s.name) == "cellXfs" {
				inXfs = false
			}
		}
	}
	for _, f := range xfs {
		if f != FormatPlain {
			w.styles = xfs
			return
		}
	}
}

// builtinFormat is the Format of a built-in number format id (ECMA-376
// 18.8.30): 9, 10 percentages; 14–22, 45–47 dates and times.
func builtinFormat(id int) Format {
	switch {
	case id == 9 || id == 10:
		return FormatPercent
	case id >= 14 && id <= 22, id >= 45 && id <= 47, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return FormatDate
	}
	return FormatPlain
}

// formatOfCode reads a custom format code: a % outside quotes is a
// percentage; y, m, d, h or s outside quotes, brackets and escapes is a date
// or a time ([$-419] locale prefixes and [Red] colours are skipped, [h] is
// elapsed time).
func formatOfCode(code string) Format {
	if i := strings.IndexByte(code, ';'); i >= 0 {
		code = code[:i] // the positive section decides
	}
	date, pct := false, false
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case '\\', '_', '*':
			i++
		case '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				i = len(code)
				continue
			}
			in := strings.ToLower(code[i+1 : i+j])
			if in == "h" || in == "hh" || in == "m" || in == "mm" || in == "s" || in == "ss" {
				date = true
			}
			i += j
		case '%':
			pct = true
		case 'y', 'Y', 'd', 'D', 'h', 'H', 's', 'S', 'm', 'M':
			date = true
		}
	}
	switch {
	case pct:
		return FormatPercent
	case date:
		return FormatDate
	}
	return FormatPlain
}
