package sheet

import (
	"context"

	"postdash/internal/ods"
	"postdash/internal/xls"
)

// xlsBook adapts the streaming .xls reader to a book. A number whose format
// shows a date stays a number (a serial), as the .xlsx reader gives it, so
// a workbook reads the same in every format.
type xlsBook struct {
	wb *xls.Workbook
}

func openXLS(path string) (*xlsBook, error) {
	wb, err := xls.Open(path, xls.Limits{})
	if err != nil {
		return nil, err
	}
	return &xlsBook{wb: wb}, nil
}

func (b *xlsBook) Sheets() []sheetInfo {
	var out []sheetInfo
	for _, s := range b.wb.Sheets() {
		out = append(out, sheetInfo{Name: s.Name, Hidden: s.Visibility != xls.Visible})
	}
	return out
}

func (b *xlsBook) Date1904() bool { return b.wb.Date1904() }

func (b *xlsBook) Merged(sheet string) ([]mergeRange, error) {
	rs, err := b.wb.MergedRanges(sheet)
	if err != nil {
		return nil, err
	}
	out := make([]mergeRange, len(rs))
	for i, r := range rs {
		out[i] = mergeRange(r)
	}
	return out, nil
}

func (b *xlsBook) Rows(ctx context.Context, sheet string) (rowIter, error) {
	rows, err := b.wb.Rows(ctx, sheet)
	if err != nil {
		return nil, err
	}
	return &xlsRows{rows: rows}, nil
}

func (b *xlsBook) Close() error { return b.wb.Close() }

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
		r.cells = append(r.cells, rawCell{Col: c.Col, Kind: xlsKinds[c.Type], Value: c.Value})
	}
	return true
}

func (r *xlsRows) Row() int         { return r.rows.Row() }
func (r *xlsRows) Cells() []rawCell { return r.cells }
func (r *xlsRows) BytesRead() int64 { return r.rows.BytesRead() }
func (r *xlsRows) Err() error       { return r.rows.Err() }
func (r *xlsRows) Close() error     { return r.rows.Close() }

// odsBook adapts the streaming OpenDocument reader to a book; dates come
// as serials of the 1900 system, as in an .xlsx of the same sheet.
type odsBook struct {
	wb *ods.Workbook
}

func openODS(path string, lim Limits) (*odsBook, error) {
	wb, err := ods.Open(path, ods.Limits{MaxInflatedBytes: lim.MaxInflatedBytes})
	if err != nil {
		return nil, err
	}
	return &odsBook{wb: wb}, nil
}

func (b *odsBook) Sheets() []sheetInfo {
	var out []sheetInfo
	for _, s := range b.wb.Sheets() {
		out = append(out, sheetInfo{Name: s.Name, Hidden: s.Hidden})
	}
	return out
}

func (b *odsBook) Date1904() bool { return b.wb.Date1904() }

func (b *odsBook) Merged(sheet string) ([]mergeRange, error) {
	rs, err := b.wb.MergedRanges(sheet)
	if err != nil {
		return nil, err
	}
	out := make([]mergeRange, len(rs))
	for i, r := range rs {
		out[i] = mergeRange(r)
	}
	return out, nil
}

func (b *odsBook) Rows(ctx context.Context, sheet string) (rowIter, error) {
	rows, err := b.wb.Rows(ctx, sheet)
	if err != nil {
		return nil, err
	}
	return &odsRows{rows: rows}, nil
}

func (b *odsBook) Close() error { return b.wb.Close() }

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
		r.cells = append(r.cells, rawCell{Col: c.Col, Kind: odsKinds[c.Type], Value: c.Value})
	}
	return true
}

func (r *odsRows) Row() int         { return r.rows.Row() }
func (r *odsRows) Cells() []rawCell { return r.cells }
func (r *odsRows) BytesRead() int64 { return r.rows.BytesRead() }
func (r *odsRows) Err() error       { return r.rows.Err() }
func (r *odsRows) Close() error     { return r.rows.Close() }
