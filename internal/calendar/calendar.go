// Package calendar owns the statistics calendar: when each month's figures
// are due (the reporting schedule), which months arrived on time, late, or
// are overdue, which months are final or preliminary, and the notes
// analysts pin to months. Times are judged in the readers' time zone.
package calendar

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// Rule kinds, as stored and typed.
const (
	RuleDay   = "day"   // day N of the month after the month
	RuleAfter = "after" // N days after the month's last day
)

// Schedule, Annotation and Receipt are the store's, as the calendar names them.
type (
	Schedule   = store.Schedule
	Annotation = store.Annotation
	Receipt    = store.Receipt
)

// Errors of a rule or a note that callers show to the user.
var (
	ErrRule     = errors.New("a rule is day N of the next month (1–31) or N days after the month's end (0–366)")
	ErrCategory = errors.New("unknown category")
	ErrText     = errors.New("a note is 1 to 500 characters")
)

// ErrNotFound is the store's: no such rule or note.
var ErrNotFound = store.ErrNotFound

// MaxNoteRunes bounds an annotation's text.
const MaxNoteRunes = 500

// Validate checks a schedule rule as typed.
func Validate(sc Schedule) error {
	switch {
	case sc.Rule == RuleDay && sc.N >= 1 && sc.N <= 31:
	case sc.Rule == RuleAfter && sc.N >= 0 && sc.N <= 366:
	default:
		return ErrRule
	}
	if sc.Category != "" && !postal.ValidCategory(sc.Category) {
		return fmt.Errorf("%w %q", ErrCategory, sc.Category)
	}
	return nil
}

// ValidateNote checks a note as typed (its text is kept as typed, trimmed).
func ValidateNote(a *Annotation) error {
	a.Text = strings.TrimSpace(a.Text)
	if n := len([]rune(a.Text)); n == 0 || n > MaxNoteRunes {
		return ErrText
	}
	if a.Month.IsZero() {
		return errors.New("a note needs its month (YYYY-MM)")
	}
	if a.Category != "" && !postal.ValidCategory(a.Category) {
		return fmt.Errorf("%w %q", ErrCategory, a.Category)
	}
	return nil
}

// DueDate is the calendar day by which month m's figures are due under sc
// (received on that day is on time).
func DueDate(sc Schedule, m postal.Month) (year int, month time.Month, day int) {
	first := time.Date(m.Year, time.Month(m.Month), 1, 0, 0, 0, 0, time.UTC)
	next := first.AddDate(0, 1, 0)
	var d time.Time
	if sc.Rule == RuleDay {
		last := next.AddDate(0, 1, -1).Day()
		d = next.AddDate(0, 0, min(sc.N, last)-1)
	} else {
		d = next.AddDate(0, 0, sc.N-1)
	}
	return d.Year(), d.Month(), d.Day()
}

// Deadline is the instant month m becomes late under sc: the start of the
// day after its due date, in loc.
func Deadline(sc Schedule, m postal.Month, loc *time.Location) time.Time {
	y, mo, d := DueDate(sc, m)
	return time.Date(y, mo, d+1, 0, 0, 0, 0, loc)
}

// DueTime is the start of the due date itself, in loc (for showing it).
func DueTime(sc Schedule, m postal.Month, loc *time.Location) time.Time {
	y, mo, d := DueDate(sc, m)
	return time.Date(y, mo, d, 0, 0, 0, 0, loc)
}

// RuleFor returns the rule that applies to a category and partner's month:
// the most specific one (partner and category, then partner, then
// category, then every one) whose first month is not after m.
func RuleFor(rules []Schedule, cat postal.Category, partner string, m postal.Month) (Schedule, bool) {
	best, rank := Schedule{}, -1
	for _, r := range rules {
		if r.Partner != "" && r.Partner != partner || r.Category != "" && r.Category != string(cat) {
			continue
		}
		if !r.From.IsZero() && m.Before(r.From) {
			continue
		}
		k := 0
		if r.Partner != "" {
			k += 2
		}
		if r.Category != "" {
			k++
		}
		if k > rank {
			best, rank = r, k
		}
	}
	return best, rank >= 0
}

// State is what the grid shows of a month.
type State string

// States of a grid cell.
const (
	OnTime   State = "on_time"  // received by its due date
	Late     State = "late"     // received after its due date
	Due      State = "due"      // not received, its due date not passed
	Overdue  State = "overdue"  // not received, its due date passed
	Received State = "received" // received, no rule applies
	Missing  State = "missing"  // not received, no rule applies
)

// Cell is one category and partner's month.
type Cell struct {
	State    State
	Received time.Time // when first received (zero when not)
	Due      time.Time // its due date, the start of that day in the zone (zero without a rule)
}

// Status judges one month of a category and partner at now: received (when
// received is non-zero) against the rule that applies.
func Status(rules []Schedule, cat postal.Category, partner string, m postal.Month, received, now time.Time, loc *time.Location) Cell {
	c := Cell{Received: received}
	sc, ok := RuleFor(rules, cat, partner, m)
	switch {
	case !ok && received.IsZero():
		c.State = Missing
	case !ok:
		c.State = Received
	case !received.IsZero():
		c.Due = DueTime(sc, m, loc)
		c.State = OnTime
		if !received.Before(Deadline(sc, m, loc)) {
			c.State = Late
		}
	default:
		c.Due = DueTime(sc, m, loc)
		c.State = Due
		if !now.Before(Deadline(sc, m, loc)) {
			c.State = Overdue
		}
	}
	return c
}

// Row names one row of the grid: a category and a partner.
type Row struct {
	Category postal.Category
	Partner  string
}

// Grid is the completeness grid judged against the schedule.
type Grid struct {
	Months []postal.Month
	Rows   []Row
	Cells  [][]Cell // [row][month]
}

// NewGrid judges every row's months. rows are the category and partner
// pairs to show; receipts say what arrived when.
func NewGrid(rows []Row, months []postal.Month, receipts []Receipt, rules []Schedule, now time.Time, loc *time.Location) Grid {
	got := receiptIndex(receipts)
	g := Grid{Months: months, Rows: rows}
	for _, r := range rows {
		cells := make([]Cell, len(months))
		for i, m := range months {
			cells[i] = Status(rules, r.Category, r.Partner, m, got[key{r, m}], now, loc)
		}
		g.Cells = append(g.Cells, cells)
	}
	return g
}

type key struct {
	Row
	postal.Month
}

func receiptIndex(receipts []Receipt) map[key]time.Time {
	got := make(map[key]time.Time, len(receipts))
	for _, r := range receipts {
		k := key{Row{r.Category, r.Partner}, r.Month}
		if t, ok := got[k]; !ok || r.At.Before(t) {
			got[k] = r.At
		}
	}
	return got
}

// Rows returns the rows of a grid: every category and partner holding data
// in receipts, and every pair a rule names both of, in category order then
// by partner.
func Rows(receipts []Receipt, rules []Schedule) []Row {
	seen := map[Row]bool{}
	for _, r := range receipts {
		seen[Row{r.Category, r.Partner}] = true
	}
	for _, sc := range rules {
		if sc.Partner != "" && sc.Category != "" {
			seen[Row{postal.Category(sc.Category), sc.Partner}] = true
		}
	}
	out := make([]Row, 0, len(seen))
	for r := range seen {
		out = append(out, r)
	}
	rank := func(c postal.Category) int {
		for i, x := range postal.Categories {
			if x == c {
				return i
			}
		}
		return len(postal.Categories)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Category != out[j].Category {
			return rank(out[i].Category) < rank(out[j].Category) || rank(out[i].Category) == rank(out[j].Category) && out[i].Category < out[j].Category
		}
		return out[i].Partner < out[j].Partner
	})
	return out
}

// OverdueItem is one month a category and partner still owes.
type OverdueItem struct {
	Row
	Month postal.Month
	Due   time.Time // the due date that passed
}

// OverdueList lists every month, up to the last one that has ended at now,
// that a row owes: not received and its due date passed. Months before the
// rule's first month (or, for a rule that applies to every month, before
// the row's first data) are not owed. Oldest first.
func OverdueList(rows []Row, receipts []Receipt, rules []Schedule, now time.Time, loc *time.Location) []OverdueItem {
	got := receiptIndex(receipts)
	firstData := map[Row]postal.Month{}
	for _, r := range receipts {
		k := Row{r.Category, r.Partner}
		if f, ok := firstData[k]; !ok || r.Month.Before(f) {
			firstData[k] = r.Month
		}
	}
	nowLocal := now.In(loc)
	current := postal.Month{Year: nowLocal.Year(), Month: int(nowLocal.Month())}
	var out []OverdueItem
	for _, r := range rows {
		start, ok := firstData[r]
		for _, sc := range rules {
			if !sc.From.IsZero() && (sc.Partner == "" || sc.Partner == r.Partner) && (sc.Category == "" || sc.Category == string(r.Category)) {
				if !ok || sc.From.Before(start) {
					start, ok = sc.From, true
				}
			}
		}
		if !ok {
			continue
		}
		for m := start; m.Before(current); m = m.Add(1) {
			c := Status(rules, r.Category, r.Partner, m, got[key{r, m}], now, loc)
			if c.State == Overdue {
				out = append(out, OverdueItem{Row: r, Month: m, Due: c.Due})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Month.Before(out[j].Month) })
	return out
}

// MonthRelease says whether a month's figures are final.
type MonthRelease struct {
	Month       postal.Month
	Preliminary bool
	Marked      bool      // a live value carries its sheet's mark
	Due         time.Time // the latest due date of its rows (zero without a rule)
}

// Release judges the months of a view: a month is preliminary while any of
// its live values carries a mark from its sheet (`*`, `¹`, `(p)`: see the
// contract) or while the due date of any of its rows has not passed;
// final otherwise.
func Release(months []postal.Month, rows []Row, marked []postal.Month, rules []Schedule, now time.Time, loc *time.Location) []MonthRelease {
	isMarked := map[postal.Month]bool{}
	for _, m := range marked {
		isMarked[m] = true
	}
	out := make([]MonthRelease, 0, len(months))
	for _, m := range months {
		mr := MonthRelease{Month: m, Marked: isMarked[m]}
		pending := false
		for _, r := range rows {
			sc, ok := RuleFor(rules, r.Category, r.Partner, m)
			if !ok {
				continue
			}
			if d := DueTime(sc, m, loc); d.After(mr.Due) {
				mr.Due = d
			}
			if now.Before(Deadline(sc, m, loc)) {
				pending = true
			}
		}
		mr.Preliminary = mr.Marked || pending
		out = append(out, mr)
	}
	return out
}

// NextDue returns the earliest due date not yet passed at now among the
// rows' months from the current month back to the one before, with its
// month; ok is false without a rule.
func NextDue(rows []Row, rules []Schedule, now time.Time, loc *time.Location) (due time.Time, month postal.Month, ok bool) {
	nowLocal := now.In(loc)
	current := postal.Month{Year: nowLocal.Year(), Month: int(nowLocal.Month())}
	candidates := rows
	if len(candidates) == 0 {
		candidates = []Row{{}}
	}
	for m := current.Add(-13); !current.Before(m); m = m.Add(1) {
		for _, r := range candidates {
			sc, has := RuleFor(rules, r.Category, r.Partner, m)
			if !has || !now.Before(Deadline(sc, m, loc)) {
				continue
			}
			if d := DueTime(sc, m, loc); !ok || d.Before(due) {
				due, month, ok = d, m, true
			}
		}
	}
	return due, month, ok
}
