package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"postdash/internal/charts"
	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/postal"
	"postdash/internal/stats"
)

// jobView is the job page's data: progress while the file is read, then
// the preview (or why there is none), then the commit's outcome.
type jobView struct {
	Page
	Nav
	ID          string
	FileName    string
	State       string
	Running     bool
	Progress    importer.Progress
	Status      string // the import's status once known
	Message     string // why it was refused, or what it duplicates
	Notice      string
	Batch       int64
	Rows        string
	Facts       string
	Items       string
	Kg          string
	Sheets      []sheetView
	PreviewHead []string
	Errors      []issueView
	ErrorCount  int
	MoreErrors  int
	Warnings    []issueView
	Added       int
	Changed     int
	Unchanged   int
	Diff        []diffView
	MoreDiff    int
	CanConfirm  bool
	CanCancel   bool
	// ExportWarning says that the batch makes the dashboard hold more
	// series-months than an export of all of it lists (maxAnswerRows).
	ExportWarning string
	// Mapping says which mapping the preview was read with, if any.
	Mapping   string
	MappingID int64
	// CanMap: the preview may be read again with the analyst's choices.
	CanMap  bool
	Choices choiceOptions
	Unknown bool // some table has numbers of unknown meaning
}

// sheetView is one sheet of the preview.
type sheetView struct {
	importer.SheetReport
	NoteText string
	Tables   []tableView
}

// tableView is one table of a sheet as it was understood: its range,
// layout, what came from its context, each column's (or stub row's)
// meaning and total, and the accounting of its numeric cells.
type tableView struct {
	Range, Layout string
	Context       []string
	Columns       []tableColumnView
	Accounting    string
	Unknown       bool
	Sheet, Index  int    // where it is in the outcome, for the choices' form
	Mapping       string // the mapping it was read with
	MappingID     int64
}

type tableColumnView struct {
	Cell, Header, Meaning, Total, Counts string
	Unknown                              bool
	Choosable                            bool // it has a header text a mapping can name
	IsRow                                bool // a stub row of a months-across table
	Row                                  int
	Col                                  string // its column's letters
}

// issueView is an error or warning in the reader's language.
type issueView struct {
	Sheet, Cell, Text string
}

// diffView is one formatted line of the diff.
type diffView struct {
	Month, Series, Kind, Old, New string
}

// previewColumns name the columns of importer.SheetReport.Preview rows.
var previewColumns = []string{"period", "direction", "partner", "category", "marketplace", "items", "kg"}

func (a *accounts) jobPage(c *gin.Context) {
	job, ok := a.userJob(c)
	if !ok {
		return
	}
	l := lang(c)
	v := jobView{Page: a.s.page(c, "acct.job.title"), Nav: accountNav(c), ID: job.ID, FileName: job.FileName,
		State: job.State, Progress: a.s.jobs.ProgressOf(job)}
	v.Running = !v.Progress.Done
	for _, col := range previewColumns {
		v.PreviewHead = append(v.PreviewHead, a.s.cat.T(l, "acct.col."+col, nil))
	}
	var r importer.JobResult
	if len(job.Result) > 0 && json.Unmarshal(job.Result, &r) == nil {
		a.fillOutcome(&v, r)
	}
	v.CanConfirm = job.State == importer.JobReady && v.Status == importer.StatusDryRun
	v.CanMap = job.State == importer.JobReady && (v.Status == importer.StatusDryRun || v.Status == importer.StatusRejected)
	v.Choices = choiceOptionsOf(v.Page, a.s.locale(l))
	v.CanCancel = job.State == importer.JobReady || job.State == importer.JobParsing
	if v.CanConfirm {
		v.ExportWarning = a.exportWarning(c, l, v.Added)
	}
	c.Header("Cache-Control", "no-store")
	a.s.html(c, http.StatusOK, "upload_job.html", v)
}

// exportWarning is the preview's warning when committing a batch adding
// added series-months would make the dashboard hold more than an export
// of all of it lists ("" when it would not, or the count cannot be read).
func (a *accounts) exportWarning(c *gin.Context, l i18n.Lang, added int) string {
	all, err := a.s.store.LiveGroups(c.Request.Context(), stats.Query{})
	if err != nil {
		a.s.logger(c).Warn("count live series-months", "err", err)
		return ""
	}
	n := int64(added)
	for _, g := range all {
		n += g.Count
	}
	if n <= maxAnswerRows {
		return ""
	}
	return a.s.cat.T(l, "acct.job.export_warning", map[string]string{
		"count": i18n.FormatNumber(l, float64(n), 0), "limit": i18n.FormatNumber(l, maxAnswerRows, 0)})
}

func (a *accounts) fillOutcome(v *jobView, r importer.JobResult) {
	l, loc := v.Lang, a.s.locale(v.Lang)
	out := r.Outcome
	v.Status, v.Batch = out.Status, out.Batch
	v.Rows, v.Facts = i18n.FormatItems(l, out.Rows), i18n.FormatItems(l, out.Facts)
	v.Items, v.Kg = i18n.FormatItems(l, out.Totals.Items), i18n.FormatKg(l, out.Totals.WeightKg)
	switch {
	case r.Refusal != nil:
		v.Message = a.refusalText(l, *r.Refusal, r.RefusalSheets)
	case r.Message != nil:
		v.Message = a.issueText(l, *r.Message)
	case out.Message != "":
		v.Message = out.Message
	}
	if r.Notice != "" {
		v.Notice = a.s.cat.T(l, r.Notice, nil)
	}
	v.Mapping = mappingRefText(v.Page, out.Mapping)
	if out.Mapping != nil {
		v.MappingID = out.Mapping.ID
	}
	for si, s := range r.Sheets {
		sv := sheetView{SheetReport: s}
		sv.Preview = formatPreview(l, loc, s.Preview)
		sv.Columns = make([]importer.Column, len(s.Columns))
		for i, col := range s.Columns {
			col.Meaning = meaningText(v.Page, loc, col.Meaning)
			sv.Columns[i] = col
		}
		if n, ok := r.Notes[s.Name]; ok {
			sv.NoteText = a.issueText(l, n)
		}
		for ti, t := range s.Tables {
			tv := tableViewOf(v.Page, loc, t)
			tv.Sheet, tv.Index, tv.Mapping = si, ti, mappingRefText(v.Page, t.Mapping)
			if t.Mapping != nil {
				tv.MappingID = t.Mapping.ID
			}
			sv.Tables = append(sv.Tables, tv)
			v.Unknown = v.Unknown || tv.Unknown
		}
		v.Sheets = append(v.Sheets, sv)
	}
	for _, is := range r.Errors {
		v.Errors = append(v.Errors, issueView{is.Sheet, is.Cell, a.issueText(l, is)})
	}
	v.ErrorCount = out.ErrorCount
	v.MoreErrors = max(0, out.ErrorCount-len(v.Errors))
	for _, is := range r.Warnings {
		v.Warnings = append(v.Warnings, issueView{is.Sheet, is.Cell, a.issueText(l, is)})
	}
	v.Added, v.Changed, v.Unchanged = r.Counts[importer.Added], r.Counts[importer.Changed], r.Counts[importer.Unchanged]
	for _, d := range r.Diff {
		dv := diffView{Month: d.Month, Kind: d.Kind, New: formatMeasure(l, d.New)}
		dv.Series = strings.Join(nonEmpty(
			label(loc, postal.FieldDirection, d.Direction), label(loc, postal.FieldPartner, d.Partner),
			label(loc, postal.FieldCategory, d.Category), label(loc, postal.FieldMarketplace, d.Marketplace)), " · ")
		if d.Old != nil {
			dv.Old = formatMeasure(l, *d.Old)
		}
		v.Diff = append(v.Diff, dv)
	}
	v.MoreDiff = max(0, v.Added+v.Changed-len(v.Diff))
}

// issueText renders an issue in language l, falling back to its English text.
func (a *accounts) issueText(l i18n.Lang, is importer.IssueJSON) string {
	is.Args = importer.InZone(is.Args, a.s.cfg.Location) // a time, as the pages write it
	if sum, ok := is.Args["sum"]; ok {
		// The reader writes the sum of a total row with a decimal point;
		// the page writes numbers the way its language does.
		if v, err := strconv.ParseFloat(sum, 64); err == nil {
			decimals := 0
			if i := strings.IndexByte(sum, '.'); i >= 0 {
				decimals = len(sum) - i - 1
			}
			args := make(map[string]string, len(is.Args))
			for k, v := range is.Args {
				args[k] = v
			}
			args["sum"] = i18n.FormatNumber(l, v, decimals)
			is.Args = args
		}
	}
	if is.Key != "" {
		if t := a.s.cat.T(l, is.Key, is.Args); t != is.Key {
			return t
		}
	}
	return is.Text
}

// refusalText says why a file was refused in l, with the reason of each
// skipped sheet in l too (the refusal's own {sheets} argument is English).
func (a *accounts) refusalText(l i18n.Lang, ref importer.IssueJSON, sheets []importer.IssueJSON) string {
	if len(sheets) > 0 {
		why := make([]string, 0, len(sheets))
		for _, s := range sheets {
			why = append(why, a.issueText(l, s))
		}
		args := make(map[string]string, len(ref.Args))
		for k, v := range ref.Args {
			args[k] = v
		}
		args["sheets"] = strings.Join(why, " ")
		ref.Args = args
	}
	return a.issueText(l, ref)
}

// previewFields are the fields of the preview columns 1 to 4 (see previewColumns).
var previewFields = []postal.Field{postal.FieldDirection, postal.FieldPartner, postal.FieldCategory, postal.FieldMarketplace}

// formatPreview writes the canonical values of preview rows (see
// previewColumns) by their names, and the items and kg columns in the
// reader's number format.
func formatPreview(l i18n.Lang, loc charts.Locale, rows [][]string) [][]string {
	out := make([][]string, 0, len(rows))
	for _, r := range rows {
		r = append([]string(nil), r...)
		if len(r) == len(previewColumns) {
			for i, f := range previewFields {
				r[i+1] = label(loc, f, r[i+1])
			}
			if n, err := strconv.ParseInt(r[5], 10, 64); err == nil {
				r[5] = i18n.FormatItems(l, n)
			}
			if v, err := strconv.ParseFloat(r[6], 64); err == nil {
				decimals := 0
				if i := strings.IndexByte(r[6], '.'); i >= 0 {
					decimals = len(r[6]) - i - 1
				}
				r[6] = i18n.FormatNumber(l, v, decimals)
			}
		}
		out = append(out, r)
	}
	return out
}

func formatMeasure(l i18n.Lang, m importer.Measure) string {
	var parts []string
	if m.HasItems {
		parts = append(parts, i18n.FormatItems(l, m.Items))
	}
	if m.HasKg {
		parts = append(parts, i18n.FormatKg(l, m.Kg))
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, " / ")
}

// label names a canonical value of field, keeping an empty value empty.
func label(loc charts.Locale, field postal.Field, value string) string {
	if value == "" {
		return ""
	}
	return loc.Label(field, value)
}

// meaningRoles are the catalog keys of the whole meanings importer.Column.Meaning
// gives: the column roles, and the measures of the long layout.
var meaningRoles = map[string]string{
	"ignored": "acct.meaning.ignored", "ignored (total)": "acct.meaning.total",
	"total": "acct.meaning.totals", "derived": "acct.meaning.derived", "unknown": "acct.meaning.unknown",
	"index": "acct.meaning.index", "unit": "acct.meaning.unit", "label": "acct.meaning.label", "part": "acct.meaning.part",
	"period": "field.period", "year": "field.year", "month": "table.month", "direction": "field.direction",
	"partner": "field.partner", "category": "field.category", "marketplace": "field.marketplace",
	"items": "acct.col.items", "kg": "acct.col.kg", // a measure column of the long layout
}

// meaningUnits are the catalog keys of the units a measure column may be in.
var meaningUnits = map[string]string{"kg": "unit.kg", "t": "unit.t", "items": "unit.items", "g": "acct.meaning.g", "weight": "acct.meaning.weight",
	"lb": "acct.meaning.lb", "period": "field.period", "month": "table.month", "part": "acct.meaning.part"}

// meaningText writes what the reader took a column to hold (a role such as
// "period", or the canonical values and unit of a measure such as
// "letter_post inbound kg") in the page's language; a word it does not know
// is kept as written.
func meaningText(p Page, loc charts.Locale, meaning string) string {
	if key, ok := meaningRoles[meaning]; ok {
		return p.T(key)
	}
	words := strings.Fields(meaning)
	for i, w := range words {
		if key, ok := meaningUnits[w]; ok {
			words[i] = p.T(key)
			continue
		}
		for _, f := range []postal.Field{postal.FieldCategory, postal.FieldDirection, postal.FieldPartner, postal.FieldMarketplace} {
			if name := loc.Label(f, w); name != w {
				words[i] = name
				break
			}
		}
	}
	return strings.Join(words, " · ")
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// tableViewOf writes a table of the reader's report in the page's language.
func tableViewOf(p Page, loc charts.Locale, t importer.Table) tableView {
	tv := tableView{Range: t.Range, Layout: p.T("acct.layout." + t.Layout), Unknown: t.Accounting.Unknown > 0}
	for _, c := range t.Context {
		from := c.From
		if from == "sheet name" {
			from = p.T("acct.job.from_sheet_name")
		}
		tv.Context = append(tv.Context, p.T("field."+c.Field)+": "+meaningText(p, loc, c.Value)+" ("+from+")")
	}
	for _, c := range t.Columns {
		cv := tableColumnView{Cell: c.Cell, Header: c.Header, Meaning: meaningText(p, loc, c.Meaning), Unknown: c.Accounting.Unknown > 0,
			Choosable: strings.TrimSpace(c.Header) != "" && (t.Layout != "across" || c.Row > 0 && len(t.MapHeader) > 0), Col: strings.TrimRight(c.Cell, "0123456789"),
			IsRow: c.Row > 0, Row: c.Row}
		if c.Total != nil {
			if c.Unit == "items" {
				cv.Total = i18n.FormatItems(p.Lang, int64(*c.Total)) + " " + p.T("unit.items")
			} else {
				cv.Total = i18n.FormatKg(p.Lang, *c.Total) // it writes its unit
			}
		}
		if c.Accounting.Numeric > 0 {
			cv.Counts = accountingText(p, c.Accounting)
		}
		tv.Columns = append(tv.Columns, cv)
	}
	tv.Accounting = accountingText(p, t.Accounting)
	return tv
}

// accountingText is the accounting line: what became of the numeric cells.
func accountingText(p Page, a importer.Accounting) string {
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	return p.Tf("acct.job.accounting", "numeric", n(a.Numeric), "facts", n(a.Facts), "totals", n(a.Totals),
		"parts", n(a.Parts), "derived", n(a.Derived), "ignored", n(a.Ignored), "unknown", n(a.Unknown))
}
