package stats

import (
	"slices"
	"sort"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// Cell is one value of a series; Has is false where the data say nothing.
type Cell struct {
	V   float64
	Has bool
}

// Grid is a measure by month, split by a key (direction, partner...).
type Grid struct {
	Measure Measure
	Months  []postal.Month
	Keys    []string          // in display order
	Cells   map[string][]Cell // key -> one cell per month
}

// MonthlyBy sums m per month and per key(sm). Keys are ordered by their
// place in order, then alphabetically.
func MonthlyBy(live []store.SeriesMonth, months []postal.Month, m Measure, key func(store.SeriesMonth) string, order []string) Grid {
	g := Grid{Measure: m, Months: months, Cells: map[string][]Cell{}}
	idx := make(map[postal.Month]int, len(months))
	for i, mo := range months {
		idx[mo] = i
	}
	for _, sm := range live {
		v, ok := m.Value(sm)
		i, in := idx[sm.Month]
		if !ok || !in {
			continue
		}
		k := key(sm)
		row, seen := g.Cells[k]
		if !seen {
			row = make([]Cell, len(months))
			g.Cells[k] = row
			g.Keys = append(g.Keys, k)
		}
		row[i].V += v
		row[i].Has = true
	}
	sortKeys(g.Keys, order)
	return g
}

// sortKeys orders keys by their index in order, unknown ones after, alphabetically.
func sortKeys(keys, order []string) {
	rank := func(k string) int {
		if i := slices.Index(order, k); i >= 0 {
			return i
		}
		return len(order)
	}
	sort.SliceStable(keys, func(i, j int) bool {
		ri, rj := rank(keys[i]), rank(keys[j])
		if ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
}

// DirectionOrder, PartnerOrder and CategoryOrder list canonical values in display order.
func DirectionOrder() []string { return strs(postal.Directions) }

// PartnerOrder lists the known partners in display order.
func PartnerOrder() []string { return slices.Clone(postal.Partners) }

// CategoryOrder lists the categories in display order.
func CategoryOrder() []string { return strs(postal.Categories) }

// MarketplaceOrder lists the known marketplaces in display order.
func MarketplaceOrder() []string { return slices.Clone(postal.Marketplaces) }

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// YoY is a measure by calendar month, one series per year.
type YoY struct {
	Measure   Measure
	CalMonths []int          // calendar months (1..12) shown
	Years     []int          // ascending
	Values    map[int][]Cell // year -> one cell per calendar month
}

// YearOverYear lays out m over live (the values from month from on) and
// prev (those of the same months a year earlier) by calendar month, for the
// calendar months of the range. A month both hold (the range spans more
// than twelve months) is counted once, from live.
func YearOverYear(from postal.Month, months []postal.Month, live, prev []store.SeriesMonth, m Measure) YoY {
	y := YoY{Measure: m, Values: map[int][]Cell{}}
	pos := map[int]int{}
	for _, mo := range months {
		if _, ok := pos[mo.Month]; !ok {
			pos[mo.Month] = 0
			y.CalMonths = append(y.CalMonths, mo.Month)
		}
	}
	sort.Ints(y.CalMonths)
	for i, c := range y.CalMonths {
		pos[c] = i
	}
	add := func(sm store.SeriesMonth) {
		v, ok := m.Value(sm)
		i, in := pos[sm.Month.Month]
		if !ok || !in {
			return
		}
		row, seen := y.Values[sm.Year]
		if !seen {
			row = make([]Cell, len(y.CalMonths))
			y.Values[sm.Year] = row
			y.Years = append(y.Years, sm.Year)
		}
		row[i].V += v
		row[i].Has = true
	}
	for _, sm := range prev {
		if sm.Month.Before(from) {
			add(sm)
		}
	}
	for _, sm := range live {
		add(sm)
	}
	sort.Ints(y.Years)
	return y
}

// Balance is inbound against outbound for one category.
type Balance struct {
	Category postal.Category
	Measure  Measure
	In, Out  Cell
}

// Ratio returns outbound per inbound; ok is false when inbound is zero or absent.
func (b Balance) Ratio() (r float64, ok bool) {
	if !b.In.Has || b.In.V == 0 || !b.Out.Has {
		return 0, false
	}
	return b.Out.V / b.In.V, true
}

// Balances returns inbound and outbound per category, for the categories that hold either.
func Balances(live []store.SeriesMonth) []Balance {
	var out []Balance
	for _, c := range postal.Categories {
		b := Balance{Category: c, Measure: CategoryMeasure(c)}
		for _, sm := range live {
			v, ok := b.Measure.Value(sm)
			if !ok {
				continue
			}
			switch sm.Direction {
			case postal.Inbound:
				b.In.V += v
				b.In.Has = true
			case postal.Outbound:
				b.Out.V += v
				b.Out.Has = true
			}
		}
		if b.In.Has || b.Out.Has {
			out = append(out, b)
		}
	}
	return out
}

// Slice is one part of a whole.
type Slice struct {
	Key string
	V   float64
}

// ByMarketplace sums e-commerce weight (tonnes) per marketplace, largest first;
// an empty key is an unknown marketplace.
func ByMarketplace(live []store.SeriesMonth) []Slice {
	m := CategoryMeasure(postal.Ecommerce)
	sums := map[string]float64{}
	var keys []string
	for _, sm := range live {
		v, ok := m.Value(sm)
		if !ok {
			continue
		}
		if _, seen := sums[sm.Marketplace]; !seen {
			keys = append(keys, sm.Marketplace)
		}
		sums[sm.Marketplace] += v
	}
	out := make([]Slice, 0, len(keys))
	for _, k := range keys {
		out = append(out, Slice{Key: k, V: sums[k]})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].V != out[j].V {
			return out[i].V > out[j].V
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// CompletenessRow names one row of the completeness grid.
type CompletenessRow struct {
	Category postal.Category
	Partner  string
}

// Completeness counts, for each category and partner that holds data in the
// range, how many series report each month; a zero is a gap.
type Completeness struct {
	Months []postal.Month
	Rows   []CompletenessRow
	Counts [][]int // [row][month]
}

// CompletenessGrid builds the completeness grid of live over months.
func CompletenessGrid(live []store.SeriesMonth, months []postal.Month) Completeness {
	gs := make([]store.SeriesGroup, len(live))
	for i, sm := range live {
		gs[i] = store.SeriesGroup{SeriesMonth: sm, Count: 1}
	}
	return CompletenessOf(gs, months)
}

// CompletenessOf builds the completeness grid over months of live values
// added up in groups (each of one month, category and partner at most),
// each counting the series-months it adds up.
func CompletenessOf(groups []store.SeriesGroup, months []postal.Month) Completeness {
	c := Completeness{Months: months}
	idx := make(map[postal.Month]int, len(months))
	for i, mo := range months {
		idx[mo] = i
	}
	rows := map[CompletenessRow]int{}
	for _, g := range groups {
		i, in := idx[g.Month]
		if !in {
			continue
		}
		r := CompletenessRow{Category: g.Category, Partner: g.Partner}
		ri, seen := rows[r]
		if !seen {
			ri = len(c.Rows)
			rows[r] = ri
			c.Rows = append(c.Rows, r)
			c.Counts = append(c.Counts, make([]int, len(months)))
		}
		c.Counts[ri][i] += int(g.Count)
	}
	catRank := func(x postal.Category) int { return slices.Index(postal.Categories, x) }
	order := make([]int, len(c.Rows))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		ra, rb := c.Rows[order[a]], c.Rows[order[b]]
		if ra.Category != rb.Category {
			return catRank(ra.Category) < catRank(rb.Category)
		}
		return ra.Partner < rb.Partner
	})
	sorted := Completeness{Months: months}
	for _, i := range order {
		sorted.Rows = append(sorted.Rows, c.Rows[i])
		sorted.Counts = append(sorted.Counts, c.Counts[i])
	}
	return sorted
}
