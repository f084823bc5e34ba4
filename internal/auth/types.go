package auth

import "postdash/internal/store"

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
