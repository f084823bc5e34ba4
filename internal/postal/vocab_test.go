package postal

import (
	"fmt"
	"strings"
	"testing"
)

// found renders matches as kind=value in order, for comparison.
func found(ms []Match) string {
	s := ""
	for i, m := range ms {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%s=%s", m.Kind, m.Value)
	}
	return s
}

func TestLookup(t *testing.T) {
	m := DefaultMatcher()
	tests := []struct {
		name, text, want string
	}{
		{"uz-Cyrl group and sub-header", "Хат-хабарлар, кг кирувчи", "category=letter_post unit=kg direction=inbound"},
		{"en wide header", "Letters inbound, kg", "category=letter_post direction=inbound unit=kg"},
		{"ru header with inflected partner", "Посылки из Китая, т", "category=parcel partner=china_post unit=t"},
		{"longest phrase wins", "буюртма хатлар", "category=registered_letter"},
		{"longest phrase wins (uz-Latn)", "Buyurtma xatlar, dona", "category=registered_letter unit=items"},
		{"two-word partner beats one word", "Почта Латвии", "partner=latvijas_pasts"},
		{"plural by stem", "кирувчилар", "direction=inbound"},
		{"genitive plural by stem", "посылок", "category=parcel"},
		{"inflected adjective by stem", "входящая корреспонденция", "direction=inbound category=letter_post"},
		{"genitive country", "Латвии", "partner=latvijas_pasts"},
		{"latin X in cyrillic", "Xитой почтаси", "partner=china_post"},
		{"latin x in АлиЕxпресс", "АлиЕxпресс", "marketplace=aliexpress"},
		{"apostrophe variants", "Yoʻnalish", "direction_column=direction"},
		{"exact beats stem: country", "Country", "partner_column=partner"},
		{"exact beats stem: count", "Count", "unit=items"},
		{"single letter unit only exact", "Parcels, t", "category=parcel unit=t"},
		{"t inside a word is not tonnes", "Total", "total=total"},
		{"short word exact only", "Oylik", ""},
		{"month names", "марта", "month=3"},
		{"ru total", "Итого:", "total=total"},
		{"uz total", "Jami", "total=total"},
		{"e-commerce uz-Latn", "Internet-do'kon jo'natmalari", "category=ecommerce"},
		{"e-commerce en", "E-commerce, kg", "category=ecommerce unit=kg"},
		{"kol-vo", "Кол-во", "unit=items"},
		{"ambiguous word keeps both meanings", "г", "unit=g"},
		// Windows-1251 has no ʻ, қ, ғ, ҳ: programs saving a CSV in it write "?".
		{"lost apostrophe", "Yo?nalish", "direction_column=direction"},
		{"lost apostrophe in a unit", "Og?irlik, kg", "unit=weight unit=kg"},
		{"lost қ", "Хат-хабарлар, кг чи?увчи", "category=letter_post unit=kg direction=outbound"},
		{"lost ҳ at the start", "?амкор", "partner_column=partner"},
		{"lost letters in a phrase", "Интернет-дўкон жўнатмалари", "category=ecommerce"},
		{"lost letter in a short word is not guessed", "?г", ""},
		{"question mark alone", "Period?", "period_column=period"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := found(m.Lookup(tt.text)); got != tt.want {
				t.Errorf("Lookup(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// Every phrase of the vocabulary, in each of its languages, finds itself
// with its own meaning: adding a line is enough to teach a word.
func TestEveryPhraseFindsItself(t *testing.T) {
	m := DefaultMatcher()
	for _, table := range [][]Entry{Vocabulary, MonthNames} {
		for _, e := range table {
			ok := false
			for _, mt := range m.Lookup(e.Phrase) {
				if mt.Kind == e.Kind && mt.Value == e.Value && mt.Start == 0 {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s %q (%s) does not find %s=%s: %v", e.Lang, e.Phrase, e.Kind, e.Kind, e.Value, m.Lookup(e.Phrase))
			}
		}
	}
}

// Every meaning of section 5 is named in all four languages.
func TestVocabularyCoversFourLanguages(t *testing.T) {
	langs := map[[2]string]map[string]bool{}
	for _, e := range Vocabulary {
		if e.Kind == KindTotal {
			continue
		}
		k := [2]string{string(e.Kind), e.Value}
		if langs[k] == nil {
			langs[k] = map[string]bool{}
		}
		langs[k][e.Lang] = true
	}
	for k, ls := range langs {
		for _, l := range []string{"en", "uz-Latn", "uz-Cyrl", "ru"} {
			if !ls[l] {
				t.Errorf("%s=%s has no %s phrase", k[0], k[1], l)
			}
		}
	}
}

func TestMonthNumber(t *testing.T) {
	m := DefaultMatcher()
	for tok, want := range map[string]int{"january": 1, "mart": 3, "марта": 3, "январь": 1, "января": 1, "sep": 9, "dekabr": 12, "май": 5, "мая": 5, "июня": 6, "period": 0} {
		if got := m.MonthNumber(tok); got != want {
			t.Errorf("MonthNumber(%q) = %d, want %d", tok, got, want)
		}
	}
}

// Every word of the contract's section 5 table, as written there, means
// what the table says (the code's table may know more words).
func TestContractVocabulary(t *testing.T) {
	m := DefaultMatcher()
	table := []struct {
		kind  Kind
		value string
		words string // as in the contract, comma-separated, all four languages
	}{
		{KindPeriodColumn, "", "period, month, date, davr, oy, sana, давр, ой, сана, период, месяц, дата"},
		{KindYearColumn, "year", "year, yil, йил, год"},
		{KindDirectionColumn, "direction", "direction, yo'nalish, йўналиш, направление"},
		{KindDirection, "inbound", "inbound, incoming, import, in, kiruvchi, kirish, кирувчи, кириш, входящий, входящие, ввоз"},
		{KindDirection, "outbound", "outbound, outgoing, export, out, chiquvchi, chiqish, чиқувчи, чиқиш, исходящий, исходящие, вывоз"},
		{KindDirection, "transit", "transit, tranzit, транзит, транзит, транзитные"},
		{KindPartnerColumn, "partner", "partner, operator, origin, country, hamkor, operator, davlat, ҳамкор, оператор, давлат, партнёр, оператор, страна"},
		{KindPartner, "china_post", "China Post, China, Xitoy pochtasi, Xitoy, Хитой почтаси, Хитой, Почта Китая, Китай"},
		{KindPartner, "latvijas_pasts", "Latvijas Pasts, Latvia Post, Latvia, Latviya pochtasi, Latviya, Латвия почтаси, Латвия, Почта Латвии, Латвия"},
		{KindPartner, "vanuatu_post", "Vanuatu Post, Vanuatu, Vanuatu pochtasi, Vanuatu, Вануату почтаси, Вануату, Почта Вануату, Вануату"},
		{KindCategoryColumn, "category", "category, mail class, type, toifa, turi, тоифа, тури, категория, вид, тип"},
		{KindCategory, "letter_post", "letters, letter post, correspondence, xat-xabarlar, xatlar, xat yozishmalar, хат-хабарлар, хатлар, хат ёзишмалар, письма, письменная корреспонденция"},
		{KindCategory, "registered_letter", "registered letters, registered, buyurtma xatlar, буюртма хатлар, заказные письма"},
		{KindCategory, "parcel", "parcels, posilkalar, посилкалар, посылки"},
		{KindCategory, "ems", "EMS, express, EMS, EMS, EMS, экспресс"},
		{KindCategory, "ecommerce", "e-commerce, online orders, internet-do'kon jo'natmalari, elektron tijorat, интернет-дўкон жўнатмалари, электрон тижорат, интернет-заказы, электронная торговля"},
		{KindMarketplaceColumn, "marketplace", "marketplace, platform, marketpleys, platforma, маркетплейс, платформа, маркетплейс, площадка"},
		{KindMarketplace, "aliexpress", "AliExpress, АлиЭкспресс"},
		{KindMarketplace, "temu", "Temu, Тему"},
		{KindMarketplace, "shein", "Shein, Шеин, Шейн"},
		{KindUnit, "items", "items, pieces, pcs, count, quantity, qty, dona, soni, дона, сони, шт, штук, количество, кол-во"},
		{KindUnit, "", "weight, kg, og'irlik, kg, оғирлик, кг, вес, кг"}, // weight or kg
		{KindUnit, "t", "t, tonnes, tons, t, tonna, т, тонна, т, тонн, тонна"},
		{KindUnit, "g", "g, grams, g, gramm, г, грамм, г, грамм"},
		{KindTotal, "total", "Total, Jami, Жами, Итого, Всего"},
	}
	for _, row := range table {
		for _, w := range strings.Split(row.words, ", ") {
			ok := false
			for _, mt := range m.Lookup(w) {
				if mt.Kind == row.kind && (row.value == "" || mt.Value == row.value) && mt.Start == 0 {
					ok = true
				}
			}
			if row.kind == KindUnit && row.value == "" {
				ok = false
				for _, mt := range m.Lookup(w) {
					ok = ok || mt.Kind == KindUnit && (mt.Value == string(UnitKg) || mt.Value == string(UnitWeight))
				}
			}
			if !ok {
				t.Errorf("%q: want %s=%s, got %s", w, row.kind, row.value, found(m.Lookup(w)))
			}
		}
	}
	// Inflected forms match by their stem; the longest phrase wins.
	for text, want := range map[string]string{
		"кирувчилар":     "direction=inbound",
		"посылок":        "category=parcel",
		"Китая":          "partner=china_post",
		"буюртма хатлар": "category=registered_letter",
		"Xитой":          "partner=china_post",
		"АлиЕxпресс":     "marketplace=aliexpress",
	} {
		if got := found(m.Lookup(text)); got != want {
			t.Errorf("Lookup(%q) = %q, want %q", text, got, want)
		}
	}
}
