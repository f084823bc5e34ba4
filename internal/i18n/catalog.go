package i18n

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
)

//go:embed catalogs
var catalogFS embed.FS

// Catalogs holds every message of every language, read once at start.
type Catalogs struct {
	msgs map[Lang]map[string]string
}

// Load reads the embedded catalogs: for each language every JSON file in
// catalogs/<lang>/ is a flat object of key → template, and the files of one
// language are merged. A key defined twice is an error.
func Load() (*Catalogs, error) {
	sub, err := fs.Sub(catalogFS, "catalogs")
	if err != nil {
		return nil, fmt.Errorf("i18n: open embedded catalogs: %w", err)
	}
	return loadFS(sub)
}

// loadFS reads catalogs from fsys, laid out as <lang>/*.json. A missing
// language folder leaves that language empty (T then falls back to English).
func loadFS(fsys fs.FS) (*Catalogs, error) {
	c := &Catalogs{msgs: make(map[Lang]map[string]string)}
	for _, l := range Langs() {
		msgs := make(map[string]string)
		from := make(map[string]string) // key → file that defined it
		files, err := fs.Glob(fsys, string(l)+"/*.json")
		if err != nil {
			return nil, fmt.Errorf("i18n: list %s catalogs: %w", l, err)
		}
		for _, name := range files {
			if err := readCatalog(fsys, name, msgs, from); err != nil {
				return nil, err
			}
		}
		c.msgs[l] = msgs
	}
	return c, nil
}

// readCatalog adds the messages of one file to msgs, refusing keys already
// defined in this or another file of the same language.
func readCatalog(fsys fs.FS, name string, msgs, from map[string]string) error {
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("i18n: open %s: %w", name, err)
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	if err := expectDelim(dec, '{'); err != nil {
		return fmt.Errorf("i18n: %s: %w", name, err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("i18n: %s: read key: %w", name, err)
		}
		key, _ := tok.(string) // inside an object a token is always its key
		var val string
		if err := dec.Decode(&val); err != nil {
			return fmt.Errorf("i18n: %s: key %q: value must be a string: %w", name, key, err)
		}
		if prev, dup := from[key]; dup {
			return fmt.Errorf("i18n: %s: key %q already defined in %s", name, key, path.Base(prev))
		}
		msgs[key], from[key] = val, name
	}
	if err := expectDelim(dec, '}'); err != nil {
		return fmt.Errorf("i18n: %s: %w", name, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("i18n: %s: trailing data after the object", name)
	}
	return nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("want %q: %w", want, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, got %v", want, tok)
	}
	return nil
}

// T returns the message key in language l with its {name} placeholders
// filled from args. A message missing in l is taken from English; one
// missing there too is shown as its key, so a gap is visible but harmless.
// Placeholders without an argument are left as written.
func (c *Catalogs) T(l Lang, key string, args map[string]string) string {
	tmpl, ok := c.msgs[l][key]
	if !ok {
		if tmpl, ok = c.msgs[EN][key]; !ok {
			return key
		}
	}
	return Fill(tmpl, args)
}

// Has reports whether language l itself defines key.
func (c *Catalogs) Has(l Lang, key string) bool {
	_, ok := c.msgs[l][key]
	return ok
}

// Keys returns the keys language l defines, sorted.
func (c *Catalogs) Keys(l Lang) []string {
	keys := make([]string, 0, len(c.msgs[l]))
	for k := range c.msgs[l] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Fill replaces each {name} in tmpl whose name is in args, in one pass (a
// value holding braces is not filled again); the one placeholder filler of
// postdash, for the catalogs' messages and the sheet reader's English text.
func Fill(tmpl string, args map[string]string) string {
	if len(args) == 0 || !strings.Contains(tmpl, "{") {
		return tmpl
	}
	var b strings.Builder
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(tmpl[open:], '}')
		if end < 0 {
			break
		}
		name := tmpl[open+1 : open+end]
		val, ok := args[name]
		if !ok || !isPlaceholderName(name) {
			b.WriteString(tmpl[:open+1])
			tmpl = tmpl[open+1:]
			continue
		}
		b.WriteString(tmpl[:open])
		b.WriteString(val)
		tmpl = tmpl[open+end+1:]
	}
	b.WriteString(tmpl)
	return b.String()
}

// isPlaceholderName reports whether s may name a placeholder: ASCII letters,
// digits and underscores.
func isPlaceholderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// placeholders returns the set of {name} placeholders in tmpl.
func placeholders(tmpl string) map[string]bool {
	set := make(map[string]bool)
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			return set
		}
		tmpl = tmpl[open+1:]
		end := strings.IndexByte(tmpl, '}')
		if end < 0 {
			return set
		}
		if name := tmpl[:end]; isPlaceholderName(name) {
			set[name] = true
			tmpl = tmpl[end+1:]
		}
	}
}
