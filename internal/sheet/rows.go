package sheet

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"postdash/internal/postal"
)

// sheetRows reads the data rows of one sheet below its header.
type sheetRows struct {
	rd       *reader
	rep      *SheetReport
	lay      layout
	cells    []rawCell // by column, for the current row
	has      []bool
	vmerges  []mergeRange             // vertical merges not reached yet, by first row
	active   []mergeRange             // vertical merges over the current row
	topVals  map[[2]int]rawCell       // value of each vertical merge's top cell
	block    []float64                // per measure: sum since the last total row
	grand    []float64                // per measure: sum of all rows so far
	partners map[string]bool          // unknown partners already warned about
	lookups  map[string]string        // cache: role + folded text -> canonical value
	periods  map[rawCell]periodResult // cache of parsed period cells
}

// maxLookupCache bounds the cache of dimension texts.
const maxLookupCache = 10000

func newSheetRows(rd *reader, rep *SheetReport, lay layout, merges []mergeRange) *sheetRows {
	sr := &sheetRows{
		rd: rd, rep: rep, lay: lay,
		cells: make([]rawCell, lay.maxCol+1), has: make([]bool, lay.maxCol+1),
		topVals: map[[2]int]rawCell{}, block: make([]float64, len(lay.measures)),
		grand: make([]float64, len(lay.measures)), partners: map[string]bool{}, lookups: map[string]string{},
		periods: map[rawCell]periodResult{},
	}
	for _, m := range merges {
		if m.LastRow > m.FirstRow && m.FirstCol <= lay.maxCol {
			sr.vmerges = append(sr.vmerges, m)
		}
	}
	sort.Slice(sr.vmerges, func(i, j int) bool { return sr.vmerges[i].FirstRow < sr.vmerges[j].FirstRow })
	return sr
}

// row reads one data row.
func (sr *sheetRows) row(r int, cells []rawCell) {
	for i := range sr.has {
		sr.has[i] = false
	}
	sr.advanceMerges(r)
	nonEmpty, firstText := 0, ""
	allText := true
	for _, c := range cells {
		if strings.TrimFunc(c.Value, postal.IsSpace) == "" {
			continue
		}
		nonEmpty++
		if c.Kind == kindString && firstText == "" {
			firstText = c.Value
		}
		if c.Kind != kindString {
			allText = false
		}
		sr.rememberMergeTop(r, c)
		if c.Col <= sr.lay.maxCol {
			sr.cells[c.Col], sr.has[c.Col] = c, true
		}
	}
	if nonEmpty == 0 {
		return
	}
	if firstText != "" && sr.isTotal(firstText) {
		sr.checkTotals(r)
		return
	}
	if nonEmpty == 1 && allText {
		if _, err := ParseNumber(firstText); err != nil && err != errNegative {
			return // a note or footnote
		}
	}
	sr.fillMerged(r)
	sr.data(r)
}

// isTotal reports whether a row's first text cell starts with a total word.
func (sr *sheetRows) isTotal(text string) bool {
	key := "total\x00" + text
	if v, ok := sr.lookups[key]; ok {
		return v != ""
	}
	ms := sr.rd.vocab.Lookup(text)
	total := len(ms) > 0 && ms[0].Kind == postal.KindTotal && ms[0].Start == 0
	if len(sr.lookups) < maxLookupCache {
		sr.lookups[key] = ""
		if total {
			sr.lookups[key] = "total"
		}
	}
	return total
}

// advanceMerges keeps in active the vertical merges that cover row r, so a
// row looks at a few merges, not all of them (rows come in order).
func (sr *sheetRows) advanceMerges(r int) {
	kept := sr.active[:0]
	for _, m := range sr.active {
		if m.LastRow >= r {
			kept = append(kept, m)
		} else {
			delete(sr.topVals, [2]int{m.FirstRow, m.FirstCol})
		}
	}
	sr.active = kept
	for len(sr.vmerges) > 0 && sr.vmerges[0].FirstRow <= r {
		if sr.vmerges[0].LastRow >= r {
			sr.active = append(sr.active, sr.vmerges[0])
		}
		sr.vmerges = sr.vmerges[1:]
	}
}

// rememberMergeTop keeps the value of cells that start a vertical merge.
func (sr *sheetRows) rememberMergeTop(r int, c rawCell) {
	for _, m := range sr.active {
		if m.FirstRow == r && m.FirstCol == c.Col {
			sr.topVals[[2]int{r, c.Col}] = c
		}
	}
}

// fillMerged gives empty dimension cells inside a vertical merge the value
// of the merge's top cell (a period written once for several rows).
func (sr *sheetRows) fillMerged(r int) {
	if len(sr.active) == 0 {
		return
	}
	for _, c := range sr.lay.cols {
		if c.Role == roleMeasure || c.Role == roleIgnored || sr.has[c.Col] {
			continue
		}
		for _, m := range sr.active {
			if m.FirstRow < r && r <= m.LastRow && m.FirstCol <= c.Col && c.Col <= m.LastCol {
				if v, ok := sr.topVals[[2]int{m.FirstRow, m.FirstCol}]; ok {
					v.Col = c.Col
					sr.cells[c.Col], sr.has[c.Col] = v, true
				}
				break
			}
		}
	}
}

// cell returns the current row's cell in column col.
func (sr *sheetRows) cell(col int) (rawCell, bool) {
	if col < 0 || col >= len(sr.has) || !sr.has[col] {
		return rawCell{}, false
	}
	return sr.cells[col], true
}

func (sr *sheetRows) errorAt(col, r int, key string, args map[string]string) {
	sr.rd.addError(newIssue(sr.rep.Name, cellName(col, r), key, args))
}

// measureValue is one measure cell read: its value in items or kilograms.
type measureValue struct {
	items  bool
	value  float64
	digits int // decimals written, for rounding of totals
	factor float64
}

// readMeasure reads measure column m of the current row; ok is false when
// the cell is empty or in error (the error is recorded when report is set).
func (sr *sheetRows) readMeasure(m int, r int, report bool) (measureValue, bool, bool) {
	col := sr.lay.cols[m]
	c, ok := sr.cell(col.Col)
	if !ok {
		return measureValue{}, false, false
	}
	fail := func(key string, args map[string]string) (measureValue, bool, bool) {
		if report {
			sr.errorAt(col.Col, r, key, args)
		}
		return measureValue{}, false, true
	}
	shown := map[string]string{"value": quote(strings.TrimSpace(c.Value))}
	var n Number
	var err error
	switch c.Kind {
	case kindBool:
		return fail(keyBoolean, map[string]string{"value": boolText(c.Value)})
	case kindError:
		return fail(keyErrorValue, shown)
	case kindNumber:
		n, err = rawNumber(c.Value)
	default:
		n, err = ParseNumber(c.Value)
	}
	switch err {
	case nil:
	case errNegative:
		return fail(keyNegative, shown)
	case errTooBig:
		return fail(keyTooBig, shown)
	default:
		return fail(keyNotNumber, shown)
	}
	unit := col.Unit
	if n.Unit != "" {
		u, known := sr.unitOf(n.Unit)
		if !known {
			return fail(keyNotNumber, shown)
		}
		if (u == postal.UnitItems) != (unit == postal.UnitItems) {
			return fail(keyUnitMismatch, map[string]string{"value": shown["value"], "unit": n.Unit, "expected": unitText(unit)})
		}
		unit = u
	}
	mv := measureValue{items: unit == postal.UnitItems, digits: n.Decimals, factor: unitFactor[unit]}
	mv.value = n.Value * mv.factor
	if mv.items && math.Abs(n.Value-math.Round(n.Value)) > 1e-9 {
		return fail(keyFractionalItems, shown)
	}
	if mv.items {
		mv.value = math.Round(mv.value)
	}
	return mv, true, true
}

// unitFactor converts a unit to items or kilograms.
var unitFactor = map[postal.Unit]float64{
	postal.UnitItems: 1, postal.UnitKg: 1, postal.UnitWeight: 1, postal.UnitTonne: 1000, postal.UnitGram: 0.001,
}

// unitOf reads a unit written after a number (`кг`, `t`, `шт.`).
func (sr *sheetRows) unitOf(folded string) (postal.Unit, bool) {
	toks := postal.Tokens(folded)
	ms := sr.rd.vocab.LookupTokens(toks)
	for _, m := range ms {
		if m.Kind == postal.KindUnit && m.Start == 0 && m.End == len(toks) && m.Value != string(postal.UnitWeight) {
			return postal.Unit(m.Value), true
		}
	}
	return "", false
}

func unitText(u postal.Unit) string {
	if u == postal.UnitItems {
		return "items"
	}
	return "kg"
}

func boolText(v string) string {
	if v == "1" || strings.EqualFold(v, "true") {
		return "TRUE"
	}
	return "FALSE"
}

// checkTotals compares a total row's figures with the rows above it.
func (sr *sheetRows) checkTotals(r int) {
	for i, m := range sr.lay.measures {
		mv, ok, _ := sr.readMeasure(m, r, false)
		if ok {
			tol := 0.5*math.Pow(10, -float64(mv.digits))*mv.factor + 1e-9*math.Max(1, math.Abs(mv.value))
			if math.Abs(mv.value-sr.block[i]) > tol && math.Abs(mv.value-sr.grand[i]) > tol {
				col := sr.lay.cols[m].Col
				sr.rd.warn(newIssue(sr.rep.Name, cellName(col, r), keyTotalMismatch, map[string]string{
					"total": quote(strings.TrimSpace(sr.cells[col].Value)),
					"sum":   formatSum(sr.block[i], mv),
				}))
			}
		}
		sr.block[i] = 0
	}
}

// formatSum shows a sum in the unit of the total's column.
func formatSum(v float64, mv measureValue) string {
	if mv.factor != 0 {
		v /= mv.factor
	}
	return strconv.FormatFloat(v, 'f', max(mv.digits, 0), 64)
}

// periodResult is a parsed period cell, cached: a sheet repeats few periods.
type periodResult struct {
	p   Period
	err error
}

// parsePeriod parses a period cell, remembering the answer for its text.
func (sr *sheetRows) parsePeriod(c rawCell) (Period, error) {
	c.Col = 0
	if r, ok := sr.periods[c]; ok {
		return r.p, r.err
	}
	p, err := sr.rd.periods.parseCell(c, sr.rd.date1904)
	if len(sr.periods) < maxLookupCache {
		sr.periods[c] = periodResult{p, err}
	}
	return p, err
}
