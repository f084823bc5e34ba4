package store

import (
	"context"
	"fmt"
)

const countAuditAction = `SELECT COUNT(*) FROM (SELECT 1 FROM audit WHERE action = $1 LIMIT 1) AS a`

const countAuditActionBy = `SELECT COUNT(*) FROM (SELECT 1 FROM audit WHERE action = $1 AND user_name = $2 LIMIT 1) AS a`

// HasAudit reports whether the log holds an event of action (by user, unless
// user is empty).
func (s *sqlStore) HasAudit(ctx context.Context, action, user string) (bool, error) {
	var n int64
	var err error
	if user == "" {
		err = s.db.queryRow(ctx, countAuditAction, action).Scan(&n)
	} else {
		err = s.db.queryRow(ctx, countAuditActionBy, action, user).Scan(&n)
	}
	if err != nil {
		return false, fmt.Errorf("look up audit %s: %w", action, err)
	}
	return n > 0, nil
}
