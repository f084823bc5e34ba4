package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"postdash/internal/auth"
	"postdash/internal/i18n"
	"postdash/internal/query"
)

// Our sentences to the user come from the catalogs, in the language of
// --lang or POSTDASH_LANG (English by default); the flag package's own
// messages and the usage synopses stay as written.

// language is the language of the command's sentences: --lang once parsed,
// else POSTDASH_LANG when it names one, else English.
func (e *env) language() i18n.Lang {
	if e.lang != "" {
		return e.lang
	}
	if l, ok := i18n.ParseLang(e.getenv("POSTDASH_LANG")); ok {
		return l
	}
	return i18n.EN
}

// t says key in the command's language.
func (e *env) t(key string, args map[string]string) string {
	if e.cat == nil {
		cat, err := i18n.Load()
		if err != nil {
			return key // the embedded catalogs are broken: TestEmbedded* fail
		}
		e.cat = cat
	}
	return e.cat.T(e.language(), key, args)
}

// say prints the sentence of key as an error and returns status.
func (e *env) say(status int, key string, args map[string]string) int {
	fmt.Fprintf(e.stderr, "postdash: %s\n", e.t(key, args))
	return status
}

// usage prints a command's synopsis after the word for "usage" and returns 2.
func (e *env) usage(synopsis string) int {
	return e.say(2, "cli.usage", map[string]string{"synopsis": synopsis})
}

// ownLang are the commands whose --lang also means something else (the
// outcome's language, the template's headers, the dashboard's default);
// they set e.lang themselves.
var ownLang = map[string]bool{"import": true, "template": true, "serve": true}

// langFlag registers --lang, the language of the command's sentences.
func langFlag(fs *flag.FlagSet, e *env) {
	fs.Func("lang", "language of messages: en, ru, uz-Latn or uz-Cyrl (env POSTDASH_LANG)", func(s string) error {
		l, ok := i18n.ParseLang(s)
		if !ok {
			return errors.New(e.t("cli.usage.bad_value", map[string]string{"cmd": strings.TrimPrefix(fs.Name(), "postdash "), "flag": "--lang", "value": s, "values": langList}))
		}
		e.lang = l
		return nil
	})
}

// langList is how a language may be written.
const langList = "en, ru, uz-Latn, uz-Cyrl"

// badValue says that flag's value is not one of values.
func (e *env) badValue(cmd, flag, value, values string) int {
	return e.say(2, "cli.usage.bad_value", map[string]string{"cmd": cmd, "flag": flag, "value": value, "values": values})
}

// queryRefusal says why a question was refused, in the command's language.
func (e *env) queryRefusal(cmd string, err error) int {
	if qe, ok := errors.AsType[*query.Error](err); ok {
		return e.say(2, "cli.refused", map[string]string{"cmd": cmd, "message": e.t(qe.Key(), qe.Args())})
	}
	return fail(e, 2, "%s: %v", cmd, err)
}

// given reports whether the flag name was set on the command line.
func given(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// done prints the sentence of key on standard output: what a command did.
func (e *env) done(key string, args map[string]string) {
	fmt.Fprintln(e.stdout, e.t(key, args))
}

// accountFail says why an account change failed: the sentence of what the
// caller gave wrong (auth.ErrorKey) in the chosen language, else err.
func (e *env) accountFail(cmd string, err error) int {
	if key := auth.ErrorKey(err); key != "" {
		return e.say(1, "cli.refused", map[string]string{"cmd": cmd, "message": e.t(key, nil)})
	}
	return fail(e, 1, "%s: %v", cmd, err)
}
