package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"postdash/internal/charts"
	"postdash/internal/i18n"
	"postdash/internal/postal"
	"postdash/internal/stats"
)

// tracePage is what trace.html (the page) and trace_panel (the panel the
// overview opens) receive: what one figure sums, fact by fact.
type tracePage struct {
	Page
	Nav
	Error  string
	URL    string       // this trace's own address, to share
	Blocks []traceBlock // the figure, then the same months a year earlier when asked
	Notes  []noteView   // the analysts' notes on the figure's months (calendar.go)
}

// traceBlock is a figure and the facts it sums.
type traceBlock struct {
	Heading, Figure, Total string // Figure: what it is ("Letter post · March 2025 · Inbound")
	Rows                   []traceRow
	More                   string       // how many values are summed but not listed
	Versions               []versionRow // the values of its revised series-months, batch by batch
}

// maxTraceRows bounds the values one trace lists; the total counts them all.
const maxTraceRows = 500

// traceRow is one fact behind a figure.
type traceRow struct {
	Month, Series, Sheet, Cells, Value, User, At, File, Note string
	Batch                                                    int64
	Revised                                                  bool // its series-month's value is revised
}

// trace is GET /trace: the facts a figure of the dashboard sums (the
// measure, the filter of the view, narrowed to the month and series
// clicked), with their batches, files and sheets; panel=1 answers the
// panel alone, for the overview to show beside the figure.
func (s *Server) trace(c *gin.Context) {
	if s.notModified(c) {
		return
	}
	p := tracePage{Page: s.page(c, "trace.title"), Nav: accountNav(c), URL: traceSelf(c)}
	f, err := stats.ParseFilter(c.Query)
	key := c.Query("measure")
	if key == "" {
		key = "letters" // as the overview's first card
	}
	m, ok := stats.AnyMeasure(key)
	status := http.StatusOK
	switch {
	case err != nil:
		p.Error, status = p.Tf("filter.invalid", "reason", filterReason(p.Page, err)), http.StatusBadRequest
	case !ok:
		p.Error, status = p.Tf("trace.unknown_measure", "value", c.Query("measure")), http.StatusBadRequest
	}
	tmpl := "trace.html"
	if c.Query("panel") == "1" {
		tmpl = "trace_panel"
	}
	if p.Error != "" {
		s.html(c, status, tmpl, p)
		return
	}
	f.MaxRows = maxAnswerRows
	f = s.withAsOf(c, f)
	t, err := cached(c.Request.Context(), s, "trace "+c.Request.URL.RawQuery, func() (*stats.Trace, error) {
		return stats.LoadTrace(c.Request.Context(), s.store, f, m, c.Query("compare") == "1")
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	loc := s.locale(p.Lang)
	_, signedIn := currentUser(c) // anonymous visitors of a public dashboard do not learn who uploads
	p.Blocks = append(p.Blocks, traceBlockOf(p.Page, loc, t, signedIn))
	if t.Previous != nil {
		prev := traceBlockOf(p.Page, loc, t.Previous, signedIn)
		prev.Heading = p.T("trace.previous")
		p.Blocks = append(p.Blocks, prev)
	}
	p.Traced = len(p.Blocks[0].Rows) > 0
	p.Legend = legendOf(p.Page, t.Flags)
	notes, err := s.notesOf(c.Request.Context(), t.Filter)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, a := range notes {
		p.Notes = append(p.Notes, viewNote(p.Page, loc, a, signedIn))
	}
	s.html(c, status, tmpl, p)
}

// traceSelf is the trace's shareable address: the request's, without panel.
func traceSelf(c *gin.Context) string {
	q := c.Request.URL.Query()
	q.Del("panel")
	return "/trace?" + q.Encode()
}

func traceBlockOf(p Page, loc charts.Locale, t *stats.Trace, names bool) traceBlock {
	dec := charts.Decimals(t.Measure.Unit)
	unit := p.T("unit." + string(t.Measure.Unit))
	b := traceBlock{Figure: figureName(p, loc, t.Measure, t.Filter), Total: p.T("kpi.nodata")}
	if t.Has {
		b.Total = i18n.FormatNumber(p.Lang, t.Total, dec) + "\u00a0" + unit
	}
	for i, tf := range t.Facts {
		if i == maxTraceRows {
			b.More = p.Tf("trace.more", "count", strconv.Itoa(len(t.Facts)-maxTraceRows))
			break
		}
		row := traceRow{
			Month:  i18n.FormatMonth(p.Lang, tf.Month.Year, tf.Month.Month),
			Series: seriesName(loc, tf.Series),
			Sheet:  tf.Sheet, Cells: tf.Source, Note: tf.Note, Batch: tf.BatchID, File: tf.FileName,
			Value: i18n.FormatNumber(p.Lang, t.Values[i], dec) + "\u00a0" + unit,
			At:    p.Local(tf.At),
		}
		if names {
			row.User = p.UserName(tf.User)
		}
		row.Revised = flagOfFact(t, tf.Month, tf.Series)
		b.Rows = append(b.Rows, row)
	}
	b.Versions = versionRows(p, loc, t, names)
	return b
}

// figureName says what a figure is: its measure, months and filter.
func figureName(p Page, loc charts.Locale, m stats.Measure, f stats.Filter) string {
	name := p.TOr("kpi."+m.Key, loc.Label(postal.FieldCategory, m.Key))
	return name + " · " + periodText(p.Lang, f.From, f.To) + filterText(loc, p, f)
}

// filterText lists the filter's dimensions (" · Inbound · China Post").
func filterText(loc charts.Locale, p Page, f stats.Filter) string {
	var b strings.Builder
	for _, d := range []struct {
		field postal.Field
		value string
	}{{postal.FieldDirection, f.Direction}, {postal.FieldPartner, f.Partner}, {postal.FieldCategory, f.Category}, {postal.FieldMarketplace, f.Marketplace}} {
		if d.value != "" {
			b.WriteString(" · " + loc.Label(d.field, d.value))
		}
	}
	return b.String()
}

// seriesName names a series on one line.
func seriesName(loc charts.Locale, s postal.Series) string {
	parts := []string{loc.Label(postal.FieldCategory, string(s.Category)), loc.Label(postal.FieldDirection, string(s.Direction)), loc.Label(postal.FieldPartner, s.Partner)}
	if s.Marketplace != "" {
		parts = append(parts, loc.Label(postal.FieldMarketplace, s.Marketplace))
	}
	return strings.Join(parts, " · ")
}

// traceLinks builds the trace addresses of a view's figures: the view's
// filter (and language), narrowed to a measure, months and a series.
type traceLinks struct {
	base url.Values
}

func newTraceLinks(lang i18n.Lang, f stats.Filter) traceLinks {
	q := url.Values{}
	for k, v := range f.Values() {
		q.Set(k, v)
	}
	q.Set("lang", string(lang))
	return traceLinks{base: q}
}

// link is the trace of measure over from..to (zero: the view's months),
// narrowed to field = value when field is set; "" when the figure cannot
// be named by a filter (an unknown partner or marketplace).
func (tl traceLinks) link(measure string, from, to postal.Month, field postal.Field, value string, compare bool) string {
	q := url.Values{}
	for k, v := range tl.base {
		q[k] = v
	}
	q.Set("measure", measure)
	if !from.IsZero() {
		q.Set("from", from.String())
		q.Set("to", to.String())
	}
	if field != "" {
		if value == "" {
			return ""
		}
		q.Set(string(field), value)
	}
	if compare {
		q.Set("compare", "1")
	}
	return "/trace?" + q.Encode()
}
