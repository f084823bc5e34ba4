package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"io"
	"log/slog"
	"strings"
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

// The sample's Notes sheet (its source citation) and the titles above its
// table reach the dashboard, with the sheet they come from.
func TestSampleNotesReachTheDashboard(t *testing.T) {
	st, _ := sqliteWithSample(t)
	page := html.UnescapeString(body(t, get(t, newTestServer(t, st), "/?lang=en")))
	for _, w := range []string{"Notes and sources in the workbooks",
		"Манба: Ўзбекистон Республикасининг Япониядаги элчихонаси", "(source: the Embassy of Uzbekistan in Japan", "(Изоҳлар)",
		"Манба: «Ўзбекистон почтаси» АЖ ҳисоботлари"} {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}
