package sheet

import (
	"context"
	"os"
	"sync"

	"postdash/internal/format"
	"postdash/internal/xlsx"
)

// xlsxBook adapts the streaming OOXML reader to a book.
type xlsxBook struct {
	wb        *xlsx.Workbook
	maxCells  int64
	maxHeader int
	mu        sync.Mutex       // Next runs on a read-ahead goroutine
	cells     map[string]int64 // non-empty cells of each sheet, by its last pass
	merges    map[string]passMerge
}

// passMerge is what a pass over a sheet's rows found of its merged ranges.
type passMerge struct {
	ranges []xlsx.Range
	err    error
}

// passMerges is a book whose pass over a sheet's rows also finds its merged
// ranges: passMerged returns those of the last pass over sheet that read it
// whole, or asks Merged.
type passMerges interface {
	passMerged(sheet string) ([]mergeRange, error)
}

func (b *xlsxBook) passMerged(sheet string) ([]mergeRange, error) {
	b.mu.Lock()
	m, ok := b.merges[sheet]
	b.mu.Unlock()
	if !ok {
		return b.Merged(sheet)
	}
	if m.err != nil {
		return nil, m.err
	}
	return mergeRanges(m.ranges), nil
}

// cellsBesides counts the cells of the sheets other than sheet (a sheet read
// twice counts once).
func (b *xlsxBook) cellsBesides(sheet string) int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := int64(0)
	for name, c := range b.cells {
		if name != sheet {
			n += c
		}
	}
	return n
}

// openXLSX opens the workbook f within the limits, from the zip directory
// in holds (the book closes f; f stays the caller's on error).
func openXLSX(f *os.File, in format.Inspection, lim Limits) (*xlsxBook, error) {
	wb, err := xlsx.OpenFile(f, in, lim.workbook())
	if err != nil {
		return nil, err
	}
	return &xlsxBook{wb: wb, maxCells: lim.MaxCells, maxHeader: lim.MaxHeaderBytes, cells: map[string]int64{}, merges: map[string]passMerge{}}, nil
}

func (b *xlsxBook) Sheets() []sheetInfo {
	var out []sheetInfo
	for _, s := range b.wb.Sheets() {
		out = append(out, sheetInfo{Name: s.Name, Hidden: s.Visibility != xlsx.Visible})
	}
	return out
}

func (b *xlsxBook) Date1904() bool { return b.wb.Date1904() }

func (b *xlsxBook) Merged(sheet string) ([]mergeRange, error) {
	rs, err := b.wb.MergedRanges(sheet)
	if err != nil {
		return nil, err
	}
	return mergeRanges(rs), nil
}

func (b *xlsxBook) Rows(ctx context.Context, sheet string) (rowIter, error) {
	rows, err := b.wb.Rows(ctx, sheet)
	if err != nil {
		return nil, err
	}
	return &xlsxRows{rows: rows, b: b, sheet: sheet, budget: b.maxCells - b.cellsBesides(sheet), head: headerBudget{max: b.maxHeader}}, nil
}

func (b *xlsxBook) Close() error { return b.wb.Close() }

// cellKinds maps the reader's cell types to ours (an array: it is read for
// every cell).
var cellKinds = [...]cellKind{
	xlsx.Number: kindNumber, xlsx.String: kindString, xlsx.Bool: kindBool,
	xlsx.Error: kindError, xlsx.Date: kindDate,
}

// kindOf is our kind of a reader's cell type; an unknown type is a number,
// as the reader reads a cell without a type.
func kindOf(t xlsx.CellType) cellKind {
	if int(t) < len(cellKinds) {
		return cellKinds[t]
	}
	return kindNumber
}

type xlsxRows struct {
	rows   *xlsx.Rows
	b      *xlsxBook
	sheet  string
	budget int64 // cells this sheet may still hold
	n      int64 // cells read
	head   headerBudget
	cells  []rawCell
	err    error
}

func (r *xlsxRows) Next() bool {
	if r.err != nil {
		return false
	}
	if !r.rows.Next() {
		ranges, whole, err := r.rows.MergedRanges()
		r.b.mu.Lock()
		r.b.cells[r.sheet] = r.n
		if whole {
			r.b.merges[r.sheet] = passMerge{ranges, err}
		}
		r.b.mu.Unlock()
		return false
	}
	if r.n += int64(len(r.rows.Cells())); r.n > r.budget {
		r.err = &xlsx.LimitError{Limit: limitCells, Max: r.b.maxCells}
		return false
	}
	r.cells = r.cells[:0]
	for _, c := range r.rows.Cells() {
		if c.Value == "" {
			continue // a cell with only a style (LibreOffice, Excel) is empty
		}
		r.cells = append(r.cells, rawCell{Col: c.Col, Kind: kindOf(c.Type), Fmt: cellFmt(c.Format), Value: c.Value})
	}
	if err := r.head.take(r.cells); err != nil {
		r.err = err
		return false
	}
	return true
}

func (r *xlsxRows) Row() int         { return r.rows.Row() }
func (r *xlsxRows) Cells() []rawCell { return r.cells }
func (r *xlsxRows) BytesRead() int64 { return r.rows.BytesRead() }
func (r *xlsxRows) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.rows.Err()
}
func (r *xlsxRows) Close() error { return r.rows.Close() }

// rowHidden reports whether the current row is hidden.
func (r *xlsxRows) rowHidden() bool { return r.rows.RowHidden() }

// hiddenColumns are the columns the sheet hides (known after the first row).
func (r *xlsxRows) hiddenColumns() []int { return r.rows.HiddenColumns() }
