package store

import (
	"context"
	"fmt"
	"time"
)

const insertSession = `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5)`

const selectLiveSessionWithUser = `SELECT u.id, u.name, u.role, u.password_hash, u.disabled, u.created_at,
    s.id_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled = 0`

const deleteSessionByIDHash = `DELETE FROM sessions WHERE id_hash = $1`

const deleteSessionsExpiredAt = `DELETE FROM sessions WHERE expires_at <= $1`

// CreateSession stores a session; see Sessions.
func (s *sqlStore) CreateSession(ctx context.Context, se Session) error {
	if se.CreatedAt.IsZero() {
		se.CreatedAt = s.now()
	}
	_, err := s.db.exec(ctx, insertSession, se.IDHash, se.UserID, se.CSRFToken, micros(se.CreatedAt), micros(se.ExpiresAt))
	if s.db.isUniqueViolation(err) {
		err = ErrConflict
	}
	if err != nil {
		return fmt.Errorf("create session of user %d: %w", se.UserID, err)
	}
	return nil
}

// SessionByIDHash returns an unexpired session of an enabled user, with that user.
func (s *sqlStore) SessionByIDHash(ctx context.Context, idHash string) (Session, User, error) {
	var se Session
	var created, expires int64
	u, err := scanUser(s.db.queryRow(ctx, selectLiveSessionWithUser, idHash, micros(s.now())),
		&se.IDHash, &se.UserID, &se.CSRFToken, &created, &expires)
	if err != nil {
		return Session{}, User{}, fmt.Errorf("session: %w", err)
	}
	se.CreatedAt, se.ExpiresAt = fromMicros(created), fromMicros(expires)
	return se, u, nil
}

// DeleteSession removes a session.
func (s *sqlStore) DeleteSession(ctx context.Context, idHash string) error {
	if _, err := s.db.exec(ctx, deleteSessionByIDHash, idHash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions expired at now.
func (s *sqlStore) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	n, err := s.db.exec(ctx, deleteSessionsExpiredAt, micros(now))
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return n, nil
}

const updateSessionExpiry = `UPDATE sessions SET expires_at = $2 WHERE id_hash = $1`

// TouchSession moves a session's expiry to expiresAt, sliding its idle limit;
// an unknown session is not an error.
func (s *sqlStore) TouchSession(ctx context.Context, idHash string, expiresAt time.Time) error {
	if _, err := s.db.exec(ctx, updateSessionExpiry, idHash, micros(expiresAt)); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}
