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
	locked, err := s.lockedOut(ctx, now, userKey, addrKey)
	if err != nil {
		return "", store.Session{}, store.User{}, err
	}
	if locked {
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
	if reason != "" {
		for _, k := range []string{userKey, addrKey} {
			if err := s.st.RecordLoginFailure(ctx, k, now); err != nil {
				return "", store.Session{}, store.User{}, fmt.Errorf("record login failure: %w", err)
			}
		}
		s.Record(ctx, who, ActLoginFailed, reason)
		return "", store.Session{}, store.User{}, ErrLoginFailed
	}
	if err := s.st.ClearLoginFailures(ctx, userKey); err != nil {
		return "", store.Session{}, store.User{}, fmt.Errorf("clear login failures: %w", err)
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

// lockedOut reports whether any key had too many failures in the window.
func (s *Service) lockedOut(ctx context.Context, now time.Time, keys ...string) (bool, error) {
	for _, k := range keys {
		n, err := s.st.LoginFailures(ctx, k, now.Add(-s.cfg.FailureWindow))
		if err != nil {
			return false, fmt.Errorf("count login failures: %w", err)
		}
		if n >= s.cfg.MaxFailures {
			return true, nil
		}
	}
	return false, nil
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
