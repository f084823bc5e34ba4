package sheet

import (
	"sort"
	"strconv"

	"postdash/internal/postal"
)

// layout is how a sheet's columns are read.
type layout struct {
	// runningStubs: the period column holds running totals from January
	// (`Январь 2025`, `Январь–февраль 2025` …); each row reads as its last month.
	runningStubs bool

	name     string // "long" or "wide"
	cols     []column
	period   int // column index into cols, -1 when none
	year     int
	month    int
	dimCols  map[role]int // direction, partner, category, marketplace -> index into cols
	measures []int        // indexes into cols
	context  sheetContext
	maxCol   int
	colYears bool          // some measure's header names its year
	lang     string        // the language most header words are in
	mapping  *MappingRef   // the mapping applied to the table, if any
	mapNotes []mappingNote // its choices the header contradicts
}

// planLayout decides what every column is. It returns the note key of the
// reason the sheet cannot be read, or "".
func planLayout(vocab *postal.Matcher, texts map[int]string, sctx sheetContext, maps *mappingSet) (layout, string) {
	lay := layout{period: -1, year: -1, month: -1, dimCols: map[role]int{}, context: sctx}
	colNums := make([]int, 0, len(texts))
	for c := range texts {
		colNums = append(colNums, c)
	}
	sort.Ints(colNums)
	langs := map[string]int{}
	for _, c := range colNums {
		lay.cols = append(lay.cols, classifyHeader(vocab, c, texts[c]))
		lay.maxCol = max(lay.maxCol, c)
		if l := readWords(vocab, texts[c]).lang; l != "" {
			langs[l]++
		}
	}
	for l, n := range langs {
		if n > langs[lay.lang] || n == langs[lay.lang] && l < lay.lang {
			lay.lang = l
		}
	}
	if m := maps.forTable(texts); m != nil {
		applyMapping(vocab, &lay, m)
	}
	hasYear := false
	for _, c := range lay.cols {
		hasYear = hasYear || c.Role == roleYear
	}
	wide := false
	for i := range lay.cols {
		c := &lay.cols[i]
		switch c.Role {
		case rolePeriod:
			// With a year column, a period column gives the month (or a full
			// date, which wins over the year).
			switch {
			case hasYear && lay.month < 0:
				c.Role, lay.month = roleMonth, i
			case !hasYear && lay.period < 0:
				lay.period = i
			default:
				c.Role = roleIgnored
			}
		case roleYear:
			if lay.year >= 0 {
				c.Role = roleIgnored
			} else {
				lay.year = i
			}
		case roleDirection, rolePartner, roleCategory, roleMarketplace:
			if _, ok := lay.dimCols[c.Role]; ok {
				c.Role = roleIgnored
			} else {
				lay.dimCols[c.Role] = i
			}
		case roleMeasure:
			lay.colYears = lay.colYears || c.Year != 0
			lay.measures = append(lay.measures, i)
			wide = wide || c.Dims.named()
		}
	}
	if lay.period >= 0 || lay.year < 0 || lay.month < 0 {
		// A year column is used only with a month column, and a period column wins.
		if lay.month >= 0 && lay.period < 0 {
			lay.cols[lay.month].Role, lay.period, lay.month = rolePeriod, lay.month, -1
		}
		if lay.month >= 0 {
			lay.cols[lay.month].Role, lay.month = roleIgnored, -1
		}
		if lay.year >= 0 {
			lay.cols[lay.year].Role, lay.year = roleIgnored, -1
		}
	}
	lay.name = "long"
	if wide {
		lay.name = "wide"
	}
	switch {
	case lay.period < 0 && lay.month < 0 && sctx.Period == nil && len(lay.measures) > 0:
		return lay, keyNoPeriod
	case len(lay.measures) == 0 && lay.undecided():
		return lay, "" // its figures are errors the analyst resolves by a mapping
	case len(lay.measures) == 0:
		return lay, keyNoMeasure
	case lay.period < 0 && lay.month < 0 && sctx.Period == nil:
		return lay, keyNoPeriod
	}
	for _, i := range lay.measures {
		if c := &lay.cols[i]; c.Unit == "" {
			// A column headed by a year alone: the title says what it counts.
			c.Unit, c.Factor = sctx.Unit, max(sctx.Factor, 1)
			if c.Unit == "" {
				c.Role, c.Why = roleUnknown, keyColumnUnknown
			}
		}
	}
	kept := lay.measures[:0]
	for _, i := range lay.measures {
		if lay.cols[i].Role == roleMeasure {
			kept = append(kept, i)
		}
	}
	lay.measures = kept
	if len(lay.measures) == 0 && !lay.undecided() {
		return lay, keyNoMeasure
	}
	shareCategory(&lay)
	if _, ok := lay.dimCols[roleCategory]; !ok && sctx.Dims.Category == "" {
		// No default category: a measure that names none, where nothing else
		// names one, has no understood meaning.
		kept := lay.measures[:0]
		for _, i := range lay.measures {
			if c := &lay.cols[i]; c.Dims.Category == "" {
				c.Role, c.Why = roleUnknown, keyColumnNoCategory
				if !c.Bare && !c.Dims.named() {
					c.Why = keyColumnUnknown // words of its own that name nothing
				}
				continue
			}
			kept = append(kept, i)
		}
		lay.measures = kept
		if len(kept) == 0 && !lay.undecided() {
			return lay, keyNoCategory
		}
	}
	return lay, ""
}

// undecided reports whether a table whose columns give no figure to import
// has, with a period, a column whose header names part of a figure's
// meaning (a unit, a category) but not all of it: its numbers are errors
// that a mapping resolves (contract section 0), not a sheet to skip.
func (l layout) undecided() bool {
	if l.period < 0 && l.month < 0 && l.context.Period == nil {
		return false
	}
	for _, c := range l.cols {
		if c.Role != roleUnknown || c.Year != 0 && c.Bare {
			continue // a year alone (`2025`) says nothing of what it counts
		}
		switch c.Why {
		case keyUnitMissing, keyUnitUnknown, keyColumnNoCategory, keyUnitWordUnknown, keyHeaderConflict:
			return true
		}
	}
	return false
}

// sameSource finds two measure columns that would give the same value of the
// same fact (a lbs and a tonnes column of one flow): the reader refuses to
// choose. It returns their indexes into cols, or -1, -1.
func (l layout) sameSource() (int, int) {
	type key struct {
		d     dims
		items bool
		year  int
	}
	seen := map[key]int{}
	for _, i := range l.measures {
		c := l.cols[i]
		k := key{c.Dims, c.Unit == postal.UnitItems, c.Year}
		if j, ok := seen[k]; ok {
			return j, i
		}
		seen[k] = i
	}
	return -1, -1
}

// shareCategory gives measure columns whose header names only a unit
// ("Weight, kg") the category the other measure headers name, when they all
// name the same one ("Parcels, pcs" next to "Weight, kg"). A header with
// words of its own that name no category ("Foo bar qty") gets none.
func shareCategory(lay *layout) {
	cat := ""
	for _, i := range lay.measures {
		c := lay.cols[i].Dims.Category
		if c != "" && cat != "" && c != cat {
			return
		}
		cat = firstOf(cat, c)
	}
	for _, i := range lay.measures {
		if c := &lay.cols[i]; c.Dims.Category == "" && c.Bare {
			c.Dims.Category = cat
		}
	}
}

// report lists the columns for the sheet report; headerRow is 0-based.
func (l layout) report(headerRow int) []Column {
	out := make([]Column, 0, len(l.cols))
	for _, c := range l.cols {
		out = append(out, Column{Cell: cellName(c.Col, headerRow), Header: c.Header, Meaning: c.meaning()})
	}
	return out
}

// cellName is the A1 name of a 0-based column and row.
func cellName(col, row int) string {
	return colName(col) + strconv.Itoa(row+1)
}

// colName is the letters of a 0-based column (0 is A, 26 is AA).
func colName(col int) string {
	if col < 0 {
		return "?"
	}
	var b []byte
	for col >= 0 {
		b = append([]byte{byte('A' + col%26)}, b...)
		col = col/26 - 1
	}
	return string(b)
}
