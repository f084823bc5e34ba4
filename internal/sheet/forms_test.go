package sheet_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"postdash/internal/postal"
	"postdash/internal/sheet"
)

// formsDir holds the gallery: files saved by LibreOffice, each with its
// hand-written truth (see testdata/forms/README.md).
const formsDir = "testdata/forms"

// formsNow is the "today" the gallery is read against.
var formsNow = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

// factKey is what the gallery compares facts by: summed over the whole file.
type factKey struct {
	period, direction, partner, category, marketplace string
}

// factVal is a fact's measures; absent is not zero.
type factVal struct {
	items     int64
	hasItems  bool
	weight    float64
	hasWeight bool
}

func (v factVal) String() string {
	items, kg := "-", "-"
	if v.hasItems {
		items = strconv.FormatInt(v.items, 10)
	}
	if v.hasWeight {
		kg = strconv.FormatFloat(v.weight, 'g', -1, 64)
	}
	return items + "\t" + kg
}

// errLine is one `error:` line: the cell prefix and the text to find.
type errLine struct{ cell, text string }

// truth is one form's hand-written truth.
type truth struct {
	outcome  string
	facts    map[factKey]factVal
	errors   []errLine
	refusals []string
	warnings []string
}

// stripComment drops a `#` comment: at the start of the line or after white space.
func stripComment(line string) string {
	for i := range len(line) {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return line[:i]
		}
	}
	return line
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// parseTruth reads a truth file in the format of /work/truth-format.md.
func parseTruth(path string) (*truth, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tr := &truth{facts: map[factKey]factVal{}}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(stripComment(sc.Text()), " \r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		directive, rest, _ := strings.Cut(line, ":")
		if strings.HasPrefix(line, "fact\t") {
			directive, rest = "fact", line[len("fact\t"):]
		}
		switch directive {
		case "outcome":
			tr.outcome = strings.TrimSpace(rest)
		case "lang":
		case "fact":
			fs := strings.FieldsFunc(rest, func(r rune) bool { return r == '\t' })
			if len(fs) != 7 {
				return nil, fmt.Errorf("%s:%d: a fact has 7 fields, found %d", path, n, len(fs))
			}
			k := factKey{fs[0], fs[1], dash(fs[2]), fs[3], dash(fs[4])}
			var v factVal
			if fs[5] != "-" {
				if v.items, err = strconv.ParseInt(fs[5], 10, 64); err != nil {
					return nil, fmt.Errorf("%s:%d: items: %w", path, n, err)
				}
				v.hasItems = true
			}
			if fs[6] != "-" {
				if v.weight, err = strconv.ParseFloat(fs[6], 64); err != nil {
					return nil, fmt.Errorf("%s:%d: weight: %w", path, n, err)
				}
				v.hasWeight = true
			}
			if _, dup := tr.facts[k]; dup {
				return nil, fmt.Errorf("%s:%d: fact %v given twice", path, n, k)
			}
			tr.facts[k] = v
		case "error":
			fs := strings.SplitN(strings.TrimPrefix(rest, "\t"), "\t", 2)
			e := errLine{cell: strings.TrimSpace(fs[0])}
			if len(fs) > 1 {
				e.text = strings.TrimSpace(fs[1])
			}
			tr.errors = append(tr.errors, e)
		case "refusal":
			tr.refusals = append(tr.refusals, strings.TrimSpace(rest))
		case "warning":
			tr.warnings = append(tr.warnings, strings.TrimSpace(rest))
		default:
			return nil, fmt.Errorf("%s:%d: unknown directive %q", path, n, directive)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	switch tr.outcome {
	case "committed":
		if len(tr.facts) == 0 {
			return nil, fmt.Errorf("%s: committed with no fact", path)
		}
	case "rejected":
		if len(tr.errors) == 0 {
			return nil, fmt.Errorf("%s: rejected with no error line", path)
		}
	case "refused":
		if len(tr.refusals) == 0 {
			return nil, fmt.Errorf("%s: refused with no refusal line", path)
		}
	default:
		return nil, fmt.Errorf("%s: outcome %q, want committed, rejected or refused", path, tr.outcome)
	}
	if tr.outcome != "committed" && len(tr.facts) > 0 {
		return nil, fmt.Errorf("%s: facts given for a %s form", path, tr.outcome)
	}
	return tr, nil
}

// readPending reads the PENDING list: one form name a line, `# reason`.
func readPending(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(formsDir, "PENDING"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		name, reason, _ := strings.Cut(line, "#")
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		name = strings.TrimSuffix(name, filepath.Ext(name))
		if strings.TrimSpace(reason) == "" {
			t.Errorf("PENDING: %s has no # reason", name)
		}
		out[name] = strings.TrimSpace(reason)
	}
	return out
}

// sumFacts sums a result's facts over the whole file per factKey.
func sumFacts(fs []postal.Fact) map[factKey]factVal {
	out := map[factKey]factVal{}
	for _, f := range fs {
		k := factKey{f.Month.String(), string(f.Direction), f.Partner, string(f.Category), f.Marketplace}
		v := out[k]
		if f.HasItems {
			v.items += f.Items
			v.hasItems = true
		}
		if f.HasWeight {
			v.weight += f.WeightKg
			v.hasWeight = true
		}
		out[k] = v
	}
	return out
}

// sameWeight compares kilograms with a relative tolerance of 1e-9.
func sameWeight(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

// diffFacts lists every difference between the facts read and the truth.
func diffFacts(got, want map[factKey]factVal) []string {
	var out []string
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("missing %v: want %v", k, w))
		case g.hasItems != w.hasItems || g.items != w.items || g.hasWeight != w.hasWeight || (w.hasWeight && !sameWeight(g.weight, w.weight)):
			out = append(out, fmt.Sprintf("wrong   %v: got %v, want %v", k, g, w))
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			out = append(out, fmt.Sprintf("extra   %v: got %v", k, g))
		}
	}
	slices.Sort(out)
	return out
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// missingWarnings lists the truth's warning lines no warning matches.
func missingWarnings(res *sheet.Result, want []string) []string {
	var out []string
	for _, w := range want {
		if !slices.ContainsFunc(res.Warnings, func(is sheet.Issue) bool { return containsFold(is.Text, w) }) {
			out = append(out, w)
		}
	}
	return out
}

// missingErrors lists the truth's error lines no error matches.
func missingErrors(res *sheet.Result, want []errLine) []string {
	var out []string
	for _, w := range want {
		if !slices.ContainsFunc(res.Errors, func(is sheet.Issue) bool {
			return strings.HasPrefix(strings.ToUpper(is.Cell), strings.ToUpper(w.cell)) && containsFold(is.Text, w.text)
		}) {
			out = append(out, fmt.Sprintf("%s %q", w.cell, w.text))
		}
	}
	return out
}

func issueTexts(is []sheet.Issue) string {
	var b strings.Builder
	for _, i := range is {
		fmt.Fprintf(&b, "\n\t%s!%s: %s", i.Sheet, i.Cell, i.Text)
	}
	return b.String()
}

// TestFormsGallery reads every form of testdata/forms and holds it to its
// hand-written truth. A form in PENDING may instead be refused or rejected,
// but never committed with facts other than its truth.
func TestFormsGallery(t *testing.T) {
	entries, err := os.ReadDir(formsDir)
	if err != nil {
		t.Fatal(err)
	}
	pending := readPending(t)
	forms := map[string]string{} // name -> file
	truths := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		switch ext := filepath.Ext(name); ext {
		case ".xlsx", ".xlsm", ".csv", ".ods", ".xls":
			forms[strings.TrimSuffix(name, ext)] = name
		case ".truth":
			truths[strings.TrimSuffix(name, ext)] = true
		}
	}
	for name := range truths {
		if forms[name] == "" {
			t.Errorf("%s.truth has no form beside it", name)
		}
	}
	for name := range pending {
		if forms[name] == "" {
			t.Errorf("PENDING names %s, which is not in the gallery", name)
		}
	}
	if len(forms) < 40 {
		t.Errorf("the gallery holds %d forms, want at least 40", len(forms))
	}
	names := make([]string, 0, len(forms))
	for name := range forms {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			if !truths[name] {
				t.Fatalf("%s has no truth file", forms[name])
			}
			tr, err := parseTruth(filepath.Join(formsDir, name+".truth"))
			if err != nil {
				t.Fatal(err)
			}
			reason, isPending := pending[name]
			file := forms[name]
			// The name given is neutral, so that no message matches the truth
			// by quoting the form's own file name.
			res, err := sheet.ReadFile(context.Background(), filepath.Join(formsDir, file), "upload"+filepath.Ext(file), sheet.Options{Now: formsNow})
			var refused *sheet.RefusedError
			if err != nil && !errors.As(err, &refused) {
				t.Fatalf("read: %v", err)
			}
			problems := judge(tr, res, refused)
			if os.Getenv("POSTDASH_FORMS_VERBOSE") != "" {
				logOutcome(t, res, refused)
			}
			switch {
			case !isPending:
				for _, p := range problems {
					t.Error(p)
				}
			case len(problems) == 0:
				t.Errorf("%s now reads exactly as its truth says: remove it from PENDING", name)
			case refused != nil || res.ErrorCount > 0:
				// Pending: refused or rejected instead of the truth is accepted.
				t.Logf("pending (%s): %s", reason, problems[0])
			case tr.outcome != "committed":
				t.Errorf("pending (%s) but COMMITTED, where the truth says %s: never a silent wrong number", reason, tr.outcome)
			case len(diffFacts(sumFacts(res.Facts), tr.facts)) > 0:
				t.Errorf("pending (%s) but COMMITTED WITH WRONG FACTS: never a silent wrong number", reason)
				for _, p := range problems {
					t.Error(p)
				}
			default:
				// Committed with the right facts; only a warning is missing.
				t.Logf("pending (%s): %s", reason, strings.Join(problems, "; "))
			}
		})
	}
}

// judge lists how the outcome differs from the truth (nothing: it matches).
func judge(tr *truth, res *sheet.Result, refused *sheet.RefusedError) []string {
	var out []string
	switch {
	case refused != nil:
		if tr.outcome != "refused" {
			return []string{fmt.Sprintf("refused (%s), want %s", refused.Text, tr.outcome)}
		}
		for _, want := range tr.refusals {
			if !containsFold(refused.Text, want) {
				out = append(out, fmt.Sprintf("refusal %q does not say %q", refused.Text, want))
			}
		}
		return out
	case res.ErrorCount > 0:
		if tr.outcome != "rejected" {
			return []string{fmt.Sprintf("rejected with %d errors, want %s:%s", res.ErrorCount, tr.outcome, issueTexts(res.Errors))}
		}
		if miss := missingErrors(res, tr.errors); len(miss) > 0 {
			out = append(out, fmt.Sprintf("no error matches %s; errors:%s", strings.Join(miss, ", "), issueTexts(res.Errors)))
		}
	default:
		if tr.outcome != "committed" {
			return []string{fmt.Sprintf("committed %d facts, want %s", len(res.Facts), tr.outcome)}
		}
		if d := diffFacts(sumFacts(res.Facts), tr.facts); len(d) > 0 {
			out = append(out, "facts differ from the truth:\n\t"+strings.Join(d, "\n\t"))
		}
	}
	if miss := missingWarnings(res, tr.warnings); len(miss) > 0 {
		out = append(out, fmt.Sprintf("no warning says %q; warnings:%s", miss, issueTexts(res.Warnings)))
	}
	return out
}

// logOutcome shows what the reader made of a form (POSTDASH_FORMS_VERBOSE=1).
func logOutcome(t *testing.T, res *sheet.Result, refused *sheet.RefusedError) {
	t.Helper()
	if refused != nil {
		t.Logf("refused: %s", refused.Text)
		return
	}
	var b strings.Builder
	got := sumFacts(res.Facts)
	keys := make([]factKey, 0, len(got))
	for k := range got {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b factKey) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	for _, k := range keys {
		fmt.Fprintf(&b, "\n\tfact\t%s\t%s\t%s\t%s\t%s\t%v", k.period, k.direction, orDashStr(k.partner), k.category, orDashStr(k.marketplace), got[k])
	}
	t.Logf("errors %d:%s\nwarnings:%s\nfacts:%s", res.ErrorCount, issueTexts(res.Errors), issueTexts(res.Warnings), b.String())
}

func orDashStr(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// TestContractExampleExcelizeAndLibreOffice: the contract's example made by
// excelize (no styles: no empty cells written) reads the same as the copy
// LibreOffice saved (styled empty cells in and beside the header), and both
// as the hand-written truth of gallery form 01.
func TestContractExampleExcelizeAndLibreOffice(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Хатлар"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		t.Fatal(err)
	}
	cells := [][]any{
		{"Ой", "Хат-хабарлар, кг", nil},
		{nil, "кирувчи", "чиқувчи"},
		{"Январь 2025", 1431, 512},
		{"Февраль 2025", 1275.5, 498},
		{"Март 2025", 1390, 530.25},
	}
	for r, row := range cells {
		for c, v := range row {
			if v == nil {
				continue
			}
			name, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := f.SetCellValue(sh, name, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, m := range [][2]string{{"A1", "A2"}, {"B1", "C1"}} {
		if err := f.MergeCell(sh, m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	made := filepath.Join(t.TempDir(), "excelize.xlsx")
	if err := f.SaveAs(made); err != nil {
		t.Fatal(err)
	}
	tr, err := parseTruth(filepath.Join(formsDir, "01-contract-example-uzc.truth"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{made, filepath.Join(formsDir, "01-contract-example-uzc.xlsx")} {
		res, err := sheet.ReadFile(context.Background(), p, "upload.xlsx", sheet.Options{Now: formsNow})
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
			continue
		}
		if d := diffFacts(sumFacts(res.Facts), tr.facts); len(d) > 0 || res.ErrorCount > 0 {
			t.Errorf("%s: %d errors; facts differ from the truth:\n\t%s", filepath.Base(p), res.ErrorCount, strings.Join(d, "\n\t"))
		}
	}
}
