package xlsx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"unsafe"
)

// ctxEvery is how many <row> elements pass between context checks.
const ctxEvery = 4096

// Rows iterates over rows; empty rows are not returned. The sheet's XML is
// inflated on a second goroutine; Close (or reading to the end) stops it.
type Rows struct {
	ctx    context.Context
	sheet  string
	s      *scanner
	pf     *prefetcher // inflating the part ahead of s
	closer io.Closer   // the part's reader, closed after pf stops
	count  *countingReader
	comp   int64 // compressed size of the sheet part
	plain  int64 // declared inflated size of the sheet part
	sst    []string
	styles []Format // by cell format index (see loadStyles)
	lim    Limits
	kept   int // non-empty rows returned

	row        int // current row, 0-based
	nextRow    int // row index for a <row> without r
	seen       int // <row> elements met, for context checks
	cells      []Cell
	arena      []byte // the current row's values, turned into one string
	slab       []byte // where that string is kept (see stringOf)
	ends       []int  // arena end offset of each cell's value, or -1 when shared
	val        []byte // scratch for one cell's <v>
	istr       []byte // scratch for one cell's inline string
	err        error
	done       bool
	hidden     []int   // 0-based columns the sheet hides (<col hidden="1">), read before its rows
	rowHid     bool    // the current row is hidden (<row hidden="1">)
	merges     []Range // <mergeCell>s met, for MergedRanges
	mergeArea  int64   // cells they cover, overlaps counted again
	mergeErr   error   // a limit, or a damaged tail after sheetData
	mergesRead bool    // the pass read the whole part
	// general turns the fast path off, for tests comparing the two.
	general bool
	// unordered records that rows or cells came out of order or repeated,
	// which excelize's streaming reader does not handle; tests use it.
	unordered bool
}

// rows opens the sheet's XML and prepares the shared strings.
func (w *Workbook) rows(ctx context.Context, sheet string) (*Rows, error) {
	e, err := w.sheetByName(sheet)
	if err != nil {
		return nil, err
	}
	if err := w.loadSST(ctx); err != nil {
		return nil, err
	}
	w.loadStyles(ctx)
	rc, err := w.openPart(e.part)
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w", sheet, err)
	}
	r := newRows(ctx, sheet, rc, w.sst, w.styles, w.lim)
	r.closer = rc
	r.comp, r.plain = int64(e.part.CompressedSize64), int64(e.part.UncompressedSize64)
	return r, nil
}

// newRows reads a sheet's XML from part, inflating it ahead on a goroutine.
func newRows(ctx context.Context, sheet string, part io.Reader, sst []string, styles []Format, lim Limits) *Rows {
	pf := newPrefetcher(part)
	cr := &countingReader{r: pf, ctx: ctx}
	return &Rows{
		ctx:    ctx,
		sheet:  sheet,
		s:      newScanner(cr),
		pf:     pf,
		count:  cr,
		sst:    sst,
		styles: styles,
		lim:    lim,
		row:    -1,
	}
}

// sheetByName finds a worksheet whose XML part exists.
func (w *Workbook) sheetByName(name string) (*sheetEntry, error) {
	for i := range w.sheets {
		e := &w.sheets[i]
		if e.info.Name != name {
			continue
		}
		if e.part == nil {
			return nil, fmt.Errorf("sheet %q: %w: its part %q is missing", name, ErrCorrupt, e.path)
		}
		return e, nil
	}
	return nil, fmt.Errorf("no worksheet named %q", name)
}

// Next advances to the next non-empty row.
func (r *Rows) Next() bool {
	if r.done {
		return false
	}
	for {
		if !r.general && r.fastRowTag() {
			if r.enterRow() {
				return true
			}
			if r.done {
				return false
			}
			continue
		}
		switch r.s.next() {
		case tokEOF:
			// A part without sheetData ends here; its merged ranges were
			// read on the way.
			r.mergesRead = r.s.Err() == nil
			r.finish(r.s.Err())
			return false
		case tokStart:
			if string(r.s.name) == "row" {
				if r.enterRow() {
					return true
				}
				if r.done {
					return false
				}
			}
			if string(r.s.name) == "mergeCell" {
				r.addMerge()
			}
		case tokEmpty:
			if string(r.s.name) == "row" && !r.startRow() {
				return false
			}
			if string(r.s.name) == "col" {
				r.hiddenCol()
			}
			if string(r.s.name) == "mergeCell" {
				r.addMerge()
			}
		case tokEnd:
			if string(r.s.name) == "sheetData" {
				r.readTail()
				r.finish(nil)
				return false
			}
		}
	}
}

// readTail reads the part after </sheetData> for the merged ranges, which
// follow the cells: a few elements, against the second inflation of the
// whole part that Workbook.MergedRanges costs. A damaged tail is the merged
// ranges' error, not the rows'.
func (r *Rows) readTail() {
	for {
		switch r.s.next() {
		case tokEOF:
			// Markup cut off at a clean end of the part is no error, as
			// Workbook.MergedRanges, which only looks for <mergeCell,
			// does not see one either.
			cut := r.s.eof && errors.Is(r.s.err, io.ErrUnexpectedEOF)
			if err := r.s.Err(); err != nil && !cut && r.mergeErr == nil {
				r.mergeErr = fmt.Errorf("sheet %q: merged ranges: %w: %v", r.sheet, ErrCorrupt, err)
			}
			r.mergesRead = true
			return
		case tokStart, tokEmpty:
			if string(r.s.name) == "mergeCell" {
				r.addMerge()
			}
		}
	}
}

// addMerge records a <mergeCell ref="A1:C2">, within the limits.
func (r *Rows) addMerge() {
	if r.mergeErr != nil {
		return
	}
	v, ok := rawAttr(r.s.attrs, "ref")
	if !ok {
		return
	}
	rg, ok := parseRange(v)
	if !ok {
		return
	}
	if len(r.merges) >= r.lim.MaxMergedRanges {
		r.mergeErr = fmt.Errorf("sheet %q: %w", r.sheet, limitErr(LimitMergedRanges, int64(r.lim.MaxMergedRanges)))
		return
	}
	if r.mergeArea += int64(rg.LastRow-rg.FirstRow+1) * int64(rg.LastCol-rg.FirstCol+1); r.mergeArea > r.lim.MaxMergedCells {
		r.mergeErr = fmt.Errorf("sheet %q: %w", r.sheet, limitErr(LimitMergedCells, r.lim.MaxMergedCells))
		return
	}
	r.merges = append(r.merges, rg)
}

// MergedRanges are the sheet's merged ranges as this pass found them, once
// Next has returned false: ok reports whether the pass read the whole part
// (it did not when it stopped early or failed: then ask
// Workbook.MergedRanges). err is what Workbook.MergedRanges would return: a
// limit, or a part damaged after its rows.
func (r *Rows) MergedRanges() (ranges []Range, ok bool, err error) {
	if !r.mergesRead || r.err != nil {
		return nil, false, nil
	}
	if r.mergeErr != nil {
		return nil, true, r.mergeErr
	}
	return r.merges, true, nil
}

// enterRow reads the row whose start tag was just read, reporting whether
// it has cells to return.
func (r *Rows) enterRow() bool {
	if !r.startRow() || !r.readRow() {
		return false
	}
	if r.kept++; r.kept > r.lim.MaxRows {
		r.finish(limitErr(LimitRows, int64(r.lim.MaxRows)))
		return false
	}
	return true
}

// fastRowTag reads a row start tag in the shapes spreadsheet programs write,
// <row r="7"> and <row r="7" spans="1:5">, straight from the buffer, leaving
// its attributes where startRow reads them; it reports false, having read
// nothing, for any other shape.
func (r *Rows) fastRowTag() bool {
	s := r.s
	b := s.buf[s.pos:s.end]
	if len(b) < 10 || string(b[:8]) != `<row r="` {
		return false
	}
	j := 8
	for j < len(b) && b[j] >= '0' && b[j] <= '9' {
		j++
	}
	if j >= len(b) || b[j] != '"' {
		return false
	}
	j++
	if len(b)-j > 8 && string(b[j:j+8]) == ` spans="` {
		j += 8
		for j < len(b) && b[j] != '"' {
			j++
		}
		j++
	}
	if j >= len(b) || b[j] != '>' {
		return false
	}
	s.attrs = b[4:j]
	s.pos += j + 1
	return true
}

// startRow reads a <row>'s index and checks the context now and then.
func (r *Rows) startRow() bool {
	r.seen++
	if r.seen%ctxEvery == 0 {
		if err := r.ctx.Err(); err != nil {
			r.finish(err)
			return false
		}
	}
	prev := r.row
	r.row, r.rowHid = r.nextRow, false
	if v, ok := rawAttr(r.s.attrs, "r"); ok {
		if n, ok := parseRowNum(v); ok {
			r.row = n - 1
		}
	}
	if bytes.Contains(r.s.attrs, hiddenAttr) {
		// Rare, and found by a fast scan before the attributes are read.
		if v, ok := rawAttr(r.s.attrs, "hidden"); ok {
			r.rowHid = string(v) == "1" || string(v) == "true"
		}
	}
	if r.row <= prev {
		r.unordered = true
	}
	r.nextRow = r.row + 1
	return true
}

// readRow collects the cells up to </row>, reporting whether any had a value.
func (r *Rows) readRow() bool {
	r.cells, r.arena, r.ends = r.cells[:0], r.arena[:0], r.ends[:0]
	nextCol := 0
	for {
		if !r.general {
			next, ended, err := r.fastCells(nextCol)
			if err != nil {
				r.finish(err)
				return false
			}
			if ended {
				return r.sealRow()
			}
			nextCol = next
		}
		switch r.s.next() {
		case tokEOF:
			r.finish(errors.Join(io.ErrUnexpectedEOF, r.s.Err()))
			return false
		case tokStart:
			if string(r.s.name) == "c" {
				col, typ, f := r.cellHead(nextCol)
				nextCol = col + 1
				if err := r.readCell(col, typ, f); err != nil {
					r.finish(err)
					return false
				}
			}
		case tokEmpty:
			if string(r.s.name) == "c" {
				col, _, _ := r.cellHead(nextCol)
				nextCol = col + 1
			}
		case tokEnd:
			if string(r.s.name) == "row" {
				return r.sealRow()
			}
		}
	}
}

// cellHead reads a <c>'s column (positional when r is absent or unreadable)
// and type attribute.
func (r *Rows) cellHead(nextCol int) (int, cellKind, Format) {
	col := nextCol
	typ := kindNumber
	f := FormatPlain
	it := attrIter{r.s.attrs}
	for {
		n, v, ok := it.next()
		if !ok {
			break
		}
		switch string(n) {
		case "r":
			if c, ok := parseColRef(v); ok {
				col = c
			}
		case "t":
			typ = parseKind(v)
		case "s":
			if len(r.styles) > 0 {
				if i, ok := parseIndex(v); ok && i < len(r.styles) {
					f = r.styles[i]
				}
			}
		}
	}
	return col, typ, f
}

// sealRow turns the arena into the cells' values and orders the cells.
func (r *Rows) sealRow() bool {
	if len(r.cells) == 0 {
		return false
	}
	all := r.stringOf(r.arena)
	start := 0
	for i, end := range r.ends {
		if end < 0 {
			continue
		}
		r.cells[i].Value = all[start:end]
		start = end
	}
	for i := 1; i < len(r.cells); i++ {
		if r.cells[i].Col <= r.cells[i-1].Col {
			r.unordered = true
			slices.SortStableFunc(r.cells, cmpCol)
			break
		}
	}
	return true
}

func cmpCol(a, b Cell) int { return a.Col - b.Col }

// slabSize is the size of the blocks that rows' values are copied into.
const slabSize = 8 << 10

// stringOf copies b to the current slab and returns the copy as a string
// sharing the slab's memory: one allocation for the values of many rows
// rather than one for each row, which spares the collector a million
// objects in a million rows. A byte once written to a slab is never written
// again (appends only go past its length, and a full slab is left to the
// strings pointing into it for a new one), so the strings never change.
func (r *Rows) stringOf(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if cap(r.slab)-len(r.slab) < len(b) {
		r.slab = make([]byte, 0, max(slabSize, len(b)))
	}
	start := len(r.slab)
	r.slab = append(r.slab, b...)
	return unsafe.String(&r.slab[start], len(b))
}

func (r *Rows) finish(err error) {
	r.done = true
	r.pf.Close()
	if err != nil && r.err == nil {
		if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, ErrLimit) {
			err = fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
		r.err = fmt.Errorf("sheet %q: %w", r.sheet, err)
	}
}

// Row is the 0-based index of the current row.
func (r *Rows) Row() int { return r.row }

// Cells are the current row's non-empty cells in column order. The slice is
// reused by the next call to Next.
func (r *Rows) Cells() []Cell { return r.cells }

// BytesRead is how many compressed bytes of the file have been consumed, for
// progress: the sheet part's compressed size times the fraction of its XML
// read so far.
func (r *Rows) BytesRead() int64 {
	if r.plain <= 0 {
		return r.comp
	}
	return int64(float64(r.comp) * float64(r.count.n) / float64(r.plain))
}

// Size is the compressed size of the sheet's part: BytesRead's final value.
func (r *Rows) Size() int64 { return r.comp }

// Err is the first error met.
func (r *Rows) Err() error { return r.err }

// Close ends the iteration.
func (r *Rows) Close() error {
	r.done = true
	if r.closer == nil {
		return nil
	}
	r.pf.Close()
	err := r.closer.Close()
	r.closer = nil
	return err
}

// countingReader counts the bytes read through it and stops when the
// context ends, so that even a sheet of one endless row can be cancelled.
type countingReader struct {
	r   io.Reader
	ctx context.Context
	n   int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// maxHiddenCols bounds the hidden columns remembered (a sheet has 16,384).
const maxHiddenCols = 16384

// hiddenCol records the columns a <col hidden="1" min max> hides.
func (r *Rows) hiddenCol() {
	h, ok := rawAttr(r.s.attrs, "hidden")
	if !ok || string(h) != "1" && string(h) != "true" {
		return
	}
	lo, ok1 := rawAttr(r.s.attrs, "min")
	hi, ok2 := rawAttr(r.s.attrs, "max")
	if !ok1 || !ok2 {
		return
	}
	a, okA := parseRowNum(lo)
	b, okB := parseRowNum(hi)
	if !okA || !okB || a < 1 || b < a {
		return
	}
	for c := a; c <= b && len(r.hidden) < maxHiddenCols && c <= maxHiddenCols; c++ {
		r.hidden = append(r.hidden, c-1)
	}
}

var hiddenAttr = []byte("hidden")

// RowHidden reports whether the current row is hidden (<row hidden="1">).
func (r *Rows) RowHidden() bool { return r.rowHid }

// HiddenColumns are the 0-based columns the sheet hides; they are known
// once the first row has been read.
func (r *Rows) HiddenColumns() []int { return r.hidden }
