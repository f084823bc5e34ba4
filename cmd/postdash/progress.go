package main

import (
	"fmt"
	"os"
	"time"

	"postdash/internal/sheet"
)

// progress shows rows, percent and rate on a terminal while a file imports;
// it stays silent when output is piped or JSON.
type progress struct {
	e     *env
	on    bool
	name  string
	start time.Time
	last  time.Time
	shown bool
}

func newProgress(e *env, asJSON bool, name string) *progress {
	on := !asJSON && isTerminal(e.stderr)
	return &progress{e: e, on: on, name: name, start: time.Now()}
}

func (p *progress) report(pr sheet.Progress) {
	if !p.on || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	pct := 0.0
	if pr.Total > 0 {
		pct = 100 * float64(pr.BytesRead) / float64(pr.Total)
	}
	rate := float64(pr.Rows) / max(time.Since(p.start).Seconds(), 1e-3)
	fmt.Fprintf(p.e.stderr, "\r%s: %d rows, %.0f%%, %.0f rows/s   ", p.name, pr.Rows, pct, rate)
	p.shown = true
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.e.stderr, "\r\033[K")
	}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
