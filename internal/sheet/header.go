package sheet

import (
	"regexp"
	"sort"
	"strconv"
	"strings"

	"postdash/internal/postal"
)

// headerSearchRows is how many rows from the top may hold the header.
const headerSearchRows = 30

// role is what a column holds.
type role int

const (
	roleIgnored role = iota // a stub or note column: never numbers to import
	rolePeriod
	roleYear
	roleMonth // with a year column: a month number or name
	roleDirection
	rolePartner
	roleCategory
	roleMarketplace
	roleMeasure
	roleTotal   // a total column: checked, not imported
	roleDerived // a %, growth or share: recognised and skipped
	roleUnknown // numbers here have no understood meaning: an error
	roleIndex   // № п/п: row numbers, not data
	roleUnit    // Ед. изм.: the unit of each row of a cross table
	roleLabel   // Показатель: what each row of a cross table is
	rolePart    // в т.ч. …: a part of the column before it
	roleDropped // a column a mapping ignores: its numbers are counted as ignored
)

var roleNames = map[role]string{
	roleIgnored: "ignored", rolePeriod: "period", roleYear: "year", roleMonth: "month",
	roleDirection: "direction", rolePartner: "partner", roleCategory: "category",
	roleMarketplace: "marketplace", roleMeasure: "measure", roleTotal: "total",
	roleDerived: "derived", roleUnknown: "unknown", roleIndex: "index", roleUnit: "unit",
	roleLabel: "label", rolePart: "part", roleDropped: "ignored",
}

// columnKinds maps vocabulary kinds that name a column to the role they give,
// in order of precedence.
var columnKinds = []struct {
	kind postal.Kind
	role role
}{
	{postal.KindPeriodColumn, rolePeriod},
	{postal.KindYearColumn, roleYear},
	{postal.KindDirectionColumn, roleDirection},
	{postal.KindPartnerColumn, rolePartner},
	{postal.KindCategoryColumn, roleCategory},
	{postal.KindMarketplaceColumn, roleMarketplace},
	{postal.KindIndexColumn, roleIndex},
	{postal.KindUnitColumn, roleUnit},
	{postal.KindLabelColumn, roleLabel},
}

// column is what one column of a sheet was understood as.
type column struct {
	Col    int
	Header string
	Role   role
	Month  bool        // a period column named "month" (may pair with a year column)
	Unit   postal.Unit // measure: items, kg, t, g or lb
	Factor float64     // measure: a multiplier of the unit (тыс. т: 1000), 1 when none
	Dims   dims        // measure: dimensions its header names
	Year   int         // measure: the year its header names (`2025 год, т`), or 0
	Bare   bool        // measure: its header names only a unit (`кг`, `Weight, kg`)
	Why    string      // unknown: the message key saying why
	// WhyArgs: more placeholders of the Why message (the two readings of a
	// header that names two things).
	WhyArgs map[string]string
	// Running: a measure of running totals from January; each month is
	// its difference from the month before.
	Running bool
}

// isBody reports whether a column's cells are body cells (figures), whose
// numbers are accounted for, rather than stub cells (periods, dimensions).
func (c column) isBody() bool {
	switch c.Role {
	case roleMeasure, roleTotal, roleDerived, roleUnknown, rolePart, roleDropped:
		return true
	}
	return false
}

// dims are the dimensions of a series that a header, a row or a title gives.
type dims struct {
	Direction, Partner, Category, Marketplace string
}

// merge fills the empty fields of d from o.
func (d dims) merge(o dims) dims {
	if d.Direction == "" {
		d.Direction = o.Direction
	}
	if d.Partner == "" {
		d.Partner = o.Partner
	}
	if d.Category == "" {
		d.Category = o.Category
	}
	if d.Marketplace == "" {
		d.Marketplace = o.Marketplace
	}
	return d
}

// named reports whether a header names any dimension (a wide layout).
func (d dims) named() bool { return d != dims{} }

// meaning describes a column for the report.
func (c column) meaning() string {
	if c.Role != roleMeasure {
		return roleNames[c.Role]
	}
	parts := []string{}
	for _, s := range []string{c.Dims.Category, c.Dims.Direction, c.Dims.Partner, c.Dims.Marketplace} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if c.Year != 0 {
		parts = append(parts, strconv.Itoa(c.Year))
	}
	u := string(c.Unit)
	if c.Factor > 1 {
		u = strconv.FormatFloat(c.Factor, 'f', -1, 64) + " " + u
	}
	return strings.Join(append(parts, u), " ")
}

// factField is the fact a measure column gives, without its unit: its
// dimensions and items or weight_kg (what two columns of one flow share).
func (c column) factField() string {
	parts := []string{}
	for _, s := range []string{c.Dims.Category, c.Dims.Direction, c.Dims.Partner, c.Dims.Marketplace} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if c.Year != 0 {
		parts = append(parts, strconv.Itoa(c.Year))
	}
	if c.Unit == postal.UnitItems {
		return strings.Join(append(parts, "items"), " ")
	}
	return strings.Join(append(parts, "weight_kg"), " ")
}

// inUnit spots "in" used as a preposition before a unit ("Weight in kg"),
// as opposed to a direction ("Letters in, kg", "Letters In (kg)").
var inUnit = regexp.MustCompile(`(^|[^\pL])in (kg|t|g|tonnes|tons|grams|kilograms|pieces|items|pcs|units|lb|lbs|pounds|thousands?)($|[^\pL])`)

// headerWords is what the words of a header (or a stub label, or a title) say.
type headerWords struct {
	units    []postal.Unit
	factor   float64
	d        dims
	total    bool
	part     bool
	derived  bool
	notMonth string // quarter, half, running
	kinds    map[postal.Kind]postal.Match
	leftover int // tokens no phrase explains (digits and year words aside)
	year     int
	lang     string
	unitTail bool // the text after its last comma names something known
	hasTail  bool // the header has a text after a comma or in brackets
	// tailUnknown: the unit position (after the last comma, or in the last
	// brackets) names a unit but also holds a word that is not known
	// (`кол-во мешков`: a count of bags, not of parcels).
	tailUnknown string
	// conflict: the words give two values of one dimension or two units
	// (`Письма и посылки`): the header cannot be read (contract §0).
	conflict *wordConflict
}

// wordConflict is a header whose words give two different values of one
// dimension (two categories, two directions, two partners, two
// marketplaces) or two units.
type wordConflict struct {
	what          string // category, direction, partner, marketplace, unit
	first, second string // the words, as read, with their meaning
}

// reading is a word of a header with its meaning, for a message.
func reading(phrase, value string) string {
	if value == "" || strings.EqualFold(phrase, value) {
		return quote(phrase)
	}
	return quote(phrase) + " (" + value + ")"
}

// readWords reads what a text's words say.
func readWords(vocab *postal.Matcher, text string) headerWords {
	folded := postal.Fold(text)
	toks := postal.Tokens(folded)
	ms := vocab.LookupTokens(toks)
	w := headerWords{factor: 1, kinds: map[postal.Kind]postal.Match{}}
	weakDirection := "" // "in" or "out": a preposition when another direction is named
	preposition := inUnit.MatchString(folded)
	used := make([]bool, len(toks))
	langs := map[string]int{}
	seen := map[string][2]string{} // dimension: the phrase and value first read
	note := func(what, phrase, value string) {
		first, ok := seen[what]
		switch {
		case !ok:
			seen[what] = [2]string{phrase, value}
		case first[1] != value && w.conflict == nil:
			w.conflict = &wordConflict{what: what, first: reading(first[0], first[1]), second: reading(phrase, value)}
		}
	}
	for _, m := range ms {
		if preposition && m.Kind == postal.KindDirection && m.Phrase == "in" {
			used[m.Start] = true
			continue // "Weight in kg": a preposition, not a direction
		}
		for t := m.Start; t < m.End; t++ {
			used[t] = true
		}
		if m.Kind != postal.KindMonth && m.Kind != postal.KindTotal && m.Phrase != "EMS" {
			langs[m.Lang]++
		}
		switch m.Kind {
		case postal.KindTotal:
			w.total = true
		case postal.KindPart:
			w.part = true
		case postal.KindDerived:
			w.derived = true
		case postal.KindNotMonth:
			w.notMonth = firstOf(w.notMonth, m.Value)
		case postal.KindMultiplier:
			f, _ := strconv.ParseFloat(m.Value, 64)
			w.factor *= f
		case postal.KindUnit:
			w.units = append(w.units, postal.Unit(m.Value))
			if u := conflictUnit(m); u != "" {
				note("unit", spanText(toks, m.Start, m.End), u)
			}
		case postal.KindDirection:
			if m.Phrase == "in" || m.Phrase == "out" {
				weakDirection = firstOf(weakDirection, m.Value)
			} else {
				w.d.Direction = firstOf(w.d.Direction, m.Value)
				note("direction", spanText(toks, m.Start, m.End), m.Value)
			}
		case postal.KindPartner:
			w.d.Partner = firstOf(w.d.Partner, m.Value)
			note("partner", spanText(toks, m.Start, m.End), m.Value)
			if dir := directionAround(toks, m); dir != "" {
				w.d.Direction = firstOf(w.d.Direction, dir)
				from := m.Start
				if m.Start > 0 && isPreposition(toks[m.Start-1]) {
					used[m.Start-1] = true
					from = m.Start - 1
				}
				note("direction", spanText(toks, from, m.End), dir)
			}
		case postal.KindCategory:
			w.d.Category = firstOf(w.d.Category, m.Value)
			note("category", spanText(toks, m.Start, m.End), m.Value)
		case postal.KindMarketplace:
			w.d.Marketplace = firstOf(w.d.Marketplace, m.Value)
			note("marketplace", spanText(toks, m.Start, m.End), m.Value)
		default:
			if _, ok := w.kinds[m.Kind]; !ok {
				w.kinds[m.Kind] = m
			}
		}
	}
	w.d.Direction = firstOf(w.d.Direction, weakDirection) // "Parcels in transit" is transit
	if strings.Contains(text, "%") {
		w.derived = true
	}
	for i, t := range toks {
		if used[i] {
			continue
		}
		if allDigits(t) {
			if len(t) == 4 && t >= "1990" && t <= "2100" {
				w.year = atoi(t)
			}
			continue
		}
		if isYearWord(t) || isFiller(t) {
			continue
		}
		w.leftover++
	}
	best := 0
	for l, n := range langs {
		if n > best || n == best && l < w.lang {
			w.lang, best = l, n
		}
	}
	if tail := unitTail(text); tail != "" {
		w.hasTail = true
		for _, m := range vocab.Lookup(tail) {
			if m.Kind != postal.KindMonth {
				w.unitTail = true
			}
		}
		tailToks := postal.Tokens(postal.Fold(tail))
		for _, t := range tailToks {
			if allDigits(t) || isYearWord(t) {
				w.unitTail = true
			}
		}
		w.tailUnknown = unknownInTail(vocab, tailToks)
	}
	return w
}

// unknownInTail returns a word of a header's unit position that no phrase
// explains, when that position names a unit (`кол-во мешков`: bags, not
// items), or "".
func unknownInTail(vocab *postal.Matcher, toks []string) string {
	ms := vocab.LookupTokens(toks)
	used := make([]bool, len(toks))
	unit := false
	for _, m := range ms {
		if m.Kind == postal.KindUnit {
			unit = true
		}
		for t := m.Start; t < m.End; t++ {
			used[t] = true
		}
	}
	if !unit {
		return ""
	}
	for i, t := range toks {
		if used[i] || allDigits(t) || isYearWord(t) || isFiller(t) {
			continue
		}
		return t
	}
	return ""
}

// conflictUnit is the unit a unit phrase gives, for telling two units
// apart: "" for the bare word weight (`Вес, кг` is one unit) and for a
// lone `г`/`g`, which is also the year's abbreviation (`2025 г., т`).
func conflictUnit(m postal.Match) string {
	switch {
	case postal.Unit(m.Value) == postal.UnitWeight:
		return ""
	case postal.Unit(m.Value) == postal.UnitGram && m.End-m.Start == 1 && len([]rune(m.Phrase)) == 1:
		return ""
	}
	return m.Value
}

// spanText is the folded words of tokens [from, to), for a message.
func spanText(toks []string, from, to int) string { return strings.Join(toks[from:to], " ") }

// unitTail is the text after a header's last comma, or inside its last
// brackets, where sheets write the unit (`Посылки, шт`, `Weight (kg)`).
func unitTail(text string) string {
	if i := strings.LastIndex(text, "("); i >= 0 {
		if j := strings.Index(text[i:], ")"); j > 0 {
			return strings.TrimSpace(text[i+1 : i+j])
		}
	}
	if i := strings.LastIndex(text, ","); i >= 0 {
		return strings.TrimSpace(text[i+1:])
	}
	return ""
}

// fillers are short words that say nothing about a figure's meaning.
var fillers = map[string]bool{
	"of": true, "the": true, "and": true, "in": true, "per": true, "by": true, "all": true,
	"и": true, "за": true, "по": true, "на": true, "va": true, "ва": true, "bo'yicha": true, "бўйича": true,
	"до": true, "шт": true, "ед": true, "no": true, "n": true,
}

func isFiller(t string) bool { return fillers[t] || len([]rune(t)) == 1 }

// isPreposition reports whether a folded token is a preposition of direction.
func isPreposition(t string) bool {
	for _, w := range postal.DirectionWords {
		if w.Before != "" && w.Before == t {
			return true
		}
	}
	return false
}

// directionAround reads a direction from a preposition before a partner or
// a case ending on it (`из Китая`, `Xitoydan`).
func directionAround(toks []string, m postal.Match) string {
	last := toks[m.End-1]
	for _, w := range postal.DirectionWords {
		if w.Before != "" && m.Start > 0 && toks[m.Start-1] == w.Before {
			return string(w.Direction)
		}
		if w.Suffix != "" && strings.HasSuffix(last, w.Suffix) && len([]rune(last)) > len([]rune(w.Suffix))+3 {
			return string(w.Direction)
		}
	}
	return ""
}

// yearHeader is the year a header names and nothing else (`2025`, `2025
// год`, `2025-yil`), or 0.
func yearHeader(text string) int {
	toks := postal.Tokens(postal.Fold(text))
	isYear := func(t string) bool { return len(t) == 4 && allDigits(t) && t >= "1990" && t <= "2100" }
	switch {
	case len(toks) == 1 && isYear(toks[0]):
		return atoi(toks[0])
	case len(toks) == 2 && isYear(toks[0]) && isYearWord(toks[1]):
		return atoi(toks[0]) // 2025 год; but `2025 год, г` is grams of 2025
	case len(toks) == 2 && isYearWord(toks[0]) && isYear(toks[1]):
		return atoi(toks[1])
	}
	return 0
}

// classifyHeader decides what a column holds from its header text.
func classifyHeader(vocab *postal.Matcher, col int, text string) column {
	c := column{Col: col, Header: text, Factor: 1}
	if t := strings.TrimSpace(text); strings.HasPrefix(t, "№") || t == "#" {
		c.Role = roleIndex // № п/п: row numbers
		return c
	}
	if y := yearHeader(text); y != 0 {
		// A year alone: a measure whose meaning (category, unit) the title gives.
		c.Role, c.Year, c.Bare = roleMeasure, y, true
		return c
	}
	w := readWords(vocab, text)
	switch {
	case w.part:
		c.Role = rolePart // `в т.ч. АлиЭкспресс`: inside the column before it, never counted twice
		return c
	case w.total:
		c.Role = roleTotal
		return c
	case w.derived:
		c.Role = roleDerived
		return c
	}
	if w.conflict != nil {
		// Two categories, directions, partners, marketplaces or units in one
		// header: postdash does not take the first (contract §0).
		c.Role, c.Why = roleUnknown, keyHeaderConflict
		c.WhyArgs = map[string]string{"first": w.conflict.first, "second": w.conflict.second}
		return c
	}
	if u := pickUnit(w.units); u != "" {
		c.Role, c.Unit, c.Dims, c.Factor, c.Year = roleMeasure, u, w.d, w.factor, w.year
		c.Bare = !w.d.named() && w.leftover == 0
		if w.hasTail && !w.unitTail {
			c.Role, c.Why = roleUnknown, keyUnitUnknown
		}
		if w.tailUnknown != "" {
			// `кол-во мешков`: a count of something that is not known.
			c.Role, c.Why = roleUnknown, keyUnitWordUnknown
			c.WhyArgs = map[string]string{"word": quote(w.tailUnknown)}
		}
		return c
	}
	for _, ck := range columnKinds {
		if m, ok := w.kinds[ck.kind]; ok {
			c.Role = ck.role
			c.Month = ck.role == rolePeriod && m.Value == "month"
			return c
		}
	}
	if w.d.Category != "" {
		if w.hasTail && !w.unitTail {
			c.Role, c.Why = roleUnknown, keyUnitUnknown
			return c
		}
		// A category with no unit ("Parcels"): no default unit (contract §0).
		c.Role, c.Why, c.Dims = roleUnknown, keyUnitMissing, w.d
		return c
	}
	c.Role = roleUnknown
	return c
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// pickUnit chooses among the units a header names: a mass symbol (kg, t, g)
// beats the bare word weight, which beats items.
func pickUnit(units []postal.Unit) postal.Unit {
	best := postal.Unit("")
	rank := map[postal.Unit]int{postal.UnitItems: 1, postal.UnitWeight: 2, postal.UnitKg: 3, postal.UnitTonne: 3, postal.UnitGram: 3, postal.UnitPound: 3}
	for _, u := range units {
		if rank[u] > rank[best] {
			best = u
		}
	}
	if best == postal.UnitWeight {
		return postal.UnitKg
	}
	return best
}

// namesColumn reports whether a header cell names at least one known column
// or value (section 5), which is what makes a row a header.
func namesColumn(vocab *postal.Matcher, text string) bool {
	if yearHeader(text) != 0 {
		return true // `2025`, `2025 год`: the year of the figures below
	}
	for _, m := range vocab.Lookup(text) {
		if m.Kind != postal.KindMonth && m.Kind != postal.KindTotal {
			return true
		}
	}
	return false
}

// bufRow is a row kept in memory while the header is looked for.
type bufRow struct {
	Row    int
	Cells  []rawCell
	Hidden bool // the sheet hides the row
}

// rowIsHidden reports whether it says its current row is hidden.
func rowIsHidden(it rowIter) bool {
	h, ok := it.(hiddenRowRows)
	return ok && h.rowHidden()
}

func (r bufRow) cell(col int) (rawCell, bool) {
	for _, c := range r.Cells {
		if c.Col == col {
			return c, true
		}
		if c.Col > col {
			break
		}
	}
	return rawCell{}, false
}

// headerRows is the result of finding the header: the row (or two rows) and
// the index in the buffer of the first row below it.
type headerRows struct {
	Upper, Lower int // buffer indexes; Upper == Lower for a one-row header
	Next         int // buffer index of the first data row
	Texts        map[int]string
}

// findHeader looks for the header among the buffered top rows.
func findHeader(vocab *postal.Matcher, rows []bufRow, merges []mergeRange) (headerRows, bool) {
	for i, r := range rows {
		if r.Row >= headerSearchRows {
			break // the first 30 rows of the sheet, empty ones counted
		}
		known := 0
		for _, c := range r.Cells {
			if c.Kind == kindString && namesColumn(vocab, c.Value) {
				known++
			}
		}
		if known < 2 {
			continue
		}
		h := headerRows{Upper: i, Lower: i, Next: i + 1}
		switch {
		case i+1 < len(rows) && rows[i+1].Row == r.Row+1 && isSubHeader(vocab, rows[i+1]):
			h.Lower, h.Next = i+1, i+2
			if i+2 < len(rows) && rows[i+2].Row == r.Row+2 && isSubHeader(vocab, rows[i+2]) {
				h.Lower, h.Next = i+2, i+3 // a third header row
			}
		case i > 0 && rows[i-1].Row == r.Row-1 && isGroupRow(rows[i-1], r, merges):
			h.Upper = i - 1
		}
		if h.Lower-h.Upper == 2 {
			// Three rows: the middle row's groups over the lowest, then the
			// top row's groups over both.
			mid := headerTexts(rows[h.Upper+1], rows[h.Lower], merges)
			joined := bufRow{Row: rows[h.Lower].Row}
			cols := make([]int, 0, len(mid))
			for c := range mid {
				cols = append(cols, c)
			}
			sort.Ints(cols)
			for _, c := range cols {
				joined.Cells = append(joined.Cells, rawCell{Col: c, Kind: kindString, Value: mid[c]})
			}
			h.Texts = headerTexts(rows[h.Upper], joined, merges)
			return h, true
		}
		h.Texts = headerTexts(rows[h.Upper], rows[h.Lower], merges)
		return h, true
	}
	return headerRows{}, false
}

// isSubHeader reports whether a row below a header is a second header row:
// only text, none of it a number or a period, some of it known words.
func isSubHeader(vocab *postal.Matcher, r bufRow) bool {
	known := false
	for _, c := range r.Cells {
		if blank(c.Value) {
			continue // styled empty cells are empty
		}
		if c.Kind != kindString {
			return false
		}
		if _, err := ParseNumber(c.Value); err == nil || err == errNegative {
			return false
		}
		if _, err := (periodParser{vocab: vocab}).parseText(c.Value); err == nil {
			return false // a data row with a period and text, not a sub-header
		}
		if namesColumn(vocab, c.Value) {
			known = true
		}
	}
	return known
}

// isGroupRow reports whether the row above a header holds merged group titles
// (not one title over the whole table).
func isGroupRow(up, header bufRow, merges []mergeRange) bool {
	if len(header.Cells) == 0 {
		return false
	}
	lo, hi := header.Cells[0].Col, header.Cells[len(header.Cells)-1].Col
	groups := 0
	for _, m := range merges {
		if m.FirstRow != up.Row || m.LastCol == m.FirstCol {
			continue
		}
		if m.FirstCol <= lo && m.LastCol >= hi {
			return false // a title spanning the table
		}
		groups++
	}
	for _, c := range up.Cells {
		if c.Kind != kindString && !blank(c.Value) {
			return false
		}
	}
	return groups > 0
}

// headerTexts joins each column's group title (upper row) and its own text.
func headerTexts(upper, lower bufRow, merges []mergeRange) map[int]string {
	texts := map[int]string{}
	for _, c := range lower.Cells {
		texts[c.Col] = cellText(c)
	}
	if upper.Row == lower.Row {
		return texts
	}
	lo, hi := -1, -1
	for _, r := range []bufRow{upper, lower} {
		for _, c := range r.Cells {
			if blank(c.Value) {
				continue
			}
			if lo < 0 || c.Col < lo {
				lo = c.Col
			}
			hi = max(hi, c.Col)
		}
	}
	group := map[int]string{}
	covered := map[int]bool{}
	for _, m := range merges {
		if m.FirstRow != upper.Row || m.LastCol == m.FirstCol {
			continue
		}
		if lo >= 0 && m.FirstCol <= lo && m.LastCol >= hi {
			continue // a title over the whole table is not a group
		}
		top, ok := upper.cell(m.FirstCol)
		for col := m.FirstCol; col <= m.LastCol; col++ {
			covered[col] = true
			if ok {
				group[col] = cellText(top)
			}
		}
	}
	lastGroup, lastCol := "", -1
	for _, c := range upper.Cells {
		if !covered[c.Col] {
			group[c.Col] = cellText(c)
		}
	}
	if len(merges) == 0 {
		// No merges (CSV, some exports): a group title runs right over the
		// empty cells until the next title, where sub-headers sit below.
		maxCol := hi
		for _, c := range upper.Cells {
			maxCol = max(maxCol, c.Col)
		}
		for col := 0; col <= maxCol; col++ {
			if t, ok := group[col]; ok {
				lastGroup, lastCol = t, col
				continue
			}
			if _, sub := texts[col]; sub && lastCol >= 0 {
				if _, topSub := texts[lastCol]; topSub {
					group[col] = lastGroup
				}
			}
		}
	}
	for col, g := range group {
		if t, ok := texts[col]; ok && t != "" {
			texts[col] = strings.TrimSpace(g + " " + t)
		} else {
			texts[col] = g
		}
	}
	return texts
}

// cellText is a cell's value as text, trimmed.
func cellText(c rawCell) string { return strings.TrimSpace(c.Value) }
