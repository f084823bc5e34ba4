package postal

import (
	"fmt"
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
