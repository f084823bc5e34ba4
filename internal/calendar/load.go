package calendar

import (
	"context"
	"fmt"
	"time"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// Store is what the calendar reads.
type Store interface {
	Schedules(ctx context.Context) ([]Schedule, error)
	Receipts(ctx context.Context, q store.Query) ([]Receipt, error)
	MarkedMonths(ctx context.Context, q store.Query) ([]postal.Month, error)
	Annotations(ctx context.Context, from, to postal.Month) ([]Annotation, error)
}

// View is what the overview shows of the calendar for one filter.
type View struct {
	Rules     []Schedule
	Grid      Grid           // the completeness grid judged against the rules
	Overdue   []OverdueItem  // over the whole dashboard, oldest first
	Release   []MonthRelease // the view's months
	NextDue   time.Time      // the next due date (zero without a rule)
	NextMonth postal.Month   // the month it is for
	Notes     []Annotation   // the notes on the view's months, for its partner and category
}

// Request is what a view of the calendar is asked for.
type Request struct {
	Query    store.Query    // the view's filter (From, To resolved)
	Months   []postal.Month // the view's months
	OpenEnd  bool           // the filter names no last month: the grid runs to the last month ended
	Now      time.Time
	Location *time.Location
}

// Load reads the calendar of a view.
func Load(ctx context.Context, st Store, r Request) (*View, error) {
	rules, err := st.Schedules(ctx)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	v := &View{Rules: rules}
	months := r.Months
	nowLocal := r.Now.In(r.Location)
	lastEnded := postal.Month{Year: nowLocal.Year(), Month: int(nowLocal.Month())}.Add(-1)
	if len(rules) > 0 && r.OpenEnd && len(months) > 0 {
		for m := months[len(months)-1].Add(1); !lastEnded.Before(m) && len(months) < 240; m = m.Add(1) {
			months = append(months, m)
		}
	}
	gq := r.Query
	gq.By = nil
	if len(months) > 0 {
		gq.From, gq.To = months[0], months[len(months)-1]
	}
	var receipts, all []Receipt
	if len(rules) > 0 { // without a rule the overview keeps its own grid
		if all, err = st.Receipts(ctx, store.Query{}); err != nil {
			return nil, fmt.Errorf("calendar: %w", err)
		}
	}
	if len(months) > 0 && len(rules) > 0 {
		if receipts, err = receiptsOf(ctx, st, all, gq); err != nil {
			return nil, fmt.Errorf("calendar: %w", err)
		}
	}
	rows := Rows(receipts, scoped(rules, r.Query))
	v.Grid = NewGrid(rows, months, receipts, rules, r.Now, r.Location)
	if len(rules) > 0 {
		allRows := Rows(all, rules)
		v.Overdue = OverdueList(allRows, all, rules, r.Now, r.Location)
		v.NextDue, v.NextMonth, _ = NextDue(allRows, rules, r.Now, r.Location)
	}
	if len(r.Months) > 0 {
		mq := r.Query
		mq.By = nil
		marked, err := st.MarkedMonths(ctx, mq)
		if err != nil {
			return nil, fmt.Errorf("calendar: %w", err)
		}
		v.Release = Release(r.Months, rows, marked, rules, r.Now, r.Location)
	}
	if len(months) > 0 {
		notes, err := st.Annotations(ctx, months[0], months[len(months)-1])
		if err != nil {
			return nil, fmt.Errorf("calendar: %w", err)
		}
		v.Notes = Applying(notes, r.Query)
	}
	return v, nil
}

// scoped keeps the rules that can name a row of the filter's view.
func scoped(rules []Schedule, q store.Query) []Schedule {
	var out []Schedule
	for _, sc := range rules {
		if in(q, postal.FieldPartner, sc.Partner) && in(q, postal.FieldCategory, sc.Category) {
			out = append(out, sc)
		}
	}
	return out
}

// in reports whether a rule's or note's scope value lies in the filter:
// "" (all) always does.
func in(q store.Query, f postal.Field, v string) bool {
	vals := q.Where[f]
	if v == "" || len(vals) == 0 {
		return true
	}
	for _, x := range vals {
		if x == v {
			return true
		}
	}
	return false
}

// Applying keeps the notes that speak of the filter's partner and category
// (a note on all of them always does).
func Applying(notes []Annotation, q store.Query) []Annotation {
	var out []Annotation
	for _, a := range notes {
		if in(q, postal.FieldPartner, a.Partner) && in(q, postal.FieldCategory, a.Category) {
			out = append(out, a)
		}
	}
	return out
}

// receiptsOf keeps the receipts of all that q selects, asking the store
// only when q filters on what receipts do not name (direction, marketplace).
func receiptsOf(ctx context.Context, st Store, all []Receipt, q store.Query) ([]Receipt, error) {
	for f, vals := range q.Where {
		if len(vals) > 0 && f != postal.FieldPartner && f != postal.FieldCategory {
			return st.Receipts(ctx, q)
		}
	}
	var out []Receipt
	for _, r := range all {
		if (!q.From.IsZero() && r.Month.Before(q.From)) || (!q.To.IsZero() && q.To.Before(r.Month)) {
			continue
		}
		if inStrict(q, postal.FieldPartner, r.Partner) && inStrict(q, postal.FieldCategory, string(r.Category)) {
			out = append(out, r)
		}
	}
	return out, nil
}

// inStrict is in for a value that is never "all".
func inStrict(q store.Query, f postal.Field, v string) bool {
	if len(q.Where[f]) == 0 {
		return true
	}
	for _, x := range q.Where[f] {
		if x == v {
			return true
		}
	}
	return false
}
