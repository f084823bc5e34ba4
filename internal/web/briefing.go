package web

import (
	"strings"

	"github.com/gin-gonic/gin"

	"postdash/internal/charts"
	"postdash/internal/i18n"
	"postdash/internal/postal"
	"postdash/internal/stats"
)

// briefingPage is what briefing.html receives: the overview's view, titled
// with what and which period, with its summary table first.
type briefingPage struct {
	overviewPage
	Heading                           string
	PeriodHead, PreviousHead, YTDHead string
	Summary                           []summaryView
	Footnotes                         []string
	Back                              string // the overview of the same view
}

// summaryView is one row of the summary table, written in the reader's language.
type summaryView struct {
	Key, Label                                  string
	Current, Previous, Change, Growth, YTD, Ref string // Ref marks a footnote ("¹")
}

// briefing is GET /briefing: the view as a document to print or save as
// PDF: title, summary table, charts with their values, notes and sources.
func (s *Server) briefing(c *gin.Context) {
	if s.notModified(c) {
		return
	}
	op, o, status, ok := s.overviewPage(c, "briefing.doc", true, false)
	if !ok {
		return
	}
	p := briefingPage{overviewPage: op, Back: viewLink("/", c)}
	p.Heading = p.T("briefing.doc")
	if o != nil && !o.Empty {
		f := o.Filter
		if len(o.Months) > 0 { // the months with data, not those a URL asked for
			f.From, f.To = o.Months[0], o.Months[len(o.Months)-1]
		}
		if p.PrintTitle != "" {
			p.Heading = p.PrintTitle
		}
		p.PeriodHead = periodText(p.Lang, f.From, f.To)
		p.PreviousHead = periodText(p.Lang, f.From.Add(-12), f.To.Add(-12))
		yf, yt := o.YTDRange()
		p.YTDHead = p.Tf("briefing.col.ytd", "period", periodText(p.Lang, yf, yt))
		p.Summary, p.Footnotes = summaryRows(p.Page, o, len(o.Months))
		if err := s.markNoted(c, o, &p); err != nil {
			s.fail(c, err)
			return
		}
		if op.Vintage != nil { // on paper too, the title says which day's data it shows
			p.Heading += " · " + p.Tf("vintage.title", "when", asOfText(p.Page, o.Filter.AsOf, op.Vintage.Param))
		}
		p.Footnotes = append(p.Footnotes, noteFootnotes(p.Page, op.Calendar)...)
		p.Title = p.Heading
		// The completeness grid is for analysts; the briefing keeps the figures.
		p.Charts = slicesWithout(p.Charts, "chart-completeness")
	}
	s.html(c, status, "briefing.html", p)
}

func slicesWithout(cs []charts.Chart, id string) []charts.Chart {
	out := cs[:0:0]
	for _, c := range cs {
		if c.ID != id {
			out = append(out, c)
		}
	}
	return out
}

// summaryRows writes the summary table: each measure over the period, the
// same months a year earlier, the change and the growth rate (over the
// months both years hold; a footnote names them when they are fewer than
// the period's), and the year to date.
func summaryRows(p Page, o *stats.Overview, months int) ([]summaryView, []string) {
	l := p.Lang
	var rows []summaryView
	var notes []string
	marks := []string{"¹", "²", "³", "⁴"}
	for _, r := range o.Summary() {
		dec := charts.Decimals(r.Unit)
		num := func(c stats.Cell) string {
			if !c.Has {
				return "–"
			}
			return i18n.FormatNumber(l, c.V, dec)
		}
		v := summaryView{Key: r.Key, Label: p.T("kpi."+r.Key) + ", " + p.T("unit."+string(r.Unit)),
			Current: num(r.Current), Previous: num(r.Previous), Change: "–", Growth: "–", YTD: num(r.YTD)}
		if r.Change != nil && r.Change.Previous != 0 {
			ratio := r.Change.Current / r.Change.Previous
			v.Change = signed(l, (ratio-1)*100)
			v.Growth = i18n.FormatNumber(l, ratio*100, 1)
			if len(r.Change.Months) < months {
				v.Ref = marks[len(notes)%len(marks)]
				notes = append(notes, v.Ref+" "+p.Tf("briefing.note.compared", "measure", p.T("kpi."+r.Key), "months", monthsText(l, r.Change.Months)))
			}
		}
		rows = append(rows, v)
	}
	return rows, notes
}

// signed writes a percentage with its sign: "+6.8", "−2.0".
func signed(l i18n.Lang, pct float64) string {
	if pct < 0 {
		return "−" + i18n.FormatNumber(l, -pct, 1)
	}
	return "+" + i18n.FormatNumber(l, pct, 1)
}

// periodText names a range of months as a title does: "June 2025",
// "January–June 2025", "2025" (a whole year), "December 2024 – March 2025".
func periodText(l i18n.Lang, from, to postal.Month) string {
	switch {
	case from == to:
		return i18n.FormatMonth(l, from.Year, from.Month)
	case from.Year == to.Year && from.Month == 1 && to.Month == 12:
		return i18n.FormatYear(l, from.Year)
	case from.Year == to.Year:
		one := i18n.FormatMonth(l, from.Year, from.Month)
		name := i18n.MonthName(l, from.Month)
		return strings.Replace(one, name, name+"–"+i18n.MonthName(l, to.Month), 1)
	}
	return i18n.FormatMonth(l, from.Year, from.Month) + " – " + i18n.FormatMonth(l, to.Year, to.Month)
}

// markNoted marks the summary figures that sum a value its sheet marked
// ("*", a footnote such as "preliminary") or a revised value ("r"), and
// explains the marks below the table.
func (s *Server) markNoted(_ *gin.Context, o *stats.Overview, p *briefingPage) error {
	for i, r := range o.Summary() {
		if p.Summary[i].Current != "–" {
			p.Summary[i].Current += markText(o.Flags.Of(r.Measure, postal.Month{}, postal.Month{}, "", ""))
		}
	}
	p.Footnotes = append(p.Footnotes, p.Legend...)
	p.Legend = nil // said under the summary table
	return nil
}
