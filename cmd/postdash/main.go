// Command postdash is the postal statistics dashboard for the mail flows
// between Uzbekistan and China: it imports analysts' spreadsheets, answers
// queries, and serves the dashboard.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"postdash/internal/i18n"
	"postdash/internal/logctx"
)

// usageText lists the subcommands.
const usageText = `postdash — postal statistics between Uzbekistan and China

Usage:
  postdash import   [--db DSN] [--dry-run] [--json] [--direction D] [--partner P] [--marketplace M] [--mapping FILE.json] FILE...
  postdash mappings [--db DSN] list [--json] | show ID | export ID | delete ID
  postdash query    [--db DSN] [--from YYYY-MM] [--to YYYY-MM] [--by FIELD,...] [--where FIELD=VALUE,...] [--json]
  postdash batches  [--db DSN] [--json]
  postdash undo     [--db DSN] BATCH_ID
  postdash template [--lang en|uz-Latn|uz-Cyrl|ru] --out FILE.xlsx
  postdash serve    [--db DSN] [--addr :8080] [--public] [--no-sample] [--lang L]
                    [--trusted-proxies CIDR,...] [--secure-cookies] [--tz ZONE]
  postdash user     add [--role viewer|analyst|admin] NAME | list [--json] | passwd NAME | disable NAME
  postdash token    create [--label L] USER | list | revoke ID
  postdash audit    [--limit N] [--json]
  postdash schedule list [--json] | set [--partner P] [--category C] (--day N | --days-after N) [--from YYYY-MM] | delete ID
  postdash annotate add [--partner P] [--category C] YYYY-MM TEXT | list [--from M] [--to M] [--json] | edit ID YYYY-MM TEXT | delete ID
  postdash migrate  [--db DSN]
  postdash backup   [--db DSN] --out FILE

DSN: a SQLite file path (default postdash.db), sqlite:PATH, or postgres://...;
also read from POSTDASH_DB.
`

// command is one subcommand: it parses its own flags and returns an exit status.
type command func(ctx context.Context, env *env, args []string) int

// env is what every command gets: its streams and the process environment.
type env struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	getenv         func(string) string
	log            *slog.Logger
	lang           i18n.Lang      // of --lang; "" until given (see language)
	cat            *i18n.Catalogs // loaded by the first sentence said
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin, getenv: os.Getenv,
		log: slog.New(logctx.NewHandler(slog.NewTextHandler(os.Stderr, nil)))}
	os.Exit(run(ctx, e, os.Args[1:]))
}

func commands() map[string]command {
	return map[string]command{
		"import":   cmdImport,
		"query":    cmdQuery,
		"batches":  cmdBatches,
		"undo":     cmdUndo,
		"template": cmdTemplate,
		"serve":    cmdServe,
		"migrate":  cmdMigrate,
		"backup":   cmdBackup,
		"user":     cmdUser,
		"token":    cmdToken,
		"audit":    cmdAudit,
		"mappings": cmdMappings,
		"schedule": cmdSchedule,
		"annotate": cmdAnnotate,
	}
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(e.stdout, usageText)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	value, given := langArg(args[1:])
	if env := e.getenv("POSTDASH_LANG"); !given && env != "" {
		if _, ok := i18n.ParseLang(env); !ok {
			// Refused as --lang is, naming the variable: not English in silence.
			return e.say(2, "cli.usage.bad_env", map[string]string{"cmd": args[0], "var": "POSTDASH_LANG", "value": env, "values": langList})
		}
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		if l, ok := i18n.ParseLang(value); ok && given {
			e.lang = l // an unknown command is refused in the language asked for
		}
		e.say(2, "cli.usage.unknown_command", map[string]string{"name": args[0]})
		fmt.Fprintf(e.stderr, "\n%s", usageText)
		return 2
	}
	return cmd(ctx, e, args[1:])
}

// langArg returns the value of --lang among args, before any "--", and
// whether it is given (the command parses it again, with its other flags).
func langArg(args []string) (value string, given bool) {
	for i, a := range args {
		if a == "--" {
			break
		}
		name, v, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if !strings.HasPrefix(a, "-") || name != "lang" {
			continue
		}
		if !hasValue && i+1 < len(args) {
			v = args[i+1]
		}
		value, given = v, true
	}
	return value, given
}

// parseNoArgs parses the flags of a command that takes no argument and
// refuses any argument given; false means the command stops (it was said why).
func parseNoArgs(e *env, fs *flag.FlagSet, cmd string, args []string) bool {
	rest, err := parseFlags(fs, args)
	if err != nil {
		return false
	}
	if len(rest) > 0 {
		e.say(2, "cli.usage.unexpected", map[string]string{"cmd": cmd, "value": rest[0]})
		return false
	}
	return true
}

// newFlags makes a flag set that reports errors to e.stderr.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("postdash "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if cmd, _, _ := strings.Cut(name, " "); !ownLang[cmd] {
		langFlag(fs, e)
	}
	return fs
}

// parseFlags parses flags that may stand before, between or after the
// positional arguments (`import FILE --json` works too) and returns the
// positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// dbFlag registers --db with its default from POSTDASH_DB, then postdash.db.
func dbFlag(fs *flag.FlagSet, e *env) *string {
	def := e.getenv("POSTDASH_DB")
	if def == "" {
		def = "postdash.db"
	}
	return fs.String("db", def, "database: SQLite path, sqlite:PATH or postgres://... (env POSTDASH_DB)")
}

// fail prints an error and returns the exit status for it.
func fail(e *env, status int, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "postdash: "+format+"\n", args...)
	return status
}

// splitList splits a comma list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var errUsage = errors.New("usage")

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
