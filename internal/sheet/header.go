package sheet

import (
	"regexp"
	"strings"

	"postdash/internal/postal"
)

// headerSearchRows is how many rows from the top may hold the header.
const headerSearchRows = 30

// role is what a column holds.
type role int

const (
	roleIgnored role = iota
	rolePeriod
	roleYear
	roleMonth // with a year column: a month number or name
	roleDirection
	rolePartner
	roleCategory
	roleMarketplace
	roleMeasure
)

var roleNames = map[role]string{
	roleIgnored: "ignored", rolePeriod: "period", roleYear: "year", roleMonth: "month",
	roleDirection: "direction", rolePartner: "partner", roleCategory: "category",
	roleMarketplace: "marketplace", roleMeasure: "measure",
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
}

// column is what one column of a sheet was understood as.
type column struct {
	Col    int
	Header string
	Role   role
	Month  bool        // a period column named "month" (may pair with a year column)
	Unit   postal.Unit // measure: items, kg, t or g
	Dims   dims        // measure: dimensions its header names
	Total  bool        // a total column, not imported
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
		if c.Total {
			return "ignored (total)"
		}
		return roleNames[c.Role]
	}
	parts := []string{}
	for _, s := range []string{c.Dims.Category, c.Dims.Direction, c.Dims.Partner, c.Dims.Marketplace} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	u := string(c.Unit)
	if c.Unit == postal.UnitItems {
		u = "items"
	}
	return strings.Join(append(parts, u), " ")
}

// inUnit spots "in" used as a preposition before a unit ("Weight in kg"),
// as opposed to a direction ("Letters in, kg", "Letters In (kg)").
var inUnit = regexp.MustCompile(`(^|[^\pL])in (kg|t|g|tonnes|tons|grams|kilograms|pieces|items|pcs|units)($|[^\pL])`)

// classifyHeader decides what a column holds from its header text.
func classifyHeader(vocab *postal.Matcher, col int, text string) column {
	c := column{Col: col, Header: text}
	toks := postal.Tokens(postal.Fold(text))
	ms := vocab.LookupTokens(toks)
	var units []postal.Unit
	var d dims
	weakDirection := "" // "in" or "out": a preposition when another direction is named
	kinds := map[postal.Kind]postal.Match{}
	preposition := inUnit.MatchString(postal.Fold(text))
	for _, m := range ms {
		if preposition && m.Kind == postal.KindDirection && m.Phrase == "in" {
			continue // "Weight in kg": a preposition, not a direction
		}
		switch m.Kind {
		case postal.KindTotal:
			c.Total = true
		case postal.KindUnit:
			units = append(units, postal.Unit(m.Value))
		case postal.KindDirection:
			if m.Phrase == "in" || m.Phrase == "out" {
				weakDirection = firstOf(weakDirection, m.Value)
			} else {
				d.Direction = firstOf(d.Direction, m.Value)
			}
		case postal.KindPartner:
			d.Partner = firstOf(d.Partner, m.Value)
		case postal.KindCategory:
			d.Category = firstOf(d.Category, m.Value)
		case postal.KindMarketplace:
			d.Marketplace = firstOf(d.Marketplace, m.Value)
		default:
			if _, ok := kinds[m.Kind]; !ok {
				kinds[m.Kind] = m
			}
		}
	}
	d.Direction = firstOf(d.Direction, weakDirection) // "Parcels in transit" is transit
	if c.Total || strings.Contains(text, "%") {
		return c // totals and shares are not figures to import
	}
	if u := pickUnit(units); u != "" {
		c.Role, c.Unit, c.Dims = roleMeasure, u, d
		return c
	}
	for _, ck := range columnKinds {
		if m, ok := kinds[ck.kind]; ok {
			c.Role = ck.role
			c.Month = ck.role == rolePeriod && m.Value == "month"
			return c
		}
	}
	if d.Category != "" {
		// A category with no unit ("Parcels") counts items.
		c.Role, c.Unit, c.Dims = roleMeasure, postal.UnitItems, d
	}
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
	rank := map[postal.Unit]int{postal.UnitItems: 1, postal.UnitWeight: 2, postal.UnitKg: 3, postal.UnitTonne: 3, postal.UnitGram: 3}
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
	for _, m := range vocab.Lookup(text) {
		if m.Kind != postal.KindMonth && m.Kind != postal.KindTotal {
			return true
		}
	}
	return false
}

// bufRow is a row kept in memory while the header is looked for.
type bufRow struct {
	Row   int
	Cells []rawCell
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
		case i > 0 && rows[i-1].Row == r.Row-1 && isGroupRow(rows[i-1], r, merges):
			h.Upper = i - 1
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
		if c.Kind != kindString {
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
	for _, c := range lower.Cells {
		if lo < 0 {
			lo = c.Col
		}
		hi = c.Col
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
