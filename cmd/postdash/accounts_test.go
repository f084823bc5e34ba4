package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"postdash/internal/auth"
	"postdash/internal/store"
)

// accountsCLI runs one of the account commands with stdin.
func accountsCLI(t *testing.T, db, stdin string, cmd command, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, stdin: strings.NewReader(stdin),
		getenv: func(k string) string {
			switch k {
			case "POSTDASH_DB":
				return db
			case "USER":
				return "root"
			}
			return ""
		}}
	e.log = discardLogger()
	code := cmd(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func TestUserTokenAuditCommands(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "acc.db")
	code, out, errs := accountsCLI(t, db, "typed-password-1\n", cmdUser, "add", "--role", "analyst", "ali")
	if code != 0 || !strings.Contains(out, "created analyst user ali") || strings.Contains(out, "typed-password-1") {
		t.Fatalf("user add: %d %q %q", code, out, errs)
	}
	code, out, _ = accountsCLI(t, db, "", cmdUser, "add", "vera")
	generated := lastLine(out)
	if code != 0 || len(generated) < auth.MinPasswordLen {
		t.Fatalf("user add with generated password: %d %q", code, out)
	}
	tests := []struct {
		name  string
		stdin string
		cmd   command
		args  []string
		code  int
		want  string
	}{
		{"bad role", "", cmdUser, []string{"add", "--role", "root", "x"}, 1, "role must be"},
		{"taken name", "", cmdUser, []string{"add", "ali"}, 1, "user name is taken"},
		{"short password", "short\n", cmdUser, []string{"add", "bob"}, 1, "at least"},
		{"no subcommand", "", cmdUser, nil, 2, "usage"},
		{"list", "", cmdUser, []string{"list"}, 0, "ali"},
		{"passwd", "new-password-22\n", cmdUser, []string{"passwd", "ali"}, 0, "changed"},
		{"passwd unknown", "", cmdUser, []string{"passwd", "nobody"}, 1, "no such user"},
		{"token for unknown user", "", cmdToken, []string{"create", "nobody"}, 1, "no such user"},
		{"revoke unknown token", "", cmdToken, []string{"revoke", "99"}, 1, "no active token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := accountsCLI(t, db, tt.stdin, tt.cmd, tt.args...)
			if code != tt.code || !strings.Contains(out+errs, tt.want) {
				t.Errorf("exit %d (want %d), output %q %q, want %q", code, tt.code, out, errs, tt.want)
			}
		})
	}

	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc, _ := auth.New(st, auth.Config{}, nil)
	if _, _, _, err := svc.Login(ctx, "ali", "new-password-22", "test"); err != nil {
		t.Errorf("login with the password from user passwd: %v", err)
	}
	if _, _, _, err := svc.Login(ctx, "vera", generated, "test"); err != nil {
		t.Errorf("login with the generated password: %v", err)
	}

	code, out, _ = accountsCLI(t, db, "", cmdToken, "create", "--label", "nightly", "ali")
	secret := lastLine(out)
	if code != 0 || !strings.HasPrefix(secret, auth.TokenPrefix) {
		t.Fatalf("token create: %d %q", code, out)
	}
	tok, u, err := svc.TokenUser(ctx, secret)
	if err != nil || u.Name != "ali" {
		t.Fatalf("printed token does not work: %v", err)
	}
	if code, out, _ := accountsCLI(t, db, "", cmdToken, "list"); code != 0 || !strings.Contains(out, "nightly") || strings.Contains(out, secret) {
		t.Errorf("token list: %d %q", code, out)
	}
	if code, _, errs := accountsCLI(t, db, "", cmdToken, "revoke", strconv.FormatInt(tok.ID, 10)); code != 0 {
		t.Fatalf("token revoke: %d %s", code, errs)
	}
	if _, _, err := svc.TokenUser(ctx, secret); err == nil {
		t.Error("revoked token still works")
	}
	if code, _, _ := accountsCLI(t, db, "", cmdUser, "disable", "ali"); code != 0 {
		t.Fatal("user disable failed")
	}
	if _, _, _, err := svc.Login(ctx, "ali", "new-password-22", "test"); err == nil {
		t.Error("disabled user can log in")
	}

	code, out, _ = accountsCLI(t, db, "", cmdAudit, "--limit", "50")
	for _, want := range []string{"user.add", "user.passwd", "token.create", "token.revoke", "user.disable", "login.failed", "root", "cli"} {
		if !strings.Contains(out, want) {
			t.Errorf("audit lacks %q:\n%s", want, out)
		}
	}
	if code, out, _ := accountsCLI(t, db, "", cmdAudit, "--json", "--limit", "1"); code != 0 || !strings.HasPrefix(out, `{"events":[{`) {
		t.Errorf("audit --json: %d %q", code, out)
	}
}
