package web

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// procsQuietAfter is how long after the last reader's request the server
// goes back to its quiet GOMAXPROCS.
const procsQuietAfter = time.Second

// procs raises the process's GOMAXPROCS to busy while readers are being
// answered, and puts it back to quiet procsQuietAfter after the last one.
//
// With one P per core, the goroutines parsing two uploads hold every P
// between Go's preemptions, 10 ms apart, and a reader's request waits in
// Go's run queue behind them (overview p99 102–225 ms under two uploads on
// 2 cores, TestLoad). With more Ps than cores, a request's goroutine finds
// a free P at once and runs on a thread of its own, which the kernel,
// having seen it sleep, puts on a core before the parsers' threads (p99
// 41–82 ms). But with more Ps than cores an import alone is slower (its
// goroutines' hand-offs wake idle Ps: 10–20% on 2 cores), so the extra Ps
// are there only while someone reads. The uploads' own requests (the
// progress polls, the confirm) do not count as readers.
type procs struct {
	quiet, busy int
	last        atomic.Int64 // unix nanoseconds of the last reader's request
	raised      atomic.Bool
	mu          sync.Mutex // held to raise or lower
	timer       *time.Timer
}

// newProcs returns the switch, or nil when busy is not above the current
// GOMAXPROCS.
func newProcs(busy int) *procs {
	quiet := runtime.GOMAXPROCS(0)
	if busy <= quiet {
		return nil
	}
	return &procs{quiet: quiet, busy: busy}
}

// reader notes a reader's request, raising GOMAXPROCS when it is quiet.
func (p *procs) reader() {
	p.last.Store(time.Now().UnixNano())
	if p.raised.Load() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.raised.Load() {
		return
	}
	runtime.GOMAXPROCS(p.busy)
	p.raised.Store(true)
	if p.timer == nil {
		p.timer = time.AfterFunc(procsQuietAfter, p.check)
	} else {
		p.timer.Reset(procsQuietAfter)
	}
}

// check lowers GOMAXPROCS once no reader came for procsQuietAfter, or
// looks again when one did.
func (p *procs) check() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if idle := time.Since(time.Unix(0, p.last.Load())); idle < procsQuietAfter {
		p.timer.Reset(procsQuietAfter - idle)
		return
	}
	p.raised.Store(false)
	runtime.GOMAXPROCS(p.quiet)
}

// isUploadRequest says whether path is an upload's own (the form, the
// POST, its progress, confirm, cancel and choices; the import API) or the
// health check: requests that do not make the server raise its Ps.
func isUploadRequest(path string) bool {
	return path == "/upload" || strings.HasPrefix(path, "/upload/") ||
		path == "/api/v1/imports" || path == "/healthz"
}

// busyProcs raises the Ps for readers' requests (see procs).
func (s *Server) busyProcs() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !isUploadRequest(c.Request.URL.Path) {
			s.procs.reader()
		}
		c.Next()
	}
}
