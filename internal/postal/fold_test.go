package postal

import (
	"slices"
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"trims and lowers", "  Period  ", "period"},
		{"collapses white space", "Хат-хабарлар,\t\n кг", "хат-хабарлар, кг"},
		{"no-break and thin spaces", "1\u00a0234\u2009567\u202f8", "1 234 567 8"},
		{"NFC composes", "и\u0306ил", "йил"},
		{"uzbek apostrophes fold into one", "yo‘nalish yoʻnalish yoʼnalish yo`nalish yo’nalish", "yo'nalish yo'nalish yo'nalish yo'nalish yo'nalish"},
		{"latin X in a cyrillic word", "Xитой", "хитой"},
		{"latin x inside a cyrillic word", "АлиЕxпресс", "алиехпресс"},
		{"cyrillic letters in a latin word", "Сhinа Post", "china post"},
		{"mixed words are folded one by one", "Xитой China", "хитой china"},
		{"yo becomes ye", "Партнёр", "партнер"},
		{"uzbek cyrillic letters fold to plain look-alikes", "Чиқувчи ҳамкор оғирлик йўналиш", "чикувчи хамкор огирлик йуналиш"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Хат-хабарлар, кг кирувчи", []string{"хат", "хабарлар", "кг", "кирувчи"}},
		{"yo'nalish", []string{"yonalish"}},
		{"Weight(kg)", []string{"weight", "kg"}},
		{"12kg", []string{"12", "kg"}},
		{"кол-во, шт.", []string{"кол", "во", "шт"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Tokens(Fold(tt.in)); !slices.Equal(got, tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
