package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A usage error (a missing argument, a bad value, an unknown verb) is the
// catalog's sentence in the language of --lang or POSTDASH_LANG.
func TestUsageErrorsSpeakTheChosenLanguage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	en := catalog(t, "en")
	cases := []struct {
		args []string
		key  string
		vars map[string]string // filled into the sentence
		sub  map[string]string // the sentence's {message}, a sentence of its own
	}{
		{[]string{"undo"}, "cli.usage.one_batch", map[string]string{"cmd": "undo"}, nil},
		{[]string{"undo", "seven"}, "cli.usage.not_batch", map[string]string{"cmd": "undo", "value": "seven"}, nil},
		{[]string{"import"}, "cli.usage.need_files", map[string]string{"cmd": "import"}, nil},
		{[]string{"import", "--direction", "sideways", "f.xlsx"}, "cli.usage.bad_value",
			map[string]string{"cmd": "import", "flag": "--direction", "value": "sideways", "values": "inbound, outbound, transit, unspecified"}, nil},
		{[]string{"query", "--where", "category"}, "cli.refused", map[string]string{"cmd": "query"},
			map[string]string{"query.error.pair": "", "param": "where", "value": "category"}},
		{[]string{"mappings"}, "cli.usage.verb", map[string]string{"cmd": "mappings", "verbs": "list, show ID, export ID, delete ID"}, nil},
		{[]string{"mappings", "frob"}, "cli.usage.unknown_verb", map[string]string{"cmd": "mappings", "value": "frob", "verbs": "list, show ID, export ID, delete ID"}, nil},
		{[]string{"mappings", "show", "x"}, "cli.usage.not_mapping", map[string]string{"cmd": "mappings show", "value": "x"}, nil},
		{[]string{"backup"}, "cli.usage.required", map[string]string{"cmd": "backup", "flag": "--out FILE"}, nil},
		{[]string{"schedule", "delete", "x"}, "cli.usage.not_rule", map[string]string{"cmd": "schedule delete", "value": "x"}, nil},
		{[]string{"annotate", "delete", "x"}, "cli.usage.not_note", map[string]string{"cmd": "annotate delete", "value": "x"}, nil},
		{[]string{"audit", "extra"}, "cli.usage", map[string]string{"synopsis": "postdash audit [--limit N] [--json]"}, nil},
	}
	for _, lang := range []string{"en", "ru", "uz-Latn", "uz-Cyrl"} {
		cat := catalog(t, lang)
		for _, tc := range cases {
			sentence := func(cat map[string]string) string {
				vars := tc.vars
				if tc.sub != nil {
					vars = map[string]string{"cmd": tc.vars["cmd"]}
					for k := range tc.sub {
						if strings.HasPrefix(k, "query.") {
							vars["message"] = fill(cat[k], tc.sub)
						}
					}
				}
				return fill(cat[tc.key], vars)
			}
			want := "postdash: " + sentence(cat) + "\n"
			if lang != "en" && sentence(cat) == sentence(en) {
				t.Errorf("%s %s: the English sentence", lang, tc.key)
			}
			withFlag := append(append([]string{}, tc.args...), "--lang", lang) // flags may follow arguments
			for how, run := range map[string]func() (int, string, string){
				"--lang": func() (int, string, string) { return cliEnv(t, db, nil, withFlag...) },
				"POSTDASH_LANG": func() (int, string, string) {
					return cliEnv(t, db, map[string]string{"POSTDASH_LANG": lang}, tc.args...)
				},
			} {
				code, _, errs := run()
				if code != 2 || errs != want {
					t.Errorf("%s %s, %s=%s: exit %d\n got %q\nwant %q", tc.args, tc.key, how, lang, code, errs, want)
				}
			}
		}
		// An unknown command, before any flag: POSTDASH_LANG says it.
		_, _, errs := cliEnv(t, db, map[string]string{"POSTDASH_LANG": lang}, "frobnicate")
		if want := "postdash: " + fill(cat["cli.usage.unknown_command"], map[string]string{"name": "frobnicate"}) + "\n\n"; !strings.HasPrefix(errs, want) {
			t.Errorf("unknown command, POSTDASH_LANG=%s: got %q, want it to start %q", lang, errs, want)
		}
	}
}

// What a command did, and a thing it did not find, are said in the chosen
// language too.
func TestOutcomesOfCommandsSpeakTheChosenLanguage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	for _, lang := range []string{"ru", "uz-Latn", "uz-Cyrl"} {
		cat := catalog(t, lang)
		out := filepath.Join(t.TempDir(), "t.xlsx")
		code, stdout, _ := cliEnv(t, db, nil, "template", "--lang", lang, "--out", out)
		if want := fill(cat["cli.done.wrote"], map[string]string{"file": out}) + "\n"; code != 0 || stdout != want {
			t.Errorf("template --lang %s: exit %d, %q, want %q", lang, code, stdout, want)
		}
		code, _, errs := cliEnv(t, db, map[string]string{"POSTDASH_LANG": lang}, "undo", "99")
		if want := "postdash: " + fill(cat["cli.error.no_batch"], map[string]string{"cmd": "undo", "id": "99"}) + "\n"; code != 1 || errs != want {
			t.Errorf("undo 99, POSTDASH_LANG=%s: exit %d, %q, want %q", lang, code, errs, want)
		}
		code, _, errs = cliEnv(t, db, nil, "user", "passwd", "nobody", "--lang", lang)
		msg := cat["acct.users.not_found"]
		if want := "postdash: " + fill(cat["cli.refused"], map[string]string{"cmd": "user passwd", "message": msg}) + "\n"; code != 1 || errs != want {
			t.Errorf("user passwd nobody --lang %s: exit %d, %q, want %q", lang, code, errs, want)
		}
		code, _, errs = cliEnv(t, db, nil, "mappings", "show", "99", "--lang", lang)
		if want := "postdash: " + fill(cat["cli.error.no_mapping"], map[string]string{"cmd": "mappings show", "id": "99"}) + "\n"; code != 1 || errs != want {
			t.Errorf("mappings show 99 --lang %s: exit %d, %q, want %q", lang, code, errs, want)
		}
	}
}
