package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"postdash/internal/importer"
	"postdash/internal/postal"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

// testerShape is the store a tester's 400,000-row list made: 4 years × 3
// directions × 3 partners × 2 categories × marketplaces (30: 25,920
// series-months), in one batch, then a correction of a few hundred
// values by a second one.
func testerShape(r *rand.Rand, marketplaces int) []oBatch {
	dirs := []postal.Direction{postal.Inbound, postal.Outbound, postal.Transit}
	partners := []string{postal.ChinaPost, postal.LatvijasPasts, "Korea Post"}
	markets := []string{postal.AliExpress, postal.Temu, postal.Shein}
	for i := len(markets); i < marketplaces; i++ {
		markets = append(markets, fmt.Sprintf("Shop%02d", i+1))
	}
	var first []postal.Fact
	for m := (postal.Month{Year: 2022, Month: 1}); m.Year < 2026; m = m.Add(1) {
		for _, d := range dirs {
			for _, p := range partners {
				for _, c := range []postal.Category{postal.Parcel, postal.Ecommerce} {
					for _, mk := range markets {
						first = append(first, postal.Fact{Month: m, Series: postal.Series{Direction: d, Partner: p, Category: c, Marketplace: mk},
							Sheet: "big.csv", Items: int64(1 + r.IntN(90_000)), HasItems: true,
							WeightKg: float64(r.IntN(9_000_000_000)) / 1000, HasWeight: true}) // to the gram, up to 9,000 t
					}
				}
			}
		}
	}
	var fix []postal.Fact
	for range 300 {
		f := first[r.IntN(len(first))]
		f.WeightKg += float64(1+r.IntN(5_000_000)) / 1000
		f.Sheet = "correction"
		fix = append(fix, f)
	}
	slicesCompactByKey(&fix)
	return []oBatch{{facts: first}, {facts: fix}}
}

// slicesCompactByKey keeps the first fact of each series-month.
func slicesCompactByKey(fs *[]postal.Fact) {
	seen := map[postal.Key]bool{}
	out := (*fs)[:0]
	for _, f := range *fs {
		if !seen[f.Key()] {
			seen[f.Key()] = true
			out = append(out, f)
		}
	}
	*fs = out
}

// TestOracleTesterShape: a store of the tester's shape (25,920 live
// series-months, more than an export lists) is answered in full by the
// overview and the briefing, every KPI, summary figure and chart series
// as the oracle computes it from the facts; the default export refuses in
// a sentence that says how to narrow it, and a narrowed one lists its
// values. On both backends.
func TestOracleTesterShape(t *testing.T) {
	if raceEnabled {
		// Eight minutes under the race detector on two cores (the package
		// timed out at Go's ten), and its requests come one at a time: the
		// run without the detector checks its numbers, and the smaller
		// oracle tests, which run here, cover the same code for races.
		t.Skip("checked by the run without the race detector")
	}
	forBackends(t, func(t *testing.T, dsn string) {
		r := rand.New(rand.NewPCG(11, 400_000))
		batches := testerShape(r, 30)
		evs := historyOf(r, batches)
		st := oracleStoreAt(t, dsn, batches, evs)
		h := newTestServer(t, st)
		live := liveOf(batches)
		revisedOf(batches, live)
		if len(live) != 25_920 {
			t.Fatalf("%d live series-months, want 25,920", len(live))
		}
		for _, f := range []oFilter{{}, {msr: "parcels"}, {cat: "ecommerce", dir: "inbound"}} {
			c := &checker{t: t}
			w := expectView(live, f)
			for _, path := range []string{"/?", "/briefing?"} {
				res := get(t, h, path+f.query())
				page := body(t, res)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%s%s: status %d, want 200:\n%.400s", path, f.query(), res.StatusCode, page)
				}
				if path == "/?" {
					checkKPIs(c, page, w)
					checkCharts(c, page, w, true)
				} else {
					checkSummary(c, page, w)
					checkCharts(c, page, w, false)
				}
			}
			if len(c.errs) > 0 {
				t.Errorf("view /?%s:\n  %s", f.query(), strings.Join(c.errs, "\n  "))
			}
		}
		for _, path := range []string{"/export.csv?lang=en", "/export.xlsx?lang=en"} {
			res := get(t, h, path)
			page := body(t, res)
			if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "narrow it with the months") || !strings.Contains(page, "20,000") {
				t.Errorf("%s: status %d, want 413 with how to narrow the export:\n%.600s", path, res.StatusCode, page)
			}
		}
		// Narrowed to a year (6,480 values) or a marketplace (864), the
		// whole view is checked, exports and traces included.
		for _, f := range []oFilter{{from: postal.Month{Year: 2024, Month: 1}, to: postal.Month{Year: 2024, Month: 12}}, {mk: postal.Temu, msr: "ems"}} {
			c := &checker{t: t, semicolon: true}
			checkOverview(c, h, live, f)
			if len(c.errs) > 0 {
				t.Errorf("view /?%s:\n  %s", f.query(), strings.Join(c.errs, "\n  "))
			}
		}
	})
}

// TestPreviewWarnsOfExportLimit: the preview of a batch that makes the
// dashboard hold more series-months than an export of all of it lists
// says so, with the count and how exports will be narrowed; one that
// keeps it at the limit says nothing.
func TestPreviewWarnsOfExportLimit(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	var facts []postal.Fact
	for i := range maxAnswerRows - 1 { // 19,999 series-months
		facts = append(facts, postal.Fact{Month: postal.Month{Year: 2024, Month: 1 + i%12},
			Series: postal.Series{Direction: postal.Inbound, Partner: postal.ChinaPost, Category: postal.Ecommerce, Marketplace: fmt.Sprintf("shop%05d", i/12)},
			Sheet:  "Sheet1", Items: 1, HasItems: true})
	}
	b := &store.Batch{FileName: "many.csv", SHA256: strings.Repeat("e", 64), User: "ali", Sheets: []string{"Sheet1"}, Facts: int64(len(facts))}
	if err := env.st.CommitBatch(context.Background(), b, facts); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		rows []row
		want string // "" for no warning
	}{
		{[]row{{"2025-03", "inbound", "china_post", "parcel", 100, 50}}, ""},
		{[]row{{"2025-03", "inbound", "china_post", "parcel", 100, 50}, {"2025-04", "inbound", "china_post", "parcel", 200, 80}},
			"After this import the dashboard will hold 20,001 series-months (a series in a month), more than the 20,000 an export of all of it lists"},
	} {
		id := ali.uploadPage(fmt.Sprintf("rows-%d.xlsx", len(tc.rows)), workbook(t, tc.rows...))
		if p := ali.waitJob(id); p.State != importer.JobReady {
			t.Fatalf("job state %q, want ready", p.State)
		}
		page := ali.get("/upload/" + id).Body.String()
		got := strings.Contains(page, `id="job-export-warning"`)
		if tc.want == "" && got {
			t.Errorf("%d rows: a warning at the limit", len(tc.rows))
		}
		if tc.want != "" && (!got || !strings.Contains(page, tc.want)) {
			t.Errorf("%d rows: no warning %q in the preview", len(tc.rows), tc.want)
		}
		if rec := ali.post("/upload/"+id+"/cancel", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("cancel: %d", rec.Code)
		}
	}
}
