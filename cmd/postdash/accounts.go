package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"postdash/internal/auth"
	"postdash/internal/store"
)

// openAuth opens the store and an auth service over it.
func openAuth(ctx context.Context, e *env, dsn string) (*auth.Service, store.Store, error) {
	st, err := openStore(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	svc, err := auth.New(st, auth.Config{}, e.log)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return svc, st, nil
}

// cliActor is who an administrator's command is recorded as.
func cliActor(e *env) auth.Actor {
	u := e.getenv("USER")
	if u == "" {
		u = "cli"
	}
	return auth.Actor{User: u, Remote: "cli"}
}

// readPassword takes a password from the first line of standard input; when
// stdin is a terminal or empty it returns "" and a password is generated.
func readPassword(e *env) (string, error) {
	if e.stdin == nil || isTerminal(e.stdin) {
		return "", nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", nil // nothing piped in
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// cmdUser manages accounts: add, list, passwd, disable.
func cmdUser(ctx context.Context, e *env, args []string) int {
	const usage = "user add --role viewer|analyst|admin NAME | user list [--json] | user passwd NAME | user disable NAME"
	if len(args) == 0 {
		return e.usage("postdash " + usage)
	}
	fs := newFlags(e, "user "+args[0])
	db := dbFlag(fs, e)
	role := fs.String("role", auth.Viewer, "role: viewer, analyst or admin (user add)")
	asJSON := fs.Bool("json", false, "print JSON (user list)")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return 2
	}
	want := map[string]int{"add": 1, "passwd": 1, "disable": 1, "list": 0}
	n, ok := want[args[0]]
	if !ok || len(pos) != n {
		return e.usage("postdash " + usage)
	}
	svc, st, err := openAuth(ctx, e, *db)
	if err != nil {
		return fail(e, 2, "%v", err)
	}
	defer st.Close()
	switch args[0] {
	case "add":
		pw, err := readPassword(e)
		if err != nil {
			return fail(e, 2, "user add: %v", err)
		}
		u, gen, err := svc.CreateUser(ctx, pos[0], *role, pw, cliActor(e))
		if err != nil {
			return e.accountFail("user add", err)
		}
		e.done("cli.done.user_created", map[string]string{"role": u.Role, "name": u.Name})
		printGenerated(e, gen)
	case "passwd":
		pw, err := readPassword(e)
		if err != nil {
			return fail(e, 2, "user passwd: %v", err)
		}
		gen, err := svc.SetPassword(ctx, pos[0], pw, cliActor(e))
		if err != nil {
			return e.accountFail("user passwd", err)
		}
		e.done("cli.done.password_changed", map[string]string{"name": pos[0]})
		printGenerated(e, gen)
	case "disable":
		if err := svc.Disable(ctx, pos[0], cliActor(e)); err != nil {
			return e.accountFail("user disable", err)
		}
		e.done("cli.done.user_disabled", map[string]string{"name": pos[0]})
	case "list":
		return listUsers(ctx, e, svc, *asJSON)
	}
	return 0
}

func printGenerated(e *env, pw string) {
	if pw != "" {
		e.done("cli.done.password_once", nil)
		fmt.Fprintln(e.stdout, pw)
	}
}

// userJSON is a user as `user list --json` prints it.
type userJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	Disabled  bool   `json:"disabled"`
	CreatedAt string `json:"created_at"`
}

func listUsers(ctx context.Context, e *env, svc *auth.Service, asJSON bool) int {
	users, err := svc.Users(ctx)
	if err != nil {
		return fail(e, 2, "user list: %v", err)
	}
	out := make([]userJSON, 0, len(users))
	for _, u := range users {
		out = append(out, userJSON{u.ID, u.Name, u.Role, u.Disabled, u.CreatedAt.UTC().Format(time.RFC3339)})
	}
	if asJSON {
		b, _ := json.Marshal(map[string]any{"users": out})
		fmt.Fprintln(e.stdout, string(b))
		return 0
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLE\tSTATE\tCREATED")
	for _, u := range out {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Name, u.Role, state, u.CreatedAt)
	}
	tw.Flush()
	return 0
}

// cmdToken manages API tokens: create, list, revoke.
func cmdToken(ctx context.Context, e *env, args []string) int {
	const usage = "token create [--label L] USER | token list | token revoke ID"
	if len(args) == 0 {
		return e.usage("postdash " + usage)
	}
	fs := newFlags(e, "token "+args[0])
	db := dbFlag(fs, e)
	label := fs.String("label", "", "what the token is for (token create)")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return 2
	}
	want := map[string]int{"create": 1, "revoke": 1, "list": 0}
	if n, ok := want[args[0]]; !ok || len(pos) != n {
		return e.usage("postdash " + usage)
	}
	svc, st, err := openAuth(ctx, e, *db)
	if err != nil {
		return fail(e, 2, "%v", err)
	}
	defer st.Close()
	switch args[0] {
	case "create":
		secret, t, err := svc.CreateToken(ctx, pos[0], *label, cliActor(e))
		if err != nil {
			return e.accountFail("token create", err)
		}
		e.done("cli.done.token_created", map[string]string{"id": strconv.FormatInt(t.ID, 10), "name": t.UserName, "header": "Authorization: Bearer TOKEN"})
		fmt.Fprintln(e.stdout, secret)
	case "revoke":
		if err := svc.RevokeToken(ctx, pos[0], cliActor(e)); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return e.say(1, "cli.error.no_token", map[string]string{"cmd": "token revoke", "id": pos[0]})
			}
			return e.accountFail("token revoke", err)
		}
		e.done("cli.done.token_revoked", map[string]string{"id": pos[0]})
	case "list":
		toks, err := svc.Tokens(ctx)
		if err != nil {
			return fail(e, 2, "token list: %v", err)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tUSER\tLABEL\tCREATED\tREVOKED")
		for _, t := range toks {
			rev := "-"
			if t.RevokedAt != nil {
				rev = t.RevokedAt.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.UserName, t.Name, t.CreatedAt.UTC().Format(time.RFC3339), rev)
		}
		tw.Flush()
	}
	return 0
}

// auditJSON is an audit event as `audit --json` prints it.
type auditJSON struct {
	At     string `json:"at"`
	User   string `json:"user"`
	Action string `json:"action"`
	Detail string `json:"detail,omitempty"`
	Remote string `json:"remote,omitempty"`
}

// cmdAudit prints the audit log, newest first.
func cmdAudit(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "audit")
	db := dbFlag(fs, e)
	limit := fs.Int("limit", 100, "how many events, newest first")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 0 || *limit <= 0 {
		return e.usage("postdash audit [--limit N] [--json]")
	}
	svc, st, err := openAuth(ctx, e, *db)
	if err != nil {
		return fail(e, 2, "%v", err)
	}
	defer st.Close()
	evs, err := svc.Audit(ctx, *limit)
	if err != nil {
		return fail(e, 2, "audit: %v", err)
	}
	out := make([]auditJSON, 0, len(evs))
	for _, ev := range evs {
		out = append(out, auditJSON{ev.At.UTC().Format(time.RFC3339), ev.User, ev.Action, ev.Detail, ev.Remote})
	}
	if *asJSON {
		b, _ := json.Marshal(map[string]any{"events": out})
		fmt.Fprintln(e.stdout, string(b))
		return 0
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "AT\tUSER\tACTION\tFROM\tDETAIL")
	for _, ev := range out {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", ev.At, ev.User, ev.Action, ev.Remote, strconv.Quote(ev.Detail))
	}
	tw.Flush()
	return 0
}
