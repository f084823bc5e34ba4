package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"postdash/internal/i18n"
	"postdash/internal/logctx"
)

// Context keys set by the middleware.
const (
	keyRequestID = "request_id"
	keyLang      = "lang"
	langCookie   = "lang"
)

// requestLog gives each request an id (header X-Request-ID) and logs it once done.
func (s *Server) requestLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		var b [8]byte
		_, _ = rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		c.Set(keyRequestID, id)
		c.Header("X-Request-ID", id)
		c.Request = c.Request.WithContext(logctx.WithRequestID(c.Request.Context(), id))
		c.Next()
		lvl := slog.LevelInfo
		if c.Writer.Status() >= 500 {
			lvl = slog.LevelError
		}
		s.log.LogAttrs(c.Request.Context(), lvl, "request",
			slog.String("method", c.Request.Method),
			slog.String("path", c.Request.URL.Path),
			slog.String("query", c.Request.URL.RawQuery),
			slog.Int("status", c.Writer.Status()),
			slog.Int("bytes", c.Writer.Size()),
			slog.Duration("took", time.Since(start)),
			slog.String("remote", c.ClientIP()),
		)
	}
}

// logger returns the server's logger for a request's lines; they carry
// its id through logctx.Handler, for the record is made with c.
func (s *Server) logger(c *gin.Context) reqLogger {
	return reqLogger{log: s.log, ctx: c}
}

// reqLogger logs with a request's context.
type reqLogger struct {
	log *slog.Logger
	ctx context.Context
}

func (l reqLogger) Error(msg string, args ...any) { l.log.ErrorContext(l.ctx, msg, args...) }
func (l reqLogger) Warn(msg string, args ...any)  { l.log.WarnContext(l.ctx, msg, args...) }
func (l reqLogger) Info(msg string, args ...any)  { l.log.InfoContext(l.ctx, msg, args...) }

// recovery turns a panic into a logged 500 instead of a dropped connection.
func (s *Server) recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				s.logger(c).Error("panic", "panic", r, "path", c.Request.URL.Path)
				c.AbortWithStatus(http.StatusInternalServerError)
			}
		}()
		c.Next()
	}
}

// language picks the reader's language: ?lang=, then the cookie, then
// Accept-Language, then the default. A ?lang= choice is kept in the cookie.
func (s *Server) language() gin.HandlerFunc {
	return func(c *gin.Context) {
		q := c.Query("lang")
		cookie, _ := c.Cookie(langCookie)
		l := i18n.Negotiate(q, cookie, c.GetHeader("Accept-Language"), s.cfg.DefaultLang)
		if q != "" && string(l) != cookie {
			if _, ok := i18n.ParseLang(q); ok {
				http.SetCookie(c.Writer, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
			}
		}
		c.Set(keyLang, l)
		c.Header("Content-Language", l.HTML())
		c.Header("Vary", "Accept-Language, Cookie")
		c.Next()
	}
}

// lang returns the request's language.
func lang(c *gin.Context) i18n.Lang {
	if l, ok := c.Get(keyLang); ok {
		return l.(i18n.Lang)
	}
	return i18n.EN
}
