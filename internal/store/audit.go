package store

import (
	"context"
	"fmt"
)

const insertAuditEvent = `INSERT INTO audit (occurred_at, user_name, action, detail, remote)
VALUES ($1, $2, $3, $4, $5)`

const selectAuditNewestFirst = `SELECT id, occurred_at, user_name, action, detail, remote
FROM audit ORDER BY occurred_at DESC, id DESC LIMIT $1`

// AddAudit appends an event to the audit log.
func (s *sqlStore) AddAudit(ctx context.Context, e AuditEvent) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	if _, err := s.db.exec(ctx, insertAuditEvent, micros(e.At), e.User, e.Action, e.Detail, e.Remote); err != nil {
		return fmt.Errorf("add audit %s: %w", e.Action, err)
	}
	return nil
}

// Audit returns up to limit events, newest first.
func (s *sqlStore) Audit(ctx context.Context, limit int) ([]AuditEvent, error) {
	rs, err := s.db.query(ctx, selectAuditNewestFirst, int64(limit))
	if err != nil {
		return nil, fmt.Errorf("read audit: %w", err)
	}
	defer rs.Close()
	var out []AuditEvent
	for rs.Next() {
		var e AuditEvent
		var at int64
		if err := rs.Scan(&e.ID, &at, &e.User, &e.Action, &e.Detail, &e.Remote); err != nil {
			return nil, fmt.Errorf("read audit: %w", err)
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("read audit: %w", err)
	}
	return out, nil
}
