package sheet

import (
	"context"

	"postdash/internal/xlsx"
)

// xlsxBook adapts the streaming OOXML reader to a book.
type xlsxBook struct {
	wb *xlsx.Workbook
}

// openXLSX opens a workbook within the limits.
func openXLSX(path string, lim Limits) (*xlsxBook, error) {
	wb, err := xlsx.Open(path, xlsx.Limits{MaxInflatedBytes: lim.MaxInflatedBytes})
	if err != nil {
		return nil, err
	}
	return &xlsxBook{wb: wb}, nil
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
	out := make([]mergeRange, len(rs))
	for i, r := range rs {
		out[i] = mergeRange{FirstRow: r.FirstRow, FirstCol: r.FirstCol, LastRow: r.LastRow, LastCol: r.LastCol}
	}
	return out, nil
}

func (b *xlsxBook) Rows(ctx context.Context, sheet string) (rowIter, error) {
	rows, err := b.wb.Rows(ctx, sheet)
	if err != nil {
		return nil, err
	}
	return &xlsxRows{rows: rows}, nil
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
	rows  *xlsx.Rows
	cells []rawCell
}

func (r *xlsxRows) Next() bool {
	if !r.rows.Next() {
		return false
	}
	r.cells = r.cells[:0]
	for _, c := range r.rows.Cells() {
		if c.Value == "" {
			continue // a cell with only a style (LibreOffice, Excel) is empty
		}
		r.cells = append(r.cells, rawCell{Col: c.Col, Kind: kindOf(c.Type), Value: c.Value})
	}
	return true
}

func (r *xlsxRows) Row() int         { return r.rows.Row() }
func (r *xlsxRows) Cells() []rawCell { return r.cells }
func (r *xlsxRows) BytesRead() int64 { return r.rows.BytesRead() }
func (r *xlsxRows) Err() error       { return r.rows.Err() }
func (r *xlsxRows) Close() error     { return r.rows.Close() }

// hiddenColumns are the columns the sheet hides (known after the first row).
func (r *xlsxRows) hiddenColumns() []int { return r.rows.HiddenColumns() }
