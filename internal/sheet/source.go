package sheet

import "context"

// cellKind is how a cell was stored.
type cellKind uint8

const (
	kindNumber cellKind = iota
	kindString
	kindBool
	kindError
	kindDate // ISO 8601 text (xlsx t="d")
)

// cellFmt is what a number cell's number format shows.
type cellFmt uint8

const (
	fmtPlain   cellFmt = iota
	fmtDate            // a date or time: the number is a date serial
	fmtPercent         // a percentage: 40 % stored as 0.4
)

// rawCell is one non-empty cell as stored: a formula counts by its cached value.
type rawCell struct {
	Col   int
	Kind  cellKind
	Fmt   cellFmt // a number's number format (xlsx, xls, ods): plain, date or percent
	Value string
}

// mergeRange is a merged range, 0-based and inclusive.
type mergeRange struct {
	FirstRow, FirstCol, LastRow, LastCol int
}

// sheetInfo names a sheet and says whether it is hidden.
type sheetInfo struct {
	Name   string
	Hidden bool
}

// book is what the layout logic reads: sheets of rows of raw cells. The
// xlsx adapter, the CSV reader and in-memory test grids all provide it.
// Merged runs on a goroutine of its own, at the same time as Rows.
type book interface {
	Sheets() []sheetInfo
	Date1904() bool
	Merged(sheet string) ([]mergeRange, error)
	Rows(ctx context.Context, sheet string) (rowIter, error)
	Close() error
}

// rowIter streams the non-empty rows of a sheet.
type rowIter interface {
	Next() bool
	Row() int         // 0-based row index
	Cells() []rawCell // non-empty cells in column order; reused by Next
	BytesRead() int64
	Err() error
	Close() error
}

// gridBook is an in-memory book, for CSV-sized tests and fixtures.
type gridBook struct {
	sheets   []gridSheet
	date1904 bool
}

type gridSheet struct {
	name   string
	hidden bool
	rows   [][]rawCell // index = row; nil or empty rows are skipped
	merged []mergeRange
	hid    map[int]bool // hidden rows
}

func (g *gridBook) Sheets() []sheetInfo {
	out := make([]sheetInfo, len(g.sheets))
	for i, s := range g.sheets {
		out[i] = sheetInfo{Name: s.name, Hidden: s.hidden}
	}
	return out
}

func (g *gridBook) Date1904() bool { return g.date1904 }

func (g *gridBook) find(name string) *gridSheet {
	for i := range g.sheets {
		if g.sheets[i].name == name {
			return &g.sheets[i]
		}
	}
	return nil
}

func (g *gridBook) Merged(name string) ([]mergeRange, error) {
	if s := g.find(name); s != nil {
		return s.merged, nil
	}
	return nil, nil
}

func (g *gridBook) Rows(_ context.Context, name string) (rowIter, error) {
	s := g.find(name)
	if s == nil {
		return &gridRows{row: -1}, nil
	}
	return &gridRows{rows: s.rows, hid: s.hid, row: -1}, nil
}

func (g *gridBook) Close() error { return nil }

type gridRows struct {
	rows [][]rawCell
	hid  map[int]bool
	row  int
}

func (r *gridRows) rowHidden() bool { return r.hid[r.row] }

func (r *gridRows) Next() bool {
	for r.row+1 < len(r.rows) {
		r.row++
		if len(r.rows[r.row]) > 0 {
			return true
		}
	}
	return false
}

func (r *gridRows) Row() int         { return r.row }
func (r *gridRows) Cells() []rawCell { return r.rows[r.row] }
func (r *gridRows) BytesRead() int64 { return 0 }
func (r *gridRows) Err() error       { return nil }
func (r *gridRows) Close() error     { return nil }

// hiddenColumnRows is what a rowIter may also say: the columns its sheet
// hides. A hidden column whose meaning is unknown is ignored with a warning.
type hiddenColumnRows interface {
	hiddenColumns() []int
}

// hiddenRowRows is what a rowIter may also say: whether its current row is
// hidden. A hidden row whose meaning is unknown is ignored with a warning.
type hiddenRowRows interface {
	rowHidden() bool
}
