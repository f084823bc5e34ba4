package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"postdash/internal/store"
)

func createUser(tb testing.TB, s store.Store, name, role string) int64 {
	tb.Helper()
	id, err := s.CreateUser(context.Background(), store.User{Name: name, Role: role, PasswordHash: "hash-" + name})
	if err != nil {
		tb.Fatalf("create user %s: %v", name, err)
	}
	return id
}

func TestUsers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		if n, err := s.CountUsers(ctx); err != nil || n != 0 {
			t.Fatalf("CountUsers = %d, %v; want 0", n, err)
		}
		zed := createUser(t, s, "zed", store.RoleViewer)
		amy := createUser(t, s, "amy", store.RoleAdmin)
		createUser(t, s, "Bob", store.RoleViewer)
		if _, err := s.CreateUser(ctx, store.User{Name: "amy", Role: store.RoleViewer, PasswordHash: "x"}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("second amy: %v, want ErrConflict", err)
		}
		if _, err := s.CreateUser(ctx, store.User{Name: "bob", Role: "root", PasswordHash: "x"}); err == nil {
			t.Errorf("role root accepted")
		}
		u, err := s.UserByName(ctx, "amy")
		if err != nil || u.ID != amy || u.Role != store.RoleAdmin || u.PasswordHash != "hash-amy" || u.Disabled || u.CreatedAt.IsZero() {
			t.Errorf("UserByName(amy) = %+v, %v", u, err)
		}
		if err := s.SetPassword(ctx, zed, "new"); err != nil {
			t.Fatal(err)
		}
		if err := s.SetDisabled(ctx, zed, true); err != nil {
			t.Fatal(err)
		}
		u, err = s.UserByID(ctx, zed)
		if err != nil || u.PasswordHash != "new" || !u.Disabled {
			t.Errorf("UserByID(zed) = %+v, %v; want new hash, disabled", u, err)
		}
		users, err := s.Users(ctx)
		// Byte order on both backends, whatever the database's collation.
		if err != nil || len(users) != 3 || users[0].Name != "Bob" || users[1].Name != "amy" || users[2].Name != "zed" {
			t.Errorf("Users = %+v, %v; want Bob, amy, zed", users, err)
		}
		if n, _ := s.CountUsers(ctx); n != 3 {
			t.Errorf("CountUsers = %d, want 3", n)
		}
		for name, err := range map[string]error{
			"UserByName":  func() error { _, err := s.UserByName(ctx, "nobody"); return err }(),
			"UserByID":    func() error { _, err := s.UserByID(ctx, 999); return err }(),
			"SetPassword": s.SetPassword(ctx, 999, "x"),
			"SetDisabled": s.SetDisabled(ctx, 999, true),
		} {
			if !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s of a missing user: %v, want ErrNotFound", name, err)
			}
		}
	})
}

func TestSessions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		now := time.Now().UTC()
		amy := createUser(t, s, "amy", store.RoleAnalyst)
		bob := createUser(t, s, "bob", store.RoleViewer)
		sessions := []store.Session{
			{IDHash: "live", UserID: amy, CSRFToken: "csrf1", ExpiresAt: now.Add(time.Hour)},
			{IDHash: "expired", UserID: amy, CSRFToken: "csrf2", ExpiresAt: now.Add(-time.Minute)},
			{IDHash: "bobs", UserID: bob, CSRFToken: "csrf3", ExpiresAt: now.Add(time.Hour)},
		}
		for _, se := range sessions {
			if err := s.CreateSession(ctx, se); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CreateSession(ctx, sessions[0]); !errors.Is(err, store.ErrConflict) {
			t.Errorf("same session twice: %v, want ErrConflict", err)
		}
		se, u, err := s.SessionByIDHash(ctx, "live")
		if err != nil || se.UserID != amy || se.CSRFToken != "csrf1" || u.Name != "amy" || u.Role != store.RoleAnalyst ||
			!se.ExpiresAt.Equal(now.Truncate(time.Microsecond).Add(time.Hour)) {
			t.Errorf("SessionByIDHash(live) = %+v, %+v, %v", se, u, err)
		}
		if _, _, err := s.SessionByIDHash(ctx, "expired"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired session: %v, want ErrNotFound", err)
		}
		toucher, ok := s.(interface {
			TouchSession(context.Context, string, time.Time) error
		})
		if !ok {
			t.Fatal("store cannot slide session expiry (TouchSession)")
		}
		if err := toucher.TouchSession(ctx, "expired", now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if se, _, err := s.SessionByIDHash(ctx, "expired"); err != nil || !se.ExpiresAt.Equal(now.Truncate(time.Microsecond).Add(2*time.Hour)) {
			t.Errorf("touched session = %+v, %v; want it live until now+2h", se, err)
		}
		if err := toucher.TouchSession(ctx, "expired", now.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := s.SetPassword(ctx, amy, "new-hash"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionByIDHash(ctx, "live"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session after a password change: %v, want ErrNotFound (deleted)", err)
		}
		for _, se := range sessions[:2] { // amy's, back for what follows
			if err := s.CreateSession(ctx, se); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SetDisabled(ctx, bob, true); err != nil {
			t.Fatal(err)
		}
		if err := s.SetDisabled(ctx, bob, false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionByIDHash(ctx, "bobs"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session of a user disabled once: %v, want ErrNotFound (deleted)", err)
		}
		if n, err := s.DeleteExpiredSessions(ctx, now); err != nil || n != 1 {
			t.Errorf("DeleteExpiredSessions = %d, %v; want 1", n, err)
		}
		if err := s.DeleteSession(ctx, "live"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionByIDHash(ctx, "live"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleted session: %v, want ErrNotFound", err)
		}
	})
}

func TestTokens(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		amy := createUser(t, s, "amy", store.RoleAnalyst)
		bob := createUser(t, s, "bob", store.RoleViewer)
		ci, err := s.CreateToken(ctx, store.Token{UserID: amy, Name: "ci", Hash: "h1"})
		if err != nil {
			t.Fatal(err)
		}
		bobs, err := s.CreateToken(ctx, store.Token{UserID: bob, Name: "script", Hash: "h2"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateToken(ctx, store.Token{UserID: bob, Name: "again", Hash: "h2"}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("same hash twice: %v, want ErrConflict", err)
		}
		tok, u, err := s.TokenByHash(ctx, "h1")
		if err != nil || tok.ID != ci || tok.Name != "ci" || u.Name != "amy" || tok.UserName != "amy" {
			t.Errorf("TokenByHash(h1) = %+v, %+v, %v", tok, u, err)
		}
		if err := s.SetDisabled(ctx, bob, true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.TokenByHash(ctx, "h2"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("token of a disabled user: %v, want ErrNotFound", err)
		}
		if err := s.RevokeToken(ctx, ci); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeToken(ctx, ci); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoke twice: %v, want ErrNotFound", err)
		}
		if _, _, err := s.TokenByHash(ctx, "h1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("revoked token: %v, want ErrNotFound", err)
		}
		all, err := s.Tokens(ctx)
		if err != nil || len(all) != 2 || all[0].ID != bobs || all[0].UserName != "bob" || all[0].RevokedAt != nil || all[1].RevokedAt == nil {
			t.Errorf("Tokens = %+v, %v; want bob's active then amy's revoked", all, err)
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		now := time.Now().UTC()
		for _, ago := range []time.Duration{48 * time.Hour, 10 * time.Minute, 2 * time.Minute, time.Minute} {
			if err := s.RecordLoginFailure(ctx, "amy", now.Add(-ago)); err != nil {
				t.Fatal(err)
			}
		}
		s.RecordLoginFailure(ctx, "10.0.0.1", now)
		tests := []struct {
			key   string
			since time.Duration
			want  int
		}{
			{"amy", 5 * time.Minute, 2},
			{"amy", time.Hour, 3},
			{"amy", 72 * time.Hour, 3}, // a failure two days old is forgotten
			{"10.0.0.1", time.Hour, 1},
			{"bob", time.Hour, 0},
		}
		for _, tt := range tests {
			if n, err := s.LoginFailures(ctx, tt.key, now.Add(-tt.since)); err != nil || n != tt.want {
				t.Errorf("LoginFailures(%s, -%v) = %d, %v; want %d", tt.key, tt.since, n, err, tt.want)
			}
		}
		if err := s.ClearLoginFailures(ctx, "amy"); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.LoginFailures(ctx, "amy", now.Add(-time.Hour)); n != 0 {
			t.Errorf("after clear: %d failures, want 0", n)
		}
		if n, _ := s.LoginFailures(ctx, "10.0.0.1", now.Add(-time.Hour)); n != 1 {
			t.Errorf("clearing amy cleared another key")
		}
	})
}

func TestAudit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		for i, action := range []string{"login", "import", "undo"} {
			e := store.AuditEvent{At: base.Add(time.Duration(i) * time.Minute), User: "amy", Action: action, Detail: "d" + action, Remote: "10.0.0.1"}
			if err := s.AddAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Audit(ctx, 2)
		if err != nil || len(got) != 2 || got[0].Action != "undo" || got[1].Action != "import" {
			t.Fatalf("Audit(2) = %+v, %v; want undo, import", got, err)
		}
		if e := got[0]; !e.At.Equal(base.Add(2*time.Minute)) || e.User != "amy" || e.Detail != "dundo" || e.Remote != "10.0.0.1" || e.ID == 0 {
			t.Errorf("event = %+v", e)
		}
	})
}

func TestJobs(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		j := store.Job{ID: "job-1", User: "amy", FileName: "h1.xlsx", SHA256: "abc", Params: json.RawMessage(`{"direction":"inbound"}`), State: "reading"}
		if err := s.CreateJob(ctx, j); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateJob(ctx, j); !errors.Is(err, store.ErrConflict) {
			t.Errorf("same job twice: %v, want ErrConflict", err)
		}
		if err := s.UpdateJobProgress(ctx, "job-1", 120, 4096, 8192); err != nil {
			t.Fatal(err)
		}
		got, err := s.Job(ctx, "job-1")
		if err != nil || got.Rows != 120 || got.BytesRead != 4096 || got.TotalBytes != 8192 || got.State != "reading" ||
			string(got.Params) != `{"direction":"inbound"}` || got.Result != nil || got.CreatedAt.IsZero() {
			t.Errorf("Job after progress = %+v, %v", got, err)
		}
		if err := s.SetJobState(ctx, "job-1", "preview", nil); err != nil {
			t.Fatal(err)
		}
		if err := s.SetJobState(ctx, "job-1", "done", []byte(`{"batch":3}`)); err != nil {
			t.Fatal(err)
		}
		got, err = s.Job(ctx, "job-1")
		if err != nil || got.State != "done" || string(got.Result) != `{"batch":3}` {
			t.Errorf("Job after done = %+v, %v", got, err)
		}
		if _, err := s.Job(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing job: %v, want ErrNotFound", err)
		}
		if err := s.UpdateJobProgress(ctx, "nope", 1, 1, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("progress of a missing job: %v, want ErrNotFound", err)
		}
		if err := s.SetJobState(ctx, "nope", "done", nil); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("state of a missing job: %v, want ErrNotFound", err)
		}
	})
}

func TestFiles(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		content := bytes.Repeat([]byte("PK\x03\x04 binary \x00\xff"), 1000)
		sum := sha256.Sum256(content)
		sha := hex.EncodeToString(sum[:])
		for range 2 { // storing twice is harmless
			if err := s.PutFile(ctx, sha, "h1.xlsx", bytes.NewReader(content)); err != nil {
				t.Fatal(err)
			}
		}
		rc, name, size, err := s.OpenFile(ctx, sha)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		got, _ := io.ReadAll(rc)
		if name != "h1.xlsx" || size != int64(len(content)) || !bytes.Equal(got, content) {
			t.Errorf("OpenFile = %q, %d, %d bytes (equal %t)", name, size, len(got), bytes.Equal(got, content))
		}
		if err := s.PutFile(ctx, strings.Repeat("0", 64), "x", bytes.NewReader(content)); err == nil {
			t.Errorf("PutFile accepted a wrong SHA-256")
		}
		if _, _, _, err := s.OpenFile(ctx, strings.Repeat("0", 64)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("missing file: %v, want ErrNotFound", err)
		}
	})
}
