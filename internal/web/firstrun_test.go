package web

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"postdash/internal/auth"
	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

// TestLoginPageOnFirstStart: until somebody signs in, the login page of a
// server whose admin postdash created says, in every language, where the
// password was printed; after the first sign-in it does not.
func TestLoginPageOnFirstStart(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "first.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{DefaultLang: i18n.UzLatn}, st, importer.New(st, sheet.Limits{}, nil), cat)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := auth.New(st, auth.Config{Hash: auth.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if created, _, err := svc.EnsureAdmin(ctx, testPassword); err != nil || !created {
		t.Fatalf("EnsureAdmin = %v, %v", created, err)
	}
	e := &authEnv{t: t, st: st, h: s.Handler(), srv: s, svc: svc}

	// Hand-written: the words each language must show.
	want := map[string][]string{
		"en":      {"First start", "admin", "terminal that started the server", "“postdash is ready”", "POSTDASH_ADMIN_PASSWORD"},
		"ru":      {"Первый запуск", "admin", "в терминале, где был запущен сервер", "«postdash is ready»", "POSTDASH_ADMIN_PASSWORD"},
		"uz-Latn": {"Birinchi ishga tushirish", "admin", "serverni ishga tushirgan terminalda", "«postdash is ready»", "POSTDASH_ADMIN_PASSWORD"},
		"uz-Cyrl": {"Биринчи ишга тушириш", "admin", "серверни ишга туширган терминалда", "«postdash is ready»", "POSTDASH_ADMIN_PASSWORD"},
	}
	for lang, words := range want {
		page := e.anon().do(http.MethodGet, "/login?lang="+lang, nil, "")
		body := page.Body.String()
		if page.Code != http.StatusOK || !strings.Contains(body, `id="login-first-start"`) {
			t.Errorf("%s: login page (status %d) has no first-start note", lang, page.Code)
			continue
		}
		for _, w := range words {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the first-start note lacks %q", lang, w)
			}
		}
	}
	// A failed attempt is no sign-in; a good one ends the first start.
	if rec := e.anon().loginAttempt("admin", "not the password"); rec.Code != http.StatusUnauthorized ||
		!strings.Contains(rec.Body.String(), `id="login-first-start"`) {
		t.Errorf("after a failed sign-in: status %d, first-start note shown %v; want 401 and the note", rec.Code, strings.Contains(rec.Body.String(), `id="login-first-start"`))
	}
	e.login("admin")
	if body := e.anon().do(http.MethodGet, "/login?lang=en", nil, "").Body.String(); strings.Contains(body, "login-first-start") {
		t.Error("the first-start note is still shown after admin signed in")
	}
}

// TestLoginPageWithoutFirstStart: users made by hand are no first start.
func TestLoginPageWithoutFirstStart(t *testing.T) {
	e := newAuthEnv(t, false, sheet.Limits{})
	if body := e.anon().do(http.MethodGet, "/login", nil, "").Body.String(); strings.Contains(body, "login-first-start") {
		t.Error("the first-start note is shown although postdash created no admin")
	}
}
