// Package xls reads the cells of legacy Excel workbooks (.xls: BIFF8, Excel
// 97–2003, and BIFF5, Excel 5.0/95) as a stream, in bounded memory: the OLE2
// compound file, the sheet list and visibility, the date system, shared
// strings, number formats (to tell date cells), merged ranges, and each
// worksheet's cells row by row. Formulas count by their cached values.
//
// It mirrors package xlsx: what it holds in memory is bounded by the file
// (the FAT, the shared strings, one block of rows), never by a count the
// file declares, and every malformed structure is an error, never a panic.
//
// Why not a library: against the corpus's .xls files (2026-12),
// github.com/extrame/xls v0.0.1 panicked on 15 and hung on 3 (both
// encrypted ones among them); github.com/shakinm/xlsReader v0.9.12 panicked
// on 3 (the encrypted ones: it does not see FILEPASS) and read a Word
// document as an empty workbook. Both load the whole workbook into memory.
package xls

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"postdash/internal/xlsx"
)

// Errors that tell a caller why a workbook could not be read.
var (
	ErrCorrupt     = errors.New("xls workbook is corrupt or truncated")
	ErrEncrypted   = errors.New("xls workbook is protected with a password")
	ErrNotWorkbook = errors.New("compound file holds no Excel workbook")
	ErrOldVersion  = errors.New("workbook older than Excel 5.0 (BIFF2-4)")
	ErrTooLarge    = errors.New("xls workbook exceeds a limit")

	// A shared-string table past Limits is an *xlsx.LimitError (the limit
	// names are the .xlsx reader's).
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

// CellType is the type of a cell's value.
type CellType uint8

// Cell types.
const (
	Number CellType = iota
	String
	Bool  // "0" or "1"
	Error // "#N/A", "#DIV/0!" ...
)

// Cell is one non-empty cell. A number's Value is its shortest decimal form;
// Date says its number format shows a date or a time.
type Cell struct {
	Col     int // 0-based
	Type    CellType
	Value   string
	Date    bool
	Percent bool // a percentage format: 40 % as 0.4
}

// Range is a merged range, 0-based and inclusive.
type Range struct {
	FirstRow, FirstCol, LastRow, LastCol int
}

// Limits bound what a workbook may cost.
type Limits struct {
	MaxStrings     int   // entries of the shared-string table; 0 means xlsx.DefaultMaxSharedStrings
	MaxStringBytes int64 // their UTF-8 bytes, all together; 0 means xlsx.DefaultMaxSharedStringBytes
}

// Workbook is an open workbook. Rows and MergedRanges may run at the same time.
type Workbook struct {
	f        io.Closer
	stream   io.ReaderAt // the Workbook stream
	size     int64
	biff5    bool
	decode   func([]byte) string // 8-bit strings (BIFF5) by the code page
	date1904 bool
	sheets   []sheetEntry
	sst      []string
	dateXF   []bool // by XF index: the format shows a date
	pctXF    []bool // by XF index: the format shows a percentage
}

type sheetEntry struct {
	info SheetInfo
	off  int64 // the sheet's BOF in the stream
}

// Open opens the workbook at path.
func Open(path string, lim Limits) (*Workbook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	wb, err := OpenReader(f, st.Size(), lim)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", filepath.Base(path), err)
	}
	wb.f = f
	return wb, nil
}

// OpenReader opens a workbook held by r; Close does not close r.
func OpenReader(r io.ReaderAt, size int64, lim Limits) (*Workbook, error) {
	if lim.MaxStringBytes <= 0 {
		lim.MaxStringBytes = xlsx.DefaultMaxSharedStringBytes
	}
	if lim.MaxStrings <= 0 {
		lim.MaxStrings = xlsx.DefaultMaxSharedStrings
	}
	c, err := openCFB(r, size)
	if err != nil {
		return nil, err
	}
	if c.has("EncryptionInfo") || c.has("EncryptedPackage") {
		return nil, fmt.Errorf("%w: encrypted OOXML package", ErrEncrypted)
	}
	e, ok := c.find("Workbook", "Book")
	if !ok {
		return nil, fmt.Errorf("%w: no Workbook stream", ErrNotWorkbook)
	}
	stream, n, err := c.open(e)
	if err != nil {
		return nil, err
	}
	wb := &Workbook{stream: stream, size: n, decode: decoderFor(1252)}
	if err := wb.readGlobals(lim); err != nil {
		return nil, err
	}
	return wb, nil
}

// Close releases the file Open opened.
func (w *Workbook) Close() error {
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}

// Sheets lists the worksheets in workbook order (chart and macro sheets
// hold no cells and are left out).
func (w *Workbook) Sheets() []SheetInfo {
	out := make([]SheetInfo, len(w.sheets))
	for i, s := range w.sheets {
		out[i] = s.info
	}
	return out
}

// Date1904 reports whether date serials count from 1904.
func (w *Workbook) Date1904() bool { return w.date1904 }

// BIFF5 reports whether the workbook is Excel 5.0/95 rather than 97–2003.
func (w *Workbook) BIFF5() bool { return w.biff5 }

func (w *Workbook) sheet(name string) (sheetEntry, error) {
	for _, s := range w.sheets {
		if s.info.Name == name {
			return s, nil
		}
	}
	return sheetEntry{}, fmt.Errorf("no sheet %q", name)
}

// MergedRanges lists the merged ranges of a sheet (a scan of its records).
func (w *Workbook) MergedRanges(sheet string) ([]Range, error) {
	s, err := w.sheet(sheet)
	if err != nil {
		return nil, err
	}
	return w.mergedRanges(s)
}

// Rows streams the non-empty rows of a sheet.
func (w *Workbook) Rows(ctx context.Context, sheet string) (*Rows, error) {
	s, err := w.sheet(sheet)
	if err != nil {
		return nil, err
	}
	return w.rows(ctx, s)
}
