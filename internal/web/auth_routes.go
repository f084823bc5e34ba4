package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"postdash/internal/auth"
	"postdash/internal/i18n"
	"postdash/internal/importer"
)

// accounts is the accounts, roles and upload side of the server: who is
// signed in, what they may do, and the pages and API that change data.
type accounts struct {
	s       *Server
	auth    *auth.Service
	maxBody int64
	// origins refuses cross-origin state-changing requests (Sec-Fetch-Site,
	// then Origin against Host); it is read-only once made.
	origins *http.CrossOriginProtection
}

// DefaultMaxUploadBytes caps an uploaded file (the request body, really).
const DefaultMaxUploadBytes = 100 << 20

// useAccounts installs the security headers, identification, role checks,
// CSRF checks and parameter checks (params.go) on every route registered
// after it, and registers the
// accounts, upload, batches, audit and import-API routes.
func (s *Server) useAccounts(r *gin.Engine) {
	s.newAccounts(DefaultMaxUploadBytes).install(r)
}

// newAccounts builds the accounts side with an upload limit of maxBody bytes.
func (s *Server) newAccounts(maxBody int64) *accounts {
	svc, err := auth.New(s.store, auth.Config{}, s.log)
	if err != nil {
		panic(err) // auth.New fails on no input of ours; a failure is a bug
	}
	a := &accounts{s: s, auth: svc, maxBody: maxBody, origins: http.NewCrossOriginProtection()}
	return a
}

// install adds the middleware and routes of a to r.
func (a *accounts) install(r *gin.Engine) {
	r.Use(securityHeaders(), a.identify(), a.authorize(), a.csrf(), a.checkParams())

	r.GET("/login", a.loginPage)
	r.POST("/login", a.login)
	r.POST("/logout", a.logout)

	r.GET("/upload", a.uploadPage)
	r.POST("/upload", a.upload)
	r.GET("/upload/:job", a.jobPage)
	r.GET("/upload/:job/progress", a.jobProgress)
	r.POST("/upload/:job/confirm", a.confirm)
	r.POST("/upload/:job/cancel", a.cancel)
	r.POST("/upload/:job/map", a.remap)

	r.GET("/mappings", a.mappingsPage)
	r.POST("/mappings", a.uploadMapping)
	r.GET("/mappings/:id/json", a.mappingJSON)
	r.POST("/mappings/:id/delete", a.deleteMapping)

	r.GET("/batches", a.batchesPage)
	r.GET("/batches/:id/undo", a.undoPage)
	r.POST("/batches/:id/undo", a.undo)
	r.GET("/batches/:id/file", a.batchFile)

	r.GET("/admin/audit", a.auditPage)
	r.GET("/admin/users", a.usersPage)
	r.POST("/admin/users", a.addUser)
	r.POST("/admin/users/:name/password", a.resetPassword)
	r.POST("/admin/users/:name/disable", a.disableUser)
	r.POST("/admin/tokens", a.createToken)
	r.POST("/admin/tokens/:id/revoke", a.revokeToken)

	a.installCalendar(r)

	r.POST("/api/v1/imports", a.apiImport)
	r.DELETE("/api/v1/batches/:id", a.apiUndo)
}

// contentSecurityPolicy lets the page run its own script and ECharts from
// /static; 'unsafe-inline' stays for go-echarts' inline chart scripts and
// ECharts' inline styles. Frames, plugins and foreign forms are refused.
const contentSecurityPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		c.Next()
	}
}

// secureCookies reports whether cookies must be Secure: the request came
// over TLS, or through a configured proxy that says it did.
func (a *accounts) secureCookies(c *gin.Context) bool {
	if c.Request.TLS != nil || a.s.cfg.SecureCookies {
		return true
	}
	return len(a.s.cfg.TrustedProxies) > 0 && strings.EqualFold(c.GetHeader("X-Forwarded-Proto"), "https")
}

func (a *accounts) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: a.secureCookies(c), SameSite: http.SameSiteLaxMode,
	})
}

func (a *accounts) clearSessionCookie(c *gin.Context) { a.setCookie(c, sessionCookie, "", -1) }

// randomID returns a random identifier safe in URLs.
func randomID() string {
	var b [18]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// messagePage is a short page saying one thing.
type messagePage struct {
	Page
	Nav
	Status  int
	Message string
}

// message renders a page with one translated message.
// refusal shows an importer's refusal (an *importer.Error in err's chain) in
// the request's language.
func (a *accounts) refusal(c *gin.Context, status int, err error) {
	text := importerErrorText(a.s.cat, lang(c), err)
	p := messagePage{Page: a.s.page(c, "acct.message.title"), Nav: accountNav(c), Status: status, Message: text}
	a.s.html(c, status, "admin_message.html", p)
}

// importerErrorText says err's *importer.Error in l; another error is said
// as an internal error.
func importerErrorText(cat *i18n.Catalogs, l i18n.Lang, err error) string {
	var ie *importer.Error
	if !errors.As(err, &ie) {
		return cat.T(l, "acct.error.internal", nil)
	}
	return cat.T(l, ie.Key, ie.Args)
}

func (a *accounts) message(c *gin.Context, status int, key string, args map[string]string) {
	p := messagePage{Page: a.s.page(c, "acct.message.title"), Nav: accountNav(c), Status: status, Message: a.s.cat.T(lang(c), key, args)}
	a.s.html(c, status, "admin_message.html", p)
}

// Nav is what the accounts bar (template "acct_bar") shows: who is signed
// in, their links, and the CSRF token for the sign-out form.
type Nav struct {
	User      string
	Role      string
	CSRF      string
	IsAnalyst bool
	IsAdmin   bool
}

// accountNav returns the accounts bar of a request; any page may embed it
// next to Page and call {{template "acct_bar" .}}.
func accountNav(c *gin.Context) Nav {
	u, ok := currentUser(c)
	if !ok {
		return Nav{}
	}
	return Nav{User: u.Name, Role: u.Role, CSRF: csrfToken(c), IsAnalyst: auth.Allows(u.Role, auth.Analyst), IsAdmin: auth.Allows(u.Role, auth.Admin)}
}
