// Package query owns a totals question as users write it (command-line flags,
// URL parameters) and the JSON shape of its answer, so that `postdash query
// --json` and GET /api/v1/totals answer exactly alike.
package query

import (
	"encoding/json"
	"fmt"
	"strings"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// Error says which part of a question could not be read, and why, so that
// the dashboard can say it in the reader's language; Error() is the API's
// English sentence. This package is the one reader of filters from URLs:
// the dashboard's pages (stats.ParseFilter) and /api/v1/totals alike.
type Error struct {
	Param  string // "from", "to", "by", "where" or a filter field; "" for an inverted range
	Value  string // what was given ("2025-06..2025-01" for an inverted range)
	Reason string // "month", "order", "field", "pair", "unknown", "year", "many" or "twice"
	msg    string
}

func (e *Error) Error() string { return e.msg }

// Key is the catalog key of the refusal's sentence (query.error.<reason>),
// which the edge says in the user's language with Args.
func (e *Error) Key() string { return "query.error." + e.Reason }

// Args fills the placeholders of Key's sentence: {param} and {value}, and
// what is wanted ({fields}, {values}, {limit}) where the sentence names it.
func (e *Error) Args() map[string]string {
	args := map[string]string{"param": e.Param, "value": e.Value, "where": "where"}
	switch e.Reason {
	case "field":
		args["fields"] = joinOf(postal.Fields)
	case "unknown":
		switch postal.Field(e.Param) {
		case postal.FieldDirection:
			args["values"] = joinOf(postal.Directions)
		case postal.FieldCategory:
			args["values"] = joinOf(postal.Categories)
		}
	case "many":
		args["limit"] = fmt.Sprint(MaxWhereValues)
	}
	return args
}

func joinOf[T ~string](vs []T) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return strings.Join(out, ", ")
}

func errorf(param, value, reason, format string, args ...any) *Error {
	return &Error{Param: param, Value: value, Reason: reason, msg: fmt.Sprintf(format, args...)}
}

// Parse turns the four user-written parts of a question into a store query:
// from and to as YYYY-MM (either may be empty), by as a comma list of fields,
// where as a comma list of FIELD=VALUE with canonical values (a field given
// twice matches either value).
func Parse(from, to, by, where string) (store.Query, error) {
	var q store.Query
	var err error
	if from = strings.TrimSpace(from); from != "" {
		if q.From, err = postal.ParseMonth(from); err != nil {
			return q, errorf("from", from, "month", "from: %v", err)
		}
	}
	if to = strings.TrimSpace(to); to != "" {
		if q.To, err = postal.ParseMonth(to); err != nil {
			return q, errorf("to", to, "month", "to: %v", err)
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return q, errorf("", q.From.String()+".."+q.To.String(), "order", "to %s is before from %s", q.To, q.From)
	}
	seen := map[postal.Field]bool{}
	for _, name := range split(by) {
		f, err := postal.ParseField(name)
		if err != nil {
			return q, errorf("by", name, "field", "by: %v", err)
		}
		if !seen[f] {
			q.By = append(q.By, f)
			seen[f] = true
		}
	}
	conds := split(where)
	if len(conds) > MaxWhereValues {
		return q, errorf("where", where, "many", "where: %d conditions; at most %d", len(conds), MaxWhereValues)
	}
	for _, cond := range conds {
		name, value, ok := strings.Cut(cond, "=")
		if !ok {
			return q, errorf("where", cond, "pair", "where: %q is not FIELD=VALUE", cond)
		}
		f, err := postal.ParseField(strings.TrimSpace(name))
		if err != nil {
			return q, errorf("where", cond, "field", "where: %v", err)
		}
		value = strings.TrimSpace(value)
		if err := checkValue(f, value); err != nil {
			return q, errorf(string(f), value, err.Reason, "where: %v", err)
		}
		if q.Where == nil {
			q.Where = map[postal.Field][]string{}
		}
		q.Where[f] = append(q.Where[f], value)
	}
	return q, nil
}

// MaxWhereValues caps the conditions of one question: each is a bound
// value of one SQL statement, and databases cap those (SQLite at 32,766).
const MaxWhereValues = 1000

// FilterFields are the dashboard's filter parameters, which the API also
// takes: category=ecommerce is where=category=ecommerce.
var FilterFields = []postal.Field{postal.FieldDirection, postal.FieldPartner, postal.FieldCategory, postal.FieldMarketplace}

// ParseURL reads a question from URL parameters: from, to, by and where as
// Parse reads them, plus the dashboard's filter parameters (FilterFields),
// each one more condition of where. Empty ones mean "all", as on the
// dashboard. A field given both in where and as its own parameter is an
// error: which of the two was meant cannot be told.
func ParseURL(get func(string) string) (store.Query, error) {
	q, err := Parse(get("from"), get("to"), get("by"), get("where"))
	if err != nil {
		return q, err
	}
	for _, f := range FilterFields {
		v := strings.TrimSpace(get(string(f)))
		if v == "" {
			continue
		}
		if _, ok := q.Where[f]; ok {
			return q, errorf(string(f), v, "twice", "%s is given twice, in where and as %s=%s; give it once", f, f, v)
		}
		if err := checkValue(f, v); err != nil {
			return q, errorf(string(f), v, err.Reason, "%s: %v", f, err)
		}
		if q.Where == nil {
			q.Where = map[postal.Field][]string{}
		}
		q.Where[f] = []string{v}
	}
	return q, nil
}

// checkValue refuses a value its field cannot hold (the Error's Param is
// filled by the caller).
func checkValue(f postal.Field, v string) *Error {
	switch f {
	case postal.FieldDirection:
		if !postal.ValidDirection(v) {
			return errorf("", v, "unknown", "direction %q: want inbound, outbound, transit or unspecified", v)
		}
	case postal.FieldCategory:
		if !postal.ValidCategory(v) {
			return errorf("", v, "unknown", "category %q: want letter_post, registered_letter, parcel, ems or ecommerce", v)
		}
	case postal.FieldPeriod:
		if _, err := postal.ParseMonth(v); err != nil {
			return errorf("", v, "month", "%v", err)
		}
	case postal.FieldYear:
		if len(v) != 4 || strings.Trim(v, "0123456789") != "" {
			return errorf("", v, "year", "year %q: want YYYY", v)
		}
	}
	return nil
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Response is the JSON answer: {"rows":[{...the by fields...,"items":N,"weight_kg":X}]}.
type Response struct {
	Rows []Row `json:"rows"`
}

// Row is one answer row; it marshals its group fields first, then the measures.
type Row struct {
	Fields   []postal.Field
	Group    map[postal.Field]string
	Items    int64
	WeightKg float64
}

// MarshalJSON writes the by fields in query order, then items and weight_kg.
func (r Row) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for _, f := range r.Fields {
		k, _ := json.Marshal(string(f))
		v, _ := json.Marshal(r.Group[f])
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
		b.WriteByte(',')
	}
	w, err := json.Marshal(postal.RoundKg(r.WeightKg))
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(&b, `"items":%d,"weight_kg":%s}`, r.Items, w)
	return []byte(b.String()), nil
}

// Answer shapes totals for q into the JSON response. With no by fields it is
// one grand-total row, even over no facts.
func Answer(q store.Query, totals []store.Total) Response {
	resp := Response{Rows: make([]Row, 0, len(totals))}
	for _, t := range totals {
		resp.Rows = append(resp.Rows, Row{Fields: q.By, Group: t.Group, Items: t.Items, WeightKg: t.WeightKg})
	}
	if len(q.By) == 0 && len(resp.Rows) == 0 {
		resp.Rows = append(resp.Rows, Row{})
	}
	return resp
}
