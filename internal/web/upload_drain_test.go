package web

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"postdash/internal/importer"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

// TestShutdownDrainsJobs: at shutdown a running import may finish; one that
// does not finish in time is cancelled and recorded as failed, so that no
// instance shows it running after its process is gone.
func TestShutdownDrainsJobs(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")

	id := ali.uploadPage("small.xlsx", workbook(t, row{"2025-03", "inbound", "china_post", "parcel", 100, 50}))
	if n := env.srv.jobs.Drain(importer.JobTimeout); n != 0 {
		t.Errorf("drain with time enough cancelled %d jobs", n)
	}
	if j, err := env.st.Job(context.Background(), id); err != nil || j.State != importer.JobReady {
		t.Errorf("job drained in time: %q, %v; want ready", j.State, err)
	}

	var csv bytes.Buffer
	csv.WriteString("period,direction,partner,category,items\n")
	for i := range 500_000 {
		fmt.Fprintf(&csv, "2024-%02d,inbound,china_post,parcel,%d\n", i%12+1, i%97)
	}
	id = ali.uploadPage("big.csv", csv.Bytes())
	if n := env.srv.jobs.Drain(0); n != 1 {
		t.Errorf("drain without time cancelled %d jobs, want 1", n)
	}
	if p := ali.waitJob(id); p.State != importer.JobFailed {
		t.Errorf("job cancelled by a shutdown: %q, want failed", p.State)
	}
	noTempFiles(t)
}

// TestAbandonedJobIsMarkedFailed: a job left reading or committing by an
// instance that was killed outright is marked failed once it has gone
// without an update for longer than any live job can; a recent one is not.
func TestAbandonedJobIsMarkedFailed(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ctx := context.Background()
	for _, state := range []string{importer.JobParsing, importer.JobCommitting, importer.JobReady} {
		id := "job-" + state
		if err := env.st.CreateJob(ctx, store.Job{ID: id, User: "ali", FileName: "h1.xlsx", SHA256: "abc", State: state}); err != nil {
			t.Fatal(err)
		}
		job, err := env.st.Job(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := env.srv.jobs.Reap(ctx, job, job.UpdatedAt.Add(time.Minute)); got.State != state {
			t.Errorf("%s job a minute old: state %q, want it left alone", state, got.State)
		}
		want := state
		if state != importer.JobReady {
			want = importer.JobFailed
		}
		got := env.srv.jobs.Reap(ctx, job, job.UpdatedAt.Add(importer.JobAbandonedAfter+time.Second))
		stored, err := env.st.Job(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != want || stored.State != want {
			t.Errorf("%s job past the limit: state %q, stored %q; want %q", state, got.State, stored.State, want)
		}
	}
}
