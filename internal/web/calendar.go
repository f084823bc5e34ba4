package web

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"postdash/internal/calendar"
	"postdash/internal/charts"
	"postdash/internal/i18n"
	"postdash/internal/postal"
	"postdash/internal/stats"
)

// now is the server's clock (Config.Now, or the system's).
func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// today is the date in the readers' time zone: what the schedule's states
// depend on besides the data, so caches and ETags carry it.
func (s *Server) today() string { return s.now().In(s.cfg.Location).Format("2006-01-02") }

// calendarView is what the overview shows of the calendar.
type calendarView struct {
	HasRules    bool
	ShowOverdue bool // the reader is an analyst and a schedule exists
	Legend      []charts.LegendItem
	Overdue     []string // for analysts only: what is overdue, oldest first
	OverdueMore string
	Final       string // the view's final months
	Preliminary string // and its preliminary ones
	NextDue     string
	Notes       []noteView
}

// noteView is one annotation as pages show it.
type noteView struct {
	ID                         int64
	Month, MonthValue, Scope   string
	Partner, Category          string
	Text, By, At, Edited, Line string
}

// maxOverdueShown bounds the overview's list of what is overdue.
const maxOverdueShown = 10

// loadCalendar returns the calendar of the overview o (f as the URL gave it).
func (s *Server) loadCalendar(ctx context.Context, f stats.Filter, o *stats.Overview) (*calendar.View, error) {
	openEnd := f.To.IsZero()
	key := fmt.Sprintf("calendar %+v %v %s", o.Filter, openEnd, s.today())
	return cached(ctx, s, key, func() (*calendar.View, error) {
		return calendar.Load(ctx, s.store, calendar.Request{Query: o.Filter.Query(), Months: o.Months, OpenEnd: openEnd,
			Now: s.now(), Location: s.cfg.Location})
	})
}

// addCalendar adds the schedule's grid, what is overdue, the release facts
// and the notes on months to an overview page.
// v is the calendar of the page's view (nil: an empty overview).
func (s *Server) addCalendar(c *gin.Context, p *overviewPage, v *calendar.View, loc charts.Locale) {
	if v == nil {
		return
	}
	cv := &calendarView{HasRules: len(v.Rules) > 0}
	if cv.HasRules {
		cv.Legend = loc.Legend()
		for i := range p.Charts {
			if p.Charts[i].ID == "chart-completeness" {
				p.Charts[i] = loc.ScheduledCompleteness(v.Grid, func(cell calendar.Cell) string { return gridCellText(p.Page, cell, s.cfg.Location) })
			}
		}
		if nav := accountNav(c); nav.IsAnalyst {
			cv.ShowOverdue = true
			for i, it := range v.Overdue {
				if i == maxOverdueShown {
					cv.OverdueMore = p.Tf("calendar.overdue.more", "count", strconv.Itoa(len(v.Overdue)-maxOverdueShown))
					break
				}
				cv.Overdue = append(cv.Overdue, overdueText(p.Page, loc, it, s.cfg.Location))
			}
		}
		if !v.NextDue.IsZero() {
			cv.NextDue = p.Tf("calendar.next_due", "date", i18n.FormatDate(p.Lang, v.NextDue), "month", i18n.FormatMonth(p.Lang, v.NextMonth.Year, v.NextMonth.Month))
		}
	}
	var final, prelim []postal.Month
	for _, r := range v.Release {
		if r.Preliminary {
			prelim = append(prelim, r.Month)
		} else {
			final = append(final, r.Month)
		}
	}
	if len(final) > 0 {
		cv.Final = monthsText(p.Lang, final)
	}
	if len(prelim) > 0 {
		cv.Preliminary = monthsText(p.Lang, prelim)
	}
	_, signedIn := currentUser(c)
	var marks []charts.MonthNote
	for _, a := range v.Notes {
		cv.Notes = append(cv.Notes, viewNote(p.Page, loc, a, signedIn))
		marks = append(marks, charts.MonthNote{Month: a.Month, Label: a.Text})
	}
	for i := range p.Charts {
		loc.MarkNotes(&p.Charts[i], marks)
	}
	p.Calendar = cv
}

// gridCellText says a grid cell's state with its date.
func gridCellText(p Page, c calendar.Cell, tz *time.Location) string {
	switch c.State {
	case calendar.OnTime, calendar.Late:
		return p.Tf("calendar.cell."+string(c.State), "date", i18n.FormatDate(p.Lang, c.Received.In(tz)))
	case calendar.Due, calendar.Overdue:
		return p.Tf("calendar.cell."+string(c.State), "date", i18n.FormatDate(p.Lang, c.Due))
	}
	return p.T("calendar.state." + string(c.State))
}

// overdueText names an overdue month: "Parcels · China Post, July 2025: due 15 August 2025".
func overdueText(p Page, loc charts.Locale, it calendar.OverdueItem, tz *time.Location) string {
	return p.Tf("calendar.overdue.item", "series", loc.Label(postal.FieldCategory, string(it.Category))+" · "+loc.Label(postal.FieldPartner, it.Partner),
		"month", i18n.FormatMonth(p.Lang, it.Month.Year, it.Month.Month), "date", i18n.FormatDate(p.Lang, it.Due.In(tz)))
}

// viewNote writes a note for a page; who wrote it only for signed-in readers.
func viewNote(p Page, loc charts.Locale, a calendar.Annotation, names bool) noteView {
	v := noteView{ID: a.ID, Month: i18n.FormatMonth(p.Lang, a.Month.Year, a.Month.Month), MonthValue: a.Month.String(),
		Partner: a.Partner, Category: a.Category, Text: a.Text, At: p.Local(a.CreatedAt)}
	var scope []string
	if a.Category != "" {
		scope = append(scope, loc.Label(postal.FieldCategory, a.Category))
	}
	if a.Partner != "" {
		scope = append(scope, loc.Label(postal.FieldPartner, a.Partner))
	}
	v.Scope = strings.Join(scope, " · ")
	if names {
		v.By = p.UserName(a.CreatedBy)
		if a.UpdatedAt != nil {
			v.Edited = p.Tf("calendar.note.edited", "who", p.UserName(a.UpdatedBy), "when", p.Local(*a.UpdatedAt))
		}
	}
	v.Line = v.Month
	if v.Scope != "" {
		v.Line += " (" + v.Scope + ")"
	}
	v.Line += ": " + a.Text
	return v
}

// notesOf lists the notes on months from..to that speak of the filter, for the trace and the briefing.
func (s *Server) notesOf(ctx context.Context, f stats.Filter) ([]calendar.Annotation, error) {
	key := fmt.Sprintf("notes %+v", f)
	return cached(ctx, s, key, func() ([]calendar.Annotation, error) {
		all, err := s.store.Annotations(ctx, f.From, f.To)
		if err != nil {
			return nil, err
		}
		return calendar.Applying(all, f.Query()), nil
	})
}

// noteFootnotes are the briefing's footnotes of the notes on its months.
func noteFootnotes(p Page, cv *calendarView) []string {
	if cv == nil {
		return nil
	}
	var out []string
	for _, n := range cv.Notes {
		out = append(out, "† "+p.Tf("calendar.note.footnote", "note", n.Line))
	}
	return out
}
