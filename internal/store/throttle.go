package store

import (
	"context"
	"fmt"
	"time"
)

// loginFailureMemory is how long a failure is remembered at most.
const loginFailureMemory = 24 * time.Hour

const insertLoginFailure = `INSERT INTO login_failures (throttle_key, failed_at) VALUES ($1, $2)`

const deleteLoginFailuresBefore = `DELETE FROM login_failures WHERE throttle_key = $1 AND failed_at < $2`

const countLoginFailuresSince = `SELECT COUNT(*) FROM login_failures WHERE throttle_key = $1 AND failed_at >= $2`

const deleteLoginFailuresOfKey = `DELETE FROM login_failures WHERE throttle_key = $1`

// RecordLoginFailure records one failed sign-in of key; see LoginThrottle.
func (s *sqlStore) RecordLoginFailure(ctx context.Context, key string, at time.Time) error {
	if _, err := s.db.exec(ctx, deleteLoginFailuresBefore, key, micros(at.Add(-loginFailureMemory))); err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	if _, err := s.db.exec(ctx, insertLoginFailure, key, micros(at)); err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	return nil
}

// LoginFailures counts failures of key at or after since.
func (s *sqlStore) LoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int64
	if err := s.db.queryRow(ctx, countLoginFailuresSince, key, micros(since)).Scan(&n); err != nil {
		return 0, fmt.Errorf("count login failures: %w", err)
	}
	return int(n), nil
}

// ClearLoginFailures forgets every failure of key.
func (s *sqlStore) ClearLoginFailures(ctx context.Context, key string) error {
	if _, err := s.db.exec(ctx, deleteLoginFailuresOfKey, key); err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}

const deleteLoginFailureAt = `DELETE FROM login_failures WHERE throttle_key = $1 AND failed_at = $2`

// ReserveLoginAttempt counts the attempt first, under the write turn, so
// that no attempt is checked against the password uncounted.
func (s *sqlStore) ReserveLoginAttempt(ctx context.Context, keys []string, at, since time.Time, max int) (bool, error) {
	allowed := false
	err := s.db.write(ctx, func(tx writeTx) error {
		for _, k := range keys {
			var n int64
			if err := tx.queryRow(ctx, countLoginFailuresSince, k, micros(since)).Scan(&n); err != nil {
				return err
			}
			if n >= int64(max) {
				return nil
			}
		}
		for _, k := range keys {
			if _, err := tx.exec(ctx, deleteLoginFailuresBefore, k, micros(at.Add(-loginFailureMemory))); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, insertLoginFailure, k, micros(at)); err != nil {
				return err
			}
		}
		allowed = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("reserve login attempt: %w", err)
	}
	return allowed, nil
}

// ReleaseLoginAttempt deletes the reservation of the attempt at at.
func (s *sqlStore) ReleaseLoginAttempt(ctx context.Context, keys []string, at time.Time) error {
	for _, k := range keys {
		if _, err := s.db.exec(ctx, deleteLoginFailureAt, k, micros(at)); err != nil {
			return fmt.Errorf("release login attempt: %w", err)
		}
	}
	return nil
}
