package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"postdash/internal/importer"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

// julyCSV is a month of an analyst's own form: column C, "Foo bar", says
// nothing of what it counts.
const julyCSV = "Month,\"Letters inbound, kg\",Foo bar\n2025-07,10,1.5\n"

// parcelsMapping says column "Foo bar" holds inbound parcels in tonnes.
const parcelsMapping = `{"format":"postdash-mapping","version":1,
  "header":["Month","Letters inbound, kg","Foo bar"],
  "columns":[{"header":"Foo bar","column":"C","meaning":"measure","category":"parcel","direction":"inbound","unit":"t"}]}`

// forEachBackend runs fn with the DSN of an empty SQLite file and, when
// POSTDASH_TEST_POSTGRES is set, of a scratch PostgreSQL schema.
func forEachBackend(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "postdash.db")) })
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv(postgresEnv)
		if dsn == "" {
			t.Skip(postgresEnv + " not set")
		}
		fn(t, scratchSchema(t, dsn))
	})
}

// TestImportWithMappingFile: `import --mapping FILE.json` reads the column
// the sheet leaves unsaid; without it the column is an error saying what
// to do. `mappings list|show|export|delete` manage the saved ones.
func TestImportWithMappingFile(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		file, mapping := filepath.Join(dir, "july.csv"), filepath.Join(dir, "parcels.json")
		if err := os.WriteFile(file, []byte(julyCSV), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(mapping, []byte(parcelsMapping), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, _ := cli(t, dsn, "import", "--json", "--dry-run", file)
		var o importer.Outcome
		if err := json.Unmarshal([]byte(out), &o); err != nil || code != 1 || o.Status != "rejected" ||
			len(o.Errors) != 1 || o.Errors[0].Cell != "C" || !strings.Contains(o.Errors[0].Text, "choose what column C holds") {
			t.Fatalf("without the mapping: exit %d, %s", code, out)
		}

		code, out, errOut := cli(t, dsn, "import", "--json", "--mapping", mapping, file)
		o = importer.Outcome{}
		if err := json.Unmarshal([]byte(out), &o); err != nil || code != 0 || o.Status != "committed" {
			t.Fatalf("with the mapping: exit %d, %s %s", code, out, errOut)
		}
		if o.Mapping == nil || o.Mapping.Source != "parcels.json" {
			t.Errorf("the outcome does not name the mapping: %s", out)
		}
		// Truth by hand: 1.5 t is 1,500 kg of inbound parcels; 10 kg of letters.
		code, out, _ = cli(t, dsn, "query", "--json", "--by", "category", "--from", "2025-07", "--to", "2025-07")
		if code != 0 || !strings.Contains(out, `{"category":"letter_post","items":0,"weight_kg":10}`) || !strings.Contains(out, `{"category":"parcel","items":0,"weight_kg":1500}`) {
			t.Errorf("query after the import: %s", out)
		}
		if code, out, _ = cli(t, dsn, "mappings", "list", "--json"); code != 0 || out != "{\"mappings\":[]}\n" {
			t.Errorf("a mapping given on the command line was saved: %d %s", code, out)
		}

		// A saved mapping (as the upload page saves it) is listed, shown,
		// exported as JSON that imports the same, and deleted.
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		m, err := sheet.ParseMapping([]byte(parcelsMapping))
		if err != nil {
			t.Fatal(err)
		}
		saved, err := importer.New(st, sheet.Limits{}, nil).SaveMapping(context.Background(), *m, importer.Actor{User: "dilnoza"}, importer.ActMappingUpload)
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		id := itoa64(saved.ID)
		if code, out, _ = cli(t, dsn, "mappings", "list"); code != 0 || !strings.Contains(out, id+"\tsaved by dilnoza on ") {
			t.Errorf("list: %d %s", code, out)
		}
		if code, out, _ = cli(t, dsn, "mappings", "show", id); code != 0 || !strings.Contains(out, "foo bar\tmeasure parcel inbound t") {
			t.Errorf("show: %d %s", code, out)
		}
		code, out, _ = cli(t, dsn, "mappings", "export", id)
		exported := filepath.Join(dir, "exported.json")
		if err := os.WriteFile(exported, []byte(out), 0o600); code != 0 || err != nil {
			t.Fatalf("export: %d %v", code, err)
		}
		aug := filepath.Join(dir, "august.csv")
		if err := os.WriteFile(aug, []byte(strings.Replace(julyCSV, "2025-07", "2025-08", 1)), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, _ = cli(t, dsn, "import", "--json", "--dry-run", "--mapping", exported, aug)
		if o = (importer.Outcome{}); json.Unmarshal([]byte(out), &o) != nil || code != 0 || o.Mapping == nil || o.Mapping.ID != saved.ID || o.Mapping.SavedBy != "dilnoza" {
			t.Errorf("import with the exported mapping: %d %s", code, out)
		}
		// Saved, it applies with no flag at all.
		code, out, _ = cli(t, dsn, "import", "--json", "--dry-run", aug)
		if o = (importer.Outcome{}); json.Unmarshal([]byte(out), &o) != nil || code != 0 || o.Mapping == nil || o.Mapping.ID != saved.ID {
			t.Errorf("import with the saved mapping: %d %s", code, out)
		}
		if code, _, _ = cli(t, dsn, "mappings", "delete", id); code != 0 {
			t.Errorf("delete: %d", code)
		}
		if code, _, errOut = cli(t, dsn, "mappings", "show", id); code != 1 || !strings.Contains(errOut, "there is no mapping "+id) {
			t.Errorf("show after delete: %d %s", code, errOut)
		}
		if code, _, _ = cli(t, dsn, "import", "--json", "--dry-run", aug); code != 1 {
			t.Errorf("after delete the column must be unknown again: exit %d", code)
		}
		if code, out, _ = cli(t, dsn, "audit", "--json"); !strings.Contains(out, importer.ActMappingDelete) || !strings.Contains(out, importer.ActMappingUpload) {
			t.Errorf("the audit log lacks the mapping's upload and delete: %s", out)
		}
	})
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// TestImportWithAcrossMappingFile: a months-across sheet's unknown stub row
// is read with `--mapping` naming the row by its label; the mapping's header
// leaves out the months.
func TestImportWithAcrossMappingFile(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		dir := t.TempDir()
		file, mapping := filepath.Join(dir, "autumn.csv"), filepath.Join(dir, "ems.json")
		sheetText := "Показатель,Ед. изм.,Сентябрь 2025,Октябрь 2025,Итого\nПосылки входящие,шт,10,20,30\nFoo bar,т,1.5,2.25,3.75\n"
		m := `{"format":"postdash-mapping","version":1,"layout":"across","header":["Показатель","Ед. изм.","Итого"],
  "rows":[{"label":"Foo bar, т","meaning":"measure","category":"ems","direction":"outbound"}]}`
		if err := os.WriteFile(file, []byte(sheetText), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(mapping, []byte(m), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, _ := cli(t, dsn, "import", "--json", "--dry-run", file)
		var o importer.Outcome
		if err := json.Unmarshal([]byte(out), &o); err != nil || code != 1 || o.Status != "rejected" ||
			len(o.Errors) != 1 || o.Errors[0].Cell != "A3" || !strings.Contains(o.Errors[0].Text, "choose what row 3 counts") {
			t.Fatalf("without the mapping: exit %d, %s", code, out)
		}
		code, out, errOut := cli(t, dsn, "import", "--json", "--mapping", mapping, file)
		o = importer.Outcome{}
		if err := json.Unmarshal([]byte(out), &o); err != nil || code != 0 || o.Status != "committed" {
			t.Fatalf("with the mapping: exit %d, %s %s", code, out, errOut)
		}
		// Truth by hand: 1.5 t + 2.25 t is 3,750 kg of outbound EMS.
		code, out, _ = cli(t, dsn, "query", "--json", "--by", "category", "--from", "2025-09", "--to", "2025-10")
		if code != 0 || !strings.Contains(out, `{"category":"ems","items":0,"weight_kg":3750}`) {
			t.Errorf("query after the import: %s", out)
		}
	})
}
