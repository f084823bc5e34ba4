package charts

import (
	"math"

	"postdash/internal/stats"
)

// TCell is one cell of a table: text, or a number with its formatted text.
type TCell struct {
	Text  string  // what the HTML table shows
	Num   float64 // the number, when IsNum
	IsNum bool
	Link  string // the address of what the number sums, when known
	Mark  string // "r" revised, "*" marked by its sheet, "*r" both (see Locale.Mark)
	State string // a completeness cell's state against the schedule ("" elsewhere)
}

// Table repeats a chart's numbers for screen readers, copy-paste and exports.
type Table struct {
	Head  []string
	Rows  [][]TCell
	Total []TCell // a last row of totals, or nil
}

// totalRow sums each key's cells: the "Total" row of a table with one
// column per key; a column without any value stays empty.
func (l Locale) totalRow(keys []string, cells func(string) []stats.Cell, decimals int) []TCell {
	row := []TCell{text(l.T("table.total"))}
	for _, k := range keys {
		var sum float64
		has := false
		for _, c := range cells(k) {
			if c.Has {
				sum += c.V
				has = true
			}
		}
		row = append(row, l.num(sum, has, decimals))
	}
	return row
}

func text(s string) TCell { return TCell{Text: s} }

// num formats v with decimals; an absent value is an empty cell.
func (l Locale) num(v float64, has bool, decimals int) TCell {
	if !has {
		return TCell{Text: "–"}
	}
	return TCell{Text: l.Number(v, decimals), Num: round(v, decimals+3), IsNum: true}
}

func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}
