// Package stats owns what the dashboard needs from live facts: the filter a
// page applies, monthly series, KPIs, year-over-year comparisons over calendar
// months present in both years, and completeness. It reads a store.Store and
// writes no SQL.
package stats

import (
	"fmt"
	"time"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// Filter is what a page of the dashboard selects. Empty strings mean "all";
// zero months mean the store's first or last month.
type Filter struct {
	From, To    postal.Month
	Direction   string
	Partner     string
	Category    string
	Marketplace string
	// MaxRows bounds the series-months a view may load (see store.Query);
	// it is the server's, never read from a URL.
	MaxRows int
	// AsOf, when not zero, views the data as they were live then; AsOfParam
	// is how the URL wrote it (as_of), kept for the view's links.
	AsOf      time.Time
	AsOfParam string
}

// FilterError says which URL parameter of a filter could not be read, so
// the page can say it in the reader's language.
type FilterError struct {
	Param  string // "from", "to", "direction" or "category"
	Value  string
	Reason string // "month" (not a month), "order" (to before from) or "unknown"
}

func (e FilterError) Error() string {
	switch e.Reason {
	case "month":
		return fmt.Sprintf("%s: %q is not a month (YYYY-MM)", e.Param, e.Value)
	case "order":
		return fmt.Sprintf("range %s ends before it starts", e.Value)
	}
	return fmt.Sprintf("unknown %s %q", e.Param, e.Value)
}

// ParseFilter reads a filter from its URL form (from/to as YYYY-MM, canonical
// values elsewhere). Unknown directions or categories are errors; so is a
// range that ends before it starts. Errors are FilterError values.
func ParseFilter(get func(string) string) (Filter, error) {
	var f Filter
	var err error
	if s := get("from"); s != "" {
		if f.From, err = postal.ParseMonth(s); err != nil {
			return Filter{}, FilterError{Param: "from", Value: s, Reason: "month"}
		}
	}
	if s := get("to"); s != "" {
		if f.To, err = postal.ParseMonth(s); err != nil {
			return Filter{}, FilterError{Param: "to", Value: s, Reason: "month"}
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return Filter{}, FilterError{Value: f.From.String() + ".." + f.To.String(), Reason: "order"}
	}
	f.Direction, f.Partner, f.Category, f.Marketplace = get("direction"), get("partner"), get("category"), get("marketplace")
	if f.Direction != "" && !postal.ValidDirection(f.Direction) {
		return Filter{}, FilterError{Param: "direction", Value: f.Direction, Reason: "unknown"}
	}
	if f.Category != "" && !postal.ValidCategory(f.Category) {
		return Filter{}, FilterError{Param: "category", Value: f.Category, Reason: "unknown"}
	}
	return f, nil
}

// Values returns the filter's URL parameters (only those set), the inverse of ParseFilter.
func (f Filter) Values() map[string]string {
	v := map[string]string{}
	if !f.From.IsZero() {
		v["from"] = f.From.String()
	}
	if !f.To.IsZero() {
		v["to"] = f.To.String()
	}
	if f.AsOfParam != "" {
		v["as_of"] = f.AsOfParam
	}
	for k, s := range map[string]string{"direction": f.Direction, "partner": f.Partner, "category": f.Category, "marketplace": f.Marketplace} {
		if s != "" {
			v[k] = s
		}
	}
	return v
}

// where returns the filter's dimension conditions.
func (f Filter) where() map[postal.Field][]string {
	w := map[postal.Field][]string{}
	for field, v := range map[postal.Field]string{
		postal.FieldDirection:   f.Direction,
		postal.FieldPartner:     f.Partner,
		postal.FieldCategory:    f.Category,
		postal.FieldMarketplace: f.Marketplace,
	} {
		if v != "" {
			w[field] = []string{v}
		}
	}
	return w
}

// Query returns the store query of the filter's months and dimensions.
func (f Filter) Query() store.Query {
	return store.Query{From: f.From, To: f.To, Where: f.where(), MaxRows: f.MaxRows, AsOf: f.AsOf}
}

// Months lists every month from From to To inclusive.
func (f Filter) Months() []postal.Month {
	if f.From.IsZero() || f.To.IsZero() {
		return nil
	}
	ms := make([]postal.Month, 0, f.To.Index()-f.From.Index()+1)
	for m := f.From; !f.To.Before(m); m = m.Add(1) {
		ms = append(ms, m)
	}
	return ms
}
