package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"postdash/internal/store"
)

// welcome is what serve prints once it is ready: where to point a browser
// and how to sign in, as one block on standard error, apart from the log.
type welcome struct {
	addr     net.Addr // where the listener is bound
	public   bool     // --public
	created  bool     // this start created the user admin
	password string   // its generated password; "" when taken from POSTDASH_ADMIN_PASSWORD
	passwd   string   // the command that sets a new password for admin
}

// print writes the block.
func (w welcome) print(out io.Writer) {
	url, where := describeAddr(w.addr)
	var b strings.Builder
	rule := strings.Repeat("─", 72)
	fmt.Fprintf(&b, "\n%s\npostdash is ready.\n\n", rule)
	fmt.Fprintf(&b, "  URL:       %s\n", url)
	fmt.Fprintf(&b, "             listening on %s\n", where)
	switch {
	case w.created && w.password != "":
		fmt.Fprintf(&b, "  User:      admin\n")
		fmt.Fprintf(&b, "  Password:  %s\n", w.password)
		fmt.Fprintf(&b, "             shown only this once; set a new one with:\n")
		fmt.Fprintf(&b, "             %s\n", w.passwd)
	case w.created:
		fmt.Fprintf(&b, "  User:      admin\n")
		fmt.Fprintf(&b, "  Password:  the one in POSTDASH_ADMIN_PASSWORD (set a new one with: %s)\n", w.passwd)
	default:
		fmt.Fprintf(&b, "  Sign in:   with your account (forgotten password: %s)\n", strings.TrimSuffix(w.passwd, "admin")+"NAME")
	}
	if w.public {
		fmt.Fprintf(&b, "  Public:    anyone may read the dashboard without signing in (--public)\n")
	}
	fmt.Fprintf(&b, "  Stop:      Ctrl-C (finishes the requests under way, then exits)\n%s\n\n", rule)
	io.WriteString(out, b.String())
}

// describeAddr gives the URL a browser on this computer opens, and which
// interfaces the address listens on.
func describeAddr(a net.Addr) (url, where string) {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String() + "/", a.String()
	}
	ip := net.ParseIP(host)
	switch {
	case host == "" || ip != nil && ip.IsUnspecified():
		return "http://localhost:" + port + "/",
			"all interfaces, port " + port + ": other computers can open it too (--addr 127.0.0.1:" + port + " keeps it to this one)"
	case ip != nil && ip.IsLoopback():
		return "http://" + net.JoinHostPort(host, port) + "/", host + " only (this computer), port " + port
	default:
		return "http://" + net.JoinHostPort(host, port) + "/", host + " only, port " + port
	}
}

// passwdCommand is how to give admin a new password with the binary that
// runs now: `go run ./cmd/postdash …` under `go run`, else the binary by a
// name the shell finds (on the PATH, ./postdash here, or its full path).
// dbArg is a --db argument to add ("" for none).
func passwdCommand(exe, wd string, lookPath func(string) (string, error), dbArg string) string {
	var cmd string
	switch {
	case isGoRun(exe):
		cmd = "go run ./cmd/postdash"
	case sameFile(lookPathOr(lookPath, filepath.Base(exe)), exe):
		cmd = filepath.Base(exe)
	case filepath.Dir(exe) == filepath.Clean(wd):
		cmd = "./" + filepath.Base(exe)
	default:
		cmd = shellQuote(exe)
	}
	cmd += " user passwd"
	if dbArg != "" {
		cmd += " --db " + shellQuote(dbArg)
	}
	return cmd + " admin"
}

// goBuildCache matches an executable that `go run` cached (Go 1.24+):
// GOCACHE/xx/<64 hex>-d/NAME.
var goBuildCache = regexp.MustCompile(`/[0-9a-f]{2}/[0-9a-f]{64}-d/[^/]+$`)

// isGoRun reports whether exe is a binary built by `go run`: in its
// temporary work folder ($TMPDIR/go-buildNNN/b001/exe/NAME) or, when run
// again, in the build cache.
func isGoRun(exe string) bool {
	exe = filepath.ToSlash(exe)
	if goBuildCache.MatchString(exe) {
		return true
	}
	parts := strings.Split(exe, "/")
	if len(parts) < 3 || parts[len(parts)-2] != "exe" {
		return false
	}
	for _, p := range parts[:len(parts)-2] {
		if strings.HasPrefix(p, "go-build") {
			return true
		}
	}
	return false
}

func lookPathOr(lookPath func(string) (string, error), name string) string {
	p, err := lookPath(name)
	if err != nil {
		return ""
	}
	return p
}

// sameFile reports whether a and b name one existing file.
func sameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+:,=@%", r))
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// thisPasswdCommand is passwdCommand for the running process; dsn is the
// database serve opened, named when `user passwd` would not open it by
// default.
func thisPasswdCommand(e *env, dsn string) string {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	wd, _ := os.Getwd()
	def := e.getenv("POSTDASH_DB")
	if def == "" {
		def = "postdash.db"
	}
	dbArg := ""
	if dsn != def {
		dbArg = store.RedactDSN(dsn)
	}
	return passwdCommand(exe, wd, exec.LookPath, dbArg)
}
