package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/postal"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

// sqliteWithSample opens a fresh SQLite store and imports the embedded sample into it.
func sqliteWithSample(t testing.TB) (store.Store, *importer.Importer) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	imp := importer.New(st, sheet.Limits{}, nil)
	if err := EnsureSample(ctx, st, imp, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("import sample: %v", err)
	}
	return st, imp
}

func TestSampleDefaultViewOnSQLite(t *testing.T) {
	st, _ := sqliteWithSample(t)
	h := newTestServer(t, st)
	page := body(t, get(t, h, "/?lang=en"))
	for _, w := range []string{`value="2025-01"`, `value="2025-06"`, "3,085\u00a0kg", "6,014\u00a0items", "226.5\u00a0t", "uz-cn-post-2025-h1.xlsx"} {
		if !strings.Contains(page, w) {
			t.Errorf("default view lacks %q", w)
		}
	}
	_, vals := seriesValues(t, chartOptions(t, page)["chart-letters"])
	want, err := st.Totals(context.Background(), store.Query{By: []postal.Field{postal.FieldDirection}, Where: map[postal.Field][]string{postal.FieldCategory: {"letter_post"}}})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{"inbound": "Inbound", "outbound": "Outbound"}
	for _, tot := range want {
		var sum float64
		for _, v := range vals[names[tot.Group[postal.FieldDirection]]] {
			sum += v.(float64)
		}
		if math.Abs(sum-tot.WeightKg) > 1e-6 {
			t.Errorf("letters %s: chart sums %v kg, store %v", tot.Group[postal.FieldDirection], sum, tot.WeightKg)
		}
	}
	// EnsureSample is idempotent: a second call imports nothing.
	if err := EnsureSample(context.Background(), st, importer.New(st, sheet.Limits{}, nil), slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if bs, _ := st.Batches(context.Background()); len(bs) != 1 {
		t.Errorf("%d batches after a second EnsureSample, want 1", len(bs))
	}
}

// totalsKey flattens grouped totals for comparison.
func totalsKey(t *testing.T, st store.Store) []string {
	t.Helper()
	rows, err := st.Totals(context.Background(), store.Query{By: []postal.Field{postal.FieldPeriod, postal.FieldDirection, postal.FieldPartner, postal.FieldCategory, postal.FieldMarketplace}})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		g := r.Group
		out = append(out, strings.Join([]string{g[postal.FieldPeriod], g[postal.FieldDirection], g[postal.FieldPartner], g[postal.FieldCategory], g[postal.FieldMarketplace],
			itoa(int(r.Items)), strconvF(r.WeightKg)}, "|"))
	}
	sort.Strings(out)
	return out
}

func strconvF(v float64) string { return i18n.FormatNumber(i18n.EN, v, 3) }

func TestExportReimportsToSameTotals(t *testing.T) {
	for _, tc := range []struct{ lang, ext, sep string }{
		{"en", "xlsx", ""}, {"uz-Cyrl", "xlsx", ""}, {"ru", "xlsx", ""}, {"uz-Latn", "xlsx", ""},
		{"en", "csv", ","}, {"ru", "csv", ";"}, {"uz-Latn", "csv", ";"}, {"uz-Cyrl", "csv", ";"},
	} {
		lang := tc.lang
		t.Run(lang+"."+tc.ext, func(t *testing.T) {
			st, _ := sqliteWithSample(t)
			r := get(t, newTestServer(t, st), "/export."+tc.ext+"?lang="+lang)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("status %d", r.StatusCode)
			}
			b, _ := io.ReadAll(r.Body)
			if tc.ext == "csv" {
				// Russian- and Uzbek-locale Excel splits on semicolons and
				// reads decimal commas; the BOM says UTF-8.
				head, _, _ := strings.Cut(string(b), "\n")
				cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(head, "\ufeff")))
				cr.Comma = rune(tc.sep[0])
				if fields, err := cr.Read(); !strings.HasPrefix(head, "\ufeff") || err != nil || len(fields) != 7 {
					t.Errorf("CSV header %q: want a BOM and 7 fields separated by %q", head, tc.sep)
				}
			}
			path := filepath.Join(t.TempDir(), "export."+tc.ext)
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			st2, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "again.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st2.Close()
			out, err := importer.New(st2, sheet.Limits{}, nil).Import(context.Background(), importer.Request{Path: path, FileName: "export." + tc.ext, User: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if out.Status != importer.StatusCommitted {
				t.Fatalf("re-import: %s %s %+v", out.Status, out.Message, out.Errors)
			}
			got, want := totalsKey(t, st2), totalsKey(t, st)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("re-imported totals differ:\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestExportSheetsAndFormulaNeutralised(t *testing.T) {
	st := sampleStore()
	st.live[0].Partner = "=HYPERLINK(\"http://x\")"
	st.live[1].Marketplace = "@SUM(A1)"
	st.live[2].Partner = "-2+3"
	h := newTestServer(t, st)

	r := get(t, h, "/export.xlsx?lang=en&from=2025-01&to=2025-06")
	b, _ := io.ReadAll(r.Body)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open export: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) < 7 || sheets[0] != "Data" {
		t.Errorf("sheets %v: want Data and one per chart", sheets)
	}
	rows, err := f.GetRows("Data")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(rows[0], ","); got != "Period,Direction,Partner,Category,Marketplace,Items,Weight, kg" {
		t.Errorf("Data header %q", got)
	}
	seen := map[string]bool{}
	for _, row := range rows[1:] {
		for _, c := range row {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %q starts a formula", c)
			}
			seen[c] = true
		}
	}
	for _, w := range []string{"'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "'-2+3"} {
		if !seen[w] {
			t.Errorf("Data sheet lacks neutralised %q", w)
		}
	}
	for _, s := range sheets {
		cells, _ := f.GetRows(s)
		for y, row := range cells {
			for x := range row {
				ref, _ := excelize.CoordinatesToCellName(x+1, y+1)
				if formula, _ := f.GetCellFormula(s, ref); formula != "" {
					t.Errorf("sheet %s cell %s has a formula %q", s, ref, formula)
				}
			}
		}
	}

	r = get(t, h, "/export.csv?lang=en&from=2025-01&to=2025-06")
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body(t, r), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	if len(recs) != len(rows) {
		t.Errorf("csv has %d records, xlsx Data %d rows", len(recs), len(rows))
	}
	for _, rec := range recs[1:] {
		for _, c := range rec {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("csv cell %q starts a formula", c)
			}
		}
	}
}
