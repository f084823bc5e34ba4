package auth

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"postdash/internal/store"
)

var validName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// CreateUser adds an account. An empty password generates one, returned so
// it can be shown once; otherwise the returned password is empty.
func (s *Service) CreateUser(ctx context.Context, name, role, password string, by Actor) (store.User, string, error) {
	if !validName.MatchString(name) {
		return store.User{}, "", ErrInvalidName
	}
	if !ValidRole(role) {
		return store.User{}, "", ErrInvalidRole
	}
	generated := ""
	if password == "" {
		p, err := GeneratePassword()
		if err != nil {
			return store.User{}, "", err
		}
		password, generated = p, p
	}
	if len([]rune(password)) < MinPasswordLen {
		return store.User{}, "", ErrWeakPassword
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return store.User{}, "", err
	}
	u := store.User{Name: name, Role: role, PasswordHash: hash}
	id, err := s.st.CreateUser(ctx, u)
	if err != nil {
		return store.User{}, "", fmt.Errorf("create user %q: %w", name, err)
	}
	u.ID = id
	s.Record(ctx, by, ActUserAdd, fmt.Sprintf("%s (%s)", name, role))
	return u, generated, nil
}

// SetPassword replaces a user's password. An empty password generates one,
// returned so it can be shown once.
func (s *Service) SetPassword(ctx context.Context, name, password string, by Actor) (string, error) {
	u, err := s.st.UserByName(ctx, name)
	if err != nil {
		return "", fmt.Errorf("set password: %w", err)
	}
	generated := ""
	if password == "" {
		if password, err = GeneratePassword(); err != nil {
			return "", err
		}
		generated = password
	}
	if len([]rune(password)) < MinPasswordLen {
		return "", ErrWeakPassword
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return "", err
	}
	if err := s.st.SetPassword(ctx, u.ID, hash); err != nil {
		return "", fmt.Errorf("set password of %q: %w", name, err)
	}
	s.Record(ctx, by, ActUserPasswd, name)
	return generated, nil
}

// Disable disables a user; their sessions end (the store deletes them and
// tokens of disabled users stop working).
func (s *Service) Disable(ctx context.Context, name string, by Actor) error {
	u, err := s.st.UserByName(ctx, name)
	if err != nil {
		return fmt.Errorf("disable: %w", err)
	}
	if err := s.st.SetDisabled(ctx, u.ID, true); err != nil {
		return fmt.Errorf("disable %q: %w", name, err)
	}
	s.Record(ctx, by, ActUserDisable, name)
	return nil
}

// Users lists every account by name.
func (s *Service) Users(ctx context.Context) ([]store.User, error) { return s.st.Users(ctx) }

// EnsureAdmin creates the user "admin" when there are no users at all. Its
// password is password (from POSTDASH_ADMIN_PASSWORD) or, when empty, a
// random one, returned (and never logged) so that the caller shows it once.
// It reports whether it created the user.
func (s *Service) EnsureAdmin(ctx context.Context, password string) (created bool, generated string, err error) {
	n, err := s.st.CountUsers(ctx)
	if err != nil {
		return false, "", fmt.Errorf("count users: %w", err)
	}
	if n > 0 {
		return false, "", nil
	}
	_, generated, err = s.CreateUser(ctx, "admin", Admin, password, Actor{User: FirstStartActor, Remote: "first start"})
	if errors.Is(err, store.ErrConflict) {
		return false, "", nil // another instance won the race
	}
	if err != nil {
		return false, "", fmt.Errorf("first start: %w", err)
	}
	from := "generated"
	if generated == "" {
		from = "POSTDASH_ADMIN_PASSWORD"
	}
	s.log.InfoContext(ctx, "first start: created user admin", "password_from", from)
	return true, generated, nil
}

// hash hashes a password with the configured parameters.
func (s *Service) hash(ctx context.Context, password string) (string, error) {
	var h string
	var herr error
	if err := s.withHashSlot(ctx, func() { h, herr = HashPassword(password, s.cfg.Hash) }); err != nil {
		return "", err
	}
	return h, herr
}

// parseID reads a numeric id.
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%q: %w", s, ErrNotAnID)
	}
	return id, nil
}
