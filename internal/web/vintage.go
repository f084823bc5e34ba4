package web

import (
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"postdash/internal/charts"
	"postdash/internal/i18n"
	"postdash/internal/postal"
	"postdash/internal/stats"
	book "postdash/internal/workbook"
)

// Vintages: a page viewed ?as_of=2025-04-05 (or 2025-04-05T14:30, or
// 2025-04-05T14:30:15, in the readers' time zone) shows the data live at
// the end of that day, minute or second; marks say which figures are
// revised or marked by their sheets.

// asOfLayouts are the forms as_of takes, each with the length of the
// period it names.
var asOfLayouts = []struct {
	layout string
	span   time.Duration
}{
	{"2006-01-02", 24 * time.Hour},
	{"2006-01-02T15:04", time.Minute},
	{"2006-01-02T15:04:05", time.Second},
	{exactAsOfLayout, time.Microsecond}, // with its offset: one instant, whatever the zone's clock changes
}

// exactAsOfLayout is the as_of of one microsecond, with the zone's offset,
// that the trace links of a page showing an earlier data version carry.
const exactAsOfLayout = "2006-01-02T15:04:05.000000-07:00"

// exactAsOf writes t as an as_of naming that very microsecond, in loc.
func exactAsOf(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(exactAsOfLayout)
}

var kindAsOf = kind{"as_of", "YYYY-MM-DD, YYYY-MM-DDTHH:MM, YYYY-MM-DDTHH:MM:SS, YYYY-MM-DDTHH:MM:SS.ffffff±HH:MM", func(s string) bool {
	_, ok := parseAsOf(s, time.UTC)
	return ok
}}

// asOfParam is what the routes that can be viewed as of a time take.
var asOfParam = params{"as_of": kindAsOf}

// parseAsOf reads as_of in loc: the last instant of the day, minute or
// second it names (so that what was committed during it counts).
func parseAsOf(s string, loc *time.Location) (time.Time, bool) {
	for _, f := range asOfLayouts {
		if len(s) != len(f.layout) {
			continue
		}
		t, err := time.ParseInLocation(f.layout, s, loc)
		if err != nil {
			continue
		}
		if f.span == 24*time.Hour { // a calendar day, whatever its length
			return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, loc).Add(-time.Microsecond).UTC(), true
		}
		return t.Add(f.span - time.Microsecond).UTC(), true
	}
	return time.Time{}, false
}

// asOf returns the request's as_of time (zero when it has none or it does
// not parse; checkParams refuses the latter), with its text.
func (s *Server) asOf(c *gin.Context) (time.Time, string) {
	v := c.Query("as_of")
	if v == "" {
		return time.Time{}, ""
	}
	t, ok := parseAsOf(v, s.cfg.Location)
	if !ok {
		return time.Time{}, ""
	}
	return t, v
}

// withAsOf returns f viewing the request's as_of.
func (s *Server) withAsOf(c *gin.Context, f stats.Filter) stats.Filter {
	f.AsOf, f.AsOfParam = s.asOf(c)
	return f
}

// vintageBanner says, on a page viewed as of a time, which time, with a link to the live page.
type vintageBanner struct {
	Text, Live, LiveText, Param string
}

// bannerOf is the banner of a request viewed as of a time, or nil.
func (s *Server) bannerOf(c *gin.Context, p Page) *vintageBanner {
	t, v := s.asOf(c)
	if t.IsZero() {
		return nil
	}
	q := url.Values{}
	for k, vs := range c.Request.URL.Query() {
		q[k] = vs
	}
	q.Del("as_of")
	q.Del("panel")
	live := c.Request.URL.Path
	if len(q) > 0 {
		live += "?" + q.Encode()
	}
	return &vintageBanner{Text: p.Tf("vintage.banner", "when", asOfText(p, t, v)), Live: live, LiveText: p.T("vintage.live"), Param: v}
}

// asOfText writes an as_of time as the reader gave it: a day, or a day and time, with the zone.
func asOfText(p Page, t time.Time, v string) string {
	local := t.In(p.loc)
	if len(v) == len("2006-01-02") {
		return i18n.FormatDate(p.Lang, local) + " (" + zoneName(t, p.loc) + ")"
	}
	layout := "15:04"
	if len(v) >= len("2006-01-02T15:04:05") {
		layout = "15:04:05"
	}
	return i18n.FormatDate(p.Lang, local) + " " + local.Format(layout) + " (" + zoneName(t, p.loc) + ")"
}

// markText writes marks as the tables show them: "*" noted, "r" revised.
func markText(m stats.Marks) string {
	var b strings.Builder
	if len(m.Notes) > 0 {
		b.WriteString("*")
	}
	if m.Revised {
		b.WriteString("r")
	}
	return b.String()
}

// markFunc is the charts' Mark for a view's flags.
func markFunc(fl stats.Flags) func(string, postal.Month, postal.Month, postal.Field, string) string {
	if len(fl.List) == 0 {
		return nil
	}
	return func(key string, from, to postal.Month, field postal.Field, value string) string {
		m, ok := stats.AnyMeasure(key)
		if !ok {
			return ""
		}
		return markText(fl.Of(m, from, to, field, value))
	}
}

// legendOf explains the marks a page shows: one line per kind present.
func legendOf(p Page, fl stats.Flags) []string {
	revised, noted := fl.Any()
	var out []string
	if noted {
		var notes []string
		for _, f := range fl.List {
			if f.Note != "" && !contains(notes, f.Note) {
				notes = append(notes, f.Note)
			}
		}
		out = append(out, "* "+p.Tf("briefing.note.marked", "notes", strings.Join(notes, "; ")))
	}
	if revised {
		out = append(out, "r "+p.T("marks.revised"))
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// versionRow is one batch's value of a revised series-month in the trace panel.
type versionRow struct {
	Month, Series, Value, File, User, At, Status string
	Batch                                        int64
	Live, First                                  bool
}

// versionRows writes the versions of a trace for the panel; names: whether the reader may see who imported.
func versionRows(p Page, loc charts.Locale, t *stats.Trace, names bool) []versionRow {
	dec := charts.Decimals(t.Measure.Unit)
	unit := p.T("unit." + string(t.Measure.Unit))
	var out []versionRow
	for i, v := range t.Versions {
		row := versionRow{Month: i18n.FormatMonth(p.Lang, v.Month.Year, v.Month.Month), Series: seriesName(loc, v.Series),
			File: v.FileName, At: p.Local(v.At), Batch: v.BatchID, Value: "–"}
		if x, ok := t.Measure.Value(v.SeriesMonth); ok {
			row.Value = i18n.FormatNumber(p.Lang, x, dec) + "\u00a0" + unit
		}
		if names {
			row.User = p.UserName(v.User)
		}
		switch {
		case v.UndoneAt != nil:
			row.Status = p.Tf("versions.undone", "when", p.Local(*v.UndoneAt))
			if names && v.UndoneBy != "" {
				row.Status += " (" + p.UserName(v.UndoneBy) + ")"
			}
		case isLiveVersion(t, i):
			row.Status, row.Live = p.T("versions.live"), true
		default:
			row.Status = p.T("versions.superseded")
		}
		if firstLiveVersion(t, i) {
			row.First = true
			row.Status = p.T("versions.first") + " · " + row.Status
		}
		out = append(out, row)
	}
	return out
}

// isLiveVersion reports whether version i of a trace is the one its facts hold.
func isLiveVersion(t *stats.Trace, i int) bool {
	v := t.Versions[i]
	for _, f := range t.Facts {
		if f.Month == v.Month && f.Series == v.Series {
			return f.BatchID == v.BatchID
		}
	}
	return false
}

// firstLiveVersion reports whether version i is the oldest not undone of its series-month.
func firstLiveVersion(t *stats.Trace, i int) bool {
	v := t.Versions[i]
	if v.UndoneAt != nil {
		return false
	}
	for j := i - 1; j >= 0; j-- {
		w := t.Versions[j]
		if w.Month != v.Month || w.Series != v.Series {
			break
		}
		if w.UndoneAt == nil {
			return false
		}
	}
	return true
}

// flagOfFact is the mark of one fact of a trace: "r" when its series-month is revised.
func flagOfFact(t *stats.Trace, mo postal.Month, s postal.Series) bool {
	fl, ok := t.Flags.Get(mo, s)
	return ok && fl.Revised
}

// markRecord writes the marks of the Data row ri of o after its numbers
// (as a sheet marks them: "120*", "120 (r)", which the importer reads
// back as footnote marks).
func markRecord(rec []string, o *stats.Overview, ri int) {
	sm := o.Live[ri]
	fl, ok := o.Flags.Get(sm.Month, sm.Series)
	if !ok {
		return
	}
	for _, i := range []int{5, 6} {
		if rec[i] == "" {
			continue
		}
		if fl.Note != "" {
			rec[i] += "*"
		}
		if fl.Revised {
			rec[i] += " (r)"
		}
	}
}

// markRows is the Marks sheet of an export: the legend, then each marked
// value of the view, all as text.
func markRows(p Page, loc charts.Locale, o *stats.Overview) [][]any {
	legend := legendOf(p, o.Flags)
	if len(legend) == 0 {
		return nil
	}
	var rows [][]any
	for _, line := range legend {
		rows = append(rows, []any{book.SafeText(line)})
	}
	rows = append(rows, []any{})
	for _, fl := range o.Flags.List {
		m := markText(stats.Marks{Revised: fl.Revised, Notes: noteList(fl.Note)})
		line := fl.Month.String() + " · " + seriesName(loc, fl.Series) + ": " + m
		if fl.Revised {
			line += " (" + p.T("versions.first") + ": " + valueText(p, fl.First) + ", " + p.T("sources.batch") + " " + itoa(int(fl.FirstBatch)) + ")"
		}
		rows = append(rows, []any{book.SafeText(line)})
	}
	return rows
}

func noteList(n string) []string {
	if n == "" {
		return nil
	}
	return []string{n}
}

// valueText writes a series-month's items and weight.
func valueText(p Page, sm postal.SeriesMonth) string {
	var parts []string
	if sm.HasItems {
		parts = append(parts, i18n.FormatNumber(p.Lang, float64(sm.Items), 0)+"\u00a0"+p.T("unit.items"))
	}
	if sm.HasWeight {
		parts = append(parts, i18n.FormatNumber(p.Lang, sm.WeightKg, 3)+"\u00a0"+p.T("unit.kg"))
	}
	return strings.Join(parts, ", ")
}
