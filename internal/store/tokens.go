package store

import (
	"context"
	"fmt"
)

const insertToken = `INSERT INTO api_tokens (user_id, name, hash, created_at)
VALUES ($1, $2, $3, $4)
RETURNING id`

const selectActiveTokenWithUser = `SELECT u.id, u.name, u.role, u.password_hash, u.disabled, u.created_at,
    t.id, t.user_id, t.name, t.hash, t.created_at
FROM api_tokens t JOIN users u ON u.id = t.user_id
WHERE t.hash = $1 AND t.revoked_at IS NULL AND u.disabled = 0`

const selectTokensNewestFirst = `SELECT t.id, t.user_id, u.name, t.name, t.hash, t.created_at, t.revoked_at
FROM api_tokens t JOIN users u ON u.id = t.user_id
ORDER BY t.id DESC`

const revokeActiveToken = `UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`

// CreateToken stores an API token; see Tokens.
func (s *sqlStore) CreateToken(ctx context.Context, t Token) (int64, error) {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = s.now()
	}
	var id int64
	err := s.db.queryRow(ctx, insertToken, t.UserID, t.Name, t.Hash, micros(t.CreatedAt)).Scan(&id)
	if s.db.isUniqueViolation(err) {
		err = ErrConflict
	}
	if err != nil {
		return 0, fmt.Errorf("create token %q: %w", t.Name, err)
	}
	return id, nil
}

// TokenByHash returns an active token of an enabled user, with that user.
func (s *sqlStore) TokenByHash(ctx context.Context, hash string) (Token, User, error) {
	var t Token
	var created int64
	u, err := scanUser(s.db.queryRow(ctx, selectActiveTokenWithUser, hash),
		&t.ID, &t.UserID, &t.Name, &t.Hash, &created)
	if err != nil {
		return Token{}, User{}, fmt.Errorf("token: %w", err)
	}
	t.CreatedAt, t.UserName = fromMicros(created), u.Name
	return t, u, nil
}

// Tokens lists every token, newest first.
func (s *sqlStore) Tokens(ctx context.Context) ([]Token, error) {
	rs, err := s.db.query(ctx, selectTokensNewestFirst)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rs.Close()
	var out []Token
	for rs.Next() {
		var t Token
		var created int64
		var revoked *int64
		if err := rs.Scan(&t.ID, &t.UserID, &t.UserName, &t.Name, &t.Hash, &created, &revoked); err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		t.CreatedAt, t.RevokedAt = fromMicros(created), fromMicrosPtr(revoked)
		out = append(out, t)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

// RevokeToken revokes an active token.
func (s *sqlStore) RevokeToken(ctx context.Context, id int64) error {
	n, err := s.db.exec(ctx, revokeActiveToken, id, micros(s.now()))
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	return nil
}
