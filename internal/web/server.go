// Package web owns postdash's HTTP side: the gin router and its middleware,
// one handler file per page, the JSON API, exports, and the static assets
// (ECharts, CSS, favicon) served from an embedded file system.
package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
	_ "time/tzdata" // time zones without the system's database (offline machines)

	"github.com/gin-gonic/gin"

	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/logctx"
	"postdash/templates"
)

// Config is how the server runs; cmd fills it from flags and environment.
type Config struct {
	Addr           string // listen address, e.g. ":8080"
	Public         bool   // anyone may view without signing in
	DefaultLang    i18n.Lang
	TrustedProxies []string // proxies whose X-Forwarded-For is believed; none by default
	SecureCookies  bool     // mark cookies Secure even on plain HTTP (TLS ends at a proxy)
	Logger         *slog.Logger
	Location       *time.Location   // the readers' time zone for times shown; nil is DefaultTimeZone
	Now            func() time.Time // the clock the schedule is judged by; nil is the system's
	// BusyProcs is the GOMAXPROCS while readers are answered (see procs);
	// 0, or not above the current one, leaves it alone.
	BusyProcs int
}

// DefaultTimeZone is where the dashboard's readers are unless told otherwise.
const DefaultTimeZone = "Asia/Tashkent"

// Server serves the dashboard.
type Server struct {
	cfg   Config
	store importer.Store
	imp   *importer.Importer
	cat   *i18n.Catalogs
	log   *slog.Logger
	tpl   *template.Template
	cache viewCache
	// viewLoadHook, when set (by tests), runs at the start of every load
	// of an overview's view, with its cache key.
	viewLoadHook func(key string)
	background   sync.WaitGroup // the loads of views readers do not wait for
	pendingMu    sync.Mutex
	pending      map[string]bool // the names of the background tasks running
	jobs         *importer.Jobs  // every import, from the pages or the API, passes its gate
	gz           gzipped         // compressed static files
	procs        *procs          // nil: GOMAXPROCS left alone
	boot         string          // when this server started: pages of an older binary are not "not modified"
}

// New builds a Server; it parses the templates once.
func New(cfg Config, st importer.Store, imp *importer.Importer, cat *i18n.Catalogs) (*Server, error) {
	cfg.Logger = logctx.Logger(cfg.Logger)
	if cfg.Location == nil {
		loc, err := time.LoadLocation(DefaultTimeZone)
		if err != nil {
			return nil, fmt.Errorf("time zone %s: %w", DefaultTimeZone, err)
		}
		cfg.Location = loc
	}
	if cfg.DefaultLang == "" {
		cfg.DefaultLang = i18n.UzLatn
	}
	tpl, err := template.New("").Funcs(funcs).ParseFS(templates.FS, "*.html")
	if err != nil {
		return nil, fmt.Errorf("parse templates: %w", err)
	}
	return &Server{cfg: cfg, store: st, imp: imp, cat: cat, log: cfg.Logger, tpl: tpl,
		jobs: importer.NewJobs(imp, st, cfg.Logger), boot: strconv.FormatInt(time.Now().UnixNano(), 36),
		procs: newProcs(cfg.BusyProcs)}, nil
}

// Handler returns the HTTP handler of every route.
func (s *Server) Handler() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.ContextWithFallback = true // a handler's c is its request's context: the request id travels in it
	if err := r.SetTrustedProxies(s.cfg.TrustedProxies); err != nil {
		s.log.Warn("trusted proxies", "err", err)
	}
	r.Use(s.requestLog(), s.recovery(), s.language())
	if s.procs != nil {
		r.Use(s.busyProcs())
	}
	// Accounts: security headers, sign-in, roles and CSRF on every route below,
	// plus the login, upload, batches, audit and import-API routes (auth_routes.go).
	s.useAccounts(r)
	r.GET("/healthz", s.healthz)
	s.routeStatic(r)
	r.GET("/", s.overview)
	r.GET("/export.xlsx", s.exportXLSX)
	r.GET("/export.csv", s.exportCSV)
	r.GET("/template.xlsx", s.template)
	r.GET("/briefing", s.briefing)
	r.GET("/trace", s.trace)
	api := r.Group("/api/v1")
	api.GET("/totals", s.apiTotals)
	api.GET("/batches", s.apiBatches)
	r.NoRoute(s.notFound)
	return r
}

// Run listens on the configured address and serves until ctx is
// cancelled, then shuts down gracefully.
func (s *Server) Run(ctx context.Context) error {
	l, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	return s.Serve(ctx, l)
}

// Serve serves on l (which it closes) until ctx is cancelled, then shuts
// down gracefully. serve binds l before it opens the database, so that a
// taken port fails before anything is created.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	addr := l.Addr().String()
	// No read or write timeout: an upload of 100 MiB over a slow line may
	// take minutes. Idle keep-alive connections are closed after a while.
	srv := &http.Server{Addr: addr, Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	pctx, stopPruning := context.WithCancel(ctx)
	pruned := make(chan struct{})
	go func() {
		defer close(pruned)
		s.jobs.Prune(pctx, 6*time.Hour)
	}()
	defer func() { stopPruning(); <-pruned }()
	go func() {
		s.log.Info("listening", "addr", addr, "public", s.cfg.Public)
		errc <- srv.Serve(l)
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", addr, err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(shut)
	s.drainJobs() // even when requests outlived the shutdown's time
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve %s: %w", addr, err)
	}
	return nil
}

func (s *Server) healthz(c *gin.Context) {
	if _, err := s.store.DataVersion(c.Request.Context()); err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "error", "error": s.cat.T(lang(c), "api.error.database", nil)})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}
