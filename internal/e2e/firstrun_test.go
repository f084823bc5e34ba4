//go:build unix

package e2e

import (
	"bufio"
	"context"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestFirstRun is a newcomer's first five minutes with the real binary,
// built once: a taken port fails at once and creates nothing; the first
// `serve` prints a block from which alone a browser signs in and lands on
// the dashboard within a minute; and every command of the README runs as
// written (readme_test.go).
func TestFirstRun(t *testing.T) {
	bin := buildPostdash(t)
	t.Run("taken port", func(t *testing.T) { checkTakenPort(t, bin) })
	t.Run("newcomer", func(t *testing.T) { checkNewcomer(t, bin) })
	t.Run("go run", checkGoRun)
	t.Run("README commands", func(t *testing.T) { checkReadmeCommands(t, bin) })
}

// buildPostdash builds cmd/postdash into a temporary folder.
func buildPostdash(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build postdash: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "postdash")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	began := time.Now()
	if out, err := exec.CommandContext(ctx, gobin, "build", "-o", bin, "postdash/cmd/postdash").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("go build: %v", time.Since(began).Round(time.Millisecond))
	return bin
}

// checkTakenPort: serve on a port someone else holds exits non-zero at once,
// before it creates the database, the first admin or the sample.
func checkTakenPort(t *testing.T, bin string) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve", "--addr", l.Addr().String())
	cmd.Dir, cmd.Env = dir, childEnv()
	began := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(began)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() <= 0 {
		t.Fatalf("serve on a taken port: %v, want a non-zero exit\n%s", err, out)
	}
	if took > 5*time.Second {
		t.Errorf("serve on a taken port took %v to fail, want at once", took)
	}
	if !strings.Contains(string(out), "address already in use") {
		t.Errorf("the error does not say the address is in use:\n%s", out)
	}
	for _, no := range []string{"database ready", "created user admin", "sample", "Password"} {
		if strings.Contains(string(out), no) {
			t.Errorf("serve on a taken port said %q before failing:\n%s", no, out)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("serve on a taken port left %s (and %d more) in its folder", left[0].Name(), len(left)-1)
	}
	t.Logf("exit %d after %v: %s", exit.ExitCode(), took.Round(time.Millisecond), strings.TrimSpace(string(out)))
}

// printed is what the welcome block told the newcomer.
type printed struct {
	url, user, password string
	block               string
}

var (
	blockURL      = regexp.MustCompile(`(?m)^\s*URL:\s+(http://\S+)\s*$`)
	blockUser     = regexp.MustCompile(`(?m)^\s*User:\s+(\S+)\s*$`)
	blockPassword = regexp.MustCompile(`(?m)^\s*Password:\s+(\S+)\s*$`)
	blockPasswd   = regexp.MustCompile(`(?m)^\s+(\S*postdash user passwd admin)\s*$`)
)

// readBlock reads stderr until the welcome block is complete (its Stop line).
func readBlock(sc *bufio.Scanner) (printed, error) {
	var all strings.Builder
	for sc.Scan() {
		all.WriteString(sc.Text() + "\n")
		if !strings.HasPrefix(strings.TrimSpace(sc.Text()), "Stop:") {
			continue
		}
		s := all.String()
		p := printed{block: s}
		for re, dst := range map[*regexp.Regexp]*string{blockURL: &p.url, blockUser: &p.user, blockPassword: &p.password} {
			if m := re.FindStringSubmatch(s); m != nil {
				*dst = m[1]
			}
		}
		if p.url == "" || p.user == "" || p.password == "" {
			return p, errors.New("the block lacks a URL, a user or a password")
		}
		return p, nil
	}
	return printed{block: all.String()}, errors.New("stderr ended before the block was printed")
}

// logBuffer collects the server's log; safe for concurrent use.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) add(line string) { l.mu.Lock(); l.b.WriteString(line + "\n"); l.mu.Unlock() }

func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// checkNewcomer is the "done when": a fresh folder, the README's
// first command (the built binary in place of `go run`, which the unit test
// of cmd/postdash recognises), the browser, signed in within a minute using
// only what the terminal printed; then Ctrl-C stops the server cleanly.
func checkNewcomer(t *testing.T, bin string) {
	exe := chromium(t)
	dir := t.TempDir()
	// A free loopback port instead of :8080, which the machine may be using.
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	cmd.Dir, cmd.Env = dir, childEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	var log logBuffer
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // after the Ctrl-C below, a no-op
		if t.Failed() {
			t.Logf("---- server log after the block ----\n%s", log.String())
		}
	})

	type result struct {
		p   printed
		err error
	}
	got := make(chan result, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		p, err := readBlock(sc)
		got <- result{p, err}
		for sc.Scan() { // drain, so the server never blocks on a full pipe
			log.add(sc.Text())
		}
		exited <- cmd.Wait()
	}()
	var p printed
	select {
	case r := <-got:
		if r.err != nil {
			t.Fatalf("%v:\n%s", r.err, r.p.block)
		}
		p = r.p
	case <-time.After(60 * time.Second):
		t.Fatal("no welcome block within a minute")
	}
	ready := time.Since(began)
	t.Logf("the block, after %v:\n%s", ready.Round(time.Millisecond), p.block)
	if !blockPasswd.MatchString(p.block) {
		t.Errorf("the block does not say how to set a new password (… postdash user passwd admin)")
	}
	if _, err := os.Stat(filepath.Join(dir, "postdash.db")); err != nil {
		t.Errorf("serve did not create postdash.db in its folder: %v", err)
	}

	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("lang", "en-US"))
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithDeadline(ctx, began.Add(60*time.Second))
	defer cancel()
	if err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(p.url), // the dashboard sends a stranger to the login page
		chromedp.WaitVisible(chromedp.ID("login-first-start")),
	); err != nil {
		t.Fatalf("open %s: the login page with its first-start note: %v", p.url, err)
	}
	shot(t, ctx, "newcomer-login")
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name="name"]`), p.user),
		chromedp.SendKeys(chromedp.CSS(`input[name="password"]`), p.password),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.CSS(".kpis")),
	); err != nil {
		t.Fatalf("sign in as %s with the printed password: %v", p.user, err)
	}
	where, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	if err != nil || where != "/" {
		t.Errorf("after signing in the browser is at %q (%v), want the dashboard /", where, err)
	}
	// The sample's published half-year figures, in the browser's language
	// (English, asked for by Accept-Language).
	kpis, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".kpis")))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"3,085\u00a0kg", "6,014", "226.5"} {
		if !strings.Contains(kpis, w) {
			t.Errorf("the dashboard's KPI cards lack %q:\n%s", w, kpis)
		}
	}
	signedIn := time.Since(began)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`[...document.querySelectorAll('.chart')].every(e => e.dataset.drawn === 'true')`,
		chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Errorf("the dashboard's charts did not draw: %v", err)
	}
	shot(t, ctx, "newcomer-dashboard")
	if signedIn > time.Minute {
		t.Errorf("signed in after %v, want within a minute", signedIn)
	}
	t.Logf("block printed after %v, dashboard signed in after %v", ready.Round(time.Millisecond), signedIn.Round(time.Millisecond))

	// Ctrl-C: the README says it stops the server gracefully.
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("after Ctrl-C the server exited with %v, want 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Error("the server did not stop within 15 s of Ctrl-C")
	}
}

// checkGoRun: started with `go run`, as the README's first command does,
// serve prints the `go run` form of the password command, and that printed
// command, run as printed, sets a new password.
func checkGoRun(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed: %v", err)
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "postdash.db") // not the repository's folder
	cmd := exec.Command(gobin, "run", "./cmd/postdash", "serve", "--addr", "127.0.0.1:0", "--db", db, "--no-sample")
	cmd.Dir, cmd.Env = root, childEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // Ctrl-C reaches go and postdash alike
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	got := make(chan printed, 1)
	var log logBuffer
	go func() {
		sc := bufio.NewScanner(stderr)
		p, _ := readBlock(sc)
		got <- p
		for sc.Scan() {
			log.add(sc.Text())
		}
		exited <- cmd.Wait()
	}()
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
		select {
		case err := <-exited:
			// go run itself exits 1 on Ctrl-C, whatever its program does:
			// the server's own exit status 0 is checked in the newcomer test.
			if out := log.String(); !strings.Contains(out, "shutting down") || strings.Contains(out, "postdash: serve:") {
				t.Errorf("go run … serve after Ctrl-C (%v) did not stop cleanly:\n%s", err, out)
			}
		case <-time.After(15 * time.Second):
			t.Error("go run … serve did not stop within 15 s of Ctrl-C")
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	}()
	var p printed
	select {
	case p = <-got:
	case <-time.After(3 * time.Minute): // go run may have to link first
		t.Fatal("no welcome block from go run within 3 minutes")
	}
	want := "go run ./cmd/postdash user passwd --db " + db + " admin"
	line := ""
	for _, l := range strings.Split(p.block, "\n") {
		if strings.Contains(l, "user passwd") {
			line = strings.TrimSpace(l)
		}
	}
	if line != want {
		t.Fatalf("under go run the block says %q, want %q:\n%s", line, want, p.block)
	}
	passwd := exec.Command("sh", "-c", line)
	passwd.Dir, passwd.Env = root, childEnv()
	passwd.Stdin = strings.NewReader("a new long passphrase\n")
	if out, err := passwd.CombinedOutput(); err != nil {
		t.Errorf("the printed command %q: %v\n%s", line, err, out)
	}
}

// shot saves a screenshot of the whole page when POSTDASH_E2E_OUT names a
// folder. (A window-sized CaptureScreenshot drew the charts garbled.)
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	out := os.Getenv("POSTDASH_E2E_OUT")
	if out == "" {
		return
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Sleep(time.Second)); err != nil { // chart animations end
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(out, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
