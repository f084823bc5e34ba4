package charts

import (
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"postdash/internal/postal"
	"postdash/internal/stats"
)

// monthly is a bar chart of a grid: one series per key, months along x.
func (l Locale) monthly(id, title string, g stats.Grid, field postal.Field, stack bool) Chart {
	c := Chart{ID: id, Title: title, Note: l.T("chart.unit." + string(g.Measure.Unit))}
	if len(g.Keys) == 0 {
		c.Empty = true
		c.Note = l.T("chart.empty")
		return c
	}
	months := make([]string, len(g.Months))
	for i, m := range g.Months {
		months[i] = l.Month(m)
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(l.common(id, g.Measure.Unit, "axis")...)
	bar.SetGlobalOptions(l.timeAxis(g.Measure.Unit)...)
	bar.SetXAxis(months)
	dec := Decimals(g.Measure.Unit)
	c.Table.Head = []string{l.T("table.month")}
	for _, k := range g.Keys {
		name := l.Label(field, k)
		c.Table.Head = append(c.Table.Head, name)
		data := make([]opts.BarData, len(g.Months))
		links := make([]string, len(g.Months))
		for i, cell := range g.Cells[k] {
			data[i] = opts.BarData{Value: chartValue(cell, dec)}
			if cell.Has {
				links[i] = l.trace(g.Measure.Key, g.Months[i], g.Months[i], field, k)
			}
		}
		c.Trace = append(c.Trace, links)
		var so []charts.SeriesOpts
		if stack {
			so = append(so, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
		}
		so = append(so, l.barLabels(dec, stack)...)
		bar.AddSeries(name, data, so...)
	}
	marked := false
	marks := make([][]string, len(g.Keys))
	for ki, k := range g.Keys {
		marks[ki] = make([]string, len(g.Months))
		for i, m := range g.Months {
			if g.Cells[k][i].Has {
				marks[ki][i] = l.mark(g.Measure.Key, m, m, field, k)
				marked = marked || marks[ki][i] != ""
			}
		}
	}
	if marked {
		c.Marks = marks
	}
	for i, m := range g.Months {
		row := []TCell{text(l.Month(m))}
		for ki, k := range g.Keys {
			cell := l.num(g.Cells[k][i].V, g.Cells[k][i].Has, dec)
			cell.Link = c.Trace[ki][i]
			cell.Mark = marks[ki][i]
			row = append(row, cell)
		}
		c.Table.Rows = append(c.Table.Rows, row)
	}
	c.Table.Total = l.totalRow(g.Keys, func(k string) []stats.Cell { return g.Cells[k] }, dec)
	for ki, k := range g.Keys {
		if c.Table.Total[ki+1].IsNum {
			c.Table.Total[ki+1].Link = l.trace(g.Measure.Key, postal.Month{}, postal.Month{}, field, k)
			c.Table.Total[ki+1].Mark = l.mark(g.Measure.Key, postal.Month{}, postal.Month{}, field, k)
		}
	}
	c.Options = bar
	return c
}

// chartValue is what ECharts draws for a cell: the rounded number, or "-" (no data).
func chartValue(c stats.Cell, decimals int) any {
	if !c.Has {
		return "-"
	}
	return round(c.V, decimals+3)
}

// Letters is chart (a): letter post by month, inbound against outbound, in kg.
func (l Locale) Letters(o *stats.Overview) Chart {
	m := stats.CategoryMeasure(postal.LetterPost)
	g := stats.MonthlyBy(o.Sums, o.Months, m, func(sm postal.SeriesMonth) string { return string(sm.Direction) }, stats.DirectionOrder())
	return l.monthly("chart-letters", l.T("chart.letters.title"), g, postal.FieldDirection, false)
}

// Registered is chart (b): registered letters by month, by direction.
func (l Locale) Registered(o *stats.Overview) Chart {
	m := stats.CategoryMeasure(postal.RegisteredLetter)
	g := stats.MonthlyBy(o.Sums, o.Months, m, func(sm postal.SeriesMonth) string { return string(sm.Direction) }, stats.DirectionOrder())
	return l.monthly("chart-registered", l.T("chart.registered.title"), g, postal.FieldDirection, true)
}

// Tonnage is chart (c): parcel and e-commerce tonnes by month, stacked by partner.
func (l Locale) Tonnage(o *stats.Overview) Chart {
	m, _ := stats.MeasureByKey("parcels")
	g := stats.MonthlyBy(o.Sums, o.Months, m, func(sm postal.SeriesMonth) string { return sm.Partner }, stats.PartnerOrder())
	return l.monthly("chart-tonnage", l.T("chart.tonnage.title"), g, postal.FieldPartner, true)
}

// barLabels writes each bar's value on it when the locale asks for labels
// (on paper there is no tooltip): above a bar, inside a stacked one.
func (l Locale) barLabels(decimals int, stacked bool) []charts.SeriesOpts {
	if !l.Labels {
		return nil
	}
	pos := "top"
	if stacked {
		pos = "inside"
	}
	return []charts.SeriesOpts{charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: pos, FontSize: 9,
		Formatter: string(opts.FuncOpts(fmt.Sprintf("function(p){return pd.fmt(p.value,%d,'')}", decimals)))})}
}
