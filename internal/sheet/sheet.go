// Package sheet reads the files analysts upload (.xlsx, .xlsm, .xls, .ods, .csv): it finds
// headers, recognises layouts, parses cells and returns facts, or the cells in
// error. It knows nothing of storage or HTTP.
package sheet

import (
	"log/slog"
	"time"

	"postdash/internal/postal"
	"postdash/internal/xlsx"
)

// Defaults are the values the analyst states at import for what a file leaves out.
type Defaults struct {
	Direction   postal.Direction // "" means unspecified
	Partner     string
	Marketplace string
}

// Limits protect the server from hostile files: each is counted before the
// memory or work it guards is spent, and a file that reaches one is refused
// in a sentence naming it. A zero field takes its default.
type Limits struct {
	MaxFileBytes     int64 // default 100 MiB
	MaxInflatedBytes int64 // default 1 GiB: sum of a workbook's uncompressed parts
	MaxErrors        int   // errors kept in full (default 1000); all are counted
	MaxWarnings      int   // warnings kept in full (default 1000); all are counted

	// Workbooks (see xlsx.Limits for the defaults).
	MaxSharedStrings     int
	MaxSharedStringBytes int64
	MaxCellBytes         int // also one CSV value
	MaxMergedRanges      int
	MaxMergedCells       int64
	MaxColumns           int // also one CSV record's values
	MaxRows              int // non-empty rows of a sheet; default 2M for CSV
	MaxSheets            int

	// CSV, and every format for MaxCells.
	MaxLineBytes   int   // one physical line of a CSV file (default 1 MiB)
	MaxRecordBytes int   // one CSV record, quoted line breaks included (default 16 MiB)
	MaxCells       int64 // non-empty cells of a file (default 50M)
	MaxFacts       int   // distinct (series, month) values of a file (default 100,000)
	// MaxHeaderBytes bounds the text of the rows the header is looked for
	// in (default 4 MiB), so that search stays short whatever the sheet.
	MaxHeaderBytes int
}

// Default limits.
const (
	DefaultMaxFileBytes     = 100 << 20
	DefaultMaxInflatedBytes = xlsx.DefaultMaxInflatedBytes
	DefaultMaxErrors        = 1000
	DefaultMaxWarnings      = 1000
	DefaultMaxLineBytes     = 1 << 20
	DefaultMaxRecordBytes   = 16 << 20
	DefaultMaxCells         = 50_000_000
	DefaultMaxCSVRows       = 2_000_000
	DefaultMaxFacts         = 100_000
	DefaultMaxHeaderBytes   = 4 << 20
)

// withDefaults fills unset limits with the defaults.
func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	if l.MaxFileBytes <= 0 {
		l.MaxFileBytes = DefaultMaxFileBytes
	}
	if l.MaxCells <= 0 {
		l.MaxCells = DefaultMaxCells
	}
	def(&l.MaxErrors, DefaultMaxErrors)
	def(&l.MaxFacts, DefaultMaxFacts)
	def(&l.MaxHeaderBytes, DefaultMaxHeaderBytes)
	def(&l.MaxWarnings, DefaultMaxWarnings)
	def(&l.MaxLineBytes, DefaultMaxLineBytes)
	def(&l.MaxRecordBytes, DefaultMaxRecordBytes)
	w := l.workbook().WithDefaults()
	l.MaxInflatedBytes, l.MaxSharedStrings, l.MaxSharedStringBytes = w.MaxInflatedBytes, w.MaxSharedStrings, w.MaxSharedStringBytes
	l.MaxCellBytes, l.MaxMergedRanges, l.MaxColumns, l.MaxSheets = w.MaxCellBytes, w.MaxMergedRanges, w.MaxColumns, w.MaxSheets
	l.MaxMergedCells = w.MaxMergedCells
	return l
}

// workbook is the part of the limits the xlsx reader applies.
func (l Limits) workbook() xlsx.Limits {
	return xlsx.Limits{
		MaxInflatedBytes: l.MaxInflatedBytes, MaxSharedStrings: l.MaxSharedStrings,
		MaxSharedStringBytes: l.MaxSharedStringBytes, MaxCellBytes: l.MaxCellBytes,
		MaxMergedRanges: l.MaxMergedRanges, MaxMergedCells: l.MaxMergedCells, MaxColumns: l.MaxColumns, MaxRows: l.MaxRows, MaxSheets: l.MaxSheets,
	}
}

// Progress is reported while a file is read.
type Progress struct {
	Rows      int64 // data rows read so far
	BytesRead int64 // bytes of the file consumed so far (compressed for xlsx)
	Total     int64 // file size in bytes
}

// Options configure one read.
type Options struct {
	Defaults Defaults
	Limits   Limits
	// Progress, when set, is called now and then (at most every few thousand rows).
	Progress func(Progress)
	// PreviewRows is how many normalised rows per sheet to keep for a preview (0: none).
	PreviewRows int
	// Mappings are given for this read (a file, the preview's choices) and
	// win over SavedMappings; each applies to the table whose header is its
	// own (contract section 8).
	Mappings      []Mapping
	SavedMappings []Mapping
	// Now is the time periods are checked against (a period more than a year
	// ahead is an error); zero means time.Now().
	Now time.Time
	// Log receives what administrators should know of a read (a file or a
	// sheet that cannot be read, a panic), with the read's context so a
	// request's id travels with it; nil is slog.Default().
	Log *slog.Logger
}

// logger is the log of o.
func (o Options) logger() *slog.Logger {
	if o.Log == nil {
		return slog.Default()
	}
	return o.Log
}

// Issue is an error or a warning about a cell, a sheet or the file. Key names a
// message in the i18n catalogs (section "import."); Args fill its placeholders.
// Text is the English sentence, for logs and tests.
type Issue struct {
	Sheet string            `json:"sheet"`
	Cell  string            `json:"cell"`
	Key   string            `json:"-"`
	Args  map[string]string `json:"-"`
	Text  string            `json:"message"`
}

// Column says what one column of a sheet was understood as.
type Column struct {
	Cell    string `json:"cell"`    // A1 address of the header cell
	Header  string `json:"header"`  // header text as read (group title + sub-header)
	Meaning string `json:"meaning"` // e.g. "period", "partner", "letter_post inbound kg"
}

// SheetReport says what happened to one sheet.
type SheetReport struct {
	Name      string     `json:"name"`
	Status    string     `json:"status"`           // "read", "skipped", "hidden"
	Layout    string     `json:"layout,omitempty"` // "long" or "wide"
	HeaderRow int        `json:"header_row,omitempty"`
	Columns   []Column   `json:"columns,omitempty"`
	Rows      int64      `json:"rows"`
	Facts     int64      `json:"facts"`
	Tables    []Table    `json:"tables,omitempty"`
	Note      *Issue     `json:"note,omitempty"` // why a sheet was skipped
	Preview   [][]string `json:"preview,omitempty"`
	Notes     []string   `json:"notes,omitempty"` // text beside the figures: titles above the header, or a sheet of text only
}

// Result is everything read from one file.
type Result struct {
	Sheets     []SheetReport
	Facts      []postal.Fact // aggregated: one per (sheet, month, series)
	Rows       int64         // data rows read, total rows excluded
	Errors     []Issue       // at most Limits.MaxErrors
	ErrorCount int           // all errors, including those not kept
	Warnings   []Issue       // at most Limits.MaxWarnings
	// WarningCount is every warning, including those not kept.
	WarningCount int
}

// Layout names the layout of the first sheet that yielded facts ("long",
// "wide", or "mixed" when sheets differ).
func (r *Result) Layout() string {
	layout := ""
	for _, s := range r.Sheets {
		if s.Status != "read" || s.Layout == "" {
			continue
		}
		if layout == "" {
			layout = s.Layout
		} else if layout != s.Layout {
			return "mixed"
		}
	}
	return layout
}

// RefusedError is returned when a file cannot be read at all: unsupported,
// corrupt, encrypted, too large, or no sheet with a recognisable header.
type RefusedError struct {
	Key  string
	Args map[string]string
	Text string // English sentence
	// Sheets says, for a file refused because no sheet yielded a fact, why
	// each sheet was skipped (each with its own key, for translation).
	Sheets []Issue
}

func (e *RefusedError) Error() string { return e.Text }
