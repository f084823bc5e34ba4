package i18n

import "testing"

func TestUzLatinToCyrillic(t *testing.T) {
	tests := []struct{ latin, cyrillic string }{
		{"Oʻzbekcha", "Ўзбекча"},
		{"O'zbekiston", "Ўзбекистон"},
		{"oʻzgartirish", "ўзгартириш"},
		{"togʻ", "тоғ"},
		{"gʻalla", "ғалла"},
		{"yoʻnalish", "йўналиш"},
		{"YOʻNALISH", "ЙЎНАЛИШ"},
		{"yoʻq", "йўқ"},
		{"shahar", "шаҳар"},
		{"Shahar", "Шаҳар"},
		{"chiquvchi", "чиқувчи"},
		{"kiruvchi", "кирувчи"},
		{"yetkazib berish", "етказиб бериш"},
		{"Yevropa", "Европа"},
		{"yoki", "ёки"},
		{"yuk", "юк"},
		{"yangi", "янги"},
		{"hayot", "ҳаёт"},
		{"eksport", "экспорт"},
		{"elektron tijorat", "электрон тижорат"},
		{"aeroport", "аэропорт"},
		{"klient", "клиент"},
		{"maʼlumot", "маълумот"},
		{"eʼlon", "эълон"},
		{"operatsiya", "операция"},
		{"natsional", "национал"},
		{"hisobotsiz", "ҳисоботсиз"},
		{"sentabrda", "сентябрда"},
		{"Oktabr", "Октябр"},
		{"funksiyalar", "функциялар"},
		{"obyekt", "объект"},
		{"iyun", "июн"},
		{"Xitoy pochtasi", "Хитой почтаси"},
		{"Latviya pochtasi", "Латвия почтаси"},
		{"marketpleys", "маркетплейс"},
		{"3 085 kg", "3 085 кг"},
		{"2025-yil", "2025-йил"},
		{"JAMI", "ЖАМИ"},
		{"Temu va AliExpress orqali", "Temu ва AliExpress орқали"},
		{"EMS joʻnatmalari", "EMS жўнатмалари"},
		{"{count} ta fayl", "{count} та файл"},
		{"SHA-256 xeshi", "SHA-256 хеши"},
		{"postdash boshqaruv paneli", "postdash бошқарув панели"},
		{"<b>Diqqat</b>: xato", "<b>Диққат</b>: хато"},
		{"‘Import’ tugmasi", "‘Импорт’ тугмаси"},
		{"Shein’da", "Shein’да"},
		{"SHAHAR", "ШАҲАР"},
		{"yodgorlik", "ёдгорлик"},
		{"Qayerdan", "Қаердан"},
		{"masʼul", "масъул"},
		{"Isʼhoq", "Исҳоқ"},
		{"filtrlar", "фильтрлар"},
		{"{limit} MiB", "{limit} МиБ"},
		{"SENTABR", "СЕНТЯБР"},
		{"Sentabr", "Сентябр"},
		{"(TRUE/FALSE)", "(TRUE/FALSE)"},
	}
	for _, tt := range tests {
		if got := UzLatinToCyrillic(tt.latin); got != tt.cyrillic {
			t.Errorf("UzLatinToCyrillic(%q) = %q, want %q", tt.latin, got, tt.cyrillic)
		}
	}
}

// cyrlOverrides lists the uz-Cyrl messages that are not the transliteration
// of their uz-Latn message, with both texts as agreed, so that a change to
// either script fails the test until someone re-checks the pair.
var cyrlOverrides = map[string]struct{ latin, cyrillic string }{}

// TestUzbekScriptsInStep keeps the two Uzbek catalogs equal: the same keys,
// and each Cyrillic message the transliteration of the Latin one unless the
// pair is in cyrlOverrides.
func TestUzbekScriptsInStep(t *testing.T) {
	c := embedded(t)
	latin, cyrl := c.msgs[UzLatn], c.msgs[UzCyrl]
	for key, lat := range latin {
		cyr, ok := cyrl[key]
		if !ok {
			t.Errorf("uz-Cyrl lacks %q (uz-Latn: %q)", key, lat)
			continue
		}
		if o, ok := cyrlOverrides[key]; ok {
			if o.latin != lat || o.cyrillic != cyr {
				t.Errorf("%q changed since its override was agreed:\n uz-Latn  %q (override %q)\n uz-Cyrl  %q (override %q)", key, lat, o.latin, cyr, o.cyrillic)
			}
			continue
		}
		if want := UzLatinToCyrillic(lat); cyr != want {
			t.Errorf("%q: uz-Cyrl %q is not the transliteration %q of uz-Latn %q (fix one, or add to cyrlOverrides)", key, cyr, want, lat)
		}
	}
	for key := range cyrl {
		if _, ok := latin[key]; !ok {
			t.Errorf("uz-Latn lacks %q (uz-Cyrl: %q)", key, cyrl[key])
		}
	}
	for key := range cyrlOverrides {
		if _, ok := latin[key]; !ok {
			t.Errorf("cyrlOverrides has %q, which uz-Latn does not define", key)
		}
	}
}

func BenchmarkUzLatinToCyrillic(b *testing.B) {
	for b.Loop() {
		UzLatinToCyrillic("Xitoy pochtasi orqali kiruvchi joʻnatmalar, {count} ta, 2025-yil sentabr")
	}
}
