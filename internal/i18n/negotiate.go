package i18n

import (
	"sort"
	"strconv"
	"strings"
)

// Negotiate chooses the language of a request: the ?lang= query value, then
// the cookie, then the Accept-Language header (highest q first, ties in the
// order written), then def. Values it cannot read are skipped.
func Negotiate(query, cookie, acceptLanguage string, def Lang) Lang {
	for _, s := range []string{query, cookie} {
		if l, ok := ParseLang(s); ok {
			return l
		}
	}
	for _, tag := range acceptedTags(acceptLanguage) {
		if l, ok := ParseLang(tag); ok {
			return l
		}
	}
	return def
}

// acceptedTags returns the tags of an Accept-Language header by descending
// q-value, leaving out those with q=0 and the wildcard.
func acceptedTags(header string) []string {
	type weighted struct {
		tag string
		q   float64
	}
	var ws []weighted
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(part, ";")
		tag = strings.TrimSpace(tag)
		if tag == "" || tag == "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			name, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok || strings.TrimSpace(strings.ToLower(name)) != "q" {
				continue
			}
			f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
			if err != nil || f < 0 || f > 1 {
				f = 0 // a malformed weight: ignore the tag rather than guess
			}
			q = f
		}
		if q > 0 {
			ws = append(ws, weighted{tag, q})
		}
	}
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].q > ws[j].q })
	tags := make([]string, len(ws))
	for i, w := range ws {
		tags[i] = w.tag
	}
	return tags
}
