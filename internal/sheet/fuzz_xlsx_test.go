package sheet

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"postdash/data"
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
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			return
		}
		p := filepath.Join(t.TempDir(), "f.xlsx")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		res, err := ReadFile(context.Background(), p, "f.xlsx", Options{Now: testNow, PreviewRows: 3})
		if err != nil {
			re, ok := err.(*RefusedError)
			if !ok {
				t.Fatalf("error is not a refusal: %v", err)
			}
			if re.Key == keyRefusedInternal {
				t.Fatalf("internal error (a recovered panic): %s", re.Text)
			}
			return
		}
		for _, fct := range res.Facts {
			if !fct.HasItems && !fct.HasWeight || fct.Items < 0 || fct.WeightKg < 0 {
				t.Fatalf("bad fact %+v", fct)
			}
		}
		if res.ErrorCount < len(res.Errors) {
			t.Fatalf("ErrorCount %d < kept %d", res.ErrorCount, len(res.Errors))
		}
	})
}
