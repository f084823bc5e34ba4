package web

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// Every kind of refusal of a question the API reads (/api/v1/totals), and
// the calendar's refused input, is the catalog's sentence in the language
// asked for (Accept-Language or ?lang=), never English in another language.
func TestAPIQuestionRefusalsInEveryLanguage(t *testing.T) {
	e := calendarEnv(t, filepath.Join(t.TempDir(), "web.db"))
	en := catalogFiles(t, "en")
	many := strings.Repeat("partner=x,", 1001)
	cases := []struct {
		name, query, key string
		args             map[string]string
	}{
		{"an inverted range", "from=2025-05&to=2025-01", "query.error.order", map[string]string{"value": "2025-05..2025-01"}},
		{"a field that is none", "by=colour", "query.error.field", map[string]string{"param": "by", "value": "colour", "fields": "period, year, direction, partner, category, marketplace"}},
		{"a condition without =", "where=category", "query.error.pair", map[string]string{"param": "where", "value": "category"}},
		{"an unknown direction", "where=direction=sideways", "query.error.unknown", map[string]string{"param": "direction", "value": "sideways", "values": "inbound, outbound, transit, unspecified"}},
		{"a month that is none", "where=period=2025-13", "query.error.month", map[string]string{"param": "period", "value": "2025-13"}},
		{"a year that is none", "where=year=25", "query.error.year", map[string]string{"param": "year", "value": "25"}},
		{"too many conditions", "where=" + url.QueryEscape(many), "query.error.many", map[string]string{"param": "where", "limit": "1000"}},
		{"a field given twice", "where=category=ecommerce&category=parcel", "query.error.twice", map[string]string{"param": "category", "value": "parcel", "where": "where"}},
	}
	errorOf := func(t *testing.T, rec *httptest.ResponseRecorder) string {
		var out struct{ Error string }
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("not JSON: %d %s", rec.Code, rec.Body)
		}
		return out.Error
	}
	for _, lang := range []string{"en", "ru", "uz-Latn", "uz-Cyrl"} {
		cat := catalogFiles(t, lang)
		for _, via := range []string{"Accept-Language", "lang"} {
			// A fresh session each time: ?lang= is remembered in a cookie.
			adam := e.login("adam")
			adam.header.Set(csrfHeader, adam.csrf)
			ask := func(target string) string {
				adam.header.Del("Accept-Language")
				if via == "lang" {
					sep := "?"
					if strings.Contains(target, "?") {
						sep = "&"
					}
					return target + sep + "lang=" + lang
				}
				adam.header.Set("Accept-Language", lang)
				return target
			}
			for _, tc := range cases {
				rec := adam.get(ask("/api/v1/totals?" + tc.query))
				want := fill(cat[tc.key], tc.args)
				if got := errorOf(t, rec); rec.Code != 400 || got != want {
					t.Errorf("%s, %s %s: %d %q\nwant 400 %q", tc.name, via, lang, rec.Code, got, want)
				}
				if lang != "en" && want == fill(en[tc.key], tc.args) {
					t.Errorf("%s: %s is the English sentence", lang, tc.key)
				}
			}
			rec := adam.post(ask("/api/v1/schedule"), url.Values{"rule": {"day"}, "n": {"three"}})
			if got, want := errorOf(t, rec), cat["schedule.error.rule"]; rec.Code != 400 || got != want {
				t.Errorf("a rule that is no number, %s %s: %d %q\nwant 400 %q", via, lang, rec.Code, got, want)
			}
			rec = adam.post(ask("/api/v1/annotations"), url.Values{"month": {"2025-02"}, "text": {""}})
			if got, want := errorOf(t, rec), cat["annotations.error"]; rec.Code != 400 || got != want {
				t.Errorf("a note without text, %s %s: %d %q\nwant 400 %q", via, lang, rec.Code, got, want)
			}
		}
	}
}

// fill puts args into a catalog template by plain replacement.
func fill(tmpl string, args map[string]string) string {
	for k, v := range args {
		tmpl = strings.ReplaceAll(tmpl, "{"+k+"}", v)
	}
	return tmpl
}
