package main

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"strconv"
	"time"

	"postdash/internal/auth"
	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/sheet"
	"postdash/internal/store"
	"postdash/internal/web"
)

// cmdServe runs the dashboard until SIGINT or SIGTERM.
func cmdServe(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "serve")
	db := dbFlag(fs, e)
	addr := fs.String("addr", envOr(e, "POSTDASH_ADDR", ":8080"), "listen address (env POSTDASH_ADDR)")
	public := fs.Bool("public", envBool(e, "POSTDASH_PUBLIC"), "anyone may view dashboards without signing in (env POSTDASH_PUBLIC)")
	noSample := fs.Bool("no-sample", envBool(e, "POSTDASH_NO_SAMPLE"), "start empty: do not import the sample workbook into an empty database (env POSTDASH_NO_SAMPLE)")
	lang := fs.String("lang", envOr(e, "POSTDASH_LANG", string(i18n.UzLatn)), "default language: uz-Latn, uz-Cyrl, ru or en (env POSTDASH_LANG)")
	proxies := fs.String("trusted-proxies", e.getenv("POSTDASH_TRUSTED_PROXIES"), "comma list of reverse-proxy addresses or CIDRs whose X-Forwarded-* headers are believed (env POSTDASH_TRUSTED_PROXIES)")
	secure := fs.Bool("secure-cookies", envBool(e, "POSTDASH_SECURE_COOKIES"), "mark cookies Secure although postdash itself serves plain HTTP (TLS ends at a proxy) (env POSTDASH_SECURE_COOKIES)")
	tz := fs.String("tz", envOr(e, "POSTDASH_TZ", web.DefaultTimeZone), "time zone of the times shown, e.g. Asia/Tashkent or UTC (env POSTDASH_TZ)")
	if rest, err := parseFlags(fs, args); err != nil {
		return 2
	} else if len(rest) > 0 {
		return e.say(2, "cli.usage.unexpected", map[string]string{"cmd": "serve", "value": rest[0]})
	}
	l, ok := i18n.ParseLang(*lang)
	if !ok {
		return e.badValue("serve", "--lang", *lang, langList)
	}
	if given(fs, "lang") {
		e.lang = l // the dashboard's default language is the messages' too
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return e.say(2, "cli.usage.time_zone", map[string]string{"cmd": "serve", "flag": "--tz", "value": *tz})
	}
	if err := serve(ctx, e, serveConfig{
		dsn: *db, sample: !*noSample,
		web: web.Config{Addr: *addr, Public: *public, DefaultLang: l,
			TrustedProxies: splitList(*proxies), SecureCookies: *secure, Logger: e.log, Location: loc},
	}); err != nil {
		return fail(e, 1, "serve: %v", err)
	}
	return 0
}

type serveConfig struct {
	dsn    string
	sample bool
	web    web.Config
}

// serve binds the listener first, so that a taken port fails before
// anything is created; then it opens (and migrates) the database, creates
// the first administrator, imports the sample, prints the welcome block and
// serves.
func serve(ctx context.Context, e *env, cfg serveConfig) error {
	l, err := net.Listen("tcp", cfg.web.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.web.Addr, err)
	}
	// Serve closes l too; the second Close does nothing.
	defer l.Close()
	st, err := openStore(ctx, cfg.dsn) // Open applies pending migrations
	if err != nil {
		return err
	}
	defer st.Close()
	e.log.Info("database ready", "db", store.RedactDSN(cfg.dsn))
	cat, err := i18n.Load()
	if err != nil {
		return err
	}
	svc, err := auth.New(st, auth.Config{}, e.log)
	if err != nil {
		return err
	}
	created, generated, err := svc.EnsureAdmin(ctx, e.getenv("POSTDASH_ADMIN_PASSWORD"))
	if err != nil {
		return err
	}
	imp := importer.New(st, sheet.Limits{}, e.log)
	if cfg.sample {
		if err := web.EnsureSample(ctx, st, imp, e.log); err != nil {
			return err
		}
	}
	cfg.web.BusyProcs = serverProcs(e.getenv("GOMAXPROCS"), runtime.GOMAXPROCS(0))
	srv, err := web.New(cfg.web, st, imp, cat)
	if err != nil {
		return err
	}
	if cfg.web.BusyProcs > 0 {
		e.log.Info("scheduler", "gomaxprocs", runtime.GOMAXPROCS(0), "while_reading", cfg.web.BusyProcs, "set_by", "postdash")
	} else {
		e.log.Info("scheduler", "gomaxprocs", runtime.GOMAXPROCS(0), "set_by", "GOMAXPROCS")
	}
	welcome{addr: l.Addr(), public: cfg.web.Public, created: created, password: generated,
		passwd: thisPasswdCommand(e, cfg.dsn)}.print(e.stderr)
	if err := srv.Serve(ctx, l); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	return nil
}

// procsPerCore is how many of Go's processors (Ps) the server runs per
// core while readers are being answered, so that they are answered before
// uploads are parsed (web.Config.BusyProcs). Not more than two: Go's
// garbage collector runs a quarter of the Ps as workers, which at four per
// core would be every core.
const procsPerCore = 2

// serverProcs is the GOMAXPROCS the server runs while readers are
// answered, procsPerCore per core of the runtime's default (the cores it
// may use), or 0 to leave it as it is: an operator's GOMAXPROCS is obeyed.
func serverProcs(env string, cores int) int {
	if env != "" || cores < 1 {
		return 0
	}
	return cores * procsPerCore
}

// envOr returns the environment variable name, or def when it is unset.
func envOr(e *env, name, def string) string {
	if v := e.getenv(name); v != "" {
		return v
	}
	return def
}

// envBool reads a boolean environment variable; unset or unreadable is false.
func envBool(e *env, name string) bool {
	b, _ := strconv.ParseBool(e.getenv(name))
	return b
}
