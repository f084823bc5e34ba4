// Package stats owns what the dashboard needs from live facts: the filter a
// page applies, monthly series, KPIs, year-over-year comparisons over calendar
// months present in both years, and completeness. It reads a store.Store and
// writes no SQL.
package stats

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"postdash/internal/postal"
	"postdash/internal/query"
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
	// Rows asks the view for its live values one by one (Overview.Live),
	// as the exports list them; the page itself needs only their sums.
	Rows bool
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
// values elsewhere) with query.ParseURL, the one reader of filters the API
// shares, given only the page's parameters. Unknown directions or
// categories are errors; so is a range that ends before it starts. Errors
// are FilterError values.
func ParseFilter(get func(string) string) (Filter, error) {
	q, err := query.ParseURL(func(k string) string {
		if k == "from" || k == "to" || slices.Contains(query.FilterFields, postal.Field(k)) {
			return get(k)
		}
		return ""
	})
	var qe *query.Error
	if errors.As(err, &qe) {
		return Filter{}, FilterError{Param: qe.Param, Value: qe.Value, Reason: qe.Reason}
	}
	if err != nil {
		return Filter{}, err
	}
	one := func(f postal.Field) string {
		if vs := q.Where[f]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	return Filter{From: q.From, To: q.To, Direction: one(postal.FieldDirection), Partner: one(postal.FieldPartner),
		Category: one(postal.FieldCategory), Marketplace: one(postal.FieldMarketplace)}, nil
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
