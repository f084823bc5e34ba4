package sheet

import (
	"math"

	"postdash/internal/postal"
)

// Parts of a row with months down the rows (`январь 2025 | 100`, then
// `в т.ч. АлиЭкспресс | 60`): contract §4 makes each part a fact with its
// own dimension when the parts and a remainder add up to the parent, the
// remainder keeping the parent's dimensions with that value empty, exactly
// as months across do (resolveParts). Otherwise the parent row stays the
// fact and the parts are only counted as parts.

// downParentVal is what one measure of the last data row made.
type downParentVal struct {
	has   bool
	fact  postal.Fact // with this measure's value only
	value float64
	items bool
}

// downPart is one part row below a parent.
type downPart struct {
	d    dims
	vals map[int]float64 // by measure index (into lay.measures)
	r    int
	bad  bool // a figure in error: the parts are not split
}

// rememberParent records what measure i of data row r made, for the part
// rows that may follow it.
func (sr *sheetRows) rememberParent(i int, f postal.Fact, value float64, items bool) {
	if len(sr.parentVals) != len(sr.lay.measures) {
		sr.parentVals = make([]downParentVal, len(sr.lay.measures))
	}
	sr.parentVals[i] = downParentVal{has: true, fact: f, value: value, items: items}
}

// forgetParent starts a data row: the row above is no longer the parent.
func (sr *sheetRows) forgetParent() {
	sr.parentOK = false
	for i := range sr.parentVals {
		sr.parentVals[i].has = false
	}
}

// notePart keeps a part row of the current parent.
func (sr *sheetRows) notePart(r int, text string) {
	if !sr.parentOK {
		return
	}
	p := downPart{d: readWords(sr.rd.vocab, text).d, vals: map[int]float64{}, r: r}
	for i, m := range sr.lay.measures {
		mv, ok, filled := sr.readMeasure(m, r, false)
		switch {
		case ok:
			p.vals[i] = mv.value
		case filled:
			p.bad = true
		}
	}
	sr.downParts = append(sr.downParts, p)
}

// resolveDownParts splits the parent row into its parts, when they add up.
func (sr *sheetRows) resolveDownParts() {
	parts := sr.downParts
	sr.downParts = sr.downParts[:0]
	if len(parts) == 0 || !sr.parentOK {
		return
	}
	field := ""
	for _, pr := range parts {
		if pr.bad {
			return
		}
		f := ""
		for i := range pr.vals {
			pv := sr.parentVals[i]
			if !pv.has {
				return // a part where the parent has no value
			}
			g := ""
			switch {
			case pr.d.Marketplace != "" && pv.fact.Marketplace == "":
				g = "marketplace"
			case pr.d.Partner != "" && pv.fact.Partner == "":
				g = "partner"
			}
			if g == "" || f != "" && g != f || pr.d.Category != "" && pr.d.Category != string(pv.fact.Category) {
				return
			}
			f = g
		}
		if f == "" || field != "" && f != field {
			return
		}
		field = f
	}
	for i, pv := range sr.parentVals {
		if !pv.has {
			continue
		}
		sum := 0.0
		for _, pr := range parts {
			sum += pr.vals[i]
		}
		if sum > pv.value+1e-9*math.Max(1, pv.value) {
			return // the parts exceed the parent: they do not add up
		}
	}
	for _, pr := range parts {
		for i, v := range pr.vals {
			pv := sr.parentVals[i]
			parent := sr.rd.agg[pv.fact.Key()]
			f := pv.fact
			f.Items, f.HasItems, f.WeightKg, f.HasWeight = 0, false, 0, false
			if field == "marketplace" {
				f.Marketplace = pr.d.Marketplace
			} else {
				f.Partner = pr.d.Partner
			}
			if pv.items {
				f.Items, f.HasItems = int64(math.Round(v)), true
				if parent != nil {
					parent.Items -= f.Items
				}
			} else {
				f.WeightKg, f.HasWeight = v, true
				if parent != nil {
					parent.WeightKg -= v
				}
			}
			col := sr.lay.cols[sr.lay.measures[i]].Col
			if a, ok := sr.rd.agg[f.Key()]; ok {
				a.add(f, pr.r, col, col, "")
			} else {
				sr.rd.agg[f.Key()] = &aggFact{Fact: f, r0: pr.r, r1: pr.r, c0: col, c1: col, table: sr.table, one: sr.one}
			}
			a := &sr.acct[sr.lay.measures[i]]
			a.Parts--
			a.Facts++
		}
	}
}
