// Package ods reads the cells of OpenDocument spreadsheets (.ods, and flat
// .fods) as a stream, in bounded memory: the table list and which tables
// are hidden, merged (spanned) cells, and each table's cells row by row,
// streamed from content.xml with encoding/xml. Repeated rows and cells cost
// nothing while empty; repeated values count against the limits.
package ods

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"postdash/internal/format"
	"postdash/internal/xlsx"
)

// Errors that tell a caller why a spreadsheet could not be read.
var (
	ErrCorrupt   = errors.New("ods spreadsheet is corrupt or truncated")
	ErrEncrypted = errors.New("ods spreadsheet is protected with a password")
	ErrTooLarge  = errors.New("ods spreadsheet exceeds a limit")
	ErrInflated  = errors.New("ods spreadsheet inflates past the limit")
	ErrNotODS    = errors.New("not an OpenDocument spreadsheet")
)

// CellType is the type of a cell's value.
type CellType uint8

// Cell types.
const (
	Number CellType = iota // float, percentage, currency, date and time (as serials)
	String
	Bool  // "0" or "1"
	Error // "#N/A", "#DIV/0!" ...
)

// Cell is one non-empty cell. Dates and times are given as spreadsheet
// serials of the 1900 date system (days since 1899-12-30), as an .xlsx of
// the same sheet stores them, with Date set.
type Cell struct {
	Col     int
	Type    CellType
	Value   string
	Date    bool
	Percent bool // office:value-type="percentage": 40 % as 0.4
}

// Range is a merged range, 0-based and inclusive.
type Range struct {
	FirstRow, FirstCol, LastRow, LastCol int
}

// SheetInfo describes one table.
type SheetInfo struct {
	Name   string
	Hidden bool
}

// Limits bound what a spreadsheet may cost.
type Limits struct {
	MaxInflatedBytes int64 // sum of the zip's uncompressed sizes; 0 means 1 GiB
	MaxCells         int64 // non-empty cells, repeats included, per table; 0 means DefaultMaxCells
}

// DefaultMaxCells bounds the cells of one table: 16,384 columns of a
// million rows would be more than any workbook program holds.
const DefaultMaxCells = 1 << 28

// Workbook is an open spreadsheet. Rows and MergedRanges may run at once.
type Workbook struct {
	f      io.Closer
	open   func() (io.ReadCloser, error) // content.xml, or the flat document
	sheets []SheetInfo
	merged map[string][]Range
	lim    Limits
}

// Open opens the spreadsheet at path: a zipped .ods, or a flat .fods.
func Open(path string, lim Limits) (*Workbook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open spreadsheet: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open spreadsheet: %w", err)
	}
	wb, err := OpenReader(f, st.Size(), lim)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", filepath.Base(path), err)
	}
	wb.f = f
	return wb, nil
}

// OpenReader opens a spreadsheet held by r; Close does not close r.
func OpenReader(r io.ReaderAt, size int64, lim Limits) (*Workbook, error) {
	if lim.MaxInflatedBytes <= 0 {
		lim.MaxInflatedBytes = 1 << 30
	}
	if lim.MaxCells <= 0 {
		lim.MaxCells = DefaultMaxCells
	}
	head := make([]byte, 4)
	n, _ := r.ReadAt(head, 0)
	wb := &Workbook{lim: lim}
	if format.IsZip(head[:n]) {
		open, err := openZip(r, size, lim)
		if err != nil {
			return nil, err
		}
		wb.open = open
	} else {
		wb.open = func() (io.ReadCloser, error) { return io.NopCloser(io.NewSectionReader(r, 0, size)), nil }
	}
	if err := wb.scan(); err != nil {
		return nil, err
	}
	return wb, nil
}

// openZip checks the zip's sizes and manifest and returns how to open its content.xml.
func openZip(r io.ReaderAt, size int64, lim Limits) (func() (io.ReadCloser, error), error) {
	if err := xlsx.CheckDirectory(r, size); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInflated, err)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%w: read zip directory: %v", ErrCorrupt, err)
	}
	var total uint64
	var content, manifest *zip.File
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(lim.MaxInflatedBytes) || f.UncompressedSize64 > uint64(lim.MaxInflatedBytes) {
			return nil, fmt.Errorf("%w: parts declare more than %d bytes", ErrInflated, lim.MaxInflatedBytes)
		}
		switch strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/") {
		case "content.xml":
			content = f
		case "META-INF/manifest.xml":
			manifest = f
		}
	}
	if manifest != nil && manifest.UncompressedSize64 < 16<<20 {
		rc, err := manifest.Open()
		if err == nil {
			b, _ := io.ReadAll(io.LimitReader(rc, 16<<20))
			rc.Close()
			if bytes.Contains(b, []byte("encryption-data")) {
				return nil, ErrEncrypted
			}
		}
	}
	if content == nil {
		return nil, fmt.Errorf("%w: no content.xml", ErrNotODS)
	}
	return func() (io.ReadCloser, error) {
		rc, err := content.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: open content.xml: %v", ErrCorrupt, err)
		}
		return rc, nil
	}, nil
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

// Sheets lists the tables in document order.
func (w *Workbook) Sheets() []SheetInfo { return append([]SheetInfo(nil), w.sheets...) }

// Date1904 is false: OpenDocument dates are calendar dates, given here as
// serials of the 1900 system.
func (w *Workbook) Date1904() bool { return false }

// MergedRanges lists the spanned cells of a table: a pass over the
// document, unless the opening scan read them.
func (w *Workbook) MergedRanges(sheet string) ([]Range, error) {
	if w.merged != nil {
		return w.merged[sheet], nil
	}
	rc, err := w.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	p := newParser(rc, w.lim)
	for {
		name, _, ok, err := p.nextTable()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, nil
		}
		if name != sheet {
			if err := p.skipTable(); err != nil {
				return nil, err
			}
			continue
		}
		p.wantSpans = true
		for {
			more, err := p.nextRow()
			if err != nil {
				return nil, fmt.Errorf("table %q: %w", name, err)
			}
			if !more {
				return p.spans, nil
			}
		}
	}
}

// scan lists the tables and their visibility: with a byte search when it
// can (quickScan), else with encoding/xml, then with the merges too.
func (w *Workbook) scan() error {
	rc, err := w.open()
	if err != nil {
		return err
	}
	sheets, ok := quickScan(rc)
	rc.Close()
	if ok {
		w.sheets = sheets
		return nil
	}
	return w.scanXML()
}

// scanXML is scan with encoding/xml, merges included.
func (w *Workbook) scanXML() error {
	rc, err := w.open()
	if err != nil {
		return err
	}
	defer rc.Close()
	p := newParser(rc, w.lim)
	w.merged = map[string][]Range{}
	for {
		name, hidden, ok, err := p.nextTable()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		w.sheets = append(w.sheets, SheetInfo{Name: name, Hidden: hidden})
		p.spans = nil
		p.wantSpans = true
		for {
			more, err := p.nextRow()
			if err != nil {
				return fmt.Errorf("table %q: %w", name, err)
			}
			if !more {
				break
			}
		}
		if _, dup := w.merged[name]; !dup {
			w.merged[name] = p.spans
		}
	}
	if !p.sawBody {
		return fmt.Errorf("%w: no office:spreadsheet body", ErrNotODS)
	}
	return nil
}

// Rows streams the non-empty rows of a table.
func (w *Workbook) Rows(ctx context.Context, sheet string) (*Rows, error) {
	rc, err := w.open()
	if err != nil {
		return nil, err
	}
	p := newParser(rc, w.lim)
	for {
		name, _, ok, err := p.nextTable()
		if err != nil {
			rc.Close()
			return nil, err
		}
		if !ok {
			rc.Close()
			return nil, fmt.Errorf("no table %q", sheet)
		}
		if name == sheet {
			return &Rows{ctx: ctx, p: p, rc: rc}, nil
		}
		if err := p.skipTable(); err != nil {
			rc.Close()
			return nil, err
		}
	}
}

// Rows streams one table's non-empty rows; a repeated row is given once per
// repetition, each with its own index.
type Rows struct {
	ctx context.Context
	p   *parser
	rc  io.ReadCloser
	err error
	n   int
}

// HiddenColumns lists the 0-based columns the table hides, as far as its
// column definitions have been read (they come before its rows).
func (r *Rows) HiddenColumns() []int { return r.p.hidden }

// RowHidden reports whether the current row is hidden
// (table:visibility="collapse" or "filter").
func (r *Rows) RowHidden() bool { return r.p.rowHid }

// Next moves to the next non-empty row.
func (r *Rows) Next() bool {
	if r.err != nil {
		return false
	}
	if r.n++; r.n%1024 == 0 {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			return false
		}
	}
	ok, err := r.p.nextRow()
	if err != nil {
		r.err = err
		return false
	}
	return ok
}

// Row is the 0-based index of the current row.
func (r *Rows) Row() int { return r.p.rowIdx }

// Cells are the current row's non-empty cells in column order; reused by Next.
func (r *Rows) Cells() []Cell { return r.p.cells }

// BytesRead is how much of content.xml has been read.
func (r *Rows) BytesRead() int64 { return r.p.dec.InputOffset() }

// Err is the error that stopped the rows, if any.
func (r *Rows) Err() error { return r.err }

// Close releases content.xml.
func (r *Rows) Close() error { return r.rc.Close() }
