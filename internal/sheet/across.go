package sheet

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"postdash/internal/postal"
)

// A cross table with the months across the columns (`Показатель | Ед. изм. |
// Январь … Декабрь | Итого`): each body row is a measure whose meaning comes
// from its stub (the label, the unit column, dimension columns) and the
// context (block titles above it, the sheet's title and name); each cell
// under a month is one fact. Such tables are small (a row per measure), so
// the sheet is read into memory, up to maxAcrossRows rows.

// maxAcrossRows bounds the rows of a sheet read as months across.
const maxAcrossRows = 100000

// minMonthsAcross is how many month cells make a row a header of months across.
const minMonthsAcross = 2

// monthCell reads a header cell that names one month: `Январь`, `Yanvar
// 2025`, `2025-03`, `March 2025`, or a date cell. Year is 0 when the cell
// names none. notMonth names a period that is not a month (a quarter, a
// half-year, a running total such as `январь–июнь`).
func (rd *reader) monthCell(c rawCell) (m postal.Month, notMonth string, ok bool) {
	switch c.Kind {
	case kindDate:
		if p, err := rd.periods.parseText(c.Value); err == nil {
			return p.Month, "", true
		}
		return m, "", false
	case kindNumber:
		// A date-formatted number (2025-01-01 shown `янв.25` or `01.2025`)
		// is a date serial; a plain number is never a month.
		if c.Fmt != fmtDate {
			return m, "", false
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(c.Value), 64)
		if err != nil {
			return m, "", false
		}
		if p, err := parseSerialPeriod(v, rd.date1904); err == nil {
			return p.Month, "", true
		}
		return m, "", false
	case kindString:
	default:
		return m, "", false
	}
	s := strings.TrimSpace(c.Value)
	if allDigits(s) {
		return m, "", false // a number written as text (393901 is no month of 3939)
	}
	if p, err := rd.periods.parseText(s); err == nil && p.Day == 0 {
		return p.Month, "", true
	}
	toks := postal.Tokens(postal.Fold(s))
	months, year, other := 0, 0, 0
	mon := 0
	for _, t := range toks {
		switch {
		case allDigits(t) && len(t) == 4:
			year = atoi(t)
		case isYearWord(t):
		default:
			if n := rd.vocab.MonthNumber(t); n != 0 {
				months++
				mon = n
			} else {
				other++
			}
		}
	}
	w := readWords(rd.vocab, s)
	switch {
	case w.total:
		return m, "", false // `Итого за I квартал`: a total, not a period
	case w.notMonth != "":
		return m, w.notMonth, false
	case months == 2 && other == 0 && firstMonth(rd, toks) == 1:
		return postal.Month{Year: year, Month: mon}, "running", false // январь–июнь: from January to June
	case months >= 2 && other == 0:
		return m, "running", false
	case months == 1 && other == 0:
		return postal.Month{Year: year, Month: mon}, "", true
	}
	return m, "", false
}

// acrossHeader finds, among the top rows, a header of months across: the
// first row with at least minMonthsAcross month cells. It returns the
// buffer index, or -1; notMonth names what a row of non-monthly periods
// holds (quarterly figures ...), when such a row comes first.
func (rd *reader) acrossHeader(top []bufRow) (int, string) {
	for i, r := range top {
		if r.Row >= headerSearchRows {
			break
		}
		months, notMonths, numbers := 0, 0, 0
		what := ""
		for _, c := range r.Cells {
			if c.Kind == kindNumber && c.Fmt != fmtDate {
				numbers++
				continue
			}
			if _, nm, ok := rd.monthCell(c); ok {
				months++
			} else if nm != "" {
				notMonths++
				what = firstOf(what, nm)
			}
		}
		if numbers > 0 && months < 3 {
			continue
		}
		if notMonths > 0 && rd.runningMonths(r) {
			return i, ""
		}
		if notMonths >= minMonthsAcross && months == 0 || notMonths > 0 && months+notMonths >= minMonthsAcross {
			return -1, what
		}
		if months >= minMonthsAcross || months == 1 && rd.hasLabelCell(r) {
			return i, ""
		}
	}
	return -1, ""
}

// hasLabelCell reports whether a row names the stub of a cross table
// (`Показатель`, `Ko'rsatkich`): with it, a single month makes a header.
func (rd *reader) hasLabelCell(r bufRow) bool {
	for _, c := range r.Cells {
		if c.Kind == kindString && classifyHeader(rd.vocab, c.Col, c.Value).Role == roleLabel {
			return true
		}
	}
	return false
}

// acrossCol is one column of a months-across table.
type acrossCol struct {
	Col   int
	Text  string
	Role  role         // rolePeriod (a month), roleTotal, roleDerived, a stub role, or roleUnknown
	Month postal.Month // rolePeriod: Year may be 0 (from the context)
	// Running: the column holds a running total from January to Month;
	// the month's figure is its difference from the column before.
	Running bool
}

// acrossTable is one table of months across being read.
type acrossTable struct {
	cols      []acrossCol
	byCol     map[int]int // sheet column -> index into cols
	label     int         // sheet column of the row labels, -1 when none
	unit      int         // sheet column of the unit, -1
	dimCols   map[role]int
	headerRow int
	firstRow  int
	lastRow   int
	lastCol   int
	ctx       sheetContext // the sheet's context (titles, sheet name)
	block     sheetContext // the latest block title's context
	table     Table
	marks     markEvidence // of the whole sheet
	lang      string
	reading   int  // how the current row's ambiguous commas read
	dots      bool // the current row's ambiguous dots (2.500) separate thousands

	running bool       // the months are running totals from January
	parent  parentRow  // the last fact row
	parts   []*partRow // the parts below it
	// partsOpen: a row of its own (`в том числе:`, no numbers) said that the
	// rows below it, each naming a marketplace or partner, are parts.
	partsOpen bool

	tableID     int                  // the table's id (reader.tables)
	mergesAt    map[int][]mergeRange // merged ranges by first row, below the header
	unknownRows []Issue              // rows of numbers with no understood meaning
	rowChoices  map[string]RowChoice // the mapping's choices, by folded stub text
	understood  int                  // rows with an understood meaning (facts, totals, parts, derived)
}

// readAcross reads a sheet whose header, top[hi], has the months across.
func (rd *reader) readAcross(ctx context.Context, rep *SheetReport, top []bufRow, hi int, it rowIter, merges []mergeRange) error {
	rows := append([]bufRow(nil), top...)
	for it.Next() {
		if len(rows) >= maxAcrossRows {
			break
		}
		rows = append(rows, bufRow{Row: it.Row(), Cells: append([]rawCell(nil), it.Cells()...), Hidden: rowIsHidden(it)})
		if len(rows)%256 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	if err := it.Err(); err != nil {
		return rd.streamError(ctx, err)
	}
	rep.Status, rep.Layout = "read", "across"
	// The marks of text numbers are decided from all the sheet's cells, and
	// its language from its labels.
	var marks markEvidence
	langs := map[string]int{}
	for _, r := range rows[hi:] {
		for _, c := range r.Cells {
			if c.Kind != kindString {
				continue
			}
			if strings.ContainsAny(c.Value, ".,") {
				if _, err := ParseNumber(c.Value); err == nil {
					marks.observe(c.Value)
					continue
				}
			}
			if l := readWords(rd.vocab, c.Value).lang; l != "" {
				langs[l]++
			}
		}
	}
	lang := ""
	for l, n := range langs {
		if n > langs[lang] || n == langs[lang] && l < lang {
			lang = l
		}
	}
	if r, byLang := marks.decide(lang); byLang {
		reading := "a decimal comma"
		if r == commaThousand {
			reading = "a comma between thousands"
		}
		rd.warn(newIssue(rep.Name, "", keyAmbiguousMarks, map[string]string{
			"col": "", "header": quote(rep.Name), "value": quote(marks.example), "reading": reading,
		}))
	}
	titles := titleTexts(rows[:hi], rep.Name)
	sctx := readContext(rd.vocab, rd.periods, titles)
	sctx.items = contextItems(rd.vocab, rows[:hi], rep.Name, sctx)
	var t *acrossTable
	var pendingTitles []bufRow
	var unknownRows []Issue
	understood := 0
	defer func() {
		// A table none of whose rows is understood (a matrix of counts, a
		// chart's table) has no recognisable header: the sheet is skipped
		// with a note. Otherwise every row not understood is an error.
		if understood == 0 {
			rep.Status, rep.Layout, rep.Tables = "skipped", "", nil
			rd.note(rep, keyNoMeasureRows, nil)
			return
		}
		for _, is := range unknownRows {
			rd.addError(is)
		}
	}()
	end := func(t *acrossTable) {
		rd.resolveParts(rep, t)
		rd.endAcross(rep, t)
		unknownRows = append(unknownRows, t.unknownRows...)
		understood += t.understood
	}
	for i := hi; i < len(rows); i++ {
		r := rows[i]
		if t == nil || rd.isAcrossHeader(r) {
			if t != nil {
				end(t)
			}
			upper := bufRow{Row: -1}
			if i > 0 && rows[i-1].Row == r.Row-1 && (t == nil || len(pendingTitles) > 0) {
				upper = rows[i-1]
			}
			var block sheetContext
			if t != nil && len(pendingTitles) > 0 {
				block = t.block // the block title above this table is its own
			}
			t = rd.newAcross(r, upper, sctx, pendingTitles, merges)
			t.marks, t.lang, t.block = marks, lang, block
			pendingTitles = nil
			if rep.HeaderRow == 0 {
				rep.HeaderRow = r.Row + 1
			}
			continue
		}
		if title, ok := blockTitle(r); ok && !rd.isPeriodText(title) && !isPartsLead(rd.vocab, title) {
			bc := readContext(rd.vocab, rd.periods, []string{title})
			if bc.Dims.named() || bc.Year != 0 {
				t.block = bc
				t.block.items = contextItems(rd.vocab, []bufRow{r}, "", bc)
				pendingTitles = append(pendingTitles, r)
			}
			continue
		}
		pendingTitles = nil
		rd.acrossRow(rep, t, r)
	}
	if t != nil {
		end(t)
	}
	return nil
}

// isAcrossHeader reports whether a row below a table starts another one.
func (rd *reader) isAcrossHeader(r bufRow) bool {
	months := 0
	for _, c := range r.Cells {
		if c.Kind == kindNumber && c.Fmt != fmtDate {
			return false
		}
		if _, _, ok := rd.monthCell(c); ok {
			months++
		}
	}
	return months >= minMonthsAcross || months == 1 && rd.hasLabelCell(r)
}

// blockTitle reports whether a row is a block title: one text cell, not a number.
func blockTitle(r bufRow) (string, bool) {
	text := ""
	for _, c := range r.Cells {
		if blank(c.Value) {
			continue
		}
		if c.Kind != kindString || text != "" {
			return "", false
		}
		if _, err := ParseNumber(c.Value); err == nil {
			return "", false
		}
		text = c.Value
	}
	return text, text != ""
}

// newAcross plans a table from its header row (and the row above it, which
// may hold the year or group titles over the months).
func (rd *reader) newAcross(h, upper bufRow, sctx sheetContext, titles []bufRow, merged []mergeRange) *acrossTable {
	rd.tables++
	t := &acrossTable{tableID: rd.tables, byCol: map[int]int{}, label: -1, unit: -1, dimCols: map[role]int{}, headerRow: h.Row, firstRow: h.Row, lastRow: h.Row, ctx: sctx}
	if upper.Row >= 0 {
		t.firstRow = upper.Row
	}
	if len(titles) > 0 {
		t.firstRow = titles[0].Row
	}
	running := rd.runningMonths(h)
	t.running = running
	groupYear := map[int]int{}
	if upper.Row >= 0 {
		// The year written over the months (`2025 год` merged over Январь … Декабрь).
		last := 0
		for _, c := range upper.Cells {
			if c.Kind == kindString {
				if ys := yearsIn(c.Value); len(ys) == 1 {
					last = ys[0]
				} else {
					last = 0
				}
			} else if c.Kind == kindNumber {
				if y, ok := parseYear(c); ok {
					last = y
				}
			}
			groupYear[c.Col] = last
		}
		for _, m := range merged {
			if m.FirstRow != upper.Row {
				continue
			}
			for col := m.FirstCol; col <= m.LastCol; col++ {
				groupYear[col] = groupYear[m.FirstCol]
			}
		}
	}
	yearAt := func(col int) int {
		best, at := 0, -1
		for c, y := range groupYear {
			if c <= col && c > at {
				best, at = y, c
			}
		}
		return best
	}
	for _, c := range h.Cells {
		if blank(c.Value) {
			continue
		}
		ac := acrossCol{Col: c.Col, Text: cellText(c)}
		if m, nm, ok := rd.monthCell(c); ok || nm == "running" && m.Month != 0 && running {
			ac.Role, ac.Month, ac.Running = rolePeriod, m, running
			if c.Kind == kindNumber {
				ac.Text = m.String() // a date cell: its month, not its serial
			}
			if ac.Month.Year == 0 {
				ac.Month.Year = yearAt(c.Col)
			}
		} else {
			ac.Role = classifyHeader(rd.vocab, c.Col, c.Value).Role
			switch ac.Role {
			case roleTotal, roleDerived, roleIndex, roleUnit, roleLabel, rolePartner, roleDirection, roleCategory, roleMarketplace:
			default:
				ac.Role = roleUnknown
			}
		}
		switch ac.Role {
		case roleLabel:
			if t.label < 0 {
				t.label = c.Col
			}
		case roleUnit:
			if t.unit < 0 {
				t.unit = c.Col
			}
		case rolePartner, roleDirection, roleCategory, roleMarketplace:
			if _, ok := t.dimCols[ac.Role]; !ok {
				t.dimCols[ac.Role] = c.Col
			}
		}
		t.byCol[c.Col] = len(t.cols)
		t.cols = append(t.cols, ac)
		t.lastCol = max(t.lastCol, c.Col)
	}
	if t.label < 0 {
		// The first text column left of the months holds the labels.
		for _, c := range t.cols {
			if c.Role == rolePeriod {
				break
			}
			if c.Role == roleUnknown {
				t.label = c.Col
				t.cols[t.byCol[c.Col]].Role = roleLabel
				break
			}
		}
	}
	if t.label < 0 && len(h.Cells) > 0 && t.cols[0].Role == rolePeriod && h.Cells[0].Col > 0 {
		t.label = 0 // an empty corner cell over the labels
	}
	for _, m := range merged {
		if m.FirstRow > h.Row && (m.LastCol > m.FirstCol || m.LastRow > m.FirstRow) {
			if t.mergesAt == nil {
				t.mergesAt = map[int][]mergeRange{}
			}
			t.mergesAt[m.FirstRow] = append(t.mergesAt[m.FirstRow], m)
		}
	}
	t.table = Table{Layout: "across", Context: sctx.items}
	// A mapping for an across table is keyed by its header texts other than
	// the months, which change every month (contract section 8).
	var fixed []string
	for _, c := range t.cols {
		if c.Role != rolePeriod {
			fixed = append(fixed, c.Text)
		}
	}
	t.table.MapHeader = fixed
	if m := rd.maps.forAcross(fixed); m != nil {
		t.rowChoices = map[string]RowChoice{}
		for _, ch := range m.Rows {
			t.rowChoices[postal.Fold(ch.Label)] = ch
		}
		t.table.Mapping = m.Ref()
	}
	for _, c := range t.cols {
		meaning := roleNames[c.Role]
		if c.Role == rolePeriod {
			meaning = "period " + c.Month.String()
			if c.Month.Year == 0 {
				meaning = "period month " + strconv.Itoa(c.Month.Month)
			}
		}
		t.table.Columns = append(t.table.Columns, TableColumn{Cell: cellName(c.Col, h.Row), Header: c.Text, Meaning: meaning})
	}
	return t
}

// acrossRow reads one body row of a months-across table.
func (rd *reader) acrossRow(rep *SheetReport, t *acrossTable, r bufRow) {
	t.lastRow = r.Row
	var label, unit string
	var labelCell, unitCell string
	texts := map[role]string{}
	numeric := 0
	for _, c := range r.Cells {
		if blank(c.Value) {
			continue
		}
		i, ok := t.byCol[c.Col]
		if !ok {
			if isNumeric(c) {
				t.lastCol = max(t.lastCol, c.Col)
				numeric++
			}
			if c.Col < t.cols[0].Col || c.Kind == kindString && label == "" && t.label < 0 {
				if c.Kind == kindString && label == "" {
					label, labelCell = cellText(c), cellName(c.Col, r.Row)
				}
			}
			continue
		}
		col := t.cols[i]
		switch {
		case c.Col == t.label:
			label, labelCell = cellText(c), cellName(c.Col, r.Row)
		case c.Col == t.unit:
			unit, unitCell = cellText(c), cellName(c.Col, r.Row)
		case col.Role == rolePartner || col.Role == roleDirection || col.Role == roleCategory || col.Role == roleMarketplace:
			texts[col.Role] = cellText(c)
		case col.Role == rolePeriod || col.Role == roleTotal || col.Role == roleDerived || col.Role == roleUnknown:
			if isNumeric(c) || c.Kind == kindString && !blank(c.Value) {
				numeric++
			}
		}
	}
	if numeric == 0 {
		if label != "" && t.parent.ok && isPartsLead(rd.vocab, label) {
			rd.resolveParts(rep, t)
			t.partsOpen = true
			return
		}
		if label != "" {
			rd.footnoteAcross(t, label)
		}
		return
	}
	if rd.mergedAcross(rep, t, r) {
		return
	}
	if labelCell == "" {
		labelCell = cellName(max(t.label, 0), r.Row)
	}
	text := label
	if unit != "" {
		// A unit given twice, in the label and in the unit column, must agree
		// (contract §0): postdash does not choose between them.
		lu, uu := classifyHeader(rd.vocab, 0, label), classifyHeader(rd.vocab, 0, unit)
		if lu.Unit != "" && uu.Unit != "" && (lu.Unit != uu.Unit || math.Max(lu.Factor, 1) != math.Max(uu.Factor, 1)) {
			rd.addError(newIssue(rep.Name, unitCell, keyUnitConflict, map[string]string{
				"header": quote(label) + " (" + labelCell + ")",
				"unit":   quote(unit) + " (" + unitCell + ")",
			}))
			// Understood, and in error: its figures are counted as errors, and
			// the sheet is not "skipped" as if no row named what it counts.
			t.understood++
			acct := Accounting{}
			for _, c := range r.Cells {
				if i, ok := t.byCol[c.Col]; ok && t.cols[i].Role == rolePeriod && !blank(c.Value) && isNumeric(c) {
					acct.Numeric++
					acct.Errors++
				}
			}
			t.table.Columns = append(t.table.Columns, TableColumn{Cell: labelCell, Header: label, Meaning: "error", Accounting: acct})
			t.table.Accounting.add(acct)
			return
		}
		text = label + ", " + unit
	}
	w := readWords(rd.vocab, text)
	kind := "fact"
	switch {
	case w.total && !w.part:
		kind = "total"
	case w.part:
		kind = "part"
	case w.derived:
		kind = "derived"
	}
	col := classifyHeader(rd.vocab, 0, text)
	choice, chosen := t.rowChoices[postal.Fold(text)]
	if !chosen && unit != "" {
		choice, chosen = t.rowChoices[postal.Fold(label)] // named by its label alone
	}
	if chosen && choice.Meaning == "ignore" {
		rd.ignoreAcrossRow(t, r, text, labelCell)
		return
	}
	var noteRow func(chosen, found string)
	if chosen {
		noteRow = func(chosen, found string) {
			rd.warn(newIssue(rep.Name, labelCell, keyMappingRowWins, map[string]string{
				"row": strconv.Itoa(r.Row + 1), "header": quote(text), "chosen": chosen, "found": found,
			}))
		}
		if kind != "fact" {
			noteRow("measure", kind) // a total, a part, a derived row says so itself
			chosen = false
		} else {
			applyRowUnit(&col, choice, noteRow)
		}
	}
	if kind == "fact" && col.Role != roleMeasure {
		kind = "unknown"
	}
	if kind == "unknown" && t.partsOpen && t.parent.ok && (w.d.Marketplace != "" || w.d.Partner != "") && w.d.Category == "" && len(w.units) == 0 {
		kind = "part" // `AliExpress` under `в том числе:`
	}
	if kind != "part" {
		t.partsOpen = false
	}
	d := col.Dims
	for rl, v := range texts {
		kindOf := map[role]postal.Kind{rolePartner: postal.KindPartner, roleDirection: postal.KindDirection, roleCategory: postal.KindCategory, roleMarketplace: postal.KindMarketplace}[rl]
		cv := canonicalOf(rd.vocab, kindOf, v)
		if cv == "" && (rl == rolePartner || rl == roleMarketplace) {
			cv = v
		}
		switch rl {
		case rolePartner:
			d.Partner = firstOf(d.Partner, cv)
		case roleDirection:
			d.Direction = firstOf(d.Direction, cv)
		case roleCategory:
			d.Category = firstOf(d.Category, cv)
		case roleMarketplace:
			d.Marketplace = firstOf(d.Marketplace, cv)
		}
	}
	if chosen {
		fillDims(&d, choice, noteRow)
	}
	d = d.merge(t.block.Dims).merge(t.ctx.Dims)
	if kind == "fact" && d.Category == "" {
		kind = "unknown"
	}
	def := rd.opts.Defaults
	d = d.merge(dims{Direction: firstOf(string(def.Direction), string(postal.Unspecified)), Partner: def.Partner, Marketplace: def.Marketplace})
	if kind != "part" {
		rd.resolveParts(rep, t)
	}
	pr := &partRow{vals: map[int]float64{}, d: w.d}
	isParent := kind == "fact"
	if isParent {
		t.parent = parentRow{ok: true, label: text, row: r.Row, d: d, unit: col.Unit, items: col.Unit == postal.UnitItems, factor: unitFactor[col.Unit] * math.Max(col.Factor, 1), vals: map[int]float64{}, months: map[int]postal.Month{}}
	}
	// The row is the measure: its own cells decide its marks first.
	var rowMarks markEvidence
	for _, c := range r.Cells {
		if c.Kind == kindString && strings.ContainsAny(c.Value, ".,") {
			rowMarks.observe(c.Value)
		}
	}
	if rowMarks.dotConflict() {
		rd.addError(newIssue(rep.Name, labelCell, keyDotsBothWays, map[string]string{
			"col": labelCell, "header": quote(text), "value": quote(rowMarks.dotExample),
		}))
		return
	}
	// Dots: the row's own cells decide, else the sheet's.
	t.dots = rowMarks.dotThousand() || rowMarks.dotThousands+rowMarks.dotDecimal == 0 && t.marks.dotThousands > 0 && t.marks.dotDecimal == 0 ||
		col.Unit == postal.UnitItems && rowMarks.dotDecimal == 0 // a count has no decimals
	t.reading = commaUndecided
	if rr, byLang := rowMarks.decide(t.lang); !byLang && rr != commaUndecided {
		t.reading = rr
	} else if rr, _ := t.marks.decide(t.lang); rr != commaUndecided {
		t.reading = rr
	}
	if col.Unit == postal.UnitItems && t.reading != commaDecimal {
		t.reading = commaThousand
	}
	acct := Accounting{}
	prevRunning := -1.0
	sum, total := 0.0, -1.0
	totalCell, digits := "", 0
	factor := unitFactor[col.Unit] * col.Factor
	if col.Factor <= 1 {
		factor = unitFactor[col.Unit]
	}
	items := col.Unit == postal.UnitItems
	for _, c := range r.Cells {
		i, ok := t.byCol[c.Col]
		if !ok || blank(c.Value) {
			if !ok && isNumeric(c) && !blank(c.Value) {
				acct.Numeric++
				acct.Unknown++
			}
			continue
		}
		ac := t.cols[i]
		if ac.Role != rolePeriod && ac.Role != roleTotal && ac.Role != roleDerived && ac.Role != roleUnknown {
			continue
		}
		cell := cellName(c.Col, r.Row)
		if kind == "part" && ac.Role == rolePeriod && isNumeric(c) {
			acct.Numeric++
			acct.Parts++
			if mv, ok := rd.acrossValue(rep, c, cell, t.parent.unit, t.parent.factor, t); ok {
				pr.vals[c.Col] = mv.value
			} else {
				acct.Parts--
				acct.Errors++
			}
			continue
		}
		if ac.Role == roleUnknown || ac.Role == roleDerived || kind == "derived" || kind == "part" || kind == "unknown" {
			if !isNumeric(c) {
				continue
			}
			acct.Numeric++
			switch {
			case ac.Role == roleDerived || kind == "derived":
				acct.Derived++
			case kind == "part":
				acct.Parts++
			default:
				acct.Unknown++
			}
			continue
		}
		acct.Numeric++
		mv, ok := rd.acrossValue(rep, c, cell, col.Unit, factor, t)
		if !ok {
			acct.Errors++
			continue
		}
		if ac.Running && ac.Role == rolePeriod && kind != "total" {
			v := mv.value
			if ac.Month.Month > 1 {
				if prevRunning < 0 || v < prevRunning-1e-9*math.Max(1, v) {
					rd.addError(newIssue(rep.Name, cell, keyRunningGap, map[string]string{"value": quote(strings.TrimSpace(c.Value))}))
					acct.Errors++
					prevRunning = -1
					continue
				}
				mv.value = v - prevRunning
				if !items {
					mv.value = postal.RoundKg(mv.value)
				}
			}
			prevRunning = v
		}
		if ac.Role == roleTotal || kind == "total" {
			acct.Totals++
			if ac.Role == roleTotal {
				total, totalCell, digits = mv.value, cell, mv.digits
			}
			continue
		}
		m := ac.Month
		if m.Year == 0 {
			m.Year = firstNonZero(t.block.Year, t.ctx.Year)
		}
		if m.Year == 0 {
			rd.addError(newIssue(rep.Name, cellName(ac.Col, t.headerRow), keyPeriodInvalid, map[string]string{"value": quote(ac.Text)}))
			acct.Errors++
			continue
		}
		if !inRange(m, rd.now) {
			rd.addError(newIssue(rep.Name, cellName(ac.Col, t.headerRow), keyPeriodRange, map[string]string{"value": quote(ac.Text), "period": m.String()}))
			acct.Errors++
			continue
		}
		acct.Facts++
		sum += mv.value
		if isParent {
			t.parent.vals[c.Col], t.parent.months[c.Col] = mv.value, m
		}
		f := postal.Fact{Month: m, Sheet: rep.Name, Series: postal.Series{
			Direction: postal.Direction(d.Direction), Partner: d.Partner,
			Category: postal.Category(d.Category), Marketplace: d.Marketplace,
		}}
		if items {
			f.Items, f.HasItems = int64(mv.value), true
		} else {
			f.WeightKg, f.HasWeight = mv.value, true
		}
		if agg, ok := rd.agg[f.Key()]; ok {
			if items && agg.HasItems || !items && agg.HasWeight {
				rd.addError(newIssue(rep.Name, cell, keyTwoSources, map[string]string{
					"cell": rep.Name + "!" + cell, "other": agg.cellRef(), "meaning": col.meaning() + " " + m.String(),
				}))
			}
			agg.add(f, r.Row, c.Col, c.Col, mv.mark)
		} else {
			rd.agg[f.Key()] = &aggFact{Fact: f, r0: r.Row, r1: r.Row, c0: c.Col, c1: c.Col, mark: mv.mark, table: t.tableID, one: true}
		}
		rep.Rows++
		if len(rep.Preview) < rd.opts.PreviewRows {
			rep.Preview = append(rep.Preview, previewRow(f))
		}
	}
	if total >= 0 && acct.Facts > 0 {
		tol := 0.5*math.Pow(10, -float64(digits))*factor + 1e-9*math.Max(1, total)
		if math.Abs(total-sum) > tol {
			rd.warn(newIssue(rep.Name, totalCell, keyTotalColumnMismatch, map[string]string{
				"total": quote(strconv.FormatFloat(total/factor, 'f', -1, 64)), "sum": strconv.FormatFloat(sum/factor, 'f', max(digits, 0), 64),
			}))
		}
	}
	if acct.Unknown > 0 && r.Hidden {
		// A hidden row of unknown meaning (lookup codes): ignored, with a
		// warning naming it, where a visible one is an error (section 2).
		rd.warn(newIssue(rep.Name, labelCell, keyHiddenRowIgnored, map[string]string{
			"row": strconv.Itoa(r.Row + 1), "header": quote(text), "count": strconv.FormatInt(acct.Unknown, 10),
		}))
		acct.Ignored += acct.Unknown
		acct.Unknown = 0
	}
	if acct.Unknown > 0 {
		key, args := keyRowUnknown, map[string]string{
			"row": strconv.Itoa(r.Row + 1), "header": quote(text), "count": strconv.FormatInt(acct.Unknown, 10),
		}
		if col.Why == keyHeaderConflict || col.Why == keyUnitWordUnknown {
			// The label says two things, or counts in an unknown unit: say which.
			key = map[string]string{keyHeaderConflict: keyRowConflict, keyUnitWordUnknown: keyRowUnitWordUnknown}[col.Why]
			for k, v := range col.WhyArgs {
				args[k] = v
			}
		}
		t.unknownRows = append(t.unknownRows, newIssue(rep.Name, labelCell, key, args))
	}
	switch {
	case kind != "unknown":
		t.understood++
	case col.Why == keyHeaderConflict || col.Why == keyUnitWordUnknown || col.Why == keyUnitUnknown:
		t.understood++ // a measure it cannot read: an error, not a sheet that names nothing
	}
	rd.res.Rows++
	meaning := kind
	if kind == "fact" {
		meaning = col.meaning()
		dd := []string{}
		for _, s := range []string{d.Category, d.Direction, d.Partner, d.Marketplace} {
			if s != "" && !strings.Contains(meaning, s) {
				dd = append(dd, s)
			}
		}
		if len(dd) > 0 {
			meaning = strings.Join(dd, " ") + " " + meaning
		}
	}
	tc := TableColumn{Cell: labelCell, Header: text, Meaning: meaning, Accounting: acct, Row: r.Row + 1}
	if acct.Facts > 0 {
		v := sum
		tc.Unit = "items"
		if !items {
			v, tc.Unit = postal.RoundKg(v), "kg"
		}
		tc.Total = &v
	}
	t.table.Columns = append(t.table.Columns, tc)
	if kind == "part" {
		pr.column = len(t.table.Columns) - 1
		t.parts = append(t.parts, pr)
	}
	t.table.Accounting.add(acct)
}

// applyRowUnit gives a row's measure the unit the analyst chose for it,
// where its label names none; a label naming another is read, with a note.
func applyRowUnit(col *column, ch RowChoice, note func(chosen, found string)) {
	factor := max(ch.Multiplier, 1)
	switch u := postal.Unit(ch.Unit); {
	case u == "":
	case col.Unit == "":
		col.Unit, col.Factor = u, factor
	case col.Unit != u || max(col.Factor, 1) != factor:
		note("unit "+unitText(u, factor), "unit "+unitText(col.Unit, col.Factor))
	}
	if col.Unit != "" {
		col.Role, col.Why = roleMeasure, ""
	}
}

// fillDims fills what a row's words and cells left unsaid with the
// analyst's choice; where they say otherwise they win, with a note.
func fillDims(d *dims, ch RowChoice, note func(chosen, found string)) {
	fill := func(field string, have *string, chosen string) {
		switch {
		case chosen == "":
		case *have == "":
			*have = chosen
		case *have != chosen:
			note(field+" "+chosen, field+" "+*have)
		}
	}
	fill("category", &d.Category, ch.Category)
	fill("direction", &d.Direction, ch.Direction)
	fill("partner", &d.Partner, ch.Partner)
	fill("marketplace", &d.Marketplace, ch.Marketplace)
}

// ignoreAcrossRow reads a row the analyst chose to ignore: each of its
// numbers is counted as ignored, none is imported.
func (rd *reader) ignoreAcrossRow(t *acrossTable, r bufRow, text, labelCell string) {
	acct := Accounting{}
	for _, c := range r.Cells {
		if blank(c.Value) || !isNumeric(c) {
			continue
		}
		if i, ok := t.byCol[c.Col]; ok {
			if rl := t.cols[i].Role; rl != rolePeriod && rl != roleTotal && rl != roleDerived && rl != roleUnknown {
				continue
			}
		}
		acct.Numeric++
		acct.Ignored++
	}
	rd.res.Rows++
	t.table.Columns = append(t.table.Columns, TableColumn{Cell: labelCell, Header: text, Meaning: "ignored", Accounting: acct, Row: r.Row + 1})
	t.table.Accounting.add(acct)
}

// parentRow is the last fact row of a months-across table: the row that
// parts below it (`в т.ч.`) break down.
type parentRow struct {
	ok     bool
	label  string // its label, for messages
	row    int
	unit   postal.Unit
	d      dims
	items  bool
	factor float64
	vals   map[int]float64      // by sheet column: the value imported
	months map[int]postal.Month // by sheet column
}

// partRow is a row of parts (`в т.ч. АлиЭкспресс`) under a parent row.
type partRow struct {
	d      dims            // what its label names
	vals   map[int]float64 // by sheet column
	column int             // index into the table's columns
}

// resolveParts decides what the parts under the parent row become: when
// each names a marketplace or partner the parent leaves open, and in every
// month they do not exceed the parent, each part becomes a fact with its
// own dimension and the parent keeps the remainder (contract section 4).
// Otherwise the parent stays the fact and the parts are skipped. Never is a
// value counted twice.
func (rd *reader) resolveParts(rep *SheetReport, t *acrossTable) {
	parts, p := t.parts, t.parent
	t.parts = nil
	if len(parts) == 0 || !p.ok {
		return
	}
	field := ""
	for _, pr := range parts {
		f := ""
		switch {
		case pr.d.Marketplace != "" && p.d.Marketplace == "":
			f = "marketplace"
		case pr.d.Partner != "" && p.d.Partner == "":
			f = "partner"
		}
		if f == "" || field != "" && f != field || pr.d.Category != "" && pr.d.Category != p.d.Category {
			return
		}
		field = f
	}
	cols := make([]int, 0, len(p.vals))
	for col := range p.vals {
		cols = append(cols, col)
	}
	slices.Sort(cols)
	for _, col := range cols {
		pv, sum := p.vals[col], 0.0
		for _, pr := range parts {
			sum += pr.vals[col]
		}
		if sum > pv+1e-9*math.Max(1, pv) {
			// The parts exceed the parent: they do not add up, so they are
			// not facts; the parent stays whole, and the analyst is told.
			names := make([]string, 0, len(parts))
			for _, pr := range parts {
				c := t.table.Columns[pr.column]
				names = append(names, quote(c.Header)+" ("+c.Cell+")")
			}
			show := func(v float64) string { return strconv.FormatFloat(v/p.factor, 'f', -1, 64) }
			rd.warn(newIssue(rep.Name, cellName(col, p.row), keyPartsExceed, map[string]string{
				"parts": strings.Join(names, ", "), "sum": show(sum),
				"parent": quote(p.label) + " (" + cellName(col, p.row) + ")", "total": show(pv),
			}))
			return
		}
	}
	for _, pr := range parts {
		for col := range pr.vals {
			if _, ok := p.vals[col]; !ok {
				return // a part where the parent has no value
			}
		}
	}
	for col, m := range p.months {
		parent := postal.Fact{Month: m, Sheet: rep.Name, Series: postal.Series{
			Direction: postal.Direction(p.d.Direction), Partner: p.d.Partner,
			Category: postal.Category(p.d.Category), Marketplace: p.d.Marketplace,
		}}
		agg := rd.agg[parent.Key()]
		for _, pr := range parts {
			v, ok := pr.vals[col]
			if !ok {
				continue
			}
			f := parent
			if field == "marketplace" {
				f.Marketplace = pr.d.Marketplace
			} else {
				f.Partner = pr.d.Partner
			}
			if p.items {
				f.Items, f.HasItems = int64(v), true
				if agg != nil {
					agg.Items -= int64(v)
				}
			} else {
				f.WeightKg, f.HasWeight = v, true
				if agg != nil {
					agg.WeightKg -= v
				}
			}
			if a, ok := rd.agg[f.Key()]; ok {
				a.Fact.Add(f)
			} else {
				src := agg
				if src == nil {
					src = &aggFact{}
				}
				rd.agg[f.Key()] = &aggFact{Fact: f, r0: src.r0, r1: src.r1, c0: src.c0, c1: src.c1}
			}
		}
	}
	for _, pr := range parts {
		c := &t.table.Columns[pr.column]
		n := int64(len(pr.vals))
		c.Accounting.Parts -= n
		c.Accounting.Facts += n
		t.table.Accounting.Parts -= n
		t.table.Accounting.Facts += n
		c.Meaning = field + " part of the row above"
	}
}

// isPartsLead reports whether a row's label is only the words that open a
// list of parts (`в том числе:`, `из них`, `shu jumladan`, `of which:`).
func isPartsLead(vocab *postal.Matcher, label string) bool {
	w := readWords(vocab, label)
	return w.part && !w.total && w.d == (dims{}) && len(w.units) == 0 && !w.derived
}

// acrossValue reads one figure of a months-across row.
func (rd *reader) acrossValue(rep *SheetReport, c rawCell, cell string, unit postal.Unit, factor float64, t *acrossTable) (measureValue, bool) {
	items := unit == postal.UnitItems
	shown := map[string]string{"value": quote(strings.TrimSpace(c.Value))}
	var n Number
	var err error
	if key := fmtError(c); key != "" {
		rd.addError(newIssue(rep.Name, cell, key, shown))
		return measureValue{}, false
	}
	switch c.Kind {
	case kindNumber:
		n, err = rawNumber(c.Value)
	case kindString:
		n, err = parseMarks(c.Value, t.reading, t.dots)
	case kindBool:
		rd.addError(newIssue(rep.Name, cell, keyBoolean, map[string]string{"value": boolText(c.Value)}))
		return measureValue{}, false
	default:
		rd.addError(newIssue(rep.Name, cell, keyErrorValue, shown))
		return measureValue{}, false
	}
	switch err {
	case nil:
	case errNegative:
		rd.addError(newIssue(rep.Name, cell, keyNegative, shown))
		return measureValue{}, false
	case errTooBig:
		rd.addError(newIssue(rep.Name, cell, keyTooBig, shown))
		return measureValue{}, false
	default:
		shown["example"] = numberExample(t.reading, t.marks, t.lang)
		rd.addError(newIssue(rep.Name, cell, keyNotNumber, shown))
		return measureValue{}, false
	}
	if n.Unit != "" {
		// A unit written after the number must agree with the row's (section 6).
		if key := unitDisagrees(rd.vocab, n.Unit, unit); key != "" {
			rd.addError(newIssue(rep.Name, cell, key, map[string]string{"value": shown["value"], "unit": n.Unit, "example": numberExample(t.reading, t.marks, t.lang)}))
			return measureValue{}, false
		}
	}
	if n.Mark != "" {
		rd.warn(newIssue(rep.Name, cell, keyFootnote, map[string]string{
			"value": quote(strings.TrimSpace(c.Value)), "note": " " + n.Mark, "number": strconv.FormatFloat(n.Value, 'f', -1, 64),
		}))
	}
	mv := measureValue{items: items, digits: n.Decimals, factor: factor, value: n.Value * factor, mark: n.Mark}
	if items {
		if math.Abs(mv.value-math.Round(mv.value)) > 1e-9*math.Max(1, mv.value) {
			rd.addError(newIssue(rep.Name, cell, keyFractionalItems, shown))
			return measureValue{}, false
		}
		mv.value = math.Round(mv.value)
	}
	return mv, true
}

// footnoteAcross keeps nothing yet: marked cells are warned about as read.
func (rd *reader) footnoteAcross(_ *acrossTable, _ string) {}

// endAcross reports a finished table.
func (rd *reader) endAcross(rep *SheetReport, t *acrossTable) {
	t.table.Range = cellName(0, t.firstRow) + ":" + cellName(t.lastCol, t.lastRow)
	if len(t.cols) > 0 {
		first := t.cols[0].Col
		if t.label >= 0 {
			first = min(first, t.label)
		}
		t.table.Range = cellName(first, t.firstRow) + ":" + cellName(t.lastCol, t.lastRow)
	}
	if len(t.block.items) > 0 {
		t.table.Context = append(append([]ContextItem(nil), t.table.Context...), t.block.items...)
	}
	rep.Tables = append(rep.Tables, t.table)
}

func firstNonZero(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// contextItems lists what a context took, and from where.
func contextItems(vocab *postal.Matcher, rows []bufRow, sheetName string, c sheetContext) []ContextItem {
	// The outcome names where each value was taken (section 3): the title
	// cell that says it, else the sheet name if it does, else nothing.
	where := func(value string) string {
		for _, r := range rows {
			for _, cell := range r.Cells {
				if cell.Kind == kindString && strings.Contains(postal.Fold(cell.Value), value) {
					return cellName(cell.Col, r.Row)
				}
			}
		}
		if sheetName != "" && strings.Contains(postal.Fold(sheetName), value) {
			return "sheet name"
		}
		return ""
	}
	says := func(text, field, v string) bool {
		w := readWords(vocab, text)
		d := map[string]string{"direction": w.d.Direction, "partner": w.d.Partner, "category": w.d.Category, "marketplace": w.d.Marketplace}
		return d[field] == v
	}
	find := func(field, v string) string {
		for _, r := range rows {
			for _, cell := range r.Cells {
				if cell.Kind == kindString && says(cell.Value, field, v) {
					return cellName(cell.Col, r.Row)
				}
			}
		}
		if sheetName != "" && says(sheetName, field, v) {
			return "sheet name"
		}
		return ""
	}
	var out []ContextItem
	if c.Period != nil {
		out = append(out, ContextItem{Field: "period", Value: c.Period.Month.String(), From: where(strconv.Itoa(c.Period.Month.Year))})
	} else if c.Year != 0 {
		out = append(out, ContextItem{Field: "year", Value: strconv.Itoa(c.Year), From: where(strconv.Itoa(c.Year))})
	}
	for _, f := range []struct{ field, v string }{{"direction", c.Dims.Direction}, {"partner", c.Dims.Partner},
		{"category", c.Dims.Category}, {"marketplace", c.Dims.Marketplace}} {
		if f.v != "" {
			out = append(out, ContextItem{Field: f.field, Value: f.v, From: find(f.field, f.v)})
		}
	}
	return out
}

// firstMonth is the first month a text's tokens name, or 0.
func firstMonth(rd *reader, toks []string) int {
	for _, t := range toks {
		if n := rd.vocab.MonthNumber(t); n != 0 {
			return n
		}
	}
	return 0
}

// runningMonths reports whether a header row's period cells are running
// totals from January that follow each other (Январь, Январь–февраль,
// Январь–март …), whose differences give each month exactly.
func (rd *reader) runningMonths(r bufRow) bool {
	next, running := 1, 0
	for _, c := range r.Cells {
		m, nm, ok := rd.monthCell(c)
		switch {
		case ok && m.Month == 1 && next == 1:
			next = 2
		case nm == "running" && m.Month == next && next > 1:
			next++
			running++
		case ok || nm != "":
			return false
		}
	}
	return running >= 1
}

// isPeriodText reports whether a text is a period (`Июн 2025`), not a title.
func (rd *reader) isPeriodText(s string) bool {
	_, err := rd.periods.parseText(s)
	return err == nil
}

// mergedAcross reports a number merged over two or more month (or value)
// columns, or over two or more rows (measures), of a months-across body: one
// number cannot be two facts, and postdash does not guess how to split it.
func (rd *reader) mergedAcross(rep *SheetReport, t *acrossTable, r bufRow) bool {
	found := false
	for _, m := range t.mergesAt[r.Row] {
		i, ok := t.byCol[m.FirstCol]
		if !ok || !valueRole(t.cols[i].Role) || !numberAt(r.Cells, m.FirstCol) {
			continue
		}
		var first, last string
		for col := m.FirstCol; col <= m.LastCol; col++ {
			if j, ok := t.byCol[col]; ok && valueRole(t.cols[j].Role) {
				if first == "" {
					first = quote(t.cols[j].Text)
				} else {
					last = quote(t.cols[j].Text)
				}
			}
		}
		rd.addError(mergedIssue(rep.Name, m, first, last))
		found = true
	}
	return found
}

func valueRole(r role) bool {
	return r == rolePeriod || r == roleTotal || r == roleDerived || r == roleUnknown
}

// numberAt reports whether cells (in column order) hold a number in col.
func numberAt(cells []rawCell, col int) bool {
	for _, c := range cells {
		if c.Col == col {
			return !blank(c.Value) && isNumeric(c)
		}
	}
	return false
}

// mergedIssue is the error for one number merged over several cells: over
// the columns first and last when last is set, else over its rows.
func mergedIssue(sheet string, m mergeRange, first, last string) Issue {
	rng := cellName(m.FirstCol, m.FirstRow) + ":" + cellName(m.LastCol, m.LastRow)
	if last != "" {
		return newIssue(sheet, rng, keyMergedColumns, map[string]string{"range": rng, "first": first, "last": last})
	}
	return newIssue(sheet, rng, keyMergedRows, map[string]string{"range": rng, "first": strconv.Itoa(m.FirstRow + 1), "last": strconv.Itoa(m.LastRow + 1)})
}
