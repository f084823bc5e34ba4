package sheet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"postdash/data"
	"postdash/internal/hostile"
)

// FuzzReadXLSX imports whole workbooks: the sample and the files saved by
// LibreOffice, mutated. Every input ends in a result or a refusal, never a
// panic (ReadFile turns one into keyRefusedInternal) and never a bad fact.
func FuzzReadXLSX(f *testing.F) {
	f.Add(data.Sample)
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.xlsx"))
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	addHostileSeeds(f, ".xlsx")
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			return
		}
		fuzzReadFile(t, b, "f.xlsx", Options{Now: testNow, PreviewRows: 3})
	})
}

// addHostileSeeds adds the small version of every hostile shape whose file
// name ends in ext.
func addHostileSeeds(f *testing.F, ext string) {
	dir := f.TempDir()
	for _, sh := range hostile.Shapes() {
		if !strings.HasSuffix(sh.File, ext) {
			continue
		}
		b, err := os.ReadFile(writeHostileSmall(f, dir, sh))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}
