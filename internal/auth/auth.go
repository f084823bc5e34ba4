// Package auth owns who may do what: roles, password hashing, sessions, API
// tokens, login throttling, first-start administrator and the audit trail of
// account changes. It keeps secrets only as hashes, through the store.
package auth

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"postdash/internal/logctx"
	"postdash/internal/store"
)

// Store is what auth needs from the database.
type Store interface {
	store.Users
	store.Sessions
	store.Tokens
	store.LoginThrottle
	store.AuditLog
}

// SessionToucher is implemented by stores that can slide a session's expiry;
// without it sessions expire at their absolute limit only.
type SessionToucher interface {
	TouchSession(ctx context.Context, idHash string, expiresAt time.Time) error
}

// Errors callers act on. ErrLoginFailed is deliberately the same for an
// unknown user, a wrong password, a disabled account and a lock-out.
var (
	ErrLoginFailed  = errors.New("wrong user name or password, or too many attempts; try again later")
	ErrNoSession    = errors.New("no valid session")
	ErrBadToken     = errors.New("invalid or revoked API token")
	ErrInvalidName  = errors.New("a user name is 1 to 64 letters, digits, '.', '_' or '-'")
	ErrInvalidRole  = errors.New("role must be viewer, analyst or admin")
	ErrWeakPassword = errors.New("a password needs at least 10 characters")
	ErrUserDisabled = errors.New("the user is disabled")
	ErrNotAnID      = errors.New("not an id")
)

// Config tunes sessions, throttling and hashing. Zero fields take defaults.
type Config struct {
	SessionIdle   time.Duration // default 12 h (needs a SessionToucher store to slide)
	SessionMax    time.Duration // default 7 days
	MaxFailures   int           // failed logins per window before a lock-out (default 5)
	FailureWindow time.Duration // default 15 min; a lock-out lasts as long
	Hash          HashParams    // default DefaultHashParams
	Now           func() time.Time
}

func (c Config) withDefaults() Config {
	if c.SessionIdle <= 0 {
		c.SessionIdle = 12 * time.Hour
	}
	if c.SessionMax <= 0 {
		c.SessionMax = 7 * 24 * time.Hour
	}
	if c.SessionIdle > c.SessionMax {
		c.SessionIdle = c.SessionMax
	}
	if c.MaxFailures <= 0 {
		c.MaxFailures = 5
	}
	if c.FailureWindow <= 0 {
		c.FailureWindow = 15 * time.Minute
	}
	if c.Hash == (HashParams{}) {
		c.Hash = DefaultHashParams
	}
	if c.Now == nil {
		c.Now = func() time.Time { return time.Now().UTC() }
	}
	return c
}

// Service signs users in and manages accounts and tokens.
type Service struct {
	st        Store
	cfg       Config
	log       *slog.Logger
	dummyOnce sync.Once
	dummy     string // a hash to compare against when the user is unknown
	// hashing bounds the password hashes computed at once: each takes
	// Hash.Memory KiB, and logins are open to anyone.
	hashing chan struct{}
}

// New returns a Service over st.
func New(st Store, cfg Config, log *slog.Logger) (*Service, error) {
	return &Service{st: st, cfg: cfg.withDefaults(), log: logctx.Logger(log), hashing: make(chan struct{}, max(1, runtime.NumCPU()))}, nil
}

// withHashSlot runs fn once fewer than NumCPU password hashes are running.
func (s *Service) withHashSlot(ctx context.Context, fn func()) error {
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.hashing }()
	fn()
	return nil
}

// dummyHash is a hash of the configured cost, so that a login for an unknown
// user takes as long as one with a wrong password.
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() {
		s.dummy, _ = HashPassword("not a real password", s.cfg.Hash)
	})
	return s.dummy
}

// Config returns the effective configuration.
func (s *Service) Config() Config { return s.cfg }
