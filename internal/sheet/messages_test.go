package sheet

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

// Every key the reader can produce has a real sentence in each of the four
// catalogs, with the same placeholders as the English template.
func TestCatalogsHaveEveryKey(t *testing.T) {
	for _, lang := range []string{"en", "ru", "uz-Latn", "uz-Cyrl"} {
		// import.json, and import-*.json files beside it (one per concern).
		files, _ := filepath.Glob(filepath.Join("..", "i18n", "catalogs", lang, "import*.json"))
		if len(files) == 0 {
			t.Fatalf("%s: no import catalog", lang)
		}
		cat := map[string]string{}
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("%s: %v", lang, err)
			}
			var part map[string]string
			if err := json.Unmarshal(b, &part); err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			maps.Copy(cat, part)
		}
		for key, en := range Templates() {
			tr, ok := cat[key]
			if !ok || tr == "" {
				t.Errorf("%s: missing %s", lang, key)
				continue
			}
			want, got := placeholder.FindAllString(en, -1), placeholder.FindAllString(tr, -1)
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(want, got) {
				t.Errorf("%s %s: placeholders %v, want %v", lang, key, got, want)
			}
			if lang == "en" && tr != en {
				t.Errorf("en %s differs from the code's template", key)
			}
		}
		for key := range cat {
			if _, ok := Templates()[key]; !ok {
				t.Errorf("%s: %s is not a key the reader produces", lang, key)
			}
		}
	}
}

// Every key constant used by the code has a template.
func TestEveryKeyHasATemplate(t *testing.T) {
	src, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`"(import\.[a-z_]+\.[a-z_]+)"`)
	for _, f := range src {
		b, _ := os.ReadFile(f)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if _, ok := Templates()[m[1]]; !ok {
				t.Errorf("%s: key %s has no template", f, m[1])
			}
		}
	}
}

// Section 7: a sentence in the user's language. The catalogs translate the
// templates; an argument must therefore never be English prose the reader
// writes (a value found, a cell, a file name or a number is fine).
func TestMessageArgumentsAreNotEnglishProse(t *testing.T) {
	prose := map[string]bool{"expected": true, "reason": true, "content": true, "what": true}
	for key, tmpl := range Templates() {
		for _, p := range placeholder.FindAllString(tmpl, -1) {
			if prose[strings.Trim(p, "{}")] {
				t.Errorf("%s: %s is filled with English text", key, p)
			}
		}
	}
}
