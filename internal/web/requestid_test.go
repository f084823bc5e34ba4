package web

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"postdash/internal/sheet"
)

// lockedBuffer is a log sink safe for the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

// TestEveryLogLineOfAnImportCarriesItsRequestID: the log of one request
// that imports a file, from the web layer through the importer and the
// sheet reader, is told apart by the request id the answer names: every
// line of it carries that id.
func TestEveryLogLineOfAnImportCarriesItsRequestID(t *testing.T) {
	var logs lockedBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	env := newAuthEnvLog(t, false, sheet.Limits{}, log)
	ali := env.tokenClient("ali")
	logs.take()

	resp := ali.upload("/api/v1/imports", nil, "march.xlsx", workbook(t, row{"2025-03", "inbound", "china_post", "parcel", 1, 2}))
	if resp.Code != http.StatusOK {
		t.Fatalf("import: status %d: %s", resp.Code, resp.Body)
	}
	id := resp.Header().Get("X-Request-ID")
	if id == "" {
		t.Fatal("the answer names no request id")
	}
	lines := strings.Split(strings.TrimSpace(logs.take()), "\n")
	var committed, request bool
	for _, l := range lines {
		if !strings.Contains(l, "request_id="+id) {
			t.Errorf("a line of the request without its id %s: %s", id, l)
		}
		committed = committed || strings.Contains(l, `msg="import committed"`)
		request = request || strings.Contains(l, "msg=request")
	}
	if !committed || !request {
		t.Errorf("the request's log lacks the importer's or the web layer's line (committed %v, request %v):\n%s", committed, request, strings.Join(lines, "\n"))
	}
}
