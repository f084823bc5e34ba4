package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"postdash/internal/store"
)

// CreateToken makes an API token for user, labelled label. The secret is
// returned once and stored only as its hash.
func (s *Service) CreateToken(ctx context.Context, user, label string, by Actor) (string, store.Token, error) {
	u, err := s.st.UserByName(ctx, user)
	if err != nil {
		return "", store.Token{}, fmt.Errorf("create token: %w", err)
	}
	if u.Disabled {
		return "", store.Token{}, fmt.Errorf("user %q: %w", user, ErrUserDisabled)
	}
	r, err := randomString(32)
	if err != nil {
		return "", store.Token{}, err
	}
	secret := TokenPrefix + r
	if label == "" {
		label = "token"
	}
	t := store.Token{UserID: u.ID, UserName: u.Name, Name: label, Hash: HashSecret(secret), CreatedAt: s.cfg.Now()}
	if t.ID, err = s.st.CreateToken(ctx, t); err != nil {
		return "", store.Token{}, fmt.Errorf("create token: %w", err)
	}
	s.Record(ctx, by, ActTokenCreate, fmt.Sprintf("token %d %q for %s", t.ID, label, u.Name))
	return secret, t, nil
}

// TokenUser returns the token and its user for an Authorization bearer
// secret, or ErrBadToken.
func (s *Service) TokenUser(ctx context.Context, secret string) (store.Token, store.User, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return store.Token{}, store.User{}, ErrBadToken
	}
	t, u, err := s.st.TokenByHash(ctx, HashSecret(secret))
	if errors.Is(err, store.ErrNotFound) {
		return t, u, ErrBadToken
	}
	if err != nil {
		return t, u, fmt.Errorf("read token: %w", err)
	}
	if u.Disabled || t.RevokedAt != nil {
		return store.Token{}, store.User{}, ErrBadToken
	}
	return t, u, nil
}

// RevokeToken revokes the token with the given id (as text or number).
func (s *Service) RevokeToken(ctx context.Context, id string, by Actor) error {
	n, err := parseID(id)
	if err != nil {
		return err
	}
	if err := s.st.RevokeToken(ctx, n); err != nil {
		return fmt.Errorf("revoke token %d: %w", n, err)
	}
	s.Record(ctx, by, ActTokenRevoke, fmt.Sprintf("token %d", n))
	return nil
}

// Tokens lists every token, revoked ones included, newest first.
func (s *Service) Tokens(ctx context.Context) ([]store.Token, error) { return s.st.Tokens(ctx) }
