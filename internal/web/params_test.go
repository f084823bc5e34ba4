package web

import (
	"bytes"
	"encoding/json"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"postdash/internal/i18n"
	"postdash/internal/sheet"
)

// sampleOf returns a value of k that parses and one that does not.
func sampleOf(k kind) (good, bad string) {
	switch k.want {
	case "month":
		return "2025-01", "2025-13"
	case "direction":
		return "inbound", "sideways"
	case "category":
		return "parcel", "parcels"
	case "bool":
		return "true", "maybe"
	case "lang":
		return "en", "xx"
	case "measure":
		return "letters", "tonnage"
	}
	if long := strings.Repeat("x", maxTextBytes+1); !k.ok(long) {
		return "x", long
	}
	return "x", "\xff" // not UTF-8
}

// paramCase is one request a route must refuse, naming name.
type paramCase struct {
	what  string
	query url.Values
	form  url.Values // body fields (csrf added), or nil for the route's usual body
	after string     // multipart: a field sent after the file
	raw   string     // a raw query, sent as is
	name  string     // what the refusal must name
}

// casesFor lists, for a route declaring d, requests it must refuse.
func casesFor(d routeParams, multipartBody bool) []paramCase {
	cs := []paramCase{
		{what: "unknown parameter", query: url.Values{"zz_unknown": {"1"}}, name: "zz_unknown"},
		{what: "undecodable query", raw: "zz=%ZZ", name: "zz=%ZZ"},
	}
	names := func(p params) []string {
		var out []string
		for n := range p {
			out = append(out, n)
		}
		sort.Strings(out)
		return out
	}
	for _, n := range names(d.Query.with(everywhere)) {
		good, bad := sampleOf(d.Query.with(everywhere)[n])
		cs = append(cs,
			paramCase{what: "repeated " + n, query: url.Values{n: {good, good}}, name: n},
			paramCase{what: "malformed " + n, query: url.Values{n: {bad}}, name: n})
	}
	if d.Form == nil {
		return cs
	}
	cs = append(cs, paramCase{what: "unknown form field", form: url.Values{"zz_field": {"1"}}, name: "zz_field"})
	for _, n := range names(d.Form) {
		if n == "file" {
			continue // the file part itself; a second one comes after the first
		}
		good, bad := sampleOf(d.Form[n])
		cs = append(cs, paramCase{what: "repeated field " + n, form: url.Values{n: {good, good}}, name: n})
		if n != csrfField {
			cs = append(cs, paramCase{what: "malformed field " + n, form: url.Values{n: {bad}}, name: n})
		}
	}
	if multipartBody {
		cs = append(cs, paramCase{what: "field after the file", after: "direction", name: "direction"},
			paramCase{what: "second file", after: "file", name: "file"})
	}
	return cs
}

// send sends rc's request with tc's parameters added.
func (c *client) sendParams(rc roleCase, tc paramCase) *httptest.ResponseRecorder {
	target := rc.path
	switch {
	case tc.raw != "" && len(tc.query) > 0:
		target += "?" + tc.query.Encode() + "&" + tc.raw
	case tc.raw != "":
		target += "?" + tc.raw
	case len(tc.query) > 0:
		target += "?" + tc.query.Encode()
	}
	switch rc.body {
	case "multipart":
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		w.WriteField(csrfField, c.csrf)
		for n, vs := range tc.form {
			for _, v := range vs {
				w.WriteField(n, v)
			}
		}
		fw, _ := w.CreateFormFile("file", "x.csv")
		fw.Write([]byte("period,parcels\n2025-01,1\n"))
		if tc.after != "" {
			w.WriteField(tc.after, "inbound")
		}
		w.Close()
		return c.do(rc.method, target, &buf, w.FormDataContentType())
	case "form":
		form := url.Values{csrfField: {c.csrf}}
		for n, vs := range tc.form {
			form[n] = append(form[n], vs...)
		}
		if rc.method == http.MethodDelete {
			c.header.Set(csrfHeader, c.csrf)
			defer c.header.Del(csrfHeader)
		}
		return c.do(rc.method, target, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	default:
		if tc.form != nil { // a form sent to a route that takes none, or the login form
			return c.do(rc.method, target, strings.NewReader(tc.form.Encode()), "application/x-www-form-urlencoded")
		}
		return c.do(rc.method, target, nil, "")
	}
}

// TestEveryRouteRefusesWhatItDoesNotRead walks every registered route, as
// a caller allowed to use it, with an unknown parameter, each declared
// parameter twice and malformed, and (for forms) unknown, repeated and
// malformed fields: each answers 400 naming the parameter. So no route
// answers 200 to a parameter it ignored, and a new route without a
// declaration in declaredParams fails here.
func TestEveryRouteRefusesWhatItDoesNotRead(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	matrix := map[string]roleCase{}
	for _, rc := range roleMatrix {
		matrix[rc.method+" "+rc.pattern] = rc
	}
	routes := env.h.(*gin.Engine).Routes()
	registered := map[string]bool{}
	for _, r := range routes {
		registered[r.Method+" "+r.Path] = true
	}
	for key := range declaredParams {
		if !registered[key] {
			t.Errorf("declaredParams has %s, which is not a route", key)
		}
	}
	callers := map[string]*client{"anon": env.anon(), "viewer": env.login("vera"), "analyst": env.login("ali"), "admin": env.login("adam")}
	for _, r := range routes {
		key := r.Method + " " + r.Path
		decl, ok := declaredParams[key]
		if !ok {
			t.Errorf("route %s declares no parameters in declaredParams", key)
			continue
		}
		rc, ok := matrix[key]
		if !ok {
			t.Errorf("route %s has no row in the role matrix", key)
			continue
		}
		who := leastAllowed(rc)
		c := callers[who]
		if r.Path == "/logout" {
			who, c = "viewer", env.login("vera") // a refused logout must not end the shared sessions
		}
		for _, tc := range casesFor(decl, rc.body == "multipart") {
			for _, l := range []string{"en", "ru"} {
				tc := tc
				tc.query = cloneValues(tc.query)
				if !tc.query.Has("lang") {
					tc.query.Set("lang", l)
				} else if l == "ru" {
					continue // the case is about lang itself; the page speaks the default, English
				}
				delete(c.cookies, langCookie)
				rec := c.sendParams(rc, tc)
				msg := refusalText(t, rec, isAPIPath(rc.path))
				names := strings.Contains(msg, quoted(tc.name, l, isAPIPath(rc.path)))
				if label, ok := filterLabels[tc.name]; ok && decl.OwnPage && !names {
					// the dashboard names its filter fields as its form labels them
					names = strings.Contains(msg, env.srv.cat.T(i18n.Lang(l), label, nil)+":")
				}
				if rec.Code != http.StatusBadRequest || !names {
					t.Errorf("%s %s as %s, %s (lang %s): status %d, message %q; want 400 naming %s",
						rc.method, rc.path, who, tc.what, l, rec.Code, msg, quoted(tc.name, l, isAPIPath(rc.path)))
				}
			}
		}
	}
}

// leastAllowed is the least privileged caller the role matrix lets through
// to the route's handler.
func leastAllowed(rc roleCase) string {
	through := func(code int) bool { return code != 303 && code != 401 && code != 403 }
	switch {
	case rc.pattern == "/login" && rc.method == http.MethodPost:
		return "anon" // every caller gets 403 there without the login form's token
	case through(rc.anon):
		return "anon"
	case through(rc.viewer):
		return "viewer"
	case through(rc.analyst):
		return "analyst"
	}
	return "admin"
}

func isAPIPath(p string) bool { return strings.HasPrefix(p, "/api/") }

// quoted is how a refusal names a parameter: in the page's language on
// pages and on the API alike.
func quoted(name, l string, api bool) string {
	if l == "ru" { // the API speaks the request's language too
		return "«" + name + "»"
	}
	return "“" + name + "”"
}

// filterLabels are the catalog keys of the dashboard filter's labels.
var filterLabels = map[string]string{"from": "filter.from", "to": "filter.to", "direction": "field.direction", "category": "field.category"}

var alertRe = regexp.MustCompile(`(?s)role="alert"[^>]*>(.*?)</`)

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// refusalText is the message of a refusal: the API's error, or the page's
// text.
func refusalText(t *testing.T, rec *httptest.ResponseRecorder, api bool) string {
	t.Helper()
	if !api {
		m := alertRe.FindStringSubmatch(rec.Body.String())
		if m == nil {
			return "no alert on the page: " + shorten(rec.Body.String())
		}
		return html.UnescapeString(m[1])
	}
	var e struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		return "not JSON: " + rec.Body.String()
	}
	return e.Error
}
