package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"postdash/internal/auth"
)

// Context keys and cookies of the accounts layer.
const (
	keyUser       = "user"    // auth.User of the signed-in user or token owner
	keySession    = "session" // auth.Session when signed in by cookie
	keyVia        = "auth_via"
	viaSession    = "session"
	viaToken      = "token"
	sessionCookie = "pd_session"
	csrfField     = "csrf"
	csrfHeader    = "X-CSRF-Token"
)

// Access levels a route may need besides the roles.
const (
	levelPublic    = "public"    // anyone, always
	levelDashboard = "dashboard" // viewers, or anyone when the server is public
)

// routeAccess says what each route needs, by method and gin route pattern.
// A route not listed needs what the first matching accessByPrefix entry
// says; failing that, reading is a dashboard page (levelDashboard) and
// changing anything needs an administrator: new routes are closed by default.
var routeAccess = map[string]string{
	"GET /healthz":                     levelPublic,
	"GET /static/*path":                levelPublic,
	"GET /favicon.ico":                 levelPublic,
	"GET /login":                       levelPublic,
	"POST /login":                      levelPublic,
	"POST /logout":                     auth.Viewer,
	"GET /upload":                      auth.Analyst,
	"POST /upload":                     auth.Analyst,
	"GET /upload/:job":                 auth.Analyst,
	"GET /upload/:job/progress":        auth.Analyst,
	"POST /upload/:job/confirm":        auth.Analyst,
	"POST /upload/:job/cancel":         auth.Analyst,
	"GET /batches":                     auth.Analyst,
	"GET /batches/:id/undo":            auth.Analyst,
	"POST /batches/:id/undo":           auth.Analyst,
	"GET /batches/:id/file":            auth.Analyst,
	"GET /admin/audit":                 auth.Admin,
	"GET /admin/users":                 auth.Admin,
	"POST /admin/users":                auth.Admin,
	"POST /admin/users/:name/password": auth.Admin,
	"POST /admin/users/:name/disable":  auth.Admin,
	"POST /admin/tokens":               auth.Admin,
	"POST /admin/tokens/:id/revoke":    auth.Admin,
	"POST /api/v1/imports":             auth.Analyst,
	"DELETE /api/v1/batches/:id":       auth.Analyst,
	"POST /upload/:job/map":            auth.Analyst,
	"GET /mappings":                    auth.Analyst,
	"POST /mappings":                   auth.Analyst,
	"GET /mappings/:id/json":           auth.Analyst,
	"POST /mappings/:id/delete":        auth.Analyst,
	// The calendar (calendar_admin.go): admins set the schedule, analysts write notes.
	"GET /admin/schedule":             auth.Admin,
	"POST /admin/schedule":            auth.Admin,
	"POST /admin/schedule/:id/delete": auth.Admin,
	"GET /annotations":                auth.Analyst,
	"POST /annotations":               auth.Analyst,
	"POST /annotations/:id":           auth.Analyst,
	"POST /annotations/:id/delete":    auth.Analyst,
	"POST /api/v1/schedule":           auth.Admin,
	"DELETE /api/v1/schedule/:id":     auth.Admin,
	"GET /api/v1/overdue":             auth.Analyst,
	"POST /api/v1/annotations":        auth.Analyst,
	"POST /api/v1/annotations/:id":    auth.Analyst,
	"DELETE /api/v1/annotations/:id":  auth.Analyst,
}

// accessByPrefix covers routes routeAccess does not list, by path prefix.
var accessByPrefix = []struct{ prefix, need string }{
	{"/admin/", auth.Admin},
	{"/upload", auth.Analyst},
	{"/batches", auth.Analyst},
	{"/mappings", auth.Analyst},
}

// access returns what the request's route needs.
func access(c *gin.Context) string {
	if need, ok := routeAccess[c.Request.Method+" "+c.FullPath()]; ok {
		return need
	}
	for _, p := range accessByPrefix {
		if strings.HasPrefix(c.Request.URL.Path, p.prefix) {
			return p.need
		}
	}
	if isSafeMethod(c.Request.Method) {
		return levelDashboard
	}
	return auth.Admin
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// identify finds who makes the request: a Bearer token on the API, else the
// session cookie. A bad token is refused at once; a bad cookie is ignored
// (and cleared) so the request goes on as anonymous.
func (a *accounts) identify() gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx := c.Request.Context()
		if h := c.GetHeader("Authorization"); h != "" && isAPI(c) {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			_, u, err := a.auth.TokenUser(ctx, strings.TrimSpace(secret))
			if !ok || err != nil {
				if err != nil && !errors.Is(err, auth.ErrBadToken) {
					a.s.logger(c).Error("token lookup", "err", err)
					c.AbortWithStatusJSON(http.StatusServiceUnavailable, gin.H{"error": a.s.cat.T(lang(c), "api.error.database", nil)})
					return
				}
				c.Header("WWW-Authenticate", `Bearer realm="postdash"`)
				c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": a.s.cat.T(lang(c), "api.error.bad_token", nil)})
				return
			}
			c.Set(keyUser, u)
			c.Set(keyVia, viaToken)
			c.Next()
			return
		}
		if id, err := c.Cookie(sessionCookie); err == nil && id != "" {
			sess, u, err := a.auth.Session(ctx, id)
			switch {
			case err == nil:
				c.Set(keyUser, u)
				c.Set(keySession, sess)
				c.Set(keyVia, viaSession)
			case errors.Is(err, auth.ErrNoSession):
				a.clearSessionCookie(c)
			default:
				a.s.logger(c).Error("session lookup", "err", err)
			}
		}
		c.Next()
	}
}

// authorize applies routeAccess: anonymous readers of a page are sent to the
// login page (API callers get 401), signed-in users without the role get 403.
func (a *accounts) authorize() gin.HandlerFunc {
	return func(c *gin.Context) {
		need := access(c)
		if need == levelPublic || (need == levelDashboard && a.s.cfg.Public) {
			c.Next()
			return
		}
		if need == levelDashboard {
			need = auth.Viewer
		}
		u, ok := currentUser(c)
		switch {
		case !ok && isAPI(c):
			c.Header("WWW-Authenticate", `Bearer realm="postdash"`)
			c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": a.s.cat.T(lang(c), "api.error.no_credentials", map[string]string{"header": "Authorization: Bearer TOKEN"})})
		case !ok && isSafeMethod(c.Request.Method):
			c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request.URL.RequestURI()))
			c.Abort()
		case !ok:
			a.deny(c, http.StatusUnauthorized, "acct.error.signin")
		case !auth.Allows(u.Role, need):
			a.deny(c, http.StatusForbidden, "acct.error.role")
		default:
			c.Next()
		}
	}
}

// csrf refuses a state-changing request from another origin, or one signed
// in by cookie without the session's CSRF token (form field csrf or header
// X-CSRF-Token). Token-authenticated API calls carry no ambient credential
// and need no CSRF token. A streamed upload carries its token in a form
// field before the file; the upload handler checks it while streaming.
func (a *accounts) csrf() gin.HandlerFunc {
	return func(c *gin.Context) {
		if isSafeMethod(c.Request.Method) {
			c.Next()
			return
		}
		if !a.sameOrigin(c.Request) {
			a.deny(c, http.StatusForbidden, "acct.error.csrf")
			return
		}
		if c.GetString(keyVia) != viaSession {
			c.Next() // anonymous (login has its own token) or API token
			return
		}
		sess := c.MustGet(keySession).(auth.Session)
		if tok := c.GetHeader(csrfHeader); tok != "" {
			if !auth.CheckCSRF(sess, tok) {
				a.deny(c, http.StatusForbidden, "acct.error.csrf")
				return
			}
			c.Next()
			return
		}
		if isMultipart(c.Request) && streamedUploads[c.Request.Method+" "+c.FullPath()] {
			c.Next() // checked by readUpload from the fields before the file
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxFormBytes)
		if !auth.CheckCSRF(sess, c.PostForm(csrfField)) {
			a.deny(c, http.StatusForbidden, "acct.error.csrf")
			return
		}
		c.Next()
	}
}

// streamedUploads are the routes whose multipart body readUpload streams;
// their CSRF token is read from the form fields sent before the file.
var streamedUploads = map[string]bool{"POST /upload": true, "POST /api/v1/imports": true, "POST /mappings": true}

// maxFormBytes caps a plain form (login, confirm, undo).
const maxFormBytes = 64 << 10

func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}

// sameOrigin reports whether a request comes from this site, as
// http.CrossOriginProtection decides it (Sec-Fetch-Site, else Origin against
// Host). A request with neither passes (scripts, old clients: browsers send
// them on every cross-site POST), unless a Referer names another host.
func (a *accounts) sameOrigin(r *http.Request) bool {
	if err := a.origins.Check(r); err != nil {
		return false
	}
	if r.Header.Get("Sec-Fetch-Site") != "" || r.Header.Get("Origin") != "" {
		return true
	}
	ref := r.Header.Get("Referer")
	if ref == "" {
		return true
	}
	u, err := url.Parse(ref)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
}

// currentUser returns the signed-in user (or API token owner), if any.
func currentUser(c *gin.Context) (auth.User, bool) {
	v, ok := c.Get(keyUser)
	if !ok {
		return auth.User{}, false
	}
	u, ok := v.(auth.User)
	return u, ok
}

// csrfToken returns the session's CSRF token for forms ("" when signed out).
func csrfToken(c *gin.Context) string {
	if v, ok := c.Get(keySession); ok {
		return v.(auth.Session).CSRFToken
	}
	return ""
}

// actor is who does what from where, for the audit log.
func actor(c *gin.Context) auth.Actor {
	u, _ := currentUser(c)
	return auth.Actor{User: u.Name, Remote: c.ClientIP()}
}

// deny answers an error: JSON on the API, a short page elsewhere.
func (a *accounts) deny(c *gin.Context, status int, key string) {
	if isAPI(c) {
		c.AbortWithStatusJSON(status, gin.H{"error": a.s.cat.T(lang(c), key, nil)})
		return
	}
	a.message(c, status, key, nil)
	c.Abort()
}
