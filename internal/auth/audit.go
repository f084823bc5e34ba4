package auth

import (
	"context"

	"postdash/internal/store"
)

// Audit actions, as stored and shown.
const (
	ActLogin         = "login"
	ActLoginFailed   = "login.failed"
	ActLogout        = "logout"
	ActUserAdd       = "user.add"
	ActUserPasswd    = "user.passwd"
	ActUserDisable   = "user.disable"
	ActTokenCreate   = "token.create"
	ActTokenRevoke   = "token.revoke"
	ActImport        = "import"
	ActImportDryRun  = "import.dry_run"
	ActImportRefused = "import.refused"
	ActUndo          = "undo"
)

// Actor is who does something and from where (a client address, or "cli").
type Actor struct {
	User   string
	Remote string
}

// Record appends an audit event. A failure to record is logged, never fatal to
// the action it describes, and returned for callers that care.
func (s *Service) Record(ctx context.Context, who Actor, action, detail string) error {
	err := s.st.AddAudit(ctx, store.AuditEvent{At: s.cfg.Now(), User: who.User, Action: action, Detail: detail, Remote: who.Remote})
	if err != nil {
		s.log.ErrorContext(ctx, "audit not recorded", "action", action, "user", who.User, "err", err)
	}
	return err
}

// Audit returns up to limit events, newest first.
func (s *Service) Audit(ctx context.Context, limit int) ([]store.AuditEvent, error) {
	return s.st.Audit(ctx, limit)
}
