package sheet

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// TestCorpus reads every file of the real-world corpus: each must give a
// Result or a *RefusedError within its time, never a panic or a hang.
func TestCorpus(t *testing.T) {
	root := os.Getenv("POSTDASH_CORPUS")
	if root == "" {
		t.Skip("POSTDASH_CORPUS is not set; skipping the real-world corpus")
	}
	files, err := filepath.Glob(filepath.Join(root, "files", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files under %s: %v", root, err)
	}
	sort.Strings(files)
	counts := map[string]int{}
	for _, p := range files {
		name := filepath.Base(p)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		start := time.Now()
		res, err := ReadFile(ctx, p, name, Options{PreviewRows: 3})
		cancel()
		var re *RefusedError
		switch {
		case err == nil:
			counts["imported"]++
			t.Logf("%s: %d facts, %d rows, %d errors, %d warnings, layout %q (%v)", name, len(res.Facts), res.Rows, res.ErrorCount, len(res.Warnings), res.Layout(), time.Since(start).Round(time.Millisecond))
		case errors.As(err, &re):
			counts["refused "+re.Key]++
			if re.Key == keyRefusedInternal {
				t.Errorf("%s: internal error (a panic was recovered)", name)
			}
			t.Logf("%s: refused %s: %s (%v)", name, re.Key, re.Text, time.Since(start).Round(time.Millisecond))
		default:
			t.Errorf("%s: neither a result nor a refusal: %v", name, err)
		}
	}
	t.Logf("outcomes: %v", counts)
}
