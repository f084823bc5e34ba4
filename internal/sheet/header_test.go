package sheet

import (
	"testing"

	"postdash/internal/postal"
)

func TestClassifyHeader(t *testing.T) {
	vocab := postal.DefaultMatcher()
	tests := []struct {
		header  string
		meaning string
	}{
		{"Period", "period"},
		{"Месяц", "period"},
		{"Oy", "period"},
		{"Sana", "period"},
		{"Год", "year"},
		{"Yo‘nalish", "direction"},
		{"Направление", "direction"},
		{"Страна", "partner"},
		{"Hamkor", "partner"},
		{"Тоифа", "category"},
		{"Вид отправления", "category"},
		{"Маркетплейс", "marketplace"},
		{"Площадка", "marketplace"},
		{"Items", "items"},
		{"Кол-во", "items"},
		{"Вес, кг", "kg"},
		{"Weight in kg", "kg"},
		{"Weight, t", "t"},
		{"Parcels in tonnes", "parcel t"},
		{"Letters In (kg)", "letter_post inbound kg"},
		{"Letters in, kg", "letter_post inbound kg"},
		{"Письма вх., кг", "letter_post inbound kg"},
		{"Out, pcs", "outbound items"},
		{"Parcels in transit, pcs", "parcel transit items"}, // "in" is a preposition when another direction is named
		{"Letters out (export), kg", "letter_post outbound kg"},
		{"Og'irlik, gramm", "g"},
		{"Letters inbound, kg", "letter_post inbound kg"},
		{"Хат-хабарлар, кг кирувчи", "letter_post inbound kg"},
		{"Посылки из Китая, т", "parcel inbound china_post t"}, // contract §5: "из Китая" is inbound
		{"Буюртма хатлар, дона", "registered_letter items"},
		{"EMS outgoing to Latvia, pcs", "ems outbound latvijas_pasts items"},
		{"Temu (e-commerce), kg", "ecommerce temu kg"},
		{"АлиЕxпресс, кг", "aliexpress kg"},
		{"Parcels", "unknown"}, // no default unit (contract §0): numbers under it are an error
		{"Total, kg", "total"},
		{"Итого", "total"},
		{"Comment", "unknown"}, // numbers under it would be an error (contract §0)
		{"Parcels share, %", "derived"},
		{"№", "index"},
		{"Foo bar qty", "items"}, // a count of no category: unknown unless a column or title names one
		{"Посылки, тыс. шт", "parcel 1000 items"},
		{"Weight LBS", "lb"},
		{"Письма в Китай, кг", "letter_post outbound china_post kg"},
		{"Xitoydan posilkalar, dona", "parcel inbound china_post items"},
		{"2024 год, т", "2024 t"},
		{"Посылки, куб. м", "unknown"}, // an unknown unit word
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			if got := classifyHeader(vocab, 0, tt.header).meaning(); got != tt.meaning {
				t.Errorf("classifyHeader(%q) = %q, want %q", tt.header, got, tt.meaning)
			}
		})
	}
}

func TestColName(t *testing.T) {
	for col, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 352: "MO", 16383: "XFD"} {
		if got := colName(col); got != want {
			t.Errorf("colName(%d) = %s, want %s", col, got, want)
		}
	}
}

func FuzzHeader(f *testing.F) {
	vocab := postal.DefaultMatcher()
	for _, s := range []string{"Хат-хабарлар, кг кирувчи", "Letters inbound, kg", "Посылки из Китая, т", "Weight in kg", "Yo‘nalish", "АлиЕxпресс", "Итого", "ʻʼ`’", "Xитой почтаси", "Yo?nalish", "чи?увчи ?амкор", "??? ?"} {
		f.Add(s, "кирувчи")
	}
	f.Fuzz(func(t *testing.T, upper, lower string) {
		c := classifyHeader(vocab, 3, upper+" "+lower)
		if c.Role == roleMeasure {
			if c.Unit != postal.UnitItems && c.Unit != postal.UnitKg && c.Unit != postal.UnitTonne && c.Unit != postal.UnitGram && c.Unit != postal.UnitPound {
				t.Fatalf("measure %q has unit %q", upper, c.Unit)
			}
			if c.Dims.Category != "" && !postal.ValidCategory(c.Dims.Category) {
				t.Fatalf("measure %q has category %q", upper, c.Dims.Category)
			}
			if c.Dims.Direction != "" && !postal.ValidDirection(c.Dims.Direction) {
				t.Fatalf("measure %q has direction %q", upper, c.Dims.Direction)
			}
		}
		rows := []bufRow{
			{Row: 0, Cells: []rawCell{{Col: 0, Kind: kindString, Value: upper}, {Col: 1, Kind: kindString, Value: lower}}},
			{Row: 1, Cells: []rawCell{{Col: 1, Kind: kindString, Value: lower}, {Col: 2, Kind: kindString, Value: upper}}},
		}
		merges := []mergeRange{{FirstRow: 0, FirstCol: 1, LastRow: 0, LastCol: 2}}
		if h, ok := findHeader(vocab, rows, merges); ok {
			planLayout(vocab, h.Texts, sheetContext{}, nil)
		}
	})
}
