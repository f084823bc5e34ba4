package sheet

import (
	"context"
	"os"
	"testing"
)

// BenchmarkReadXLSXManifestFile reads the importer benchmark's manifest
// (POSTDASH_BENCH_XLSX names it); skipped when it is not set.
func BenchmarkReadXLSXManifestFile(b *testing.B) {
	p := os.Getenv("POSTDASH_BENCH_XLSX")
	if p == "" {
		b.Skip("POSTDASH_BENCH_XLSX not set")
	}
	for b.Loop() {
		res, err := ReadFile(context.Background(), p, "manifest.xlsx", Options{Now: testNow})
		if err != nil || res.Rows == 0 {
			b.Fatalf("rows %v err %v", res.Rows, err)
		}
	}
}
