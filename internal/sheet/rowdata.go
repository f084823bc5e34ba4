package sheet

import (
	"math"
	"strconv"
	"strings"

	"postdash/internal/postal"
	"postdash/internal/xlsx"
)

// data reads a data row: its measures, its period and dimensions, and adds
// one fact per series into the aggregate.
func (sr *sheetRows) data(r int) {
	lay := &sr.lay
	vals, present := sr.vals, sr.present
	any, failed := false, false
	sr.forgetParent()
	for i, m := range lay.measures {
		mv, ok, filled := sr.readMeasure(m, r, true)
		vals[i], present[i] = mv, ok
		any = any || ok
		failed = failed || (filled && !ok)
		if filled && !ok {
			sr.acct[m].Errors++
		}
	}
	if !any && !failed {
		return // no figures: nothing to import, nothing wrong
	}
	sr.rd.res.Rows++
	sr.rep.Rows++
	errCount, errLen := sr.rd.res.ErrorCount, len(sr.rd.res.Errors)
	month, okPeriod := sr.period(r)
	if !okPeriod && sr.rowHidden {
		// A hidden row whose period is no period (a row of lookup codes):
		// its meaning is unknown, so it is ignored with a warning naming
		// it, where a visible one is an error (section 2).
		sr.rd.res.ErrorCount, sr.rd.res.Errors = errCount, sr.rd.res.Errors[:errLen]
		n := int64(0)
		for i, m := range lay.measures {
			if present[i] {
				sr.acct[m].Ignored++
				n++
			}
		}
		label := ""
		if lay.period >= 0 {
			if c, ok := sr.cell(lay.cols[lay.period].Col); ok {
				label = strings.TrimSpace(c.Value)
			}
		}
		sr.rd.warn(newIssue(sr.rep.Name, cellName(0, r), keyHiddenRowIgnored, map[string]string{
			"row": strconv.Itoa(r + 1), "header": quote(label), "count": strconv.FormatInt(n, 10),
		}))
		return
	}
	rowDims, dimsID, okDims := sr.rowDims(r)
	if !okPeriod || !okDims || !any {
		for i, m := range lay.measures {
			if present[i] {
				sr.acct[m].Errors++
			}
		}
		return
	}
	parts := sr.parts[:0]
	// What the row, its block, the sheet and the analyst say, once per row
	// (merge takes each field's first non-empty value, so merging this into
	// a column's dimensions equals merging them one by one).
	rowSays := rowDims.merge(sr.blockCtx.Dims).merge(lay.context.Dims).merge(sr.defaults())
	for i, m := range lay.measures {
		if !present[i] {
			continue
		}
		col := &lay.cols[m]
		d := col.Dims.merge(rowSays)
		if d.Category == "" {
			sr.errorAt(sr.categoryCol(col.Col), r, keyCategoryMissing, nil)
			sr.acct[m].Errors++
			continue
		}
		fm := month
		if col.Year != 0 || month.Year == 0 {
			var ok bool
			if fm, ok = sr.columnMonth(month, &lay.cols[m], r); !ok {
				sr.acct[m].Errors++
				continue
			}
		}
		if col.Running {
			v, ok := sr.runningDiff(m, dimsID, fm, vals[i].value, r)
			if !ok {
				sr.acct[m].Errors++
				continue
			}
			vals[i].value = v
		}
		sr.acct[m].Facts++
		sr.acct[m].Sum += vals[i].value
		f := postal.Fact{Month: fm, Sheet: sr.rep.Name, Series: postal.Series{
			Direction: postal.Direction(d.Direction), Partner: d.Partner,
			Category: postal.Category(d.Category), Marketplace: d.Marketplace,
		}}
		if vals[i].items {
			f.Items, f.HasItems = int64(vals[i].value), true
		} else {
			f.WeightKg, f.HasWeight = vals[i].value, true
		}
		if !col.Running {
			sr.rememberParent(i, f, vals[i].value, vals[i].items)
		}
		sr.block[i] += vals[i].value
		sr.grand[i] += vals[i].value
		k := f.Key()
		merged := false
		for j := range parts {
			if parts[j].key == k {
				parts[j].fact.Add(f)
				parts[j].c1 = col.Col
				parts[j].mark = firstOf(parts[j].mark, vals[i].mark)
				merged = true
				break
			}
		}
		if !merged {
			parts = append(parts, part{key: k, fact: f, measure: i, c0: col.Col, c1: col.Col, mark: vals[i].mark})
		}
		if vals[i].alt != 0 {
			sr.pendingAlt = append(sr.pendingAlt, pendingAlt{key: k, measure: m, alt: vals[i].alt, dot: vals[i].altDot})
		}
	}
	sr.parts = parts
	sr.parentOK = len(sr.pendingAlt) == 0 // an ambiguous comma may still change the parent
	defer func() { sr.pendingAlt = sr.pendingAlt[:0] }()
	for i := range parts {
		p := &parts[i]
		agg := sr.aggregate(p, p.fact.Month, dimsID, r)
		if agg == nil {
			return // a limit reached: the reader refuses the file
		}
		for _, pa := range sr.pendingAlt {
			if pa.key == p.key && agg != nil && len(sr.deferred) < maxDeferred {
				sr.deferred = append(sr.deferred, deferredMark{agg: agg, measure: pa.measure, alt: pa.alt, dot: pa.dot})
			}
		}
		if len(sr.rep.Preview) < sr.rd.opts.PreviewRows {
			sr.rep.Preview = append(sr.rep.Preview, previewRow(p.fact))
		}
	}
}

// columnMonth is the month of a measure cell: the row's, in the year its
// column header names when it names one. A row whose own period cell names
// another year is an error naming both (two sources for one value).
func (sr *sheetRows) columnMonth(m postal.Month, col *column, r int) (postal.Month, bool) {
	if col.Year == 0 {
		if m.Year == 0 {
			pc := sr.periodCol()
			c, _ := sr.cell(pc)
			sr.errorAt(pc, r, keyPeriodInvalid, map[string]string{"value": quote(strings.TrimSpace(c.Value))})
			return m, false
		}
		return m, true
	}
	if m.Year != 0 && sr.yearFromCell && m.Year != col.Year {
		pc := sr.periodCol()
		c, _ := sr.cell(pc)
		sr.errorAt(col.Col, r, keyYearConflict, map[string]string{
			"header": quote(col.Header) + " (" + cellName(col.Col, sr.headerRow) + ")",
			"year":   strconv.Itoa(col.Year),
			"value":  quote(strings.TrimSpace(c.Value)) + " (" + cellName(pc, r) + ")",
		})
		return m, false
	}
	m.Year = col.Year
	pc := sr.periodCol()
	c, _ := sr.cell(pc)
	return sr.checkRange(pc, r, c, Period{Month: m})
}

// periodCol is the column a row's period is read from (0 when none).
func (sr *sheetRows) periodCol() int {
	switch {
	case sr.lay.period >= 0:
		return sr.lay.cols[sr.lay.period].Col
	case sr.lay.month >= 0:
		return sr.lay.cols[sr.lay.month].Col
	}
	return 0
}

// part is what one data row adds to one aggregate.
type part struct {
	key     postal.Key
	fact    postal.Fact
	measure int    // the first measure (index into lay.measures) adding into it
	c0, c1  int    // the first and last column adding into it
	mark    string // a footnote mark on one of its cells
}

// aggKey names an aggregate by small numbers packed in one word: the row's
// month, its dimensions' id (see rowDims) and the part's first measure, which
// together decide its postal.Key. Hashing it is cheaper than hashing the
// key's strings; ok is false when a number does not fit.
func aggKey(month postal.Month, dimsID, measure int) (uint64, bool) {
	m := month.Index()
	if dimsID < 0 || dimsID >= 1<<24 || m < 0 || m >= 1<<24 || measure >= 1<<16 {
		return 0, false
	}
	return uint64(dimsID)<<40 | uint64(m)<<16 | uint64(measure), true
}

// aggregate adds a row's part into the reader's aggregates. dimsID is -1
// when the row's dimensions have no id; r is the row.
func (sr *sheetRows) aggregate(p *part, month postal.Month, dimsID, r int) *aggFact {
	fast, ok := aggKey(month, dimsID, p.measure)
	if ok {
		agg := sr.aggIx.get(dimsID, month.Index(), p.measure)
		if agg == nil {
			agg = sr.aggs[fast]
		}
		if agg != nil {
			agg.add(p.fact, r, p.c0, p.c1, p.mark)
			return agg
		}
	}
	agg, found := sr.rd.agg[p.key]
	if found {
		if agg.table != sr.table && agg.one && sr.one && agg.sameMeasure(p.fact) {
			// Two tables of the sheet, each giving the fact from one cell:
			// two sources for one value, not parts of a list to add up.
			cell := sr.rep.Name + "!" + cellName(p.c0, r)
			sr.rd.addError(newIssue(sr.rep.Name, cellName(p.c0, r), keyTwoSources, map[string]string{
				"cell": cell, "other": agg.cellRef(), "meaning": factMeaning(p.fact),
			}))
		}
		agg.add(p.fact, r, p.c0, p.c1, p.mark)
	} else {
		if len(sr.rd.agg) >= sr.rd.opts.Limits.MaxFacts {
			sr.rd.over = &xlsx.LimitError{Limit: limitFacts, Max: int64(sr.rd.opts.Limits.MaxFacts)}
			return nil
		}
		agg = &aggFact{Fact: p.fact, r0: r, r1: r, c0: p.c0, c1: p.c1, mark: p.mark, table: sr.table, one: sr.one}
		sr.rd.agg[p.key] = agg
	}
	if ok && !sr.aggIx.put(dimsID, month.Index(), p.measure, agg) {
		sr.aggs[fast] = agg
	}
	return agg
}

// aggIndex finds the aggregates a table's rows add into by the numbers of
// aggKey without hashing them: for each dimensions id, a run of slots over
// the months seen, one per measure. It holds at most maxAggSlots slots;
// past them, an aggregate is kept in sheetRows.aggs, keyed by aggKey.
type aggIndex struct {
	measures int
	runs     []aggRun // by dimensions id
	slots    int      // slots held by all runs
}

// aggRun is the slots of one dimensions id: slot (month-first)*measures+measure.
type aggRun struct {
	first int
	slots []*aggFact
}

// Bounds of an aggIndex: slots held, and months added around a run's
// when it grows (a sorted sheet's next month).
const (
	maxAggSlots = 1 << 18
	aggRunPad   = 12
)

// get is the aggregate of dims id, month index and measure, or nil.
func (x *aggIndex) get(id, month, measure int) *aggFact {
	if id >= len(x.runs) || measure >= x.measures {
		return nil
	}
	run := &x.runs[id]
	if month < run.first {
		return nil
	}
	if i := (month-run.first)*x.measures + measure; i < len(run.slots) {
		return run.slots[i]
	}
	return nil
}

// put keeps a as the aggregate of id, month and measure; false when it
// would hold more than maxAggSlots.
func (x *aggIndex) put(id, month, measure int, a *aggFact) bool {
	if measure >= x.measures || id >= maxLookupCache {
		return false
	}
	for id >= len(x.runs) {
		x.runs = append(x.runs, aggRun{})
	}
	run := &x.runs[id]
	if run.slots == nil {
		run.first = month
	}
	end := run.first + len(run.slots)/x.measures // months [first, end) have slots
	if month < run.first || month >= end {
		lo, hi := run.first, end
		if month < lo {
			lo = month - aggRunPad
		}
		if month >= hi {
			hi = month + 1 + aggRunPad
		}
		n := (hi - lo) * x.measures
		if x.slots+n-len(run.slots) > maxAggSlots {
			return false
		}
		slots := make([]*aggFact, n)
		copy(slots[(run.first-lo)*x.measures:], run.slots)
		x.slots += n - len(run.slots)
		run.first, run.slots = lo, slots
	}
	run.slots[(month-run.first)*x.measures+measure] = a
	return true
}

// reset forgets every aggregate (a block title begins other facts).
func (x *aggIndex) reset() { *x = aggIndex{measures: x.measures} }

// pendingAlt is an ambiguous comma in the current row, until its part is aggregated.
type pendingAlt struct {
	key     postal.Key
	measure int // index into lay.cols
	alt     float64
	dot     bool // an ambiguous dot (2.500), not a comma
}

// deferredMark is an ambiguous comma (`1,250`) read as a decimal mark: when
// its column turns out to write commas between thousands, alt is added to
// the aggregate it went into.
type deferredMark struct {
	agg     *aggFact
	measure int
	alt     float64
	dot     bool // an ambiguous dot (2.500), not a comma
}

// maxDeferred bounds the ambiguous commas remembered per table; past it the
// rows are read again (see readData).
const maxDeferred = 100000

// aggFact is an aggregate being summed, with the cells that add into it.
type aggFact struct {
	postal.Fact
	r0, r1, c0, c1 int    // the first and last row and column adding into it
	mark           string // the first footnote mark on one of its cells
	table          int    // the id of the table that began it
	one            bool   // that table gives each fact from one cell (a cross table)
}

// factMeaning describes what a fact gives, for a message (parcel inbound
// china_post kg 2025-01).
func factMeaning(f postal.Fact) string {
	parts := []string{}
	for _, s := range []string{string(f.Category), string(f.Direction), f.Partner, f.Marketplace} {
		if s != "" && s != string(postal.Unspecified) {
			parts = append(parts, s)
		}
	}
	if f.HasItems {
		parts = append(parts, "items")
	} else {
		parts = append(parts, "kg")
	}
	return strings.Join(append(parts, f.Month.String()), " ")
}

// cellRef names the aggregate's first cell with its sheet (Лист1!B3).
func (a *aggFact) cellRef() string { return a.Sheet + "!" + cellName(a.c0, a.r0) }

// sameMeasure reports whether f gives a measure a already has.
func (a *aggFact) sameMeasure(f postal.Fact) bool {
	return a.HasItems && f.HasItems || a.HasWeight && f.HasWeight
}

// add sums f, from row r and columns c0..c1, into a.
func (a *aggFact) add(f postal.Fact, r, c0, c1 int, mark string) {
	a.Fact.Add(f)
	a.r0, a.r1 = min(a.r0, r), max(a.r1, r)
	a.c0, a.c1 = min(a.c0, c0), max(a.c1, c1)
	if a.mark == "" {
		a.mark = mark
	}
}

// source is where in the sheet the aggregate came from: `C5` or `C5:C900`.
func (a *aggFact) source() string {
	first, last := cellName(a.c0, a.r0), cellName(a.c1, a.r1)
	if first == last {
		return first
	}
	return first + ":" + last
}

// defaults are the analyst's values for what the file leaves out.
func (sr *sheetRows) defaults() dims {
	d := sr.rd.opts.Defaults
	dir := string(d.Direction)
	if dir == "" {
		dir = string(postal.Unspecified)
	}
	return dims{Direction: dir, Partner: d.Partner, Marketplace: d.Marketplace}
}

// categoryCol is where a missing category is reported: the category column,
// or else the measure cell.
func (sr *sheetRows) categoryCol(measureCol int) int {
	if i, ok := sr.lay.dimCols[roleCategory]; ok { // rare: only on an error
		return sr.lay.cols[i].Col
	}
	return measureCol
}

// previewRow is a fact as the preview shows it.
func previewRow(f postal.Fact) []string {
	items, weight := "", ""
	if f.HasItems {
		items = strconv.FormatInt(f.Items, 10)
	}
	if f.HasWeight {
		weight = strconv.FormatFloat(f.WeightKg, 'f', -1, 64)
	}
	return []string{f.Month.String(), string(f.Direction), f.Partner, string(f.Category), f.Marketplace, items, weight}
}

// period reads the row's month from the period column, the year and month
// columns, or the sheet's title. Errors are recorded.
func (sr *sheetRows) period(r int) (postal.Month, bool) {
	lay := &sr.lay
	switch {
	case lay.period >= 0:
		col := lay.cols[lay.period].Col
		c, ok := sr.cell(col)
		if !ok {
			if sr.blockCtx.Period != nil {
				return sr.checkRange(col, r, c, *sr.blockCtx.Period)
			}
			if lay.context.Period != nil {
				return sr.checkRange(col, r, c, *lay.context.Period)
			}
			sr.errorAt(col, r, keyPeriodMissing, nil)
			return postal.Month{}, false
		}
		year := firstNonZero(sr.blockCtx.Year, lay.context.Year)
		if m := monthNumberCell(c); m != 0 && lay.cols[lay.period].Month && (year != 0 || lay.colYears) {
			// A month column holding 1–12 (§6), its year from the title or
			// a block title (named in the outcome's context) or the column's.
			sr.yearFromCell = false
			p := Period{Month: postal.Month{Year: year, Month: m}}
			if lay.colYears {
				return p.Month, true
			}
			return sr.checkRange(col, r, c, p)
		}
		p, err := sr.parsePeriod(c)
		if lay.runningStubs && c.Kind == kindString {
			// A running total from January names its last month
			// (`Январь-март 2025` is March); a month alone must be January.
			m, nm, ok := sr.rd.monthCell(c)
			switch {
			case nm == "running" && m.Month != 0 || ok && m.Month == 1:
				if m.Year == 0 {
					m.Year = year
				}
				if m.Year != 0 {
					p, err = Period{Month: m}, nil
				}
			case !readWords(sr.rd.vocab, c.Value).total:
				sr.errorAt(col, r, keyRunningMixed, map[string]string{"value": quote(strings.TrimSpace(c.Value))})
				return postal.Month{}, false
			}
		}
		sr.yearFromCell = err == nil
		if err != nil && (year != 0 || lay.colYears) && c.Kind == kindString {
			if m := sr.monthOf(c); m != 0 {
				// A month alone: its year is the column's, the block's or the title's.
				p, err = Period{Month: postal.Month{Year: year, Month: m}}, nil
				if lay.colYears {
					return p.Month, true
				}
			}
		}
		if err != nil {
			sr.periodError(col, r, c, err)
			return postal.Month{}, false
		}
		return sr.checkRange(col, r, c, p)
	case lay.month >= 0:
		return sr.yearMonth(r)
	default:
		if sr.blockCtx.Period != nil {
			return sr.checkRange(0, r, rawCell{}, *sr.blockCtx.Period)
		}
		return sr.checkRange(0, r, rawCell{}, *lay.context.Period)
	}
}

// monthNumberCell is the month a cell holds as a plain whole number from 1
// to 12 (a number cell not formatted as a date, or digits as text), or 0.
func monthNumberCell(c rawCell) int {
	if c.Kind != kindNumber && c.Kind != kindString || c.Kind == kindNumber && c.Fmt == fmtDate {
		return 0 // a date, not a month number (the common case: no trimming)
	}
	v := strings.TrimSpace(c.Value)
	switch {
	case c.Kind == kindNumber && c.Fmt != fmtDate:
	case c.Kind == kindString && allDigits(v) && len(v) <= 2:
	default:
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 12 {
		return 0
	}
	return n
}

func (sr *sheetRows) periodError(col, r int, c rawCell, err error) {
	key := keyPeriodInvalid
	if err == errPeriodImpossible {
		key = keyPeriodImpossible
	}
	sr.errorAt(col, r, key, map[string]string{"value": quote(strings.TrimSpace(c.Value))})
}

// checkRange refuses months before 1990 or more than a year ahead.
func (sr *sheetRows) checkRange(col, r int, c rawCell, p Period) (postal.Month, bool) {
	if !inRangeOf(p.Month, sr.rd.latest) {
		sr.errorAt(col, r, keyPeriodRange, map[string]string{"value": quote(strings.TrimSpace(c.Value)), "period": p.Month.String()})
		return postal.Month{}, false
	}
	return p.Month, true
}

// yearMonth reads a period given as a year column and a month column.
func (sr *sheetRows) yearMonth(r int) (postal.Month, bool) {
	ycol, mcol := sr.lay.cols[sr.lay.year].Col, sr.lay.cols[sr.lay.month].Col
	yc, yok := sr.cell(ycol)
	mc, mok := sr.cell(mcol)
	if !mok {
		sr.errorAt(mcol, r, keyPeriodMissing, nil)
		return postal.Month{}, false
	}
	month := sr.monthOf(mc)
	if month == 0 {
		// A full period in the month column also does: text, or a date
		// serial (a number past 31 cannot be a month or a day).
		v, numErr := strconv.ParseFloat(strings.TrimSpace(mc.Value), 64)
		if mc.Kind == kindString && numErr != nil || mc.Kind == kindDate || numErr == nil && v > 31 {
			if p, err := sr.parsePeriod(mc); err == nil {
				return sr.checkRange(mcol, r, mc, p)
			}
		}
		sr.errorAt(mcol, r, keyMonthInvalid, map[string]string{"value": quote(strings.TrimSpace(mc.Value))})
		return postal.Month{}, false
	}
	if !yok {
		sr.errorAt(ycol, r, keyPeriodMissing, nil)
		return postal.Month{}, false
	}
	y, ok := parseYear(yc)
	if !ok {
		sr.errorAt(ycol, r, keyYearInvalid, map[string]string{"value": quote(strings.TrimSpace(yc.Value))})
		return postal.Month{}, false
	}
	return sr.checkRange(mcol, r, mc, Period{Month: postal.Month{Year: y, Month: month}})
}

// monthOf reads a month cell: 1..12 or a month name.
func (sr *sheetRows) monthOf(c rawCell) int {
	s := strings.TrimSpace(c.Value)
	if c.Kind == kindNumber || c.Kind == kindString {
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			if v >= 1 && v <= 12 && v == float64(int(v)) {
				return int(v)
			}
			return 0
		}
	}
	if c.Kind != kindString {
		return 0
	}
	toks := postal.Tokens(postal.Fold(s))
	if len(toks) != 1 {
		return 0
	}
	return sr.rd.vocab.MonthNumber(toks[0])
}

// dimRoles are the dimension columns in the order a row's cells are checked.
var dimRoles = [...]role{roleDirection, rolePartner, roleCategory, roleMarketplace}

// dimTexts are the texts of a row's dimension cells, in dimRoles order (""
// for an empty cell or an unused role).
type dimTexts [len(dimRoles)]string

// rowDims reads the row's dimension columns and gives rows with the same
// texts the same id: an item-level manifest repeats a few hundred
// combinations a million times. Errors are recorded (and never cached); the
// id is -1 once maxLookupCache combinations have been seen.
func (sr *sheetRows) rowDims(r int) (dims, int, bool) {
	var texts dimTexts
	for k, col := range sr.dimCols {
		if c, ok := sr.cell(col); ok {
			texts[k] = c.Value
		}
	}
	if sr.lastDims >= 0 && texts == sr.lastTexts {
		// The previous row's texts (a sorted manifest): no hashing. Texts
		// from the shared string table compare by pointer.
		return sr.dimList[sr.lastDims], sr.lastDims, true
	}
	if id, ok := sr.dimIDs[texts]; ok {
		sr.lastTexts, sr.lastDims = texts, id
		return sr.dimList[id], id, true
	}
	d, ok := sr.readDims(r)
	if !ok || len(sr.dimList) >= maxLookupCache {
		return d, -1, ok
	}
	id := len(sr.dimList)
	sr.dimList = append(sr.dimList, d)
	sr.dimIDs[texts] = id
	sr.lastTexts, sr.lastDims = texts, id
	return d, id, true
}

// readDims reads the row's dimension cells. Errors are recorded.
func (sr *sheetRows) readDims(r int) (dims, bool) {
	var d dims
	ok := true
	for k, role := range dimRoles {
		col := sr.dimCols[k]
		c, has := sr.cell(col)
		if !has || isDash(c.Value) {
			continue
		}
		text := strings.TrimSpace(c.Value)
		switch role {
		case roleDirection:
			if v := sr.canonical(postal.KindDirection, text); v != "" {
				d.Direction = v
			} else {
				sr.errorAt(col, r, keyDirectionUnknown, map[string]string{"value": quote(text)})
				ok = false
			}
		case roleCategory:
			if v := sr.canonical(postal.KindCategory, text); v != "" {
				d.Category = v
			} else {
				sr.errorAt(col, r, keyCategoryUnknown, map[string]string{"value": quote(text)})
				ok = false
			}
		case rolePartner:
			d.Partner = sr.canonical(postal.KindPartner, text)
			if d.Partner == "" {
				d.Partner = text
				if !sr.partners[text] {
					sr.partners[text] = true
					sr.rd.warn(newIssue(sr.rep.Name, cellName(col, r), keyUnknownPartner, map[string]string{"value": quote(text)}))
				}
			}
		case roleMarketplace:
			d.Marketplace = sr.canonical(postal.KindMarketplace, text)
			if d.Marketplace == "" {
				d.Marketplace = text
			}
		}
	}
	return d, ok
}

// canonical returns the canonical value of kind that text names, or "".
// A text naming two different values of the kind names none.
func (sr *sheetRows) canonical(kind postal.Kind, text string) string {
	key := lookupKey{kind, text}
	if v, ok := sr.lookups[key]; ok {
		return v
	}
	v := canonicalOf(sr.rd.vocab, kind, text)
	if len(sr.lookups) < maxLookupCache {
		sr.lookups[key] = v
	}
	return v
}

// canonicalOf returns the canonical value of kind that text names, or "".
// A text naming two different values of the kind names none.
func canonicalOf(vocab *postal.Matcher, kind postal.Kind, text string) string {
	v := ""
	for _, m := range vocab.Lookup(text) {
		if m.Kind != kind {
			continue
		}
		if v != "" && v != m.Value {
			return ""
		}
		v = m.Value
	}
	return v
}

// CanonicalDefaults is d as a batch records and the reader applies it: a
// partner or marketplace that names a known one by its canonical value.
func CanonicalDefaults(d Defaults) Defaults {
	return canonicalDefaults(postal.DefaultMatcher(), d)
}

// canonicalDefaults gives the analyst's partner and marketplace their
// canonical value when they name a known one ("China Post" is china_post),
// else the trimmed text.
func canonicalDefaults(vocab *postal.Matcher, d Defaults) Defaults {
	d.Partner, d.Marketplace = strings.TrimSpace(d.Partner), strings.TrimSpace(d.Marketplace)
	if v := canonicalOf(vocab, postal.KindPartner, d.Partner); v != "" {
		d.Partner = v
	}
	if v := canonicalOf(vocab, postal.KindMarketplace, d.Marketplace); v != "" {
		d.Marketplace = v
	}
	return d
}

// runningKey names a series of running totals: a column and a row's dimensions.
type runningKey struct{ measure, dimsID int }

// runningLast is the last running total of a series and its month.
type runningLast struct {
	month postal.Month
	value float64
}

// runningDiff turns a running total from January into its month's figure:
// the difference from the previous month's total, which must be there.
func (sr *sheetRows) runningDiff(m, dimsID int, month postal.Month, v float64, r int) (float64, bool) {
	if sr.running == nil {
		sr.running = map[runningKey]runningLast{}
	}
	k := runningKey{m, dimsID}
	last, seen := sr.running[k]
	col := sr.lay.cols[m].Col
	fail := func() (float64, bool) {
		c, _ := sr.cell(col)
		sr.errorAt(col, r, keyRunningGap, map[string]string{"value": quote(strings.TrimSpace(c.Value))})
		delete(sr.running, k)
		return 0, false
	}
	switch {
	case month.Month == 1:
		sr.running[k] = runningLast{month, v}
		return v, true
	case !seen || last.month.Add(1) != month || v < last.value-1e-9*math.Max(1, v):
		return fail()
	}
	sr.running[k] = runningLast{month, v}
	d := v - last.value
	if !sr.lay.cols[m].isItems() {
		d = postal.RoundKg(d)
	}
	return d, true
}

// isItems reports whether a measure counts items.
func (c column) isItems() bool { return c.Unit == postal.UnitItems }
