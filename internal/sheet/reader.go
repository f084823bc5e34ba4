package sheet

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"postdash/internal/postal"
	"postdash/internal/xlsx"
)

// progressEvery is how many rows pass between progress reports.
const progressEvery = 4096

// reader reads the sheets of one book into one Result.
type reader struct {
	opts     Options
	vocab    *postal.Matcher
	periods  periodParser
	now      time.Time
	latest   postal.Month // the last plausible month: a year after now's (inRange)
	fileSize int64
	date1904 bool

	res         *Result
	tableTop    int       // 0-based top row of the table being read
	headerCells []rawCell // its header's (lowest) row
	agg         map[postal.Key]*aggFact
	tables      int                          // tables begun so far: the next one's id
	over        error                        // a limit reached while aggregating: the file is refused
	footnotes   map[string]map[string]string // sheet -> mark -> the footnote's text
	order       map[string]int               // sheet name -> position, for a stable fact order
	maps        *mappingSet                  // the mappings this read may apply
}

func newReader(opts Options, fileSize int64) *reader {
	opts.Limits = opts.Limits.withDefaults()
	vocab := postal.DefaultMatcher()
	opts.Defaults = canonicalDefaults(vocab, opts.Defaults)
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	return &reader{
		opts: opts, vocab: vocab, periods: periodParser{vocab: vocab}, now: now, latest: latestMonth(now), fileSize: fileSize,
		res: &Result{}, agg: map[postal.Key]*aggFact{}, footnotes: map[string]map[string]string{}, order: map[string]int{},
		maps: newMappingSet(opts.Mappings, opts.SavedMappings),
	}
}

// addError keeps the first MaxErrors errors and counts them all.
func (rd *reader) addError(is Issue) {
	rd.res.ErrorCount++
	if len(rd.res.Errors) < rd.opts.Limits.MaxErrors {
		rd.res.Errors = append(rd.res.Errors, is)
	}
}

// warn keeps the first MaxWarnings warnings and counts them all.
func (rd *reader) warn(is Issue) {
	rd.res.WarningCount++
	if len(rd.res.Warnings) < rd.opts.Limits.MaxWarnings {
		rd.res.Warnings = append(rd.res.Warnings, is)
	}
}

// readBook reads every sheet of b. A non-nil error means the file is refused
// (or the read was cancelled).
func (rd *reader) readBook(ctx context.Context, b book) error {
	rd.date1904 = b.Date1904()
	for i, info := range b.Sheets() {
		rd.order[info.Name] = i
		rep := SheetReport{Name: info.Name, Status: "skipped"}
		if info.Hidden {
			rep.Status = "hidden"
			rd.note(&rep, keyHidden, nil)
			rd.res.Sheets = append(rd.res.Sheets, rep)
			continue
		}
		if err := rd.readSheet(ctx, b, &rep); err != nil {
			return err
		}
		clipReport(&rep)
		rd.res.Sheets = append(rd.res.Sheets, rep)
	}
	rd.collect()
	rd.unusedMappings()
	return nil
}

// note records why a sheet was not read, as its note and as a warning.
func (rd *reader) note(rep *SheetReport, key string, args map[string]string) {
	a := map[string]string{"sheet": quote(rep.Name)}
	for k, v := range args {
		a[k] = v
	}
	is := newIssue(rep.Name, "", key, a)
	rep.Note = &is
	rd.warn(is)
}

// collect turns the aggregates into the result's facts, in sheet order.
func (rd *reader) collect() {
	rd.twoSheets()
	facts := make([]postal.Fact, 0, len(rd.agg))
	for _, a := range rd.agg {
		f := a.Fact
		f.Source = a.source()
		if a.mark != "" {
			f.Note = a.mark
			if n := rd.footnotes[f.Sheet][markKey(a.mark)]; n != "" {
				f.Note = a.mark + " " + n
			}
		}
		facts = append(facts, f)
	}
	sort.Slice(facts, func(i, j int) bool {
		a, b := facts[i], facts[j]
		if a.Sheet != b.Sheet {
			return rd.order[a.Sheet] < rd.order[b.Sheet]
		}
		if a.Month != b.Month {
			return a.Month.Before(b.Month)
		}
		ka := [4]string{string(a.Direction), a.Partner, string(a.Category), a.Marketplace}
		kb := [4]string{string(b.Direction), b.Partner, string(b.Category), b.Marketplace}
		return ka[0] < kb[0] || ka[0] == kb[0] && (ka[1] < kb[1] || ka[1] == kb[1] && (ka[2] < kb[2] || ka[2] == kb[2] && ka[3] < kb[3]))
	})
	rd.res.Facts = facts
	perSheet := map[string]int64{}
	for _, f := range facts {
		perSheet[f.Sheet]++
	}
	for i := range rd.res.Sheets {
		s := &rd.res.Sheets[i]
		s.Facts = perSheet[s.Name]
		var a Accounting
		for _, t := range s.Tables {
			a.add(t.Accounting)
		}
		switch {
		case s.Status != "read" || s.Rows != 0 || s.Note != nil:
		case a.Numeric == 0:
			rd.note(s, keyNoRows, nil)
		case a.Unknown == 0 && a.Errors == 0 && a.Facts == 0:
			// Every figure is a total, a part or a derived figure: the note
			// says so (a sheet in error says why in its errors).
			rd.note(s, keyOnlyTotals, nil)
		}
	}
}

// readSheet reads a sheet. Its merged ranges follow its cells in the file,
// so finding them takes a pass of its own: that pass runs on another
// goroutine while the rows are read as if the sheet had none. When the
// ranges would change how the sheet reads (group titles merged over a
// header, a period merged down several rows), the sheet is read again with
// them; an item-level manifest, which has none, is read once.
//
// An OOXML book finds them on the pass over the rows itself (passMerges), at
// the end of the part, without a pass of its own.
func (rd *reader) readSheet(ctx context.Context, b book, rep *SheetReport) error {
	pm, onPass := b.(passMerges)
	var merged *mergesAhead
	if !onPass {
		merged = findMergesAhead(b, rep.Name)
		defer merged.wait()
	}
	initial, mark := *rep, rd.mark()
	plan, err := rd.readSheetWith(ctx, b, rep, nil)
	if ctx.Err() != nil {
		if err == nil {
			err = fmt.Errorf("read sheet %q: %w", rep.Name, ctx.Err())
		}
		return err
	}
	var merges []mergeRange
	var mergeErr error
	if onPass {
		if err != nil {
			return err
		}
		merges, mergeErr = pm.passMerged(rep.Name)
	} else {
		merges, mergeErr = merged.result()
	}
	if err != nil {
		// A damaged stream of rows refuses the file, even when the pass for
		// merged ranges, reading the same damaged part, failed as well.
		return err
	}
	if mergeErr != nil {
		if rep.Note != nil && rep.Note.Key == keyUnreadable {
			return nil // the sheet's part could not be opened at all: skipped
		}
		// The rows read, but the part fails after them (truncated, or a bad
		// checksum): the file is damaged, and a damaged file is refused whole.
		return &streamErr{err: mergeErr}
	}
	if !plan.changedBy(rd.vocab, merges) {
		return nil
	}
	rd.rollback(mark, rep)
	*rep = initial
	_, err = rd.readSheetWith(ctx, b, rep, merges)
	return err
}

// readSheetWith finds a sheet's header and reads its rows, knowing merges.
func (rd *reader) readSheetWith(ctx context.Context, b book, rep *SheetReport, merges []mergeRange) (sheetPlan, error) {
	var plan sheetPlan
	src, err := b.Rows(ctx, rep.Name)
	if errors.Is(err, xlsx.ErrLimit) {
		return plan, &streamErr{err} // a limit refuses the file, not only the sheet
	}
	if err != nil {
		rd.unreadable(ctx, rep, err)
		return plan, nil
	}
	it := readAhead(src)
	defer it.Close()
	for len(plan.top) < headerSearchRows+2 && it.Next() {
		plan.top = append(plan.top, bufRow{Row: it.Row(), Cells: append([]rawCell(nil), it.Cells()...), Hidden: rowIsHidden(it)})
	}
	if err := it.Err(); err != nil {
		return plan, rd.streamError(ctx, err)
	}
	top := plan.top
	if len(top) == 0 {
		rd.note(rep, keyEmptySheet, nil)
		return plan, nil
	}
	h, ok := findHeader(rd.vocab, top, merges)
	plan.header, plan.found = h, ok
	ai, notMonthly := rd.acrossHeader(top)
	runningDown := false
	if notMonthly == "" && (ai < 0 || !rd.runningMonths(top[ai])) {
		notMonthly = notMonthlyIn(rd.vocab, top, h, ok, rep.Name)
		if notMonthly == "running" && ok && (ai < 0 || ai > h.Lower) {
			// Running totals from January down the rows: their differences
			// give the months (checked row by row as they are read).
			notMonthly, runningDown = "", true
		}
	}
	if ai >= 0 && rd.runningMonths(top[ai]) {
		rd.warn(newIssue(rep.Name, cellName(0, top[ai].Row), keyRunningToMonths, map[string]string{"sheet": quote(rep.Name)}))
	}
	if notMonthly != "" {
		rd.note(rep, notMonthlyKeys[notMonthly], nil)
		return plan, nil
	}
	if ai >= 0 && (!ok || ai <= h.Lower || ai == h.Next && rd.yearGroupRow(top[h.Lower], top[ai])) {
		plan.found, plan.read, plan.across = true, true, true
		return plan, rd.readAcross(ctx, rep, top, ai, it, merges)
	}
	if !ok {
		rd.note(rep, keyNoHeader, nil)
		rep.Notes = textLines(top)
		return plan, nil
	}
	rep.Notes = textLines(top[:h.Upper])
	sctx := readContext(rd.vocab, rd.periods, titleTexts(top[:h.Upper], rep.Name))
	sctx.items = contextItems(rd.vocab, top[:h.Upper], rep.Name, sctx)
	lay, key := planLayout(rd.vocab, h.Texts, sctx, rd.maps)
	if runningDown {
		for _, i := range lay.measures {
			lay.cols[i].Running = true
		}
		rd.warn(newIssue(rep.Name, cellName(0, top[h.Lower].Row), keyRunningToMonths, map[string]string{"sheet": quote(rep.Name)}))
	}
	rep.HeaderRow = top[h.Lower].Row + 1
	rep.Columns = lay.report(top[h.Upper].Row)
	if key == keyNoPeriod && lay.colYears {
		// `2024 год | 2025 год` and no month anywhere: yearly figures (§4).
		rd.note(rep, keyYearly, nil)
		return plan, nil
	}
	if key != "" {
		rd.note(rep, key, map[string]string{"row": strconv.Itoa(rep.HeaderRow)})
		return plan, nil
	}
	if i, j := lay.sameSource(); i >= 0 {
		a, c := lay.cols[i], lay.cols[j]
		hr := top[h.Lower].Row
		rd.addError(newIssue(rep.Name, cellName(c.Col, hr), keyTwoSources, map[string]string{
			// Each cell with its own reading; the meaning is the fact they share.
			"cell":    cellName(a.Col, hr) + " " + quote(a.Header) + " (" + a.meaning() + ")",
			"other":   cellName(c.Col, hr) + " " + quote(c.Header) + " (" + c.meaning() + ")",
			"meaning": c.factField(),
		}))
	}
	if runningStubs(rd, lay, top[h.Next:]) {
		// Running totals from January in the period column (`Январь-февраль
		// 2025`): their differences give the months.
		lay.runningStubs = true
		if !runningDown {
			for _, i := range lay.measures {
				lay.cols[i].Running = true
			}
			rd.warn(newIssue(rep.Name, cellName(lay.cols[lay.period].Col, top[h.Lower].Row), keyRunningToMonths, map[string]string{"sheet": quote(rep.Name)}))
		}
	}
	if what := notMonthlyPeriods(rd, lay, top[h.Next:]); what != "" && !lay.runningStubs {
		rd.note(rep, notMonthlyKeys[what], nil)
		return plan, nil
	}
	rep.Status, rep.Layout = "read", lay.name
	rd.mappingWarnings(rep, lay, top[h.Upper].Row)
	plan.read, plan.maxCol = true, lay.maxCol
	rd.tableTop = top[h.Upper].Row
	rd.headerCells = top[h.Lower].Cells
	return plan, rd.readData(ctx, b, rep, lay, merges, top[h.Next:], it, top[h.Next-1].Row)
}

// yearGroupRow reports whether a row found as a header is the year over a
// header of months across just below it (`Показатель | 2025 год` over
// `Январь … Июнь`): its cells are the stub's label and years, no measure.
func (rd *reader) yearGroupRow(r, months bufRow) bool {
	if r.Row+1 != months.Row {
		return false
	}
	years := 0
	for _, c := range r.Cells {
		switch {
		case blank(c.Value):
		case c.Kind == kindString && classifyHeader(rd.vocab, c.Col, c.Value).Role == roleLabel:
		default:
			if _, ok := parseYear(c); !ok {
				return false
			}
			years++
		}
	}
	return years > 0
}

// sheetPlan is what reading a sheet decided that merged ranges can change.
type sheetPlan struct {
	top    []bufRow // the rows searched for the header
	header headerRows
	found  bool // a header was found
	read   bool // and its layout read the rows below it
	across bool // read as months across
	maxCol int  // the last column the layout reads
}

// changedBy reports whether the sheet, read as if it had no merged ranges,
// would have read otherwise with merges: another header, or a value merged
// down data rows of a column the layout reads, or across data columns (see
// newSheetRows).
func (p sheetPlan) changedBy(vocab *postal.Matcher, merges []mergeRange) bool {
	if len(merges) == 0 || len(p.top) == 0 {
		return false
	}
	h, found := findHeader(vocab, p.top, merges)
	if found != p.found || found && !reflect.DeepEqual(h, p.header) {
		return true
	}
	if !p.read {
		return false
	}
	headerEnd := p.top[p.header.Next-1].Row
	for _, m := range merges {
		if m.LastRow > m.FirstRow && m.FirstCol <= p.maxCol && m.LastRow > headerEnd {
			return true
		}
		if m.LastCol > m.FirstCol && m.FirstCol <= p.maxCol && m.FirstRow > headerEnd {
			return true // a value merged over measures is an error (mergedValues)
		}
	}
	return false
}

// notMonthlyIn says whether the titles or the header call the figures
// something other than monthly (`нарастающим итогом`, `yil boshidan`).
func notMonthlyIn(vocab *postal.Matcher, top []bufRow, h headerRows, found bool, sheetName string) string {
	end := len(top)
	if found {
		end = h.Next
	}
	for _, t := range titleTexts(top[:end], sheetName) {
		if w := readWords(vocab, t); w.notMonth == "running" {
			return w.notMonth
		}
	}
	return ""
}

// notMonthlyKeys name the note of a table whose periods are not months, by
// what they are: one sentence each, so that every language says it whole.
var notMonthlyKeys = map[string]string{
	"quarter": keyQuarterly, "half": keyHalfYearly,
	"running": keyRunningTotals, "year": keyYearly,
}

// mergesAhead finds a sheet's merged ranges on a goroutine of its own.
type mergesAhead struct {
	done   chan struct{}
	merges []mergeRange
	err    error
	panic  any // a panic of Merged, to raise again on the caller's goroutine
}

func findMergesAhead(b book, sheet string) *mergesAhead {
	m := &mergesAhead{done: make(chan struct{})}
	go func() {
		defer close(m.done)
		defer func() {
			if p := recover(); p != nil {
				m.panic = fmt.Sprintf("%v (finding merged ranges)\n%s", p, debug.Stack())
			}
		}()
		m.merges, m.err = b.Merged(sheet)
	}()
	return m
}

// wait waits for the goroutine to end.
func (m *mergesAhead) wait() { <-m.done }

// result waits for the merged ranges.
func (m *mergesAhead) result() ([]mergeRange, error) {
	m.wait()
	if m.panic != nil {
		panic(m.panic)
	}
	return m.merges, m.err
}

// titleTexts are the texts that say what a sheet holds besides its columns:
// the title rows above the header, and the sheet's name.
// textLines returns the text cells of rows, trimmed, for a batch's notes
// (at most maxNoteLines of at most maxNoteRunes characters each).
func textLines(rows []bufRow) []string {
	var out []string
	for _, r := range rows {
		for _, c := range r.Cells {
			s := strings.TrimSpace(c.Value)
			if c.Kind != kindString || s == "" || len(out) == maxNoteLines {
				continue
			}
			if rs := []rune(s); len(rs) > maxNoteRunes {
				s = string(rs[:maxNoteRunes]) + "…"
			}
			out = append(out, s)
		}
	}
	return out
}

// Bounds of the text kept as a batch's notes.
const (
	maxNoteLines = 20
	maxNoteRunes = 1000
)

func titleTexts(above []bufRow, sheetName string) []string {
	var titles []string
	for _, r := range above {
		for _, c := range r.Cells {
			if c.Kind == kindString {
				titles = append(titles, c.Value)
			}
		}
	}
	return append(titles, sheetName)
}

// readData reads the data rows of a sheet: those buffered, then the rest of
// it. When the sheet's d/m/y dates turn out to be written month first
// (1/15/2025, as a US locale writes them), it forgets what it read and
// reads the rows below the header, which ends in row headerEnd, again.
func (rd *reader) readData(ctx context.Context, b book, rep *SheetReport, lay layout, merges []mergeRange, buffered []bufRow, it rowIter, headerEnd int) error {
	mark := rd.mark()
	sr := newSheetRows(rd, rep, lay, merges, false)
	sr.headerRow, sr.firstRow, sr.lastRow = headerEnd, rd.tableTop, headerEnd
	sr.headerCells = buffered0(rd.headerCells)
	sr, err := rd.readRows(ctx, sr, buffered, it, -1)
	if err != nil {
		return err
	}
	readings, redo := sr.decideMarks()
	monthFirst := sr.slash.monthFirstNeeded()
	if !monthFirst && !redo {
		return sr.end(readings)
	}
	dots := make([]bool, len(sr.marks))
	for i, e := range sr.marks {
		dots[i] = e.dotThousand()
	}
	rd.rollback(mark, rep)
	src, err := b.Rows(ctx, rep.Name)
	if err != nil {
		return rd.streamError(ctx, err)
	}
	again := readAhead(src)
	defer again.Close()
	sr = newSheetRows(rd, rep, lay, merges, monthFirst)
	sr.headerRow, sr.firstRow, sr.lastRow = headerEnd, rd.tableTop, headerEnd
	sr.headerCells = buffered0(rd.headerCells)
	copy(sr.readings, readings)
	copy(sr.dotReadings, dots)
	sr, err = rd.readRows(ctx, sr, nil, again, headerEnd)
	if err != nil {
		return err
	}
	return sr.end(readings)
}

// unreadable notes a sheet that cannot be read; the reason, for the
// administrators, goes to the log.
func (rd *reader) unreadable(ctx context.Context, rep *SheetReport, err error) {
	rd.opts.logger().WarnContext(ctx, "sheet: cannot read sheet", "sheet", rep.Name, "err", err)
	rd.note(rep, keyUnreadable, nil)
}

// readRows reads the data rows of a sheet: the buffered ones, then those of
// it below row after. A header met below the table starts the next table
// of the sheet; readRows returns the reading of the last one.
func (rd *reader) readRows(ctx context.Context, sr *sheetRows, buffered []bufRow, it rowIter, after int) (*sheetRows, error) {
	next := func(r int, cells []rawCell, hidden bool) {
		sr.rowHidden = hidden
		sr.row(r, cells)
		if sr.nextHeader == nil {
			return
		}
		h := sr.nextHeader
		sr.nextHeader = nil
		lay, key := planLayout(rd.vocab, headerTexts(*h, *h, nil), sr.lay.context, rd.maps)
		if key != "" {
			return // not a table after all: the rows below read on as before
		}
		sr.hidden = hiddenSet(it)
		// The table ends above the next one's titles and header.
		sr.lastRow = max(sr.tableEnd, sr.headerRow)
		if err := sr.end(sr.readings); err != nil {
			sr.fail = err
			return
		}
		ns := newSheetRows(rd, sr.rep, lay, nil, sr.pp.monthFirst)
		ns.headerRow, ns.firstRow, ns.lastRow = h.Row, h.Row, h.Row
		rd.mappingWarnings(sr.rep, lay, h.Row)
		ns.blockCtx, ns.blockItems = sr.blockCtx, sr.blockItems
		if len(sr.pendingTitle) > 0 {
			ns.firstRow = sr.pendingTitle[0]
		}
		sr = ns
	}
	for _, r := range buffered {
		next(r.Row, r.Cells, r.Hidden)
	}
	if rd.over != nil {
		return sr, &streamErr{rd.over}
	}
	n := 0
	for it.Next() {
		if it.Row() <= after {
			continue
		}
		next(it.Row(), it.Cells(), rowIsHidden(it))
		if rd.over != nil {
			return sr, &streamErr{rd.over}
		}
		if sr.fail != nil {
			return sr, sr.fail
		}
		if n++; n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return sr, fmt.Errorf("read sheet %q: %w", sr.rep.Name, err)
			}
		}
		if n%progressEvery == 0 && rd.opts.Progress != nil {
			rd.opts.Progress(Progress{Rows: rd.res.Rows, BytesRead: it.BytesRead(), Total: rd.fileSize})
		}
	}
	if err := it.Err(); err != nil {
		return sr, rd.streamError(ctx, err)
	}
	sr.hidden = hiddenSet(it)
	return sr, sr.fail
}

// hiddenSet is the set of columns it says its sheet hides.
func hiddenSet(it rowIter) map[int]bool {
	h, ok := it.(hiddenColumnRows)
	if !ok {
		return nil
	}
	set := map[int]bool{}
	for _, c := range h.hiddenColumns() {
		set[c] = true
	}
	return set
}

// readMark is how far the result had come before a sheet was read.
type readMark struct {
	rows                                       int64
	errors, errorCount, warnings, warningCount int
}

func (rd *reader) mark() readMark {
	return readMark{rd.res.Rows, len(rd.res.Errors), rd.res.ErrorCount, len(rd.res.Warnings), rd.res.WarningCount}
}

// rollback forgets everything a sheet added to the result since m.
func (rd *reader) rollback(m readMark, rep *SheetReport) {
	rd.res.Rows, rd.res.ErrorCount, rd.res.WarningCount = m.rows, m.errorCount, m.warningCount
	rd.res.Errors, rd.res.Warnings = rd.res.Errors[:m.errors], rd.res.Warnings[:m.warnings]
	for k := range rd.agg {
		if k.Sheet == rep.Name {
			delete(rd.agg, k)
		}
	}
	rep.Rows, rep.Preview = 0, nil
}

// streamError turns an error met while streaming rows into the file's refusal.
func (rd *reader) streamError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("read rows: %w", ctx.Err())
	}
	return &streamErr{err}
}

// streamErr marks a failure inside a sheet's stream; ReadFile refuses the file.
type streamErr struct{ err error }

func (e *streamErr) Error() string { return e.err.Error() }
func (e *streamErr) Unwrap() error { return e.err }

func buffered0(c []rawCell) []rawCell { return c }

// runningStubs reports whether the period cells of the first rows below a
// header are running totals from January that follow each other
// (`Январь 2025`, `Январь-февраль 2025`, `Январь–март 2025` …), as
// runningMonths asks of a header of months across. Total rows are skipped.
func runningStubs(rd *reader, lay layout, rows []bufRow) bool {
	if lay.period < 0 {
		return false
	}
	col := lay.cols[lay.period].Col
	next, running := 1, 0
	for _, r := range rows {
		c, ok := r.cell(col)
		if !ok || c.Kind != kindString || readWords(rd.vocab, c.Value).total {
			continue
		}
		m, nm, ok := rd.monthCell(c)
		switch {
		case ok && m.Month == 1:
			next = 2 // January: a series starts (again, for the next partner)
		case nm == "running" && m.Month == next && next > 1:
			next++
			running++
		default:
			return false
		}
	}
	return running >= 1
}

// notMonthlyPeriods says whether the period cells of the first rows below
// a header are quarters, half-years or running totals (`Q1 2025`,
// `yil boshidan`), so the table is refused in one sentence, not a cell
// error per row.
func notMonthlyPeriods(rd *reader, lay layout, rows []bufRow) string {
	col := -1
	switch {
	case lay.period >= 0:
		col = lay.cols[lay.period].Col
	case lay.month >= 0:
		col = lay.cols[lay.month].Col
	default:
		return ""
	}
	what, n := "", 0
	for _, r := range rows {
		c, ok := r.cell(col)
		if !ok || c.Kind != kindString {
			continue
		}
		if _, err := rd.periods.parseText(c.Value); err == nil {
			return "" // a month: the table is monthly
		}
		w := readWords(rd.vocab, c.Value)
		if w.total {
			continue // `Итого за I квартал`: a total, checked against the months it sums
		}
		_, nm, ok := rd.monthCell(c)
		if ok {
			return "" // a month name (its year from the context): the table is monthly
		}
		if nm != "" {
			what = firstOf(what, nm)
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return what
}

// twoSheets reports a fact given by one cell of a cross table on one sheet
// and again by one on another sheet: two sources for one value, which
// postdash does not add up (a list's rows, split over sheets, still do).
func (rd *reader) twoSheets() {
	var seen map[postal.Key]*aggFact
	keys := make([]postal.Key, 0)
	for k, a := range rd.agg {
		if a.one {
			keys = append(keys, k)
		}
	}
	if len(keys) < 2 {
		return
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Sheet != keys[j].Sheet {
			return rd.order[keys[i].Sheet] < rd.order[keys[j].Sheet]
		}
		return rd.agg[keys[i]].r0 < rd.agg[keys[j]].r0 || rd.agg[keys[i]].r0 == rd.agg[keys[j]].r0 && rd.agg[keys[i]].c0 < rd.agg[keys[j]].c0
	})
	seen = map[postal.Key]*aggFact{}
	for _, k := range keys {
		a := rd.agg[k]
		k.Sheet = ""
		if first, ok := seen[k]; ok && first.sameMeasure(a.Fact) {
			rd.addError(newIssue(a.Sheet, cellName(a.c0, a.r0), keyTwoSources, map[string]string{
				"cell": a.cellRef(), "other": first.cellRef(), "meaning": factMeaning(a.Fact),
			}))
			continue
		}
		seen[k] = a
	}
}
