package web

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// hostileNames are partner names that a spreadsheet program would run as
// formulas once a CSV line is split on another separator than the one it
// was written with, or at a line break inside a value.
var hostileNames = []string{
	"Z;=cmd|' /C calc'!A0", "Z,=1+1", "line\n=2+2", "a\t@SUM(A1)", `=HYPERLINK("http://x")`,
	" -3+3", "＝4+4", "x|=5+5", "p; +6", "q\r-7+7",
}

// formulaLike reports whether a cell, read by a program that trims spaces,
// would start a formula.
func formulaLike(cell string) bool {
	cell = strings.TrimLeft(cell, " ")
	r, _ := utf8.DecodeRuneInString(cell)
	return cell != "" && strings.ContainsRune("=+-@＝＋－＠", r)
}

// splitCells splits CSV text into cells on sep, honouring double quotes or
// not: how a program that guessed the separator wrong would read it.
func splitCells(text string, sep rune, quotes bool) []string {
	var cells []string
	var cur strings.Builder
	in := false
	for _, r := range text {
		switch {
		case quotes && r == '"':
			in = !in
		case !in && (r == sep || r == '\n' || r == '\r'):
			cells = append(cells, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	return append(cells, cur.String())
}

func hostileExport(t *testing.T) string {
	t.Helper()
	st := sampleStore()
	for i, name := range hostileNames {
		st.live[i%len(st.live)].Partner = name
	}
	h := newTestServer(t, st)
	return strings.TrimPrefix(body(t, get(t, h, "/export.csv?lang=en&from=2025-01&to=2025-06")), "\ufeff")
}

// TestExportCSVNoFormulaWhateverTheSeparator reads the CSV export as a
// program would with each separator, with and without honouring quotes.
func TestExportCSVNoFormulaWhateverTheSeparator(t *testing.T) {
	text := hostileExport(t)
	for _, sep := range []rune{',', ';', '\t', '|'} {
		for _, quotes := range []bool{true, false} {
			for _, c := range splitCells(text, sep, quotes) {
				if formulaLike(c) {
					t.Errorf("split on %q (quotes honoured: %v): cell %q starts a formula", sep, quotes, c)
				}
			}
		}
	}
	for _, want := range []string{`"Z;'=cmd|' /C calc'!A0"`, `"line` + "\n" + `'=2+2"`, `"Z,'=1+1"`} {
		if !strings.Contains(text, want) {
			t.Errorf("export lacks the quoted, neutralised %q", want)
		}
	}
}

// TestExportCSVOpensInLibreOfficeWithoutFormulas opens the CSV export with
// LibreOffice, splitting on each separator with formulas evaluated and
// spaces trimmed, and checks that no cell became a formula. It skips when
// LibreOffice is not installed.
func TestExportCSVOpensInLibreOfficeWithoutFormulas(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("LibreOffice (soffice) not installed")
	}
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(csvPath, []byte(hostileExport(t)), 0o600); err != nil {
		t.Fatal(err)
	}
	profile := "file://" + filepath.Join(dir, "lo-profile")
	for _, sep := range []rune{',', ';', '\t'} {
		out := filepath.Join(dir, "out"+string(rune('0'+sep%10)))
		// Tokens: separator, text delimiter ", UTF-8, from line 1, default
		// columns, default language, quoted fields not as text, detect
		// special numbers, -, -, trim spaces, -, evaluate formulas.
		filter := "CSV:" + itoa(int(sep)) + ",34,76,1,,0,false,true,false,false,true,-1,true"
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, soffice, "--headless", "-env:UserInstallation="+profile,
			"--infilter="+filter, "--convert-to", "fods", "--outdir", out, csvPath)
		msg, err := cmd.CombinedOutput()
		cancel()
		if err != nil {
			t.Fatalf("soffice (separator %q): %v\n%s", sep, err, msg)
		}
		fods, err := os.ReadFile(filepath.Join(out, "export.fods"))
		if err != nil {
			t.Fatalf("separator %q: no converted file: %v\n%s", sep, err, msg)
		}
		doc := string(fods)
		if !strings.Contains(doc, "calc") {
			t.Errorf("separator %q: the converted sheet lacks the partner text; was the file read?", sep)
		}
		if i := strings.Index(doc, "table:formula="); i >= 0 {
			t.Errorf("separator %q: LibreOffice read a formula: %.120s", sep, doc[i:])
		}
	}
}
