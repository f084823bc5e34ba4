package sheet

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"postdash/internal/postal"
)

// Accounting says what became of a table's numeric body cells. Every one
// ends in exactly one bucket; Unknown > 0 is an error naming the column or
// row, and a committed import has Unknown 0.
type Accounting struct {
	Numeric int64 `json:"numeric"`
	Facts   int64 `json:"facts"`
	Totals  int64 `json:"totals"`
	Parts   int64 `json:"parts"`
	Derived int64 `json:"derived"`
	Ignored int64 `json:"ignored"`
	Unknown int64 `json:"unknown"`
	Errors  int64 `json:"errors,omitempty"` // cells in error (the import is rejected)
}

func (a *Accounting) add(o Accounting) {
	a.Numeric += o.Numeric
	a.Facts += o.Facts
	a.Totals += o.Totals
	a.Parts += o.Parts
	a.Derived += o.Derived
	a.Ignored += o.Ignored
	a.Unknown += o.Unknown
	a.Errors += o.Errors
}

// balanced reports whether the buckets add up to the numeric cells seen.
func (a Accounting) balanced() bool {
	return a.Numeric == a.Facts+a.Totals+a.Parts+a.Derived+a.Ignored+a.Unknown+a.Errors
}

// colAccount is the accounting of one column, with the sum of its facts.
type colAccount struct {
	Accounting
	Sum float64 // items or kilograms imported from it
}

// TableColumn says what one column (or stub row) of a table was understood
// as, and what was read from it.
type TableColumn struct {
	Cell       string     `json:"cell"`    // A1 address of its header (or stub) cell
	Header     string     `json:"header"`  // header text as read (group titles + own text)
	Meaning    string     `json:"meaning"` // e.g. "period", "letter_post inbound kg", "unknown"
	Total      *float64   `json:"total,omitempty"`
	Unit       string     `json:"unit,omitempty"` // of Total: "items" or "kg"
	Accounting Accounting `json:"accounting"`
}

// ContextItem is a value taken from outside a table's columns.
type ContextItem struct {
	Field string `json:"field"` // period, year, direction, partner, category, marketplace
	Value string `json:"value"`
	From  string `json:"from"` // where: the title cell, or "sheet name"
}

// Table is one table of a sheet as it was read.
type Table struct {
	Range      string        `json:"range"` // "A4:N8"
	Layout     string        `json:"layout"`
	Context    []ContextItem `json:"context,omitempty"`
	Columns    []TableColumn `json:"columns"`
	Accounting Accounting    `json:"accounting"`
	// Mapping names the mapping applied to the table, if any.
	Mapping *MappingRef `json:"mapping,omitempty"`
}

// errInvariant is an internal failure: the accounting does not add up.
type errInvariant struct{ sheet, what string }

func (e *errInvariant) Error() string {
	return fmt.Sprintf("sheet %q: the accounting of numeric cells does not add up (%s)", e.sheet, e.what)
}

// finish ends the reading of a table: numbers with no understood meaning
// become errors naming their column, and the table is reported.
func (sr *sheetRows) finish(firstRow, lastRow, lastCol int) error {
	t := Table{Layout: sr.lay.name}
	for i, c := range sr.lay.cols {
		a := sr.acct[i]
		if a.Unknown > 0 && sr.hidden[c.Col] {
			// A hidden helper column (lookup keys): ignored, with a warning.
			sr.rd.warn(newIssue(sr.rep.Name, colName(c.Col), keyHiddenIgnored, map[string]string{
				"col": colName(c.Col), "header": quote(c.Header), "count": strconv.FormatInt(a.Unknown, 10),
			}))
			a.Ignored += a.Unknown
			a.Unknown = 0
			sr.acct[i] = a
		}
		if a.Unknown > 0 {
			key := c.Why
			if key == "" {
				key = keyColumnUnknown
			}
			args := map[string]string{
				"col": colName(c.Col), "header": quote(c.Header), "count": strconv.FormatInt(a.Unknown, 10),
			}
			for k, v := range c.WhyArgs {
				args[k] = v
			}
			sr.rd.addError(newIssue(sr.rep.Name, colName(c.Col), key, args))
		}
		if !a.balanced() {
			return &errInvariant{sr.rep.Name, fmt.Sprintf("column %s: %+v", colName(c.Col), a.Accounting)}
		}
		tc := TableColumn{Cell: cellName(c.Col, sr.headerRow), Header: c.Header, Meaning: c.meaning(), Accounting: a.Accounting}
		if c.Role == roleMeasure && a.Facts > 0 {
			v := a.Sum
			if c.Unit != postal.UnitItems {
				v = postal.RoundKg(v)
				tc.Unit = "kg"
			} else {
				tc.Unit = "items"
			}
			tc.Total = &v
		}
		t.Columns = append(t.Columns, tc)
		t.Accounting.add(a.Accounting)
	}
	strays := make([]int, 0, len(sr.stray))
	for col := range sr.stray {
		strays = append(strays, col)
	}
	sort.Ints(strays)
	for _, col := range strays {
		n := sr.stray[col]
		sr.rd.addError(newIssue(sr.rep.Name, colName(col), keyColumnUnknown, map[string]string{
			"col": colName(col), "header": quote(""), "count": strconv.FormatInt(n, 10),
		}))
		t.Accounting.add(Accounting{Numeric: n, Unknown: n})
		t.Columns = append(t.Columns, TableColumn{Cell: cellName(col, sr.headerRow), Meaning: roleNames[roleUnknown],
			Accounting: Accounting{Numeric: n, Unknown: n}})
		lastCol = max(lastCol, col)
	}
	t.Range = cellName(0, firstRow) + ":" + cellName(lastCol, lastRow)
	if len(sr.lay.cols) > 0 {
		t.Range = cellName(sr.lay.cols[0].Col, firstRow) + ":" + cellName(lastCol, lastRow)
	}
	t.Context = append(append([]ContextItem(nil), sr.lay.context.items...), sr.blockItems...)
	t.Mapping = sr.lay.mapping
	sr.rep.Tables = append(sr.rep.Tables, t)
	return nil
}

// decideMarks decides, per column, how its ambiguous commas read; redo
// reports that some column reads them otherwise than the first pass did
// (as decimal commas), so the rows must be read again.
func (sr *sheetRows) decideMarks() ([]int, bool) {
	readings := make([]int, len(sr.marks))
	redo := false
	for i, e := range sr.marks {
		r, _ := sr.decideColumn(e)
		readings[i] = r
		if r == commaThousand && sr.readings[i] != commaThousand && len(sr.deferred) >= maxDeferred {
			redo = true // too many to correct in place: read the rows again
		}
		if e.dotThousand() && !sr.dotReadings[i] && len(sr.deferred) >= maxDeferred {
			redo = true
		}
	}
	return readings, redo
}

// end reports what the rows said once they are all read: the readings of
// ambiguous commas that only the language decided, the marked cells, and
// the table with its accounting.
func (sr *sheetRows) end(readings []int) error {
	sr.resolveDownParts()
	if len(sr.deferred) < maxDeferred {
		// Columns that write commas between thousands: their ambiguous
		// commas, read as decimal marks, become thousands.
		for _, d := range sr.deferred {
			if d.dot && (!sr.marks[d.measure].dotThousand() || sr.dotReadings[d.measure]) {
				continue
			}
			if r, _ := sr.decideColumn(sr.marks[d.measure]); !d.dot && (r != commaThousand || sr.readings[d.measure] == commaThousand) {
				continue
			}
			if d.agg.HasItems && sr.lay.cols[d.measure].Unit == postal.UnitItems {
				d.agg.Items += int64(math.Round(d.alt))
			} else {
				d.agg.WeightKg += d.alt
			}
			sr.acct[d.measure].Sum += d.alt
		}
	}
	sr.deferred = nil
	for i, e := range sr.marks {
		if e.commaConflict() {
			// `1,234,567` and `12,5` in one column: its commas fit no one reading (§6).
			c := sr.lay.cols[i]
			sr.rd.addError(newIssue(sr.rep.Name, colName(c.Col), keyCommasBothWays, map[string]string{
				"col": colName(c.Col), "header": quote(c.Header), "thousands": quote(e.thousandsExample), "decimal": quote(e.decimalExample),
			}))
		}
		if e.dotConflict() {
			// `1.234.567` and `12.5` in one column: its `2.500` reads neither way for sure.
			c := sr.lay.cols[i]
			sr.rd.addError(newIssue(sr.rep.Name, colName(c.Col), keyDotsBothWays, map[string]string{
				"col": colName(c.Col), "header": quote(c.Header), "value": quote(e.dotExample),
			}))
		}
	}
	for i, e := range sr.marks {
		if r, byLang := sr.decideColumn(e); byLang {
			c := sr.lay.cols[i]
			reading := "a decimal comma (" + e.example + " is " + strings.Replace(e.example, ",", ".", 1) + ")"
			if r == commaThousand {
				reading = "a comma between thousands (" + e.example + " is " + strings.Replace(e.example, ",", "", 1) + ")"
			}
			sr.rd.warn(newIssue(sr.rep.Name, colName(c.Col), keyAmbiguousMarks, map[string]string{
				"col": colName(c.Col), "header": quote(c.Header), "value": quote(e.example), "reading": reading,
			}))
		}
	}
	_ = readings
	if len(sr.footnotes) > 0 {
		fn := sr.rd.footnotes[sr.rep.Name]
		if fn == nil {
			fn = map[string]string{}
			sr.rd.footnotes[sr.rep.Name] = fn
		}
		for m, n := range sr.footnotes {
			fn[m] = n
		}
	}
	for i, m := range sr.marked {
		if i >= 100 {
			break
		}
		note := sr.noteOf(m.mark)
		if note != "" {
			note = " (" + m.mark + " " + note + ")"
		} else {
			note = " " + m.mark
		}
		sr.rd.warn(newIssue(sr.rep.Name, m.cell, keyFootnote, map[string]string{
			"value": quote(m.text), "note": note, "number": strconv.FormatFloat(m.value, 'f', -1, 64),
		}))
	}
	return sr.finish(sr.firstRow, sr.lastRow, sr.lay.maxCol)
}

// decideColumn decides a column's ambiguous commas: by its own cells, else
// by the other columns of its table (a sheet that writes 98,279.5 elsewhere
// writes thousands), else by the sheet's language.
func (sr *sheetRows) decideColumn(e markEvidence) (int, bool) {
	r, byLang := e.decide(sr.lay.lang)
	if !byLang {
		return r, false
	}
	var all markEvidence
	for _, o := range sr.marks {
		all.commaThousands += o.commaThousands
		all.decimalComma += o.decimalComma
	}
	all.ambiguous = e.ambiguous
	if r2, byLang2 := all.decide(sr.lay.lang); !byLang2 {
		return r2, false
	}
	return r, true
}
