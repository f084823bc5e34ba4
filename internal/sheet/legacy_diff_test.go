package sheet

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// legacyManifest holds, for every corpus .xls and .ods that LibreOffice
// opens, a digest of each sheet's cells and merges as LibreOffice read them:
// testdata/legacy-reference.sh converts the files to .xlsx with LibreOffice
// headless and writes it by running TestWriteLegacyManifest, which reads the
// converted .xlsx with excelize (neither of our readers).
const legacyManifest = "testdata/legacy-reference.tsv"

// normValue is how both readings are compared. Numbers are compared at 12
// significant digits: LibreOffice recalculates some formulas on load and
// writes doubles rounded to 15 digits, so the last digits may differ where
// the cached value we read is the same number. A text that reads as a number compares as that number,
// because excelize's raw values do not say whether "12" was text or a number.
// Line ends are LF. Nothing else is changed.
func normValue(v string) string {
	v = strings.ReplaceAll(v, "\r\n", "\n")
	if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && strings.TrimSpace(v) != "" {
		return strconv.FormatFloat(f, 'g', 12, 64)
	}
	return v
}

// sheetDigest is one sheet's cells and merges as a count and a digest.
type sheetDigest struct {
	cells, merges int
	sum           string
	lines         []string // kept for a diff when $POSTDASH_LO_XLSX is set
}

func digestOf(cells []string, merges []string) sheetDigest {
	slices.Sort(merges)
	h := sha256.New()
	for _, c := range cells {
		fmt.Fprintln(h, c)
	}
	for _, m := range merges {
		fmt.Fprintln(h, "merge", m)
	}
	lines := append(slices.Clone(cells), merges...)
	return sheetDigest{cells: len(cells), merges: len(merges), sum: hex.EncodeToString(h.Sum(nil))[:16], lines: lines}
}

func cellLine(row, col int, v string) string { return fmt.Sprintf("%d,%d=%q", row, col, normValue(v)) }

func mergeLine(r mergeRange) string {
	return fmt.Sprintf("%d,%d:%d,%d", r.FirstRow, r.FirstCol, r.LastRow, r.LastCol)
}

// ourDigests reads a corpus file with our reader, by sheet name.
func ourDigests(path string) (map[string]sheetDigest, error) {
	ext := strings.TrimPrefix(filepath.Ext(path), ".")
	b, err := openLegacy(path, ext, Limits{}.withDefaults())
	if err != nil {
		return nil, err
	}
	defer b.Close()
	out := map[string]sheetDigest{}
	for _, s := range b.Sheets() {
		rows, err := b.Rows(context.Background(), s.Name)
		if err != nil {
			return nil, err
		}
		var cells []string
		for rows.Next() {
			for _, c := range rows.Cells() {
				if c.Value != "" {
					cells = append(cells, cellLine(rows.Row(), c.Col, c.Value))
				}
			}
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("sheet %q: %w", s.Name, err)
		}
		rows.Close()
		ms, err := b.Merged(s.Name)
		if err != nil {
			return nil, err
		}
		var merges []string
		for _, m := range ms {
			merges = append(merges, mergeLine(m))
		}
		out[s.Name] = digestOf(cells, merges)
	}
	return out, nil
}

// excelizeDigests reads LibreOffice's .xlsx with excelize, raw values.
func excelizeDigests(path string) (map[string]sheetDigest, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]sheetDigest{}
	for _, name := range f.GetSheetList() {
		rows, err := f.Rows(name)
		if err != nil {
			continue // a chart sheet
		}
		var cells []string
		for r := 0; rows.Next(); r++ {
			cols, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				return nil, err
			}
			for c, v := range cols {
				if v != "" {
					cells = append(cells, cellLine(r, c, v))
				}
			}
		}
		rows.Close()
		mc, err := f.GetMergeCells(name)
		if err != nil {
			return nil, err
		}
		var merges []string
		for _, m := range mc {
			c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
			c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("merge %q", m[0])
			}
			merges = append(merges, mergeLine(mergeRange{FirstRow: r1 - 1, FirstCol: c1 - 1, LastRow: r2 - 1, LastCol: c2 - 1}))
		}
		out[name] = digestOf(cells, merges)
	}
	return out, nil
}

// TestWriteLegacyManifest writes the manifest from LibreOffice's
// conversions in $POSTDASH_LO_XLSX (testdata/legacy-reference.sh runs it).
func TestWriteLegacyManifest(t *testing.T) {
	dir, corpus := os.Getenv("POSTDASH_LO_XLSX"), os.Getenv("POSTDASH_CORPUS")
	if dir == "" || corpus == "" {
		t.Skip("POSTDASH_LO_XLSX and POSTDASH_CORPUS are not set: the manifest is written by testdata/legacy-reference.sh")
	}
	files, _ := filepath.Glob(filepath.Join(corpus, "files", "*"))
	var lines []string
	for _, p := range files {
		ext := filepath.Ext(p)
		if ext != ".xls" && ext != ".ods" {
			continue
		}
		conv := convertedPath(dir, filepath.Base(p))
		if _, err := os.Stat(conv); err != nil {
			continue // LibreOffice did not open it
		}
		ds, err := excelizeDigests(conv)
		if err != nil {
			t.Logf("%s: excelize cannot read LibreOffice's conversion: %v", filepath.Base(p), err)
			continue
		}
		for name, d := range ds {
			lines = append(lines, fmt.Sprintf("%s\t%s\t%d\t%d\t%s", filepath.Base(p), name, d.cells, d.merges, d.sum))
		}
	}
	slices.Sort(lines)
	body := "# file\tsheet\tcells\tmerges\tdigest (written by testdata/legacy-reference.sh; see legacy_diff_test.go)\n" + strings.Join(lines, "\n") + "\n"
	if err := os.WriteFile(legacyManifest, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// legacyDeviations are the corpus files (or file|sheet) where LibreOffice's reading is not
// the contract's: it recalculates formulas on load (the contract reads the
// cached values Excel saved), turns "centre across selection" into merged
// cells, decrypts Excel's default password and reads Excel 4.0 files.
var legacyDeviations = map[string]string{
	"calamine-issue_385.xls":                              "encrypted with Excel's built-in default password (VelvetSweatshop); we refuse it as password-protected, LibreOffice decrypts it",
	"biff4-raw-stream.xls":                                "Excel 4.0 (BIFF4): refused by the contract, LibreOffice reads it",
	"excel-biff5_cp1251-russian.xls":                      "formulas calling VBA functions: LibreOffice recalculates them to #NAME?, we read the cached values",
	"calamine-issue_646_unsupported_formula_function.xls": "a function LibreOffice lacks: it recalculates to #NAME?, we read the cached 1",
	"calamine-ptgexp-truncated-operand.xls":               "a formula giving the file's own path: LibreOffice recalculates it",
	"calamine-empty-string.xls":                           "a formula whose cached result (FALSE) LibreOffice recalculates (TRUE)",
	"calamine-xls_formula_columns_beyond_z.xls":           "formulas saved without results: LibreOffice recalculates them, we read them empty",
	"calamine-optional_records.xls":                       "LibreOffice turns centre-across-selection cells into merged ranges the file does not hold",
	"calamine-gh548_incorrect_sst_unique_count.xls":       "LibreOffice turns centre-across-selection cells into a merged range the file does not hold",
}

// TestLegacyMatchesLibreOffice reads every corpus .xls and .ods that
// LibreOffice opens and compares each sheet's cells and merges with
// LibreOffice's reading of the same file.
func TestLegacyMatchesLibreOffice(t *testing.T) {
	corpus := os.Getenv("POSTDASH_CORPUS")
	if corpus == "" {
		t.Skip("POSTDASH_CORPUS is not set")
	}
	f, err := os.Open(legacyManifest)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]map[string]sheetDigest{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		p := strings.Split(sc.Text(), "\t")
		if len(p) != 5 {
			t.Fatalf("bad manifest line %q", sc.Text())
		}
		cells, _ := strconv.Atoi(p[2])
		merges, _ := strconv.Atoi(p[3])
		if want[p[0]] == nil {
			want[p[0]] = map[string]sheetDigest{}
		}
		want[p[0]][p[1]] = sheetDigest{cells: cells, merges: merges, sum: p[4]}
	}
	if len(want) < 30 {
		t.Fatalf("the manifest lists %d files; expected the corpus's .xls and .ods", len(want))
	}
	for file, sheets := range want {
		if why, ok := legacyDeviations[file]; ok {
			t.Logf("%s: not compared: %s", file, why)
			continue
		}
		got, err := ourDigests(filepath.Join(corpus, "files", file))
		if base := strings.TrimSuffix(file, filepath.Ext(file)); err != nil && len(sheets) == 1 && sheets[base].cells > 0 {
			// LibreOffice fell back to its text import (one sheet named
			// after the file) for bytes that are no workbook.
			t.Logf("%s: refused (%v); LibreOffice read it as text", file, err)
			continue
		}
		if err != nil {
			t.Errorf("%s: LibreOffice opens it, we do not: %v", file, err)
			continue
		}
		for name, w := range sheets {
			if why, ok := legacyDeviations[file+"|"+name]; ok {
				t.Logf("%s: sheet %q not compared: %s", file, name, why)
				continue
			}
			g, ok := got[name]
			switch {
			case !ok && w.cells == 0 && w.merges == 0:
				// an empty chart or macro sheet LibreOffice lists
			case !ok:
				t.Errorf("%s: sheet %q (%d cells) missing", file, name, w.cells)
			case g.cells != w.cells || g.merges != w.merges || g.sum != w.sum:
				t.Errorf("%s: sheet %q: we read %d cells and %d merges (digest %s), LibreOffice %d and %d (%s)%s",
					file, name, g.cells, g.merges, g.sum, w.cells, w.merges, w.sum, diffLines(file, name, g.lines))
			}
		}
	}
}

// diffLines shows where our reading differs from LibreOffice's conversion,
// when the conversions are at hand ($POSTDASH_LO_XLSX).
func diffLines(file, sheet string, ours []string) string {
	dir := os.Getenv("POSTDASH_LO_XLSX")
	if dir == "" {
		return ""
	}
	ref, err := excelizeDigests(convertedPath(dir, file))
	if err != nil {
		return ""
	}
	theirs := ref[sheet].lines
	var out []string
	for _, l := range ours {
		if !slices.Contains(theirs, l) && len(out) < 8 {
			out = append(out, "ours only: "+l)
		}
	}
	for _, l := range theirs {
		if !slices.Contains(ours, l) && len(out) < 16 {
			out = append(out, "LibreOffice only: "+l)
		}
	}
	return "\n    " + strings.Join(out, "\n    ")
}

// convertedPath is where testdata/legacy-reference.sh puts LibreOffice's
// .xlsx of a corpus file: one folder per extension.
func convertedPath(dir, file string) string {
	ext := filepath.Ext(file)
	return filepath.Join(dir, ext[1:], strings.TrimSuffix(file, ext)+".xlsx")
}
