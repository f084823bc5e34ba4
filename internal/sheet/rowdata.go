package sheet

import (
	"strconv"
	"strings"

	"postdash/internal/postal"
)

// data reads a data row: its measures, its period and dimensions, and adds
// one fact per series into the aggregate.
func (sr *sheetRows) data(r int) {
	lay := sr.lay
	vals := make([]measureValue, len(lay.measures))
	present := make([]bool, len(lay.measures))
	any, failed := false, false
	for i, m := range lay.measures {
		mv, ok, filled := sr.readMeasure(m, r, true)
		vals[i], present[i] = mv, ok
		any = any || ok
		failed = failed || (filled && !ok)
	}
	if !any && !failed {
		return // no figures: nothing to import, nothing wrong
	}
	sr.rd.res.Rows++
	sr.rep.Rows++
	month, okPeriod := sr.period(r)
	rowDims, okDims := sr.rowDims(r)
	if !okPeriod || !okDims || !any {
		return
	}
	type part struct {
		key  postal.Key
		fact postal.Fact
	}
	var parts []part
	for i, m := range lay.measures {
		if !present[i] {
			continue
		}
		col := lay.cols[m]
		d := col.Dims.merge(rowDims).merge(lay.context.Dims).merge(sr.defaults())
		if d.Category == "" {
			sr.errorAt(sr.categoryCol(col.Col), r, keyCategoryMissing, nil)
			continue
		}
		f := postal.Fact{Month: month, Sheet: sr.rep.Name, Series: postal.Series{
			Direction: postal.Direction(d.Direction), Partner: d.Partner,
			Category: postal.Category(d.Category), Marketplace: d.Marketplace,
		}}
		if vals[i].items {
			f.Items, f.HasItems = int64(vals[i].value), true
		} else {
			f.WeightKg, f.HasWeight = vals[i].value, true
		}
		sr.block[i] += vals[i].value
		sr.grand[i] += vals[i].value
		merged := false
		for j := range parts {
			if parts[j].key == f.Key() {
				parts[j].fact.Add(f)
				merged = true
				break
			}
		}
		if !merged {
			parts = append(parts, part{f.Key(), f})
		}
	}
	for _, p := range parts {
		if agg, ok := sr.rd.agg[p.key]; ok {
			agg.Add(p.fact)
		} else {
			f := p.fact
			sr.rd.agg[p.key] = &f
		}
		if len(sr.rep.Preview) < sr.rd.opts.PreviewRows {
			sr.rep.Preview = append(sr.rep.Preview, previewRow(p.fact))
		}
	}
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
	if i, ok := sr.lay.dimCols[roleCategory]; ok {
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
	lay := sr.lay
	switch {
	case lay.period >= 0:
		col := lay.cols[lay.period].Col
		c, ok := sr.cell(col)
		if !ok {
			if lay.context.Period != nil {
				return sr.checkRange(col, r, c, *lay.context.Period)
			}
			sr.errorAt(col, r, keyPeriodMissing, nil)
			return postal.Month{}, false
		}
		p, err := sr.parsePeriod(c)
		if err != nil {
			sr.periodError(col, r, c, err)
			return postal.Month{}, false
		}
		return sr.checkRange(col, r, c, p)
	case lay.month >= 0:
		return sr.yearMonth(r)
	default:
		return sr.checkRange(0, r, rawCell{}, *lay.context.Period)
	}
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
	if !inRange(p.Month, sr.rd.now) {
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
	y, err := strconv.ParseFloat(strings.TrimSpace(yc.Value), 64)
	if err != nil || y != float64(int(y)) || y < 1000 || y > 9999 || yc.Kind == kindBool || yc.Kind == kindError {
		sr.errorAt(ycol, r, keyYearInvalid, map[string]string{"value": quote(strings.TrimSpace(yc.Value))})
		return postal.Month{}, false
	}
	return sr.checkRange(mcol, r, mc, Period{Month: postal.Month{Year: int(y), Month: month}})
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
var dimRoles = []role{roleDirection, rolePartner, roleCategory, roleMarketplace}

// rowDims reads the row's dimension columns. Errors are recorded.
func (sr *sheetRows) rowDims(r int) (dims, bool) {
	var d dims
	ok := true
	for _, role := range dimRoles {
		i, used := sr.lay.dimCols[role]
		if !used {
			continue
		}
		col := sr.lay.cols[i].Col
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
	key := string(kind) + "\x00" + text
	if v, ok := sr.lookups[key]; ok {
		return v
	}
	v := ""
	for _, m := range sr.rd.vocab.Lookup(text) {
		if m.Kind != kind {
			continue
		}
		if v != "" && v != m.Value {
			v = ""
			break
		}
		v = m.Value
	}
	if len(sr.lookups) < maxLookupCache {
		sr.lookups[key] = v
	}
	return v
}
