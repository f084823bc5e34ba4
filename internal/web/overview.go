package web

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"postdash/internal/charts"
	"postdash/internal/i18n"
	"postdash/internal/postal"
	"postdash/internal/query"
	"postdash/internal/stats"
)

// option is one entry of a select in the filter form.
type option struct {
	Value, Label string
	Selected     bool
}

// kpiView is one KPI card, its numbers already written in the reader's language.
type kpiView struct {
	Key, Label, Value, Change, Class string
	YTD                              string // the year to date beside the range
	Trace                            string // what the card sums, with the year before
	Parts                            []partView
}

// partView is what one direction adds to a KPI card.
type partView struct{ Direction, Text, Trace string }

// sourceView is one row of the sources list.
type sourceView struct {
	File, Sheet, User, At string
	Batch                 int64
	Facts                 int64
}

// overviewPage is what overview.html receives.
type overviewPage struct {
	Page
	Nav
	FromOp, ToOp                                         []option // months with data, named in the reader's language
	Directions, Partners, Categories, Markets, MeasureOp []option
	Error                                                string
	Empty, NoMatch                                       bool
	Periods                                              []option // one-click ranges: each year, the year to date, the same months a year earlier
	AsOf                                                 string
	Stale                                                string // the figures are those of an earlier data version, while the current one loads
	View                                                 string // the months and filters shown, for the printed briefing
	PrintTitle                                           string // what and which period, the title on paper
	KPIs                                                 []kpiView
	Charts                                               []charts.Chart
	Sources                                              []sourceView
	Notes                                                []stats.BatchNotes
	ExportXLSX, ExportCSV, Briefing                      string        // the exports and the briefing of this very view, filters kept
	Calendar                                             *calendarView // the schedule's grid, what is overdue, release facts, notes (calendar.go)
}

// overview is GET /: KPIs, charts and sources for the filter in the URL.
func (s *Server) overview(c *gin.Context) {
	if s.notModified(c) {
		return
	}
	if _, signedIn := currentUser(c); !signedIn && s.anonymousOverview(c) {
		return
	}
	// A signed-in reader (who may have just imported or written a note)
	// is answered the current version, waiting for it if need be.
	p, _, status, ok := s.overviewPage(c, "overview.title", false, false)
	if !ok {
		return
	}
	s.html(c, status, "overview.html", p)
}

// renderedPage is a page written once for every reader who is not signed
// in (it names no one and carries no CSRF token).
type renderedPage struct {
	status int
	body   []byte
	gz     []byte // body gzipped, answered to readers who accept gzip (nil: not worth it)
}

// gzipPage returns body gzipped, or nil when that does not make it smaller.
func gzipPage(body []byte) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil
	}
	if _, err := zw.Write(body); err != nil || zw.Close() != nil || buf.Len() >= len(body) {
		return nil
	}
	return buf.Bytes()
}

// serveRendered answers r, gzipped when the reader accepts it: a 300 kB
// page is 30 kB so, one write rather than a dozen, compressed once when
// it was written rather than once per answer.
func serveRendered(c *gin.Context, r renderedPage) {
	c.Header("Vary", "Accept-Language, Cookie, Accept-Encoding")
	if r.gz != nil && acceptsGzip(c.Request) {
		c.Header("Content-Encoding", "gzip")
		c.Header("Content-Length", strconv.Itoa(len(r.gz)))
		c.Data(r.status, "text/html; charset=utf-8", r.gz)
		return
	}
	c.Data(r.status, "text/html; charset=utf-8", r.body)
}

// errAnswered says the page's load answered its request itself (an error page).
var errAnswered = errors.New("the request was answered while loading")

// anonymousOverview answers a reader who is not signed in with the overview
// written once per data version, language and URL: a public dashboard's
// readers, many at once after a commit, do not each render 300 KB of
// charts. Each page written is followed, in the background, by its stale
// twin: the same figures with the notice that they are of an earlier
// version and trace links as of its time. After a commit, while the new
// view loads (overviewData) and then while its page is written, readers
// are answered the last twin written at once: only the very first page
// of a URL is waited for. It reports whether it answered.
func (s *Server) anonymousOverview(c *gin.Context) bool {
	ctx := c.Request.Context()
	version, err := s.dataVersion(ctx)
	if err != nil {
		return false
	}
	key := "overview.html " + string(lang(c)) + " " + c.Request.URL.RawQuery
	serve := func(v any, stale bool, of int64) bool {
		r := v.(renderedPage)
		if stale {
			staleTag(c, of)
		}
		serveRendered(c, r)
		return true
	}
	if v, ok := s.cache.get(version, key); ok {
		return serve(v, false, 0)
	}
	req := s.overviewRequest(c, "overview.title")
	d, stale, err := s.overviewData(ctx, req.f, true)
	if err != nil {
		s.fail(c, err)
		return true
	}
	if v, of, ok := s.cache.latest("stale " + key); ok && (of < d.state.Version || stale && of == d.state.Version) {
		if of < d.state.Version {
			// The page of d is not written yet: write it (or its twin) in
			// the background, answering meanwhile the twin of the last page
			// written.
			cc := c.Copy()
			s.inBackground(fmt.Sprintf("render %d %t %s", d.state.Version, stale, key), func() { _, _ = s.renderOverview(cc, key, req, d, stale) })
		}
		return serve(v, true, of)
	}
	r, err := s.renderOverview(c, key, req, d, stale)
	if err != nil {
		// Answered already, or (a reader who waited on another's failed
		// load) to be answered the ordinary way.
		return c.Writer.Written()
	}
	return serve(r, stale, d.state.Version)
}

// renderOverview writes the anonymous overview of d once (stale: its stale
// twin) and keeps it under key at d's version; a page written current is
// followed, in the background, by its twin.
func (s *Server) renderOverview(c *gin.Context, key string, req overviewRequest, d viewData, stale bool) (renderedPage, error) {
	ckey := key
	if stale {
		ckey = "stale " + key
	}
	var wrote bool
	r, err := cachedAt(s, d.state.Version, ckey, func() (renderedPage, error) {
		p, _, status, ok := s.fillOverview(c, req, d, stale, false)
		if !ok {
			return renderedPage{}, errAnswered
		}
		var buf bytes.Buffer
		if err := s.tpl.ExecuteTemplate(&buf, "overview.html", p); err != nil {
			return renderedPage{}, fmt.Errorf("render overview: %w", err)
		}
		wrote = true
		return renderedPage{status: status, body: buf.Bytes(), gz: gzipPage(buf.Bytes())}, nil
	})
	if err == nil && wrote && !stale {
		cc := c.Copy()
		s.inBackground(fmt.Sprintf("render %d %t %s", d.state.Version, true, key), func() { _, _ = s.renderOverview(cc, key, req, d, true) })
	}
	return r, err
}

// staleTag gives an answer made of the view of an earlier version than
// the request's an ETag of its own, so that a browser holding it asks
// again and gets the current one once it is loaded.
func staleTag(c *gin.Context, version int64) {
	if tag := c.Writer.Header().Get("ETag"); tag != "" {
		c.Header("ETag", strings.TrimSuffix(tag, `"`)+"-"+strconv.FormatInt(version, 10)+`"`)
	}
}

// overviewRequest is what a request for the overview asks: its filter
// (all data when the URL's is refused, with the page's error), measure
// and language.
type overviewRequest struct {
	p       overviewPage
	f       stats.Filter
	measure stats.Measure
	ferr    error
}

// overviewRequest reads the request's filter for an overview page titled titleKey.
func (s *Server) overviewRequest(c *gin.Context, titleKey string) overviewRequest {
	p := overviewPage{Page: s.page(c, titleKey), Nav: accountNav(c)}
	f, ferr := stats.ParseFilter(c.Query)
	if ferr != nil {
		p.Error = p.Tf("filter.invalid", "reason", filterReason(p.Page, ferr))
		f = stats.Filter{}
	}
	if refusal, ok := s.paramRefusal(c); ok && ferr == nil { // the filter's own reason names its fields better
		p.Error, ferr = refusal+" "+p.T("filter.showing_all"), errors.New(refusal)
		f = stats.Filter{}
	}
	if ferr == nil {
		f = s.withAsOf(c, f)
	}
	measure, ok := stats.MeasureByKey(c.Query("measure"))
	if !ok || ferr != nil {
		measure, _ = stats.MeasureByKey("letters")
	}
	return overviewRequest{p: p, f: f, measure: measure, ferr: ferr}
}

// overviewPage loads and writes the view of the request's filter: what the
// overview and the briefing show (charts with value labels when labels;
// the figures of the previous data version, said to be so, while the
// current one loads, when mayBeStale). ok is false when it answered the
// request itself (an error page).
func (s *Server) overviewPage(c *gin.Context, titleKey string, labels, mayBeStale bool) (overviewPage, *stats.Overview, int, bool) {
	req := s.overviewRequest(c, titleKey)
	d, stale, err := s.overviewData(c.Request.Context(), req.f, mayBeStale)
	if err != nil {
		s.fail(c, err)
		return req.p, nil, 0, false
	}
	if stale {
		staleTag(c, d.state.Version)
	}
	return s.fillOverview(c, req, d, stale, labels)
}

// fillOverview writes the view d for the request req. A stale view says
// so, and its figures' trace links view the data as of the time of its
// version (exact to the microsecond), so that each shows what the figure
// was computed from.
func (s *Server) fillOverview(c *gin.Context, req overviewRequest, d viewData, stale, labels bool) (overviewPage, *stats.Overview, int, bool) {
	p, f, measure, ferr := req.p, req.f, req.measure, req.ferr
	o, ch := d.o, d.ch
	l := p.Lang
	loc := s.locale(l)
	loc.Labels = labels
	linked := o.Filter
	switch {
	case stale && d.state.At.IsZero(): // nothing was ever imported: no figure to date
		p.Stale = p.T("overview.stale_empty")
	case stale:
		at := d.state.At.In(s.cfg.Location)
		linked.AsOf, linked.AsOfParam = d.state.At, exactAsOf(d.state.At, s.cfg.Location)
		p.Stale = p.Tf("overview.stale", "when", i18n.FormatDate(l, at)+" "+at.Format("15:04:05"), "zone", zoneName(d.state.At, s.cfg.Location))
	}
	links := newTraceLinks(l, linked)
	loc.Mark = markFunc(o.Flags)
	p.Legend = legendOf(p.Page, o.Flags)
	loc.Trace = func(measure string, from, to postal.Month, field postal.Field, value string) string {
		return links.link(measure, from, to, field, value, false)
	}
	p.FromOp = monthOptions(l, ch.First, ch.Last, f.From, o.Filter.From)
	p.ToOp = monthOptions(l, ch.First, ch.Last, f.To, o.Filter.To)
	p.Directions = options(loc, postal.FieldDirection, stats.DirectionOrder(), f.Direction, p.T("filter.all"))
	p.Categories = options(loc, postal.FieldCategory, stats.CategoryOrder(), f.Category, p.T("filter.all"))
	p.Partners = options(loc, postal.FieldPartner, ch.Partners, f.Partner, p.T("filter.all"))
	p.Markets = options(loc, postal.FieldMarketplace, ch.Marketplaces, f.Marketplace, p.T("filter.all"))
	for _, m := range stats.Measures() {
		p.MeasureOp = append(p.MeasureOp, option{Value: m.Key, Label: p.T("kpi." + m.Key), Selected: m.Key == measure.Key})
	}
	p.ExportXLSX, p.ExportCSV = viewLink("/export.xlsx", c), viewLink("/export.csv", c)
	p.Empty = o.Empty
	p.NoMatch = !o.Empty && !o.HasData()
	if !o.AsOf.IsZero() && !o.LastMonth.IsZero() {
		p.AsOf = p.Tf("overview.asof", "month", i18n.FormatMonth(l, o.LastMonth.Year, o.LastMonth.Month),
			"when", i18n.FormatDateTime(l, o.AsOf.In(s.cfg.Location)), "zone", zoneName(o.AsOf, s.cfg.Location))
	}
	if !o.Empty {
		p.View = viewSummary(p.Page, loc, o.Filter)
		if len(o.Months) > 0 {
			p.PrintTitle = p.Tf("briefing.title", "period", periodText(l, o.Months[0], o.Months[len(o.Months)-1]))
		}
		for _, k := range o.KPIs {
			card := kpiCard(p.Page, l, k)
			if k.Has {
				card.Trace = links.link(k.Key, postal.Month{}, postal.Month{}, "", "", k.Change != nil)
				for i := range card.Parts {
					card.Parts[i].Trace = links.link(k.Key, postal.Month{}, postal.Month{}, postal.FieldDirection, card.Parts[i].Direction, false)
				}
			}
			p.KPIs = append(p.KPIs, card)
		}
		yf, yt := o.YTDRange()
		for i, r := range o.Summary() {
			if r.YTD.Has {
				dec := charts.Decimals(r.Unit)
				p.KPIs[i].YTD = p.Tf("kpi.ytd", "period", periodText(l, yf, yt),
					"value", i18n.FormatNumber(l, r.YTD.V, dec)+"\u00a0"+p.T("unit."+string(r.Unit)))
			}
		}
		p.Periods = periodOptions(p.Page, c, ch, o)
		p.Charts = []charts.Chart{loc.Letters(o), loc.Registered(o), loc.Tonnage(o), loc.Marketplaces(o),
			loc.YearOverYear(o, measure), loc.Balance(o), loc.Completeness(o)}
		p.Notes = o.Notes
		s.addCalendar(c, &p, d.cal, loc)
		_, signedIn := currentUser(c)
		for _, src := range o.Sources {
			sv := sourceView{File: src.FileName, Sheet: src.Sheet, At: p.Local(src.At), Batch: src.BatchID, Facts: src.Facts}
			if signedIn { // anonymous visitors of a public dashboard do not learn who uploads
				sv.User = p.UserName(src.User)
			}
			p.Sources = append(p.Sources, sv)
		}
	}
	p.Traced = len(p.Sources) > 0
	p.Briefing = viewLink("/briefing", c)
	status := http.StatusOK
	if ferr != nil {
		status = http.StatusBadRequest
	}
	return p, o, status, true
}

// kpiCard writes a KPI in language l.
func kpiCard(p Page, l i18n.Lang, k stats.KPI) kpiView {
	dec := charts.Decimals(k.Unit)
	unit := p.T("unit." + string(k.Unit))
	val := func(v float64) string { return i18n.FormatNumber(l, v, dec) + "\u00a0" + unit }
	v := kpiView{Key: k.Key, Label: p.T("kpi." + k.Key), Value: p.T("kpi.nodata")}
	if !k.Has {
		return v // nothing to split or compare
	}
	v.Value = val(k.Value)
	for _, part := range k.Parts {
		v.Parts = append(v.Parts, partView{Direction: string(part.Direction), Text: p.Tf("kpi."+string(part.Direction), "value", val(part.Value))})
	}
	switch r, ok := changeRatio(k); {
	case k.Change == nil:
		v.Change = p.T("kpi.nocompare")
	case !ok:
		v.Change = p.Tf("kpi.change.fromzero", "months", monthsText(l, k.Change.Months), "previous", monthsText(l, yearEarlier(k.Change.Months)))
	default:
		sign := "+"
		v.Class = "up"
		if r < 0 {
			sign, v.Class = "−", "down"
			r = -r
		}
		v.Change = p.Tf("kpi.change", "pct", sign+i18n.FormatNumber(l, r*100, 1)+"\u00a0%", "months", monthsText(l, k.Change.Months),
			"previous", monthsText(l, yearEarlier(k.Change.Months)))
	}
	return v
}

func changeRatio(k stats.KPI) (float64, bool) {
	if k.Change == nil {
		return 0, false
	}
	return k.Change.Ratio()
}

// monthsText lists months briefly ("Jan–Jun 2025" when consecutive).
// yearEarlier are the months ms compare with: the same months a year earlier.
func yearEarlier(ms []postal.Month) []postal.Month {
	out := make([]postal.Month, len(ms))
	for i, m := range ms {
		out[i] = postal.Month{Year: m.Year - 1, Month: m.Month}
	}
	return out
}

func monthsText(l i18n.Lang, ms []postal.Month) string {
	if len(ms) == 0 {
		return ""
	}
	first, last := ms[0], ms[len(ms)-1]
	if last.Index()-first.Index() == len(ms)-1 {
		if first == last {
			return i18n.FormatMonth(l, first.Year, first.Month)
		}
		return i18n.MonthShort(l, first.Month) + " " + itoa(first.Year) + "–" + i18n.MonthShort(l, last.Month) + " " + itoa(last.Year)
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = i18n.MonthShort(l, m.Month) + " " + itoa(m.Year)
	}
	return strings.Join(parts, ", ")
}

// filterReason says in the page's language why the URL's filter was refused.
func filterReason(p Page, err error) string {
	var fe stats.FilterError
	if !errors.As(err, &fe) {
		return err.Error()
	}
	return filterReasonText(p.cat, p.Lang, fe)
}

// filterReasonText is the sentence of a refused filter in l, for pages and the API.
func filterReasonText(cat *i18n.Catalogs, l i18n.Lang, fe stats.FilterError) string {
	field := map[string]string{"from": "filter.from", "to": "filter.to", "direction": "field.direction", "category": "field.category"}[fe.Param]
	return cat.T(l, "filter.reason."+fe.Reason, map[string]string{"field": cat.T(l, field, nil), "value": fe.Value})
}

// filterRefusal answers an API call whose filter or question is wrong: 400,
// in the request's language (a stats.FilterError or a query.Error; anything
// else is not the caller's mistake and answers 500).
func (s *Server) filterRefusal(c *gin.Context, err error) {
	if fe, ok := errors.AsType[stats.FilterError](err); ok {
		c.JSON(http.StatusBadRequest, gin.H{"error": filterReasonText(s.cat, lang(c), fe)})
		return
	}
	if qe, ok := errors.AsType[*query.Error](err); ok {
		c.JSON(http.StatusBadRequest, gin.H{"error": s.cat.T(lang(c), qe.Key(), qe.Args())})
		return
	}
	s.apiFail(c, err)
}

// monthOptions lists the months from first to last, naming them in l;
// selected (or, when it is zero, def) is the chosen one, added when it lies
// outside the data.
func monthOptions(l i18n.Lang, first, last, selected, def postal.Month) []option {
	if selected.IsZero() {
		selected = def
	}
	var out []option
	add := func(m postal.Month) {
		out = append(out, option{Value: m.String(), Label: i18n.FormatMonth(l, m.Year, m.Month), Selected: m == selected})
	}
	if !selected.IsZero() && selected.Before(first) {
		add(selected)
	}
	for m := first; !first.IsZero() && !last.Before(m); m = m.Add(1) {
		add(m)
	}
	if !selected.IsZero() && last.Before(selected) {
		add(selected)
	}
	return out
}

// viewSummary says which months and filters the page shows ("Period:
// January 2025 – June 2025 · Direction: Inbound"), for the printed briefing.
func viewSummary(p Page, loc charts.Locale, f stats.Filter) string {
	parts := []string{p.Tf("overview.period", "from", i18n.FormatMonth(p.Lang, f.From.Year, f.From.Month), "to", i18n.FormatMonth(p.Lang, f.To.Year, f.To.Month))}
	for _, d := range []struct {
		field postal.Field
		value string
	}{{postal.FieldDirection, f.Direction}, {postal.FieldPartner, f.Partner}, {postal.FieldCategory, f.Category}, {postal.FieldMarketplace, f.Marketplace}} {
		if d.value != "" {
			parts = append(parts, p.T("field."+string(d.field))+": "+loc.Label(d.field, d.value))
		}
	}
	return strings.Join(parts, " · ")
}

func options(loc charts.Locale, field postal.Field, values []string, selected, all string) []option {
	out := []option{{Value: "", Label: all, Selected: selected == ""}}
	for _, v := range values {
		out = append(out, option{Value: v, Label: loc.Label(field, v), Selected: v == selected})
	}
	if selected != "" && !slices.Contains(values, selected) {
		out = append(out, option{Value: selected, Label: loc.Label(field, selected), Selected: true})
	}
	return out
}

// fail logs err and answers a plain 500 page.
func (s *Server) fail(c *gin.Context, err error) {
	v := errorView{Page: s.page(c, "error.title")}
	if errors.Is(err, stats.ErrTooManyRows) {
		v.Text = s.cat.T(lang(c), "error.too_large", map[string]string{"limit": itoa(maxAnswerRows)})
		s.html(c, http.StatusRequestEntityTooLarge, "error.html", v)
		return
	}
	s.logger(c).Error("request failed", "path", c.Request.URL.Path, "err", err)
	s.html(c, http.StatusInternalServerError, "error.html", v)
}

// viewLink is path with the request's query parameters (the filter, the
// measure, the language), re-encoded so that each stays its own parameter.
func viewLink(path string, c *gin.Context) string {
	q := c.Request.URL.Query()
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// periodOptions are the one-click ranges of the filter form: each year
// with data, the year to date of the last one, and the months of the view
// a year earlier; the other filters stay.
func periodOptions(p Page, c *gin.Context, ch stats.Choices, o *stats.Overview) []option {
	if ch.First.IsZero() {
		return nil
	}
	link := func(from, to postal.Month) string {
		q := c.Request.URL.Query()
		q.Set("from", from.String())
		q.Set("to", to.String())
		return "/?" + q.Encode()
	}
	f := o.Filter
	var out []option
	for y := ch.First.Year; y <= ch.Last.Year; y++ {
		from, to := postal.Month{Year: y, Month: 1}, postal.Month{Year: y, Month: 12}
		out = append(out, option{Value: link(from, to), Label: i18n.FormatYear(p.Lang, y), Selected: f.From == from && f.To == to})
	}
	ytdFrom := postal.Month{Year: ch.Last.Year, Month: 1}
	out = append(out, option{Value: link(ytdFrom, ch.Last), Label: p.Tf("period.ytd", "period", periodText(p.Lang, ytdFrom, ch.Last)), Selected: f.From == ytdFrom && f.To == ch.Last})
	pf, pt := f.From.Add(-12), f.To.Add(-12)
	out = append(out, option{Value: link(pf, pt), Label: p.Tf("period.previous", "period", periodText(p.Lang, pf, pt))})
	return out
}

// errorView is the error page: the general sentence, or Text.
type errorView struct {
	Page
	Text string
}

// maxAnswerRows bounds the rows (series-months or groups) one page, export
// or API answer is built from: past it the request is refused in a
// sentence rather than answered in hundreds of megabytes.
const maxAnswerRows = 20_000
