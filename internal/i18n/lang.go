// Package i18n owns what depends on the reader's language: the message
// catalogs, the choice of language for a request, and the way numbers, units
// and months are written.
package i18n

import "strings"

// Lang is a language postdash speaks, as a BCP 47 tag.
type Lang string

// The languages postdash speaks.
const (
	UzLatn Lang = "uz-Latn"
	UzCyrl Lang = "uz-Cyrl"
	RU     Lang = "ru"
	EN     Lang = "en"
)

// langInfo is everything that varies by language apart from the catalogs.
type langInfo struct {
	name      string // the language's name in itself
	html      string // value for <html lang>
	thousands string // digit group separator
	decimal   string // decimal mark
	kg        string // unit symbol for kilograms
	tonnes    string // unit symbol for tonnes
	month     string // FormatMonth pattern with {year} and {month}
	year      string // FormatYear pattern with {year}
	date      string // FormatDate pattern with {year}, {month} (as in of), {day}
	months    [12]string
	of        [12]string // month names as a date writes them ("26 ноября")
	short     [12]string
}

// nbsp separates digit groups and a number from its unit in uz and ru.
const nbsp = "\u00a0"

var langTable = map[Lang]langInfo{
	UzLatn: {
		name: "Oʻzbekcha", html: "uz-Latn", thousands: nbsp, decimal: ",",
		kg: "kg", tonnes: "t", month: "{year}-yil {month}", year: "{year}-yil", date: "{year}-yil {day}-{month}",
		months: [12]string{"yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr", "oktabr", "noyabr", "dekabr"},
		short:  [12]string{"yan", "fev", "mar", "apr", "may", "iyn", "iyl", "avg", "sen", "okt", "noy", "dek"},
	},
	UzCyrl: {
		name: "Ўзбекча", html: "uz-Cyrl", thousands: nbsp, decimal: ",",
		kg: "кг", tonnes: "т", month: "{year} йил {month}", year: "{year} йил", date: "{year} йил {day} {month}",
		months: [12]string{"январ", "феврал", "март", "апрел", "май", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр"},
		short:  [12]string{"янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"},
	},
	RU: {
		name: "Русский", html: "ru", thousands: nbsp, decimal: ",",
		kg: "кг", tonnes: "т", month: "{month} {year}", year: "{year} год", date: "{day} {month} {year} г.",
		months: [12]string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
		of:     [12]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
		short:  [12]string{"янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"},
	},
	EN: {
		name: "English", html: "en", thousands: ",", decimal: ".",
		kg: "kg", tonnes: "t", month: "{month} {year}", year: "{year}", date: "{day} {month} {year}",
		months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		short:  [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	},
}

// Langs returns the languages in display order.
func Langs() []Lang { return []Lang{UzLatn, UzCyrl, RU, EN} }

// info returns the table row of l, English for an unknown language.
func (l Lang) info() langInfo {
	if i, ok := langTable[l]; ok {
		return i
	}
	return langTable[EN]
}

// Name returns the language's name written in that language.
func (l Lang) Name() string { return l.info().name }

// HTML returns the value for the lang attribute of <html>.
func (l Lang) HTML() string { return l.info().html }

// String returns the tag.
func (l Lang) String() string { return string(l) }

// primaryLang maps a primary language subtag to the language it selects when
// no script subtag says otherwise.
var primaryLang = map[string]Lang{"uz": UzLatn, "ru": RU, "en": EN}

// scriptLang maps (primary subtag, script subtag) to a language.
var scriptLang = map[[2]string]Lang{
	{"uz", "latn"}: UzLatn,
	{"uz", "cyrl"}: UzCyrl,
}

// ParseLang reads a language tag leniently: case and "_" versus "-" do not
// matter, a region is ignored ("ru-RU", "en-US", "uz-UZ"), and plain "uz"
// means Uzbek in Latin script, the official one.
func ParseLang(s string) (Lang, bool) {
	parts := strings.Split(strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", "-")), "-")
	l, ok := primaryLang[parts[0]]
	if !ok {
		return "", false
	}
	for _, sub := range parts[1:] {
		if len(sub) == 4 { // a script subtag
			if sl, ok := scriptLang[[2]string{parts[0], sub}]; ok {
				return sl, true
			}
		}
	}
	return l, true
}
