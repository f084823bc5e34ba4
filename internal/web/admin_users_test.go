package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"postdash/internal/auth"
	"postdash/internal/sheet"
)

var secretValue = regexp.MustCompile(`<code id="secret-value">([^<]+)</code>`)

func TestAdminUsersAndTokensPage(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	adam := env.login("adam")

	rec := adam.post("/admin/users", url.Values{"name": {"nodira"}, "role": {auth.Analyst}})
	m := secretValue.FindStringSubmatch(rec.Body.String())
	if rec.Code != 200 || m == nil {
		t.Fatalf("add user: %d, no generated password shown", rec.Code)
	}
	if c := env.anon(); c.loginAttempt("nodira", m[1]).Code != http.StatusSeeOther {
		t.Fatal("the new user cannot sign in with the password shown")
	}
	if page := adam.get("/admin/users").Body.String(); strings.Contains(page, m[1]) {
		t.Error("the password is shown again")
	}
	tests := []struct {
		name string
		form url.Values
		path string
		want int
	}{
		{"taken name", url.Values{"name": {"nodira"}, "role": {auth.Viewer}}, "/admin/users", 409},
		{"bad role", url.Values{"name": {"x"}, "role": {"root"}}, "/admin/users", 400},
		{"path in name", url.Values{"name": {"../x"}, "role": {auth.Viewer}}, "/admin/users", 400},
		{"weak password", url.Values{"name": {"y"}, "role": {auth.Viewer}, "password": {"short"}}, "/admin/users", 400},
		{"disable yourself", nil, "/admin/users/adam/disable", 409},
		{"token for nobody", url.Values{"user": {"nobody"}}, "/admin/tokens", 404},
		{"revoke a non-id", nil, "/admin/tokens/abc/revoke", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := adam.post(tt.path, tt.form).Code; got != tt.want {
				t.Errorf("status %d, want %d", got, tt.want)
			}
		})
	}

	rec = adam.post("/admin/tokens", url.Values{"user": {"nodira"}, "label": {"script"}})
	m = secretValue.FindStringSubmatch(rec.Body.String())
	if rec.Code != 200 || m == nil || !strings.HasPrefix(m[1], auth.TokenPrefix) {
		t.Fatalf("create token: %d", rec.Code)
	}
	script := env.anon()
	script.token = m[1]
	if got := script.get("/api/v1/totals").Code; got != 200 {
		t.Fatalf("new token: %d", got)
	}
	toks, _ := env.svc.Tokens(t.Context())
	if got := adam.post("/admin/tokens/"+itoa(int(toks[0].ID))+"/revoke", nil).Code; got != http.StatusSeeOther {
		t.Fatalf("revoke: %d", got)
	}
	if got := script.get("/api/v1/totals").Code; got != 401 {
		t.Errorf("revoked token: %d", got)
	}
	if got := adam.post("/admin/users/ali/disable", nil).Code; got != http.StatusSeeOther {
		t.Fatalf("disable: %d", got)
	}
	if got := adam.post("/admin/users/vera/password", nil).Code; got != 200 {
		t.Errorf("reset password: %d", got)
	}
	if env.anon().loginAttempt("vera", testPassword).Code != http.StatusUnauthorized {
		t.Error("the old password still works after a reset")
	}
}

// TestUnlistedRoutesAreClosed: a route someone adds later without a line
// in routeAccess is an admin route under /admin/, and an admin route when it
// changes anything.
func TestUnlistedRoutesAreClosed(t *testing.T) {
	r := gin.New()
	var got string
	h := func(c *gin.Context) { got = access(c) }
	r.GET("/admin/new", h)
	r.GET("/upload/new", h)
	r.GET("/new-page", h)
	r.POST("/new-action", h)
	r.DELETE("/api/v1/new", h)
	tests := []struct{ method, path, want string }{
		{"GET", "/admin/new", auth.Admin},
		{"GET", "/upload/new", auth.Analyst},
		{"GET", "/new-page", levelDashboard},
		{"POST", "/new-action", auth.Admin},
		{"DELETE", "/api/v1/new", auth.Admin},
	}
	for _, tt := range tests {
		got = ""
		r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(tt.method, tt.path, nil))
		if got != tt.want {
			t.Errorf("%s %s needs %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
}
