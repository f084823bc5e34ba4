package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"postdash/internal/charts"
	"postdash/internal/i18n"
	"postdash/internal/postal"
	"postdash/internal/stats"
	book "postdash/internal/workbook"
)

// dataColumns are the catalog keys of the Data sheet's headers: the
// canonical long layout, which the importer reads back.
var dataColumns = []string{"export.col.period", "export.col.direction", "export.col.partner", "export.col.category", "export.col.marketplace", "export.col.items", "export.col.weight"}

// exportView loads the overview of the request's filter for an export.
func (s *Server) exportView(c *gin.Context) (*stats.Overview, charts.Locale, bool) {
	f, err := stats.ParseFilter(c.Query)
	if err != nil {
		s.filterRefusal(c, err)
		return nil, charts.Locale{}, false
	}
	f.Rows = true // an export lists the view's values one by one, bounded by maxAnswerRows
	o, _, err := s.loadView(c.Request.Context(), s.withAsOf(c, f))
	if errors.Is(err, stats.ErrTooManyRows) {
		v := errorView{Page: s.page(c, "error.title")}
		v.Text = s.cat.T(lang(c), "error.export_too_large", map[string]string{"limit": i18n.FormatNumber(lang(c), maxAnswerRows, 0)})
		s.html(c, http.StatusRequestEntityTooLarge, "error.html", v)
		return nil, charts.Locale{}, false
	}
	if err != nil {
		s.fail(c, err)
		return nil, charts.Locale{}, false
	}
	loc := s.locale(lang(c))
	loc.Mark = markFunc(o.Flags)
	return o, loc, true
}

// dataRows writes the live values of o as rows of the Data sheet; numbers
// stay numbers (nil where absent).
func dataRows(o *stats.Overview, loc charts.Locale) [][]any {
	rows := make([][]any, 0, len(o.Live))
	for _, sm := range o.Live {
		dir := ""
		if sm.Direction != postal.Unspecified && sm.Direction != "" {
			dir = loc.Label(postal.FieldDirection, string(sm.Direction))
		}
		partner := ""
		if sm.Partner != "" {
			partner = loc.Label(postal.FieldPartner, sm.Partner)
		}
		market := ""
		if sm.Marketplace != "" {
			market = loc.Label(postal.FieldMarketplace, sm.Marketplace)
		}
		row := []any{sm.Month.String(), book.SafeText(dir), book.SafeText(partner), book.SafeText(loc.Label(postal.FieldCategory, string(sm.Category))), book.SafeText(market), nil, nil}
		if sm.HasItems {
			row[5] = sm.Items
		}
		if sm.HasWeight {
			row[6] = sm.WeightKg
		}
		rows = append(rows, row)
	}
	return rows
}

// exportXLSX is GET /export.xlsx: a Data sheet in the canonical long layout
// and one sheet per chart of the current view. The file is made once per
// data version, language and query (excelize takes ~100 ms for a large view).
func (s *Server) exportXLSX(c *gin.Context) {
	o, loc, ok := s.exportView(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	data, err := cached(ctx, s, "export.xlsx "+string(lang(c))+" "+c.Request.URL.RawQuery, func() ([]byte, error) {
		return exportWorkbook(o, loc, c.Query("measure"), markRows(s.page(c, "overview.title"), loc, o))
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="postdash-export.xlsx"`)
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data)
}

// exportWorkbook writes the export of o as an .xlsx file, with a Marks
// sheet of marks (text only) when there are any.
func exportWorkbook(o *stats.Overview, loc charts.Locale, measureKey string, marks [][]any) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	data := sheetName(loc.T("export.sheet.data"), map[string]bool{})
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return nil, err
	}
	head := make([]any, len(dataColumns))
	for i, k := range dataColumns {
		head[i] = book.SafeText(loc.T(k))
	}
	if err := writeRows(f, data, append([][]any{head}, dataRows(o, loc)...)); err != nil {
		return nil, err
	}
	used := map[string]bool{data: true}
	if len(marks) > 0 {
		name := sheetName(loc.T("export.sheet.legend"), used)
		used[name] = true
		if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		if err := writeRows(f, name, marks); err != nil {
			return nil, err
		}
	}
	if !o.Empty {
		measure, okm := stats.MeasureByKey(measureKey)
		if !okm {
			measure, _ = stats.MeasureByKey("letters")
		}
		for _, ch := range []charts.Chart{loc.Letters(o), loc.Registered(o), loc.Tonnage(o), loc.Marketplaces(o), loc.YearOverYear(o, measure), loc.Balance(o), loc.Completeness(o)} {
			if ch.Empty {
				continue
			}
			name := sheetName(ch.Title, used)
			used[name] = true
			if _, err := f.NewSheet(name); err != nil {
				return nil, err
			}
			if err := writeRows(f, name, tableRows(ch.Table)); err != nil {
				return nil, err
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// csvSeparator is the CSV export's field separator: what a spreadsheet
// program set up for the reader's language splits on (a semicolon where
// the decimal mark is a comma, as in Russian and Uzbek), unless the URL
// asks for sep=comma or sep=semicolon.
func csvSeparator(c *gin.Context) rune {
	switch c.Query("sep") {
	case "comma":
		return ','
	case "semicolon":
		return ';'
	}
	if _, dec := i18n.NumberJS(lang(c)); dec == "," {
		return ';'
	}
	return ','
}

// exportCSV is GET /export.csv: the Data sheet as UTF-8 CSV (with a BOM for
// Excel), separated as csvSeparator says; with semicolons, decimals take a comma.
func (s *Server) exportCSV(c *gin.Context) {
	o, loc, ok := s.exportView(c)
	if !ok {
		return
	}
	sep := csvSeparator(c)
	data, err := cached(c.Request.Context(), s, fmt.Sprintf("export.csv %s %c %s", lang(c), sep, c.Request.URL.RawQuery), func() ([]byte, error) {
		return exportCSVBytes(o, loc, sep, legendOf(s.page(c, "overview.title"), o.Flags)), nil
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="postdash-export.csv"`)
	c.Data(http.StatusOK, "text/csv; charset=utf-8", data)
}

// exportCSVBytes writes the Data sheet of o as CSV separated by sep,
// then the legend of its marks.
func exportCSVBytes(o *stats.Overview, loc charts.Locale, sep rune, legend []string) []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	head := make([]string, len(dataColumns))
	for i, k := range dataColumns {
		head[i] = book.SafeText(loc.T(k))
	}
	_ = book.WriteCSVRecord(&buf, head, sep)
	for ri, r := range dataRows(o, loc) {
		rec := make([]string, len(r))
		for i, v := range r {
			switch x := v.(type) {
			case nil:
			case string:
				rec[i] = x
			case int64:
				rec[i] = strconv.FormatInt(x, 10)
			case float64:
				rec[i] = strconv.FormatFloat(x, 'f', -1, 64)
				if sep == ';' {
					rec[i] = strings.Replace(rec[i], ".", ",", 1)
				}
			}
		}
		markRecord(rec, o, ri)
		_ = book.WriteCSVRecord(&buf, rec, sep) // a bytes.Buffer does not fail
	}
	for _, line := range legend {
		rec := make([]string, len(dataColumns)) // as wide as the table, for programs that want every record so
		rec[0] = book.SafeText(line)
		_ = book.WriteCSVRecord(&buf, rec, sep)
	}
	return buf.Bytes()
}

// tableRows turns a chart's table into sheet rows, numbers as numbers.
func tableRows(t charts.Table) [][]any {
	rows := [][]any{}
	head := make([]any, len(t.Head))
	for i, h := range t.Head {
		head[i] = book.SafeText(h)
	}
	rows = append(rows, head)
	body := t.Rows
	if t.Total != nil {
		body = append(body[:len(body):len(body)], t.Total)
	}
	for _, r := range body {
		row := make([]any, len(r))
		for i, cell := range r {
			if cell.IsNum {
				row[i] = cell.Num
			} else if cell.Text != "–" {
				row[i] = book.SafeText(cell.Text)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func writeRows(f *excelize.File, sheet string, rows [][]any) error {
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return fmt.Errorf("write sheet %q row %d: %w", sheet, i+1, err)
		}
	}
	return nil
}

// sheetName makes title a valid, unused sheet name (31 characters, no []:*?/\).
func sheetName(title string, used map[string]bool) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\'`, r) {
			return ' '
		}
		return r
	}, title)
	clean = strings.TrimSpace(clean)
	r := []rune(clean)
	if len(r) > 31 {
		r = r[:31]
	}
	name := strings.TrimSpace(string(r))
	if name == "" {
		name = "Sheet"
	}
	for i := 2; used[name]; i++ {
		suffix := " " + strconv.Itoa(i)
		base := []rune(strings.TrimSpace(string(r)))
		if len(base)+len(suffix) > 31 {
			base = base[:31-len(suffix)]
		}
		name = string(base) + suffix
	}
	return name
}

// template is GET /template.xlsx: the empty canonical workbook, with its
// drop-down lists and instructions, in the reader's language.
func (s *Server) template(c *gin.Context) {
	var buf bytes.Buffer
	if err := book.WriteTemplate(&buf, string(lang(c))); err != nil {
		s.fail(c, fmt.Errorf("template: %w", err))
		return
	}
	c.Header("Content-Disposition", `attachment; filename="postdash-template.xlsx"`)
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}
