package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"postdash/internal/auth"
	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

// testPassword is every test user's password.
const testPassword = "password-123"

// authEnv is a server over a real SQLite store with one user per role
// (vera the viewer, ali and anvar the analysts, adam the admin).
type authEnv struct {
	t   testing.TB
	st  store.Store
	h   http.Handler
	srv *Server
	svc *auth.Service
}

func newAuthEnv(t testing.TB, public bool, limits sheet.Limits) *authEnv {
	t.Helper()
	return newAuthEnvLog(t, public, limits, nil)
}

// newAuthEnvLog is newAuthEnv whose server, importer and accounts write to log.
func newAuthEnvLog(t testing.TB, public bool, limits sheet.Limits, log *slog.Logger) *authEnv {
	t.Helper()
	return newAuthEnvConfig(t, Config{DefaultLang: i18n.EN, Public: public, Logger: log}, limits)
}

// newAuthEnvConfig is newAuthEnv whose server has cfg.
func newAuthEnvConfig(t testing.TB, cfg Config, limits sheet.Limits) *authEnv {
	t.Helper()
	log := cfg.Logger
	t.Setenv("TMPDIR", t.TempDir()) // so the test sees every upload temp file
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, st, importer.New(st, limits, log), cat)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := auth.New(st, auth.Config{Hash: auth.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}, log)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct{ name, role string }{{"vera", auth.Viewer}, {"ali", auth.Analyst}, {"anvar", auth.Analyst}, {"adam", auth.Admin}} {
		if _, _, err := svc.CreateUser(ctx, u.name, u.role, testPassword, auth.Actor{User: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	return &authEnv{t: t, st: st, h: s.Handler(), srv: s, svc: svc}
}

// client is a browser or script talking to the server: it keeps cookies,
// the session's CSRF token and optionally an API token.
type client struct {
	env     *authEnv
	cookies map[string]*http.Cookie
	csrf    string
	token   string
	header  http.Header // sent with every request
}

func (e *authEnv) anon() *client {
	return &client{env: e, cookies: map[string]*http.Cookie{}, header: http.Header{}}
}

// tokenClient is a script signed in with an API token of user's, made by
// the administrator adam.
func (e *authEnv) tokenClient(user string) *client {
	e.t.Helper()
	secret, _, err := e.svc.CreateToken(context.Background(), user, "nightly", auth.Actor{User: "adam"})
	if err != nil {
		e.t.Fatal(err)
	}
	c := e.anon()
	c.token = secret
	return c
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// login signs in through the login form and returns the signed-in client.
func (e *authEnv) login(name string) *client {
	e.t.Helper()
	c := e.anon()
	if rec := c.loginAttempt(name, testPassword); rec.Code != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d: %s", name, rec.Code, rec.Body)
	}
	sess, _, err := e.st.SessionByIDHash(context.Background(), auth.HashSecret(c.cookies[sessionCookie].Value))
	if err != nil {
		e.t.Fatalf("session of %s: %v", name, err)
	}
	c.csrf = sess.CSRFToken
	return c
}

// loginAttempt fetches the login form and posts it.
func (c *client) loginAttempt(name, password string) *httptest.ResponseRecorder {
	c.env.t.Helper()
	page := c.do(http.MethodGet, "/login", nil, "")
	m := csrfInput.FindStringSubmatch(page.Body.String())
	if m == nil {
		c.env.t.Fatalf("no csrf field on the login page: %s", page.Body)
	}
	form := url.Values{"name": {name}, "password": {password}, "csrf": {m[1]}}
	return c.do(http.MethodPost, "/login", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

func (c *client) do(method, target string, body io.Reader, ctype string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	return c.send(req)
}

// send sends a request with the client's cookies and keeps the new ones.
func (c *client) send(req *http.Request) *httptest.ResponseRecorder {
	for k, v := range c.header {
		req.Header[k] = v
	}
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	rec := httptest.NewRecorder()
	c.env.h.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	return rec
}

func (c *client) get(target string) *httptest.ResponseRecorder {
	return c.do(http.MethodGet, target, nil, "")
}

// post sends a form with the session's CSRF token.
func (c *client) post(target string, form url.Values) *httptest.ResponseRecorder {
	if form == nil {
		form = url.Values{}
	}
	if c.csrf != "" && form.Get("csrf") == "" {
		form.Set("csrf", c.csrf)
	}
	return c.do(http.MethodPost, target, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// upload posts a multipart form: fields in order, then the file.
func (c *client) upload(target string, fields [][2]string, fileName string, content []byte) *httptest.ResponseRecorder {
	body, ctype := multipartBody(c.env.t, fields, fileName, content)
	return c.do(http.MethodPost, target, body, ctype)
}

func multipartBody(t testing.TB, fields [][2]string, fileName string, content []byte) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	if content != nil {
		h := textproto.MIMEHeader{}
		// Written by hand: CreateFormFile would escape nothing but quotes,
		// and the test wants the hostile name to arrive as sent.
		h.Set("Content-Disposition", `form-data; name="file"; filename="`+fileName+`"`)
		h.Set("Content-Type", "application/octet-stream")
		part, err := w.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(content)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

// row is one line of a test workbook in the long layout.
type row struct {
	month, direction, partner, category string
	items                               int
	kg                                  float64
}

// workbook builds a long-layout .xlsx holding rows.
func workbook(t *testing.T, rows ...row) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	if err := f.SetSheetRow(sh, "A1", &[]any{"period", "direction", "partner", "category", "items", "weight, kg"}); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sh, cell, &[]any{r.month, r.direction, r.partner, r.category, r.items, r.kg}); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// batchCount counts batches, live or undone.
func (e *authEnv) batchCount() int {
	e.t.Helper()
	bs, err := e.st.Batches(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return len(bs)
}

// waitJob polls a job's progress as the page does until it is done.
func (c *client) waitJob(id string) importer.Progress {
	c.env.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		rec := c.get("/upload/" + id + "/progress")
		if rec.Code != http.StatusOK {
			c.env.t.Fatalf("progress of %s: %d %s", id, rec.Code, rec.Body)
		}
		var p importer.Progress
		if err := jsonDecode(rec.Body, &p); err != nil {
			c.env.t.Fatal(err)
		}
		if p.Done {
			return p
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.env.t.Fatalf("job %s not done after 30 s", id)
	return importer.Progress{}
}
