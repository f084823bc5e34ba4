package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"postdash/data"
)

// adminPassword is the first administrator's password in the test.
const adminPassword = "instances-test-password"

// TestInstancesSharePostgres is "one ministry, many servers, the same
// answers": two `postdash serve` processes, A and B, start together on one
// empty PostgreSQL schema, then a browser signs in on A, uploads on A,
// watches the progress and confirms on B, reads the totals on A, undoes on
// B; two confirms of one preview race; imports through A and B race; A is
// restarted while it reads an upload. Whatever instance a request reaches,
// the answer is the same, concurrent writes end as some serial order, and
// no upload is left "reading" by a stopped instance.
func TestInstancesSharePostgres(t *testing.T) {
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		t.Skip(postgresEnv + " not set: skipping the multi-instance test, which needs PostgreSQL " +
			"(e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	began := time.Now()
	dsn = scratchSchema(t, dsn)
	bin := buildPostdash(t)
	built := time.Now()

	// Both start on the empty schema at once: migrations, the first
	// administrator and the sample import all race.
	env := "POSTDASH_ADMIN_PASSWORD=" + adminPassword
	a := startInstance(t, bin, "A", dsn, env)
	b := startInstance(t, bin, "B", dsn, env)
	var errs errJoin
	var wg sync.WaitGroup
	for _, in := range []*instance{a, b} {
		wg.Go(func() { errs.add(in.waitHealthy()) })
	}
	wg.Wait()
	if err := errs.err(); err != nil {
		t.Fatal(err)
	}

	t.Run("first start", func(t *testing.T) { checkFirstStart(t, bin, dsn, a, b) })
	t.Run("upload on A, confirm and undo on B", func(t *testing.T) { checkRoundTrip(t, a, b) })
	t.Run("two confirms of one preview", func(t *testing.T) { checkDoubleConfirm(t, a, b) })
	t.Run("concurrent imports", func(t *testing.T) { checkConcurrentImports(t, bin, dsn, a, b) })
	t.Run("a mapping made on one instance applies on the other", func(t *testing.T) { checkMappingAcrossInstances(t, bin, dsn, a, b) })
	t.Run("restart during an upload", func(t *testing.T) { checkRestart(t, bin, dsn, a, b) })
	t.Logf("build %v, instances and checks %v", built.Sub(began).Round(time.Millisecond), time.Since(built).Round(time.Millisecond))
}

// checkFirstStart: one administrator, one sample batch, the same totals on both.
func checkFirstStart(t *testing.T, bin, dsn string, a, b *instance) {
	var users struct {
		Users []struct{ Name, Role string }
	}
	if err := json.Unmarshal([]byte(runPostdash(t, bin, dsn, "user", "list", "--json")), &users); err != nil {
		t.Fatalf("user list --json: %v", err)
	}
	if len(users.Users) != 1 || users.Users[0].Name != "admin" || users.Users[0].Role != "admin" {
		t.Errorf("users after a concurrent first start: %+v, want one admin", users.Users)
	}
	br := newBrowser(t)
	br.login(a, "admin", adminPassword)
	for _, in := range []*instance{a, b} {
		bs := batchesOf(t, br, in)
		if len(bs) != 1 || bs[0].File != data.SampleName || !bs[0].Live {
			t.Errorf("batches on %s after a concurrent first start: %+v, want the sample once", in.name, bs)
		}
	}
	sameState(t, br, a, b)
}

// checkRoundTrip is the browser's way through both instances.
func checkRoundTrip(t *testing.T, a, b *instance) {
	br := newBrowser(t)
	br.login(a, "admin", adminPassword)
	before := liveState(t, br, a)
	rows := []sheetRow{
		{"2025-07", "inbound", "china_post", "parcel", 120, 45.5},
		{"2025-08", "inbound", "china_post", "parcel", 80, 30},
	}
	id := uploadForm(t, br, a, "round-trip.xlsx", workbookOf(t, rows))

	// The progress is in the database: both instances follow it.
	if p := waitJob(t, br, id, a, b); p.State != "ready" {
		t.Fatalf("job %s state %q after reading, want ready", id, p.State)
	}
	pageA := br.get(a, "/upload/"+id, http.StatusOK)
	pageB := br.get(b, "/upload/"+id, http.StatusOK)
	for _, want := range []string{`id="job-ready"`, `id="job-confirm"`, "2 added, 0 changed, 0 unchanged", "2025-08"} {
		if !strings.Contains(pageB.body, want) {
			t.Errorf("preview on B lacks %q", want)
		}
	}
	tokA, tokB := br.csrfOf(pageA, "job page on A"), br.csrfOf(pageB, "job page on B")
	if tokA != tokB {
		t.Errorf("the session's CSRF token differs between instances: %q on A, %q on B", tokA, tokB)
	}
	r := br.postForm(b, "/upload/"+id+"/confirm", url.Values{"csrf": {tokB}}, http.StatusSeeOther)
	if r.location() != "/upload/"+id {
		t.Errorf("confirm on B redirected to %q", r.location())
	}
	if p := waitJob(t, br, id, b, a); p.State != "finished" {
		t.Fatalf("job %s state %q after confirming, want finished", id, p.State)
	}
	if page := br.get(a, "/upload/"+id, http.StatusOK); !strings.Contains(page.body, `id="job-committed"`) {
		t.Fatalf("job page on A after the commit on B does not say committed:\n%s", shorten(page.body))
	}
	batch := liveBatchOf(t, br, a, "round-trip.xlsx")
	if got, want := liveState(t, br, a), overlay(before, rows); !equalStates(got, want) {
		t.Fatalf("totals on A after the commit on B:\n%s", stateDiff(got, want))
	}
	sameState(t, br, a, b)

	undoPage := br.get(b, fmt.Sprintf("/batches/%d/undo", batch), http.StatusOK)
	r = br.postForm(b, fmt.Sprintf("/batches/%d/undo", batch), url.Values{"csrf": {br.csrfOf(undoPage, "undo page on B")}}, http.StatusSeeOther)
	if r.location() != "/batches" {
		t.Errorf("undo on B redirected to %q", r.location())
	}
	if got := liveState(t, br, a); !equalStates(got, before) {
		t.Fatalf("totals on A after the undo on B are not those before the upload:\n%s", stateDiff(got, before))
	}
	for _, bt := range batchesOf(t, br, a) {
		if bt.ID == batch && bt.Live {
			t.Errorf("batch %d is still live on A after the undo on B", batch)
		}
	}
}

// checkDoubleConfirm confirms one preview on A and on B at once: exactly one
// commit, the other confirm refused, the job's page tells of the commit.
func checkDoubleConfirm(t *testing.T, a, b *instance) {
	br := newBrowser(t)
	br.loginAcross(a, b, "admin", adminPassword) // the login form from A, posted to B
	before := liveState(t, br, a)
	rows := []sheetRow{{"2025-09", "outbound", "china_post", "ems", 33, 3.25}}
	id := uploadForm(t, br, b, "double.xlsx", workbookOf(t, rows))
	if p := waitJob(t, br, id, b); p.State != "ready" {
		t.Fatalf("job %s state %q, want ready", id, p.State)
	}
	tok := br.csrfOf(br.get(a, "/upload/"+id, http.StatusOK), "job page on A")
	var statuses [2]int
	var errs errJoin
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, in := range []*instance{a, b} {
		wg.Go(func() {
			<-start
			r, err := br.do(in, http.MethodPost, "/upload/"+id+"/confirm", "application/x-www-form-urlencoded",
				strings.NewReader(url.Values{"csrf": {tok}}.Encode()))
			errs.add(err)
			statuses[i] = r.status
		})
	}
	close(start)
	wg.Wait()
	if err := errs.err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(statuses[:])
	if statuses != [2]int{http.StatusSeeOther, http.StatusConflict} {
		t.Errorf("two confirms of one preview answered %v, want one 303 and one 409", statuses)
	}
	if p := waitJob(t, br, id, a, b); p.State != "finished" {
		t.Fatalf("job %s state %q, want finished", id, p.State)
	}
	if page := br.get(a, "/upload/"+id, http.StatusOK); !strings.Contains(page.body, `id="job-committed"`) {
		t.Errorf("job page after two confirms does not say committed:\n%s", shorten(page.body))
	}
	n := 0
	for _, bt := range batchesOf(t, br, a) {
		if bt.File == "double.xlsx" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("two confirms of one preview made %d batches, want 1", n)
	}
	if got, want := liveState(t, br, b), overlay(before, rows); !equalStates(got, want) {
		t.Errorf("totals after two confirms:\n%s", stateDiff(got, want))
	}
	batch := liveBatchOf(t, br, a, "double.xlsx")
	undoPage := br.get(a, fmt.Sprintf("/batches/%d/undo", batch), http.StatusOK)
	br.postForm(a, fmt.Sprintf("/batches/%d/undo", batch), url.Values{"csrf": {br.csrfOf(undoPage, "undo page on A")}}, http.StatusSeeOther)
}

// checkConcurrentImports sends, round after round, one file through A and
// another through B at the same moment, both touching the same series in
// the same months. The end state must be the two applied one after the
// other in batch order; undoing both at once must bring back the start.
func checkConcurrentImports(t *testing.T, bin, dsn string, a, b *instance) {
	out := runPostdash(t, bin, dsn, "token", "create", "--label", "instances test", "admin")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	api := newBrowser(t)
	api.token = strings.TrimSpace(lines[len(lines)-1])
	start := liveState(t, api, a)
	const rounds = 3
	for round := range rounds {
		x, y := concurrentFiles(round)
		ids := importTogether(t, api, a, b, fmt.Sprintf("x-%d.xlsx", round), workbookOf(t, x), fmt.Sprintf("y-%d.xlsx", round), workbookOf(t, y))
		want := overlay(overlay(start, x), y) // x committed first
		if ids[1] < ids[0] {
			want = overlay(overlay(start, y), x)
		}
		for _, in := range []*instance{a, b} {
			if got := liveState(t, api, in); !equalStates(got, want) {
				t.Fatalf("round %d: totals on %s after concurrent imports (batches %d via A, %d via B) are no serial order:\n%s",
					round, in.name, ids[0], ids[1], stateDiff(got, want))
			}
		}
		undoTogether(t, api, []*instance{b, a}, ids[:])
		for _, in := range []*instance{a, b} {
			if got := liveState(t, api, in); !equalStates(got, start) {
				t.Fatalf("round %d: totals on %s after undoing both batches at once:\n%s", round, in.name, stateDiff(got, start))
			}
		}
	}
}

// concurrentFiles returns the rows of the two files of a round: the same
// series (and one series each of their own) over the same six months, with
// different values.
func concurrentFiles(round int) (x, y []sheetRow) {
	for m := 7; m <= 12; m++ {
		month := fmt.Sprintf("2025-%02d", m)
		base := int64(1000*(round+1) + m)
		x = append(x, sheetRow{month, "outbound", "china_post", "ems", base, float64(base) / 4},
			sheetRow{month, "inbound", "china_post", "ems", base + 1, 1})
		y = append(y, sheetRow{month, "outbound", "china_post", "ems", base + 500, float64(base+500) / 4},
			sheetRow{month, "transit", "china_post", "ems", base + 2, 2})
	}
	return x, y
}

// importTogether posts one file to A and another to B through the API at
// the same moment and returns the two batch ids.
func importTogether(t *testing.T, api *browser, a, b *instance, nameX string, x []byte, nameY string, y []byte) [2]int64 {
	t.Helper()
	var ids [2]int64
	var errs errJoin
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, in := range []*instance{a, b} {
		name, content := nameX, x
		if i == 1 {
			name, content = nameY, y
		}
		wg.Go(func() {
			ctype, body := multipartBody(nil, name, content)
			<-start
			r, err := api.do(in, http.MethodPost, "/api/v1/imports", ctype, bytes.NewReader(body))
			if err != nil {
				errs.add(err)
				return
			}
			var res struct {
				Status string
				Batch  int64
			}
			if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &res) != nil || res.Status != "committed" {
				errs.add(fmt.Errorf("import of %s through %s: %d %s", name, in.name, r.status, shorten(r.body)))
				return
			}
			ids[i] = res.Batch
		})
	}
	close(start)
	wg.Wait()
	if err := errs.err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// undoTogether undoes batch ids[i] through instance ins[i], all at once.
func undoTogether(t *testing.T, api *browser, ins []*instance, ids []int64) {
	t.Helper()
	var errs errJoin
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, in := range ins {
		wg.Go(func() {
			<-start
			r, err := api.do(in, http.MethodDelete, fmt.Sprintf("/api/v1/batches/%d", ids[i]), "", nil)
			if err == nil && r.status != http.StatusOK {
				err = fmt.Errorf("undo batch %d through %s: %d %s", ids[i], in.name, r.status, shorten(r.body))
			}
			errs.add(err)
		})
	}
	close(start)
	wg.Wait()
	if err := errs.err(); err != nil {
		t.Fatal(err)
	}
}

// checkRestart stops A (SIGTERM, as a rolling restart does) while it reads
// an upload: A must stop in bounded time, the upload must end in a state B
// can tell (its preview, or a failure), never "reading" forever; a new A
// then answers like B.
func checkRestart(t *testing.T, bin, dsn string, a, b *instance) {
	br := newBrowser(t)
	br.login(b, "admin", adminPassword)
	id := uploadForm(t, br, a, "big.csv", bigCSV(600_000))
	deadline := time.Now().Add(jobTimeout)
	for {
		var p jobProgress
		r := br.get(b, "/upload/"+id+"/progress", http.StatusOK)
		if err := json.Unmarshal([]byte(r.body), &p); err != nil {
			t.Fatalf("progress on B: %v: %s", err, shorten(r.body))
		}
		if p.Done {
			t.Logf("the upload was read before A could be stopped (%+v): the restart is not tested mid-read", p)
			break
		}
		if p.Rows > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopped := time.Now()
	_ = a.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-a.exited:
		if a.err != nil {
			t.Errorf("A ended with %v after SIGTERM, want a clean exit", a.err)
		}
	case <-time.After(2 * stopTimeout):
		t.Fatalf("A did not stop within %v of SIGTERM while it read an upload", 2*stopTimeout)
	}
	t.Logf("A stopped %v after SIGTERM", time.Since(stopped).Round(time.Millisecond))
	p := waitJob(t, br, id, b)
	if p.State != "ready" && p.State != "failed" {
		t.Errorf("upload interrupted by a restart ended %q, want ready or failed", p.State)
	}
	t.Logf("the upload interrupted by the restart ended %q", p.State)
	a2 := startInstance(t, bin, "A (restarted)", dsn)
	if err := a2.waitHealthy(); err != nil {
		t.Fatal(err)
	}
	sameState(t, br, a2, b)
}

// bigCSV is a long-layout CSV of n rows that add up to twelve facts.
func bigCSV(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString("period,direction,partner,category,items,weight kg\n")
	for i := range n {
		fmt.Fprintf(&buf, "2024-%02d-%02d,inbound,china_post,parcel,%d,%d.5\n", i%12+1, i%28+1, i%97+1, i%13)
	}
	return buf.Bytes()
}

var jobLocation = regexp.MustCompile(`^/upload/([A-Za-z0-9_-]+)$`)

// uploadForm sends a file through the upload form of in and returns the job id.
func uploadForm(t *testing.T, br *browser, in *instance, name string, content []byte) string {
	t.Helper()
	tok := br.csrfOf(br.get(in, "/upload", http.StatusOK), "upload page on "+in.name)
	ctype, body := multipartBody([][2]string{{"csrf", tok}}, name, content)
	r, err := br.do(in, http.MethodPost, "/upload", ctype, bytes.NewReader(body))
	r = br.must(r, err, http.StatusSeeOther, "upload "+name+" on "+in.name)
	m := jobLocation.FindStringSubmatch(r.location())
	if m == nil {
		t.Fatalf("upload %s on %s redirected to %q, want /upload/JOB", name, in.name, r.location())
	}
	return m[1]
}

// jobProgress is what /upload/JOB/progress answers.
type jobProgress struct {
	State string `json:"state"`
	Rows  int64  `json:"rows"`
	Done  bool   `json:"done"`
}

// waitJob polls the job's progress, taking the instances in turn, until it
// is done; every instance must know the job.
func waitJob(t *testing.T, br *browser, id string, ins ...*instance) jobProgress {
	t.Helper()
	deadline := time.Now().Add(jobTimeout)
	for i := 0; ; i++ {
		in := ins[i%len(ins)]
		r := br.get(in, "/upload/"+id+"/progress", http.StatusOK)
		var p jobProgress
		if err := json.Unmarshal([]byte(r.body), &p); err != nil {
			t.Fatalf("progress of job %s on %s: %v: %s", id, in.name, err, shorten(r.body))
		}
		if p.Done {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s not done after %v: last progress on %s: %+v", id, jobTimeout, in.name, p)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
