package logctx

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

// TestHandlerAddsTheRequestID: a record made with a request's context
// carries its id, whatever attributes or group the logger has; one made
// without carries none.
func TestHandlerAddsTheRequestID(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(NewHandler(slog.NewTextHandler(&buf, nil)))
	ctx := WithRequestID(context.Background(), "r42")
	log.InfoContext(ctx, "plain")
	log.With("job", "j1").WarnContext(ctx, "with attrs")
	log.WithGroup("g").ErrorContext(ctx, "in a group", "k", "v")
	log.Info("outside a request")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d lines, want 4:\n%s", len(lines), buf.String())
	}
	for _, l := range lines[:3] {
		if !strings.Contains(l, "request_id=r42") {
			t.Errorf("line without the request id: %s", l)
		}
	}
	if strings.Contains(lines[3], "request_id") {
		t.Errorf("a line outside any request carries an id: %s", lines[3])
	}
}
