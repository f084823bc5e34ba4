package sheet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"postdash/internal/hostile"
)

// hostileSmall are the hostile shapes at a small scale, each with limits
// scaled down with it: the refusal must name the same limit as the full
// shape's (cmd/postdash's TestHostileUploads sends the full ones).
var hostileSmall = map[string]struct {
	scale float64
	lim   Limits
	key   string // "" when the file is read (or rejected for its cells)
}{
	"sst-200M-empty":            {1e-4, Limits{MaxSharedStrings: 10_000}, keyLimitPrefix + "shared_strings"},
	"csv-line-50M":              {1e-4, Limits{MaxLineBytes: 4096}, keyLimitPrefix + limitLineBytes},
	"merges-40M":                {1e-4, Limits{MaxMergedRanges: 1000}, keyLimitPrefix + "merged_ranges"},
	"bad-cells-15MB-string":     {1e-3, Limits{MaxCellBytes: 8192}, keyLimitPrefix + "cell_bytes"},
	"header-search-30x16000":    {0.003, Limits{MaxHeaderBytes: 1 << 20}, keyLimitPrefix + limitHeaderBytes},
	"vertical-merges-200k":      {0.002, Limits{MaxMergedCells: 10_000}, keyLimitPrefix + "merged_cells"},
	"bad-cells-120KB-string":    {0.1, Limits{MaxErrors: 50}, ""},
	"csv-300k-unknown-partners": {0.01, Limits{MaxFacts: 1000}, keyLimitPrefix + limitFacts},
	"csv-unclosed-quote":        {0.01, Limits{MaxRecordBytes: 64 << 10}, keyLimitPrefix + limitRecordBytes},
	"sheets-2000":               {0.1, Limits{MaxSheets: 100}, keyLimitPrefix + "sheets"},
	"vertical-merge-pairs-200k": {0.002, Limits{}, ""},
}

// writeHostileSmall writes the small version of a shape in dir.
func writeHostileSmall(tb testing.TB, dir string, sh hostile.Shape) string {
	tb.Helper()
	p := filepath.Join(dir, sh.File)
	if err := sh.WriteFile(p, hostileSmall[sh.Name].scale); err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestHostileShapesSmall(t *testing.T) {
	for _, sh := range hostile.Shapes() {
		t.Run(sh.Name, func(t *testing.T) {
			want, ok := hostileSmall[sh.Name]
			if !ok {
				t.Fatalf("no small version of %s", sh.Name)
			}
			p := writeHostileSmall(t, t.TempDir(), sh)
			res, err := ReadFile(t.Context(), p, sh.File, Options{Now: testNow, Limits: want.lim, PreviewRows: 3})
			var re *RefusedError
			if err != nil {
				var ok bool
				if re, ok = err.(*RefusedError); !ok {
					t.Fatalf("not a refusal: %v", err)
				}
			}
			switch {
			case want.key != "" && re == nil:
				t.Fatalf("read, want the refusal %s", want.key)
			case want.key != "" && re.Key != want.key:
				t.Fatalf("refused with %s (%s), want %s", re.Key, re.Text, want.key)
			case re != nil && re.Key == keyRefusedInternal:
				t.Fatalf("internal error: %s", re.Text)
			}
			if re != nil {
				if strings.Contains(re.Text, "{") || !strings.HasSuffix(re.Text, ".") {
					t.Errorf("refusal %q is not a finished sentence", re.Text)
				}
				return
			}
			// Read: whatever it echoes of a cell is cut short.
			for _, is := range append(res.Errors, res.Warnings...) {
				if n := utf8.RuneCountInString(is.Text); n > 2*maxEchoRunes+300 {
					t.Errorf("%s %s: a message of %d runes", is.Sheet, is.Cell, n)
				}
			}
			if len(res.Errors) > res.ErrorCount || len(res.Errors) > max(want.lim.MaxErrors, 0) && want.lim.MaxErrors > 0 {
				t.Errorf("%d errors kept of %d, limit %d", len(res.Errors), res.ErrorCount, want.lim.MaxErrors)
			}
		})
	}
}

// TestWarningsKeptLikeErrors: past MaxWarnings, warnings are counted, not kept.
func TestWarningsKeptLikeErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("Period,Category,Direction,Partner,Items\n")
	for i := range 50 {
		b.WriteString("2025-01,letters,inbound,Nobody Post " + string(rune('A'+i%26)) + string(rune('a'+i/26)) + ",1\n")
	}
	p := filepath.Join(t.TempDir(), "w.csv")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := ReadFile(t.Context(), p, "w.csv", Options{Now: testNow, Limits: Limits{MaxWarnings: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 10 || res.WarningCount != 50 {
		t.Errorf("%d warnings kept of %d counted, want 10 of 50", len(res.Warnings), res.WarningCount)
	}
}

func TestClipCutsAtRunesWithAnEllipsis(t *testing.T) {
	long := strings.Repeat("ж", maxEchoRunes+5)
	got := clip(long)
	if utf8.RuneCountInString(got) != maxEchoRunes+1 || !strings.HasSuffix(got, "…") || !utf8.ValidString(got) {
		t.Errorf("clip of %d runes = %d runes %q…", maxEchoRunes+5, utf8.RuneCountInString(got), got[:20])
	}
	if s := strings.Repeat("ж", maxEchoRunes); clip(s) != s {
		t.Error("clip cut a text of exactly the limit")
	}
}
