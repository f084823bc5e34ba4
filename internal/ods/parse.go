package ods

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Namespaces of the elements and attributes read.
const (
	nsOffice  = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	nsTable   = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	nsText    = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	nsStyle   = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
	nsCalcExt = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
)

// Sheet bounds, as in LibreOffice and Excel. Empty rows and cells may be
// repeated any number of times below 2^31 (it costs nothing); a value
// repeated past these bounds is ErrTooLarge.
const (
	maxRow       = 1 << 20
	maxCol       = 16384
	maxCellBytes = 16 << 20
)

// parser walks content.xml: tables, then rows, then cells.
type parser struct {
	dec       *xml.Decoder
	lim       Limits
	hiddenSty map[string]bool // table styles with table:display="false"
	style     string          // the table style being read
	sawBody   bool
	nextIdx   int // index of the next row element
	rowIdx    int // index of the current row
	repeat    int // repetitions of the current row still to give
	cells     []Cell
	count     int64 // cells given in this table, repeats included
	spans     []Range
	wantSpans bool
	text      strings.Builder
	colIdx    int   // index of the next table-column element's column
	hidden    []int // columns of the table with table:visibility collapse or filter
	rowHid    bool  // the current row has table:visibility collapse or filter
}

func newParser(r io.Reader, lim Limits) *parser {
	return &parser{dec: xml.NewDecoder(r), lim: lim, hiddenSty: map[string]bool{}}
}

func attr(se xml.StartElement, space, local string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space == space {
			return a.Value, true
		}
	}
	return "", false
}

func (p *parser) token() (xml.Token, error) {
	t, err := p.dec.Token()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return t, nil
}

// nextTable moves to the next table:table, noting the hidden table styles
// on the way; false at the end of the document.
func (p *parser) nextTable() (name string, hidden, ok bool, err error) {
	for {
		t, err := p.token()
		if err == io.EOF {
			return "", false, false, nil
		}
		if err != nil {
			return "", false, false, err
		}
		se, isStart := t.(xml.StartElement)
		if !isStart {
			continue
		}
		switch {
		case se.Name.Space == nsOffice && se.Name.Local == "spreadsheet":
			p.sawBody = true
		case se.Name.Space == nsStyle && se.Name.Local == "style":
			if fam, _ := attr(se, nsStyle, "family"); fam == "table" {
				p.style, _ = attr(se, nsStyle, "name")
			}
		case se.Name.Space == nsStyle && se.Name.Local == "table-properties":
			if v, _ := attr(se, nsTable, "display"); v == "false" && p.style != "" {
				p.hiddenSty[p.style] = true
			}
		case se.Name.Space == nsTable && se.Name.Local == "table" && p.sawBody:
			name, _ = attr(se, nsTable, "name")
			sty, _ := attr(se, nsTable, "style-name")
			p.nextIdx, p.repeat, p.count, p.cells = 0, 0, 0, p.cells[:0]
			p.colIdx, p.hidden = 0, nil
			return name, p.hiddenSty[sty], true, nil
		case se.Name.Space == nsOffice && (se.Name.Local == "annotation" || se.Name.Local == "forms"):
			if err := p.skip(); err != nil {
				return "", false, false, err
			}
		}
	}
}

func (p *parser) skip() error {
	if err := p.dec.Skip(); err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return nil
}

// skipTable moves past the current table.
func (p *parser) skipTable() error { return p.skip() }

// repeatAttr reads a repeat or span count: 1 when absent; above max, ErrCorrupt.
func repeatAttr(se xml.StartElement, local string, max int) (int, error) {
	v, ok := attr(se, nsTable, local)
	if !ok {
		return 1, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 1 || n > max {
		return 0, fmt.Errorf("%w: table:%s=%q is not a count from 1 to %d", ErrCorrupt, local, v, max)
	}
	return n, nil
}

// nextRow moves to the next row holding a cell; false at the end of the table.
func (p *parser) nextRow() (bool, error) {
	if p.repeat > 0 {
		p.repeat--
		p.rowIdx++
		return true, nil
	}
	for {
		t, err := p.token()
		if err == io.EOF {
			return false, fmt.Errorf("%w: the document ends inside a table", ErrCorrupt)
		}
		if err != nil {
			return false, err
		}
		switch e := t.(type) {
		case xml.EndElement:
			if e.Name.Space == nsTable && e.Name.Local == "table" {
				return false, nil
			}
		case xml.StartElement:
			switch {
			case e.Name.Space == nsTable && e.Name.Local == "table-row":
				n, err := repeatAttr(e, "number-rows-repeated", math.MaxInt32)
				if err != nil {
					return false, err
				}
				if err := p.readRow(); err != nil {
					return false, err
				}
				idx := p.nextIdx
				p.nextIdx += n
				if len(p.cells) == 0 {
					continue
				}
				v, _ := attr(e, nsTable, "visibility")
				p.rowHid = v == "collapse" || v == "filter"
				if p.nextIdx > maxRow {
					return false, fmt.Errorf("%w: a row past row %d", ErrTooLarge, maxRow)
				}
				p.count += int64(len(p.cells)) * int64(n)
				if p.count > p.lim.MaxCells {
					return false, fmt.Errorf("%w: more than %d cells in a table", ErrTooLarge, p.lim.MaxCells)
				}
				p.rowIdx, p.repeat = idx, n-1
				return true, nil
			case e.Name.Space == nsTable && e.Name.Local == "table-column":
				if err := p.column(e); err != nil {
					return false, err
				}
			case e.Name.Space == nsTable && (e.Name.Local == "table-columns" ||
				e.Name.Local == "table-header-columns" || e.Name.Local == "table-column-group" ||
				e.Name.Local == "table-header-rows" || e.Name.Local == "table-rows" || e.Name.Local == "table-row-group"):
				// containers of rows, or columns: read through
			case e.Name.Space == nsTable && e.Name.Local == "table-source", e.Name.Space == nsTable && e.Name.Local == "shapes",
				e.Name.Space == nsTable && e.Name.Local == "named-expressions", e.Name.Space == nsOffice:
				if err := p.skip(); err != nil {
					return false, err
				}
			}
		}
	}
}

// column notes a table-column element: its columns, and whether they are
// hidden (table:visibility="collapse" or "filter").
func (p *parser) column(e xml.StartElement) error {
	n, err := repeatAttr(e, "number-columns-repeated", math.MaxInt32)
	if err != nil {
		return err
	}
	if v, _ := attr(e, nsTable, "visibility"); v == "collapse" || v == "filter" {
		for c := p.colIdx; c < p.colIdx+n && c < maxCol; c++ {
			p.hidden = append(p.hidden, c)
		}
	}
	p.colIdx = min(p.colIdx+n, maxCol)
	return nil
}

// readRow reads a table-row's cells up to its end into p.cells.
func (p *parser) readRow() error {
	p.cells = p.cells[:0]
	col := 0
	for {
		t, err := p.token()
		if err != nil {
			if err == io.EOF {
				return fmt.Errorf("%w: the document ends inside a row", ErrCorrupt)
			}
			return err
		}
		switch e := t.(type) {
		case xml.EndElement:
			if e.Name.Space == nsTable && e.Name.Local == "table-row" {
				return nil
			}
		case xml.StartElement:
			if e.Name.Space != nsTable || e.Name.Local != "table-cell" && e.Name.Local != "covered-table-cell" {
				if err := p.skip(); err != nil {
					return err
				}
				continue
			}
			n, err := repeatAttr(e, "number-columns-repeated", math.MaxInt32)
			if err != nil {
				return err
			}
			// A covered cell (under a merge) may keep a value, as an .xlsx
			// cell under a merge does: it is read like any other.
			if e.Name.Local == "table-cell" {
				if err := p.spanOf(e, col); err != nil {
					return err
				}
			}
			if p.wantSpans { // the opening scan wants the merges, not the values
				col += n
				if err := p.skip(); err != nil {
					return err
				}
				continue
			}
			c, ok, err := p.readCell(e)
			if err != nil {
				return err
			}
			if ok {
				if col+n > maxCol {
					return fmt.Errorf("%w: a cell past column %d", ErrTooLarge, maxCol)
				}
				for i := 0; i < n; i++ {
					c.Col = col + i
					p.cells = append(p.cells, c)
				}
			}
			col += n
		}
	}
}

// spanOf records a cell's merge.
func (p *parser) spanOf(e xml.StartElement, col int) error {
	if !p.wantSpans {
		return nil
	}
	cs, err := repeatAttr(e, "number-columns-spanned", maxCol)
	if err != nil {
		return err
	}
	rs, err := repeatAttr(e, "number-rows-spanned", maxRow)
	if err != nil {
		return err
	}
	if cs > 1 || rs > 1 {
		p.spans = append(p.spans, Range{FirstRow: p.nextIdx, FirstCol: col, LastRow: p.nextIdx + rs - 1, LastCol: col + cs - 1})
	}
	return nil
}

// readCell reads a table-cell's value and text up to its end.
func (p *parser) readCell(e xml.StartElement) (Cell, bool, error) {
	text, err := p.cellText()
	if err != nil {
		return Cell{}, false, err
	}
	vt, _ := attr(e, nsOffice, "value-type")
	if ext, _ := attr(e, nsCalcExt, "value-type"); ext == "error" {
		return Cell{Type: Error, Value: strings.TrimSpace(text)}, true, nil
	}
	bad := func(v string) (Cell, bool, error) {
		return Cell{}, false, fmt.Errorf("%w: a %s cell holds %q", ErrCorrupt, vt, v)
	}
	switch vt {
	case "float", "percentage", "currency":
		v, _ := attr(e, nsOffice, "value")
		v = strings.TrimSpace(v)
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return bad(v)
		}
		return Cell{Type: Number, Value: v, Percent: vt == "percentage"}, true, nil
	case "date":
		v, _ := attr(e, nsOffice, "date-value")
		s, ok := dateSerial(strings.TrimSpace(v))
		if !ok {
			return bad(v)
		}
		return Cell{Type: Number, Value: formatNumber(s), Date: true}, true, nil
	case "time":
		v, _ := attr(e, nsOffice, "time-value")
		s, ok := durationDays(strings.TrimSpace(v))
		if !ok {
			return bad(v)
		}
		return Cell{Type: Number, Value: formatNumber(s), Date: true}, true, nil
	case "boolean":
		v, _ := attr(e, nsOffice, "boolean-value")
		switch strings.TrimSpace(v) {
		case "true", "1":
			return Cell{Type: Bool, Value: "1"}, true, nil
		case "false", "0":
			return Cell{Type: Bool, Value: "0"}, true, nil
		}
		return bad(v)
	case "string":
		if v, ok := attr(e, nsOffice, "string-value"); ok {
			text = v
		}
	}
	if text == "" {
		return Cell{}, false, nil
	}
	return Cell{Type: String, Value: text}, true, nil
}

// cellText gathers a cell's paragraphs (joined by a newline), with text:s,
// text:tab and text:line-break, leaving out annotations.
func (p *parser) cellText() (string, error) {
	p.text.Reset()
	paras, inP := 0, 0
	for depth := 1; depth > 0; {
		t, err := p.token()
		if err != nil {
			if err == io.EOF {
				return "", fmt.Errorf("%w: the document ends inside a cell", ErrCorrupt)
			}
			return "", err
		}
		switch e := t.(type) {
		case xml.StartElement:
			switch {
			case e.Name.Space == nsOffice && e.Name.Local == "annotation",
				e.Name.Space == nsText && (e.Name.Local == "note" || e.Name.Local == "ruby-text"):
				if err := p.skip(); err != nil {
					return "", err
				}
				continue
			case e.Name.Space == nsText && (e.Name.Local == "p" || e.Name.Local == "h") && inP == 0:
				if paras > 0 {
					p.text.WriteByte('\n')
				}
				paras++
				inP = depth
			case e.Name.Space == nsText && e.Name.Local == "s" && inP > 0:
				n, err := strconv.Atoi(attrOr(e, nsText, "c", "1"))
				if err != nil || n < 1 || n > maxCellBytes-p.text.Len() {
					return "", fmt.Errorf("%w: text:s c=%q", ErrCorrupt, attrOr(e, nsText, "c", ""))
				}
				p.text.WriteString(strings.Repeat(" ", n))
			case e.Name.Space == nsText && e.Name.Local == "tab" && inP > 0:
				p.text.WriteByte('\t')
			case e.Name.Space == nsText && e.Name.Local == "line-break" && inP > 0:
				p.text.WriteByte('\n')
			}
			depth++
		case xml.EndElement:
			depth--
			if depth == inP {
				inP = 0
			}
		case xml.CharData:
			if inP > 0 {
				writeCollapsed(&p.text, e)
			}
		}
		if p.text.Len() > maxCellBytes {
			return "", fmt.Errorf("%w: a cell holds more than %d bytes", ErrTooLarge, maxCellBytes)
		}
	}
	return p.text.String(), nil
}

func attrOr(e xml.StartElement, space, local, def string) string {
	if v, ok := attr(e, space, local); ok {
		return v
	}
	return def
}

// writeCollapsed appends text, with runs of white space read as one space,
// as ODF reads paragraph text (real spaces are written as text:s).
func writeCollapsed(sb *strings.Builder, b []byte) {
	space := false
	for _, c := range string(b) {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			if !space {
				sb.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		sb.WriteRune(c)
	}
}

// dateSerial converts an xsd:date or xsd:dateTime to a 1900-system serial.
func dateSerial(v string) (float64, bool) {
	var t time.Time
	var err error
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02",
		time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04"} {
		if t, err = time.Parse(layout, v); err == nil {
			break
		}
	}
	if err != nil {
		return 0, false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	days := math.Round(d.Sub(base).Hours() / 24)
	if days < 61 {
		days-- // Excel's serials count 1900-02-29, a day that never was
	}
	secs := float64(t.Hour()*3600+t.Minute()*60+t.Second()) + float64(t.Nanosecond())/1e9
	return days + secs/86400, true
}

// durationDays converts an xsd:duration (PT12H30M00S) to days.
func durationDays(v string) (float64, bool) {
	neg := strings.HasPrefix(v, "-")
	v = strings.TrimPrefix(v, "-")
	if !strings.HasPrefix(v, "P") {
		return 0, false
	}
	v = v[1:]
	total, inTime := 0.0, false
	for v != "" {
		if v[0] == 'T' {
			inTime, v = true, v[1:]
			continue
		}
		i := strings.IndexAny(v, "YMWDHS")
		if i <= 0 {
			return 0, false
		}
		n, err := strconv.ParseFloat(v[:i], 64)
		if err != nil {
			return 0, false
		}
		switch unit := v[i]; {
		case unit == 'D' && !inTime:
			total += n
		case unit == 'W' && !inTime:
			total += 7 * n
		case unit == 'H' && inTime:
			total += n / 24
		case unit == 'M' && inTime:
			total += n / 1440
		case unit == 'S' && inTime:
			total += n / 86400
		default:
			return 0, false // years and months have no length in days
		}
		v = v[i+1:]
	}
	if neg {
		total = -total
	}
	return total, true
}

// formatNumber is the shortest decimal that reads back as v.
func formatNumber(v float64) string {
	if a := math.Abs(v); a == 0 || a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
