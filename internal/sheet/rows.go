package sheet

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"postdash/internal/postal"
)

// sheetRows reads the data rows of one sheet below its header.
type sheetRows struct {
	rd       *reader
	rep      *SheetReport
	lay      layout
	cells    []rawCell // by column, for the current row
	has      []bool
	vmerges  []mergeRange         // vertical merges not reached yet, by first row
	active   []mergeRange         // vertical merges over the current row
	table    int                  // the table's id (reader.tables)
	one      bool                 // each fact comes from one cell: no list that adds up
	tableEnd int                  // the last row before the pending block titles
	vmerged  []mergeRange         // merges of a measure cell over several rows or measures, by first row
	topVals  map[[2]int]rawCell   // value of each vertical merge's top cell
	block    []float64            // per measure: sum since the last total row
	grand    []float64            // per measure: sum of all rows so far
	partners map[string]bool      // unknown partners already warned about
	lookups  map[lookupKey]string // cache: kind + text -> canonical value
	totals   map[string]bool      // cache: text -> starts with a total word
	parts2   map[string]bool      // cache: text -> starts with a word for a part
	kinds    map[string]int       // cache: a row's first text -> its kind (rowData ...)
	periods  periodCache          // cache of parsed period cells
	dimCols  [len(dimRoles)]int   // column of each of dimRoles, -1 when unused
	dimIDs   map[dimTexts]int     // cache: dimension texts -> index into dimList
	dimList  []dims
	// The last row's dimension texts found in dimIDs, and their id (-1: none).
	lastTexts dimTexts
	lastDims  int
	aggs      map[uint64]*aggFact // by aggKey: the reader's aggregates this sheet has added into, past aggIx's bound
	aggIx     aggIndex            // the same, by dimensions id, month and measure
	pp        periodParser        // this sheet's reading of period cells
	slash     slashEvidence       // what its d/m/y dates say about their order

	acct              []colAccount  // per column of lay.cols: what its numeric cells became
	factors           []float64     // per column of lay.cols: unitFactor of its unit
	colIdx            []int         // by sheet column: index into lay.cols, -1 when none
	stray             map[int]int64 // numbers in columns with no header, by column
	headerRow         int           // 0-based row of the header's lowest row
	firstRow, lastRow int           // 0-based first (header) and last row of the table
	headerCells       []rawCell     // the header's lowest row, to know it again when repeated
	nextHeader        *bufRow       // a header below the table: the next table starts
	pendingTitle      []int         // rows of block titles since the last data row
	blockCtx          sheetContext  // the latest block title's context
	blockItems        []ContextItem
	fail              error
	hidden            map[int]bool               // columns the sheet hides
	deferred          []deferredMark             // ambiguous commas read as decimal marks, until the column decides
	running           map[runningKey]runningLast // running totals down the rows: the last of each series
	yearFromCell      bool                       // the current row's period cell named its year
	marks             []markEvidence             // per column of lay.cols: how its text numbers are written
	rowHidden         bool                       // the current row is hidden
	readings          []int                      // per column of lay.cols: how an ambiguous comma reads
	dotReadings       []bool                     // per column of lay.cols: an ambiguous dot (2.500) reads as thousands
	marked            []markedCell               // cells with a footnote mark
	footnotes         map[string]string          // mark -> the footnote's text below the table

	// Scratch reused by every data row, so a row allocates nothing.
	vals       []measureValue
	present    []bool
	parts      []part
	pendingAlt []pendingAlt

	// The last data row, whose part rows (в т.ч. …) may split it (downparts.go).
	parentOK   bool
	parentVals []downParentVal
	downParts  []downPart
}

// lookupKey is a cached vocabulary question: which value of kind text names.
type lookupKey struct {
	kind postal.Kind
	text string
}

// maxLookupCache bounds the cache of dimension texts.
const maxLookupCache = 10000

// newSheetRows prepares the reading of a sheet's data rows; monthFirst reads
// d/m/y dates as m/d/y.
func newSheetRows(rd *reader, rep *SheetReport, lay layout, merges []mergeRange, monthFirst bool) *sheetRows {
	pp := rd.periods
	pp.monthFirst = monthFirst
	sr := &sheetRows{
		rd: rd, rep: rep, lay: lay, pp: pp,
		cells: make([]rawCell, lay.maxCol+1), has: make([]bool, lay.maxCol+1),
		topVals: map[[2]int]rawCell{}, block: make([]float64, len(lay.measures)),
		grand: make([]float64, len(lay.measures)), partners: map[string]bool{},
		lookups: map[lookupKey]string{}, totals: map[string]bool{}, parts2: map[string]bool{}, kinds: map[string]int{},
		vals: make([]measureValue, len(lay.measures)), present: make([]bool, len(lay.measures)),
		dimIDs: map[dimTexts]int{}, aggs: map[uint64]*aggFact{}, aggIx: aggIndex{measures: len(lay.measures)}, lastDims: -1,
	}
	rd.tables++
	sr.table, sr.one = rd.tables, lay.name == "wide" || len(lay.dimCols) == 0
	sr.acct = make([]colAccount, len(lay.cols))
	sr.factors = make([]float64, len(lay.cols))
	for i, c := range lay.cols {
		sr.factors[i] = unitFactor[c.Unit]
	}
	sr.marks = make([]markEvidence, len(lay.cols))
	sr.readings = make([]int, len(lay.cols))
	sr.dotReadings = make([]bool, len(lay.cols))
	sr.footnotes = map[string]string{}
	sr.colIdx = make([]int, lay.maxCol+1)
	for i := range sr.colIdx {
		sr.colIdx[i] = -1
	}
	for i, c := range lay.cols {
		sr.colIdx[c.Col] = i
	}
	sr.stray = map[int]int64{}
	for k, role := range dimRoles {
		sr.dimCols[k] = -1
		if i, ok := lay.dimCols[role]; ok {
			sr.dimCols[k] = lay.cols[i].Col
		}
	}
	for _, m := range merges {
		if m.LastRow > m.FirstRow && m.FirstCol <= lay.maxCol {
			sr.vmerges = append(sr.vmerges, m)
		}
	}
	sort.Slice(sr.vmerges, func(i, j int) bool { return sr.vmerges[i].FirstRow < sr.vmerges[j].FirstRow })
	for _, m := range merges {
		if m.FirstCol <= lay.maxCol && sr.colIdx[m.FirstCol] >= 0 && lay.cols[sr.colIdx[m.FirstCol]].Role == roleMeasure &&
			(m.LastRow > m.FirstRow || sr.measuresIn(m.FirstCol, m.LastCol) > 1) {
			sr.vmerged = append(sr.vmerged, m)
		}
	}
	sort.Slice(sr.vmerged, func(i, j int) bool { return sr.vmerged[i].FirstRow < sr.vmerged[j].FirstRow })
	return sr
}

// measuresIn counts the measure columns from c0 to c1.
func (sr *sheetRows) measuresIn(c0, c1 int) int {
	n := 0
	for _, i := range sr.lay.measures {
		if c := sr.lay.cols[i].Col; c0 <= c && c <= c1 {
			n++
		}
	}
	return n
}

// mergedValues reports a number merged over two or more measure columns, or
// over two or more rows (months, items) of the body: one number cannot be
// two facts, and postdash does not guess how to split it. Header merges
// (above the body) and merged stubs are left alone.
func (sr *sheetRows) mergedValues(r int, cells []rawCell) bool {
	found := false
	for len(sr.vmerged) > 0 && sr.vmerged[0].FirstRow <= r {
		m := sr.vmerged[0]
		sr.vmerged = sr.vmerged[1:]
		if m.FirstRow != r || r <= sr.headerRow || !numberAt(cells, m.FirstCol) {
			continue
		}
		first, last := "", ""
		if sr.measuresIn(m.FirstCol, m.LastCol) > 1 {
			for _, i := range sr.lay.measures {
				if c := sr.lay.cols[i]; m.FirstCol <= c.Col && c.Col <= m.LastCol {
					if first == "" {
						first = quote(c.Header)
					} else {
						last = quote(c.Header)
					}
				}
			}
		}
		sr.rd.addError(mergedIssue(sr.rep.Name, m, first, last))
		found = true
	}
	return found
}

// row reads one data row.
func (sr *sheetRows) row(r int, cells []rawCell) {
	for i := range sr.has {
		sr.has[i] = false
	}
	sr.advanceMerges(r)
	if len(sr.vmerged) > 0 && sr.mergedValues(r, cells) {
		return
	}
	nonEmpty, firstText := 0, ""
	allText := true
	for _, c := range cells {
		if blank(c.Value) {
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
	if len(sr.pendingTitle) == 0 {
		sr.tableEnd = sr.lastRow
	}
	sr.lastRow = r
	if nonEmpty == 1 && allText {
		if n, err := ParseNumber(firstText); err != nil && err != errNegative || !sr.knownUnit(n.Unit) {
			if !sr.blockTitle(r, cells, firstText) {
				sr.footnote(firstText)
			}
			return // a note, a footnote or a block title
		}
	}
	if allText && nonEmpty >= 2 && sr.headerAgain(r, cells) {
		return
	}
	sr.pendingTitle = sr.pendingTitle[:0]
	kind := rowData
	if firstText != "" {
		kind = sr.rowKind(firstText)
	}
	sr.account(cells, kind)
	if kind != rowPart {
		sr.resolveDownParts()
	}
	switch kind {
	case rowTotal:
		sr.forgetParent()
		sr.checkTotals(r)
		return
	case rowPart:
		// Parts of the row above: the parent row is the fact, unless the
		// parts and a remainder add up to it (resolveDownParts).
		sr.notePart(r, firstText)
		return
	}
	sr.fillMerged(r)
	sr.data(r)
}

// Kinds of body rows.
const (
	rowData = iota
	rowTotal
	rowPart
)

// rowKind says whether a row is a total, a part of the row above, or data,
// from its first text.
func (sr *sheetRows) rowKind(text string) int {
	if k, ok := sr.kinds[text]; ok {
		return k
	}
	k := rowData
	switch {
	case sr.isTotal(text):
		k = rowTotal
	case sr.isPart(text):
		k = rowPart
	}
	if len(sr.kinds) < maxLookupCache {
		sr.kinds[text] = k
	}
	return k
}

// isPart reports whether a row's first text starts with a word for a part
// of the row above (`в т.ч.`, `shu jumladan`, `of which`).
func (sr *sheetRows) isPart(text string) bool {
	if v, ok := sr.parts2[text]; ok {
		return v
	}
	toks := postal.Tokens(postal.Fold(text))
	ms := sr.rd.vocab.LookupTokens(toks)
	part := false
	for _, m := range ms {
		if m.Kind == postal.KindPart && m.Start <= 1 {
			part = true
		}
	}
	if len(sr.parts2) < maxLookupCache {
		sr.parts2[text] = part
	}
	return part
}

// account counts the numbers of a row's body cells that are not measures
// (those are counted as they are read): totals, derived figures, and numbers
// with no understood meaning.
func (sr *sheetRows) account(cells []rawCell, kind int) {
	for _, c := range cells {
		idx := -1
		if c.Col < len(sr.colIdx) {
			if !sr.has[c.Col] {
				continue // blank (has is set for every non-blank cell of the header's columns)
			}
			idx = sr.colIdx[c.Col]
		} else if blank(c.Value) {
			continue
		}
		if idx >= 0 {
			col := &sr.lay.cols[idx]
			if col.Role == roleMeasure {
				a := &sr.acct[idx]
				a.Numeric++
				switch kind {
				case rowTotal:
					a.Totals++
				case rowPart:
					a.Parts++
				}
				continue
			}
			if !col.isBody() || !isNumeric(c) {
				continue
			}
			a := &sr.acct[idx]
			a.Numeric++
			switch {
			case col.Role == roleDropped:
				a.Ignored++
			case kind == rowTotal || col.Role == roleTotal:
				a.Totals++
			case kind == rowPart || col.Role == rolePart:
				a.Parts++
			case col.Role == roleDerived:
				a.Derived++
			default:
				a.Unknown++
			}
			continue
		}
		if isNumeric(c) && kind == rowData {
			sr.stray[c.Col]++
		}
	}
}

// isNumeric reports whether a cell holds a number (a numeric cell or text
// that reads as one).
func isNumeric(c rawCell) bool {
	switch c.Kind {
	case kindNumber:
		return true
	case kindString:
		_, err := ParseNumber(c.Value)
		return err == nil
	}
	return false
}

// isTotal reports whether a row's first text cell starts or ends with a total word.
func (sr *sheetRows) isTotal(text string) bool {
	if v, ok := sr.totals[text]; ok {
		return v
	}
	toks := postal.Tokens(postal.Fold(text))
	ms := sr.rd.vocab.LookupTokens(toks)
	// "Итого:", "Jami (ming dona)"; or, as the Subtotal command of Excel and
	// LibreOffice labels its rows, "China Total", "Общий итог".
	total := len(ms) > 0 && (ms[0].Kind == postal.KindTotal && ms[0].Start == 0 ||
		ms[len(ms)-1].Kind == postal.KindTotal && ms[len(ms)-1].End == len(toks))
	if len(sr.totals) < maxLookupCache {
		sr.totals[text] = total
	}
	return total
}

// blank reports whether s is empty or only spaces.
func blank(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				if !postal.IsSpace(r) {
					return false
				}
			}
			return true
		}
		if !asciiSpace(c) {
			return false // most cells: a letter or digit first
		}
	}
	return true
}

// asciiSpace is postal.IsSpace for an ASCII byte, without its table search
// (TestASCIISpace holds them equal).
func asciiSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
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
	mark   string  // a footnote mark after the number
	alt    float64 // an ambiguous comma (1,250) or dot (2.500): what reading thousands would add
	altDot bool    // alt is a dot's
}

// readMeasure reads measure column m of the current row; ok is false when
// the cell is empty or in error (the error is recorded when report is set).
func (sr *sheetRows) readMeasure(m int, r int, report bool) (measureValue, bool, bool) {
	col := &sr.lay.cols[m]
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
	// shown is built only for an error: most cells are fine.
	shown := func() map[string]string { return map[string]string{"value": quote(strings.TrimSpace(c.Value))} }
	var n Number
	var err error
	alt, altDot := 0.0, false
	if key := fmtError(c); key != "" {
		return fail(key, shown())
	}
	switch c.Kind {
	case kindBool:
		return fail(keyBoolean, map[string]string{"value": boolText(c.Value)})
	case kindError:
		return fail(keyErrorValue, shown())
	case kindNumber:
		n, err = rawNumber(c.Value)
	default:
		if strings.ContainsAny(c.Value, ".,") {
			sr.marks[m].observe(c.Value)
		}
		reading := sr.readings[m]
		if reading == commaUndecided && col.Unit == postal.UnitItems {
			reading = commaThousand // a count has no decimals: 12,345 is twelve thousand
		}
		// A count has no decimals: its 2.500 is two thousand five hundred.
		dots := sr.dotReadings[m] || col.Unit == postal.UnitItems
		n, err = parseMarks(c.Value, reading, dots)
		if !dots && err == nil && strings.IndexByte(c.Value, '.') >= 0 {
			num, _ := splitUnit(strings.TrimFunc(c.Value, postal.IsSpace))
			if num, _ = cutMark(num); ambiguousDot(num) {
				if t, err2 := parseMarks(c.Value, reading, true); err2 == nil {
					alt, altDot = t.Value-n.Value, true // the difference if the column writes thousands
				}
			}
		}
		if reading == commaUndecided && err == nil && strings.IndexByte(c.Value, ',') >= 0 {
			num, _ := splitUnit(strings.TrimFunc(c.Value, postal.IsSpace))
			if num, _ = cutMark(num); ambiguousComma(num) {
				if t, err2 := parseNumberAs(c.Value, commaThousand); err2 == nil {
					alt = t.Value - n.Value // the difference if the column writes thousands
				}
			}
		}
		if n.Mark != "" && err == nil && report {
			sr.marked = append(sr.marked, markedCell{cellName(col.Col, r), strings.TrimSpace(c.Value), n.Mark, n.Value})
		}
	}
	switch err {
	case nil:
	case errNegative:
		return fail(keyNegative, shown())
	case errTooBig:
		return fail(keyTooBig, shown())
	default:
		args := shown()
		args["example"] = numberExample(sr.readings[m], sr.marks[m], sr.lay.lang)
		return fail(keyNotNumber, args)
	}
	unit := col.Unit
	if n.Unit != "" {
		// A unit written after the number must agree with the column's
		// (section 6): `12,5 кг` in a kg column, never `12,5 т`.
		if key := unitDisagrees(sr.rd.vocab, n.Unit, unit); key != "" {
			return fail(key, map[string]string{"value": shown()["value"], "unit": n.Unit, "example": numberExample(sr.readings[m], sr.marks[m], sr.lay.lang)})
		}
	}
	mv := measureValue{items: unit == postal.UnitItems, digits: n.Decimals, factor: sr.factors[m], mark: n.Mark, alt: alt, altDot: altDot}
	if col.Factor > 1 {
		mv.factor *= col.Factor
	}
	mv.value = n.Value * mv.factor
	mv.alt *= mv.factor
	if mv.items && math.Abs(mv.value-math.Round(mv.value)) > 1e-9*math.Max(1, mv.value) { // float noise of a formula is whole
		return fail(keyFractionalItems, shown())
	}
	if mv.items {
		mv.value = math.Round(mv.value)
	}
	return mv, true, true
}

// unitFactor converts a unit to items or kilograms.
var unitFactor = map[postal.Unit]float64{
	postal.UnitItems: 1, postal.UnitKg: 1, postal.UnitWeight: 1, postal.UnitTonne: 1000, postal.UnitGram: 0.001,
	postal.UnitPound: 0.45359237,
}

// unitOf reads a unit written after a number (`кг`, `t`, `шт.`).
func (sr *sheetRows) unitOf(folded string) (postal.Unit, bool) { return unitAfter(sr.rd.vocab, folded) }

// unitAfter reads a unit written after a number (`кг`, `t`, `шт.`).
func unitAfter(vocab *postal.Matcher, folded string) (postal.Unit, bool) {
	toks := postal.Tokens(folded)
	ms := vocab.LookupTokens(toks)
	for _, m := range ms {
		if m.Kind == postal.KindUnit && m.Start == 0 && m.End == len(toks) && m.Value != string(postal.UnitWeight) {
			return postal.Unit(m.Value), true
		}
	}
	return "", false
}

// unitDisagrees is the message key for a unit written after a number that
// is not its column's (`12,5 т` in a kg column, `12 шт` in a weight column),
// or "" when it agrees. A column of kg and one of weight are both kilograms.
func unitDisagrees(vocab *postal.Matcher, written string, col postal.Unit) string {
	u, known := unitAfter(vocab, written)
	switch {
	case !known:
		return keyNotNumber
	case u == col || u == postal.UnitKg && col == postal.UnitWeight:
		return ""
	case col == postal.UnitItems:
		return keyUnitIsNotItems
	case u == postal.UnitItems:
		return keyUnitIsNotWeight
	}
	return keyUnitDisagrees
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
	m := sr.periods.of(c)
	if r, ok := m[c.Value]; ok { // a nil map (a kind unknown here) finds nothing
		return r.p, r.err
	}
	if c.Kind == kindString {
		if a, b, ok := slashDate(c.Value); ok {
			sr.slash.add(a, b)
		}
	}
	p, err := sr.pp.parseCell(c, sr.rd.date1904)
	if m != nil && sr.periods.n < maxLookupCache {
		m[c.Value] = periodResult{p, err}
		sr.periods.n++
	}
	return p, err
}

// periodCache holds parsed period cells by their kind, number format and
// text (a map keyed by the text alone hashes faster than one keyed by the
// whole cell); n counts the entries of all its maps.
type periodCache struct {
	byKind [kindDate + 1][fmtPercent + 1]map[string]periodResult
	n      int
}

// of is the map for c's kind and format (nil for a kind or format it does
// not know, which is then not cached).
func (pc *periodCache) of(c rawCell) map[string]periodResult {
	k, f := c.Kind, c.Fmt
	if int(k) >= len(pc.byKind) || int(f) >= len(pc.byKind[0]) {
		return nil
	}
	m := pc.byKind[k][f]
	if m == nil {
		m = map[string]periodResult{}
		pc.byKind[k][f] = m
	}
	return m
}

// slashEvidence counts what a sheet's d/m/y dates say about their order.
type slashEvidence struct {
	dayFirst, monthFirst int // dates only one order reads (13/01/2025, 01/13/2025)
	ambiguous            int // dates both orders read, as different months
	firstIfMonthFirst    int // ambiguous dates on the 1st when read m/d (2/1/2025)
}

func (e *slashEvidence) add(a, b int) {
	switch {
	case a > 12 && b <= 12:
		e.dayFirst++
	case b > 12 && a <= 12:
		e.monthFirst++
	case a != b && a <= 12 && b <= 12:
		e.ambiguous++
		if b == 1 {
			e.firstIfMonthFirst++
		}
	}
}

// monthFirstNeeded reports whether the sheet's dates, read day first, are in
// fact month first: some date proves it and none the other order, or
// nothing proves either and month first puts every date on the 1st of a
// month, as monthly statistics are dated (1/1/2025, 2/1/2025 ...).
func (e slashEvidence) monthFirstNeeded() bool {
	if e.ambiguous == 0 {
		return false // no date reads differently: nothing to redo
	}
	if e.dayFirst > 0 || e.monthFirst > 0 {
		return e.monthFirst > 0 && e.dayFirst == 0
	}
	return e.firstIfMonthFirst == e.ambiguous
}

// markedCell is a number read with a footnote mark.
type markedCell struct {
	cell, text, mark string
	value            float64
}

// footnote keeps a note row that explains a mark (`* preliminary`,
// `¹ оценка`, `(p) provisional`).
func (sr *sheetRows) footnote(text string) {
	t := strings.TrimSpace(text)
	for _, m := range []string{"**", "*", "¹", "²", "³", "(p)", "(e)", "(1)", "(2)", "1)", "2)"} {
		if strings.HasPrefix(t, m) && len(sr.footnotes) < 100 {
			note := strings.TrimSpace(strings.TrimLeft(t[len(m):], " -–—:)"))
			key := strings.TrimSuffix(m, ")")
			if m == "(p)" || m == "(e)" || m == "(1)" || m == "(2)" {
				key = m
			}
			if _, ok := sr.footnotes[key]; !ok && note != "" {
				sr.footnotes[key] = note
			}
			return
		}
	}
}

// noteOf is the footnote text of a mark, or "".
func (sr *sheetRows) noteOf(mark string) string {
	return sr.footnotes[markKey(mark)]
}

// markKey is how a footnote mark is looked up: `*)` is `*`, `(p)` stays.
func markKey(mark string) string {
	if strings.HasPrefix(mark, "(") {
		return mark
	}
	return strings.TrimSuffix(mark, ")")
}

// blockTitle takes a row of one text naming a partner, a direction, a
// category or a year (`Почта Китая`, `2025 йил`) as the title of the rows
// below it: it gives them what their columns and header leave out.
func (sr *sheetRows) blockTitle(r int, cells []rawCell, text string) bool {
	if t := strings.TrimSpace(text); t == "" || strings.ContainsAny(t[:1], "*¹²³(") {
		return false
	}
	if _, err := sr.pp.parseText(text); err == nil {
		return false // a period with no figures: a data row left empty
	}
	bc := readContext(sr.rd.vocab, sr.rd.periods, []string{text})
	if !bc.Dims.named() && bc.Year == 0 && bc.Period == nil {
		return false
	}
	sr.blockCtx = bc
	sr.blockItems = contextItems(sr.rd.vocab, []bufRow{{Row: r, Cells: cells}}, "", bc)
	sr.pendingTitle = append(sr.pendingTitle, r)
	sr.aggs = map[uint64]*aggFact{} // the fast keys know nothing of blocks
	sr.aggIx.reset()
	return true
}

// headerAgain reports whether a row of texts is a header: the table's own,
// repeated (skipped), or another table's (which starts it).
func (sr *sheetRows) headerAgain(r int, cells []rawCell) bool {
	known := 0
	for _, c := range cells {
		if blank(c.Value) {
			continue
		}
		if _, err := ParseNumber(c.Value); err == nil {
			return false
		}
		if _, err := sr.pp.parseText(c.Value); err == nil {
			return false
		}
		if namesColumn(sr.rd.vocab, c.Value) {
			known++
		}
	}
	if known < 2 {
		return false
	}
	same := true
	i := 0
	for _, c := range cells {
		if blank(c.Value) {
			continue
		}
		for i < len(sr.headerCells) && blank(sr.headerCells[i].Value) {
			i++
		}
		if i >= len(sr.headerCells) || sr.headerCells[i].Col != c.Col || strings.TrimSpace(sr.headerCells[i].Value) != strings.TrimSpace(c.Value) {
			same = false
			break
		}
		i++
	}
	if same {
		return true
	}
	h := bufRow{Row: r, Cells: append([]rawCell(nil), cells...)}
	sr.nextHeader = &h
	return true
}

// knownUnit reports whether a unit written after a number is one (`кг`),
// so that `2025 йил` is a title, not a number.
func (sr *sheetRows) knownUnit(folded string) bool {
	if folded == "" {
		return true
	}
	_, ok := sr.unitOf(folded)
	return ok
}

// fmtError is the message key for a measure cell that holds a date or a
// percentage ("" when it holds a number): a date where a weight was
// expected is most often a number Excel turned into a date (1.5 into 1 May),
// and 40 % is stored as 0.4; postdash reads neither as a quantity.
func fmtError(c rawCell) string {
	switch {
	case c.Kind == kindDate || c.Kind == kindNumber && c.Fmt == fmtDate:
		return keyDateForNumber
	case c.Kind == kindNumber && c.Fmt == fmtPercent:
		return keyPercentForNumber
	}
	return ""
}
