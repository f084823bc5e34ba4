package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestServerProcs(t *testing.T) {
	for _, c := range []struct {
		env   string
		cores int
		want  int
	}{
		{"", 1, 2},
		{"", 2, 4},
		{"", 16, 32},
		{"3", 2, 0}, // the operator's GOMAXPROCS is obeyed
		{"1", 8, 0},
		{"", 0, 0},
	} {
		if got := serverProcs(c.env, c.cores); got != c.want {
			t.Errorf("serverProcs(%q, %d) = %d, want %d", c.env, c.cores, got, c.want)
		}
	}
}

// TestServeSetsProcs starts the server twice: without GOMAXPROCS it runs
// two Ps per core of the runtime's default while readers are answered, as
// its log says (web's TestProcsWhileReading checks the switch); with
// GOMAXPROCS it keeps the operator's.
func TestServeSetsProcs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	if os.Getenv("GOMAXPROCS") != "" {
		t.Skip("GOMAXPROCS is set for the tests: the runtime's default is not known here")
	}
	bin := buildPostdash(t)
	for _, c := range []struct {
		env  string
		want string
	}{
		{"GOMAXPROCS=", fmt.Sprintf("gomaxprocs=%d while_reading=%d set_by=postdash", runtime.GOMAXPROCS(0), 2*runtime.GOMAXPROCS(0))},
		{"GOMAXPROCS=3", "gomaxprocs=3 set_by=GOMAXPROCS"},
	} {
		in := startInstance(t, bin, "procs", filepath.Join(t.TempDir(), "procs.db"), c.env)
		if err := in.waitHealthy(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(in.log.String(), c.want) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if log := in.log.String(); !strings.Contains(log, c.want) {
			t.Errorf("%s: the log does not say %q:\n%s", c.env, c.want, log)
		}
		in.stop(t)
	}
}
