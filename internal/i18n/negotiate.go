package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// supported are the tags of Langs, in the order the matcher prefers them
// when a header gives it no reason to choose (the first is the fallback).
var supported = func() []language.Tag {
	tags := make([]language.Tag, 0, len(Langs()))
	for _, l := range Langs() {
		tags = append(tags, language.MustParse(string(l)))
	}
	return tags
}()

// matcher matches against supported; it is read-only, safe for concurrent use.
var matcher = language.NewMatcher(supported)

// Negotiate chooses the language of a request: the ?lang= query value, then
// the cookie, then the Accept-Language header as golang.org/x/text/language
// matches it against the languages postdash speaks, then def. Values it
// cannot read are skipped.
func Negotiate(query, cookie, acceptLanguage string, def Lang) Lang {
	for _, s := range []string{query, cookie} {
		if l, ok := ParseLang(s); ok {
			return l
		}
	}
	return matchAccept(acceptLanguage, def)
}

// matchAccept matches an Accept-Language header against Langs; def when
// nothing in it matches. A malformed entry is left out rather than spoiling
// the whole header. Tags and the q parameter are case-insensitive (RFC 9110
// 12.4.2), which x/text does not grant "Q=": the header is lowered first.
func matchAccept(header string, def Lang) Lang {
	header = strings.ToLower(header)
	tags, q, err := language.ParseAcceptLanguage(header)
	if err != nil {
		tags, q = nil, nil
		for _, part := range strings.Split(header, ",") {
			t, w, err := language.ParseAcceptLanguage(part)
			if err == nil {
				tags, q = append(tags, t...), append(q, w...)
			}
		}
		tags = byWeight(tags, q)
	}
	if len(tags) == 0 {
		return def
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return def
	}
	return Langs()[i]
}

// byWeight orders tags by descending weight, ties as written.
func byWeight(tags []language.Tag, q []float32) []language.Tag {
	idx := make([]int, len(tags))
	for i := range idx {
		idx[i] = i
	}
	for i := 1; i < len(idx); i++ { // insertion sort: stable, and headers are short
		for j := i; j > 0 && q[idx[j]] > q[idx[j-1]]; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	out := make([]language.Tag, len(idx))
	for k, i := range idx {
		out[k] = tags[i]
	}
	return out
}
