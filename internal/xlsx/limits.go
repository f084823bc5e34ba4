package xlsx

import (
	"errors"
	"fmt"
)

// Limits bound what a workbook may cost. A zero field takes its default.
// Each is counted before the memory or work it guards is spent.
type Limits struct {
	MaxInflatedBytes     int64 // sum of declared uncompressed sizes of all parts
	MaxSharedStrings     int   // entries of the shared-string table
	MaxSharedStringBytes int64 // their decoded bytes, all together
	MaxCellBytes         int   // one cell's value (Excel stops at 32,767 characters)
	MaxMergedRanges      int   // merged ranges of one sheet
	MaxMergedCells       int64 // the cells they cover, all together (overlaps count again)
	MaxColumns           int   // columns a row may reach
	MaxRows              int   // non-empty rows of one sheet
	MaxSheets            int   // worksheets of one workbook
}

// Default limits: far above any real workbook, far below what hurts a server.
const (
	DefaultMaxSharedStrings     = 2_000_000
	DefaultMaxSharedStringBytes = 128 << 20
	DefaultMaxCellBytes         = 128 << 10
	DefaultMaxMergedRanges      = 1_000_000
	DefaultMaxMergedCells       = 20_000_000
	DefaultMaxColumns           = maxCol
	DefaultMaxRows              = maxRow
	DefaultMaxSheets            = 1000
)

// WithDefaults fills the unset limits with the defaults.
func (l Limits) WithDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	if l.MaxInflatedBytes <= 0 {
		l.MaxInflatedBytes = DefaultMaxInflatedBytes
	}
	if l.MaxMergedCells <= 0 {
		l.MaxMergedCells = DefaultMaxMergedCells
	}
	if l.MaxSharedStringBytes <= 0 {
		l.MaxSharedStringBytes = DefaultMaxSharedStringBytes
	}
	def(&l.MaxSharedStrings, DefaultMaxSharedStrings)
	def(&l.MaxCellBytes, DefaultMaxCellBytes)
	def(&l.MaxMergedRanges, DefaultMaxMergedRanges)
	def(&l.MaxColumns, DefaultMaxColumns)
	def(&l.MaxRows, DefaultMaxRows)
	def(&l.MaxSheets, DefaultMaxSheets)
	return l
}

// Names of the limits, as a LimitError gives them.
const (
	LimitSharedStrings     = "shared_strings"
	LimitSharedStringBytes = "shared_string_bytes"
	LimitCellBytes         = "cell_bytes"
	LimitMergedRanges      = "merged_ranges"
	LimitMergedCells       = "merged_cells"
	LimitColumns           = "columns"
	LimitRows              = "rows"
	LimitSheets            = "sheets"
)

// ErrLimit is wrapped by every LimitError.
var ErrLimit = errors.New("workbook passes a limit")

// LimitError says which limit a file reached. Readers of other formats
// return it too, with their own limit names.
type LimitError struct {
	Limit string // one of the Limit… names
	Max   int64
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%v: more than %d %s", ErrLimit, e.Max, e.Limit)
}

func (e *LimitError) Unwrap() error { return ErrLimit }

func limitErr(name string, max int64) error { return &LimitError{Limit: name, Max: max} }
