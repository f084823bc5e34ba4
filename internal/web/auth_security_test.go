package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"postdash/internal/auth"
	"postdash/internal/sheet"
)

func TestCSRF(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	tests := []struct {
		name string
		send func() int
		want int
	}{
		{"form without token", func() int {
			return ali.do("POST", "/batches/1/undo", strings.NewReader(""), "application/x-www-form-urlencoded").Code
		}, 403},
		{"form with a wrong token", func() int { return ali.post("/batches/1/undo", url.Values{"csrf": {"forged"}}).Code }, 403},
		{"form with the token but from another origin", func() int {
			ali.header.Set("Origin", "https://evil.example")
			defer ali.header.Del("Origin")
			return ali.post("/batches/1/undo", nil).Code
		}, 403},
		{"referer from another site", func() int {
			ali.header.Set("Referer", "https://evil.example/page")
			defer ali.header.Del("Referer")
			return ali.post("/batches/1/undo", nil).Code
		}, 403},
		{"a browser that says the request is cross-site", func() int {
			ali.header.Set("Sec-Fetch-Site", "cross-site")
			defer ali.header.Del("Sec-Fetch-Site")
			return ali.post("/batches/1/undo", nil).Code
		}, 403},
		{"a browser that says the request is same-site but another origin", func() int {
			ali.header.Set("Sec-Fetch-Site", "same-site")
			defer ali.header.Del("Sec-Fetch-Site")
			return ali.post("/batches/1/undo", nil).Code
		}, 403},
		{"a browser that says the request is same-origin, with the token", func() int {
			ali.header.Set("Sec-Fetch-Site", "same-origin")
			defer ali.header.Del("Sec-Fetch-Site")
			return ali.post("/batches/1/undo", nil).Code
		}, 404},
		{"same origin with the token", func() int {
			ali.header.Set("Origin", "http://example.com")
			defer ali.header.Del("Origin")
			return ali.post("/batches/1/undo", nil).Code
		}, 404},
		{"logout without token", func() int {
			return ali.do("POST", "/logout", strings.NewReader(""), "application/x-www-form-urlencoded").Code
		}, 403},
		{"upload without token in the form", func() int {
			return ali.upload("/upload", nil, "a.xlsx", workbook(t, row{"2025-03", "inbound", "china_post", "parcel", 1, 1})).Code
		}, 403},
		{"multipart form elsewhere than an upload, without token", func() int {
			body, ctype := multipartBody(t, [][2]string{{"x", "y"}}, "", nil)
			return ali.do("POST", "/batches/1/undo", body, ctype).Code
		}, 403},
		{"API by cookie without header", func() int { return ali.do("DELETE", "/api/v1/batches/1", nil, "").Code }, 403},
		{"API by cookie with header", func() int {
			ali.header.Set(csrfHeader, ali.csrf)
			defer ali.header.Del(csrfHeader)
			return ali.do("DELETE", "/api/v1/batches/1", nil, "").Code
		}, 404},
		{"login without the form token", func() int {
			form := url.Values{"name": {"ali"}, "password": {testPassword}}
			return env.anon().do("POST", "/login", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded").Code
		}, 403},
		{"login from another origin", func() int {
			c := env.anon()
			c.header.Set("Origin", "https://evil.example")
			return c.loginAttempt("ali", testPassword).Code
		}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.send(); got != tt.want {
				t.Errorf("status %d, want %d", got, tt.want)
			}
		})
	}
	if env.batchCount() != 0 {
		t.Error("a refused request wrote a batch")
	}
	// The session survived every refused logout.
	if rec := ali.get("/upload"); rec.Code != 200 {
		t.Errorf("after refused logouts: %d", rec.Code)
	}
}

func TestLoginLogoutAndCookies(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	c := env.anon()
	rec := c.get("/upload")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2Fupload" {
		t.Fatalf("anonymous /upload: %d %q", rec.Code, rec.Header().Get("Location"))
	}
	page := c.get("/login?next=%2Fupload")
	m := csrfInput.FindStringSubmatch(page.Body.String())
	form := url.Values{"name": {"ali"}, "password": {testPassword}, "csrf": {m[1]}, "next": {"/upload"}}
	rec = c.do("POST", "/login", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/upload" {
		t.Fatalf("login: %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	ck := c.cookies[sessionCookie]
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain HTTP", ck)
	}
	if _, _, err := env.st.SessionByIDHash(context.Background(), ck.Value); err == nil {
		t.Error("the session id itself is stored; only its hash may be")
	}
	if rec := c.get("/upload"); rec.Code != 200 {
		t.Fatalf("signed in /upload: %d", rec.Code)
	}
	c.csrf = csrfInput.FindStringSubmatch(c.get("/upload").Body.String())[1]
	if rec := c.post("/logout", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("logout: %d", rec.Code)
	}
	if _, _, err := env.st.SessionByIDHash(context.Background(), auth.HashSecret(ck.Value)); err == nil {
		t.Error("session still stored after logout")
	}
	// The old cookie no longer works, even if a client kept it.
	c.cookies[sessionCookie] = ck
	if rec := c.get("/upload"); rec.Code != http.StatusSeeOther {
		t.Errorf("old cookie after logout: %d", rec.Code)
	}

	// Over TLS the cookie is Secure.
	req := httptest.NewRequest("GET", "https://example.com/login", nil)
	w := httptest.NewRecorder()
	env.h.ServeHTTP(w, req)
	for _, ck := range w.Result().Cookies() {
		if !ck.Secure {
			t.Errorf("cookie %s over TLS is not Secure", ck.Name)
		}
	}
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)",
		"/\t/evil.example", "/\x00/evil.example", "/\x7f/evil.example"} {
		if got := safeNext(next); got != "/" {
			t.Errorf("safeNext(%q) = %q, want /", next, got)
		}
	}
	if got := safeNext("/batches?x=1"); got != "/batches?x=1" {
		t.Errorf("safeNext kept %q", got)
	}
}

func TestLoginThrottledOverHTTP(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	c := env.anon()
	var generic string
	for i := 0; i < 5; i++ {
		rec := c.loginAttempt("ali", "wrong password")
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, rec.Code)
		}
		generic = rec.Body.String()
	}
	rec := c.loginAttempt("ali", testPassword)
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("right password during lock-out: %d", rec.Code)
	}
	if !strings.Contains(rec.Body.String(), "too many attempts") || !strings.Contains(generic, "too many attempts") {
		t.Error("lock-out and wrong password do not read the same generic message")
	}
	unknown := env.anon().loginAttempt("nobody", "whatever-123")
	if unknown.Code != http.StatusUnauthorized {
		t.Errorf("unknown user: %d", unknown.Code)
	}
}

func TestDisabledUserLosesSession(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	secret, _, err := env.svc.CreateToken(context.Background(), "ali", "script", auth.Actor{User: "adam"})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.svc.Disable(context.Background(), "ali", auth.Actor{User: "adam"}); err != nil {
		t.Fatal(err)
	}
	if rec := ali.get("/upload"); rec.Code != http.StatusSeeOther {
		t.Errorf("disabled user's session: %d, want 303 to login", rec.Code)
	}
	if rec := env.anon().loginAttempt("ali", testPassword); rec.Code != http.StatusUnauthorized {
		t.Errorf("disabled user's login: %d", rec.Code)
	}
	script := env.anon()
	script.token = secret
	if rec := script.get("/api/v1/totals"); rec.Code != http.StatusUnauthorized {
		t.Errorf("disabled user's token: %d", rec.Code)
	}
}

func TestAPITokens(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ctx := context.Background()
	admin := auth.Actor{User: "adam"}
	aliSecret, aliTok, err := env.svc.CreateToken(ctx, "ali", "nightly", admin)
	if err != nil {
		t.Fatal(err)
	}
	veraSecret, _, err := env.svc.CreateToken(ctx, "vera", "reports", admin)
	if err != nil {
		t.Fatal(err)
	}
	wb := workbook(t, row{"2025-03", "inbound", "china_post", "parcel", 10, 5})
	send := func(secret string) int {
		c := env.anon()
		c.token = secret
		return c.upload("/api/v1/imports?dry_run=1", nil, "a.xlsx", wb).Code
	}
	if got := send(aliSecret); got != 200 {
		t.Fatalf("analyst token: %d", got)
	}
	if got := send(veraSecret); got != 403 {
		t.Errorf("viewer token: %d, want 403", got)
	}
	if got := send("pd_not-a-token"); got != 401 {
		t.Errorf("unknown token: %d, want 401", got)
	}
	if err := env.svc.RevokeToken(ctx, itoa(int(aliTok.ID)), admin); err != nil {
		t.Fatal(err)
	}
	if got := send(aliSecret); got != 401 {
		t.Errorf("revoked token: %d, want 401", got)
	}
	// A token opens the API only, never the pages.
	c := env.anon()
	c.token = veraSecret
	if rec := c.get("/"); rec.Code != http.StatusSeeOther {
		t.Errorf("token on a page: %d, want 303 to login", rec.Code)
	}
}

func TestSecurityHeaders(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	for _, path := range []string{"/login", "/healthz", "/static/app.css", "/nowhere"} {
		h := env.anon().get(path).Header()
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"frame-ancestors 'none'", "default-src 'self'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, h)
		}
	}
}

func TestAuditRecordsWhoWhatWhere(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	env.anon().loginAttempt("ali", "wrong")
	adam := env.login("adam")
	rec := adam.get("/admin/audit")
	if rec.Code != 200 {
		t.Fatalf("audit page: %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{auth.ActLoginFailed, auth.ActLogin, auth.ActUserAdd, "192.0.2.1"} {
		if !strings.Contains(body, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
}

// A signed-in page holds the user's name and CSRF token: no shared cache
// may keep it.
func TestSignedInPagesArePrivate(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	w := env.login("vera").get("/")
	if w.Code != http.StatusOK {
		t.Fatalf("GET / = %d", w.Code)
	}
	if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "private") && !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q lets a shared cache keep a signed-in page", cc)
	}
}

// The store slides a session's expiry while it is used, up to SessionMax:
// the cookie must live that long too, or the browser ends an active
// session after the idle time.
func TestSessionCookieOutlivesTheIdleTime(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ck := env.login("vera").cookies[sessionCookie]
	cfg := env.svc.Config()
	if want := int(cfg.SessionMax.Seconds()); ck.MaxAge != want {
		t.Errorf("session cookie Max-Age %d s, want SessionMax %d s (idle time %v)", ck.MaxAge, want, cfg.SessionIdle)
	}
}
