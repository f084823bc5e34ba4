package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"html"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"postdash/internal/i18n"
	"postdash/internal/postal"
	"postdash/internal/store"
)

func newTestServer(t testing.TB, st store.Store) http.Handler {
	t.Helper()
	return newTestServerOf(t, st).Handler()
}

func newTestServerOf(t testing.TB, st store.Store) *Server {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatalf("load catalogs: %v", err)
	}
	if f, ok := st.(*fixture); ok {
		f.open(t)
	}
	s, err := New(Config{DefaultLang: i18n.EN, Public: true}, st, nil, cat)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	return s
}

func get(t *testing.T, h http.Handler, url string, hdr ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, r *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var (
	chartRe = regexp.MustCompile(`(?s)pd\.chart\("([^"]+)",(.*?)\);</script>`)
	funcRe  = regexp.MustCompile(`function\([^)]*\)\{[^{}]*\}`)
)

// chartOptions extracts each chart's ECharts options from a page, with its
// JavaScript functions replaced by null so the rest parses as JSON.
func chartOptions(t *testing.T, page string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, m := range chartRe.FindAllStringSubmatch(page, -1) {
		js := funcRe.ReplaceAllString(m[2], "null")
		var opt map[string]any
		if err := json.Unmarshal([]byte(js), &opt); err != nil {
			t.Fatalf("chart %s: options do not parse: %v\n%s", m[1], err, js)
		}
		out[m[1]] = opt
	}
	return out
}

// seriesValues returns, per series name, the values of an x-axis chart.
func seriesValues(t *testing.T, opt map[string]any) (x []string, vals map[string][]any) {
	t.Helper()
	xa := opt["xAxis"].([]any)[0].(map[string]any)
	for _, v := range xa["data"].([]any) {
		x = append(x, v.(string))
	}
	vals = map[string][]any{}
	for _, s := range opt["series"].([]any) {
		sm := s.(map[string]any)
		for _, d := range sm["data"].([]any) {
			vals[sm["name"].(string)] = append(vals[sm["name"].(string)], d.(map[string]any)["value"])
		}
	}
	return x, vals
}

func TestOverviewKPIs(t *testing.T) {
	h := newTestServer(t, sampleStore())
	tests := []struct {
		name, url string
		want      []string
		lang      string
	}{
		{"english anchors", "/?lang=en&from=2025-01&to=2025-06", []string{"3,085\u00a0kg", "in 1,246\u00a0kg", "out 1,839\u00a0kg", "6,014\u00a0items", "226.5\u00a0t", "6.8\u00a0%", "June 2025", "nothing to compare", "Latest month with data: June 2025 · last import 2 July 2025, 14:30 (UTC+5)"}, "en"},
		{"uzbek cyrillic", "/?lang=uz-Cyrl&from=2025-01&to=2025-06", []string{"3\u00a0085", "6\u00a0014", "226,5"}, "uz-Cyrl"},
		{"filter by direction", "/?lang=en&from=2025-01&to=2025-06&direction=outbound", []string{"1,839\u00a0kg", "2,944\u00a0items"}, "en"},
		{"filter by months", "/?lang=en&from=2025-03&to=2025-04", []string{"1,036\u00a0kg"}, "en"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := get(t, h, tc.url)
			page := body(t, r)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("status %d\n%s", r.StatusCode, page)
			}
			if !strings.Contains(page, `<html lang="`+tc.lang+`"`) {
				t.Errorf("page is not <html lang=%q>", tc.lang)
			}
			for _, w := range tc.want {
				if !strings.Contains(html.UnescapeString(page), w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if strings.Contains(page, "https://") || strings.Contains(page, "http://") {
				t.Errorf("page refers to another origin")
			}
		})
	}
}

// TestOverviewLocalized: the "data as of" line, the month choices of the
// filter form and the reason a filter was refused are written in the page's
// language, and the page's words are in its script.
func TestOverviewLocalized(t *testing.T) {
	h := newTestServer(t, sampleStore())
	tests := []struct {
		lang i18n.Lang
		want []string
	}{
		{i18n.EN, []string{"Latest month with data: June 2025 · last import 2 July 2025, 14:30 (UTC+5)", ">January 2025</option>", ">June 2025</option>", "From month: “2025-13” is not a month"}},
		{i18n.RU, []string{"Последний месяц с данными: июнь 2025 · последняя загрузка 2 июля 2025 г., 14:30 (UTC+5)", ">январь 2025</option>", "Начальный месяц: «2025-13» — не месяц"}},
		{i18n.UzLatn, []string{"Maʼlumotli oxirgi oy: 2025-yil iyun · oxirgi yuklash 2025-yil 2-iyul, 14:30 (UTC+5)", ">2025-yil yanvar</option>", "Boshlangʻich oy: «2025-13» oy emas"}},
		{i18n.UzCyrl, []string{"Маълумотли охирги ой: 2025 йил июн · охирги юклаш 2025 йил 2 июл, 14:30 (UTC+5)", ">2025 йил январ</option>", "Бошланғич ой: «2025-13» ой эмас"}},
	}
	for _, tc := range tests {
		t.Run(string(tc.lang), func(t *testing.T) {
			page := body(t, get(t, h, "/?lang="+string(tc.lang)+"&from=2025-13"))
			for _, w := range tc.want {
				if !strings.Contains(html.UnescapeString(page), w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if strings.Contains(page, `type="month"`) {
				t.Error("the filter form still uses <input type=month>, which the browser names in its own language")
			}
			if bad := foreignWords(tc.lang, page); len(bad) > 0 {
				t.Errorf("words in the other script: %q", bad)
			}
		})
	}
}

var (
	scriptRe     = regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>`)
	tagRe        = regexp.MustCompile(`(?s)<[^>]*>`)
	latinWordRe  = regexp.MustCompile(`[A-Za-z][A-Za-z'ʻʼ’.-]*`)
	cyrillicRe   = regexp.MustCompile(`\p{Cyrillic}+`)
	keptInLatin  = []string{"AliExpress", "Temu", "Shein", "EMS", "postdash", "Excel", "CSV", "PDF", "UTC", "uz-cn-post-2025-h1.xlsx", "test", "=HYPERLINK(1)", "<b>&</b>"}
	languageName = map[string]bool{"Oʻzbekcha": true, "Ўзбекча": true, "Русский": true, "English": true}
)

// foreignWords returns the words of page's text written in the script the
// language l does not use, apart from names and the language switcher.
func foreignWords(l i18n.Lang, page string) []string {
	text := html.UnescapeString(tagRe.ReplaceAllString(scriptRe.ReplaceAllString(page, " "), " "))
	for _, k := range keptInLatin {
		text = strings.ReplaceAll(text, k, " ")
	}
	re := cyrillicRe
	if l == i18n.RU || l == i18n.UzCyrl {
		re = latinWordRe
	}
	var bad []string
	for _, w := range re.FindAllString(text, -1) {
		if !languageName[w] && !slices.Contains(bad, w) {
			bad = append(bad, w)
		}
	}
	return bad
}

func TestChartSeriesEqualStoreTotals(t *testing.T) {
	st := sampleStore()
	h := newTestServer(t, st)
	tests := []struct {
		name, query string
		where       map[postal.Field][]string
		from, to    postal.Month
	}{
		{"all", "from=2025-01&to=2025-06", nil, postal.Month{Year: 2025, Month: 1}, postal.Month{Year: 2025, Month: 6}},
		{"two months", "from=2025-02&to=2025-03", nil, postal.Month{Year: 2025, Month: 2}, postal.Month{Year: 2025, Month: 3}},
		{"inbound only", "from=2025-01&to=2025-06&direction=inbound", map[postal.Field][]string{postal.FieldDirection: {"inbound"}}, postal.Month{Year: 2025, Month: 1}, postal.Month{Year: 2025, Month: 6}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page := body(t, get(t, h, "/?lang=en&"+tc.query))
			opts := chartOptions(t, page)
			for _, id := range []string{"chart-letters", "chart-registered", "chart-tonnage", "chart-marketplaces", "chart-yoy", "chart-balance", "chart-completeness"} {
				if _, ok := opts[id]; !ok {
					t.Errorf("no options for %s", id)
				}
			}
			where := map[postal.Field][]string{postal.FieldCategory: {"letter_post"}}
			for k, v := range tc.where {
				where[k] = v
			}
			want, err := st.Totals(context.Background(), store.Query{From: tc.from, To: tc.to, By: []postal.Field{postal.FieldPeriod, postal.FieldDirection}, Where: where})
			if err != nil {
				t.Fatal(err)
			}
			x, vals := seriesValues(t, opts["chart-letters"])
			if len(x) != tc.to.Index()-tc.from.Index()+1 {
				t.Errorf("x axis has %d months, want %d", len(x), tc.to.Index()-tc.from.Index()+1)
			}
			names := map[string]string{"inbound": "Inbound", "outbound": "Outbound"}
			n := 0
			for _, tot := range want {
				m, _ := postal.ParseMonth(tot.Group[postal.FieldPeriod])
				got := vals[names[tot.Group[postal.FieldDirection]]][m.Index()-tc.from.Index()]
				if g, ok := got.(float64); !ok || math.Abs(g-tot.WeightKg) > 1e-6 {
					t.Errorf("%s %s: chart says %v, store %v", m, tot.Group[postal.FieldDirection], got, tot.WeightKg)
				}
				n++
			}
			chartPoints := 0
			for _, v := range vals {
				for _, p := range v {
					if _, ok := p.(float64); ok {
						chartPoints++
					}
				}
			}
			if chartPoints != n {
				t.Errorf("chart draws %d values, store has %d", chartPoints, n)
			}
		})
	}
}

func TestTonnageAndDonutMatchStore(t *testing.T) {
	st := sampleStore()
	h := newTestServer(t, st)
	opts := chartOptions(t, body(t, get(t, h, "/?lang=en&from=2025-01&to=2025-06")))
	_, vals := seriesValues(t, opts["chart-tonnage"])
	want, _ := st.Totals(context.Background(), store.Query{By: []postal.Field{postal.FieldPartner}, Where: map[postal.Field][]string{postal.FieldCategory: {"ecommerce", "parcel"}}})
	labels := map[string]string{postal.ChinaPost: "China Post", postal.LatvijasPasts: "Latvijas Pasts"}
	for _, tot := range want {
		var sum float64
		for _, v := range vals[labels[tot.Group[postal.FieldPartner]]] {
			sum += v.(float64)
		}
		if math.Abs(sum-tot.WeightKg/1000) > 1e-6 {
			t.Errorf("tonnage %s: chart sums %v t, store %v kg", tot.Group[postal.FieldPartner], sum, tot.WeightKg)
		}
	}
	var donut float64
	for _, d := range opts["chart-marketplaces"]["series"].([]any)[0].(map[string]any)["data"].([]any) {
		donut += d.(map[string]any)["value"].(float64)
	}
	if math.Abs(donut-226.5) > 1e-6 {
		t.Errorf("donut sums %v t, want 226.5", donut)
	}
}

func TestEmptyStates(t *testing.T) {
	tests := []struct {
		name, url string
		st        *fixture
		want      string
		status    int
	}{
		{"filter matches nothing", "/?lang=en&partner=vanuatu_post", sampleStore(), "Nothing matches these filters", 200},
		{"empty database", "/?lang=en", emptyStore(), "No data yet", 200},
		{"bad month", "/?lang=en&from=2025-13", sampleStore(), "could not be read", 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := get(t, newTestServer(t, tc.st), tc.url)
			page := body(t, r)
			if r.StatusCode != tc.status {
				t.Errorf("status %d, want %d", r.StatusCode, tc.status)
			}
			if !strings.Contains(page, tc.want) {
				t.Errorf("page lacks %q", tc.want)
			}
		})
	}
}

func TestNoScriptInjectionFromData(t *testing.T) {
	st := sampleStore()
	st.live[0].Partner = "</script><script>alert(1)</script>"
	page := body(t, get(t, newTestServer(t, st), "/?lang=en"))
	if strings.Contains(page, "<script>alert(1)") {
		t.Fatal("text from the data closes a script element")
	}
	// go-echarts marks functions with __f__; a name holding it stays text.
	st = sampleStore()
	st.live[4].Marketplace = "__f__alert(2)__f__"
	page = body(t, get(t, newTestServer(t, st), "/?lang=en"))
	for _, code := range []string{`[alert(2)`, `,alert(2)`, `:alert(2)`} {
		if strings.Contains(page, code) {
			t.Errorf("a marketplace name became code in the chart options (%s)", code)
		}
	}
}

func TestLanguageChoice(t *testing.T) {
	h := newTestServer(t, sampleStore())
	tests := []struct {
		url, cookie, accept, want string
	}{
		{"/?lang=ru", "", "", `lang="ru"`},
		{"/", "uz-Cyrl", "", `lang="uz-Cyrl"`},
		{"/", "", "ru-RU,ru;q=0.9", `lang="ru"`},
		{"/", "", "", `lang="en"`},
	}
	for _, tc := range tests {
		var hdr []string
		if tc.cookie != "" {
			hdr = append(hdr, "Cookie", "lang="+tc.cookie)
		}
		if tc.accept != "" {
			hdr = append(hdr, "Accept-Language", tc.accept)
		}
		if page := body(t, get(t, h, tc.url, hdr...)); !strings.Contains(page, "<html "+tc.want) {
			t.Errorf("%s cookie=%q accept=%q: want <html %s>", tc.url, tc.cookie, tc.accept, tc.want)
		}
	}
}

func TestETag(t *testing.T) {
	st := sampleStore()
	h := newTestServer(t, st)
	r := get(t, h, "/?lang=en")
	tag := r.Header.Get("ETag")
	if tag == "" {
		t.Fatal("no ETag")
	}
	if r2 := get(t, h, "/?lang=en", "If-None-Match", tag); r2.StatusCode != http.StatusNotModified {
		t.Errorf("repeat visit: status %d, want 304", r2.StatusCode)
	}
	st.commit(t, st.live[0])
	if r3 := get(t, h, "/?lang=en", "If-None-Match", tag); r3.StatusCode != http.StatusOK {
		t.Errorf("after new data: status %d, want 200", r3.StatusCode)
	}
}

func TestStaticAndHealth(t *testing.T) {
	h := newTestServer(t, sampleStore())
	for _, tc := range []struct{ url, ctype string }{
		{"/healthz", "application/json"},
		{"/favicon.ico", "image/svg+xml"},
		{"/static/app.css", "text/css"},
		{"/static/app.js", "javascript"},
		{"/static/vendor/echarts/echarts.min.js", "javascript"},
	} {
		r := get(t, h, tc.url)
		if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Content-Type"), tc.ctype) {
			t.Errorf("%s: status %d, type %q", tc.url, r.StatusCode, r.Header.Get("Content-Type"))
		}
	}
	for _, u := range []string{"/nope", "/static/%ff", "/static/nope.css", "/static/%2e%2e/static.go"} {
		if r := get(t, h, u); r.StatusCode != 404 {
			t.Errorf("%s: status %d, want 404", u, r.StatusCode)
		}
	}
}

func TestViewsCachedPerDataVersion(t *testing.T) {
	for _, url := range []string{"/?lang=en&from=2025-01&to=2025-06", "/api/v1/totals?by=category", "/export.csv?lang=en"} {
		t.Run(url, func(t *testing.T) {
			st := sampleStore()
			srv := newTestServerOf(t, st)
			h := srv.Handler()
			first := body(t, get(t, h, url))
			reads := st.reads.Load()
			if reads == 0 {
				t.Fatal("first request read nothing")
			}
			if again := body(t, get(t, h, url)); again != first || st.reads.Load() != reads {
				t.Errorf("repeat request read the store again (%d -> %d reads) or changed", reads, st.reads.Load())
			}
			changed := st.live[0] // letters in, January 2025: 198 kg
			changed.WeightKg += 1000
			st.commit(t, changed)
			// The overview may answer the page of the version before, said
			// to be so, while the new version loads in the background.
			if after := body(t, get(t, h, url)); after == first {
				t.Errorf("after a commit the cached view was served as it was")
			}
			srv.background.Wait()
			get(t, h, url) // has the new page written
			srv.background.Wait()
			if after := body(t, get(t, h, url)); after == first || st.reads.Load() == reads || strings.Contains(after, `id="stale-notice"`) {
				t.Errorf("after a commit and its load the cached view was served (%d reads)", st.reads.Load())
			}
		})
	}
}

// The time zone is configurable; "data as of" names the last month of the
// view (not the import's date) and the import in that zone.
func TestAsOfInConfiguredZone(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		zone, url, want string
	}{
		{"UTC", "/?lang=en", "Latest month with data: June 2025 · last import 2 July 2025, 09:30 (UTC)"},
		{"Asia/Kolkata", "/?lang=en", "last import 2 July 2025, 15:00 (UTC+5:30)"},
		{"Asia/Tashkent", "/?lang=en&to=2025-03", "Latest month with data: March 2025 · last import 2 July 2025, 14:30 (UTC+5)"},
	} {
		loc, err := time.LoadLocation(tc.zone)
		if err != nil {
			t.Fatal(err)
		}
		s, err := New(Config{DefaultLang: i18n.EN, Public: true, Location: loc}, sampleStore().open(t), nil, cat)
		if err != nil {
			t.Fatal(err)
		}
		if page := html.UnescapeString(body(t, get(t, s.Handler(), tc.url))); !strings.Contains(page, tc.want) {
			t.Errorf("%s %s: page lacks %q", tc.zone, tc.url, tc.want)
		}
	}
}

// ECharts (1 MB) and the other scripts and styles go gzipped to browsers
// that accept it, and as they are to those that do not.
func TestStaticGzipped(t *testing.T) {
	h := newTestServer(t, sampleStore())
	plain := get(t, h, "/static/vendor/echarts/echarts.min.js")
	raw, _ := io.ReadAll(plain.Body)
	if plain.Header.Get("Content-Encoding") != "" || len(raw) < 900_000 {
		t.Fatalf("without Accept-Encoding: encoding %q, %d bytes", plain.Header.Get("Content-Encoding"), len(raw))
	}
	r := get(t, h, "/static/vendor/echarts/echarts.min.js", "Accept-Encoding", "gzip, deflate, br")
	zb, _ := io.ReadAll(r.Body)
	if r.Header.Get("Content-Encoding") != "gzip" || len(zb) > 400_000 || !strings.Contains(r.Header.Get("Content-Type"), "javascript") {
		t.Fatalf("gzip: encoding %q, type %q, %d bytes", r.Header.Get("Content-Encoding"), r.Header.Get("Content-Type"), len(zb))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zb))
	if err != nil {
		t.Fatal(err)
	}
	un, _ := io.ReadAll(zr)
	if !bytes.Equal(un, raw) {
		t.Error("the gzipped script differs from the script")
	}
	if r := get(t, h, "/static/nope.js", "Accept-Encoding", "gzip"); r.StatusCode != http.StatusNotFound {
		t.Errorf("/static/nope.js: status %d", r.StatusCode)
	}
}

// "Every number traces to its batch below" is said only where batches are listed.
func TestFooterTraceOnlyWithSources(t *testing.T) {
	h := newTestServer(t, sampleStore())
	trace := "every number traces to its batch below"
	if page := body(t, get(t, h, "/?lang=en")); !strings.Contains(page, trace) {
		t.Error("the overview lists its batches but the footer does not say numbers trace to them")
	}
	for _, url := range []string{"/nope?lang=en", "/?lang=en&from=1990-01&to=1990-02"} {
		if page := body(t, get(t, h, url)); strings.Contains(page, trace) {
			t.Errorf("%s lists no batch, yet its footer says numbers trace to one below", url)
		}
	}
}

// One click sets a year, the year to date or the same months a year
// earlier, keeping the other filters; the cards show the year to date.
func TestPeriodPresetsAndYearToDate(t *testing.T) {
	h := newTestServer(t, sampleStore())
	page := html.UnescapeString(body(t, get(t, h, "/?lang=en&from=2025-03&to=2025-04&direction=outbound")))
	for _, want := range []string{
		`<a href="/?direction=outbound&from=2025-01&lang=en&to=2025-12">2025</a>`,
		`<a href="/?direction=outbound&from=2025-01&lang=en&to=2025-06">Year to date (January–June 2025)</a>`,
		`<a href="/?direction=outbound&from=2024-03&lang=en&to=2024-04">Same months a year earlier (March–April 2024)</a>`,
		"Year to date (January–April 2025): ",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	ytd := html.UnescapeString(body(t, get(t, h, "/?lang=en&from=2025-01&to=2025-06")))
	if !strings.Contains(ytd, `to=2025-06" aria-current="true">Year to date`) {
		t.Error("the year to date is not marked as the period shown")
	}
}
