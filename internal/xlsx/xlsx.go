// Package xlsx reads the cells of OOXML workbooks (.xlsx, .xlsm) as a stream,
// in bounded memory: workbook and sheet list, visibility, date system, shared
// strings, merged ranges, and each worksheet's cells row by row.
package xlsx

import (
	"archive/zip"
	"context"
	"errors"
	"io"
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
	Col    int // 0-based column
	Type   CellType
	Format Format // a Number's number format: plain, a date or a percentage
	Value  string
}

// Range is a merged range, 0-based and inclusive.
type Range struct {
	FirstRow, FirstCol, LastRow, LastCol int
}

// More errors a caller can tell apart.
var (
	ErrLegacyXLS = errors.New("legacy binary .xls workbook")
)

// Workbook is an open workbook. Its methods are not safe for concurrent use.
type Workbook struct {
	f         io.Closer // the file Open opened; nil for OpenReader
	zr        *zip.Reader
	parts     map[string]*zip.File // by partKey
	sheets    []sheetEntry
	date1904  bool
	sstPath   string
	sst       []string // loaded by the first Rows
	sstLoaded bool

	stylesPath   string
	styles       []Format // by cell format index; nil when every one is plain
	stylesLoaded bool
	lim          Limits
}

// Close releases the file.
func (w *Workbook) Close() error {
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}

// Sheets lists the worksheets in workbook order.
func (w *Workbook) Sheets() []SheetInfo {
	out := make([]SheetInfo, len(w.sheets))
	for i, e := range w.sheets {
		out[i] = e.info
	}
	return out
}

// Date1904 reports whether date serials count from 1904.
func (w *Workbook) Date1904() bool { return w.date1904 }

// MergedRanges lists the merged ranges of a sheet (a streaming scan).
func (w *Workbook) MergedRanges(sheet string) ([]Range, error) {
	return w.mergedRanges(sheet)
}

// Rows streams the non-empty rows of a sheet.
func (w *Workbook) Rows(ctx context.Context, sheet string) (*Rows, error) {
	return w.rows(ctx, sheet)
}
