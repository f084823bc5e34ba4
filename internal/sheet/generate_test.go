package sheet_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"postdash/internal/sheet"
)

// The generative test writes random workbooks in the forms of the contract
// (sections 3–6) with excelize, knowing every fact they hold, and reads them
// back: every fact must come out exactly, and nothing else. The words come
// from the contract's vocabulary table, typed here again, so the test does not
// share the reader's own tables.

// genLangs are the four languages of the contract.
var genLangs = []string{"en", "ru", "uz-Latn", "uz-Cyrl"}

// genWords are the spellings the generator picks from, per language.
var genWords = map[string]map[string][]string{
	"en": {
		"letter_post": {"Letters", "Letter post", "Correspondence"}, "registered_letter": {"Registered letters"},
		"parcel": {"Parcels"}, "ems": {"EMS"}, "ecommerce": {"E-commerce", "Online orders"},
		"inbound": {"inbound", "incoming"}, "outbound": {"outbound", "outgoing"}, "transit": {"transit"},
		"items": {"items", "pcs", "pieces"}, "kg": {"kg"}, "t": {"t", "tonnes"}, "g": {"g", "grams"}, "lb": {"lbs", "lb", "pounds"},
		"k-items": {"'000 items", "thousand items"}, "k-t": {"'000 t", "thousand t"},
		"month": {"Month", "Period"}, "year": {"Year"}, "direction": {"Direction"}, "partner": {"Partner", "Operator"},
		"category": {"Category", "Mail class"}, "weight": {"Weight"}, "count": {"Items", "Quantity"},
		"total": {"Total", "Total for the period"}, "stub": {"Indicator"},
		"china_post": {"China Post"}, "latvijas_pasts": {"Latvia Post", "Latvijas Pasts"}, "vanuatu_post": {"Vanuatu Post"},
		"title": {"Statistics"},
	},
	"ru": {
		"letter_post": {"Письма", "Письменная корреспонденция"}, "registered_letter": {"Заказные письма"},
		"parcel": {"Посылки"}, "ems": {"EMS", "Экспресс"}, "ecommerce": {"Интернет-заказы", "Электронная торговля"},
		"inbound": {"входящие", "входящий"}, "outbound": {"исходящие", "исходящий"}, "transit": {"транзит", "транзитные"},
		"items": {"шт", "штук"}, "kg": {"кг"}, "t": {"т", "тонн"}, "g": {"г", "грамм"}, "lb": {"фунт", "фунтов"},
		"k-items": {"тыс. шт", "тысяч штук"}, "k-t": {"тыс. т", "тысяч тонн"},
		"month": {"Месяц", "Период"}, "year": {"Год"}, "direction": {"Направление"}, "partner": {"Партнёр", "Оператор", "Страна"},
		"category": {"Категория", "Вид"}, "weight": {"Вес"}, "count": {"Количество", "Кол-во"},
		"total": {"Итого", "Всего", "Итого за период"}, "stub": {"Показатель"},
		"china_post": {"Почта Китая", "Китай"}, "latvijas_pasts": {"Почта Латвии", "Латвия"}, "vanuatu_post": {"Почта Вануату"},
		"title": {"Статистика"},
	},
	"uz-Latn": {
		"letter_post": {"Xatlar", "Xat-xabarlar"}, "registered_letter": {"Buyurtma xatlar"},
		"parcel": {"Posilkalar"}, "ems": {"EMS"}, "ecommerce": {"Elektron tijorat"},
		"inbound": {"kiruvchi", "kirish"}, "outbound": {"chiquvchi", "chiqish"}, "transit": {"tranzit"},
		"items": {"dona"}, "kg": {"kg"}, "t": {"t", "tonna"}, "g": {"g", "gramm"}, "lb": {"funt"},
		"k-items": {"ming dona"}, "k-t": {"ming tonna"},
		"month": {"Oy", "Davr"}, "year": {"Yil"}, "direction": {"Yo'nalish", "Yoʻnalish"}, "partner": {"Hamkor", "Operator"},
		"category": {"Toifa", "Turi"}, "weight": {"Og'irlik", "Ogʻirlik"}, "count": {"Soni"},
		"total": {"Jami"}, "stub": {"Ko'rsatkich"},
		"china_post": {"Xitoy pochtasi", "Xitoy"}, "latvijas_pasts": {"Latviya pochtasi"}, "vanuatu_post": {"Vanuatu pochtasi"},
		"title": {"Statistika"},
	},
	"uz-Cyrl": {
		"letter_post": {"Хатлар", "Хат-хабарлар"}, "registered_letter": {"Буюртма хатлар"},
		"parcel": {"Посилкалар"}, "ems": {"EMS"}, "ecommerce": {"Электрон тижорат"},
		"inbound": {"кирувчи", "кириш"}, "outbound": {"чиқувчи", "чиқиш"}, "transit": {"транзит"},
		"items": {"дона"}, "kg": {"кг"}, "t": {"т", "тонна"}, "g": {"г", "грамм"}, "lb": {"фунт"},
		"k-items": {"минг дона"}, "k-t": {"минг тонна"},
		"month": {"Ой", "Давр"}, "year": {"Йил"}, "direction": {"Йўналиш"}, "partner": {"Ҳамкор", "Оператор"},
		"category": {"Тоифа", "Тури"}, "weight": {"Оғирлик"}, "count": {"Сони"},
		"total": {"Жами"}, "stub": {"Кўрсаткич"},
		"china_post": {"Хитой почтаси", "Хитой"}, "latvijas_pasts": {"Латвия почтаси"}, "vanuatu_post": {"Вануату почтаси"},
		"title": {"Статистика"},
	},
}

// genMonthNames are the month names of section 6, per language.
var genMonthNames = map[string][]string{
	"en":      {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"ru":      {"Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь"},
	"uz-Latn": {"Yanvar", "Fevral", "Mart", "Aprel", "May", "Iyun", "Iyul", "Avgust", "Sentyabr", "Oktyabr", "Noyabr", "Dekabr"},
	"uz-Cyrl": {"Январ", "Феврал", "Март", "Апрел", "Май", "Июн", "Июл", "Август", "Сентябр", "Октябр", "Ноябр", "Декабр"},
}

// genYearWord is how a title gives the year, per language.
var genYearWord = map[string]string{"en": "Year %d", "ru": "за %d год", "uz-Latn": "%d yil", "uz-Cyrl": "%d йил"}

// Features a generated workbook may use. A workbook's family is the set of
// its features; genGated lists those the reader does not support yet: a
// workbook using one may be refused or rejected, but a committed one must
// still hold exactly the generator's facts.
const (
	featAcross      = "months-across"   // months across the columns, measures down the stub
	featBlocks      = "blocks"          // several tables on one sheet under partner block titles
	featMerged      = "merged-header"   // a two-row header, a merged group title over direction sub-headers
	featStyled      = "styled-empty"    // styled empty cells in the header band and the body
	featTotalRow    = "total-row"       // a total row with correct sums
	featTotalCol    = "total-column"    // a total column with correct sums (months across)
	featTitleYear   = "year-in-title"   // bare month names, the year in a title row
	featCommaThou   = "comma-thousands" // text numbers with "," between thousands and "." decimals
	featDecComma    = "decimal-comma"   // text numbers with a decimal comma and space thousands
	featPounds      = "pounds"          // a weight unit in pounds
	featMultiplier  = "multiplier"      // thousands of items or of tonnes
	featDates       = "date-cells"      // the period as date cells
	featList        = "list"            // one fact per row
	featYearMonth   = "year-month"      // a list with a year column and a month column
	featDashes      = "dashes"          // lone dashes as zero
	featTonnesGrams = "tonnes-grams"    // weights in tonnes or grams
	featInflected   = "inflected"       // inflected header words (посылок, входящих, kiruvchilar)
	featPreposition = "preposition"     // partner and direction by a preposition or case (из Китая, Xitoyga)
	featDerived     = "derived"         // a derived column (%, growth) that is never imported
	featFootnote    = "footnote"        // a footnote mark after one number, its note below the table
	featSheets      = "two-sheets"      // a second sheet with a table of its own
	featParts       = "parts"           // "в т.ч." rows breaking a row down by marketplace, adding up
	featYearCols    = "year-columns"    // the year in the column headers, bare months down
	featMixedLang   = "mixed-languages" // headers in more than one language
	featDays        = "days"            // list periods with a day (14.03.2025), rolled up to months
)

var genGated = map[string]string{
	featAcross:     "months across the columns are not read yet",
	featBlocks:     "several tables on one sheet are not read yet",
	featCommaThou:  "thousands commas are not decided per column yet (gallery form 37)",
	featPounds:     "pounds are not converted yet (gallery form 31)",
	featMultiplier: "multipliers are not read yet (gallery forms 28, 29)",
	featTotalCol:   "months across are not read yet",
	featFootnote:   "footnote marks are not read yet (gallery form 27)",
	featParts:      "parts of a total are not read yet (gallery form 23)",
	featYearCols:   "years in column headers are not read yet (gallery form 11)",
}

// genPartOf says "of which", genMarkets names the marketplaces, per language.
var (
	genPartOf  = map[string][]string{"en": {"of which", "including"}, "ru": {"в т.ч.", "в том числе", "из них"}, "uz-Latn": {"shu jumladan"}, "uz-Cyrl": {"шу жумладан"}}
	genMarkets = map[string]map[string]string{
		"en":      {"aliexpress": "AliExpress", "temu": "Temu", "shein": "Shein"},
		"ru":      {"aliexpress": "АлиЭкспресс", "temu": "Тему", "shein": "Шейн"},
		"uz-Latn": {"aliexpress": "AliExpress", "temu": "Temu", "shein": "Shein"},
		"uz-Cyrl": {"aliexpress": "АлиЭкспресс", "temu": "Тему", "shein": "Шеин"},
	}
	genYearCol = map[string]string{"en": "%d", "ru": "%d год", "uz-Latn": "%d yil", "uz-Cyrl": "%d йил"}
)

// genInflected are inflected spellings that must match by their stem (section 5).
var genInflected = map[string]map[string][]string{
	"en":      {"parcel": {"Parcel"}, "inbound": {"Inbound"}, "outbound": {"Outbound"}},
	"ru":      {"parcel": {"Посылок"}, "inbound": {"входящих", "входящая"}, "outbound": {"исходящих", "исходящая"}},
	"uz-Latn": {"inbound": {"kiruvchilar"}, "outbound": {"chiquvchilar"}},
	"uz-Cyrl": {"inbound": {"кирувчилар"}, "outbound": {"чиқувчилар"}},
}

// genFrom and genTo say "from China" and "to China" (inbound and outbound, China Post).
var (
	genFrom = map[string][]string{"en": {"from China"}, "ru": {"из Китая", "от Почты Китая"}, "uz-Latn": {"Xitoydan"}, "uz-Cyrl": {"Хитойдан"}}
	genTo   = map[string][]string{"en": {"to China"}, "ru": {"в Китай"}, "uz-Latn": {"Xitoyga"}, "uz-Cyrl": {"Хитойга"}}
)

// genDerived are headers of derived columns, genNote footnote texts.
var (
	genDerived = map[string][]string{"en": {"Growth, %", "Share, %"}, "ru": {"Темп роста, %", "Доля, %"}, "uz-Latn": {"O'sish, %", "Ulushi, %"}, "uz-Cyrl": {"Ўсиш, %", "Улуши, %"}}
	genNote    = map[string]string{"en": "* preliminary", "ru": "* предварительные данные", "uz-Latn": "* dastlabki ma'lumotlar", "uz-Cyrl": "* дастлабки маълумотлар"}
)

// gcell is one cell of a generated sheet.
type gcell struct {
	v     any // string, float64, time.Time (a date cell)
	style bool
}

type gsheet struct {
	name   string
	cells  map[[2]int]gcell // [row, col], 0-based
	merges [][4]int         // r1, c1, r2, c2
	styled [][4]int         // ranges whose every cell gets a style
	rows   int
}

func (s *gsheet) set(r, c int, v any) {
	s.cells[[2]int{r, c}] = gcell{v: v}
	if r+1 > s.rows {
		s.rows = r + 1
	}
}

// gbook is a generated workbook with the facts it holds.
type gbook struct {
	lang     string
	sheets   []*gsheet
	features map[string]bool
	want     map[factKey]factVal
}

func (b *gbook) family() string {
	var fs []string
	for f := range b.features {
		fs = append(fs, f)
	}
	slices.Sort(fs)
	return strings.Join(fs, "+")
}

// gated names the first unsupported feature the book uses, or "".
func (b *gbook) gated() string {
	var out []string
	for f := range b.features {
		if _, ok := genGated[f]; ok {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}

func (b *gbook) add(k factKey, items int64, hasItems bool, kg float64, hasKg bool) {
	v := b.want[k]
	if hasItems {
		v.items += items
		v.hasItems = true
	}
	if hasKg {
		v.weight += kg
		v.hasWeight = true
	}
	b.want[k] = v
}

// gen draws random choices.
type gen struct {
	r    *rand.Rand
	lang string
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }
func (g *gen) word(key string) string  { return g.pick(genWords[g.lang][key]) }
func (g *gen) chance(p float64) bool   { return g.r.Float64() < p }

// measure is one column (or stub row) of a cross table.
type measure struct {
	category, direction string
	partner             string // china_post when the header says "from China", else ""
	inflected           bool
	lang                string  // the header's language when not the sheet's
	unit                string  // items, kg, t, g, lb, k-items, k-t
	factor              float64 // cell value × factor = items or kg
	style               string  // how its numbers are written: "num", "dot", "comma", "thou"
}

func (m measure) items() bool { return m.unit == "items" || m.unit == "k-items" }

// header is the measure's header text in the generator's language.
func (g *gen) header(m measure, withDir bool) string {
	if m.lang != "" {
		defer func(l string) { g.lang = l }(g.lang)
		g.lang = m.lang
	}
	cat, dir, unit := g.word(m.category), g.word(m.direction), g.word(m.unit)
	if m.inflected {
		if xs, ok := genInflected[g.lang][m.category]; ok {
			cat = g.pick(xs)
		}
		if xs, ok := genInflected[g.lang][m.direction]; ok {
			dir = g.pick(xs)
		}
	}
	if m.partner != "" {
		phrase := g.pick(genFrom[g.lang])
		if m.direction == "outbound" {
			phrase = g.pick(genTo[g.lang])
		}
		return cat + " " + phrase + ", " + unit
	}
	if !withDir {
		return cat + ", " + unit
	}
	if g.chance(0.5) {
		return cat + " " + dir + ", " + unit
	}
	return cat + " " + dir + " (" + unit + ")"
}

var genCategories = []string{"letter_post", "registered_letter", "parcel", "ems", "ecommerce"}
var genDirections = []string{"inbound", "outbound", "transit"}

// measures draws n distinct (category, direction) measures.
func (g *gen) measures(n int, b *gbook, allowPartner bool) []measure {
	seen := map[string]bool{}
	var out []measure
	for len(out) < n {
		m := measure{category: g.pick(genCategories), direction: g.pick(genDirections)}
		if seen[m.category+m.direction] {
			continue
		}
		seen[m.category+m.direction] = true
		if g.chance(0.1) {
			m.lang = g.pick(genLangs)
			b.features[featMixedLang] = true
		}
		if g.chance(0.15) {
			m.inflected = true
			b.features[featInflected] = true
		}
		if allowPartner && m.direction != "transit" && g.chance(0.1) {
			m.partner = "china_post"
			b.features[featPreposition] = true
		}
		switch u := g.r.IntN(10); {
		case u < 4:
			m.unit, m.factor = "items", 1
		case u < 7:
			m.unit, m.factor = "kg", 1
		case u == 7:
			m.unit, m.factor = g.pick([]string{"t", "g"}), 0
			m.factor = map[string]float64{"t": 1000, "g": 0.001}[m.unit]
			b.features[featTonnesGrams] = true
		case u == 8:
			m.unit, m.factor = "lb", 0.45359237
			b.features[featPounds] = true
		default:
			m.unit, m.factor = g.pick([]string{"k-items", "k-t"}), 0
			m.factor = map[string]float64{"k-items": 1000, "k-t": 1e6}[m.unit]
			b.features[featMultiplier] = true
		}
		m.style = g.pick([]string{"num", "num", "dot", "comma", "thou"})
		switch m.style {
		case "comma":
			b.features[featDecComma] = true
		case "thou":
			if m.items() {
				m.style = "num" // an items column of "1,200" alone is ambiguous (section 6)
			} else {
				b.features[featCommaThou] = true
			}
		}
		out = append(out, m)
	}
	return out
}

// value draws one cell value in the measure's unit: a multiple of 1/4 for
// weights (exact in binary), whole for items (after the multiplier).
func (g *gen) value(m measure) float64 {
	switch m.unit {
	case "items":
		return float64(g.r.IntN(5000))
	case "k-items":
		return float64(g.r.IntN(400)) / 4 // ×1000: whole items
	case "g":
		return float64(g.r.IntN(2000000))
	default:
		return float64(g.r.IntN(400000)) / 4
	}
}

// canon is the value as items or kg.
func canon(m measure, v float64) (int64, float64) {
	if m.items() {
		return int64(math.Round(v * m.factor)), 0
	}
	return 0, v * m.factor
}

// numText writes x with the style's marks.
func (g *gen) numText(x float64, style string) any {
	if style == "num" {
		return x
	}
	s := strconv.FormatFloat(x, 'f', -1, 64)
	ip, fp, _ := strings.Cut(s, ".")
	thou, dec := "", "."
	switch style {
	case "comma":
		thou, dec = g.pick([]string{"", " ", "\u00a0"}), ","
	case "thou":
		thou = ","
	}
	var b strings.Builder
	for i, c := range ip {
		if i > 0 && (len(ip)-i)%3 == 0 {
			b.WriteString(thou)
		}
		b.WriteRune(c)
	}
	if fp != "" {
		b.WriteString(dec + fp)
	}
	return b.String()
}

// month is a period the generator uses.
type month struct{ y, m int }

func (m month) String() string { return fmt.Sprintf("%04d-%02d", m.y, m.m) }

func (g *gen) months() []month {
	n := 1 + g.r.IntN(12)
	y, m := 2023+g.r.IntN(3), 1+g.r.IntN(12)
	if g.chance(0.3) { // all in one year, so that the year may go into a title
		m = 1 + g.r.IntN(13-n)
	}
	var out []month
	for range n {
		out = append(out, month{y, m})
		if m++; m > 12 {
			y, m = y+1, 1
		}
	}
	return out
}

// periodStyle is how a table writes its periods.
func (g *gen) periodStyle(b *gbook, ms []month, allowDates bool) string {
	styles := []string{"iso", "dotted", "name"}
	if allowDates {
		styles = append(styles, "date")
	}
	if ms[0].y == ms[len(ms)-1].y {
		styles = append(styles, "bare")
	}
	s := g.pick(styles)
	switch s {
	case "date":
		b.features[featDates] = true
	case "bare":
		b.features[featTitleYear] = true
	}
	return s
}

func (g *gen) period(m month, style string) any {
	switch style {
	case "date":
		return time.Date(m.y, time.Month(m.m), 1, 0, 0, 0, 0, time.UTC)
	case "dotted":
		return fmt.Sprintf("%02d.%d", m.m, m.y)
	case "name":
		return fmt.Sprintf("%s %d", genMonthNames[g.lang][m.m-1], m.y)
	case "bare":
		return genMonthNames[g.lang][m.m-1]
	}
	return m.String()
}

// cross writes one cross table at row r0 (months down or across) and returns
// the next free row. partner is the block's partner ("" none).
func (g *gen) cross(b *gbook, s *gsheet, r0 int, partner string, ms []month, across bool) int {
	meas := g.measures(1+g.r.IntN(4), b, partner == "")
	hdrRows := 1
	if !across && len(meas) > 1 && g.chance(0.3) {
		// Two rows: a group title "Category, unit" merged over direction
		// sub-headers, where measures share a category and unit.
		slices.SortStableFunc(meas, func(a, c measure) int { return strings.Compare(a.category+a.unit, c.category+c.unit) })
		hdrRows = 2
	}
	pstyle := g.periodStyle(b, ms, !across)
	if pstyle == "bare" && partner != "" {
		pstyle = "name"
		delete(b.features, featTitleYear)
	}
	if pstyle == "bare" {
		s.set(r0, 0, fmt.Sprintf(genYearWord[g.lang], ms[0].y))
		r0 += 2
	}
	dash := g.chance(0.3)
	// body[i][j]: measure i, month j; nil = empty.
	body := make([][]any, len(meas))
	sums := make([]float64, len(meas))
	plain := make([]bool, len(meas)) // a "thou" column has its unambiguous cell
	raw := make([][]float64, len(meas))
	has := make([][]bool, len(meas))
	for i, m := range meas {
		body[i] = make([]any, len(ms))
		raw[i], has[i] = make([]float64, len(ms)), make([]bool, len(ms))
		for j, mo := range ms {
			switch p := g.r.IntN(20); {
			case p == 0 && j > 0:
				continue // empty: absent
			case p == 1 && dash:
				body[i][j] = g.pick([]string{"-", "–", "—"})
				b.features[featDashes] = true
				b.add(factKey{mo.String(), m.direction, cmp.Or(m.partner, partner), m.category, ""}, 0, m.items(), 0, !m.items())
				continue
			}
			v := g.value(m)
			if m.style == "thou" && !plain[i] {
				// One cell with both marks ("13,020.5"), so that the
				// column's commas are thousands beyond doubt (section 6).
				v = float64(1000+g.r.IntN(90000)) + 0.5
				plain[i] = true
			}
			body[i][j] = g.numText(v, m.style)
			raw[i][j], has[i][j] = v, true
			sums[i] += v
			items, kg := canon(m, v)
			b.add(factKey{mo.String(), m.direction, cmp.Or(m.partner, partner), m.category, ""}, items, m.items(), kg, !m.items())
		}
	}
	footnote := false
	if !across && g.chance(0.15) {
		for range 10 {
			i, j := g.r.IntN(len(meas)), g.r.IntN(len(ms))
			switch v := body[i][j].(type) {
			case float64:
				body[i][j] = strconv.FormatFloat(v, 'f', -1, 64) + "*"
				footnote = true
			case string:
				if v != "-" && v != "–" && v != "—" {
					body[i][j] = v + "*"
					footnote = true
				}
			}
			if footnote {
				b.features[featFootnote] = true
				break
			}
		}
	}
	if across {
		b.features[featAcross] = true
		s.set(r0, 0, g.word("stub"))
		for j, mo := range ms {
			s.set(r0, 1+j, g.period(mo, pstyle))
		}
		total := g.chance(0.3)
		if total {
			b.features[featTotalCol] = true
			s.set(r0, 1+len(ms), g.word("total"))
		}
		row := r0 + 1
		for i, m := range meas {
			s.set(row, 0, g.header(m, true))
			for j := range ms {
				if body[i][j] != nil {
					s.set(row, 1+j, body[i][j])
				}
			}
			if total {
				s.set(row, 1+len(ms), g.numText(sums[i], m.style))
			}
			row++
			if m.unit == "items" && m.partner == "" && g.chance(0.25) {
				row = g.parts(b, s, row, m, ms, raw[i], has[i], cmp.Or(m.partner, partner), total)
			}
		}
		return row
	}
	s.set(r0, 0, g.word("month"))
	if hdrRows == 2 {
		b.features[featMerged] = true
		s.merges = append(s.merges, [4]int{r0, 0, r0 + 1, 0})
		for i := 0; i < len(meas); {
			j := i
			for j+1 < len(meas) && meas[i].partner == "" && meas[j+1].partner == "" && meas[j+1].category == meas[i].category && meas[j+1].unit == meas[i].unit && meas[j+1].inflected == meas[i].inflected {
				j++
			}
			if j > i {
				s.set(r0, 1+i, g.header(meas[i], false))
				s.merges = append(s.merges, [4]int{r0, 1 + i, r0, 1 + j})
				for k := i; k <= j; k++ {
					s.set(r0+1, 1+k, g.word(meas[k].direction))
				}
			} else {
				s.set(r0, 1+i, g.header(meas[i], true))
				s.merges = append(s.merges, [4]int{r0, 1 + i, r0 + 1, 1 + i})
			}
			i = j + 1
		}
	} else {
		for i, m := range meas {
			s.set(r0, 1+i, g.header(m, true))
		}
	}
	derived := !across && g.chance(0.2)
	if derived {
		b.features[featDerived] = true
		s.set(r0, 1+len(meas), g.pick(genDerived[g.lang]))
		if hdrRows == 2 {
			s.merges = append(s.merges, [4]int{r0, 1 + len(meas), r0 + 1, 1 + len(meas)})
		}
	}
	if g.chance(0.4) {
		b.features[featStyled] = true
		s.styled = append(s.styled, [4]int{r0, 0, r0 + hdrRows - 1, len(meas) + 2})
	}
	r := r0 + hdrRows
	for j, mo := range ms {
		s.set(r, 0, g.period(mo, pstyle))
		for i := range meas {
			if body[i][j] != nil {
				s.set(r, 1+i, body[i][j])
			}
		}
		if derived && g.chance(0.9) {
			s.set(r, 1+len(meas), float64(50+g.r.IntN(200))/2)
		}
		r++
	}
	if g.chance(0.3) {
		b.features[featTotalRow] = true
		s.set(r, 0, g.word("total"))
		for i, m := range meas {
			s.set(r, 1+i, g.numText(sums[i], m.style))
		}
		r++
	}
	if g.chance(0.25) {
		// The whole table and two rows below it formatted: every absent
		// body cell is then a styled empty cell.
		b.features[featStyled] = true
		s.styled = append(s.styled, [4]int{r0, 0, r + 1, len(meas) + 1})
	}
	if footnote {
		s.set(r+1, 0, genNote[g.lang])
		r += 2
	}
	return r
}

// parts writes "of which" rows under a row of items, by marketplace; with the
// remainder they add up to the row (each part at most half of what is left),
// so each part is a fact with its marketplace and the remainder keeps the
// marketplace empty.
func (g *gen) parts(b *gbook, s *gsheet, row int, m measure, ms []month, raw []float64, has []bool, partner string, total bool) int {
	b.features[featParts] = true
	mkts := []string{"aliexpress", "temu", "shein"}
	g.r.Shuffle(len(mkts), func(i, j int) { mkts[i], mkts[j] = mkts[j], mkts[i] })
	mkts = mkts[:1+g.r.IntN(2)]
	left := slices.Clone(raw)
	for _, mk := range mkts {
		s.set(row, 0, g.pick(genPartOf[g.lang])+" "+genMarkets[g.lang][mk])
		var sum float64
		for j, mo := range ms {
			if !has[j] || raw[j] < 10 {
				continue
			}
			p := float64(1 + g.r.IntN(int(left[j])/2))
			left[j] -= p
			sum += p
			s.set(row, 1+j, g.numText(p, m.style))
			k := factKey{mo.String(), m.direction, partner, m.category, ""}
			b.add(k, -int64(p), true, 0, false)
			k.marketplace = mk
			b.add(k, int64(p), true, 0, false)
		}
		if total {
			s.set(row, 1+len(ms), g.numText(sum, m.style))
		}
		row++
	}
	return row
}

// yearCols writes "Month | 2024 год, т | 2025 год, т" under a title that
// names the measure: the year from each column, the month from each row.
func (g *gen) yearCols(b *gbook, s *gsheet) {
	b.features[featYearCols] = true
	m := g.measures(1, b, false)[0]
	m.lang, m.inflected = "", false
	s.set(0, 0, g.word(m.category)+" "+g.word(m.direction))
	y0 := 2022 + g.r.IntN(3)
	years := 1 + g.r.IntN(3)
	s.set(1, 0, g.word("month"))
	for k := range years {
		s.set(1, 1+k, fmt.Sprintf(genYearCol[g.lang], y0+k)+", "+g.word(m.unit))
	}
	n := 1 + g.r.IntN(12)
	for j := range n {
		s.set(2+j, 0, genMonthNames[g.lang][j])
		for k := range years {
			v := g.value(m)
			s.set(2+j, 1+k, g.numText(v, m.style))
			items, kg := canon(m, v)
			b.add(factKey{month{y0 + k, j + 1}.String(), m.direction, "", m.category, ""}, items, m.items(), kg, !m.items())
		}
	}
}

// list writes a long table: one fact per row, some rows adding up.
func (g *gen) list(b *gbook, s *gsheet) {
	b.features[featList] = true
	ms := g.months()
	yearMonth := g.chance(0.3)
	if yearMonth {
		b.features[featYearMonth] = true
	}
	pstyle := g.periodStyle(b, ms, true)
	if pstyle == "bare" {
		pstyle = "iso"
		delete(b.features, featTitleYear)
	}
	wunit := g.pick([]string{"kg", "kg", "t"})
	wm := measure{unit: wunit, factor: map[string]float64{"kg": 1, "t": 1000}[wunit], style: g.pick([]string{"num", "dot", "comma"})}
	if wm.style == "comma" {
		b.features[featDecComma] = true
	}
	if wunit == "t" {
		b.features[featTonnesGrams] = true
	}
	var cols []string
	if yearMonth {
		cols = append(cols, g.word("year"), g.word("month"))
	} else {
		cols = append(cols, g.word("month"))
	}
	cols = append(cols, g.word("direction"), g.word("partner"), g.word("category"), g.word("count"), g.word("weight")+", "+g.word(wunit))
	for c, h := range cols {
		s.set(0, c, h)
	}
	partners := []string{"china_post", "latvijas_pasts", "vanuatu_post"}
	n := 1 + g.r.IntN(30)
	for i := range n {
		mo := ms[g.r.IntN(len(ms))]
		dir, part, cat := g.pick(genDirections), g.pick(partners), g.pick(genCategories)
		c := 0
		if yearMonth {
			s.set(1+i, 0, float64(mo.y))
			if g.chance(0.5) {
				s.set(1+i, 1, float64(mo.m))
			} else {
				s.set(1+i, 1, genMonthNames[g.lang][mo.m-1])
			}
			c = 2
		} else {
			p := g.period(mo, pstyle)
			if pstyle == "date" || pstyle == "dotted" && g.chance(0.5) {
				b.features[featDays] = true
				day := 1 + g.r.IntN(28)
				p = time.Date(mo.y, time.Month(mo.m), day, 0, 0, 0, 0, time.UTC)
				if pstyle == "dotted" {
					p = fmt.Sprintf("%02d.%02d.%d", day, mo.m, mo.y)
				}
			}
			s.set(1+i, 0, p)
			c = 1
		}
		s.set(1+i, c, g.word(dir))
		s.set(1+i, c+1, g.word(part))
		s.set(1+i, c+2, g.word(cat))
		hasItems, hasKg := g.chance(0.8), g.chance(0.8)
		if !hasItems && !hasKg {
			hasItems = true
		}
		var items int64
		var kg float64
		if hasItems {
			items = int64(g.r.IntN(3000))
			s.set(1+i, c+3, float64(items))
		}
		if hasKg {
			v := g.value(wm)
			s.set(1+i, c+4, g.numText(v, wm.style))
			_, kg = canon(wm, v)
		}
		b.add(factKey{mo.String(), dir, part, cat, ""}, items, hasItems, kg, hasKg)
	}
}

// generate draws a workbook from seed.
func generate(seed uint64) *gbook {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	g := &gen{r: r, lang: genLangs[r.IntN(len(genLangs))]}
	b := &gbook{lang: g.lang, features: map[string]bool{}, want: map[factKey]factVal{}}
	s := &gsheet{name: g.word("title"), cells: map[[2]int]gcell{}}
	b.sheets = append(b.sheets, s)
	switch k := r.IntN(11); {
	case k < 3:
		g.list(b, s)
	case k == 10:
		g.yearCols(b, s)
	case k < 7:
		g.cross(b, s, 0, "", g.months(), false)
	case k < 9:
		g.cross(b, s, 0, "", g.months(), true)
	default:
		b.features[featBlocks] = true
		across := g.chance(0.3)
		row := 0
		for _, p := range []string{"china_post", "latvijas_pasts", "vanuatu_post"}[:2+r.IntN(2)] {
			s.set(row, 0, g.word(p))
			row = g.cross(b, s, row+1, p, g.months(), across) + 1
		}
	}
	if len(b.sheets) == 1 && !b.features[featBlocks] && g.chance(0.2) {
		b.features[featSheets] = true
		s2 := &gsheet{name: g.word("title") + " 2", cells: map[[2]int]gcell{}}
		b.sheets = append(b.sheets, s2)
		if g.chance(0.5) {
			g.list(b, s2)
		} else {
			g.cross(b, s2, 0, "", g.months(), false)
		}
	}
	return b
}

// write saves the book as an .xlsx with excelize.
func (b *gbook) write(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	boxed, err := f.NewStyle(&excelize.Style{Border: []excelize.Border{{Type: "bottom", Style: 1}}, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	dateFmt := "mmmm yyyy"
	dated, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	name := func(r, c int) string { n, _ := excelize.CoordinatesToCellName(c+1, r+1); return n }
	for i, s := range b.sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
		for _, rg := range s.styled {
			if err := f.SetCellStyle(s.name, name(rg[0], rg[1]), name(rg[2], rg[3]), boxed); err != nil {
				return err
			}
		}
		for rc, c := range s.cells {
			cell := name(rc[0], rc[1])
			switch v := c.v.(type) {
			case string:
				err = f.SetCellStr(s.name, cell, v)
			case float64:
				err = f.SetCellFloat(s.name, cell, v, -1, 64)
			case time.Time:
				if err = f.SetCellValue(s.name, cell, v); err == nil {
					err = f.SetCellStyle(s.name, cell, cell, dated)
				}
			default:
				err = fmt.Errorf("cell %s: unsupported %T", cell, v)
			}
			if err != nil {
				return err
			}
		}
		for _, m := range s.merges {
			if err := f.MergeCell(s.name, name(m[0], m[1]), name(m[2], m[3])); err != nil {
				return err
			}
		}
	}
	return f.SaveAs(path)
}

// checkGenerated writes the book of seed, reads it and compares. It returns
// the family, whether the book is gated, and what went wrong ("" nothing).
func checkGenerated(t testing.TB, dir string, seed uint64) (family, gated, problem string) {
	family, gated, _, problem = checkGeneratedKind(t, dir, seed)
	return family, gated, problem
}

// checkGeneratedKind is checkGenerated, also saying how the book came out:
// "exact", "refused", "rejected" or "wrong".
func checkGeneratedKind(t testing.TB, dir string, seed uint64) (family, gated, kind, problem string) {
	b := generate(seed)
	family, gated = b.family(), b.gated()
	path := filepath.Join(dir, fmt.Sprintf("gen-%d.xlsx", seed))
	if err := b.write(path); err != nil {
		t.Fatalf("seed %d: write: %v", seed, err)
	}
	defer os.Remove(path)
	res, err := sheet.ReadFile(context.Background(), path, "generated.xlsx", sheet.Options{Now: formsNow})
	var refused *sheet.RefusedError
	switch {
	case errors.As(err, &refused):
		if gated == "" {
			return family, gated, "refused", "refused: " + refused.Text
		}
		return family, gated, "refused", ""
	case err != nil:
		t.Fatalf("seed %d: read: %v", seed, err)
	case res.ErrorCount > 0:
		if gated == "" {
			return family, gated, "rejected", fmt.Sprintf("rejected:%s", issueTexts(res.Errors[:min(3, len(res.Errors))]))
		}
		return family, gated, "rejected", ""
	}
	if d := diffFacts(sumFacts(res.Facts), b.want); len(d) > 0 {
		if len(d) > 4 {
			d = append(d[:4], fmt.Sprintf("… %d more", len(d)-4))
		}
		return family, gated, "wrong", "COMMITTED WITH WRONG FACTS:\n\t" + strings.Join(d, "\n\t")
	}
	return family, gated, "exact", ""
}

// TestGeneratedTables reads 300 random workbooks (about a second on 2 cores;
// at least 200 under the race detector).
func TestGeneratedTables(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 40
	}
	dir := t.TempDir()
	fails := map[string]int{}               // by the gated features of the failing book
	outcomes := map[string]map[string]int{} // gated features -> kind -> books
	shown := 0
	start := time.Now()
	for seed := uint64(1); seed <= uint64(n); seed++ {
		if seed > 200 && time.Since(start) > 8*time.Second {
			// A slow machine or the race detector: 200 books are enough.
			t.Logf("stopped after %d books in %v", seed-1, time.Since(start))
			break
		}
		family, gated, kind, problem := checkGeneratedKind(t, dir, seed)
		if outcomes[gated] == nil {
			outcomes[gated] = map[string]int{}
		}
		outcomes[gated][kind]++
		if problem == "" {
			continue
		}
		fails["gated: "+gated]++
		if shown < 40 {
			shown++
			t.Errorf("seed %d (%s; gated: %q): %s", seed, family, gated, problem)
		}
	}
	if len(fails) > 0 {
		t.Errorf("failing families (workbooks): %v", fails)
	}
	keys := make([]string, 0, len(outcomes))
	for k := range outcomes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		t.Logf("gated %-50q %v", k, outcomes[k])
	}
}

// FuzzGeneratedTable drives the generator's seed: whatever it draws, a
// committed import holds exactly the generator's facts.
func FuzzGeneratedTable(f *testing.F) {
	for _, s := range []uint64{1, 7, 42, 1234, 99991} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, seed uint64) {
		if family, gated, problem := checkGenerated(t, dir, seed); problem != "" {
			t.Errorf("seed %d (%s; gated: %q): %s", seed, family, gated, problem)
		}
	})
}
