package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"postdash/internal/i18n"
	"postdash/internal/postal"
	"postdash/internal/stats"
)

// A parameter a route does not know, one given twice or one whose value does
// not parse is refused with 400 and a sentence naming it, never dropped:
// a script that misspells a filter must not get the totals of everything.

// kind is what a parameter's value must be. Empty values are always allowed:
// the dashboard's form sends "" for "all".
type kind struct {
	want   string // catalog key suffix of what is wanted (params.want.<want>); "" for text
	values string // the values or the form it takes, as written in a URL
	ok     func(string) bool
}

// maxTextBytes caps a free-text parameter (partner, marketplace, next…).
const maxTextBytes = 256

var (
	kindText     = kind{ok: func(s string) bool { return len(s) <= maxTextBytes && utf8.ValidString(s) }}
	kindLongText = kind{ok: utf8.ValidString}                                                     // a list (where, by), bounded by its parser
	kindSecret   = kind{ok: func(s string) bool { return len(s) <= 4096 && utf8.ValidString(s) }} // a passphrase may be long
	kindMonth    = kind{"month", "YYYY-MM", func(s string) bool { _, err := postal.ParseMonth(s); return err == nil }}
	kindBool     = kind{"bool", "true, false, 1, 0", func(s string) bool { _, err := strconv.ParseBool(s); return err == nil }}
	kindLang     = kind{"lang", joinOf(i18n.Langs()), func(s string) bool { _, ok := i18n.ParseLang(s); return ok }}
	kindMeasure  = kind{"measure", measureKeys(), func(s string) bool { _, ok := stats.MeasureByKey(s); return ok }}

	kindAnyMeasure = kind{"measure", anyMeasureKeys(), func(s string) bool { _, ok := stats.AnyMeasure(s); return ok }}
	kindSep        = kind{"sep", "comma, semicolon", func(s string) bool { return s == "comma" || s == "semicolon" }}

	kindDirection = kind{"direction", strings.Join(stats.DirectionOrder(), ", "), postal.ValidDirection}
	kindCategory  = kind{"category", strings.Join(stats.CategoryOrder(), ", "), postal.ValidCategory}
)

func joinOf[T ~string](vs []T) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return strings.Join(out, ", ")
}

func measureKeys() string {
	var keys []string
	for _, m := range stats.Measures() {
		keys = append(keys, m.Key)
	}
	return strings.Join(keys, ", ")
}

// anyMeasureKeys lists the KPI measures and the categories' own, as a
// trace takes them.
func anyMeasureKeys() string {
	keys := []string{measureKeys()}
	for _, c := range postal.Categories {
		if m := stats.CategoryMeasure(c); m.Key != "ems" {
			keys = append(keys, m.Key)
		}
	}
	return strings.Join(keys, ", ")
}

// params maps parameter names to their kinds.
type params map[string]kind

// with returns p plus more (neither is changed).
func (p params) with(more params) params {
	out := make(params, len(p)+len(more))
	for k, v := range p {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

// routeParams is what a route understands besides the path.
type routeParams struct {
	Query params // URL query parameters
	Form  params // fields of a url-encoded or multipart body
	// OwnPage: the handler shows the refusal on its own page (with status
	// 400), reading it with paramRefusal, instead of the message page.
	OwnPage bool
	// JSON: the route answers JSON (a page's poll), so it answers its
	// refusals in JSON too, as the API does.
	JSON bool
}

// everywhere are the parameters every route takes: the language the
// switcher adds to any address.
var everywhere = params{"lang": kindLang}

// filterParams are the dashboard's filter, as its form writes it.
var filterParams = params{
	"from": kindMonth, "to": kindMonth,
	"direction": kindDirection, "category": kindCategory,
	"partner": kindText, "marketplace": kindText,
}

// csrfForm is the form of a button that changes something.
var csrfForm = params{csrfField: kindText}

// declaredParams declares, for every route (by method and gin pattern),
// the parameters it reads. A route missing here takes only everywhere's;
// TestEveryRouteRefusesWhatItDoesNotRead fails for it.
var declaredParams = map[string]routeParams{
	"GET /healthz":                     {},
	"GET /static/*path":                {},
	"GET /favicon.ico":                 {},
	"GET /":                            {Query: filterParams.with(params{"measure": kindMeasure}).with(asOfParam), OwnPage: true},
	"GET /export.xlsx":                 {Query: filterParams.with(params{"measure": kindMeasure}).with(asOfParam)},
	"GET /export.csv":                  {Query: filterParams.with(params{"measure": kindMeasure, "sep": kindSep}).with(asOfParam)},
	"GET /template.xlsx":               {},
	"GET /briefing":                    {Query: filterParams.with(params{"measure": kindMeasure}).with(asOfParam)},
	"GET /trace":                       {Query: filterParams.with(params{"measure": kindAnyMeasure, "compare": kindBool, "panel": kindBool}).with(asOfParam)},
	"GET /api/v1/totals":               {Query: filterParams.with(params{"by": kindLongText, "where": kindLongText}).with(asOfParam)},
	"GET /api/v1/batches":              {},
	"GET /login":                       {Query: params{"next": kindText}},
	"POST /login":                      {Query: params{"next": kindText}, Form: params{csrfField: kindText, "next": kindText, "name": kindText, "password": kindSecret}},
	"POST /logout":                     {Form: csrfForm},
	"GET /upload":                      {},
	"POST /upload":                     {Form: params{csrfField: kindText, "direction": kindDirection, "partner": kindText, "marketplace": kindText, "file": kindText}},
	"GET /upload/:job":                 {},
	"GET /upload/:job/progress":        {Query: params{"wait": kindBool}, JSON: true},
	"POST /upload/:job/confirm":        {Form: csrfForm},
	"POST /upload/:job/cancel":         {Form: csrfForm},
	"POST /upload/:job/map":            {Form: remapForm},
	"GET /mappings":                    {},
	"POST /mappings":                   {Form: params{csrfField: kindText, "file": kindText}},
	"GET /mappings/:id/json":           {},
	"POST /mappings/:id/delete":        {Form: csrfForm},
	"GET /batches":                     {},
	"GET /batches/:id/undo":            {},
	"POST /batches/:id/undo":           {Form: csrfForm},
	"GET /batches/:id/file":            {},
	"GET /admin/audit":                 {},
	"GET /admin/users":                 {},
	"POST /admin/users":                {Form: params{csrfField: kindText, "name": kindText, "role": kindText, "password": kindSecret}},
	"POST /admin/users/:name/password": {Form: csrfForm},
	"POST /admin/users/:name/disable":  {Form: csrfForm},
	"POST /admin/tokens":               {Form: params{csrfField: kindText, "user": kindText, "label": kindText}},
	"POST /admin/tokens/:id/revoke":    {Form: csrfForm},
	"POST /api/v1/imports": {
		Query: params{"dry_run": kindBool, "direction": kindDirection, "partner": kindText, "marketplace": kindText},
		Form:  params{csrfField: kindText, "mapping": kindMapping, "file": kindText},
	},
	"DELETE /api/v1/batches/:id": {},
	// The calendar (calendar_admin.go).
	"GET /admin/schedule":             {},
	"POST /admin/schedule":            {Form: ruleForm.with(csrfForm)},
	"POST /admin/schedule/:id/delete": {Form: csrfForm},
	"GET /annotations":                {},
	"POST /annotations":               {Form: noteForm.with(csrfForm)},
	"POST /annotations/:id":           {Form: noteForm.with(csrfForm)},
	"POST /annotations/:id/delete":    {Form: csrfForm},
	"GET /api/v1/schedule":            {},
	"POST /api/v1/schedule":           {Form: ruleForm.with(csrfForm)},
	"DELETE /api/v1/schedule/:id":     {},
	"GET /api/v1/overdue":             {},
	"GET /api/v1/completeness":        {Query: filterParams},
	"GET /api/v1/annotations":         {Query: filterParams},
	"POST /api/v1/annotations":        {Form: noteForm.with(csrfForm)},
	"POST /api/v1/annotations/:id":    {Form: noteForm.with(csrfForm)},
	"DELETE /api/v1/annotations/:id":  {},
}

// ruleForm is a schedule rule as typed; noteForm a note on a month.
var (
	ruleForm = params{"partner": kindText, "category": kindText, "rule": kindText, "n": kindText, "from": kindMonth}
	noteForm = params{"month": kindMonth, "partner": kindText, "category": kindText, "text": kindNote}
	kindNote = kind{ok: func(s string) bool { return len(s) <= 4*500 && utf8.ValidString(s) }}
)

// paramsOf returns what the request's route declares.
func paramsOf(c *gin.Context) routeParams {
	return declaredParams[c.Request.Method+" "+c.FullPath()]
}

// paramError says which parameter was refused and why.
type paramError struct {
	Name, Value string
	Reason      string // "unknown", "repeated", "invalid" or "unreadable" (the query does not decode)
	Kind        kind   // for "invalid"
	Form        bool   // a body field rather than a query parameter
}

func (e *paramError) Error() string { return e.text(nil, i18n.EN) }

// text writes the refusal in language l (English without catalogs).
func (e *paramError) text(cat *i18n.Catalogs, l i18n.Lang) string {
	if cat == nil {
		return fmt.Sprintf("parameter %q: %s", e.Name, e.Reason)
	}
	key := "params." + e.Reason
	switch {
	case e.Form && e.Reason == "unknown":
		key = "params.unknown_field"
	case e.Reason == "invalid" && e.Kind.want == "":
		key = "params.invalid_text"
	}
	args := map[string]string{"name": e.Name, "value": shorten(e.Value), "values": e.Kind.values}
	if e.Kind.want != "" {
		args["want"] = cat.T(l, "params.want."+e.Kind.want, nil)
	}
	return cat.T(l, key, args)
}

// shorten keeps a quoted value readable in a message.
func shorten(s string) string {
	if len(s) <= 80 {
		return s
	}
	cut := 80
	for !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// checkValues checks parameters against what a route declares (plus
// everywhere's): each known, given once, and of its kind.
func checkValues(v url.Values, declared params, form bool) error {
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	slices.Sort(names) // the same request always names the same parameter
	for _, name := range names {
		k, ok := declared[name]
		if !ok && !form {
			k, ok = everywhere[name]
		}
		vals := v[name]
		switch {
		case !ok:
			return &paramError{Name: name, Value: vals[0], Reason: "unknown", Form: form}
		case len(vals) > 1:
			return &paramError{Name: name, Value: vals[1], Reason: "repeated", Form: form}
		case vals[0] != "" && !k.ok(vals[0]):
			return &paramError{Name: name, Value: vals[0], Reason: "invalid", Kind: k, Form: form}
		}
	}
	return nil
}

// checkParams refuses a request whose query (or url-encoded form) holds a
// parameter its route does not declare, one given twice, or a value that
// does not parse. Multipart bodies are streamed: readUpload checks their
// fields with checkFields. Unrouted requests are left to the 404.
func (a *accounts) checkParams() gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.FullPath() == "" {
			c.Next()
			return
		}
		decl := paramsOf(c)
		q, err := url.ParseQuery(c.Request.URL.RawQuery)
		if err != nil {
			a.refuseParam(c, &paramError{Name: "query", Value: unreadablePart(c.Request.URL.RawQuery), Reason: "unreadable"})
			return
		}
		if err := checkValues(q, decl.Query, false); err != nil {
			if decl.OwnPage {
				c.Set(keyParamRefusal, err)
				c.Next()
				return
			}
			a.refuseParam(c, err)
			return
		}
		if c.Request.Method == http.MethodPost && strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded") {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
			if err := c.Request.ParseForm(); err != nil {
				a.refuseParam(c, &paramError{Name: "body", Value: "…", Reason: "unreadable", Form: true})
				return
			}
			if err := checkValues(c.Request.PostForm, decl.Form, true); err != nil {
				a.refuseParam(c, err)
				return
			}
		}
		c.Next()
	}
}

// keyParamRefusal holds the refusal an OwnPage route shows itself.
const keyParamRefusal = "param_refusal"

// paramRefusal returns the refusal of an OwnPage route's query, if any,
// written in the page's language.
func (s *Server) paramRefusal(c *gin.Context) (string, bool) {
	v, ok := c.Get(keyParamRefusal)
	if !ok {
		return "", false
	}
	var pe *paramError
	if !errors.As(v.(error), &pe) {
		return v.(error).Error(), true
	}
	return pe.text(s.cat, lang(c)), true
}

// unreadablePart returns the first part of a raw query that does not decode.
func unreadablePart(raw string) string {
	for _, part := range strings.Split(raw, "&") {
		if _, err := url.ParseQuery(part); err != nil {
			return part
		}
	}
	return raw
}

// checkFields checks the fields of a streamed multipart form.
func checkFields(c *gin.Context, fields url.Values) error {
	return checkValues(fields, paramsOf(c).Form, true)
}

// refuseParam answers 400 naming the parameter: JSON on the API, the
// message page in the reader's language elsewhere.
func (a *accounts) refuseParam(c *gin.Context, err error) {
	var pe *paramError
	if !errors.As(err, &pe) {
		pe = &paramError{Name: "query", Value: err.Error(), Reason: "unreadable"}
	}
	decl := paramsOf(c)
	if isAPI(c) || decl.JSON {
		// Scripts also get the names the route takes, to fix the call.
		known := decl.Query.with(everywhere)
		if pe.Form {
			known = decl.Form
		}
		names := make([]string, 0, len(known))
		for n := range known {
			names = append(names, n)
		}
		slices.Sort(names)
		c.AbortWithStatusJSON(http.StatusBadRequest, gin.H{"error": pe.text(a.s.cat, lang(c)), "parameters": names})
		return
	}
	p := messagePage{Page: a.s.page(c, "acct.message.title"), Nav: accountNav(c), Status: http.StatusBadRequest, Message: pe.text(a.s.cat, lang(c))}
	a.s.html(c, http.StatusBadRequest, "admin_message.html", p)
	c.Abort()
}
