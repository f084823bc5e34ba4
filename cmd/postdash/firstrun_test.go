package main

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIsGoRun(t *testing.T) {
	tests := map[string]bool{
		// `go run` the first time: its work folder (GOTMPDIR or TMPDIR).
		"/tmp/go-build479350212/b001/exe/postdash":            true,
		"/home/u/tmp/go-build1/b001/exe/postdash":             true,
		`C:\Users\u\AppData\Local\Temp\go-build1\b001\exe\pd`: filepath.Separator == '\\',
		// `go run` again (Go 1.24+): the executable cached in GOCACHE.
		"/root/.cache/go-build/d7/d7ba4feabd942ee1c51904eeaad4b19b99b66d380e28ac5574463f2d5c619e3f-d/postdash": true,
		"/ci/cache/ab/" + strings.Repeat("0f", 32) + "-d/postdash":                                             true,
		// Binaries built and installed.
		"/usr/local/bin/postdash":                  false,
		"/work/postdash/postdash":                  false,
		"/home/u/go-build/postdash":                false, // no exe/ folder
		"/srv/exe/postdash":                        false, // exe/ but no go-build folder
		"/root/.cache/go-build/d7/d7ba-d/postdash": false, // not a cache key
	}
	for exe, want := range tests {
		if got := isGoRun(exe); got != want {
			t.Errorf("isGoRun(%q) = %v, want %v", exe, got, want)
		}
	}
}

func TestPasswdCommand(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "postdash")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	notFound := func(string) (string, error) { return "", errors.New("not found") }
	onPath := func(name string) (string, error) { return filepath.Join(dir, name), nil }
	other := filepath.Join(t.TempDir(), "postdash")
	if err := os.WriteFile(other, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	elsewhere := func(string) (string, error) { return other, nil }
	tests := []struct {
		name, exe, wd string
		lookPath      func(string) (string, error)
		db, want      string
	}{
		{"go run", "/tmp/go-build1/b001/exe/postdash", "/src/postdash", onPath, "", "go run ./cmd/postdash user passwd admin"},
		{"go run, cached", "/c/go-build/d7/" + strings.Repeat("d7", 32) + "-d/postdash", "/src", notFound, "", "go run ./cmd/postdash user passwd admin"},
		{"go run, another database", "/tmp/go-build1/b001/exe/postdash", "/src", notFound, "my stats.db", "go run ./cmd/postdash user passwd --db 'my stats.db' admin"},
		{"on the PATH", bin, "/somewhere", onPath, "", "postdash user passwd admin"},
		{"in this folder", bin, dir, notFound, "", "./postdash user passwd admin"},
		{"in this folder, another postdash on the PATH", bin, dir + "/", elsewhere, "", "./postdash user passwd admin"},
		{"elsewhere", bin, "/somewhere", notFound, "", bin + " user passwd admin"},
		{"elsewhere, with a space", "/opt/post dash/postdash", "/", notFound, "", "'/opt/post dash/postdash' user passwd admin"},
	}
	for _, tt := range tests {
		if got := passwdCommand(tt.exe, tt.wd, tt.lookPath, tt.db); got != tt.want {
			t.Errorf("%s: passwdCommand = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDescribeAddr(t *testing.T) {
	tests := []struct {
		addr          string
		url, whereHas string
	}{
		{"0.0.0.0:8080", "http://localhost:8080/", "all interfaces, port 8080"},
		{"[::]:8080", "http://localhost:8080/", "--addr 127.0.0.1:8080"},
		{"127.0.0.1:18080", "http://127.0.0.1:18080/", "127.0.0.1 only (this computer)"},
		{"[::1]:8080", "http://[::1]:8080/", "::1 only (this computer)"},
		{"10.0.0.11:8080", "http://10.0.0.11:8080/", "10.0.0.11 only, port 8080"},
	}
	for _, tt := range tests {
		a, err := net.ResolveTCPAddr("tcp", tt.addr)
		if err != nil {
			t.Fatal(err)
		}
		url, where := describeAddr(a)
		if url != tt.url || !strings.Contains(where, tt.whereHas) {
			t.Errorf("describeAddr(%s) = %q, %q; want %q and a mention of %q", tt.addr, url, where, tt.url, tt.whereHas)
		}
	}
}

func TestWelcomeBlock(t *testing.T) {
	a, _ := net.ResolveTCPAddr("tcp", "0.0.0.0:8080")
	const cmd = "go run ./cmd/postdash user passwd admin"
	tests := []struct {
		name      string
		w         welcome
		want, not []string
	}{
		{"generated", welcome{addr: a, created: true, password: "s3cret-pass-word", passwd: cmd},
			[]string{"URL:       http://localhost:8080/\n", "all interfaces", "User:      admin\n", "Password:  s3cret-pass-word\n", "only this once", cmd, "Ctrl-C"},
			[]string{"POSTDASH_ADMIN_PASSWORD", "Public"}},
		{"from the environment", welcome{addr: a, created: true, passwd: cmd},
			[]string{"User:      admin\n", "Password:  the one in POSTDASH_ADMIN_PASSWORD", cmd},
			[]string{"only this once"}},
		{"later start, public", welcome{addr: a, public: true, passwd: cmd},
			[]string{"Sign in:   with your account", "go run ./cmd/postdash user passwd NAME", "Public:"},
			[]string{"Password:", "User:"}},
	}
	for _, tt := range tests {
		var b strings.Builder
		tt.w.print(&b)
		out := b.String()
		for _, s := range tt.want {
			if !strings.Contains(out, s) {
				t.Errorf("%s: the block lacks %q:\n%s", tt.name, s, out)
			}
		}
		for _, s := range tt.not {
			if strings.Contains(out, s) {
				t.Errorf("%s: the block has %q:\n%s", tt.name, s, out)
			}
		}
	}
}

// TestServeOnATakenPortCreatesNothing: the listener is bound before the
// database is opened, so a taken port leaves no database behind.
func TestServeOnATakenPortCreatesNothing(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "postdash.db")
	code, _, stderr := cli(t, db, "serve", "--addr", l.Addr().String())
	if code == 0 || !strings.Contains(stderr, "address already in use") {
		t.Errorf("serve on a taken port: exit %d, stderr %q; want a failure naming the taken address", code, stderr)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("serve on a taken port left %d files, e.g. %s", len(left), left[0].Name())
	}
}
