package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"
)

// This file holds what the multi-instance test (instances_test.go) drives:
// a scratch PostgreSQL schema, the real postdash binary running as separate
// processes, and a cookie-keeping browser that scrapes CSRF tokens.

// postgresEnv names the DSN of a PostgreSQL server the tests may use.
const postgresEnv = "POSTDASH_TEST_POSTGRES"

// Bounds on everything the test waits for.
const (
	startTimeout   = 60 * time.Second // build excluded: migrate, first admin, sample import
	requestTimeout = 30 * time.Second
	jobTimeout     = 60 * time.Second
	stopTimeout    = 15 * time.Second
)

// scratchSchema creates a schema of its own on the server named by
// POSTDASH_TEST_POSTGRES and returns a DSN whose search_path is that schema.
// The schema is dropped when the test ends, after the servers stopped.
func scratchSchema(t *testing.T, dsn string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to %s: %v", postgresEnv, err)
	}
	defer conn.Close(ctx)
	var suffix [6]byte
	rand.Read(suffix[:])
	schema := "postdash_instances_" + hex.EncodeToString(suffix[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parse %s: %v", postgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// buildPostdash builds this command into a temporary folder.
func buildPostdash(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build postdash: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "postdash")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, gobin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// childEnv is the environment of a postdash process: ours without any
// POSTDASH_ variable, plus vars.
func childEnv(vars ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "POSTDASH_") {
			env = append(env, kv)
		}
	}
	return append(env, vars...)
}

// runPostdash runs a one-shot subcommand of bin and returns its stdout.
func runPostdash(t *testing.T, bin, dsn string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = childEnv("POSTDASH_DB=" + dsn)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("postdash %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// logBuffer collects a process's output; safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// instance is one `postdash serve` process.
type instance struct {
	name   string
	base   string // http://127.0.0.1:PORT
	cmd    *exec.Cmd
	log    *logBuffer
	exited chan struct{} // closed when the process has ended
	err    error         // of Wait, once exited is closed
}

// startInstance starts `postdash serve` on a free loopback port. The test's
// cleanup stops it (SIGTERM, then SIGKILL after stopTimeout) and, when the
// test failed, prints its log.
func startInstance(t *testing.T, bin, name, dsn string, env ...string) *instance {
	t.Helper()
	addr := freeAddr(t)
	in := &instance{name: name, base: "http://" + addr, log: &logBuffer{}, exited: make(chan struct{})}
	in.cmd = exec.Command(bin, "serve", "--db", dsn, "--addr", addr, "--lang", "en")
	in.cmd.Env = childEnv(env...)
	in.cmd.Stdout, in.cmd.Stderr = in.log, in.log
	in.cmd.WaitDelay = stopTimeout
	if err := in.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		in.err = in.cmd.Wait()
		close(in.exited)
	}()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("---- log of instance %s (%s) ----\n%s", in.name, in.base, in.log.String())
		}
	})
	t.Cleanup(func() { in.stop(t) }) // runs before the log is printed
	return in
}

// stop ends the process and waits for it, within bounds.
func (in *instance) stop(t *testing.T) {
	select {
	case <-in.exited:
		return
	default:
	}
	_ = in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.exited:
	case <-time.After(stopTimeout):
		t.Errorf("instance %s did not stop within %v of SIGTERM; killing it", in.name, stopTimeout)
		_ = in.cmd.Process.Kill()
		select {
		case <-in.exited:
		case <-time.After(stopTimeout):
			t.Errorf("instance %s (pid %d) survived SIGKILL", in.name, in.cmd.Process.Pid)
		}
	}
}

// freeAddr returns a loopback address with a port nobody listens on now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().String()
}

// waitHealthy waits until GET /healthz answers 200; it fails early when the
// process exits.
func (in *instance) waitHealthy() error {
	deadline := time.Now().Add(startTimeout)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		select {
		case <-in.exited:
			return fmt.Errorf("instance %s exited before it was healthy: %v", in.name, in.err)
		default:
		}
		resp, err := client.Get(in.base + "/healthz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("instance %s not healthy after %v (last: %v)", in.name, startTimeout, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// response is what a request answered, read in full.
type response struct {
	status int
	header http.Header
	body   string
}

// location returns the path a redirect points to.
func (r response) location() string { return r.header.Get("Location") }

// browser talks to the instances as one browser would: one cookie jar for
// 127.0.0.1 (cookies do not care about ports, as behind one proxy they
// would not care about instances), redirects left to the test, and an
// Origin header naming the instance a form is posted to.
type browser struct {
	t      *testing.T
	client *http.Client
	token  string // Bearer token for the API, when set
}

func newBrowser(t *testing.T) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, client: &http.Client{
		Jar: jar, Timeout: requestTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// do sends a request and reads the answer; errors are returned, not fatal,
// so that goroutines may call it.
func (b *browser) do(in *instance, method, path, contentType string, body io.Reader) (response, error) {
	req, err := http.NewRequest(method, in.base+path, body)
	if err != nil {
		return response{}, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if method != http.MethodGet {
		req.Header.Set("Origin", in.base)
	}
	if b.token != "" {
		req.Header.Set("Authorization", "Bearer "+b.token)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return response{}, fmt.Errorf("%s %s on %s: %w", method, path, in.name, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, fmt.Errorf("%s %s on %s: read body: %w", method, path, in.name, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(data)}, nil
}

// must fails the test on a transport error or an unexpected status.
func (b *browser) must(r response, err error, want int, what string) response {
	b.t.Helper()
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if r.status != want {
		b.t.Fatalf("%s: status %d, want %d\n%s", what, r.status, want, shorten(r.body))
	}
	return r
}

func (b *browser) get(in *instance, path string, want int) response {
	b.t.Helper()
	r, err := b.do(in, http.MethodGet, path, "", nil)
	return b.must(r, err, want, "GET "+path+" on "+in.name)
}

func (b *browser) postForm(in *instance, path string, form url.Values, want int) response {
	b.t.Helper()
	r, err := b.do(in, http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	return b.must(r, err, want, "POST "+path+" on "+in.name)
}

// multipartBody encodes fields (in order, before the file) and a file part.
func multipartBody(fields [][2]string, fileName string, content []byte) (string, []byte) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range fields {
		w.WriteField(f[0], f[1])
	}
	fw, _ := w.CreateFormFile("file", fileName)
	fw.Write(content)
	w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf returns the CSRF token of the first form on a page.
func (b *browser) csrfOf(page response, what string) string {
	b.t.Helper()
	m := csrfInput.FindStringSubmatch(page.body)
	if m == nil {
		b.t.Fatalf("%s: no CSRF token in the page\n%s", what, shorten(page.body))
	}
	return m[1]
}

// login signs in on in through the login form.
func (b *browser) login(in *instance, name, password string) { b.loginAcross(in, in, name, password) }

// loginAcross gets the login form from one instance and posts it to another.
func (b *browser) loginAcross(from, to *instance, name, password string) {
	b.t.Helper()
	page := b.get(from, "/login", http.StatusOK)
	r := b.postForm(to, "/login", url.Values{"csrf": {b.csrfOf(page, "login page on "+from.name)},
		"name": {name}, "password": {password}, "next": {"/upload"}}, http.StatusSeeOther)
	if r.location() != "/upload" {
		b.t.Fatalf("login on %s: redirected to %q, want /upload", to.name, r.location())
	}
}

// shorten keeps failure messages readable.
func shorten(s string) string {
	const limit = 2000
	if len(s) > limit {
		return s[:limit] + "…"
	}
	return s
}

// sheetRow is one row of a long-layout workbook.
type sheetRow struct {
	month, direction, partner, category string
	items                               int64
	kg                                  float64
}

// workbookOf builds a long-layout .xlsx holding rows.
func workbookOf(t *testing.T, rows []sheetRow) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	if err := f.SetSheetRow(sh, "A1", &[]any{"period", "direction", "partner", "category", "items", "weight, kg"}); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sh, cell, &[]any{r.month, r.direction, r.partner, r.category, r.items, r.kg}); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// errJoin collects the errors of goroutines.
type errJoin struct {
	mu   sync.Mutex
	errs []error
}

func (e *errJoin) add(err error) {
	if err != nil {
		e.mu.Lock()
		e.errs = append(e.errs, err)
		e.mu.Unlock()
	}
}

func (e *errJoin) err() error { return errors.Join(e.errs...) }
