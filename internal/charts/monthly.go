package charts

import (
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
		for i, cell := range g.Cells[k] {
			data[i] = opts.BarData{Value: chartValue(cell, dec)}
		}
		var so []charts.SeriesOpts
		if stack {
			so = append(so, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
		}
		bar.AddSeries(name, data, so...)
	}
	for i, m := range g.Months {
		row := []TCell{text(l.Month(m))}
		for _, k := range g.Keys {
			cell := g.Cells[k][i]
			row = append(row, l.num(cell.V, cell.Has, dec))
		}
		c.Table.Rows = append(c.Table.Rows, row)
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
	g := stats.MonthlyBy(o.Live, o.Months, m, func(sm postal.SeriesMonth) string { return string(sm.Direction) }, stats.DirectionOrder())
	return l.monthly("chart-letters", l.T("chart.letters.title"), g, postal.FieldDirection, false)
}

// Registered is chart (b): registered letters by month, by direction.
func (l Locale) Registered(o *stats.Overview) Chart {
	m := stats.CategoryMeasure(postal.RegisteredLetter)
	g := stats.MonthlyBy(o.Live, o.Months, m, func(sm postal.SeriesMonth) string { return string(sm.Direction) }, stats.DirectionOrder())
	return l.monthly("chart-registered", l.T("chart.registered.title"), g, postal.FieldDirection, true)
}

// Tonnage is chart (c): parcel and e-commerce tonnes by month, stacked by partner.
func (l Locale) Tonnage(o *stats.Overview) Chart {
	m, _ := stats.MeasureByKey("parcels")
	g := stats.MonthlyBy(o.Live, o.Months, m, func(sm postal.SeriesMonth) string { return sm.Partner }, stats.PartnerOrder())
	return l.monthly("chart-tonnage", l.T("chart.tonnage.title"), g, postal.FieldPartner, true)
}
