package auth

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"postdash/internal/store"
)

// testHash keeps tests fast; production uses DefaultHashParams.
var testHash = HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// clock is a settable time for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func newService(t *testing.T) (*Service, store.Store, *clock) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "auth.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &clock{t: time.Now().UTC()}
	svc, err := New(st, Config{Hash: testHash, Now: c.now}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return svc, st, c
}

func mustUser(t *testing.T, svc *Service, name, role, pw string) store.User {
	t.Helper()
	u, _, err := svc.CreateUser(context.Background(), name, role, pw, Actor{User: "test", Remote: "test"})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return u
}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery", testHash)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not PHC argon2id", h)
	}
	h2, _ := HashPassword("correct horse battery", testHash)
	if h == h2 {
		t.Error("two hashes of one password are equal: salt missing")
	}
	tests := []struct {
		name, encoded, pw string
		ok                bool
		err               bool
	}{
		{"right", h, "correct horse battery", true, false},
		{"wrong", h, "correct horse batterY", false, false},
		{"empty", h, "", false, false},
		{"truncated", h[:len(h)-10], "correct horse battery", false, true},
		{"other salt", h[:strings.LastIndex(h, "$")] + h2[strings.LastIndex(h2, "$"):], "correct horse battery", false, false},
		{"not argon2id", strings.Replace(h, "argon2id", "argon2i", 1), "correct horse battery", false, true},
		{"huge memory", strings.Replace(h, "m=1024", "m=99999999", 1), "correct horse battery", false, true},
		{"garbage", "plaintext", "plaintext", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := CheckPassword(tt.encoded, tt.pw)
			if ok != tt.ok || (err != nil) != tt.err {
				t.Errorf("CheckPassword = %v, %v; want %v, err %v", ok, err, tt.ok, tt.err)
			}
		})
	}
}

func TestAllows(t *testing.T) {
	tests := []struct {
		have, need string
		want       bool
	}{
		{Viewer, Viewer, true}, {Viewer, Analyst, false}, {Viewer, Admin, false},
		{Analyst, Viewer, true}, {Analyst, Analyst, true}, {Analyst, Admin, false},
		{Admin, Viewer, true}, {Admin, Analyst, true}, {Admin, Admin, true},
		{"", Viewer, false}, {"root", Viewer, false},
	}
	for _, tt := range tests {
		if got := Allows(tt.have, tt.need); got != tt.want {
			t.Errorf("Allows(%q, %q) = %v, want %v", tt.have, tt.need, got, tt.want)
		}
	}
}

func TestLoginAndSession(t *testing.T) {
	ctx := context.Background()
	svc, st, c := newService(t)
	mustUser(t, svc, "aziz", Analyst, "s3cret-enough")

	id, sess, u, err := svc.Login(ctx, "aziz", "s3cret-enough", "10.0.0.1")
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	if u.Role != Analyst || sess.CSRFToken == "" || sess.IDHash != HashSecret(id) {
		t.Fatalf("session %+v user %+v", sess, u)
	}
	got, gu, err := svc.Session(ctx, id)
	if err != nil || gu.Name != "aziz" || !CheckCSRF(got, sess.CSRFToken) || CheckCSRF(got, "") || CheckCSRF(got, "x") {
		t.Fatalf("session lookup: %+v %+v %v", got, gu, err)
	}
	if _, _, err := svc.Session(ctx, id+"x"); !errors.Is(err, ErrNoSession) {
		t.Errorf("forged session id: %v, want ErrNoSession", err)
	}
	// Expiry: each use slides the session by the idle time, ...
	idle, maxAge := svc.Config().SessionIdle, svc.Config().SessionMax
	c.add(idle - time.Minute)
	if _, _, err := svc.Session(ctx, id); err != nil {
		t.Errorf("session before its expiry: %v", err)
	}
	c.add(2 * time.Minute)
	if _, _, err := svc.Session(ctx, id); err != nil {
		t.Errorf("session used within the idle time after its last use: %v", err)
	}
	// ... but not past the absolute limit, however often it is used ...
	used := idle + time.Minute
	for used+idle/2 < maxAge {
		c.add(idle / 2)
		used += idle / 2
		if _, _, err := svc.Session(ctx, id); err != nil {
			t.Fatalf("session in use %v after login: %v", used, err)
		}
	}
	c.add(maxAge - used + time.Minute)
	if _, _, err := svc.Session(ctx, id); !errors.Is(err, ErrNoSession) {
		t.Errorf("session past its absolute limit: %v, want ErrNoSession", err)
	}
	// ... and one left unused for the idle time is gone.
	idle1, _, _, err := svc.Login(ctx, "aziz", "s3cret-enough", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	c.add(idle + time.Minute)
	if _, _, err := svc.Session(ctx, idle1); !errors.Is(err, ErrNoSession) {
		t.Errorf("idle session: %v, want ErrNoSession", err)
	}
	// Logout ends a fresh session.
	id2, _, _, err := svc.Login(ctx, "aziz", "s3cret-enough", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Logout(ctx, id2, Actor{User: "aziz"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Session(ctx, id2); !errors.Is(err, ErrNoSession) {
		t.Errorf("after logout: %v, want ErrNoSession", err)
	}
	evs, err := st.Audit(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{}
	for _, e := range evs {
		actions[e.Action] = true
		if e.Action == ActLogin && e.Remote != "10.0.0.1" {
			t.Errorf("login audited from %q", e.Remote)
		}
	}
	for _, a := range []string{ActUserAdd, ActLogin, ActLogout} {
		if !actions[a] {
			t.Errorf("no %q in audit %v", a, evs)
		}
	}
}

func TestLoginThrottle(t *testing.T) {
	ctx := context.Background()
	svc, _, c := newService(t)
	mustUser(t, svc, "aziz", Analyst, "s3cret-enough")
	mustUser(t, svc, "malika", Viewer, "another-secret")
	max := svc.Config().MaxFailures

	for i := 0; i < max; i++ {
		if _, _, _, err := svc.Login(ctx, "aziz", "wrong", "10.0.0.1"); !errors.Is(err, ErrLoginFailed) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	// Locked: even the right password fails, with the same message.
	if _, _, _, err := svc.Login(ctx, "aziz", "s3cret-enough", "10.0.0.2"); !errors.Is(err, ErrLoginFailed) {
		t.Fatalf("locked account let in: %v", err)
	}
	// The address is locked for other accounts too.
	if _, _, _, err := svc.Login(ctx, "malika", "another-secret", "10.0.0.1"); !errors.Is(err, ErrLoginFailed) {
		t.Fatalf("locked address let in: %v", err)
	}
	// Another account from another address is not affected.
	if _, _, _, err := svc.Login(ctx, "malika", "another-secret", "10.0.0.3"); err != nil {
		t.Fatalf("unrelated login refused: %v", err)
	}
	// After the window the lock lifts.
	c.add(svc.Config().FailureWindow + time.Second)
	if _, _, _, err := svc.Login(ctx, "aziz", "s3cret-enough", "10.0.0.1"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestLoginRefusals(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newService(t)
	mustUser(t, svc, "aziz", Analyst, "s3cret-enough")
	mustUser(t, svc, "gone", Analyst, "s3cret-enough")
	goneID, _, _, err := svc.Login(ctx, "gone", "s3cret-enough", "10.0.0.9")
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Disable(ctx, "gone", Actor{User: "admin"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Session(ctx, goneID); !errors.Is(err, ErrNoSession) {
		t.Errorf("disabled user's session still valid: %v", err)
	}
	tests := []struct{ name, user, pw string }{
		{"unknown user", "nobody", "s3cret-enough"},
		{"wrong password", "aziz", "s3cret-enougH"},
		{"empty password", "aziz", ""},
		{"disabled user", "gone", "s3cret-enough"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, _, err := svc.Login(ctx, tt.user, tt.pw, "10.1.0."+string(rune('1'+i)))
			if !errors.Is(err, ErrLoginFailed) || err.Error() != ErrLoginFailed.Error() {
				t.Errorf("err = %v, want the generic ErrLoginFailed", err)
			}
		})
	}
}

func TestTokens(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newService(t)
	mustUser(t, svc, "script", Analyst, "s3cret-enough")
	secret, tok, err := svc.CreateToken(ctx, "script", "nightly", Actor{User: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, TokenPrefix) || tok.Hash == secret || tok.Hash != HashSecret(secret) {
		t.Fatalf("token %q stored as %q", secret, tok.Hash)
	}
	_, u, err := svc.TokenUser(ctx, secret)
	if err != nil || u.Name != "script" {
		t.Fatalf("use token: %v %+v", err, u)
	}
	for _, bad := range []string{"", "pd_", secret + "x", strings.TrimPrefix(secret, TokenPrefix)} {
		if _, _, err := svc.TokenUser(ctx, bad); !errors.Is(err, ErrBadToken) {
			t.Errorf("TokenUser(%q) = %v, want ErrBadToken", bad, err)
		}
	}
	if err := svc.RevokeToken(ctx, "abc", Actor{}); err == nil {
		t.Error("revoke of a non-numeric id succeeded")
	}
	if err := svc.RevokeToken(ctx, "9999", Actor{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("revoke unknown: %v", err)
	}
	if err := svc.RevokeToken(ctx, "1", Actor{User: "admin"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.TokenUser(ctx, secret); !errors.Is(err, ErrBadToken) {
		t.Errorf("revoked token still works: %v", err)
	}
	// A disabled user's tokens stop working.
	secret2, _, err := svc.CreateToken(ctx, "script", "other", Actor{User: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Disable(ctx, "script", Actor{User: "admin"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.TokenUser(ctx, secret2); !errors.Is(err, ErrBadToken) {
		t.Errorf("disabled user's token works: %v", err)
	}
}

func TestCreateUserValidation(t *testing.T) {
	ctx := context.Background()
	svc, _, _ := newService(t)
	tests := []struct {
		name, user, role, pw string
		want                 error
	}{
		{"bad role", "a", "root", "long-enough-pw", ErrInvalidRole},
		{"path name", "../x", Viewer, "long-enough-pw", ErrInvalidName},
		{"empty name", "", Viewer, "long-enough-pw", ErrInvalidName},
		{"short password", "b", Viewer, "short", ErrWeakPassword},
		{"ok", "c", Viewer, "long-enough-pw", nil},
		{"taken", "c", Viewer, "long-enough-pw", store.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := svc.CreateUser(ctx, tt.user, tt.role, tt.pw, Actor{})
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
	_, gen, err := svc.CreateUser(ctx, "d", Viewer, "", Actor{})
	if err != nil || len(gen) < MinPasswordLen {
		t.Fatalf("generated password %q, %v", gen, err)
	}
	if _, _, _, err := svc.Login(ctx, "d", gen, "x"); err != nil {
		t.Errorf("login with generated password: %v", err)
	}
}

func TestEnsureAdmin(t *testing.T) {
	ctx := context.Background()
	svc, st, _ := newService(t)
	created, generated, err := svc.EnsureAdmin(ctx, "from-the-environment")
	if err != nil || !created || generated != "" {
		t.Fatalf("EnsureAdmin = %v, %q, %v; want created with the given password", created, generated, err)
	}
	u, err := st.UserByName(ctx, "admin")
	if err != nil || u.Role != Admin {
		t.Fatalf("admin: %+v %v", u, err)
	}
	if _, _, _, err := svc.Login(ctx, "admin", "from-the-environment", "x"); err != nil {
		t.Errorf("login with POSTDASH_ADMIN_PASSWORD: %v", err)
	}
	if created, generated, err := svc.EnsureAdmin(ctx, ""); err != nil || created || generated != "" {
		t.Errorf("second EnsureAdmin = %v, %q, %v; want nothing done", created, generated, err)
	}
}

// BenchmarkHashPassword measures one login's cost with the production parameters.
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("correct horse battery", DefaultHashParams); err != nil {
			b.Fatal(err)
		}
	}
}
