package charts

import (
	"fmt"
	"strings"
	"testing"

	"postdash/internal/postal"
	"postdash/internal/stats"
)

func testLocale() Locale {
	return Locale{
		T:        func(k string) string { return "[" + k + "]" },
		Number:   func(v float64, d int) string { return fmt.Sprintf("%.*f", d, v) },
		Month:    func(m postal.Month) string { return m.String() },
		CalMonth: func(m int) string { return fmt.Sprint(m) },
	}
}

func TestSnippetKeepsDataInsideTheScript(t *testing.T) {
	o := summed(&stats.Overview{Months: []postal.Month{{Year: 2025, Month: 1}}, Live: []postal.SeriesMonth{{
		Month:    postal.Month{Year: 2025, Month: 1},
		Series:   postal.Series{Direction: postal.Inbound, Partner: `</script><img src=x onerror=alert(1)>"'\`, Category: postal.Parcel},
		WeightKg: 2000, HasWeight: true,
	}}})
	html := string(testLocale().Tonnage(o).Snippet())
	if strings.Count(html, "</script>") != 1 || strings.Contains(html, "<img") {
		t.Fatalf("data escapes the script element:\n%s", html)
	}
	if !strings.Contains(html, `pd.chart("chart-tonnage",`) || !strings.Contains(html, "function(v){return pd.fmt(v,1,'t')}") {
		t.Errorf("snippet lacks the chart call or its formatter as code:\n%s", html)
	}
	if strings.Contains(html, "__f__") || strings.Contains(html, `"function(`) {
		t.Errorf("a function is left as a string:\n%s", html)
	}
}

func TestLabel(t *testing.T) {
	l := testLocale()
	tests := []struct {
		field postal.Field
		value string
		want  string
	}{
		{postal.FieldPartner, postal.ChinaPost, "[partner.china_post]"},
		{postal.FieldPartner, "Korea Post", "Korea Post"},
		{postal.FieldMarketplace, "", "[marketplace.unknown]"},
		{postal.FieldDirection, "inbound", "[direction.inbound]"},
	}
	for _, tc := range tests {
		if got := l.Label(tc.field, tc.value); got != tc.want {
			t.Errorf("Label(%s, %q) = %q, want %q", tc.field, tc.value, got, tc.want)
		}
	}
}

func TestJSQuoted(t *testing.T) {
	tests := map[string]string{
		"":         "''",
		"data":     "'data'",
		"it's":     "'it'+String.fromCodePoint(39)+'s'",
		"маълумот": "'маълумот'",
		`a"b\c<`:   "'a'+String.fromCodePoint(34)+'b'+String.fromCodePoint(92)+'c'+String.fromCodePoint(60)",
	}
	for in, want := range tests {
		if got := jsQuoted(in); got != want {
			t.Errorf("jsQuoted(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestEmptyChartsSayWhy(t *testing.T) {
	l := testLocale()
	o := summed(&stats.Overview{Months: []postal.Month{{Year: 2025, Month: 1}}})
	for _, c := range []Chart{l.Letters(o), l.Registered(o), l.Tonnage(o), l.Marketplaces(o), l.Balance(o), l.Completeness(o)} {
		if !c.Empty || c.Note != "[chart.empty]" || c.Snippet() != "" {
			t.Errorf("%s: empty=%v note=%q", c.ID, c.Empty, c.Note)
		}
	}
}

// TestBalanceRatioAndGridHeight: the balance chart writes each category's
// ratio under its name, and the completeness grid grows with its rows so
// that two-line labels do not overlap.
func TestBalanceRatioAndGridHeight(t *testing.T) {
	l := testLocale()
	l.T = func(k string) string {
		if k == "chart.balance.ratio" {
			return "out : in = {ratio}"
		}
		return "[" + k + "]"
	}
	m := postal.Month{Year: 2025, Month: 1}
	letters := func(d postal.Direction, kg float64) postal.SeriesMonth {
		return postal.SeriesMonth{Month: m, Series: postal.Series{Direction: d, Partner: postal.ChinaPost, Category: postal.LetterPost}, WeightKg: kg, HasWeight: true}
	}
	o := summed(&stats.Overview{Months: []postal.Month{m}, Live: []postal.SeriesMonth{letters(postal.Inbound, 200), letters(postal.Outbound, 300)}})
	if html := string(l.Balance(o).Snippet()); !strings.Contains(html, `"[category.letter_post]\nout : in = 1.50"`) {
		t.Errorf("balance chart lacks the ratio under the category:\n%s", html)
	}
	g := l.Completeness(o)
	if g.Height != 110+48 || !strings.Contains(string(g.Snippet()), `style="height:158px"`) {
		t.Errorf("completeness grid of one row: height %d", g.Height)
	}
}

// A partner or marketplace is kept as written in the sheet; its name must
// stay a string even when it holds go-echarts' function marker.
func TestSnippetKeepsFunctionMarkersInDataAsText(t *testing.T) {
	evil := "__f__alert(1)__f__"
	m := postal.Month{Year: 2025, Month: 1}
	o := summed(&stats.Overview{Months: []postal.Month{m}, Live: []postal.SeriesMonth{
		{Month: m, Series: postal.Series{Direction: postal.Inbound, Partner: evil, Category: postal.Parcel}, WeightKg: 2000, HasWeight: true},
		{Month: m, Series: postal.Series{Direction: postal.Inbound, Partner: postal.ChinaPost, Category: postal.Ecommerce, Marketplace: evil}, WeightKg: 2000, HasWeight: true},
	}})
	l := testLocale()
	for _, c := range []Chart{l.Tonnage(o), l.Marketplaces(o), l.Completeness(o)} {
		html := string(c.Snippet())
		if !strings.Contains(html, "alert(1)") {
			t.Fatalf("%s: the name is missing:\n%s", c.ID, html)
		}
		for _, code := range []string{`"alert(1)`, `[alert(1)`, `,alert(1)`, `:alert(1)`} {
			if strings.Contains(html, code) {
				t.Errorf("%s: a name from the data became code (%s):\n%s", c.ID, code, html)
			}
		}
	}
}

// The donut names each slice's tonnes, not only its share, so a printed
// page can be read; its table ends with the total.
func TestDonutShowsValues(t *testing.T) {
	o := summed(&stats.Overview{Months: []postal.Month{{Year: 2025, Month: 1}}, Live: []postal.SeriesMonth{
		{Month: postal.Month{Year: 2025, Month: 1}, Series: postal.Series{Direction: postal.Inbound, Partner: postal.ChinaPost, Category: postal.Ecommerce, Marketplace: postal.Temu}, WeightKg: 2500, HasWeight: true},
		{Month: postal.Month{Year: 2025, Month: 1}, Series: postal.Series{Direction: postal.Inbound, Partner: postal.ChinaPost, Category: postal.Ecommerce, Marketplace: postal.Shein}, WeightKg: 1500, HasWeight: true},
	}})
	c := testLocale().Marketplaces(o)
	if html := string(c.Snippet()); !strings.Contains(html, "pd.pieLabel(p,1,'t')") {
		t.Errorf("donut labels without values:\n%s", html)
	}
	if c.Table.Total == nil || c.Table.Total[1].Num != 4 {
		t.Errorf("donut table total %v, want 4 t", c.Table.Total)
	}
}

// summed gives o the sums its page draws from, o.Live being single
// series-months (each a group of one), as stats.Load gives them.
func summed(o *stats.Overview) *stats.Overview {
	o.Sums, o.Market = o.Live, o.Live
	for _, sm := range o.Live {
		o.Groups = append(o.Groups, stats.SeriesGroup{SeriesMonth: sm, Count: 1})
	}
	return o
}
