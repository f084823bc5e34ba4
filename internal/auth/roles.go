package auth

import "postdash/internal/store"

// Roles, from least to most rights.
const (
	Viewer  = store.RoleViewer  // dashboards and exports
	Analyst = store.RoleAnalyst // + upload, confirm, undo
	Admin   = store.RoleAdmin   // + users, tokens, audit
)

// roleRank orders roles; a role may do what any lower role may.
var roleRank = map[string]int{Viewer: 1, Analyst: 2, Admin: 3}

// Roles lists the roles from least to most rights.
func Roles() []string { return []string{Viewer, Analyst, Admin} }

// ValidRole reports whether r names a role.
func ValidRole(r string) bool { return roleRank[r] > 0 }

// Allows reports whether a user with role have may do what needs role need.
// An unknown role allows nothing.
func Allows(have, need string) bool {
	h, ok := roleRank[have]
	return ok && h >= roleRank[need]
}
