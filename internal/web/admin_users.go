package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"postdash/internal/auth"
)

// usersView is the administrator's page of users and API tokens.
type usersView struct {
	Page
	Nav
	Users  []userRow
	Tokens []tokenRow
	Roles  []string
	// Secret is a new password or token, shown once, for SecretFor.
	Secret    string
	SecretFor string
	Error     string
}

type userRow struct {
	Name, Role, Created string
	Disabled            bool
}

type tokenRow struct {
	ID                            int64
	User, Label, Created, Revoked string
}

func (a *accounts) usersPage(c *gin.Context) {
	a.renderUsers(c, http.StatusOK, usersView{})
}

// renderUsers fills the lists into v and renders the page.
func (a *accounts) renderUsers(c *gin.Context, status int, v usersView) {
	ctx := c.Request.Context()
	users, err := a.auth.Users(ctx)
	var toks []auth.Token
	if err == nil {
		toks, err = a.auth.Tokens(ctx)
	}
	if err != nil {
		a.s.logger(c).Error("users page", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
		return
	}
	v.Page, v.Nav, v.Roles = a.s.page(c, "acct.users.title"), accountNav(c), auth.Roles()
	for _, u := range users {
		v.Users = append(v.Users, userRow{u.Name, u.Role, u.CreatedAt.In(v.loc).Format(time.DateOnly), u.Disabled})
	}
	for _, t := range toks {
		r := tokenRow{ID: t.ID, User: t.UserName, Label: t.Name, Created: v.Local(t.CreatedAt)}
		if t.RevokedAt != nil {
			r.Revoked = v.Local(*t.RevokedAt)
		}
		v.Tokens = append(v.Tokens, r)
	}
	c.Header("Cache-Control", "no-store")
	a.s.html(c, status, "admin_users.html", v)
}

// addUser creates an account; an empty password is generated and shown once.
func (a *accounts) addUser(c *gin.Context) {
	name := c.PostForm("name")
	u, gen, err := a.auth.CreateUser(c.Request.Context(), name, c.PostForm("role"), c.PostForm("password"), actor(c))
	if err != nil {
		a.userError(c, err)
		return
	}
	a.renderUsers(c, http.StatusOK, usersView{Secret: gen, SecretFor: u.Name})
}

// resetPassword gives a user a new generated password, shown once.
func (a *accounts) resetPassword(c *gin.Context) {
	name := c.Param("name")
	gen, err := a.auth.SetPassword(c.Request.Context(), name, "", actor(c))
	if err != nil {
		a.userError(c, err)
		return
	}
	a.renderUsers(c, http.StatusOK, usersView{Secret: gen, SecretFor: name})
}

// disableUser disables an account and ends its sessions.
func (a *accounts) disableUser(c *gin.Context) {
	if u, _ := currentUser(c); u.Name == c.Param("name") {
		a.renderUsers(c, http.StatusConflict, usersView{Error: a.s.cat.T(lang(c), "acct.users.not_yourself", nil)})
		return
	}
	if err := a.auth.Disable(c.Request.Context(), c.Param("name"), actor(c)); err != nil {
		a.userError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/users")
}

// createToken makes an API token for a user, shown once.
func (a *accounts) createToken(c *gin.Context) {
	secret, t, err := a.auth.CreateToken(c.Request.Context(), c.PostForm("user"), c.PostForm("label"), actor(c))
	if err != nil {
		a.userError(c, err)
		return
	}
	a.renderUsers(c, http.StatusOK, usersView{Secret: secret, SecretFor: t.UserName + " · " + t.Name})
}

// revokeToken revokes an API token.
func (a *accounts) revokeToken(c *gin.Context) {
	if err := a.auth.RevokeToken(c.Request.Context(), c.Param("id"), actor(c)); err != nil {
		a.userError(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/users")
}

// userStatus is the status of what an administrator got wrong, by its
// sentence (auth.ErrorKey).
var userStatus = map[string]int{
	"acct.users.bad_name": http.StatusBadRequest, "acct.users.bad_role": http.StatusBadRequest,
	"acct.users.weak_password": http.StatusBadRequest, "acct.users.taken": http.StatusConflict,
	"acct.users.not_found": http.StatusNotFound, "acct.users.disabled": http.StatusConflict,
}

func (a *accounts) userError(c *gin.Context, err error) {
	if key := auth.ErrorKey(err); key != "" {
		a.renderUsers(c, userStatus[key], usersView{Error: a.s.cat.T(lang(c), key, nil)})
		return
	}
	a.s.logger(c).Error("user admin", "err", err)
	a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
}
