package e2e

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// childEnv is our environment without any POSTDASH_ variable (a newcomer
// has none), plus vars.
func childEnv(vars ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "POSTDASH_") {
			env = append(env, kv)
		}
	}
	return append(env, vars...)
}

// repoRoot is the repository, seen from this package's folder.
const repoRoot = "../.."

// readmeDocs are the pages a newcomer reads: the README and docs/*.md.
func readmeDocs(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{filepath.Join(repoRoot, "README.md")}, docs...)
}

// mdLink matches a Markdown link or image target, an HTML href or src,
// and a reference definition.
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)|(?:href|src)="([^"]+)"|(?m)^\s*\[[^\]]+\]:\s*(\S+)`)

// TestReadmeLinks: a clone has everything the README and docs/ link to; no
// link leaves the repository (no URL, no ../ above its root).
func TestReadmeLinks(t *testing.T) {
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, doc := range readmeDocs(t) {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(stripCode(string(text)), -1) {
			target := m[1] + m[2] + m[3]
			n++
			if strings.HasPrefix(target, "#") {
				continue
			}
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") || strings.HasPrefix(target, "//") {
				t.Errorf("%s: link %q leaves the repository", filepath.Base(doc), target)
				continue
			}
			path, _, _ := strings.Cut(target, "#")
			abs, err := filepath.Abs(filepath.Join(filepath.Dir(doc), filepath.FromSlash(path)))
			if err != nil {
				t.Fatal(err)
			}
			if rel, err := filepath.Rel(root, abs); err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				t.Errorf("%s: link %q points outside the repository", filepath.Base(doc), target)
			} else if _, err := os.Stat(abs); err != nil {
				t.Errorf("%s: link %q: %v", filepath.Base(doc), target, err)
			}
		}
	}
	if n == 0 {
		t.Error("found no link at all: the link pattern is broken")
	}
}

var inlineCode = regexp.MustCompile("`[^`]*`")

// stripCode drops fenced code blocks and inline code, which are not links.
func stripCode(md string) string {
	var b strings.Builder
	fenced := false
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if !fenced {
			b.WriteString(inlineCode.ReplaceAllString(line, "") + "\n")
		}
	}
	return b.String()
}

// readmeCommand is one shell command from a ```sh block.
type readmeCommand struct {
	doc  string
	line int
	text string
}

// shCommands returns the commands of the ```sh blocks of doc, in order, with
// continued lines joined; blank and comment lines are left out.
func shCommands(t *testing.T, doc string) []readmeCommand {
	t.Helper()
	f, err := os.Open(doc)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cmds []readmeCommand
	in, cont := false, ""
	start := 0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case !in && trimmed == "```sh":
			in = true
			continue
		case in && trimmed == "```":
			in = false
			continue
		case !in:
			continue
		}
		if cont == "" {
			start = n
		}
		if strings.HasSuffix(line, `\`) {
			cont += strings.TrimSuffix(line, `\`) + " "
			continue
		}
		cmd := strings.TrimSpace(cont + line)
		cont = ""
		if cmd == "" || strings.HasPrefix(cmd, "#") {
			continue
		}
		cmds = append(cmds, readmeCommand{doc: filepath.Base(doc), line: start, text: cmd})
	}
	if in {
		t.Fatalf("%s: a ```sh block is not closed", doc)
	}
	return cmds
}

// leadingAssignments matches VAR=value words before a command.
var leadingAssignments = regexp.MustCompile(`^(?:[A-Z_][A-Z0-9_]*=(?:'[^']*'|"[^"]*"|[^\s'"]*)\s*)+`)

// notRunHere says why a README command is not run by this test ("" when it
// is). Each reason names where else the command is covered, or what it needs
// that a test has not.
func notRunHere(cmd string) string {
	env := leadingAssignments.FindString(cmd)
	rest := strings.TrimSpace(cmd[len(env):])
	switch {
	case rest == "":
		return "only sets variables (an environment file)"
	case strings.HasPrefix(rest, "go test"):
		return "go test: the tests and benchmarks themselves (CI runs the tests)"
	case regexp.MustCompile(`^(go run \./cmd/postdash|\./postdash|postdash) serve\b`).MatchString(rest):
		return "serve: the newcomer test starts it and signs in"
	case strings.Contains(env, "postgres://"),
		regexp.MustCompile(`^(sudo|psql|pg_dump|pg_restore|createdb)\b`).MatchString(rest):
		return "needs a PostgreSQL server (and root); the store suite runs on one in CI"
	case strings.HasPrefix(rest, "curl "):
		return "needs a running server; the API is tested in internal/web"
	}
	return ""
}

// goShim stands in for the go command in the README's folder: `go run
// ./cmd/postdash ARGS` and `go build -o FILE ./cmd/postdash` use the binary
// the test built (the same code, without building it again); any other go
// command is not for this test.
const goShim = `#!/bin/sh
if [ "$1" = run ] && [ "$2" = ./cmd/postdash ]; then shift 2; exec "$README_TEST_POSTDASH" "$@"; fi
if [ "$1" = build ] && [ "$2" = -o ] && [ "$4" = ./cmd/postdash ] && [ $# -eq 4 ]; then exec cp "$README_TEST_POSTDASH" "$3"; fi
echo "README test: 'go $*' is not run here" >&2
exit 97
`

// checkReadmeCommands runs every command of the README's and docs' ```sh
// blocks, in order, in one fresh folder that holds what a clone holds for
// them (data/), the postdash the README builds, and march.xlsx, the
// analyst's own file that the examples import. Each must exit 0.
func checkReadmeCommands(t *testing.T, bin string) {
	dir := t.TempDir()
	shims := filepath.Join(dir, ".bin")
	if err := os.Mkdir(shims, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shims, "go"), []byte(goShim), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(bin, filepath.Join(shims, "postdash")); err != nil { // an installed postdash
		t.Fatal(err)
	}
	data, err := filepath.Abs(filepath.Join(repoRoot, "data"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(data, filepath.Join(dir, "data")); err != nil {
		t.Fatal(err)
	}
	writeMarch(t, filepath.Join(dir, "march.xlsx"))
	env := childEnv("PATH="+shims+string(os.PathListSeparator)+os.Getenv("PATH"), "README_TEST_POSTDASH="+bin)

	var ran []string
	for _, doc := range readmeDocs(t) {
		for _, c := range shCommands(t, doc) {
			if why := notRunHere(c.text); why != "" {
				t.Logf("%s:%d not run (%s): %s", c.doc, c.line, why, c.text)
				continue
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			cmd := exec.CommandContext(ctx, "sh", "-c", c.text)
			cmd.Dir, cmd.Env = dir, env
			began := time.Now()
			out, err := cmd.CombinedOutput()
			cancel()
			if err != nil {
				t.Errorf("%s:%d: %s\n  %v after %v:\n%s\n(make the command run as written, or, if it cannot run in a test, say why in notRunHere)",
					c.doc, c.line, c.text, err, time.Since(began).Round(time.Millisecond), out)
				continue
			}
			ran = append(ran, c.text)
		}
	}
	t.Logf("ran %d README commands:\n  %s", len(ran), strings.Join(ran, "\n  "))
	// The cheap ones a newcomer tries first must be among them.
	for _, want := range []string{"go run ./cmd/postdash --help", "template", "import --dry-run", "query", "batches", "undo"} {
		found := false
		for _, r := range ran {
			found = found || strings.Contains(r, want)
		}
		if !found {
			t.Errorf("no README command with %q ran", want)
		}
	}
}

// writeMarch writes the analyst's march.xlsx of the README's examples:
// parcels from China Post, with the direction and partner given on the
// command line.
func writeMarch(t *testing.T, path string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	rows := [][]any{
		{"period", "category", "items", "weight, kg"},
		{"2025-03", "parcel", 1200, 4550.5},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}
