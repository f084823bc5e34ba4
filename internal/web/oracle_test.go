package web

// The oracle: random fact sets go into a real SQLite store the way imports
// put them (batches committed, some undone, newer batches replacing older
// ones); every number the overview, the briefing and the exports show is
// computed again here, from the facts, by the plainest code there is (never
// through package stats), and compared number for number with what the
// server answered over HTTP.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// oracleSets is how many random fact sets one run checks.
const oracleSets = 200

// English labels, as the reader sees them (lang=en).
var (
	enDirection = map[string]string{"inbound": "Inbound", "outbound": "Outbound", "transit": "Transit", "unspecified": "Unspecified"}
	enCategory  = map[string]string{"letter_post": "Letter post", "registered_letter": "Registered letters", "parcel": "Parcels", "ems": "EMS", "ecommerce": "E-commerce"}
	enPartner   = map[string]string{"china_post": "China Post", "latvijas_pasts": "Latvijas Pasts", "vanuatu_post": "Vanuatu Post", "": "Unknown partner"}
	enMarket    = map[string]string{"aliexpress": "AliExpress", "temu": "Temu", "shein": "Shein", "": "Unknown marketplace"}
	enMonth     = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

func enLabel(m map[string]string, v string) string {
	if s, ok := m[v]; ok {
		return s
	}
	return v
}

// oMeasure is a measure as the oracle knows it: which categories, weight
// (in kg or t) or items.
type oMeasure struct {
	key    string
	cats   []string
	weight bool
	tonnes bool
}

var oMeasures = []oMeasure{
	{"letters", []string{"letter_post"}, true, false},
	{"registered", []string{"registered_letter"}, false, false},
	{"parcels", []string{"parcel", "ecommerce"}, true, true},
	{"ems", []string{"ems"}, false, false},
}

var oCatMeasure = map[string]oMeasure{
	"letter_post":       {"", []string{"letter_post"}, true, false},
	"registered_letter": {"", []string{"registered_letter"}, false, false},
	"parcel":            {"", []string{"parcel"}, true, true},
	"ems":               {"", []string{"ems"}, false, false},
	"ecommerce":         {"", []string{"ecommerce"}, true, true},
}

func (m oMeasure) decimals() int {
	if m.tonnes {
		return 1
	}
	return 0
}

// value is what fact-sum v adds to m; ok is false when it does not.
func (m oMeasure) value(v oValue) (float64, bool) {
	if !slices.Contains(m.cats, v.cat) {
		return 0, false
	}
	if !m.weight {
		return float64(v.items), v.hasItems
	}
	if !v.hasWeight {
		return 0, false
	}
	if m.tonnes {
		return v.kg / 1000, true
	}
	return v.kg, true
}

// oValue is the live value of one series in one month.
type oValue struct {
	month                 postal.Month
	dir, partner, cat, mk string
	items                 int64
	hasItems              bool
	kg                    float64
	hasWeight             bool
	batch                 int
	revised               bool // differs from the value first published (see revisedOf)
}

type oKey struct {
	month                 postal.Month
	dir, partner, cat, mk string
}

// oBatch is one import of the random set.
type oBatch struct {
	facts  []postal.Fact
	undone bool
}

// oEvent is one step of a set's history: a batch committed or undone.
// Step i happens at minute i after oStart.
type oEvent struct {
	batch int
	undo  bool
}

// tashkent is the test server's time zone (Asia/Tashkent, UTC+5 all year).
var tashkent = time.FixedZone("UTC+5", 5*3600)

// oStart is when a history starts: 09:00 UTC, 14:00 in Tashkent.
var oStart = time.Date(2025, 4, 5, 9, 0, 0, 0, time.UTC)

// historyOf commits the batches in order and undoes each undone one at a
// random later step.
func historyOf(r *rand.Rand, batches []oBatch) []oEvent {
	var evs []oEvent
	for i := range batches {
		evs = append(evs, oEvent{batch: i})
	}
	for i, b := range batches {
		if !b.undone {
			continue
		}
		c := slices.Index(evs, oEvent{batch: i})
		at := c + 1 + r.IntN(len(evs)-c) // after its commit
		evs = slices.Insert(evs, at, oEvent{batch: i, undo: true})
	}
	return evs
}

// setAt is the set as the first n steps of its history left it: the
// batches committed by then, undone where undone by then.
func setAt(batches []oBatch, evs []oEvent, n int) []oBatch {
	var out []oBatch
	index := map[int]int{}
	for _, e := range evs[:n] {
		if e.undo {
			out[index[e.batch]].undone = true
			continue
		}
		index[e.batch] = len(out)
		out = append(out, oBatch{facts: batches[e.batch].facts})
	}
	return out
}

// revisedOf marks the live values that differ from the value first
// published: that of the oldest batch not undone holding the series-month.
func revisedOf(batches []oBatch, live []oValue) {
	for i, v := range live {
		k := oKey{v.month, v.dir, v.partner, v.cat, v.mk}
		for _, b := range batches {
			if b.undone {
				continue
			}
			var first oValue
			held := false
			for _, f := range b.facts {
				if (oKey{f.Month, string(f.Direction), f.Partner, string(f.Category), f.Marketplace}) == k {
					held = true
					first.items += f.Items
					first.hasItems = first.hasItems || f.HasItems
					first.kg += f.WeightKg
					first.hasWeight = first.hasWeight || f.HasWeight
				}
			}
			if held {
				live[i].revised = first.hasItems != v.hasItems || first.hasWeight != v.hasWeight ||
					v.hasItems && first.items != v.items || v.hasWeight && math.Abs(first.kg-v.kg) > 1e-6
				break
			}
		}
	}
}

// randomSet draws a few batches over a few years.
func randomSet(r *rand.Rand) []oBatch {
	dirs := []postal.Direction{postal.Inbound, postal.Outbound, postal.Transit, postal.Unspecified}
	partners := []string{postal.ChinaPost, postal.LatvijasPasts, "Korea Post", ""}
	markets := []string{"", postal.AliExpress, postal.Temu, "Wildberries"}
	startYear := 2022 + r.IntN(3)
	span := 3 + r.IntN(30) // months the set covers
	start := postal.Month{Year: startYear, Month: 1 + r.IntN(12)}
	n := 1 + r.IntN(4)
	var out []oBatch
	for b := 0; b < n; b++ {
		seen := map[postal.Key]bool{}
		var facts []postal.Fact
		if b > 0 && r.IntN(2) == 0 { // a correction: some figures of an earlier batch again, most changed
			for _, f := range out[r.IntN(b)].facts {
				if r.IntN(2) == 0 {
					continue
				}
				switch {
				case r.IntN(3) == 0: // the same figure again
				case f.HasItems:
					f.Items += int64(1 + r.IntN(50))
				default:
					f.WeightKg += float64(1+r.IntN(500)) / 10
				}
				seen[f.Key()] = true
				facts = append(facts, f)
			}
		}
		for i, k := 0, 2+r.IntN(14); i < k; i++ {
			f := postal.Fact{
				Month:  start.Add(r.IntN(span)),
				Series: postal.Series{Direction: dirs[r.IntN(len(dirs))], Partner: partners[r.IntN(len(partners))], Category: postal.Categories[r.IntN(len(postal.Categories))]},
				Sheet:  []string{"Sheet1", "Лист2"}[r.IntN(2)],
			}
			if f.Category == postal.Ecommerce {
				f.Marketplace = markets[r.IntN(len(markets))]
			}
			switch r.IntN(4) {
			case 0:
				f.Items, f.HasItems = int64(r.IntN(5000)), true
			case 1:
				f.WeightKg, f.HasWeight = float64(r.IntN(900000))/10, true
			default:
				f.Items, f.HasItems = int64(r.IntN(5000)), true
				f.WeightKg, f.HasWeight = float64(r.IntN(900000))/10, true
			}
			if seen[f.Key()] {
				continue
			}
			seen[f.Key()] = true
			facts = append(facts, f)
		}
		out = append(out, oBatch{facts: facts, undone: n > 1 && r.IntN(4) == 0})
	}
	return out
}

// liveOf says what is live after the batches: for each series-month, the
// sum over the sheets of the newest batch not undone that holds it.
func liveOf(batches []oBatch) []oValue {
	byKey := map[oKey]oValue{}
	for bi, b := range batches {
		if b.undone {
			continue
		}
		holds := map[oKey]bool{}
		for _, f := range b.facts {
			holds[oKey{f.Month, string(f.Direction), f.Partner, string(f.Category), f.Marketplace}] = true
		}
		for k := range holds {
			delete(byKey, k) // a newer batch replaces the series-month
		}
		for _, f := range b.facts {
			k := oKey{f.Month, string(f.Direction), f.Partner, string(f.Category), f.Marketplace}
			v := byKey[k]
			v.month, v.dir, v.partner, v.cat, v.mk, v.batch = k.month, k.dir, k.partner, k.cat, k.mk, bi
			v.items += f.Items
			v.hasItems = v.hasItems || f.HasItems
			v.kg += f.WeightKg
			v.hasWeight = v.hasWeight || f.HasWeight
			byKey[k] = v
		}
	}
	out := make([]oValue, 0, len(byKey))
	for _, v := range byKey {
		out = append(out, v)
	}
	return out
}

// oFilter is a random view: URL parameters and what they select.
type oFilter struct {
	from, to                   postal.Month // zero: not in the URL
	dir, partner, cat, mk, msr string
	asOf                       string // as_of, "" for the live data
}

func (f oFilter) query() string {
	q := []string{"lang=en"}
	if !f.from.IsZero() {
		q = append(q, "from="+f.from.String())
	}
	if !f.to.IsZero() {
		q = append(q, "to="+f.to.String())
	}
	for _, p := range [][2]string{{"direction", f.dir}, {"partner", f.partner}, {"category", f.cat}, {"marketplace", f.mk}, {"measure", f.msr}, {"as_of", f.asOf}} {
		if p[1] != "" {
			q = append(q, p[0]+"="+urlEscape(p[1]))
		}
	}
	return strings.Join(q, "&")
}

func urlEscape(s string) string { return strings.ReplaceAll(s, " ", "+") }

func randomFilter(r *rand.Rand, live []oValue) oFilter {
	var f oFilter
	var months []postal.Month
	for _, v := range live {
		months = append(months, v.month)
	}
	pick := func() postal.Month {
		if len(months) == 0 || r.IntN(6) == 0 {
			return postal.Month{Year: 2021 + r.IntN(6), Month: 1 + r.IntN(12)}
		}
		return months[r.IntN(len(months))]
	}
	switch r.IntN(4) {
	case 0: // the default range
	case 1:
		f.from = pick()
	case 2:
		f.to = pick()
	default:
		f.from, f.to = pick(), pick()
		if f.to.Before(f.from) {
			f.from, f.to = f.to, f.from
		}
	}
	choose := func(vals ...string) string {
		if r.IntN(3) > 0 {
			return ""
		}
		return vals[r.IntN(len(vals))]
	}
	f.dir = choose("inbound", "outbound", "transit", "unspecified")
	f.partner = choose(postal.ChinaPost, postal.LatvijasPasts, "Korea Post")
	f.cat = choose("letter_post", "registered_letter", "parcel", "ems", "ecommerce")
	f.mk = choose(postal.AliExpress, postal.Temu)
	f.msr = choose("letters", "registered", "parcels", "ems")
	return f
}

// oView is what the oracle expects a page to show.
type oView struct {
	empty     bool
	from, to  postal.Month // the range asked, resolved
	months    []postal.Month
	rows      []oValue // live values matching the filter in the range
	dims      []oValue // live values matching the filter's dimensions, any month
	measure   oMeasure
	lastData  postal.Month
	semicolon bool         // fetch the CSV separated by semicolons, decimal commas
	lastAll   postal.Month // the last month of all live data
}

func (f oFilter) dimsMatch(v oValue) bool {
	return (f.dir == "" || v.dir == f.dir) && (f.partner == "" || v.partner == f.partner) &&
		(f.cat == "" || v.cat == f.cat) && (f.mk == "" || v.mk == f.mk)
}

func expectView(live []oValue, f oFilter) oView {
	var w oView
	if len(live) == 0 {
		w.empty = true
		return w
	}
	first, last := live[0].month, live[0].month
	for _, v := range live {
		if v.month.Before(first) {
			first = v.month
		}
		if last.Before(v.month) {
			last = v.month
		}
	}
	w.lastData, w.lastAll = last, last
	w.from, w.to = f.from, f.to
	if w.from.IsZero() {
		w.from = first
	}
	if w.to.IsZero() {
		w.to = last
	}
	if w.to.Before(w.from) {
		w.from, w.to = w.to, w.from
	}
	for m := w.from; !w.to.Before(m); m = m.Add(1) {
		if !m.Before(first) && !last.Before(m) {
			w.months = append(w.months, m)
		}
	}
	for _, v := range live {
		if !f.dimsMatch(v) {
			continue
		}
		w.dims = append(w.dims, v)
		if !v.month.Before(w.from) && !w.to.Before(v.month) {
			w.rows = append(w.rows, v)
		}
	}
	w.measure = oMeasures[0]
	for _, m := range oMeasures {
		if m.key == f.msr {
			w.measure = m
		}
	}
	return w
}

// sumAt sums m over vals in month mo; ok is false when none holds it.
func sumAt(vals []oValue, m oMeasure, mo postal.Month) (float64, bool) {
	var s float64
	var ok bool
	for _, v := range vals {
		if x, has := m.value(v); has && v.month == mo {
			s += x
			ok = true
		}
	}
	return s, ok
}

// oKPI is one expected card.
type oKPI struct {
	has      bool
	value    float64
	parts    map[string]float64 // direction -> value
	compared int                // months compared with a year earlier (0: no change shown)
	cur, prv float64
}

func expectKPI(w oView, m oMeasure) oKPI {
	k := oKPI{parts: map[string]float64{}}
	for _, v := range w.rows {
		if x, ok := m.value(v); ok {
			k.has = true
			k.value += x
			k.parts[v.dir] += x
		}
	}
	for _, mo := range w.months {
		a, okA := sumAt(w.dims, m, mo)
		b, okB := sumAt(w.dims, m, mo.Add(-12))
		if okA && okB {
			k.compared++
			k.cur += a
			k.prv += b
		}
	}
	return k
}

// oCell is an expected cell of a chart or table: a number or nothing.
type oCell struct {
	v   float64
	has bool
}

// oSeries is an expected chart: x labels, then per series name one cell per x.
type oSeries struct {
	x    []string
	vals map[string][]oCell
	keys []string
	rev  map[string][]bool // per key, per x: whether the cell is marked revised
}

func monthLabel(m postal.Month) string { return enMonth[m.Month-1] + " " + strconv.Itoa(m.Year) }

// byKey lays m out per month and per key of a value.
func byKeyMonthly(w oView, m oMeasure, key func(oValue) string) oSeries {
	s := oSeries{vals: map[string][]oCell{}}
	for _, mo := range w.months {
		s.x = append(s.x, monthLabel(mo))
	}
	for _, v := range w.rows {
		x, ok := m.value(v)
		if !ok {
			continue
		}
		i := v.month.Index() - w.months[0].Index()
		k := key(v)
		if _, seen := s.vals[k]; !seen {
			s.vals[k] = make([]oCell, len(w.months))
			s.keys = append(s.keys, k)
		}
		s.vals[k][i].v += x
		s.vals[k][i].has = true
		if v.revised { // a value it sums is revised: the table marks the cell "r"
			if s.rev == nil {
				s.rev = map[string][]bool{}
			}
			if s.rev[k] == nil {
				s.rev[k] = make([]bool, len(w.months))
			}
			s.rev[k][i] = true
		}
	}
	return s
}

// yearOverYear lays m out by calendar month (those of the range) and year,
// over the range and the twelve months before it, each month once.
func yearOverYear(w oView, m oMeasure) oSeries {
	s := oSeries{vals: map[string][]oCell{}}
	var cal []int
	for _, mo := range w.months {
		if !slices.Contains(cal, mo.Month) {
			cal = append(cal, mo.Month)
		}
	}
	sort.Ints(cal)
	for _, c := range cal {
		s.x = append(s.x, enMonth[c-1])
	}
	lo := w.from.Add(-12)
	for _, v := range w.dims {
		x, ok := m.value(v)
		i := slices.Index(cal, v.month.Month)
		if !ok || i < 0 || v.month.Before(lo) || w.to.Before(v.month) {
			continue
		}
		k := strconv.Itoa(v.month.Year)
		if _, seen := s.vals[k]; !seen {
			s.vals[k] = make([]oCell, len(cal))
			s.keys = append(s.keys, k)
		}
		s.vals[k][i].v += x
		s.vals[k][i].has = true
	}
	return s
}

type oSlice struct {
	name string
	v    float64
}

func marketplaces(w oView) []oSlice {
	m := oCatMeasure["ecommerce"]
	sums := map[string]float64{}
	for _, v := range w.rows {
		if x, ok := m.value(v); ok {
			sums[v.mk] += x
		}
	}
	var out []oSlice
	for k, v := range sums {
		out = append(out, oSlice{enLabel(enMarket, k), v})
	}
	return out
}

type oBalance struct {
	cat      string
	in, out  oCell
	dec      int
	ratio    float64
	hasRatio bool
}

func balances(w oView) []oBalance {
	var out []oBalance
	for _, c := range []string{"letter_post", "registered_letter", "parcel", "ems", "ecommerce"} {
		m := oCatMeasure[c]
		b := oBalance{cat: c, dec: m.decimals()}
		for _, v := range w.rows {
			x, ok := m.value(v)
			switch {
			case !ok:
			case v.dir == "inbound":
				b.in.v += x
				b.in.has = true
			case v.dir == "outbound":
				b.out.v += x
				b.out.has = true
			}
		}
		if b.in.has && b.in.v != 0 && b.out.has {
			b.ratio, b.hasRatio = b.out.v/b.in.v, true
		}
		if b.in.has || b.out.has {
			out = append(out, b)
		}
	}
	return out
}

// completeness counts the live series per category and partner and month.
func completeness(w oView) map[string][]int {
	out := map[string][]int{}
	for _, v := range w.rows {
		k := enLabel(enCategory, v.cat) + " · " + enLabel(enPartner, v.partner)
		if out[k] == nil {
			out[k] = make([]int, len(w.months))
		}
		out[k][v.month.Index()-w.months[0].Index()]++
	}
	return out
}

// --- reading what the server answered ---

var (
	enNumRe    = regexp.MustCompile(`[−+-]?\d[\d,]*(\.\d+)?`)
	kpiCardRe  = regexp.MustCompile(`<div class="card kpi[^"]*" id="kpi-([a-z]+)"`)
	valueRe    = regexp.MustCompile(`(?s)<div class="value">(.*?)</div>`)
	partRe     = regexp.MustCompile(`(?s)<span data-direction="([a-z]+)">(.*?)</span>`)
	changeRe   = regexp.MustCompile(`(?s)<div class="change[^"]*">(.*?)</div>`)
	tableRe    = regexp.MustCompile(`(?s)<table data-chart="([a-z-]+)">(.*?)</table>`)
	trRe       = regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`)
	tdRe       = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	exportHref = regexp.MustCompile(`href="(/export\.(?:csv|xlsx)\?[^"]*)"`)
)

// enNumber reads the first English-formatted number of s.
func enNumber(s string) (float64, bool) {
	m := enNumRe.FindString(strings.ReplaceAll(s, "\u00a0", " "))
	if m == "" {
		return 0, false
	}
	neg := strings.HasPrefix(m, "−") || strings.HasPrefix(m, "-")
	m = strings.TrimLeft(m, "−+-")
	v, err := strconv.ParseFloat(strings.ReplaceAll(m, ",", ""), 64)
	if err != nil {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

func cellText(s string) string {
	return strings.TrimSpace(html.UnescapeString(tagRe.ReplaceAllString(s, "")))
}

// near reports whether got is exp shown with dec decimals.
func near(got, exp float64, dec int) bool {
	return math.Abs(got-exp) <= 0.5*math.Pow(10, -float64(dec))+1e-9*math.Max(1, math.Abs(exp))
}

// htmlTables returns each chart's table as rows of cell texts.
func htmlTables(page string) map[string][][]string {
	out := map[string][][]string{}
	for _, m := range tableRe.FindAllStringSubmatch(page, -1) {
		var rows [][]string
		for _, tr := range trRe.FindAllStringSubmatch(m[2], -1) {
			var row []string
			for _, td := range tdRe.FindAllStringSubmatch(tr[1], -1) {
				row = append(row, cellText(td[1]))
			}
			rows = append(rows, row)
		}
		out[m[1]] = rows
	}
	return out
}

// oracleStore commits the batches into a fresh SQLite store, undoing those
// the set undoes, the way imports and the batches page do.
func oracleStore(t *testing.T, batches []oBatch, evs []oEvent) store.Store {
	t.Helper()
	return oracleStoreAt(t, filepath.Join(t.TempDir(), "oracle.db"), batches, evs)
}

// oracleStoreAt is oracleStore in the database of dsn.
func oracleStoreAt(t *testing.T, dsn string, batches []oBatch, evs []oEvent) store.Store {
	t.Helper()
	ctx := context.Background()
	now := oStart
	st, err := store.OpenWithClock(ctx, dsn, func() time.Time { return now })
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	ids := map[int]int64{}
	for step, e := range evs {
		now = oStart.Add(time.Duration(step) * time.Minute)
		i, b := e.batch, batches[e.batch]
		if e.undo {
			if err := st.UndoBatch(ctx, ids[i], "analyst"); err != nil {
				t.Fatalf("undo batch %d: %v", ids[i], err)
			}
			continue
		}
		sheets := map[string]bool{}
		for _, f := range b.facts {
			sheets[f.Sheet] = true
		}
		bt := &store.Batch{FileName: fmt.Sprintf("import-%d.xlsx", i+1), SHA256: fmt.Sprintf("%064x", i+1), User: "analyst", Facts: int64(len(b.facts))}
		for s := range sheets {
			bt.Sheets = append(bt.Sheets, s)
		}
		if err := st.CommitBatch(ctx, bt, b.facts); err != nil {
			t.Fatalf("commit batch %d: %v", i+1, err)
		}
		ids[i] = bt.ID
	}
	return st
}

// checker collects the differences of one view.
type checker struct {
	t         *testing.T
	errs      []string
	semicolon bool
}

func (c *checker) errorf(format string, args ...any) {
	if len(c.errs) < 12 {
		c.errs = append(c.errs, fmt.Sprintf(format, args...))
	}
}

func TestOracle(t *testing.T) {
	n := oracleSets
	if testing.Short() || raceEnabled {
		n = 20
	}
	failed := 0
	for i := 0; i < n && failed < 3; i++ {
		seed := uint64(i + 1)
		r := rand.New(rand.NewPCG(seed, 13))
		batches := randomSet(r)
		evs := historyOf(r, batches)
		st := oracleStore(t, batches, evs)
		h := newTestServer(t, st)
		// Half the views are of the live data, half as of a step of the
		// history (as_of names the minute, in Tashkent time).
		steps, asOf := len(evs), ""
		if r.IntN(2) == 0 {
			steps = r.IntN(len(evs) + 1)
			asOf = oStart.Add(time.Duration(steps-1) * time.Minute).In(tashkent).Format("2006-01-02T15:04")
		}
		set := setAt(batches, evs, steps)
		live := liveOf(set)
		revisedOf(set, live)
		f := randomFilter(r, live)
		f.asOf = asOf
		c := &checker{t: t, semicolon: r.IntN(2) == 0}
		checkOverview(c, h, live, f)
		if len(c.errs) > 0 {
			failed++
			t.Errorf("fact set %d (seed %d), view /?%s:\n  %s", i, seed, f.query(), strings.Join(c.errs, "\n  "))
		}
	}
}

func checkOverview(c *checker, h http.Handler, live []oValue, f oFilter) {
	t := c.t
	w := expectView(live, f)
	w.semicolon = c.semicolon
	res := get(t, h, "/?"+f.query())
	page := body(t, res)
	if res.StatusCode != http.StatusOK {
		c.errorf("status %d", res.StatusCode)
		return
	}
	if w.empty {
		if !strings.Contains(page, "empty-state") {
			c.errorf("no data at all, but the page does not say so")
		}
		return
	}
	checkExportLinks(c, h, page, w)
	if len(w.rows) == 0 {
		if !strings.Contains(page, "empty-state") {
			c.errorf("nothing matches, but the page does not say so")
		}
		return
	}
	checkKPIs(c, page, w)
	checkCharts(c, page, w, true)
	checkTraces(c, h, page, w)
	res = get(t, h, "/briefing?"+f.query())
	brief := body(t, res)
	if res.StatusCode != http.StatusOK {
		c.errorf("briefing: status %d", res.StatusCode)
		return
	}
	checkSummary(c, brief, w)
	checkCharts(c, brief, w, false)
}

var (
	summaryRowRe  = regexp.MustCompile(`(?s)<tr data-measure="([a-z]+)">(.*?)</tr>`)
	summaryCellRe = regexp.MustCompile(`(?s)<td class="num" data-col="([a-z]+)">(.*?)</td>`)
)

// checkSummary checks the briefing's summary table: per measure the
// period, the same months a year earlier, the change and growth rate over
// the months both years hold, and the year to date.
func checkSummary(c *checker, page string, w oView) {
	got := map[string]map[string]string{}
	for _, m := range summaryRowRe.FindAllStringSubmatch(page, -1) {
		cells := map[string]string{}
		for _, cm := range summaryCellRe.FindAllStringSubmatch(m[2], -1) {
			cells[cm[1]] = cellText(cm[2])
		}
		got[m[1]] = cells
	}
	for _, m := range oMeasures {
		row := got[m.key]
		if row == nil {
			c.errorf("briefing summary lacks %s", m.key)
			continue
		}
		k := expectKPI(w, m)
		var prev oCell
		for _, v := range w.dims {
			x, ok := m.value(v)
			if ok && !v.month.Before(w.from.Add(-12)) && !w.to.Add(-12).Before(v.month) {
				prev.v += x
				prev.has = true
			}
		}
		ytd := expectYTD(w, m)
		change, growth := oCell{}, oCell{}
		if k.compared > 0 && k.prv != 0 {
			change = oCell{(k.cur/k.prv - 1) * 100, true}
			growth = oCell{k.cur / k.prv * 100, true}
		}
		for _, col := range []struct {
			name string
			want oCell
			dec  int
		}{{"current", oCell{k.value, k.has}, m.decimals()}, {"previous", prev, m.decimals()}, {"change", change, 1}, {"growth", growth, 1}, {"ytd", ytd, m.decimals()}} {
			v, has := enNumber(row[col.name])
			if has != col.want.has || has && !near(v, col.want.v, col.dec) {
				c.errorf("briefing %s %s shows %q, want %v", m.key, col.name, row[col.name], col.want)
			}
		}
	}
}

func checkKPIs(c *checker, page string, w oView) {
	cards := map[string]string{}
	locs := kpiCardRe.FindAllStringSubmatchIndex(page, -1)
	for i, m := range locs {
		end := strings.Index(page[m[1]:], "</section>") + m[1]
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		cards[page[m[2]:m[3]]] = page[m[1]:end]
	}
	for _, m := range oMeasures {
		k := expectKPI(w, m)
		card, ok := cards[m.key]
		if !ok {
			c.errorf("no card %s", m.key)
			continue
		}
		vm := valueRe.FindStringSubmatch(card)
		if vm == nil {
			c.errorf("card %s has no value", m.key)
			continue
		}
		got, has := enNumber(cellText(vm[1]))
		if has != k.has || has && !near(got, k.value, m.decimals()) {
			c.errorf("card %s shows %q, want %v (has %v)", m.key, cellText(vm[1]), k.value, k.has)
		}
		shown := map[string]float64{}
		for _, p := range partRe.FindAllStringSubmatch(card, -1) {
			v, _ := enNumber(cellText(p[2]))
			shown[p[1]] = v
		}
		if k.has && len(k.parts) > 1 || len(shown) > 0 {
			for dir, v := range k.parts {
				if got, ok := shown[dir]; !ok || !near(got, v, m.decimals()) {
					c.errorf("card %s: %s part shows %v (shown %v), want %v: the parts must add up to the card", m.key, dir, got, ok, v)
				}
			}
			for dir := range shown {
				if _, ok := k.parts[dir]; !ok {
					c.errorf("card %s shows a %s part the data do not hold", m.key, dir)
				}
			}
		}
		ytd := expectYTD(w, m)
		if ym := ytdRe.FindStringSubmatch(card); ytd.has != (ym != nil) {
			c.errorf("card %s: year to date shown %v, want %v", m.key, ym != nil, ytd)
		} else if ym != nil {
			_, after, _ := strings.Cut(cellText(ym[1]), "): ")
			if got, _ := enNumber(after); !near(got, ytd.v, m.decimals()) {
				c.errorf("card %s: year to date %q, want %v", m.key, cellText(ym[1]), ytd.v)
			}
		}
		ch := changeRe.FindStringSubmatch(card)
		if !k.has {
			continue
		}
		switch {
		case k.compared == 0:
			if ch != nil && strings.Contains(ch[1], "%") {
				c.errorf("card %s shows a change %q with no month to compare", m.key, cellText(ch[1]))
			}
		case k.prv == 0:
			if ch == nil || strings.Contains(ch[1], "%") {
				c.errorf("card %s: the year before is zero, no percentage; got %v", m.key, ch)
			}
		default:
			want := (k.cur/k.prv - 1) * 100
			if ch == nil {
				c.errorf("card %s shows no change, want %.1f %%", m.key, want)
				continue
			}
			got, ok := enNumber(cellText(ch[1]))
			if !ok || !near(got, want, 1) {
				c.errorf("card %s change %q, want %.2f %% (%d months compared)", m.key, cellText(ch[1]), want, k.compared)
			}
		}
	}
}

// seriesOf returns per series name the cells of an x-axis chart.
func seriesOf(opt map[string]any) (x []string, vals map[string][]oCell) {
	vals = map[string][]oCell{}
	if xs, ok := opt["xAxis"].([]any); ok && len(xs) > 0 {
		data, _ := xs[0].(map[string]any)["data"].([]any)
		for _, v := range data {
			x = append(x, fmt.Sprint(v))
		}
	}
	for _, s := range opt["series"].([]any) {
		sm := s.(map[string]any)
		name := fmt.Sprint(sm["name"])
		for _, d := range sm["data"].([]any) {
			v := d.(map[string]any)["value"]
			n, ok := v.(float64)
			vals[name] = append(vals[name], oCell{n, ok})
		}
	}
	return x, vals
}

func compareSeries(c *checker, id string, opt map[string]any, want oSeries, label func(string) string, dec int) {
	if opt == nil {
		c.errorf("%s: no chart, want series %v", id, want.keys)
		return
	}
	x, vals := seriesOf(opt)
	if !slices.Equal(x, want.x) {
		c.errorf("%s: x axis %v, want %v", id, x, want.x)
		return
	}
	if len(vals) != len(want.keys) {
		c.errorf("%s: %d series, want %d (%v)", id, len(vals), len(want.keys), want.keys)
	}
	for _, k := range want.keys {
		got, ok := vals[label(k)]
		if !ok {
			c.errorf("%s: no series %q", id, label(k))
			continue
		}
		for i, wc := range want.vals[k] {
			if i >= len(got) || got[i].has != wc.has || wc.has && !near(got[i].v, wc.v, dec+3) {
				c.errorf("%s: series %q at %s is %v, want %v", id, label(k), want.x[i], got[i], wc)
			}
		}
	}
}

// compareTable checks a chart's table: the header, one row per x, and
// each cell the expected number shown with dec decimals; a last row of
// totals when the table has one.
func compareTable(c *checker, id string, tab [][]string, want oSeries, label func(string) string, dec int) {
	if tab == nil {
		c.errorf("%s: no table", id)
		return
	}
	if len(tab) < len(want.x)+1 {
		c.errorf("%s: table has %d rows, want %d", id, len(tab), len(want.x)+1)
		return
	}
	head := tab[0]
	for _, k := range want.keys {
		col := slices.Index(head, label(k))
		if col < 0 {
			c.errorf("%s: table lacks column %q (head %v)", id, label(k), head)
			continue
		}
		var total float64
		var any bool
		for i, wc := range want.vals[k] {
			row := tab[i+1]
			if row[0] != want.x[i] {
				c.errorf("%s: table row %d is %q, want %q", id, i+1, row[0], want.x[i])
				return
			}
			got, has := enNumber(row[col])
			if has != wc.has || wc.has && !near(got, wc.v, dec) {
				c.errorf("%s: table %s at %s shows %q, want %v", id, label(k), want.x[i], row[col], wc)
			}
			if rev := want.rev[k] != nil && want.rev[k][i]; strings.HasSuffix(row[col], "r") != rev {
				c.errorf("%s: table %s at %s shows %q, revised %v", id, label(k), want.x[i], row[col], rev)
			}
			total += wc.v
			any = any || wc.has
		}
		if len(tab) != len(want.x)+2 || tab[len(want.x)+1][0] != "Total" {
			c.errorf("%s: table has no total row", id)
			continue
		}
		got, has := enNumber(tab[len(want.x)+1][col])
		if has != any || !near(got, total, dec) {
			c.errorf("%s: table total of %s shows %q, want %v", id, label(k), tab[len(want.x)+1][col], total)
		}
	}
}

// checkCharts checks a page's charts and, when tables, the tables under
// them and the completeness grid (the briefing has neither).
func checkCharts(c *checker, page string, w oView, tables bool) {
	opts := map[string]map[string]any{}
	for _, m := range chartRe.FindAllStringSubmatch(page, -1) {
		opts[m[1]] = parseOptions(c, m[1], m[2])
	}
	tabs := htmlTables(page)
	dirLabel := func(k string) string { return enLabel(enDirection, k) }
	partnerLabel := func(k string) string { return enLabel(enPartner, k) }
	same := func(k string) string { return k }
	monthly := []struct {
		id    string
		m     oMeasure
		key   func(oValue) string
		label func(string) string
	}{
		{"chart-letters", oCatMeasure["letter_post"], func(v oValue) string { return v.dir }, dirLabel},
		{"chart-registered", oCatMeasure["registered_letter"], func(v oValue) string { return v.dir }, dirLabel},
		{"chart-tonnage", oMeasures[2], func(v oValue) string { return v.partner }, partnerLabel},
	}
	for _, mc := range monthly {
		want := byKeyMonthly(w, mc.m, mc.key)
		if len(want.keys) == 0 {
			if opts[mc.id] != nil {
				c.errorf("%s drawn with no data", mc.id)
			}
			continue
		}
		compareSeries(c, mc.id, opts[mc.id], want, mc.label, mc.m.decimals())
		if tables {
			compareTable(c, mc.id, tabs[mc.id], want, mc.label, mc.m.decimals())
		}
	}
	yoy := yearOverYear(w, w.measure)
	if len(yoy.keys) > 0 {
		compareSeries(c, "chart-yoy", opts["chart-yoy"], yoy, same, w.measure.decimals())
		if tables {
			compareTable(c, "chart-yoy", tabs["chart-yoy"], yoy, same, w.measure.decimals())
		}
	} else if opts["chart-yoy"] != nil {
		c.errorf("chart-yoy drawn with no data")
	}
	checkDonut(c, opts["chart-marketplaces"], tabs["chart-marketplaces"], marketplaces(w), tables)
	checkBalance(c, opts["chart-balance"], tabs["chart-balance"], balances(w), tables)
	if tables {
		checkCompleteness(c, opts["chart-completeness"], tabs["chart-completeness"], completeness(w), w)
	}
}

func parseOptions(c *checker, id, js string) map[string]any {
	js = funcRe.ReplaceAllString(js, "null")
	var opt map[string]any
	if err := json.Unmarshal([]byte(js), &opt); err != nil {
		c.errorf("%s: options do not parse: %v", id, err)
		return nil
	}
	return opt
}

func checkDonut(c *checker, opt map[string]any, tab [][]string, want []oSlice, tables bool) {
	if len(want) == 0 {
		if opt != nil {
			c.errorf("donut drawn with no e-commerce")
		}
		return
	}
	if opt == nil {
		c.errorf("no donut, want %v", want)
		return
	}
	got := map[string]float64{}
	for _, d := range opt["series"].([]any)[0].(map[string]any)["data"].([]any) {
		dm := d.(map[string]any)
		got[fmt.Sprint(dm["name"])], _ = dm["value"].(float64)
	}
	var total float64
	for _, s := range want {
		total += s.v
	}
	if !tables {
		for _, s := range want {
			if g, ok := got[s.name]; !ok || !near(g, s.v, 4) {
				c.errorf("donut %q = %v, want %v", s.name, g, s.v)
			}
		}
		return
	}
	rows := map[string][]string{}
	for _, r := range tab[1:] {
		rows[r[0]] = r
	}
	if tr := rows["Total"]; tr == nil {
		c.errorf("donut table has no total row")
	} else if v, _ := enNumber(tr[1]); !near(v, total, 1) {
		c.errorf("donut table total %q, want %v", tr[1], total)
	}
	delete(rows, "Total")
	for _, s := range want {
		if g, ok := got[s.name]; !ok || !near(g, s.v, 4) {
			c.errorf("donut %q = %v, want %v", s.name, g, s.v)
		}
		r := rows[s.name]
		if r == nil {
			c.errorf("donut table lacks %q", s.name)
			continue
		}
		if v, _ := enNumber(r[1]); !near(v, s.v, 1) {
			c.errorf("donut table %q shows %q, want %v", s.name, r[1], s.v)
		}
		if total > 0 {
			if v, _ := enNumber(r[2]); !near(v, s.v/total*100, 1) {
				c.errorf("donut table %q share %q, want %.2f %%", s.name, r[2], s.v/total*100)
			}
		}
	}
	if len(got) != len(want) {
		c.errorf("donut has %d slices, want %d", len(got), len(want))
	}
}

func checkBalance(c *checker, opt map[string]any, tab [][]string, want []oBalance, tables bool) {
	if len(want) == 0 {
		if opt != nil {
			c.errorf("balance drawn with no inbound or outbound")
		}
		return
	}
	if opt == nil || tables && tab == nil {
		c.errorf("no balance chart, want %d categories", len(want))
		return
	}
	_, vals := seriesOf(opt)
	rows := map[string][]string{}
	if tables {
		for _, r := range tab[1:] {
			rows[r[0]] = r
		}
	}
	for i, b := range want {
		name := enLabel(enCategory, b.cat)
		whole := b.in.v + b.out.v
		if whole != 0 {
			for _, s := range []struct {
				name string
				v    float64
			}{{"Inbound", b.in.v}, {"Outbound", b.out.v}} {
				if got := vals[s.name]; i >= len(got) || !near(got[i].v, s.v/whole*100, 2) {
					c.errorf("balance %s %s share %v, want %.3f", name, s.name, got, s.v/whole*100)
				}
			}
		}
		if !tables {
			continue
		}
		r := rows[name]
		if r == nil {
			c.errorf("balance table lacks %q", name)
			continue
		}
		for j, cell := range []oCell{{b.in.v, b.in.has}, {b.out.v, b.out.has}, {b.ratio, b.hasRatio}} {
			dec := b.dec
			if j == 2 {
				dec = 2
			}
			got, has := enNumber(r[2+j])
			if has != cell.has || cell.has && !near(got, cell.v, dec) {
				c.errorf("balance table %s column %d shows %q, want %v", name, 2+j, r[2+j], cell)
			}
		}
	}
	if tables && len(tab)-1 != len(want) {
		c.errorf("balance table has %d rows, want %d", len(tab)-1, len(want))
	}
}

func checkCompleteness(c *checker, opt map[string]any, tab [][]string, want map[string][]int, w oView) {
	if opt == nil || tab == nil {
		c.errorf("no completeness grid")
		return
	}
	rows := map[string][]string{}
	for _, r := range tab[1:] {
		rows[r[0]] = r
	}
	if len(rows) != len(want) {
		c.errorf("completeness has rows %v, want %v", slices.Collect(mapKeys(rows)), slices.Collect(mapKeys(want)))
	}
	for name, counts := range want {
		r := rows[name]
		if r == nil {
			c.errorf("completeness lacks %q", name)
			continue
		}
		for i, n := range counts {
			if i+1 >= len(r) || r[i+1] != strconv.Itoa(n) {
				c.errorf("completeness %q at %s shows %v, want %d", name, monthLabel(w.months[i]), r, n)
				break
			}
		}
	}
	// Each square of the grid is coloured where a value exists.
	data := opt["series"].([]any)[0].(map[string]any)["data"].([]any)
	if len(data) != len(want)*len(w.months) {
		c.errorf("completeness grid has %d squares, want %d", len(data), len(want)*len(w.months))
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// checkExportLinks follows the page's export links: they export the view
// the page shows, the CSV and the Data sheet holding the live values of
// the view.
func checkExportLinks(c *checker, h http.Handler, page string, w oView) {
	links := map[string]string{}
	for _, m := range exportHref.FindAllStringSubmatch(page, -1) {
		u := html.UnescapeString(m[1])
		links[u[len("/export."):strings.Index(u, "?")]] = u
	}
	if links["csv"] == "" || links["xlsx"] == "" {
		c.errorf("export links missing: %v", links)
		return
	}
	want, wantCSV := map[string]int{}, map[string]int{}
	revised := false
	for _, v := range w.rows {
		want[exportKey(v.month.String(), enLabel(enCategory, v.cat), dirText(v.dir), partnerText(v.partner), marketText(v), itemsText(v), weightText(v))]++
		it, wt := itemsText(v), weightText(v)
		if v.revised { // the CSV marks a revised value as a sheet would: "120 (r)"
			revised = true
			if it != "" {
				it += " (r)"
			}
			if wt != "" {
				wt += " (r)"
			}
		}
		wantCSV[exportKey(v.month.String(), enLabel(enCategory, v.cat), dirText(v.dir), partnerText(v.partner), marketText(v), it, wt)]++
	}
	csvLink := links["csv"]
	if w.semicolon {
		csvLink += "&sep=semicolon" // as Russian and Uzbek pages export
	}
	res := get(c.t, h, csvLink)
	raw := body(c.t, res)
	if res.StatusCode != http.StatusOK {
		c.errorf("%s: status %d", links["csv"], res.StatusCode)
		return
	}
	recs, err := readExportCSV(raw)
	if err != nil {
		c.errorf("%s: %v", links["csv"], err)
		return
	}
	legend := false
	for len(recs) > 1 && strings.HasPrefix(recs[len(recs)-1][0], "r ") { // the legend of the marks, after the table
		legend = true
		recs = recs[:len(recs)-1]
	}
	if legend != revised {
		c.errorf("CSV: legend of the revised mark %v, revised values %v", legend, revised)
	}
	compareExport(c, "CSV", recs, wantCSV)
	res = get(c.t, h, links["xlsx"])
	xb, _ := io.ReadAll(res.Body)
	x, err := excelize.OpenReader(bytes.NewReader(xb))
	if err != nil {
		c.errorf("%s: %v", links["xlsx"], err)
		return
	}
	defer x.Close()
	xrows, err := x.GetRows(x.GetSheetList()[0], excelize.Options{RawCellValue: true})
	if err != nil {
		c.errorf("xlsx rows: %v", err)
		return
	}
	compareExport(c, "XLSX", xrows, want)
}

// readExportCSV reads the CSV export, whichever separator it uses.
func readExportCSV(raw string) ([][]string, error) {
	raw = strings.TrimPrefix(raw, "\ufeff")
	r := csv.NewReader(strings.NewReader(raw))
	if first, _, _ := strings.Cut(raw, "\n"); strings.Count(first, ";") > strings.Count(first, ",") {
		r.Comma = ';'
	}
	return r.ReadAll()
}

func partnerText(p string) string {
	if p == "" {
		return ""
	}
	return enLabel(enPartner, p)
}

func dirText(d string) string {
	if d == "unspecified" {
		return ""
	}
	return enLabel(enDirection, d)
}

func marketText(v oValue) string {
	if v.mk == "" {
		return ""
	}
	return enLabel(enMarket, v.mk)
}

func itemsText(v oValue) string {
	if !v.hasItems {
		return ""
	}
	return strconv.FormatInt(v.items, 10)
}

func weightText(v oValue) string {
	if !v.hasWeight {
		return ""
	}
	return strconv.FormatFloat(math.Round(v.kg*1000)/1000, 'f', -1, 64)
}

func exportKey(parts ...string) string { return strings.Join(parts, "|") }

// compareExport checks an export's data rows (after the header) against the
// expected live values: period, category, direction, partner, marketplace,
// items, weight.
func compareExport(c *checker, what string, recs [][]string, want map[string]int) {
	if len(recs) == 0 {
		c.errorf("%s export is empty", what)
		return
	}
	head := recs[0]
	col := func(name string) int { return slices.Index(head, name) }
	cols := []int{col("Period"), col("Category"), col("Direction"), col("Partner"), col("Marketplace"), col("Items"), col("Weight, kg")}
	if slices.Contains(cols, -1) {
		c.errorf("%s export header %v", what, head)
		return
	}
	got := map[string]int{}
	for _, r := range recs[1:] {
		parts := make([]string, len(cols))
		for i, ci := range cols {
			if ci < len(r) {
				parts[i] = r[ci]
			}
		}
		mark := strings.HasSuffix(parts[6], " (r)")
		if w, err := strconv.ParseFloat(strings.Replace(strings.TrimSuffix(parts[6], " (r)"), ",", ".", 1), 64); err == nil {
			parts[6] = strconv.FormatFloat(math.Round(w*1000)/1000, 'f', -1, 64)
			if mark {
				parts[6] += " (r)"
			}
		}
		got[exportKey(parts...)]++
	}
	for k, n := range want {
		if got[k] != n {
			c.errorf("%s export: row %s appears %d times, want %d (%d rows exported, %d expected)", what, k, got[k], n, len(recs)-1, len(want))
			return
		}
	}
	for k, n := range got {
		if want[k] != n {
			c.errorf("%s export: row %s not in the view", what, k)
			return
		}
	}
}

var (
	kpiTraceRe   = regexp.MustCompile(`id="kpi-([a-z]+)"[^>]*>\s*<div class="label">[^<]*</div>\s*<div class="value"><a class="trace" href="([^"]+)"`)
	chartTraceRe = regexp.MustCompile(`<div class="chart" id="([a-z-]+)"[^>]*data-trace="([^"]*)"`)
	traceTotalRe = regexp.MustCompile(`<span class="trace-total">([^<]*)</span>`)
	traceValueRe = regexp.MustCompile(`<tr><td>[^<]*</td><td>[^<]*</td><td class="num">([^<]*)(?:<(?:span|sup) [^>]*>[^<]*</(?:span|sup)>)*</td>`)
)

// checkTraces follows the trace of every KPI card and of each bar of the
// monthly charts: the facts listed add up to the figure, which is the
// oracle's.
func checkTraces(c *checker, h http.Handler, page string, w oView) {
	for _, m := range kpiTraceRe.FindAllStringSubmatch(page, -1) {
		var om oMeasure
		for _, x := range oMeasures {
			if x.key == m[1] {
				om = x
			}
		}
		k := expectKPI(w, om)
		checkTrace(c, h, html.UnescapeString(m[2]), k.value, om.decimals())
	}
	order := map[string][]string{} // chart -> series names, in the order of its data-trace
	for _, m := range chartRe.FindAllStringSubmatch(page, -1) {
		var opt map[string]any
		if json.Unmarshal([]byte(funcRe.ReplaceAllString(m[2], "null")), &opt) == nil {
			for _, s := range opt["series"].([]any) {
				order[m[1]] = append(order[m[1]], fmt.Sprint(s.(map[string]any)["name"]))
			}
		}
	}
	for _, m := range chartTraceRe.FindAllStringSubmatch(page, -1) {
		if m[1] != "chart-letters" && m[1] != "chart-tonnage" {
			continue
		}
		var links [][]string
		if err := json.Unmarshal([]byte(html.UnescapeString(m[2])), &links); err != nil {
			c.errorf("%s: data-trace: %v", m[1], err)
			continue
		}
		mo, key, label := oCatMeasure["letter_post"], func(v oValue) string { return v.dir }, func(k string) string { return enLabel(enDirection, k) }
		if m[1] == "chart-tonnage" {
			mo, key, label = oMeasures[2], func(v oValue) string { return v.partner }, func(k string) string { return enLabel(enPartner, k) }
		}
		want := byKeyMonthly(w, mo, key)
		for _, k := range want.keys {
			si := slices.Index(order[m[1]], label(k))
			if si < 0 || si >= len(links) {
				c.errorf("%s: no trace for series %s", m[1], k)
				break
			}
			for i, cell := range want.vals[k] {
				switch {
				case !cell.has:
				case k == "":
					// an unknown partner cannot be named by a filter: no link
				case i >= len(links[si]) || links[si][i] == "":
					c.errorf("%s: series %s at %s has no trace", m[1], k, want.x[i])
				default:
					checkTrace(c, h, links[si][i], cell.v, mo.decimals())
				}
			}
		}
	}
}

// checkTrace follows one trace: its total is want, and its facts add up to it.
func checkTrace(c *checker, h http.Handler, link string, want float64, dec int) {
	res := get(c.t, h, link+"&panel=1")
	b := body(c.t, res)
	if i := strings.Index(b, "<h3>"); i >= 0 {
		b = b[:i] // the same months a year earlier follow
	}
	if res.StatusCode != http.StatusOK {
		c.errorf("%s: status %d", link, res.StatusCode)
		return
	}
	tm := traceTotalRe.FindStringSubmatch(b)
	if tm == nil {
		c.errorf("%s: no total", link)
		return
	}
	total, _ := enNumber(html.UnescapeString(tm[1]))
	if !near(total, want, dec) {
		c.errorf("%s: trace total %q, want %v", link, tm[1], want)
	}
	if len(traceValueRe.FindAllStringSubmatch(b, -1)) >= maxTraceRows {
		return // the trace lists its first values only; its total counts them all
	}
	var sum float64
	for _, r := range traceValueRe.FindAllStringSubmatch(b, -1) {
		v, _ := enNumber(html.UnescapeString(r[1]))
		sum += v
	}
	if rows := len(traceValueRe.FindAllStringSubmatch(b, -1)); !near(sum, want, dec) && math.Abs(sum-want) > float64(rows)*0.5*math.Pow(10, -float64(dec))+1e-9 {
		c.errorf("%s: trace rows add up to %v, want %v", link, sum, want)
	}
}

var ytdRe = regexp.MustCompile(`(?s)<div class="ytd">(.*?)</div>`)

// expectYTD sums m from January to the last month of the range (or of the
// data, when the range goes beyond it), over the filter's dimensions.
func expectYTD(w oView, m oMeasure) oCell {
	to := w.to
	if w.lastAll.Before(to) {
		to = w.lastAll
	}
	from := postal.Month{Year: to.Year, Month: 1}
	var c oCell
	for _, v := range w.dims {
		if x, ok := m.value(v); ok && !v.month.Before(from) && !to.Before(v.month) {
			c.v += x
			c.has = true
		}
	}
	return c
}
