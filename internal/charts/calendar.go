package charts

import (
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"postdash/internal/calendar"
	"postdash/internal/postal"
	"postdash/internal/stats"
)

// stateOrder numbers the grid's states for the chart's colours (1-based:
// go-echarts drops a zero bound) and its legend; stateColor is each one's.
var (
	stateOrder = []calendar.State{calendar.OnTime, calendar.Late, calendar.Due, calendar.Overdue, calendar.Received, calendar.Missing}
	stateColor = map[calendar.State]string{
		calendar.OnTime: "#2e7d4f", calendar.Late: "#8cc79a", calendar.Due: "#c9ccd1",
		calendar.Overdue: "#c62828", calendar.Received: "#4e9a6a", calendar.Missing: "#e8a0a0",
	}
)

// ScheduledCompleteness is the completeness grid judged against the
// reporting schedule: each month received on time, received late (with
// the date), due, overdue (red), or, where no rule applies, received or
// missing. textOf writes a cell's state in the reader's language.
func (l Locale) ScheduledCompleteness(g calendar.Grid, textOf func(calendar.Cell) string) Chart {
	id := "chart-completeness"
	c := Chart{ID: id, Title: l.T("chart.completeness.title"), Note: l.T("calendar.grid.note")}
	if len(g.Rows) == 0 || len(g.Months) == 0 {
		c.Empty, c.Note = true, l.T("chart.empty")
		return c
	}
	c.Height = 110 + 48*len(g.Rows)
	x := make([]string, len(g.Months))
	for i, m := range g.Months {
		x[i] = l.Month(m)
	}
	y := make([]string, len(g.Rows))
	names := make([]string, len(g.Rows))
	for i, r := range g.Rows {
		cat, partner := l.Label(postal.FieldCategory, string(r.Category)), l.Label(postal.FieldPartner, r.Partner)
		y[i], names[i] = cat+"\n"+partner, cat+" · "+partner
	}
	code := map[calendar.State]int{}
	for i, s := range stateOrder {
		code[s] = i + 1
	}
	var data []opts.HeatMapData
	var links []string
	c.Table.Head = append([]string{l.T("table.series")}, x...)
	for ri, cells := range g.Cells {
		row := []TCell{text(names[ri])}
		for mi, cell := range cells {
			link := ""
			if !cell.Received.IsZero() {
				r := g.Rows[ri]
				link = l.trace(stats.CategoryMeasure(r.Category).Key, g.Months[mi], g.Months[mi], postal.FieldPartner, r.Partner)
			}
			links = append(links, link)
			say := textOf(cell)
			data = append(data, opts.HeatMapData{Name: names[ri] + ", " + x[mi] + ": " + say, Value: [3]int{mi, ri, code[cell.State]}})
			row = append(row, TCell{Text: say, Link: link, State: string(cell.State)})
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	c.Trace = [][]string{links}
	var pieces []opts.Piece
	for _, s := range stateOrder {
		pieces = append(pieces, opts.Piece{Min: float32(code[s]), Max: float32(code[s]), Color: stateColor[s]})
	}
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(l.common(id, "", "item")...)
	hm.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: opts.FuncOpts("function(p){return pd.gridTip(p,'','')}")}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "40", Bottom: "56", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: x, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: y, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithVisualMapOpts(opts.VisualMap{Type: "piecewise", Show: opts.Bool(false), Dimension: "2", Pieces: pieces}),
		charts.WithDataZoomOpts(opts.DataZoom{Type: "inside", XAxisIndex: 0}, opts.DataZoom{Type: "slider", XAxisIndex: 0}),
	)
	hm.SetXAxis(x)
	hm.AddSeries(l.T("chart.completeness.title"), data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(false)}),
		charts.WithItemStyleOpts(opts.ItemStyle{BorderColor: "#fff", BorderWidth: 2}))
	c.Options = hm
	return c
}

// MonthNote is a note to mark on the time-axis charts: its month and a
// short label (the note's text as typed).
type MonthNote struct {
	Month postal.Month
	Label string
}

// timeCharts are the charts with months along x, on which notes are marked.
var timeCharts = map[string]bool{"chart-letters": true, "chart-registered": true, "chart-tonnage": true}

// MarkNotes draws each note as a dashed vertical line at its month on c,
// when c is a chart with months along x holding that month.
func (l Locale) MarkNotes(c *Chart, notes []MonthNote) {
	bar, ok := c.Options.(*charts.Bar)
	if !ok || !timeCharts[c.ID] || len(bar.MultiSeries) == 0 || len(notes) == 0 {
		return
	}
	var items []opts.MarkLineNameXAxisItem
	for _, n := range notes {
		items = append(items, opts.MarkLineNameXAxisItem{Name: cut(n.Label, 40), XAxis: l.Month(n.Month)})
	}
	s := &bar.MultiSeries[0]
	charts.WithMarkLineNameXAxisItemOpts(items...)(s)
	charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "pin"}, SymbolSize: 18,
		Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "insideEndTop", Color: "#7a4b00"},
		LineStyle: &opts.LineStyle{Color: "#d08a00", Type: "dashed", Width: 2}})(s)
	c.Note += " " + strings.ReplaceAll(l.T("calendar.notes.marked"), "{n}", strconv.Itoa(len(notes)))
}

// cut shortens s to n characters with an ellipsis.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Legend is the grid's colours with what each means, in the chart's order.
func (l Locale) Legend() []LegendItem {
	out := make([]LegendItem, len(stateOrder))
	for i, s := range stateOrder {
		out[i] = LegendItem{State: string(s), Color: stateColor[s], Text: l.T("calendar.state." + string(s))}
	}
	return out
}

// LegendItem is one colour of the grid's legend.
type LegendItem struct{ State, Color, Text string }
