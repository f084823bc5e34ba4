package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"testing"

	"github.com/gin-gonic/gin"

	"postdash/internal/sheet"
)

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

// roleCase is one route and the status each kind of caller gets.
type roleCase struct {
	method, pattern, path        string
	body                         string // "form": a form with the CSRF token; "multipart": a form with no file
	anon, viewer, analyst, admin int
}

// roleMatrix covers every route of the server (TestRoleMatrix checks that).
// 404 means the caller got through to a handler that found nothing.
var roleMatrix = []roleCase{
	{"GET", "/healthz", "/healthz", "", 200, 200, 200, 200},
	{"GET", "/static/*path", "/static/app.css", "", 200, 200, 200, 200},
	{"GET", "/favicon.ico", "/favicon.ico", "", 200, 200, 200, 200},
	{"GET", "/login", "/login", "", 200, 200, 200, 200},
	{"GET", "/", "/", "", 303, 200, 200, 200},
	{"GET", "/export.xlsx", "/export.xlsx", "", 303, 200, 200, 200},
	{"GET", "/export.csv", "/export.csv", "", 303, 200, 200, 200},
	{"GET", "/template.xlsx", "/template.xlsx", "", 303, 200, 200, 200},
	{"GET", "/briefing", "/briefing", "", 303, 200, 200, 200},
	{"GET", "/trace", "/trace", "", 303, 200, 200, 200},
	{"GET", "/api/v1/totals", "/api/v1/totals", "", 401, 200, 200, 200},
	{"GET", "/api/v1/batches", "/api/v1/batches", "", 401, 200, 200, 200},
	{"GET", "/upload", "/upload", "", 303, 403, 200, 200},
	{"POST", "/upload", "/upload", "multipart", 401, 403, 400, 400},
	{"GET", "/upload/:job", "/upload/nojob", "", 303, 403, 404, 404},
	{"GET", "/upload/:job/progress", "/upload/nojob/progress", "", 303, 403, 404, 404},
	{"POST", "/upload/:job/confirm", "/upload/nojob/confirm", "form", 401, 403, 404, 404},
	{"POST", "/upload/:job/cancel", "/upload/nojob/cancel", "form", 401, 403, 404, 404},
	{"POST", "/upload/:job/map", "/upload/nojob/map", "form", 401, 403, 404, 404},
	{"GET", "/mappings", "/mappings", "", 303, 403, 200, 200},
	{"POST", "/mappings", "/mappings", "multipart", 401, 403, 400, 400},
	{"GET", "/mappings/:id/json", "/mappings/999/json", "", 303, 403, 404, 404},
	{"POST", "/mappings/:id/delete", "/mappings/999/delete", "form", 401, 403, 404, 404},
	{"GET", "/batches", "/batches", "", 303, 403, 200, 200},
	{"GET", "/batches/:id/undo", "/batches/999/undo", "", 303, 403, 404, 404},
	{"POST", "/batches/:id/undo", "/batches/999/undo", "form", 401, 403, 404, 404},
	{"GET", "/batches/:id/file", "/batches/999/file", "", 303, 403, 404, 404},
	{"GET", "/admin/audit", "/admin/audit", "", 303, 403, 403, 200},
	{"GET", "/admin/users", "/admin/users", "", 303, 403, 403, 200},
	{"POST", "/admin/users", "/admin/users", "form", 401, 403, 403, 400},
	{"POST", "/admin/users/:name/password", "/admin/users/nobody/password", "form", 401, 403, 403, 404},
	{"POST", "/admin/users/:name/disable", "/admin/users/nobody/disable", "form", 401, 403, 403, 404},
	{"POST", "/admin/tokens", "/admin/tokens", "form", 401, 403, 403, 404},
	{"POST", "/admin/tokens/:id/revoke", "/admin/tokens/999/revoke", "form", 401, 403, 403, 404},
	{"POST", "/api/v1/imports", "/api/v1/imports", "multipart", 401, 403, 400, 400},
	{"DELETE", "/api/v1/batches/:id", "/api/v1/batches/999", "form", 401, 403, 404, 404},
	{"GET", "/admin/schedule", "/admin/schedule", "", 303, 403, 403, 200},
	{"POST", "/admin/schedule", "/admin/schedule", "form", 401, 403, 403, 400},
	{"POST", "/admin/schedule/:id/delete", "/admin/schedule/999/delete", "form", 401, 403, 403, 404},
	{"GET", "/annotations", "/annotations", "", 303, 403, 200, 200},
	{"POST", "/annotations", "/annotations", "form", 401, 403, 400, 400},
	{"POST", "/annotations/:id", "/annotations/999", "form", 401, 403, 400, 400},
	{"POST", "/annotations/:id/delete", "/annotations/999/delete", "form", 401, 403, 404, 404},
	{"GET", "/api/v1/schedule", "/api/v1/schedule", "", 401, 200, 200, 200},
	{"POST", "/api/v1/schedule", "/api/v1/schedule", "form", 401, 403, 403, 400},
	{"DELETE", "/api/v1/schedule/:id", "/api/v1/schedule/999", "form", 401, 403, 403, 404},
	{"GET", "/api/v1/overdue", "/api/v1/overdue", "", 401, 403, 200, 200},
	{"GET", "/api/v1/completeness", "/api/v1/completeness", "", 401, 200, 200, 200},
	{"GET", "/api/v1/annotations", "/api/v1/annotations", "", 401, 200, 200, 200},
	{"POST", "/api/v1/annotations", "/api/v1/annotations", "form", 401, 403, 400, 400},
	{"POST", "/api/v1/annotations/:id", "/api/v1/annotations/999", "form", 401, 403, 400, 400},
	{"DELETE", "/api/v1/annotations/:id", "/api/v1/annotations/999", "form", 401, 403, 404, 404},
	{"POST", "/login", "/login", "", 403, 403, 403, 403}, // without the login form's token
	{"POST", "/logout", "/logout", "form", 401, 303, 303, 303},
}

func (c *client) sendCase(rc roleCase) int {
	switch rc.body {
	case "form":
		if rc.method == http.MethodDelete {
			c.header.Set(csrfHeader, c.csrf)
			defer c.header.Del(csrfHeader)
			return c.do(rc.method, rc.path, nil, "").Code
		}
		return c.post(rc.path, nil).Code
	case "multipart":
		body, ctype := multipartBody(c.env.t, [][2]string{{"csrf", c.csrf}}, "", nil)
		return c.do(rc.method, rc.path, body, ctype).Code
	default:
		return c.do(rc.method, rc.path, bytes.NewReader(nil), "").Code
	}
}

func TestRoleMatrix(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	covered := map[string]bool{}
	for _, rc := range roleMatrix {
		covered[rc.method+" "+rc.pattern] = true
	}
	var missing []string
	for _, r := range env.h.(*gin.Engine).Routes() {
		if !covered[r.Method+" "+r.Path] {
			missing = append(missing, r.Method+" "+r.Path)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("route %s has no row in the role matrix", m)
	}
	callers := []struct {
		name string
		c    func() *client
		want func(roleCase) int
	}{
		{"anonymous", env.anon, func(r roleCase) int { return r.anon }},
		{"viewer", func() *client { return env.login("vera") }, func(r roleCase) int { return r.viewer }},
		{"analyst", func() *client { return env.login("ali") }, func(r roleCase) int { return r.analyst }},
		{"admin", func() *client { return env.login("adam") }, func(r roleCase) int { return r.admin }},
	}
	for _, who := range callers {
		c := who.c()
		for _, rc := range roleMatrix {
			if rc.pattern == "/logout" {
				c = who.c() // sign out last, with a session of its own
			}
			if got, want := c.sendCase(rc), who.want(rc); got != want {
				t.Errorf("%s %s as %s: status %d, want %d", rc.method, rc.path, who.name, got, want)
			}
		}
	}
}

// TestPublicMode: --public opens the dashboards, never the uploads.
func TestPublicMode(t *testing.T) {
	env := newAuthEnv(t, true, sheet.Limits{})
	anon := env.anon()
	viewer := env.login("vera")
	tests := []struct {
		c                 *client
		who, method, path string
		want              int
	}{
		{anon, "anonymous", "GET", "/", 200},
		{anon, "anonymous", "GET", "/export.csv", 200},
		{anon, "anonymous", "GET", "/api/v1/totals", 200},
		{anon, "anonymous", "GET", "/upload", 303},
		{anon, "anonymous", "GET", "/batches", 303},
		{anon, "anonymous", "GET", "/admin/audit", 303},
		{anon, "anonymous", "POST", "/api/v1/imports", 401},
		{anon, "anonymous", "DELETE", "/api/v1/batches/1", 401},
		{viewer, "viewer", "GET", "/upload", 403},
		{viewer, "viewer", "POST", "/api/v1/imports", 403},
	}
	for _, tt := range tests {
		body, ctype := multipartBody(t, [][2]string{{"csrf", tt.c.csrf}}, "", nil)
		if got := tt.c.do(tt.method, tt.path, body, ctype).Code; got != tt.want {
			t.Errorf("%s %s as %s: %d, want %d", tt.method, tt.path, tt.who, got, tt.want)
		}
	}
}
