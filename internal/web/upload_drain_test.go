package web

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"postdash/internal/sheet"
)

// TestShutdownDrainsJobs: at shutdown a running import may finish; one that
// does not finish in time is cancelled and recorded as failed, so that no
// instance shows it running after its process is gone.
func TestShutdownDrainsJobs(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")

	id := ali.uploadPage("small.xlsx", workbook(t, row{"2025-03", "inbound", "china_post", "parcel", 100, 50}))
	if n := env.srv.bg.drain(jobTimeout); n != 0 {
		t.Errorf("drain with time enough cancelled %d jobs", n)
	}
	if j, err := env.st.Job(context.Background(), id); err != nil || j.State != jobReady {
		t.Errorf("job drained in time: %q, %v; want ready", j.State, err)
	}

	var csv bytes.Buffer
	csv.WriteString("period,direction,partner,category,items\n")
	for i := range 500_000 {
		fmt.Fprintf(&csv, "2024-%02d,inbound,china_post,parcel,%d\n", i%12+1, i%97)
	}
	id = ali.uploadPage("big.csv", csv.Bytes())
	if n := env.srv.bg.drain(0); n != 1 {
		t.Errorf("drain without time cancelled %d jobs, want 1", n)
	}
	if p := ali.waitJob(id); p.State != jobFailed {
		t.Errorf("job cancelled by a shutdown: %q, want failed", p.State)
	}
	noTempFiles(t)
}
