package web

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"postdash/internal/importer"
	"postdash/internal/sheet"
)

// TestCorpusOverHTTP sends every real-world corpus file to the import API as
// a dry run: each answer is the import JSON with the status its outcome
// calls for, never a server error, and nothing is written or left behind.
func TestCorpusOverHTTP(t *testing.T) {
	dir := os.Getenv("POSTDASH_CORPUS")
	if dir == "" {
		t.Skip("POSTDASH_CORPUS is not set; point it at the corpus folder (with MANIFEST.tsv) to run this test")
	}
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	ali.header.Set(csrfHeader, ali.csrf)
	statuses := map[string]int{}
	for _, rec := range recs[1:] {
		name := rec[0]
		content, err := os.ReadFile(filepath.Join(dir, "files", name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		resp := ali.upload("/api/v1/imports?dry_run=1", nil, name, content)
		var out importer.Outcome
		if err := json.Unmarshal(resp.Body.Bytes(), &out); err != nil {
			t.Errorf("%s: %d, not the import JSON: %.200s", name, resp.Code, resp.Body)
			continue
		}
		statuses[out.Status]++
		if want, ok := importStatus[out.Status]; !ok || want != resp.Code {
			t.Errorf("%s: HTTP %d for outcome %q", name, resp.Code, out.Status)
		}
	}
	t.Logf("%d files: %v", len(recs)-1, statuses)
	if n := env.batchCount(); n != 0 {
		t.Errorf("dry runs wrote %d batches", n)
	}
	if rec := env.anon().get("/healthz"); rec.Code != 200 {
		t.Errorf("/healthz: %d", rec.Code)
	}
	noTempFiles(t)
}
