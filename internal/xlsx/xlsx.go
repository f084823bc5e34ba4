// Package xlsx reads the cells of OOXML workbooks (.xlsx, .xlsm) as a stream,
// in bounded memory: workbook and sheet list, visibility, date system, shared
// strings, merged ranges, and each worksheet's cells row by row.
package xlsx

import (
	"context"
	"errors"
)

// Errors that tell a caller why a workbook could not be opened.
var (
	ErrTooLarge  = errors.New("workbook inflates past the limit")
	ErrEncrypted = errors.New("workbook is encrypted")
	ErrNotOOXML  = errors.New("not an OOXML workbook")
	ErrCorrupt   = errors.New("workbook is corrupt or truncated")
)

// Visibility of a sheet.
type Visibility int

// Sheet visibilities.
const (
	Visible Visibility = iota
	Hidden
	VeryHidden
)

// SheetInfo describes one worksheet.
type SheetInfo struct {
	Name       string
	Visibility Visibility
}

// CellType is the type of a cell as stored.
type CellType uint8

// Cell types.
const (
	Number CellType = iota // also a cell with no t attribute
	String                 // shared, inline or formula string result
	Bool                   // "0" or "1"
	Error                  // "#N/A", "#DIV/0!" ...
	Date                   // t="d": ISO 8601 text
)

// Cell is one non-empty cell. Value is the raw stored value (a formula counts by
// its cached value; shared and inline strings are resolved).
type Cell struct {
	Col   int // 0-based column
	Type  CellType
	Value string
}

// Range is a merged range, 0-based and inclusive.
type Range struct {
	FirstRow, FirstCol, LastRow, LastCol int
}

// Limits bound what a workbook may cost.
type Limits struct {
	MaxInflatedBytes int64 // sum of declared uncompressed sizes of all parts
}

// More errors a caller can tell apart.
var (
	ErrLegacyXLS = errors.New("legacy binary .xls workbook")
)

// Workbook is an open workbook. Its methods are not safe for concurrent use.
type Workbook struct {
	// filled by the implementation
}

// Open opens the workbook at path, refusing it quickly (ErrTooLarge,
// ErrEncrypted, ErrLegacyXLS, ErrNotOOXML, ErrCorrupt) before reading any row.
func Open(path string, lim Limits) (*Workbook, error) { panic("not implemented yet") }

// Close releases the file.
func (w *Workbook) Close() error { panic("not implemented yet") }

// Sheets lists the worksheets in workbook order.
func (w *Workbook) Sheets() []SheetInfo { panic("not implemented yet") }

// Date1904 reports whether date serials count from 1904.
func (w *Workbook) Date1904() bool { panic("not implemented yet") }

// MergedRanges lists the merged ranges of a sheet (a streaming scan).
func (w *Workbook) MergedRanges(sheet string) ([]Range, error) { panic("not implemented yet") }

// Rows streams the non-empty rows of a sheet.
func (w *Workbook) Rows(ctx context.Context, sheet string) (*Rows, error) {
	panic("not implemented yet")
}

// Rows iterates over rows; empty rows are not returned.
type Rows struct{}

// Next advances to the next non-empty row.
func (r *Rows) Next() bool { panic("not implemented yet") }

// Row is the 0-based index of the current row.
func (r *Rows) Row() int { panic("not implemented yet") }

// Cells are the current row's non-empty cells in column order. The slice is
// reused by the next call to Next.
func (r *Rows) Cells() []Cell { panic("not implemented yet") }

// BytesRead is how many compressed bytes of the file have been consumed, for progress.
func (r *Rows) BytesRead() int64 { panic("not implemented yet") }

// Err is the first error met.
func (r *Rows) Err() error { panic("not implemented yet") }

// Close ends the iteration.
func (r *Rows) Close() error { panic("not implemented yet") }
