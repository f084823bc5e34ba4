package i18n

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"
)

func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

func TestLoadMergesAndFallsBack(t *testing.T) {
	c, err := loadFS(mapFS(map[string]string{
		"en/ui.json":      `{"nav.home": "Home", "only.en": "English only", "greet": "Hello, {name}! {name} has {n} files."}`,
		"en/import.json":  `{"import.bad": "Cell {cell}: {reason}"}`,
		"ru/ui.json":      `{"nav.home": "Главная", "greet": "Здравствуйте, {name}! У {name} {n} файлов."}`,
		"ru/notes.txt":    `not a catalog`,
		"uz-Latn/ui.json": `{}`,
	}))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		l    Lang
		key  string
		args map[string]string
		want string
	}{
		{RU, "nav.home", nil, "Главная"},
		{EN, "nav.home", nil, "Home"},
		{RU, "only.en", nil, "English only"},    // missing in ru → en
		{UzCyrl, "nav.home", nil, "Home"},       // no folder at all → en
		{RU, "no.such.key", nil, "no.such.key"}, // missing everywhere → key
		{Lang("fr"), "nav.home", nil, "Home"},   // unknown language → en
		{EN, "import.bad", map[string]string{"cell": "B7", "reason": "not a number"}, "Cell B7: not a number"},
		{RU, "greet", map[string]string{"name": "Dilnoza", "n": "3"}, "Здравствуйте, Dilnoza! У Dilnoza 3 файлов."},
		{EN, "greet", map[string]string{"name": "{n}"}, "Hello, {n}! {n} has {n} files."}, // values are not re-expanded
		{EN, "greet", nil, "Hello, {name}! {name} has {n} files."},
	}
	for _, tt := range tests {
		if got := c.T(tt.l, tt.key, tt.args); got != tt.want {
			t.Errorf("T(%s, %q, %v) = %q, want %q", tt.l, tt.key, tt.args, got, tt.want)
		}
	}
	if !c.Has(RU, "nav.home") || c.Has(RU, "only.en") || c.Has(UzCyrl, "nav.home") {
		t.Error("Has must report only what the language itself defines")
	}
	if got, want := c.Keys(EN), []string{"greet", "import.bad", "nav.home", "only.en"}; !slices.Equal(got, want) {
		t.Errorf("Keys(en) = %v, want %v", got, want)
	}
}

func TestLoadRejects(t *testing.T) {
	tests := map[string]map[string]string{
		"duplicate across files": {"en/a.json": `{"k": "1"}`, "en/b.json": `{"k": "2"}`},
		"duplicate in one file":  {"en/a.json": `{"k": "1", "k": "2"}`},
		"nested object":          {"ru/a.json": `{"nav": {"home": "Главная"}}`},
		"number value":           {"ru/a.json": `{"n": 1}`},
		"not an object":          {"ru/a.json": `["a"]`},
		"broken json":            {"ru/a.json": `{"a": "b"`},
		"trailing data":          {"ru/a.json": `{"a": "b"} {"c": "d"}`},
	}
	for name, files := range tests {
		if _, err := loadFS(mapFS(files)); err == nil {
			t.Errorf("%s: loaded without error", name)
		}
	}
	// The same key in two languages is of course fine.
	if _, err := loadFS(mapFS(map[string]string{"en/a.json": `{"k": "1"}`, "ru/a.json": `{"k": "2"}`})); err != nil {
		t.Errorf("same key in two languages: %v", err)
	}
}

func TestFill(t *testing.T) {
	args := map[string]string{"a": "1", "b_2": "two"}
	tests := map[string]string{
		"":                "",
		"no braces":       "no braces",
		"{a}":             "1",
		"{a}{a}{b_2}":     "11two",
		"x {a} y {b_2} z": "x 1 y two z",
		"{missing} {a}":   "{missing} 1",
		"{ a } {a":        "{ a } {a",
		"{{a}}":           "{1}",
		"}{a}{":           "}1{",
	}
	for in, want := range tests {
		if got := Fill(in, args); got != want {
			t.Errorf("Fill(%q) = %q, want %q", in, got, want)
		}
	}
}

// embedded loads the real catalogs or stops the test.
func embedded(t *testing.T) *Catalogs {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

// catalogFiles returns, per language, the base names of its catalog files.
func catalogFiles(t *testing.T) map[Lang][]string {
	t.Helper()
	files := map[Lang][]string{}
	for _, l := range Langs() {
		entries, _ := catalogFS.ReadDir("catalogs/" + string(l))
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".json") {
				files[l] = append(files[l], e.Name())
			}
		}
	}
	return files
}

// Every language carries a ui.json; other files (import.json, auth.json)
// may be split differently per language, as long as every key is there
// (TestEmbeddedEveryKeyTranslated).
func TestEmbeddedCatalogsPresent(t *testing.T) {
	files := catalogFiles(t)
	for _, l := range Langs() {
		if !slices.Contains(files[l], "ui.json") {
			t.Errorf("catalogs/%s/ui.json is missing", l)
		}
	}
	if c := embedded(t); len(c.Keys(EN)) == 0 {
		t.Error("the English catalog is empty")
	}
}

func TestEmbeddedEveryKeyTranslated(t *testing.T) {
	c := embedded(t)
	for _, l := range Langs() {
		for _, key := range c.Keys(EN) {
			if strings.Contains(key, pluralSep) {
				continue // a plural variant: see TestEmbeddedPluralVariants
			}
			if !c.Has(l, key) {
				t.Errorf("%s: key %q missing", l, key)
			} else if strings.TrimSpace(c.msgs[l][key]) == "" {
				t.Errorf("%s: key %q is empty", l, key)
			}
		}
		for _, key := range c.Keys(l) {
			if base, _, variant := strings.Cut(key, pluralSep); variant && !c.Has(EN, base) || !variant && !c.Has(EN, key) {
				t.Errorf("%s: key %q is not in en (stale or misspelt)", l, key)
			}
		}
	}
}

func TestEmbeddedPlaceholdersAgree(t *testing.T) {
	c := embedded(t)
	for _, key := range c.Keys(EN) {
		want := placeholders(c.msgs[EN][key])
		for _, l := range Langs() {
			msg, ok := c.msgs[l][key]
			if !ok {
				continue // reported by TestEmbeddedEveryKeyTranslated
			}
			if got := placeholders(msg); !maps.Equal(got, want) {
				t.Errorf("%s %q: placeholders %v, en has %v", l, key, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
			}
		}
	}
}

// stripAllowed removes placeholders, HTML tags and the names kept in Latin
// letters, leaving the words a reader reads.
func stripAllowed(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if n := verbatimLen(s[i:]); n > 0 {
			b.WriteByte(' ')
			i += n
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func TestEmbeddedScripts(t *testing.T) {
	c := embedded(t)
	for _, l := range Langs() {
		cyrillic := l == UzCyrl || l == RU
		for _, key := range c.Keys(l) {
			text := stripAllowed(c.msgs[l][key])
			for _, r := range text {
				if cyrillic && r < unicode.MaxLatin1 && unicode.IsLetter(r) {
					t.Errorf("%s %q: Latin letter %q in %q", l, key, r, c.msgs[l][key])
					break
				}
				if !cyrillic && unicode.Is(unicode.Cyrillic, r) {
					t.Errorf("%s %q: Cyrillic letter %q in %q", l, key, r, c.msgs[l][key])
					break
				}
			}
		}
	}
}

// Uzbek Latin writes oʻ and gʻ with U+02BB and the tutuq belgisi with U+02BC;
// an ASCII apostrophe or a quotation mark in their place breaks search and
// the Cyrillic transliteration.
func TestUzbekLatinApostrophes(t *testing.T) {
	c := embedded(t)
	for _, key := range c.Keys(UzLatn) {
		msg := c.msgs[UzLatn][key]
		for _, bad := range []string{"o'", "g'", "O'", "G'", "o‘", "g‘", "O‘", "G‘", "o’", "g’", "oʼ", "gʼ"} {
			if strings.Contains(msg, bad) {
				t.Errorf("uz-Latn %q: %q should be written with ʻ (U+02BB): %q", key, bad, msg)
			}
		}
	}
}

// TestEmbeddedPluralVariants: a plural variant (key#form) names a form its
// language's rules give some count, has the placeholders of its key, and
// exists only beside its key.
func TestEmbeddedPluralVariants(t *testing.T) {
	c := embedded(t)
	for _, l := range Langs() {
		forms := map[string]bool{}
		for n := range int64(1000) {
			forms[PluralForm(l, n)] = true
		}
		for _, key := range c.Keys(l) {
			base, form, ok := strings.Cut(key, pluralSep)
			if !ok {
				continue
			}
			if !forms[form] {
				t.Errorf("%s %q: %s is not a plural form of %s (it has %v)", l, key, form, l, slices.Sorted(maps.Keys(forms)))
			}
			if !c.Has(l, base) {
				t.Errorf("%s %q: no %q beside it", l, key, base)
			} else if got, want := placeholders(c.msgs[l][key]), placeholders(c.msgs[l][base]); !maps.Equal(got, want) {
				t.Errorf("%s %q: placeholders %v, %q has %v", l, key, slices.Sorted(maps.Keys(got)), base, slices.Sorted(maps.Keys(want)))
			}
		}
	}
}

// TestPluralForm against CLDR's rules written out by hand: English one
// for 1 only; Russian one for 1, 21, 101 (not 11), few for 2–4, 22–24 (not
// 12–14), many for the rest.
func TestPluralForm(t *testing.T) {
	for _, c := range []struct {
		l    Lang
		n    int64
		want string
	}{
		{EN, 0, "other"}, {EN, 1, "one"}, {EN, 2, "other"}, {EN, 11, "other"}, {EN, 21, "other"},
		{RU, 1, "one"}, {RU, 21, "one"}, {RU, 101, "one"}, {RU, 11, "many"}, {RU, 2, "few"}, {RU, 4, "few"},
		{RU, 22, "few"}, {RU, 12, "many"}, {RU, 14, "many"}, {RU, 5, "many"}, {RU, 0, "many"}, {RU, 111, "many"},
	} {
		if got := PluralForm(c.l, c.n); got != c.want {
			t.Errorf("PluralForm(%s, %d) = %s, want %s", c.l, c.n, got, c.want)
		}
	}
	cat := embedded(t)
	if got, want := cat.N(EN, "acct.job.more_errors", 1, map[string]string{"count": "1"}), "… and 1 more error."; got != want {
		t.Errorf("en, 1 error: %q, want %q", got, want)
	}
	if got, want := cat.N(EN, "acct.job.more_errors", 2, map[string]string{"count": "2"}), "… and 2 more errors."; got != want {
		t.Errorf("en, 2 errors: %q, want %q", got, want)
	}
}
