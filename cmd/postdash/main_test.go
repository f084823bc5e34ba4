package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"postdash/data"
	"postdash/internal/store"
)

// cli runs postdash with args against a database in dir and returns exit
// status, stdout and stderr.
func cli(t *testing.T, db string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdout: &out, stderr: &errb, stdin: strings.NewReader(""),
		getenv: func(k string) string {
			if k == "POSTDASH_DB" {
				return db
			}
			return ""
		}}
	e.log = discardLogger()
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func sampleFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), data.SampleName)
	if err := os.WriteFile(p, data.Sample, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportThenQueryShowsPublishedFigures is the "done when": import
// the sample with --json, then query by category and direction.
func TestImportThenQueryShowsPublishedFigures(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	sample := sampleFile(t)
	code, out, errs := cli(t, db, "import", "--json", sample)
	if code != 0 {
		t.Fatalf("import exit %d: %s %s", code, out, errs)
	}
	var res struct {
		File, Status, Layout string
		Batch                int64
		Rows, Facts          int64
		Errors, Warnings     []map[string]string
		Totals               struct {
			Items    int64   `json:"items"`
			WeightKg float64 `json:"weight_kg"`
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("import output %q: %v", out, err)
	}
	if res.Status != "committed" || res.Batch != 1 || res.File != data.SampleName || res.Errors == nil || res.Warnings == nil {
		t.Errorf("import result %+v", res)
	}
	if res.Totals.Items != 6014 || res.Totals.WeightKg != 229585 {
		t.Errorf("totals %+v, want 6014 items and 229585 kg", res.Totals)
	}

	code, out, errs = cli(t, db, "query", "--json", "--by", "category,direction", "--from", "2025-01", "--to", "2025-06")
	if code != 0 {
		t.Fatalf("query exit %d: %s", code, errs)
	}
	var q struct {
		Rows []struct {
			Category, Direction string
			Items               int64
			WeightKg            float64 `json:"weight_kg"`
		}
	}
	if err := json.Unmarshal([]byte(out), &q); err != nil {
		t.Fatalf("query output %q: %v", out, err)
	}
	sum := map[string]float64{}
	for _, r := range q.Rows {
		switch r.Category {
		case "letter_post":
			sum["letters kg"] += r.WeightKg
		case "registered_letter":
			sum["registered items"] += float64(r.Items)
		case "ecommerce":
			if r.Direction == "inbound" {
				sum["ecommerce inbound kg"] += r.WeightKg
			}
		}
	}
	if sum["letters kg"] != 3085 || sum["registered items"] != 6014 || sum["ecommerce inbound kg"] < 226000 {
		t.Errorf("published figures from query: %v", sum)
	}

	// The same file again is a duplicate: exit 2.
	code, out, _ = cli(t, db, "import", "--json", sample)
	if code != 2 || !strings.Contains(out, `"status":"duplicate"`) {
		t.Errorf("duplicate import: exit %d, %s", code, out)
	}
	// batches lists it; undo takes it back; the totals are empty again.
	code, out, _ = cli(t, db, "batches", "--json")
	if code != 0 || !strings.Contains(out, `"id":1`) || !strings.Contains(out, `"live":true`) {
		t.Errorf("batches: exit %d, %s", code, out)
	}
	if code, _, errs = cli(t, db, "undo", "1"); code != 0 {
		t.Fatalf("undo: exit %d %s", code, errs)
	}
	if code, _, _ = cli(t, db, "undo", "1"); code != 1 {
		t.Errorf("second undo: exit %d, want 1", code)
	}
	_, out, _ = cli(t, db, "query", "--json")
	if strings.TrimSpace(out) != `{"rows":[{"items":0,"weight_kg":0}]}` {
		t.Errorf("totals after undo: %s", out)
	}
}

func TestImportExitCodes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	dir := t.TempDir()
	xls := filepath.Join(dir, "old.xls")
	os.WriteFile(xls, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, 0o600)
	csv := filepath.Join(dir, "bad.csv")
	os.WriteFile(csv, []byte("Period;Category;Weight, kg\n2025-01;letters;12,5\n2025-02;letters;minus five\n"), 0o600)
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("Period;Category;Weight, kg\n2025-01;letters;12,5\n"), 0o600)

	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
	}{
		{"legacy xls is refused", []string{"import", "--json", xls}, 2, `"status":"refused"`},
		{"missing file is refused", []string{"import", "--json", filepath.Join(dir, "nope.xlsx")}, 2, `"status":"refused"`},
		{"a directory is refused", []string{"import", "--json", dir}, 2, `"status":"refused"`},
		{"bad cell is rejected", []string{"import", "--json", csv}, 1, `"cell":"C3"`},
		{"dry run writes nothing", []string{"import", "--dry-run", "--json", good}, 0, `"status":"dry_run"`},
		{"dry run with a bad cell is rejected", []string{"import", "--dry-run", "--json", csv}, 1, `"status":"rejected"`},
		{"flags after the file", []string{"import", good, "--json", "--direction", "inbound"}, 0, `"status":"committed"`},
		{"bad direction flag", []string{"import", "--direction", "sideways", good}, 2, ""},
		{"worst status wins", []string{"import", "--json", xls, csv}, 2, `"status":"rejected"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := cli(t, db, tt.args...)
			if code != tt.wantCode || !strings.Contains(out, tt.wantOut) {
				t.Errorf("exit %d (want %d), stdout %q, stderr %q; want stdout containing %q", code, tt.wantCode, out, errs, tt.wantOut)
			}
		})
	}
	// Only the committed file is in the database.
	_, out, _ := cli(t, db, "query", "--json")
	if strings.TrimSpace(out) != `{"rows":[{"items":0,"weight_kg":12.5}]}` {
		t.Errorf("totals: %s", out)
	}
}

func TestTemplateRoundTripsInEveryLanguage(t *testing.T) {
	for _, lang := range []string{"en", "uz-Latn", "uz-Cyrl", "ru"} {
		t.Run(lang, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "template-"+lang+".xlsx")
			if code, _, errs := cli(t, "", "template", "--lang", lang, "--out", file); code != 0 {
				t.Fatalf("template: exit %d %s", code, errs)
			}
			db := filepath.Join(dir, "p.db")
			code, out, errs := cli(t, db, "import", "--json", file)
			if code != 0 || !strings.Contains(out, `"status":"committed"`) {
				t.Fatalf("import template: exit %d %s %s", code, out, errs)
			}
			_, out, _ = cli(t, db, "query", "--json", "--by", "period,direction,partner,category,marketplace")
			want := `{"rows":[{"period":"2025-01","direction":"inbound","partner":"china_post","category":"ecommerce","marketplace":"aliexpress","items":1200,"weight_kg":3500.5}]}`
			if strings.TrimSpace(out) != want {
				t.Errorf("template example row imports as\n%s\nwant\n%s", out, want)
			}
		})
	}
}

func TestUsage(t *testing.T) {
	if code, _, _ := cli(t, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
	if code, out, _ := cli(t, "", "--help"); code != 0 || !strings.Contains(out, "postdash import") {
		t.Errorf("help: exit %d %q", code, out)
	}
	if code, _, _ := cli(t, "", "template", "--lang", "fr", "--out", filepath.Join(t.TempDir(), "x.xlsx")); code != 2 {
		t.Errorf("template --lang fr: exit %d, want 2", code)
	}
}

// TestImportKeepsTheOriginal: `postdash import` stores the file it
// committed, byte for byte, so its batch's "original file" link answers as
// an upload's does; a dry run stores nothing.
func TestImportKeepsTheOriginal(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	sample := sampleFile(t)
	want, err := os.ReadFile(sample)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(want)
	sha := hex.EncodeToString(sum[:])
	stored := func() []byte {
		st, err := openStore(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		rc, _, _, err := st.OpenFile(context.Background(), sha)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if code, out, errs := cli(t, db, "import", "--dry-run", sample); code != 0 {
		t.Fatalf("dry run exit %d: %s %s", code, out, errs)
	}
	if got := stored(); got != nil {
		t.Fatalf("a dry run stored %d bytes of the file", len(got))
	}
	if code, out, errs := cli(t, db, "import", sample); code != 0 {
		t.Fatalf("import exit %d: %s %s", code, out, errs)
	}
	if got := stored(); !bytes.Equal(got, want) {
		t.Errorf("stored original %d bytes, want the file's %d", len(got), len(want))
	}
	if _, err := os.Stat(sample); err != nil {
		t.Errorf("the imported file is gone: %v", err)
	}
}
