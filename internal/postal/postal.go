// Package postal owns the domain of postdash: what a fact is, the canonical
// values of its dimensions, and the month it belongs to. It depends on
// nothing else in the project.
package postal

import (
	"fmt"
	"math"
	"strconv"
)

// Direction is seen from Uzbekistan.
type Direction string

// Canonical directions.
const (
	Inbound     Direction = "inbound"
	Outbound    Direction = "outbound"
	Transit     Direction = "transit"
	Unspecified Direction = "unspecified"
)

// Directions lists every canonical direction in display order.
var Directions = []Direction{Inbound, Outbound, Transit, Unspecified}

// Category is a mail class.
type Category string

// Canonical categories.
const (
	LetterPost       Category = "letter_post"
	RegisteredLetter Category = "registered_letter"
	Parcel           Category = "parcel"
	EMS              Category = "ems"
	Ecommerce        Category = "ecommerce"
)

// Categories lists every canonical category in display order.
var Categories = []Category{LetterPost, RegisteredLetter, Parcel, EMS, Ecommerce}

// Known partners (foreign designated postal operators). A partner not in this
// list is kept as the trimmed text the sheet gave.
const (
	ChinaPost     = "china_post"
	LatvijasPasts = "latvijas_pasts"
	VanuatuPost   = "vanuatu_post"
)

// Partners lists the known partners in display order.
var Partners = []string{ChinaPost, LatvijasPasts, VanuatuPost}

// Known marketplaces. Others are kept as written; empty means unknown.
const (
	AliExpress = "aliexpress"
	Temu       = "temu"
	Shein      = "shein"
)

// Marketplaces lists the known marketplaces in display order.
var Marketplaces = []string{AliExpress, Temu, Shein}

// ValidDirection reports whether d is a canonical direction.
func ValidDirection(d string) bool {
	for _, v := range Directions {
		if string(v) == d {
			return true
		}
	}
	return false
}

// ValidCategory reports whether c is a canonical category.
func ValidCategory(c string) bool {
	for _, v := range Categories {
		if string(v) == c {
			return true
		}
	}
	return false
}

// Month is a calendar month, the grain of every fact.
type Month struct {
	Year  int
	Month int // 1..12
}

// String formats m as YYYY-MM.
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, m.Month) }

// IsZero reports whether m is the zero Month.
func (m Month) IsZero() bool { return m.Year == 0 && m.Month == 0 }

// Index counts months since year 0; it orders months and measures gaps.
func (m Month) Index() int { return m.Year*12 + m.Month - 1 }

// MonthFromIndex is the inverse of Index.
func MonthFromIndex(i int) Month { return Month{Year: i / 12, Month: i%12 + 1} }

// Add returns the month n months after m (n may be negative).
func (m Month) Add(n int) Month { return MonthFromIndex(m.Index() + n) }

// Before reports whether m comes before o.
func (m Month) Before(o Month) bool { return m.Index() < o.Index() }

// ParseMonth parses the canonical YYYY-MM form.
func ParseMonth(s string) (Month, error) {
	if len(s) != 7 || s[4] != '-' {
		return Month{}, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	y, err1 := strconv.Atoi(s[:4])
	mo, err2 := strconv.Atoi(s[5:])
	if err1 != nil || err2 != nil || mo < 1 || mo > 12 || y < 1900 || y > 2999 {
		return Month{}, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	return Month{Year: y, Month: mo}, nil
}

// Series names what a number counts: everything but the month.
type Series struct {
	Direction   Direction
	Partner     string
	Category    Category
	Marketplace string
}

// Fact is one imported value: a series in a month, with items, weight or both.
// Absent is not zero: HasItems and HasWeight say which measures were given.
type Fact struct {
	Month Month
	Series
	Sheet     string // the sheet it came from, for tracing
	Items     int64
	HasItems  bool
	WeightKg  float64
	HasWeight bool
	// Note is what the sheet said of the value besides its number: the text
	// of its footnote mark (`* preliminary`), or the mark itself.
	Note string
	// Source is where in its sheet the value came from: a cell (`C5`), or
	// the first and last cells summed into it (`C5:C900`).
	Source string
}

// Key identifies the aggregate a fact adds into within one import.
type Key struct {
	Month Month
	Series
	Sheet string
}

// Key returns the aggregation key of f.
func (f Fact) Key() Key { return Key{Month: f.Month, Series: f.Series, Sheet: f.Sheet} }

// Add sums the measures of g into f; absent stays absent only when absent in both.
func (f *Fact) Add(g Fact) {
	if g.HasItems {
		f.Items += g.Items
		f.HasItems = true
	}
	if g.HasWeight {
		f.WeightKg += g.WeightKg
		f.HasWeight = true
	}
}

// RoundKg drops float noise below a milligram from a sum of weights.
func RoundKg(kg float64) float64 { return math.Round(kg*1e6) / 1e6 }

// Field is a dimension a total can be grouped or filtered by.
type Field string

// Fields of a fact that queries may group by or filter on.
const (
	FieldPeriod      Field = "period"
	FieldYear        Field = "year"
	FieldDirection   Field = "direction"
	FieldPartner     Field = "partner"
	FieldCategory    Field = "category"
	FieldMarketplace Field = "marketplace"
)

// Fields lists every groupable field.
var Fields = []Field{FieldPeriod, FieldYear, FieldDirection, FieldPartner, FieldCategory, FieldMarketplace}

// ParseField validates a field name.
func ParseField(s string) (Field, error) {
	for _, f := range Fields {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown field %q (want one of period, year, direction, partner, category, marketplace)", s)
}

// SeriesMonth is a live value of one series in one month, for diffs,
// charts and exports.
type SeriesMonth struct {
	Month
	Series
	Items     int64
	HasItems  bool
	WeightKg  float64
	HasWeight bool
}
