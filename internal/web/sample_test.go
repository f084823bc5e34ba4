package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"testing"

	"postdash/data"
)

// The sample's batch has its original file, byte for byte, like any upload;
// a database that imported the sample before gets it on the next start.
func TestSampleOriginalIsKept(t *testing.T) {
	ctx := context.Background()
	st, imp := sqliteWithSample(t)
	bs, err := st.Batches(ctx)
	if err != nil || len(bs) != 1 {
		t.Fatalf("batches %v, %v", bs, err)
	}
	sum := sha256.Sum256(data.Sample)
	if bs[0].SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("sample batch sha %s", bs[0].SHA256)
	}
	check := func() {
		t.Helper()
		rc, name, _, err := st.OpenFile(ctx, bs[0].SHA256)
		if err != nil {
			t.Fatalf("the sample batch's original: %v", err)
		}
		defer rc.Close()
		b, _ := io.ReadAll(rc)
		if got := sha256.Sum256(b); got != sum || name != data.SampleName {
			t.Errorf("original %s does not match the sample", name)
		}
	}
	check()
	if err := EnsureSample(ctx, st, imp, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	check()
}
