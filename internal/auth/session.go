package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"postdash/internal/store"
)

// Login checks a name and password for a client address and, when they are
// right and neither the account nor the address is locked out, starts a
// session. It returns the session id to put in the cookie (never stored) and
// the session. Every refusal is ErrLoginFailed.
func (s *Service) Login(ctx context.Context, name, password, remote string) (string, store.Session, store.User, error) {
	now := s.cfg.Now()
	name = strings.TrimSpace(name)
	who := Actor{User: name, Remote: remote}
	userKey, addrKey := "user:"+strings.ToLower(name), "addr:"+remote
	// The attempt counts before the password is checked: concurrent wrong
	// passwords cannot all pass a lock-out that is only checked first.
	keys := []string{userKey, addrKey}
	allowed, err := s.st.ReserveLoginAttempt(ctx, keys, now, now.Add(-s.cfg.FailureWindow), s.cfg.MaxFailures)
	if err != nil {
		return "", store.Session{}, store.User{}, err
	}
	if !allowed {
		s.Record(ctx, who, ActLoginFailed, "locked out")
		return "", store.Session{}, store.User{}, ErrLoginFailed
	}
	u, err := s.st.UserByName(ctx, name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", store.Session{}, store.User{}, fmt.Errorf("look up user: %w", err)
	}
	hash, reason := u.PasswordHash, ""
	if err != nil {
		hash, reason = s.dummyHash(), "unknown user" // compare anyway: same time either way
	}
	var ok bool
	var herr error
	if err := s.withHashSlot(ctx, func() { ok, herr = CheckPassword(hash, password) }); err != nil {
		return "", store.Session{}, store.User{}, err
	}
	switch {
	case reason != "":
	case herr != nil:
		reason = "unreadable password hash"
	case !ok:
		reason = "wrong password"
	case u.Disabled:
		reason = "disabled user"
	}
	if reason != "" { // the reserved attempt stays counted as a failure
		s.Record(ctx, who, ActLoginFailed, reason)
		return "", store.Session{}, store.User{}, ErrLoginFailed
	}
	if err := s.st.ClearLoginFailures(ctx, userKey); err != nil {
		return "", store.Session{}, store.User{}, fmt.Errorf("clear login failures: %w", err)
	}
	if err := s.st.ReleaseLoginAttempt(ctx, []string{addrKey}, now); err != nil {
		return "", store.Session{}, store.User{}, fmt.Errorf("release login attempt: %w", err)
	}
	if _, err := s.st.DeleteExpiredSessions(ctx, now); err != nil {
		s.log.WarnContext(ctx, "delete expired sessions", "err", err)
	}
	id, sess, err := s.newSession(ctx, u, now)
	if err != nil {
		return "", store.Session{}, store.User{}, err
	}
	s.Record(ctx, Actor{User: u.Name, Remote: remote}, ActLogin, "")
	return id, sess, u, nil
}

func (s *Service) newSession(ctx context.Context, u store.User, now time.Time) (string, store.Session, error) {
	id, err := randomString(32)
	if err != nil {
		return "", store.Session{}, err
	}
	csrf, err := randomString(32)
	if err != nil {
		return "", store.Session{}, err
	}
	sess := store.Session{IDHash: HashSecret(id), UserID: u.ID, CSRFToken: csrf, CreatedAt: now, ExpiresAt: s.expiry(now, now)}
	if err := s.st.CreateSession(ctx, sess); err != nil {
		return "", store.Session{}, fmt.Errorf("create session: %w", err)
	}
	return id, sess, nil
}

// expiry is when a session created at created and used at used ends: after
// the idle time since its last use, and never past the absolute limit. A
// store that cannot slide expiries ends every session after the idle time.
func (s *Service) expiry(created, used time.Time) time.Time {
	if _, ok := s.st.(SessionToucher); !ok {
		return created.Add(s.cfg.SessionIdle)
	}
	return minTime(used.Add(s.cfg.SessionIdle), created.Add(s.cfg.SessionMax))
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Session returns the session and user behind a cookie's session id, or
// ErrNoSession when it is unknown, expired or its user is disabled. It
// slides the idle expiry when the store allows.
func (s *Service) Session(ctx context.Context, id string) (store.Session, store.User, error) {
	if id == "" {
		return store.Session{}, store.User{}, ErrNoSession
	}
	sess, u, err := s.st.SessionByIDHash(ctx, HashSecret(id))
	if errors.Is(err, store.ErrNotFound) {
		return sess, u, ErrNoSession
	}
	if err != nil {
		return sess, u, fmt.Errorf("read session: %w", err)
	}
	now := s.cfg.Now()
	if !now.Before(sess.ExpiresAt) || u.Disabled {
		return store.Session{}, store.User{}, ErrNoSession
	}
	if t, ok := s.st.(SessionToucher); ok {
		// Touch at most once a minute per session to spare the database.
		next := s.expiry(sess.CreatedAt, now)
		if next.Sub(sess.ExpiresAt) > time.Minute {
			if err := t.TouchSession(ctx, sess.IDHash, next); err == nil {
				sess.ExpiresAt = next
			}
		}
	}
	return sess, u, nil
}

// Logout ends a session; an unknown one is not an error.
func (s *Service) Logout(ctx context.Context, id string, who Actor) error {
	if id == "" {
		return nil
	}
	if err := s.st.DeleteSession(ctx, HashSecret(id)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	s.Record(ctx, who, ActLogout, "")
	return nil
}

// CheckCSRF reports whether token is the session's CSRF token.
func CheckCSRF(sess store.Session, token string) bool {
	return EqualSecret(sess.CSRFToken, token)
}
