package store

import (
	"context"
	"encoding/json"
	"io"
	"time"
)

// Roles a user may have, from least to most rights.
const (
	RoleViewer  = "viewer"
	RoleAnalyst = "analyst"
	RoleAdmin   = "admin"
)

// User is someone who may sign in.
type User struct {
	ID           int64
	Name         string // unique
	Role         string // RoleViewer, RoleAnalyst or RoleAdmin
	PasswordHash string
	Disabled     bool
	CreatedAt    time.Time
}

// Session is a signed-in browser. Only a hash of the session id is stored.
type Session struct {
	IDHash    string
	UserID    int64
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Token is an API token. Only a hash of the secret is stored.
type Token struct {
	ID        int64
	UserID    int64
	UserName  string // filled when read
	Name      string
	Hash      string
	CreatedAt time.Time
	RevokedAt *time.Time // nil while active
}

// AuditEvent is one line of the audit log.
type AuditEvent struct {
	ID     int64 // set when read
	At     time.Time
	User   string
	Action string
	Detail string
	Remote string
}

// Job is an import running (or run) in the background, shared by instances so
// any of them can answer its progress.
type Job struct {
	ID         string
	User       string
	FileName   string
	SHA256     string
	Params     json.RawMessage // what the upload asked for, as the importer encodes it
	State      string          // the importer's state names
	CreatedAt  time.Time
	UpdatedAt  time.Time // set by the store
	Rows       int64
	BytesRead  int64
	TotalBytes int64
	Result     json.RawMessage // set with the final state; nil before
}

// Files keeps uploaded originals by SHA-256, in the database so every
// instance can serve them.
type Files interface {
	// PutFile stores the content of r under sha (hex SHA-256 of the content,
	// checked). Storing the same content again does nothing.
	PutFile(ctx context.Context, sha, name string, r io.Reader) error
	// OpenFile returns a stored file, or ErrNotFound.
	OpenFile(ctx context.Context, sha string) (rc io.ReadCloser, name string, size int64, err error)
	// DropFileUnlessNamed deletes the stored file sha unless a batch or a
	// job other than job, in one of the states live (those that may still
	// need it), names it: an upload cancelled while its original was
	// stored. A cancelled or failed job of the same file does not keep it.
	// Nothing stored is no error.
	DropFileUnlessNamed(ctx context.Context, sha, job string, live ...string) error
}

// Users manages accounts.
type Users interface {
	// CreateUser adds u (ID and CreatedAt are set by the store when zero) and
	// returns its id; ErrConflict when the name is taken.
	CreateUser(ctx context.Context, u User) (int64, error)
	// UserByName returns a user, or ErrNotFound.
	UserByName(ctx context.Context, name string) (User, error)
	// UserByID returns a user, or ErrNotFound.
	UserByID(ctx context.Context, id int64) (User, error)
	// Users lists every user by name.
	Users(ctx context.Context) ([]User, error)
	// SetPassword replaces a user's password hash and deletes their sessions;
	// ErrNotFound when no such user.
	SetPassword(ctx context.Context, id int64, hash string) error
	// SetDisabled disables or enables a user; disabling also deletes the
	// user's sessions. ErrNotFound when no such user.
	SetDisabled(ctx context.Context, id int64, disabled bool) error
	// CountUsers counts users, disabled ones included.
	CountUsers(ctx context.Context) (int, error)
}

// Sessions manages signed-in browsers.
type Sessions interface {
	// CreateSession stores s; ErrConflict when the id hash exists.
	CreateSession(ctx context.Context, s Session) error
	// SessionByIDHash returns an unexpired session of an enabled user, with
	// that user; ErrNotFound otherwise.
	SessionByIDHash(ctx context.Context, idHash string) (Session, User, error)
	// DeleteSession removes a session (signing out); absent is not an error.
	DeleteSession(ctx context.Context, idHash string) error
	// DeleteExpiredSessions removes sessions expired at now and says how many.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
}

// Tokens manages API tokens.
type Tokens interface {
	// CreateToken stores t and returns its id; ErrConflict when the hash exists.
	CreateToken(ctx context.Context, t Token) (int64, error)
	// TokenByHash returns an active token of an enabled user, with that user;
	// ErrNotFound otherwise.
	TokenByHash(ctx context.Context, hash string) (Token, User, error)
	// Tokens lists every token, revoked ones included, newest first.
	Tokens(ctx context.Context) ([]Token, error)
	// RevokeToken revokes a token; ErrNotFound when no active token has the id.
	RevokeToken(ctx context.Context, id int64) error
}

// LoginThrottle counts failed sign-ins per key (a user name, an address),
// shared by every instance.
type LoginThrottle interface {
	// RecordLoginFailure records one failure of key at a time. Failures older
	// than a day before it are forgotten.
	RecordLoginFailure(ctx context.Context, key string, at time.Time) error
	// LoginFailures counts failures of key at or after since.
	LoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	// ClearLoginFailures forgets every failure of key.
	ClearLoginFailures(ctx context.Context, key string) error
	// ReserveLoginAttempt counts an attempt at time at as a failure of
	// every key before the password is checked, unless a key already has
	// max failures at or after since; it reports whether the attempt may go
	// on. Reservations are serialised (across instances too), so N
	// concurrent attempts count N.
	ReserveLoginAttempt(ctx context.Context, keys []string, at, since time.Time, max int) (bool, error)
	// ReleaseLoginAttempt takes back the failures a successful attempt at
	// time at reserved.
	ReleaseLoginAttempt(ctx context.Context, keys []string, at time.Time) error
}

// AuditLog records who did what.
type AuditLog interface {
	// AddAudit appends e (At defaults to now).
	AddAudit(ctx context.Context, e AuditEvent) error
	// Audit returns up to limit events, newest first.
	Audit(ctx context.Context, limit int) ([]AuditEvent, error)
	// HasAudit reports whether any event of action (by user, unless user is
	// empty) was ever recorded.
	HasAudit(ctx context.Context, action, user string) (bool, error)
}

// Jobs shares background imports between instances.
type Jobs interface {
	// CreateJob stores j; ErrConflict when the id exists.
	CreateJob(ctx context.Context, j Job) error
	// UpdateJobProgress records how far a job has read; ErrNotFound when no such job.
	UpdateJobProgress(ctx context.Context, id string, rows, bytesRead, totalBytes int64) error
	// SetJobState records a job's state and, when not nil, its result;
	// ErrNotFound when no such job.
	SetJobState(ctx context.Context, id, state string, result []byte) error
	// SwitchJobState moves a job from state from to state to (recording
	// result when not nil) only when it is in state from, atomically, and
	// reports whether it did: of several instances acting on one job at
	// once, exactly one wins. ErrNotFound when no such job.
	SwitchJobState(ctx context.Context, id, from, to string, result []byte) (bool, error)
	// Job returns a job, or ErrNotFound.
	Job(ctx context.Context, id string) (Job, error)
	// PruneJobs deletes jobs last updated before before, except those in a
	// state of keep, and then the stored files from before before that no
	// batch and no job names; it says how many of each it deleted.
	PruneJobs(ctx context.Context, before time.Time, keep ...string) (jobs, files int64, err error)
	// StagePart keeps part number part of what a job's preview read, for
	// its confirm; parts are written once each.
	StagePart(ctx context.Context, job string, part int, data []byte) error
	// StagedParts calls fn with each staged part of job in part order, one
	// part in memory at a time; none when nothing is staged.
	StagedParts(ctx context.Context, job string, fn func(part int, data []byte) error) error
	// DropStaged removes what job staged; dropping nothing is no error.
	DropStaged(ctx context.Context, job string) error
}
