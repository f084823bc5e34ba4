package calendar

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"postdash/internal/postal"
)

// oracleDue finds the due date of month m under sc by walking the calendar
// one day at a time, as an official counts on a wall calendar.
func oracleDue(sc Schedule, m postal.Month) string {
	d := time.Date(m.Year, time.Month(m.Month), 1, 12, 0, 0, 0, time.UTC)
	for d.Month() == time.Month(m.Month) { // to the first day of the next month
		d = d.Add(24 * time.Hour)
	}
	if sc.Rule == RuleDay {
		for i := 1; i < sc.N; i++ {
			next := d.Add(24 * time.Hour)
			if next.Day() == 1 { // the month has fewer days than N: its last day
				break
			}
			d = next
		}
		return d.Format("2006-01-02")
	}
	d = d.Add(-24 * time.Hour) // the month's last day
	for i := 0; i < sc.N; i++ {
		d = d.Add(24 * time.Hour)
	}
	return d.Format("2006-01-02")
}

// oracleRule picks the rule as the README says: partner and category,
// partner, category, every one; among those whose first month has come.
func oracleRule(rules []Schedule, r Row, m postal.Month) (Schedule, bool) {
	for _, scope := range [][2]string{{r.Partner, string(r.Category)}, {r.Partner, ""}, {"", string(r.Category)}, {"", ""}} {
		for _, sc := range rules {
			if sc.Partner == scope[0] && sc.Category == scope[1] && (sc.From.IsZero() || !m.Before(sc.From)) {
				return sc, true
			}
		}
	}
	return Schedule{}, false
}

// oracleState judges a month by comparing calendar dates in the zone.
func oracleState(rules []Schedule, r Row, m postal.Month, received *time.Time, now time.Time, loc *time.Location) State {
	sc, ok := oracleRule(rules, r, m)
	if !ok {
		if received != nil {
			return Received
		}
		return Missing
	}
	due := oracleDue(sc, m)
	if received != nil {
		if received.In(loc).Format("2006-01-02") > due {
			return Late
		}
		return OnTime
	}
	if now.In(loc).Format("2006-01-02") > due {
		return Overdue
	}
	return Due
}

func TestStatusAgainstOracle(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Tashkent")
	if err != nil {
		t.Fatal(err)
	}
	partners := []string{"", "china_post", "latvijas_pasts"}
	cats := []postal.Category{postal.Categories[0], postal.Categories[1], postal.Categories[2]}
	rnd := rand.New(rand.NewPCG(14, 1))
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	counts := map[State]int{}
	for trial := 0; trial < 300; trial++ {
		var rules []Schedule
		for _, p := range partners {
			for _, c := range append([]string{""}, string(cats[0]), string(cats[1])) {
				if rnd.IntN(3) != 0 {
					continue
				}
				sc := Schedule{Partner: p, Category: c, Rule: RuleDay, N: 1 + rnd.IntN(31)}
				if rnd.IntN(2) == 0 {
					sc.Rule, sc.N = RuleAfter, rnd.IntN(70)
				}
				if rnd.IntN(3) == 0 {
					sc.From = postal.Month{Year: 2024, Month: 1 + rnd.IntN(12)}
				}
				rules = append(rules, sc)
			}
		}
		now := base.Add(time.Duration(rnd.Int64N(int64(600 * 24 * time.Hour))))
		var receipts []Receipt
		var rows []Row
		type cell struct {
			r Row
			m postal.Month
		}
		got := map[cell]*time.Time{}
		for _, p := range partners[1:] {
			for _, c := range cats {
				r := Row{c, p}
				rows = append(rows, r)
				for m := (postal.Month{Year: 2024, Month: 1}); m.Before(postal.Month{Year: 2025, Month: 6}); m = m.Add(1) {
					for k := rnd.IntN(3); k > 0; k-- { // up to two batches hold it
						monthEnd := time.Date(m.Year, time.Month(m.Month)+1, 1, 0, 0, 0, 0, loc)
						at := monthEnd.Add(time.Duration(rnd.Int64N(int64(80*24*time.Hour))) - 24*time.Hour)
						if at.After(now) {
							continue
						}
						receipts = append(receipts, Receipt{Month: m, Category: c, Partner: p, At: at.UTC()})
						if prev := got[cell{r, m}]; prev == nil || at.Before(*prev) {
							got[cell{r, m}] = &at
						}
					}
				}
			}
		}
		var months []postal.Month
		for m := (postal.Month{Year: 2024, Month: 1}); m.Before(postal.Month{Year: 2025, Month: 6}); m = m.Add(1) {
			months = append(months, m)
		}
		g := NewGrid(rows, months, receipts, rules, now, loc)
		var wantOverdue []string
		for ri, r := range rows {
			for mi, m := range months {
				want := oracleState(rules, r, m, got[cell{r, m}], now, loc)
				counts[want]++
				if c := g.Cells[ri][mi]; c.State != want {
					t.Fatalf("trial %d, %v %s, now %s: state %s, want %s (rules %+v)", trial, r, m, now, c.State, want, rules)
				}
				nowMonth := postal.Month{Year: now.In(loc).Year(), Month: int(now.In(loc).Month())}
				if want == Overdue && m.Before(nowMonth) {
					wantOverdue = append(wantOverdue, fmt.Sprint(r, m))
				}
			}
		}
		// The overdue list over these months (rows start at their first
		// data, or the rule's first month): every overdue cell of the grid
		// from there on.
		var gotOverdue []string
		for _, it := range OverdueList(rows, receipts, rules, now, loc) {
			if it.Month.Before(postal.Month{Year: 2025, Month: 6}) {
				gotOverdue = append(gotOverdue, fmt.Sprint(it.Row, it.Month))
			}
		}
		wantSet := map[string]bool{}
		for _, w := range wantOverdue {
			wantSet[w] = true
		}
		for _, g := range gotOverdue {
			if !wantSet[g] {
				t.Fatalf("trial %d: listed overdue %s, the oracle says it is not", trial, g)
			}
		}
		if len(gotOverdue) > len(wantOverdue) {
			t.Fatalf("trial %d: %d overdue listed, oracle %d", trial, len(gotOverdue), len(wantOverdue))
		}
	}
	for _, s := range []State{OnTime, Late, Due, Overdue, Received, Missing} {
		if counts[s] == 0 {
			t.Errorf("no case of %s: the generator misses it", s)
		}
	}
	t.Logf("cases: %v", counts)
}

func TestDueDateExamples(t *testing.T) {
	for _, tc := range []struct {
		sc   Schedule
		m    postal.Month
		want string
	}{
		{Schedule{Rule: RuleDay, N: 15}, postal.Month{Year: 2025, Month: 3}, "2025-04-15"},
		{Schedule{Rule: RuleDay, N: 31}, postal.Month{Year: 2025, Month: 1}, "2025-02-28"},
		{Schedule{Rule: RuleDay, N: 31}, postal.Month{Year: 2023, Month: 12}, "2024-01-31"},
		{Schedule{Rule: RuleAfter, N: 20}, postal.Month{Year: 2025, Month: 2}, "2025-03-20"},
		{Schedule{Rule: RuleAfter, N: 0}, postal.Month{Year: 2024, Month: 2}, "2024-02-29"},
		{Schedule{Rule: RuleAfter, N: 45}, postal.Month{Year: 2025, Month: 12}, "2026-02-14"},
	} {
		y, m, d := DueDate(tc.sc, tc.m)
		if got := fmt.Sprintf("%04d-%02d-%02d", y, m, d); got != tc.want {
			t.Errorf("%+v of %s: %s, want %s", tc.sc, tc.m, got, tc.want)
		}
	}
}
