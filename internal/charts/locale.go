// Package charts turns stats into go-echarts options and the tables that
// repeat their numbers beneath each chart. It knows nothing of HTTP or SQL;
// words and number formats come from a Locale the caller builds.
package charts

import (
	"encoding/json"
	"slices"
	"strings"

	"postdash/internal/postal"
	"postdash/internal/stats"
)

// Locale is what the charts need to speak the reader's language.
type Locale struct {
	T         func(key string) string              // catalog text of a key
	Number    func(v float64, decimals int) string // locale number format
	Month     func(m postal.Month) string          // short month with year
	CalMonth  func(month int) string               // short calendar month name
	Thousands string                               // digit group separator, for the JS formatter
	Decimal   string                               // decimal mark, for the JS formatter
	Labels    bool                                 // write each bar's value on it (the printed briefing)
	// Trace, when set, is the address of what a figure sums: measure (a
	// measure's key) over from..to (zero: the view's months), narrowed to
	// field = value when field is set; "" when it has none.
	Trace func(measure string, from, to postal.Month, field postal.Field, value string) string
	// Mark, when set, is the mark of a figure named as Trace names it:
	// "r" revised, "*" marked by its sheet, "*r" both, "" none.
	Mark func(measure string, from, to postal.Month, field postal.Field, value string) string
}

// mark is l.Mark, or "" without one.
func (l Locale) mark(measure string, from, to postal.Month, field postal.Field, value string) string {
	if l.Mark == nil {
		return ""
	}
	return l.Mark(measure, from, to, field, value)
}

// trace is l.Trace, or "" without one.
func (l Locale) trace(measure string, from, to postal.Month, field postal.Field, value string) string {
	if l.Trace == nil {
		return ""
	}
	return l.Trace(measure, from, to, field, value)
}

// Unit returns the translated symbol of u.
func (l Locale) Unit(u stats.Unit) string { return l.T("unit." + string(u)) }

// Decimals is how many decimals a value in u is shown with.
func Decimals(u stats.Unit) int {
	if u == stats.Tonnes {
		return 1
	}
	return 0
}

// Label returns the display name of a canonical value of field. Values the
// catalog does not know (a partner or marketplace as written) are shown as
// they are, minus go-echarts' function marker; an empty marketplace or
// partner is "unknown".
func (l Locale) Label(field postal.Field, value string) string {
	if value == "" {
		return l.T(string(field) + ".unknown")
	}
	known := map[postal.Field][]string{
		postal.FieldDirection:   stats.DirectionOrder(),
		postal.FieldCategory:    stats.CategoryOrder(),
		postal.FieldPartner:     stats.PartnerOrder(),
		postal.FieldMarketplace: stats.MarketplaceOrder(),
	}
	if slices.Contains(known[field], value) {
		return l.T(string(field) + "." + value)
	}
	return unmarked(value)
}

// unmarked breaks every "__f__" in text from the data with a zero-width
// space: Snippet turns the strings go-echarts marks with it into code.
func unmarked(s string) string {
	for strings.Contains(s, funcMark) {
		s = strings.ReplaceAll(s, funcMark, "__f\u200b__")
	}
	return s
}

// funcMark is what go-echarts puts around a function (opts.FuncOpts).
const funcMark = "__f__"

// jsString quotes s for JavaScript inside an HTML script element.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return strings.ReplaceAll(string(b), "</", `<\/`)
}
