package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"postdash/internal/auth"
)

// loginCookie carries the double-submit token of the login form, which has
// no session yet to hold a CSRF token.
const loginCookie = "pd_login"

// loginView is the login page's data.
type loginView struct {
	Page
	Nav
	Next  string
	Token string
	Name  string
	Error string
	// FirstStart: nobody has signed in since postdash created admin, so
	// the page says where its password was printed.
	FirstStart bool
}

func (a *accounts) loginPage(c *gin.Context) {
	a.renderLogin(c, http.StatusOK, "", "")
}

func (a *accounts) renderLogin(c *gin.Context, status int, name, errKey string) {
	tok := randomID()
	a.setCookie(c, loginCookie, tok, 3600)
	v := loginView{Page: a.s.page(c, "acct.login.title"), Nav: accountNav(c), Next: safeNext(c.Query("next")), Token: tok, Name: name}
	if v.Next == "/" {
		v.Next = safeNext(c.PostForm("next"))
	}
	if errKey != "" {
		v.Error = a.s.cat.T(lang(c), errKey, nil)
	}
	first, err := a.auth.AwaitingFirstSignIn(c.Request.Context())
	if err != nil {
		a.s.logger(c).Warn("login page", "err", err) // the page works without the hint
	}
	v.FirstStart = first
	c.Header("Cache-Control", "no-store")
	a.s.html(c, status, "login.html", v)
}

// login checks the form and starts a session. Every refusal reads the same.
func (a *accounts) login(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
	want, _ := c.Cookie(loginCookie)
	if !auth.EqualSecret(want, c.PostForm(csrfField)) {
		a.deny(c, http.StatusForbidden, "acct.error.csrf")
		return
	}
	name := strings.TrimSpace(c.PostForm("name"))
	id, _, _, err := a.auth.Login(c.Request.Context(), name, c.PostForm("password"), c.ClientIP())
	if errors.Is(err, auth.ErrLoginFailed) {
		a.renderLogin(c, http.StatusUnauthorized, name, "acct.login.failed")
		return
	}
	if err != nil {
		a.s.logger(c).Error("login", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
		return
	}
	a.setCookie(c, loginCookie, "", -1)
	// The session's expiry slides while it is used, up to SessionMax; the
	// server ends it sooner when idle (and identify then clears the cookie).
	a.setCookie(c, sessionCookie, id, int(a.auth.Config().SessionMax.Seconds()))
	c.Redirect(http.StatusSeeOther, safeNext(c.PostForm("next")))
}

// logout ends the session.
func (a *accounts) logout(c *gin.Context) {
	if id, err := c.Cookie(sessionCookie); err == nil {
		if err := a.auth.Logout(c.Request.Context(), id, actor(c)); err != nil {
			a.s.logger(c).Error("logout", "err", err)
		}
	}
	a.clearSessionCookie(c)
	c.Redirect(http.StatusSeeOther, "/login")
}

// safeNext keeps a post-login redirect on this site: a path, never a URL
// or a protocol-relative //host. Browsers drop tabs and newlines from a
// URL, so "/\t/host" is //host: control characters are refused too.
func safeNext(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/"
	}
	return next
}
