package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"postdash/internal/postal"
)

// The JSON answers of the calendar, the same from the CLI and the API.

// RuleJSON is one rule of the schedule.
type RuleJSON struct {
	ID       int64  `json:"id"`
	Partner  string `json:"partner"`  // "" is every partner
	Category string `json:"category"` // "" is every category
	Rule     string `json:"rule"`     // "day" or "after"
	N        int    `json:"n"`
	From     string `json:"from"` // YYYY-MM, "" is every month
	Says     string `json:"says"` // the rule in English
	User     string `json:"user,omitempty"`
	At       string `json:"updated_at,omitempty"` // RFC 3339
}

// ScheduleJSON is the schedule with the next due date.
type ScheduleJSON struct {
	Schedule []RuleJSON `json:"schedule"`
	NextDue  string     `json:"next_due,omitempty"` // YYYY-MM-DD in the display time zone
	ForMonth string     `json:"next_due_month,omitempty"`
}

// OverdueJSON lists what is overdue.
type OverdueJSON struct {
	Today   string            `json:"today"` // YYYY-MM-DD in the display time zone
	Overdue []OverdueItemJSON `json:"overdue"`
}

// OverdueItemJSON is one month a category and partner owes.
type OverdueItemJSON struct {
	Month    string `json:"month"`
	Category string `json:"category"`
	Partner  string `json:"partner"`
	Due      string `json:"due"` // YYYY-MM-DD
}

// GridJSON is the completeness grid judged against the schedule.
type GridJSON struct {
	Months []string      `json:"months"`
	Rows   []GridRowJSON `json:"rows"`
}

// GridRowJSON is one category and partner of the grid.
type GridRowJSON struct {
	Category string         `json:"category"`
	Partner  string         `json:"partner"`
	Cells    []GridCellJSON `json:"cells"`
}

// GridCellJSON is one month: state (on_time, late, due, overdue, received,
// missing), when received (RFC 3339 and the date in the zone) and its due date.
type GridCellJSON struct {
	Month        string `json:"month"`
	State        State  `json:"state"`
	Received     string `json:"received,omitempty"`
	ReceivedDate string `json:"received_date,omitempty"`
	Due          string `json:"due,omitempty"`
}

// AnnotationJSON is one note on a month.
type AnnotationJSON struct {
	ID        int64  `json:"id"`
	Month     string `json:"month"`
	Partner   string `json:"partner"`
	Category  string `json:"category"`
	Text      string `json:"text"`
	CreatedBy string `json:"created_by,omitempty"`
	CreatedAt string `json:"created_at"`
	UpdatedBy string `json:"updated_by,omitempty"`
	UpdatedAt string `json:"updated_at,omitempty"`
}

// Says writes a rule in English: "day 15 of the next month, from 2025-07".
func Says(sc Schedule) string {
	s := "day " + strconv.Itoa(sc.N) + " of the next month"
	if sc.Rule == RuleAfter {
		s = strconv.Itoa(sc.N) + " days after the month's end"
	}
	if !sc.From.IsZero() {
		s += ", from " + sc.From.String()
	}
	return s
}

// RulesJSON writes the schedule.
func RulesJSON(rules []Schedule, names bool) []RuleJSON {
	out := make([]RuleJSON, 0, len(rules))
	for _, sc := range rules {
		r := RuleJSON{ID: sc.ID, Partner: sc.Partner, Category: sc.Category, Rule: sc.Rule, N: sc.N, Says: Says(sc)}
		if !sc.From.IsZero() {
			r.From = sc.From.String()
		}
		if names {
			r.User, r.At = sc.User, sc.At.UTC().Format(time.RFC3339)
		}
		out = append(out, r)
	}
	return out
}

// OverdueItemsJSON writes what is overdue.
func OverdueItemsJSON(items []OverdueItem) []OverdueItemJSON {
	out := make([]OverdueItemJSON, 0, len(items))
	for _, it := range items {
		out = append(out, OverdueItemJSON{Month: it.Month.String(), Category: string(it.Category), Partner: it.Partner, Due: it.Due.Format("2006-01-02")})
	}
	return out
}

// GridToJSON writes a grid, dates in loc.
func GridToJSON(g Grid, loc *time.Location) GridJSON {
	out := GridJSON{Months: make([]string, len(g.Months)), Rows: []GridRowJSON{}}
	for i, m := range g.Months {
		out.Months[i] = m.String()
	}
	for ri, r := range g.Rows {
		row := GridRowJSON{Category: string(r.Category), Partner: r.Partner}
		for mi, c := range g.Cells[ri] {
			cell := GridCellJSON{Month: g.Months[mi].String(), State: c.State}
			if !c.Received.IsZero() {
				cell.Received, cell.ReceivedDate = c.Received.UTC().Format(time.RFC3339), c.Received.In(loc).Format("2006-01-02")
			}
			if !c.Due.IsZero() {
				cell.Due = c.Due.Format("2006-01-02")
			}
			row.Cells = append(row.Cells, cell)
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// AnnotationsJSON writes notes; names says whether who wrote them is shown.
func AnnotationsJSON(notes []Annotation, names bool) []AnnotationJSON {
	out := make([]AnnotationJSON, 0, len(notes))
	for _, a := range notes {
		j := AnnotationJSON{ID: a.ID, Month: a.Month.String(), Partner: a.Partner, Category: a.Category, Text: a.Text,
			CreatedAt: a.CreatedAt.UTC().Format(time.RFC3339)}
		if a.UpdatedAt != nil {
			j.UpdatedAt = a.UpdatedAt.UTC().Format(time.RFC3339)
		}
		if names {
			j.CreatedBy, j.UpdatedBy = a.CreatedBy, a.UpdatedBy
		}
		out = append(out, j)
	}
	return out
}

// ParseRule reads a rule as an official types it: the rule's kind ("day"
// or "after") and its number, the partner and category ("" or "all" for
// every one) and the first month ("" for every month).
func ParseRule(partner, category, rule, n, from string) (Schedule, error) {
	sc := Schedule{Partner: scopeValue(partner), Category: scopeValue(category), Rule: strings.TrimSpace(rule)}
	v, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil {
		return sc, fmt.Errorf("%w: %q is not a number", ErrRule, n)
	}
	sc.N = v
	if f := strings.TrimSpace(from); f != "" {
		if sc.From, err = postal.ParseMonth(f); err != nil {
			return sc, fmt.Errorf("first month: %w", err)
		}
	}
	return sc, Validate(sc)
}

// ParseNote reads a note as typed.
func ParseNote(month, partner, category, text string) (Annotation, error) {
	a := Annotation{Partner: scopeValue(partner), Category: scopeValue(category), Text: text}
	m, err := postal.ParseMonth(strings.TrimSpace(month))
	if err != nil {
		return a, fmt.Errorf("month: %w", err)
	}
	a.Month = m
	return a, ValidateNote(&a)
}

func scopeValue(s string) string {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "all") {
		return ""
	}
	return s
}
