package charts

import (
	"encoding/json"
	"fmt"
	"html/template"
	"regexp"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"postdash/internal/stats"
)

// AssetsHost is where postdash serves the ECharts script; go-echarts is
// pointed at it so nothing refers to a CDN.
const AssetsHost = "/static/vendor/echarts/"

// Height of every chart canvas; the width follows the container.
const Height = "360px"

// Chart is one chart of a page: its go-echarts options and the table
// that repeats its numbers.
type Chart struct {
	ID      string
	Title   string
	Note    string // a sentence under the title (units, what is compared, why empty)
	Empty   bool   // nothing to draw; the page says so instead
	Height  int    // canvas height in px when the chart needs more than the page's default
	Options Options
	Table   Table
	Trace   [][]string // per series, per data item: the address of what it sums ("" when none)
	Marks   [][]string // per series, per data item: its mark for the tooltip (nil when none has one)
}

// Snippet returns the chart's container and the script that draws it with
// the page's pd.chart helper (static/app.js).
func (c Chart) Snippet() template.HTML {
	if c.Empty || c.Options == nil {
		return ""
	}
	c.Options.Validate()
	opt := funcMarks.ReplaceAllString(string(c.Options.JSONNotEscaped()), "")
	// The options are JSON written without HTML escaping; keep text from the
	// data from closing the script element.
	// data from opening or closing an HTML element inside the script: the
	// functions hold no "<", so every one is inside a JSON string.
	opt = strings.ReplaceAll(opt, "<", `\u003c`)
	style := ""
	if c.Height > 0 {
		style = fmt.Sprintf(` style="height:%dpx"`, c.Height)
	}
	if c.Trace != nil {
		b, _ := json.Marshal(c.Trace)
		style += ` data-trace="` + template.HTMLEscapeString(string(b)) + `"`
	}
	if c.Marks != nil {
		b, _ := json.Marshal(c.Marks)
		style += ` data-marks="` + template.HTMLEscapeString(string(b)) + `"`
	}
	return template.HTML(fmt.Sprintf(`<div class="chart" id="%s"%s role="img" aria-label="%s"></div><script>pd.chart(%s,%s);</script>`,
		template.HTMLEscapeString(c.ID), style, template.HTMLEscapeString(c.Title), jsString(c.ID), strings.TrimRight(strings.TrimSpace(opt), ";")))
}

// Options is what a go-echarts chart (Bar, Pie, HeatMap...) offers to be
// drawn in our own page: its defaults filled in, then its option object.
type Options interface {
	Validate()
	JSONNotEscaped() template.HTML
}

// funcMarks are the quotes and markers go-echarts puts around JavaScript
// functions (opts.FuncOpts); removing them leaves the function as code.
// (go-echarts' own RenderSnippet HTML-escapes before it removes them, which
// leaves functions as strings.)
var funcMarks = regexp.MustCompile(`"__f__|__f__"|__f__`)

// common returns the options every chart shares: size, assets, toolbox and a
// tooltip that formats values in the locale with unit u.
func (l Locale) common(id string, u stats.Unit, trigger string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: Height, AssetsHost: AssetsHost}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: trigger, ValueFormatter: l.valueFmt(u)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Top: "0", Left: "0", Width: "75%"}),
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(true), Right: "0", Top: "0", Feature: &opts.ToolBoxFeature{
			SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Type: "png", Name: id, Title: l.T("chart.tool.save")},
			DataView: &opts.ToolBoxFeatureDataView{Show: opts.Bool(true), Title: l.T("chart.tool.data"),
				Lang: []string{l.T("chart.tool.data"), l.T("chart.tool.close"), l.T("chart.tool.refresh")}, BackgroundColor: "#fff"},
		}}),
	}
}

// valueFmt is a tooltip value formatter in the locale's number format with unit u.
// Function text must hold no double quotes or backslashes (go-echarts puts it in JSON).
func (l Locale) valueFmt(u stats.Unit) types.FuncStr {
	return opts.FuncOpts(fmt.Sprintf("function(v){return pd.fmt(v,%d,'%s')}", Decimals(u), u))
}

// axisFmt formats axis labels in the locale's number format.
func axisFmt() types.FuncStr { return opts.FuncOpts("function(v){return pd.fmt(v,-1,'')}") }

// timeAxis returns the options of a chart with months along x.
func (l Locale) timeAxis(u stats.Unit) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "48", Bottom: "56", ContainLabel: opts.Bool(true)}),
		charts.WithDataZoomOpts(opts.DataZoom{Type: "inside"}, opts.DataZoom{Type: "slider"}),
		charts.WithYAxisOpts(opts.YAxis{Name: l.Unit(u), AxisLabel: &opts.AxisLabel{Formatter: axisFmt()}}),
	}
}
