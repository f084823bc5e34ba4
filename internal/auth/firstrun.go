package auth

import (
	"context"
	"fmt"
)

// FirstStartActor is the name the audit log gives postdash itself for what
// it does on first start (creating the user admin).
const FirstStartActor = "postdash"

// AwaitingFirstSignIn reports whether this is still a first start: postdash
// created admin itself (EnsureAdmin) and nobody has ever signed in since.
func (s *Service) AwaitingFirstSignIn(ctx context.Context) (bool, error) {
	signedIn, err := s.st.HasAudit(ctx, ActLogin, "")
	if err != nil {
		return false, fmt.Errorf("first sign-in: %w", err)
	}
	if signedIn {
		return false, nil
	}
	created, err := s.st.HasAudit(ctx, ActUserAdd, FirstStartActor)
	if err != nil {
		return false, fmt.Errorf("first sign-in: %w", err)
	}
	return created, nil
}
