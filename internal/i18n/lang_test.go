package i18n

import "testing"

func TestParseLang(t *testing.T) {
	tests := []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"uz-Latn", UzLatn, true},
		{"uz_Latn", UzLatn, true},
		{"uz-latn", UzLatn, true},
		{"UZ-LATN", UzLatn, true},
		{"uz", UzLatn, true},
		{"uz-UZ", UzLatn, true},
		{"uz-Latn-UZ", UzLatn, true},
		{"uz-Cyrl", UzCyrl, true},
		{"uz_cyrl", UzCyrl, true},
		{"uz-Cyrl-UZ", UzCyrl, true},
		{" uz-Cyrl ", UzCyrl, true},
		{"ru", RU, true},
		{"ru-RU", RU, true},
		{"ru_UZ", RU, true},
		{"RU", RU, true},
		{"en", EN, true},
		{"en-US", EN, true},
		{"en-GB", EN, true},
		{"", "", false},
		{"de", "", false},
		{"zh-CN", "", false},
		{"uzb", "", false},
		{"*", "", false},
		{"russian", "", false},
	}
	for _, tt := range tests {
		got, ok := ParseLang(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseLang(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestParseLangRoundTrip(t *testing.T) {
	for _, l := range Langs() {
		if got, ok := ParseLang(string(l)); !ok || got != l {
			t.Errorf("ParseLang(%q) = %q, %v", l, got, ok)
		}
		if got, ok := ParseLang(l.HTML()); !ok || got != l {
			t.Errorf("ParseLang(HTML %q) = %q, %v", l.HTML(), got, ok)
		}
	}
}

func TestLangsOrderAndNames(t *testing.T) {
	want := []struct {
		l          Lang
		name, html string
	}{
		{UzLatn, "Oʻzbekcha", "uz-Latn"},
		{UzCyrl, "Ўзбекча", "uz-Cyrl"},
		{RU, "Русский", "ru"},
		{EN, "English", "en"},
	}
	got := Langs()
	if len(got) != len(want) {
		t.Fatalf("Langs() = %v", got)
	}
	for i, w := range want {
		if got[i] != w.l {
			t.Errorf("Langs()[%d] = %q, want %q", i, got[i], w.l)
		}
		if n := w.l.Name(); n != w.name {
			t.Errorf("%s.Name() = %q, want %q", w.l, n, w.name)
		}
		if h := w.l.HTML(); h != w.html {
			t.Errorf("%s.HTML() = %q, want %q", w.l, h, w.html)
		}
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name                  string
		query, cookie, accept string
		def                   Lang
		want                  Lang
	}{
		{"nothing gives default", "", "", "", UzLatn, UzLatn},
		{"query wins over all", "ru", "uz-Cyrl", "en", UzLatn, RU},
		{"cookie when no query", "", "uz-Cyrl", "ru", UzLatn, UzCyrl},
		{"bad query falls to cookie", "xx", "en", "ru", UzLatn, EN},
		{"bad cookie falls to header", "", "klingon", "ru-RU,ru;q=0.9", UzLatn, RU},
		{"header order", "", "", "en-US,en;q=0.9,ru;q=0.8", UzLatn, EN},
		{"header q-values beat order", "", "", "en;q=0.3, ru;q=0.7, uz-Cyrl;q=0.5", UzLatn, RU},
		{"header skips unknown", "", "", "de-DE,de;q=0.9,uz-Cyrl;q=0.8,en;q=0.7", UzLatn, UzCyrl},
		{"header q=0 refuses", "", "", "ru;q=0, en;q=0.1", UzLatn, EN},
		{"header only refusals", "", "", "ru;q=0", UzCyrl, UzCyrl},
		{"header wildcard ignored", "", "", "*", RU, RU},
		{"header ties keep order", "", "", "ru;q=0.5,en;q=0.5", UzLatn, RU},
		{"header bad q ignored", "", "", "ru;q=abc,en;q=0.2", UzLatn, EN},
		{"header spaces and case", "", "", "  UZ-cyrl ; Q=0.9 , en ;q=0.8", UzLatn, UzCyrl},
		{"plain uz is Latin", "", "", "uz", RU, UzLatn},
		{"underscore query", "uz_Cyrl", "", "", UzLatn, UzCyrl},
		{"unknown everywhere", "fr", "de", "zh-CN,zh;q=0.9", EN, EN},
		// x/text's matching knows what a hand-written one did not: the
		// languages of the region whose speakers read Russian, and a region
		// or script written after Uzbek.
		{"Kyrgyz reads Russian", "", "", "ky", UzLatn, RU},
		{"Tajik reads Russian", "", "", "tg-TJ", EN, RU},
		{"Belarusian reads Russian", "", "", "be", EN, RU},
		{"Kazakh then Russian", "", "", "kk,ru;q=0.5", EN, RU},
		{"Uzbek of Uzbekistan", "", "", "uz-UZ", RU, UzLatn},
		{"Cyrillic Uzbek of Uzbekistan", "", "", "uz-Cyrl-UZ", RU, UzCyrl},
		{"Arabic-script Uzbek is none of ours", "", "", "uz-Arab", RU, RU},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Negotiate(tt.query, tt.cookie, tt.accept, tt.def); got != tt.want {
				t.Errorf("Negotiate(%q, %q, %q, %q) = %q, want %q", tt.query, tt.cookie, tt.accept, tt.def, got, tt.want)
			}
		})
	}
}
