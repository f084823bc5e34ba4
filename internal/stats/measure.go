package stats

import (
	"slices"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// Unit is what a measure counts in.
type Unit string

// Units of the dashboard.
const (
	Kg     Unit = "kg"
	Tonnes Unit = "t"
	Items  Unit = "items"
)

// Measure is one number the dashboard sums: a set of categories, weight or
// items, shown in a unit.
type Measure struct {
	Key        string // stable name, used in URLs and message keys
	Categories []postal.Category
	Weight     bool // sums weight (else items)
	Unit       Unit
}

// measures are the KPI measures, in display order.
var measures = []Measure{
	{Key: "letters", Categories: []postal.Category{postal.LetterPost}, Weight: true, Unit: Kg},
	{Key: "registered", Categories: []postal.Category{postal.RegisteredLetter}, Unit: Items},
	{Key: "parcels", Categories: []postal.Category{postal.Parcel, postal.Ecommerce}, Weight: true, Unit: Tonnes},
	{Key: "ems", Categories: []postal.Category{postal.EMS}, Unit: Items},
}

// categoryMeasure is how each category is measured when shown on its own.
var categoryMeasure = map[postal.Category]Measure{
	postal.LetterPost:       {Key: "letter_post", Categories: []postal.Category{postal.LetterPost}, Weight: true, Unit: Kg},
	postal.RegisteredLetter: {Key: "registered_letter", Categories: []postal.Category{postal.RegisteredLetter}, Unit: Items},
	postal.Parcel:           {Key: "parcel", Categories: []postal.Category{postal.Parcel}, Weight: true, Unit: Tonnes},
	postal.EMS:              {Key: "ems", Categories: []postal.Category{postal.EMS}, Unit: Items},
	postal.Ecommerce:        {Key: "ecommerce", Categories: []postal.Category{postal.Ecommerce}, Weight: true, Unit: Tonnes},
}

// Measures returns the KPI measures in display order.
func Measures() []Measure { return slices.Clone(measures) }

// MeasureByKey finds a KPI measure; ok is false for an unknown key.
func MeasureByKey(key string) (Measure, bool) {
	for _, m := range measures {
		if m.Key == key {
			return m, true
		}
	}
	return Measure{}, false
}

// CategoryMeasure returns how category c is measured on its own.
func CategoryMeasure(c postal.Category) Measure { return categoryMeasure[c] }

// Value returns what sm adds to m, in m's unit; ok is false when sm is of
// another category or lacks the measure.
func (m Measure) Value(sm store.SeriesMonth) (v float64, ok bool) {
	if !slices.Contains(m.Categories, sm.Category) {
		return 0, false
	}
	if !m.Weight {
		return float64(sm.Items), sm.HasItems
	}
	if !sm.HasWeight {
		return 0, false
	}
	if m.Unit == Tonnes {
		return sm.WeightKg / 1000, true
	}
	return sm.WeightKg, true
}

// Sum adds m over every value in live; ok is false when none holds it.
func (m Measure) Sum(live []store.SeriesMonth) (sum float64, ok bool) {
	for _, sm := range live {
		if v, has := m.Value(sm); has {
			sum += v
			ok = true
		}
	}
	return sum, ok
}
