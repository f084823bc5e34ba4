package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"postdash/data"
)

// cliEnv is cli with more environment variables.
func cliEnv(t *testing.T, db string, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, stdin: strings.NewReader(""),
		getenv: func(k string) string {
			if k == "POSTDASH_DB" {
				return db
			}
			return vars[k]
		}}
	e.log = discardLogger()
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

// catalog reads one language's messages from the catalog files themselves.
func catalog(t *testing.T, lang string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "internal", "i18n", "catalogs", lang, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("%s: no catalogs (%v)", lang, err)
	}
	cat := map[string]string{}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var part map[string]string
		if err := json.Unmarshal(b, &part); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for k, v := range part {
			cat[k] = v
		}
	}
	return cat
}

// fill puts args into a catalog template by plain replacement.
func fill(tmpl string, args map[string]string) string {
	for k, v := range args {
		tmpl = strings.ReplaceAll(tmpl, "{"+k+"}", v)
	}
	return tmpl
}

// An analyst who asks for Russian reads the outcome of an import in
// Russian: a duplicate, a refused file, a path that is no file, and the
// JSON's message.
func TestImportSpeaksTheChosenLanguage(t *testing.T) {
	ru := catalog(t, "ru")
	db := filepath.Join(t.TempDir(), "p.db")
	sample := sampleFile(t)
	if code, out, errs := cli(t, db, "import", "--user", "alisher", sample); code != 0 {
		t.Fatalf("import exit %d: %s %s", code, out, errs)
	}
	before := time.Now().Add(-time.Minute)

	code, out, _ := cli(t, db, "import", "--lang", "ru", "--user", "alisher", sample)
	if code != 2 {
		t.Errorf("second import exit %d, want 2", code)
	}
	var wants []string
	for _, at := range []time.Time{before, time.Now()} {
		for _, when := range []string{at.UTC().Format("2006-01-02 15:04"), at.Local().Format("2006-01-02 15:04")} {
			msg := fill(ru["outcome.duplicate"], map[string]string{"batch": "1", "when": when, "user": "alisher"})
			wants = append(wants, fill(ru["cli.import.duplicate"], map[string]string{"file": data.SampleName, "message": msg})+"\n")
		}
	}
	if !containsAny(wants, out) {
		t.Errorf("duplicate, --lang ru:\n got %q\nwant %q", out, wants[0])
	}

	empty := filepath.Join(t.TempDir(), "empty.csv")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = cliEnv(t, db, map[string]string{"POSTDASH_LANG": "ru"}, "import", empty)
	msg := fill(ru["import.refused.empty"], map[string]string{"file": "“empty.csv”"})
	if want := fill(ru["cli.import.refused"], map[string]string{"file": "empty.csv", "message": msg}) + "\n"; code != 2 || out != want {
		t.Errorf("refused, POSTDASH_LANG=ru: exit %d\n got %q\nwant %q", code, out, want)
	}

	missing := filepath.Join(t.TempDir(), "nowhere.xlsx")
	code, out, _ = cli(t, db, "import", "--lang", "ru", missing)
	msg = fill(ru["outcome.no_such_file"], map[string]string{"file": "nowhere.xlsx"})
	if want := fill(ru["cli.import.refused"], map[string]string{"file": "nowhere.xlsx", "message": msg}) + "\n"; code != 2 || out != want {
		t.Errorf("no such file, --lang ru: exit %d\n got %q\nwant %q", code, out, want)
	}

	// --json keeps its machine fields; its message is in the language.
	cyrl := catalog(t, "uz-Cyrl")
	code, out, _ = cliEnv(t, db, map[string]string{"POSTDASH_LANG": "uz-Cyrl"}, "import", "--json", missing)
	var res struct{ Status, Message string }
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("import --json output %q: %v", out, err)
	}
	if want := fill(cyrl["outcome.no_such_file"], map[string]string{"file": "nowhere.xlsx"}); code != 2 || res.Status != "refused" || res.Message != want {
		t.Errorf("--json, POSTDASH_LANG=uz-Cyrl: exit %d, %+v; want refused, message %q", code, res, want)
	}

	// --lang wins over POSTDASH_LANG; English stays the default.
	_, out, _ = cliEnv(t, db, map[string]string{"POSTDASH_LANG": "ru"}, "import", "--lang", "en", missing)
	if want := "nowhere.xlsx: refused: nowhere.xlsx: no such file\n"; out != want {
		t.Errorf("--lang en over POSTDASH_LANG=ru: got %q, want %q", out, want)
	}
	_, out, _ = cli(t, db, "import", missing)
	if want := "nowhere.xlsx: refused: nowhere.xlsx: no such file\n"; out != want {
		t.Errorf("default language: got %q, want %q", out, want)
	}
	if code, _, errs := cli(t, db, "import", "--lang", "fr", missing); code != 2 || !strings.Contains(errs, "--lang") {
		t.Errorf("--lang fr: exit %d, stderr %q; want 2 naming --lang", code, errs)
	}
}

func containsAny(wants []string, got string) bool {
	for _, w := range wants {
		if got == w {
			return true
		}
	}
	return false
}
