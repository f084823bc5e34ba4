package auth

import (
	"errors"

	"postdash/internal/store"
)

// The account records, as the store keeps them; callers name them here.
type (
	User    = store.User
	Session = store.Session
	Token   = store.Token
)

// Errors of account changes callers tell apart.
var (
	ErrNameTaken = store.ErrConflict // a user of that name exists
	ErrNoUser    = store.ErrNotFound // no such user or token
)

// ErrorKey names the catalog sentence of an account change refused for
// what the caller gave (ErrInvalidName, ErrNameTaken …), which the edge
// says in the user's language; "" for another error.
func ErrorKey(err error) string {
	for _, k := range []struct {
		err error
		key string
	}{
		{ErrInvalidName, "acct.users.bad_name"},
		{ErrInvalidRole, "acct.users.bad_role"},
		{ErrWeakPassword, "acct.users.weak_password"},
		{ErrNameTaken, "acct.users.taken"},
		{ErrNoUser, "acct.users.not_found"},
		{ErrNotAnID, "acct.users.not_found"},
		{ErrUserDisabled, "acct.users.disabled"},
	} {
		if errors.Is(err, k.err) {
			return k.key
		}
	}
	return ""
}
