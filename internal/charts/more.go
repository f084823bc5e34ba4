package charts

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"postdash/internal/postal"
	"postdash/internal/stats"
)

// Marketplaces is chart (d): e-commerce tonnes by marketplace over the range, as a donut.
func (l Locale) Marketplaces(o *stats.Overview) Chart {
	id := "chart-marketplaces"
	c := Chart{ID: id, Title: l.T("chart.marketplaces.title"), Note: l.T("chart.unit.t")}
	slices := stats.ByMarketplace(o.Market)
	if len(slices) == 0 {
		c.Empty, c.Note = true, l.T("chart.empty")
		return c
	}
	var total float64
	for _, s := range slices {
		total += s.V
	}
	pie := charts.NewPie()
	pie.SetGlobalOptions(l.common(id, stats.Tonnes, "item")...)
	data := make([]opts.PieData, len(slices))
	c.Table.Head = []string{l.T("field.marketplace"), l.Unit(stats.Tonnes), l.T("table.share")}
	links := make([]string, len(slices))
	for i, s := range slices {
		name := l.Label(postal.FieldMarketplace, s.Key)
		data[i] = opts.PieData{Name: name, Value: round(s.V, 4)}
		links[i] = l.trace("ecommerce", postal.Month{}, postal.Month{}, postal.FieldMarketplace, s.Key)
		v := l.num(s.V, true, 1)
		v.Link = links[i]
		c.Table.Rows = append(c.Table.Rows, []TCell{text(name), v, l.pct(s.V/total, true)})
	}
	c.Trace = [][]string{links}
	c.Table.Total = []TCell{text(l.T("table.total")), l.num(total, true, 1), l.pct(1, true)}
	pie.AddSeries(l.T("chart.marketplaces.title"), data, charts.WithPieChartOpts(opts.PieChart{Radius: []string{"38%", "72%"}, Center: []string{"50%", "55%"}}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "outside", Formatter: string(opts.FuncOpts("function(p){return pd.pieLabel(p,1,'t')}"))}))
	c.Options = pie
	return c
}

// pct formats a share (0.25 is 25 %).
func (l Locale) pct(v float64, has bool) TCell {
	if !has {
		return TCell{Text: "–"}
	}
	return TCell{Text: l.Number(v*100, 1) + " %", Num: round(v, 4), IsNum: true}
}

// YearOverYear is chart (e): the chosen measure by calendar month, one line per year.
func (l Locale) YearOverYear(o *stats.Overview, m stats.Measure) Chart {
	id := "chart-yoy"
	y := stats.YearOverYear(o.Filter.From, o.Months, o.Sums, o.Prev, m)
	c := Chart{ID: id, Title: l.T("chart.yoy.title") + ": " + l.T("kpi."+m.Key), Note: l.T("chart.unit." + string(m.Unit))}
	if len(y.Years) == 0 {
		c.Empty, c.Note = true, l.T("chart.empty")
		return c
	}
	if len(y.Years) < 2 {
		c.Note += " " + l.T("chart.yoy.single")
	}
	x := make([]string, len(y.CalMonths))
	for i, cm := range y.CalMonths {
		x[i] = l.CalMonth(cm)
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(l.common(id, m.Unit, "axis")...)
	bar.SetGlobalOptions(l.timeAxis(m.Unit)...)
	bar.SetXAxis(x)
	dec := Decimals(m.Unit)
	c.Table.Head = []string{l.T("table.month")}
	for _, yr := range y.Years {
		name := strconv.Itoa(yr)
		c.Table.Head = append(c.Table.Head, name)
		data := make([]opts.BarData, len(x))
		links := make([]string, len(x))
		for i, cell := range y.Values[yr] {
			data[i] = opts.BarData{Value: chartValue(cell, dec)}
			if cell.Has {
				mo := postal.Month{Year: yr, Month: y.CalMonths[i]}
				links[i] = l.trace(m.Key, mo, mo, "", "")
			}
		}
		c.Trace = append(c.Trace, links)
		bar.AddSeries(name, data, l.barLabels(dec, false)...)
	}
	for i, cm := range y.CalMonths {
		row := []TCell{text(l.CalMonth(cm))}
		for yi, yr := range y.Years {
			cell := l.num(y.Values[yr][i].V, y.Values[yr][i].Has, dec)
			cell.Link = c.Trace[yi][i]
			row = append(row, cell)
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	years := make([]string, len(y.Years))
	for i, yr := range y.Years {
		years[i] = strconv.Itoa(yr)
	}
	c.Table.Total = l.totalRow(years, func(k string) []stats.Cell { yr, _ := strconv.Atoi(k); return y.Values[yr] }, dec)
	c.Options = bar
	return c
}

// Balance is chart (f): inbound against outbound per category, each bar the
// category's whole (100 %), with the actual values and the ratio in the
// tooltip and the table. Shares make categories counted in different units comparable.
func (l Locale) Balance(o *stats.Overview) Chart {
	id := "chart-balance"
	c := Chart{ID: id, Title: l.T("chart.balance.title"), Note: l.T("chart.balance.note")}
	bs := stats.Balances(o.Sums)
	if len(bs) == 0 {
		c.Empty, c.Note = true, l.T("chart.empty")
		return c
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(l.common(id, "", "axis")...)
	cats := make([]string, len(bs))
	in := make([]opts.BarData, len(bs))
	out := make([]opts.BarData, len(bs))
	var actual []string // [in,out,'unit'] per category for the tooltip
	var inLinks, outLinks []string
	c.Table.Head = []string{l.T("field.category"), l.T("table.unit"), l.T("direction.inbound"), l.T("direction.outbound"), l.T("table.ratio")}
	for i, b := range bs {
		name := l.Label(postal.FieldCategory, string(b.Category))
		cats[i] = name
		whole := b.In.V + b.Out.V
		share := func(v float64) any {
			if whole == 0 {
				return 0
			}
			return round(v/whole*100, 2)
		}
		in[i] = opts.BarData{Value: share(b.In.V)}
		out[i] = opts.BarData{Value: share(b.Out.V)}
		dec := Decimals(b.Measure.Unit)
		actual = append(actual, fmt.Sprintf("[%s,%s,'%s',%d]", jsNum(b.In), jsNum(b.Out), b.Measure.Unit, dec))
		r, ok := b.Ratio()
		if ok {
			// The ratio is read under the category's name, beside its bar.
			cats[i] += "\n" + strings.ReplaceAll(l.T("chart.balance.ratio"), "{ratio}", l.Number(r, 2))
		}
		inCell, outCell := l.num(b.In.V, b.In.Has, dec), l.num(b.Out.V, b.Out.Has, dec)
		inCell.Link = l.trace(b.Measure.Key, postal.Month{}, postal.Month{}, postal.FieldDirection, string(postal.Inbound))
		outCell.Link = l.trace(b.Measure.Key, postal.Month{}, postal.Month{}, postal.FieldDirection, string(postal.Outbound))
		inLinks, outLinks = append(inLinks, inCell.Link), append(outLinks, outCell.Link)
		c.Table.Rows = append(c.Table.Rows, []TCell{text(name), text(l.Unit(b.Measure.Unit)), inCell, outCell, l.num(r, ok, 2)})
	}
	c.Trace = [][]string{inLinks, outLinks}
	tip := fmt.Sprintf("function(p){return pd.balanceTip(p,[%s])}", strings.Join(actual, ","))
	bar.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", Formatter: opts.FuncOpts(tip)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "24", Top: "48", Bottom: "8", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Max: 100, AxisLabel: &opts.AxisLabel{Formatter: opts.FuncOpts("function(v){return v+' %'}")}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: cats, Inverse: opts.Bool(true)}),
	)
	bar.AddSeries(l.T("direction.inbound"), in, charts.WithBarChartOpts(opts.BarChart{Stack: "share"}))
	bar.AddSeries(l.T("direction.outbound"), out, charts.WithBarChartOpts(opts.BarChart{Stack: "share"}))
	c.Options = bar
	return c
}

// jsNum writes a cell as a JavaScript number, or null when absent.
func jsNum(c stats.Cell) string {
	if !c.Has {
		return "null"
	}
	return strconv.FormatFloat(round(c.V, 4), 'f', -1, 64)
}

// Completeness is chart (g): months × category and partner; a cell is
// coloured where data exist and left red where they are missing.
func (l Locale) Completeness(o *stats.Overview) Chart {
	id := "chart-completeness"
	c := Chart{ID: id, Title: l.T("chart.completeness.title"), Note: l.T("chart.completeness.note")}
	g := stats.CompletenessOf(o.Groups, o.Months)
	if len(g.Rows) == 0 {
		c.Empty, c.Note = true, l.T("chart.empty")
		return c
	}
	c.Height = 110 + 48*len(g.Rows) // room for a label of three lines on each row
	x := make([]string, len(g.Months))
	for i, m := range g.Months {
		x[i] = l.Month(m)
	}
	y := make([]string, len(g.Rows))     // axis labels, on two lines
	names := make([]string, len(g.Rows)) // the same on one line, for the table
	for i, r := range g.Rows {
		cat, partner := l.Label(postal.FieldCategory, string(r.Category)), l.Label(postal.FieldPartner, r.Partner)
		y[i], names[i] = cat+"\n"+partner, cat+" · "+partner
	}
	var data []opts.HeatMapData
	var links []string
	c.Table.Head = append([]string{l.T("table.series")}, x...)
	for ri, counts := range g.Counts {
		row := []TCell{text(names[ri])}
		for mi, n := range counts {
			present := 0
			link := ""
			if n > 0 {
				present = 1
				r := g.Rows[ri]
				link = l.trace(stats.CategoryMeasure(r.Category).Key, g.Months[mi], g.Months[mi], postal.FieldPartner, r.Partner)
			}
			links = append(links, link)
			data = append(data, opts.HeatMapData{Name: names[ri] + ", " + x[mi], Value: [3]int{mi, ri, present}})
			row = append(row, TCell{Text: strconv.Itoa(n), Num: float64(n), IsNum: true, Link: link})
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	c.Trace = [][]string{links}
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(l.common(id, "", "item")...)
	hm.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item",
			Formatter: opts.FuncOpts(fmt.Sprintf("function(p){return pd.gridTip(p,%s,%s)}", jsQuoted(l.T("chart.completeness.present")), jsQuoted(l.T("chart.completeness.missing"))))}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "40", Bottom: "56", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: x, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: y, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithVisualMapOpts(opts.VisualMap{Type: "continuous", Min: 0, Max: 1, Show: opts.Bool(false), Calculable: opts.Bool(false),
			InRange: &opts.VisualMapInRange{Color: []string{"#e8a0a0", "#4e9a6a"}}}),
		charts.WithDataZoomOpts(opts.DataZoom{Type: "inside", XAxisIndex: 0}, opts.DataZoom{Type: "slider", XAxisIndex: 0}),
	)
	hm.SetXAxis(x)
	hm.AddSeries(l.T("chart.completeness.title"), data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(false)}),
		charts.WithItemStyleOpts(opts.ItemStyle{BorderColor: "#fff", BorderWidth: 2}))
	c.Options = hm
	return c
}

// jsQuoted writes s as a single-quoted JavaScript string using only
// characters that survive go-echarts' JSON embedding of functions (no
// double quote, no backslash): anything else is a String.fromCharCode call.
func jsQuoted(s string) string {
	var parts []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			parts = append(parts, "'"+cur.String()+"'")
			cur.Reset()
		}
	}
	for _, r := range s {
		if r >= 0x20 && !strings.ContainsRune(`'"\<>&`, r) {
			cur.WriteRune(r)
			continue
		}
		flush()
		parts = append(parts, fmt.Sprintf("String.fromCodePoint(%d)", r))
	}
	flush()
	if len(parts) == 0 {
		return "''"
	}
	return strings.Join(parts, "+")
}
