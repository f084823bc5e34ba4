package sheet

import (
	"context"
	"sync"

	"postdash/internal/ods"
	"postdash/internal/xls"
	"postdash/internal/xlsx"
)

// legacyBook adapts the .xls and .ods readers to a book, with the limits
// the .xlsx adapter applies: sheets per workbook, filled cells over the
// workbook, the text of the header-search rows. A number whose format shows
// a date stays a number (a serial), as the .xlsx reader gives it, so a
// workbook reads the same in every format.
type legacyBook struct {
	sheets   []sheetInfo
	date1904 bool
	merged   func(sheet string) ([]mergeRange, error)
	rows     func(ctx context.Context, sheet string) (legacyIter, error)
	close    func() error

	maxCells  int64
	maxHeader int
	mu        sync.Mutex       // Merged and Rows run at once
	cells     map[string]int64 // non-empty cells of each sheet, by its last pass
}

// legacyIter is what both readers' Rows give, with cells already ours.
type legacyIter interface {
	Next() bool
	Row() int
	Cells() []rawCell
	BytesRead() int64
	Err() error
	Close() error
}

func newLegacyBook(lim Limits, sheets []sheetInfo) (*legacyBook, error) {
	if len(sheets) > lim.MaxSheets && lim.MaxSheets > 0 {
		return nil, &xlsx.LimitError{Limit: xlsx.LimitSheets, Max: int64(lim.MaxSheets)}
	}
	return &legacyBook{sheets: sheets, maxCells: lim.MaxCells, maxHeader: lim.MaxHeaderBytes, cells: map[string]int64{}}, nil
}

func openXLS(path string, lim Limits) (*legacyBook, error) {
	wb, err := xls.Open(path, xls.Limits{MaxStrings: lim.MaxSharedStrings, MaxStringBytes: lim.MaxSharedStringBytes})
	if err != nil {
		return nil, err
	}
	var sheets []sheetInfo
	for _, s := range wb.Sheets() {
		sheets = append(sheets, sheetInfo{Name: s.Name, Hidden: s.Visibility != xls.Visible})
	}
	b, err := newLegacyBook(lim, sheets)
	if err != nil {
		wb.Close()
		return nil, err
	}
	b.date1904, b.close = wb.Date1904(), wb.Close
	b.merged = func(sheet string) ([]mergeRange, error) {
		rs, err := wb.MergedRanges(sheet)
		return mergeRanges(rs), err
	}
	b.rows = func(ctx context.Context, sheet string) (legacyIter, error) {
		rows, err := wb.Rows(ctx, sheet)
		if err != nil {
			return nil, err
		}
		return &xlsRows{rows: rows}, nil
	}
	return b, nil
}

func openODS(path string, lim Limits) (*legacyBook, error) {
	wb, err := ods.Open(path, ods.Limits{MaxInflatedBytes: lim.MaxInflatedBytes})
	if err != nil {
		return nil, err
	}
	var sheets []sheetInfo
	for _, s := range wb.Sheets() {
		sheets = append(sheets, sheetInfo{Name: s.Name, Hidden: s.Hidden})
	}
	b, err := newLegacyBook(lim, sheets)
	if err != nil {
		wb.Close()
		return nil, err
	}
	b.date1904, b.close = wb.Date1904(), wb.Close
	b.merged = func(sheet string) ([]mergeRange, error) {
		rs, err := wb.MergedRanges(sheet)
		return mergeRanges(rs), err
	}
	b.rows = func(ctx context.Context, sheet string) (legacyIter, error) {
		rows, err := wb.Rows(ctx, sheet)
		if err != nil {
			return nil, err
		}
		return &odsRows{rows: rows}, nil
	}
	return b, nil
}

func (b *legacyBook) Sheets() []sheetInfo                       { return b.sheets }
func (b *legacyBook) Date1904() bool                            { return b.date1904 }
func (b *legacyBook) Merged(sheet string) ([]mergeRange, error) { return b.merged(sheet) }
func (b *legacyBook) Close() error                              { return b.close() }

func (b *legacyBook) Rows(ctx context.Context, sheet string) (rowIter, error) {
	it, err := b.rows(ctx, sheet)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	budget := b.maxCells
	for name, c := range b.cells {
		if name != sheet { // a sheet read twice counts once
			budget -= c
		}
	}
	b.mu.Unlock()
	return &legacyRows{legacyIter: it, b: b, sheet: sheet, budget: budget, head: headerBudget{max: b.maxHeader}}, nil
}

// legacyRows counts a sheet's cells against the workbook's budget.
type legacyRows struct {
	legacyIter
	b      *legacyBook
	sheet  string
	budget int64
	n      int64
	head   headerBudget
	err    error
}

func (r *legacyRows) Next() bool {
	if r.err != nil {
		return false
	}
	if !r.legacyIter.Next() {
		r.b.mu.Lock()
		r.b.cells[r.sheet] = r.n
		r.b.mu.Unlock()
		return false
	}
	if r.n += int64(len(r.Cells())); r.n > r.budget && r.b.maxCells > 0 {
		r.err = &xlsx.LimitError{Limit: limitCells, Max: r.b.maxCells}
		return false
	}
	if err := r.head.take(r.Cells()); err != nil {
		r.err = err
		return false
	}
	return true
}

// hiddenColumns are the columns the sheet hides, as the .xlsx reader gives them.
func (r *legacyRows) hiddenColumns() []int {
	if h, ok := r.legacyIter.(hiddenColumnRows); ok {
		return h.hiddenColumns()
	}
	return nil
}

// rowHidden reports whether the current row is hidden, as the .xlsx reader says it.
func (r *legacyRows) rowHidden() bool {
	h, ok := r.legacyIter.(hiddenRowRows)
	return ok && h.rowHidden()
}

func (r *legacyRows) Err() error {
	if r.err != nil {
		return r.err
	}
	return r.legacyIter.Err()
}

// xlsKinds and odsKinds map the readers' cell types to ours.
var (
	xlsKinds = [...]cellKind{xls.Number: kindNumber, xls.String: kindString, xls.Bool: kindBool, xls.Error: kindError}
	odsKinds = [...]cellKind{ods.Number: kindNumber, ods.String: kindString, ods.Bool: kindBool, ods.Error: kindError}
)

type xlsRows struct {
	rows  *xls.Rows
	cells []rawCell
}

func (r *xlsRows) Next() bool {
	if !r.rows.Next() {
		return false
	}
	r.cells = r.cells[:0]
	for _, c := range r.rows.Cells() {
		r.cells = append(r.cells, rawCell{Col: c.Col, Kind: xlsKinds[c.Type], Fmt: legacyFmt(c.Date, c.Percent), Value: c.Value})
	}
	return true
}

func (r *xlsRows) Row() int             { return r.rows.Row() }
func (r *xlsRows) Cells() []rawCell     { return r.cells }
func (r *xlsRows) BytesRead() int64     { return r.rows.BytesRead() }
func (r *xlsRows) Err() error           { return r.rows.Err() }
func (r *xlsRows) Close() error         { return r.rows.Close() }
func (r *xlsRows) hiddenColumns() []int { return r.rows.HiddenColumns() }
func (r *xlsRows) rowHidden() bool      { return r.rows.RowHidden() }

type odsRows struct {
	rows  *ods.Rows
	cells []rawCell
}

func (r *odsRows) Next() bool {
	if !r.rows.Next() {
		return false
	}
	r.cells = r.cells[:0]
	for _, c := range r.rows.Cells() {
		r.cells = append(r.cells, rawCell{Col: c.Col, Kind: odsKinds[c.Type], Fmt: legacyFmt(c.Date, c.Percent), Value: c.Value})
	}
	return true
}

func (r *odsRows) Row() int             { return r.rows.Row() }
func (r *odsRows) Cells() []rawCell     { return r.cells }
func (r *odsRows) BytesRead() int64     { return r.rows.BytesRead() }
func (r *odsRows) Err() error           { return r.rows.Err() }
func (r *odsRows) Close() error         { return r.rows.Close() }
func (r *odsRows) hiddenColumns() []int { return r.rows.HiddenColumns() }
func (r *odsRows) rowHidden() bool      { return r.rows.RowHidden() }

// legacyFmt is the format of an .xls or .ods number cell.
func legacyFmt(date, percent bool) cellFmt {
	switch {
	case date:
		return fmtDate
	case percent:
		return fmtPercent
	}
	return fmtPlain
}

// mergeRanges converts a reader's merged ranges (xls.Range, ods.Range) to ours.
func mergeRanges[R ~struct{ FirstRow, FirstCol, LastRow, LastCol int }](rs []R) []mergeRange {
	out := make([]mergeRange, len(rs))
	for i, r := range rs {
		out[i] = mergeRange(r)
	}
	return out
}
