package xls

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Sheet bounds: BIFF8 has 65,536 rows and 256 columns; the looser bound
// keeps a hostile record from asking for more.
const (
	maxRow = 1 << 20
	maxCol = 16384
	// maxPendingRows is how many rows may wait for their cells before the
	// lower ones are handed out: Excel writes 32 rows, then their cells.
	maxPendingRows = 256
)

// errOutOfOrder is a cell for a row already handed out.
var errOutOfOrder = fmt.Errorf("%w: cells out of row order", ErrCorrupt)

// Rows streams the non-empty rows of one sheet, in row order, each row's
// cells in column order.
type Rows struct {
	ctx     context.Context
	w       *Workbook
	r       *recReader
	start   int64
	depth   int // BOF/EOF nesting: embedded charts have substreams of their own
	pending map[int][]Cell
	order   []int // pending rows, sorted when handed out
	ready   []int // rows to hand out, ascending
	last    int   // the last row handed out
	row     int
	cells   []Cell
	done    bool
	err     error
	sb      strings.Builder
	hidden  []int        // columns a COLINFO record hides
	hidRows map[int]bool // rows a ROW record hides
	fmla    struct {     // a formula whose string result follows in a STRING record
		row, col int
		date     bool
		on       bool
	}
}

func (w *Workbook) rows(ctx context.Context, s sheetEntry) (*Rows, error) {
	r := newRecReader(w.stream, w.size, s.off)
	ok, err := r.next()
	if err != nil {
		return nil, err
	}
	if !ok || r.typ != recBOF {
		return nil, fmt.Errorf("%w: sheet %q does not start with a BOF record", ErrCorrupt, s.info.Name)
	}
	return &Rows{ctx: ctx, w: w, r: r, start: s.off, depth: 1, pending: map[int][]Cell{}, last: -1, row: -1}, nil
}

// Next moves to the next non-empty row.
func (rs *Rows) Next() bool {
	for len(rs.ready) == 0 {
		if rs.done || rs.err != nil {
			return false
		}
		if err := rs.ctx.Err(); err != nil {
			rs.err = err
			return false
		}
		rs.fill()
	}
	rs.row = rs.ready[0]
	rs.ready = rs.ready[1:]
	rs.cells = rs.pending[rs.row]
	delete(rs.pending, rs.row)
	slices.SortStableFunc(rs.cells, func(a, b Cell) int { return a.Col - b.Col })
	rs.cells = dedupe(rs.cells)
	rs.last = rs.row
	return true
}

// dedupe keeps the last cell of each column (a later record wins, as in Excel).
func dedupe(cs []Cell) []Cell {
	out := cs[:0]
	for i, c := range cs {
		if i+1 < len(cs) && cs[i+1].Col == c.Col {
			continue
		}
		out = append(out, c)
	}
	return out
}

// RowHidden reports whether the current row is hidden (its ROW record).
func (rs *Rows) RowHidden() bool { return rs.hidRows[rs.row] }

// HiddenColumns lists the 0-based columns the sheet hides (its COLINFO
// records, which come before its cells).
func (rs *Rows) HiddenColumns() []int { return rs.hidden }

// fill reads records until some rows are ready: at a DBCELL (the end of a
// block of rows), at the sheet's EOF, or when too many rows wait. A cell for
// a row already handed out is ErrCorrupt: the layout logic reads rows once.
func (rs *Rows) fill() {
	for n := 0; n < 4096; n++ {
		ok, err := rs.r.next()
		if err != nil {
			rs.err = err
			return
		}
		if !ok {
			rs.err = fmt.Errorf("%w: sheet ends without an EOF record", ErrCorrupt)
			return
		}
		switch rs.r.typ {
		case recBOF:
			rs.depth++
			continue
		case recEOF:
			rs.depth--
			if rs.depth == 0 {
				rs.done = true
				rs.flush(math.MaxInt)
				return
			}
			continue
		}
		if rs.depth != 1 {
			continue
		}
		if err := rs.record(); err != nil {
			rs.err = err
			return
		}
		// The highest row waits: a writer may add a cell to it after the
		// block (SheetJS puts formulas last).
		if len(rs.order) > 0 && (rs.r.typ == recDBCell || len(rs.order) > maxPendingRows) {
			rs.flush(slices.Max(rs.order))
		}
		if len(rs.ready) > 0 {
			return
		}
	}
}

// flush hands out the pending rows below limit.
func (rs *Rows) flush(limit int) {
	slices.Sort(rs.order)
	k := 0
	for k < len(rs.order) && rs.order[k] < limit {
		k++
	}
	rs.ready = append(rs.ready, rs.order[:k]...)
	rs.order = append(rs.order[:0], rs.order[k:]...)
}

// add queues a cell.
func (rs *Rows) add(row, col int, c Cell) error {
	if row >= maxRow || col >= maxCol {
		return fmt.Errorf("%w: cell at row %d, column %d is outside a sheet", ErrCorrupt, row+1, col+1)
	}
	if row <= rs.last {
		return errOutOfOrder
	}
	c.Col = col
	cs, ok := rs.pending[row]
	if !ok {
		rs.order = append(rs.order, row)
	}
	if len(cs) >= maxCol {
		return fmt.Errorf("%w: row %d holds more cells than a sheet has columns", ErrCorrupt, row+1)
	}
	rs.pending[row] = append(cs, c)
	return nil
}

func (rs *Rows) isDate(xf uint16) bool {
	return int(xf) < len(rs.w.dateXF) && rs.w.dateXF[xf]
}

func (rs *Rows) number(row, col int, xf uint16, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return rs.add(row, col, Cell{Type: Error, Value: "#NUM!"})
	}
	return rs.add(row, col, Cell{Type: Number, Value: formatNumber(v), Date: rs.isDate(xf), Percent: int(xf) < len(rs.w.pctXF) && rs.w.pctXF[xf]})
}

// record reads one record of the sheet substream.
func (rs *Rows) record() error {
	d := rs.r.data
	typ := rs.r.typ
	if typ != recString && typ != recContinue && typ != 0x04BC && typ != 0x0221 && typ != 0x0236 {
		rs.fmla.on = false // the STRING of a formula follows it (after SHRFMLA, ARRAY or TABLE)
	}
	short := func(n int) error {
		if len(d) < n {
			return fmt.Errorf("%w: record %#04x of %d bytes, expected %d", ErrCorrupt, typ, len(d), n)
		}
		return nil
	}
	rc := func() (int, int, uint16) {
		return int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:])), binary.LittleEndian.Uint16(d[4:])
	}
	switch typ {
	case recColInfo:
		// colFirst, colLast, width, xf, options (bit 0: hidden).
		if len(d) >= 10 && binary.LittleEndian.Uint16(d[8:])&1 != 0 {
			first, last := int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:]))
			for c := first; c <= last && c < maxCol && len(rs.hidden) < maxCol; c++ {
				rs.hidden = append(rs.hidden, c)
			}
		}
	case recRow:
		// rw, colMic, colMac, height, reserved (4 bytes), options (bit 5: hidden).
		if len(d) >= 14 && binary.LittleEndian.Uint16(d[12:])&0x20 != 0 {
			if rs.hidRows == nil {
				rs.hidRows = map[int]bool{}
			}
			rs.hidRows[int(binary.LittleEndian.Uint16(d))] = true
		}
	case recNumber:
		if err := short(14); err != nil {
			return err
		}
		row, col, xf := rc()
		return rs.number(row, col, xf, math.Float64frombits(binary.LittleEndian.Uint64(d[6:])))
	case recRK:
		if err := short(10); err != nil {
			return err
		}
		row, col, xf := rc()
		return rs.number(row, col, xf, rk(binary.LittleEndian.Uint32(d[6:])))
	case recMulRK:
		if err := short(6); err != nil {
			return err
		}
		row, col := int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:]))
		for i := 4; i+6 <= len(d)-2; i += 6 {
			if err := rs.number(row, col, binary.LittleEndian.Uint16(d[i:]), rk(binary.LittleEndian.Uint32(d[i+2:]))); err != nil {
				return err
			}
			col++
		}
	case recLabelSST:
		if err := short(10); err != nil {
			return err
		}
		row, col, _ := rc()
		i := int(binary.LittleEndian.Uint32(d[6:]))
		if i >= len(rs.w.sst) {
			return fmt.Errorf("%w: cell refers to shared string %d of %d", ErrCorrupt, i, len(rs.w.sst))
		}
		if s := rs.w.sst[i]; s != "" {
			return rs.add(row, col, Cell{Type: String, Value: s})
		}
	case recLabel, recRString:
		if err := short(8); err != nil {
			return err
		}
		row, col, _ := rc()
		s, ok := rs.label(d[6:])
		if !ok {
			return fmt.Errorf("%w: LABEL text runs past its record", ErrCorrupt)
		}
		if s != "" {
			return rs.add(row, col, Cell{Type: String, Value: s})
		}
	case recBoolErr:
		if err := short(8); err != nil {
			return err
		}
		row, col, _ := rc()
		return rs.add(row, col, boolErr(d[6], d[7]))
	case recFormula:
		if err := short(20); err != nil {
			return err
		}
		return rs.formula(d)
	case recString:
		if !rs.fmla.on {
			return nil
		}
		rs.fmla.on = false
		s, err := rs.formulaString()
		if err != nil || s == "" {
			return err
		}
		return rs.add(rs.fmla.row, rs.fmla.col, Cell{Type: String, Value: s})
	}
	return nil
}

// label reads the text of a LABEL record: a two-byte count, then BIFF8
// flags and characters, or BIFF5 8-bit characters in the code page.
func (rs *Rows) label(d []byte) (string, bool) {
	if !rs.w.biff5 {
		return xlString(d)
	}
	if len(d) < 2 {
		return "", false
	}
	n := int(binary.LittleEndian.Uint16(d))
	if 2+n > len(d) {
		return "", false
	}
	return rs.w.decode(d[2 : 2+n]), true
}

// formulaString reads the STRING record after a formula, with its CONTINUE records.
func (rs *Rows) formulaString() (string, error) {
	if rs.w.biff5 {
		s, ok := rs.label(rs.r.data)
		if !ok {
			return "", fmt.Errorf("%w: STRING text runs past its record", ErrCorrupt)
		}
		return s, nil
	}
	c := newCont(rs.r)
	s, ok := c.unicodeString(&rs.sb, 2)
	if !ok {
		return "", errors.Join(fmt.Errorf("%w: STRING text runs past its records", ErrCorrupt), c.err)
	}
	return s, nil
}

// formula reads a FORMULA record's cached value.
func (rs *Rows) formula(d []byte) error {
	row, col, xf := int(binary.LittleEndian.Uint16(d)), int(binary.LittleEndian.Uint16(d[2:])), binary.LittleEndian.Uint16(d[4:])
	v := d[6:14]
	if binary.LittleEndian.Uint16(v[6:]) != 0xFFFF {
		return rs.number(row, col, xf, math.Float64frombits(binary.LittleEndian.Uint64(v)))
	}
	switch v[0] {
	case 0: // a string, in the STRING record that follows
		rs.fmla.row, rs.fmla.col, rs.fmla.on = row, col, true
	case 1:
		return rs.add(row, col, boolErr(v[2], 0))
	case 2:
		return rs.add(row, col, boolErr(v[2], 1))
	}
	return nil // 3: the empty string
}

// Row is the 0-based index of the current row.
func (rs *Rows) Row() int { return rs.row }

// Cells are the current row's non-empty cells in column order; reused by Next.
func (rs *Rows) Cells() []Cell { return rs.cells }

// BytesRead is how far into the sheet the reading is, in stream bytes.
func (rs *Rows) BytesRead() int64 { return rs.r.off - rs.start }

// Err is the error that stopped the rows, if any.
func (rs *Rows) Err() error { return rs.err }

// Close ends the reading.
func (rs *Rows) Close() error { return nil }

// errorCodes are the BIFF error values.
var errorCodes = map[byte]string{
	0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A",
	0x2B: "#GETTING_DATA",
}

func boolErr(v, isErr byte) Cell {
	if isErr != 0 {
		s, ok := errorCodes[v]
		if !ok {
			s = "#N/A"
		}
		return Cell{Type: Error, Value: s}
	}
	if v != 0 {
		return Cell{Type: Bool, Value: "1"}
	}
	return Cell{Type: Bool, Value: "0"}
}

// rk decodes an RK number: a 30-bit integer or the high 30 bits of a
// double, optionally divided by 100.
func rk(v uint32) float64 {
	var f float64
	if v&0x02 != 0 {
		f = float64(int32(v) >> 2)
	} else {
		f = math.Float64frombits(uint64(v&0xFFFFFFFC) << 32)
	}
	if v&0x01 != 0 {
		f /= 100
	}
	return f
}

// formatNumber is the shortest decimal that reads back as v, in plain
// digits where that is short (as xlsx files store numbers).
func formatNumber(v float64) string {
	if a := math.Abs(v); a == 0 || a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// mergedRanges scans a sheet's substream for MERGEDCELLS records.
func (w *Workbook) mergedRanges(s sheetEntry) ([]Range, error) {
	r := newRecReader(w.stream, w.size, s.off)
	var out []Range
	for depth := 0; ; {
		ok, err := r.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%w: sheet %q ends without an EOF record", ErrCorrupt, s.info.Name)
		}
		switch r.typ {
		case recBOF:
			depth++
		case recEOF:
			depth--
			if depth <= 0 {
				return out, nil
			}
		case recMerged:
			if depth != 1 || len(r.data) < 2 {
				continue
			}
			d := r.data
			n := int(binary.LittleEndian.Uint16(d))
			for i := 0; i < n && 2+8*i+8 <= len(d); i++ {
				e := d[2+8*i:]
				rg := Range{FirstRow: int(binary.LittleEndian.Uint16(e)), LastRow: int(binary.LittleEndian.Uint16(e[2:])),
					FirstCol: int(binary.LittleEndian.Uint16(e[4:])), LastCol: int(binary.LittleEndian.Uint16(e[6:]))}
				if rg.FirstRow > rg.LastRow || rg.FirstCol > rg.LastCol || rg.LastCol >= maxCol {
					return nil, fmt.Errorf("%w: merged range out of order", ErrCorrupt)
				}
				out = append(out, rg)
			}
		}
	}
}
