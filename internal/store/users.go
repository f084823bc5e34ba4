package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

const insertUser = `INSERT INTO users (name, role, password_hash, disabled, created_at)
VALUES ($1, $2, $3, $4, $5)
RETURNING id`

const userColumns = `id, name, role, password_hash, disabled, created_at`

const selectUserByName = `SELECT ` + userColumns + ` FROM users WHERE name = $1`

const selectUserByID = `SELECT ` + userColumns + ` FROM users WHERE id = $1`

const selectUsers = `SELECT ` + userColumns + ` FROM users`

const updateUserPassword = `UPDATE users SET password_hash = $2 WHERE id = $1`

const updateUserDisabled = `UPDATE users SET disabled = $2 WHERE id = $1`

const deleteSessionsOfUser = `DELETE FROM sessions WHERE user_id = $1`

const countUsers = `SELECT COUNT(*) FROM users`

// CreateUser adds a user; see Users.
func (s *sqlStore) CreateUser(ctx context.Context, u User) (int64, error) {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = s.now()
	}
	var id int64
	err := s.db.queryRow(ctx, insertUser, u.Name, u.Role, u.PasswordHash, b2i(u.Disabled), micros(u.CreatedAt)).Scan(&id)
	if s.db.isUniqueViolation(err) {
		return 0, fmt.Errorf("create user %q: %w", u.Name, ErrConflict)
	}
	if err != nil {
		return 0, fmt.Errorf("create user %q: %w", u.Name, err)
	}
	return id, nil
}

// scanUser reads userColumns, then any extra destinations.
func scanUser(r scanner, extra ...any) (User, error) {
	var u User
	var disabled, created int64
	dest := append([]any{&u.ID, &u.Name, &u.Role, &u.PasswordHash, &disabled, &created}, extra...)
	if err := r.Scan(dest...); err != nil {
		return User{}, err
	}
	u.Disabled, u.CreatedAt = disabled != 0, fromMicros(created)
	return u, nil
}

// UserByName returns a user, or ErrNotFound.
func (s *sqlStore) UserByName(ctx context.Context, name string) (User, error) {
	u, err := scanUser(s.db.queryRow(ctx, selectUserByName, name))
	if err != nil {
		return User{}, fmt.Errorf("user %q: %w", name, err)
	}
	return u, nil
}

// UserByID returns a user, or ErrNotFound.
func (s *sqlStore) UserByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.db.queryRow(ctx, selectUserByID, id))
	if err != nil {
		return User{}, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

// Users lists every user by name.
func (s *sqlStore) Users(ctx context.Context) ([]User, error) {
	rs, err := s.db.query(ctx, selectUsers)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rs.Close()
	var out []User
	for rs.Next() {
		u, err := scanUser(rs)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	// Sorted here, byte by byte: ORDER BY would follow the PostgreSQL
	// database's collation and differ from SQLite.
	slices.SortFunc(out, func(a, b User) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// SetPassword replaces a user's password hash and ends their sessions.
func (s *sqlStore) SetPassword(ctx context.Context, id int64, hash string) error {
	err := s.db.write(ctx, func(tx writeTx) error {
		n, err := tx.exec(ctx, updateUserPassword, id, hash)
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		// A new password ends every session signed in with the old one.
		_, err = tx.exec(ctx, deleteSessionsOfUser, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", id, err)
	}
	return nil
}

// SetDisabled disables (deleting the user's sessions) or enables a user.
func (s *sqlStore) SetDisabled(ctx context.Context, id int64, disabled bool) error {
	err := s.db.write(ctx, func(tx writeTx) error {
		n, err := tx.exec(ctx, updateUserDisabled, id, b2i(disabled))
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if disabled {
			_, err = tx.exec(ctx, deleteSessionsOfUser, id)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("set disabled=%t of user %d: %w", disabled, id, err)
	}
	return nil
}

// CountUsers counts users.
func (s *sqlStore) CountUsers(ctx context.Context) (int, error) {
	var n int64
	if err := s.db.queryRow(ctx, countUsers).Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return int(n), nil
}
