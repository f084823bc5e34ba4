package i18n

import (
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// pluralSep joins a key and a plural form in a catalog: "acct.job.rejected#one"
// is acct.job.rejected said of one thing. The key alone is the form for
// every count whose variant its language does not define: a language whose
// sentence does not inflect with the count (Uzbek "{count} ta xato",
// Russian "Ошибок: {count}") defines none.
const pluralSep = "#"

// formName is the name of x/text's CLDR plural form, as catalogs write it
// after pluralSep.
func formName(f plural.Form) string {
	switch f {
	case plural.Zero:
		return "zero"
	case plural.One:
		return "one"
	case plural.Two:
		return "two"
	case plural.Few:
		return "few"
	case plural.Many:
		return "many"
	}
	return "other"
}

// PluralForm is the CLDR cardinal plural form of the whole number n in l:
// "one", "few", "many" or "other" (x/text's rules).
func PluralForm(l Lang, n int64) string {
	if n < 0 {
		n = -n
	}
	form := plural.Cardinal.MatchPlural(language.Make(string(l)), int(n%10_000_000), 0, 0, 0, 0)
	return formName(form)
}

// N returns the message key in language l said of n things: its variant
// for n's plural form in l when l defines it, else key itself (T's
// fallbacks apply), with placeholders filled from args.
func (c *Catalogs) N(l Lang, key string, n int64, args map[string]string) string {
	if variant := key + pluralSep + PluralForm(l, n); c.Has(l, variant) {
		return c.T(l, variant, args)
	}
	return c.T(l, key, args)
}
