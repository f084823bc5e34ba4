package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// TestOverviewGzip: a reader who accepts gzip is answered the anonymous
// overview gzipped, and it is, once decompressed, byte for byte the page
// a reader who does not accept it is answered; so is the stale twin with
// its notice; the answers say they vary with Accept-Encoding. On both
// backends.
func TestOverviewGzip(t *testing.T) {
	forBackends(t, func(t *testing.T, dsn string) {
		e := calendarEnvOf(t, dsn, true)
		ctx := context.Background()
		n := 0
		commit := func(items int64) {
			t.Helper()
			n++
			f := postal.Fact{Month: postal.Month{Year: 2025, Month: 3}, Series: postal.Series{Direction: postal.Inbound, Category: postal.LetterPost, Partner: "china_post"},
				Sheet: "Sheet1", Items: items, HasItems: true}
			b := &store.Batch{FileName: "m.xlsx", SHA256: strings.Repeat(string(rune('a'+n)), 64), User: "ali", Sheets: []string{"Sheet1"}, Rows: 1, Facts: 1, Items: items}
			if err := e.st.CommitBatch(ctx, b, []postal.Fact{f}); err != nil {
				t.Fatal(err)
			}
		}
		plain, zipped, refused := e.anon(), e.anon(), e.anon()
		zipped.header.Set("Accept-Encoding", "br, gzip, deflate")
		refused.header.Set("Accept-Encoding", "gzip;q=0, identity")
		body := func(rec *httptest.ResponseRecorder, wantGzip bool) string {
			t.Helper()
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary %q does not name Accept-Encoding", rec.Header().Get("Vary"))
			}
			enc := rec.Header().Get("Content-Encoding")
			if !wantGzip {
				if enc != "" {
					t.Fatalf("Content-Encoding %q to a reader who does not accept gzip", enc)
				}
				return rec.Body.String()
			}
			if enc != "gzip" {
				t.Fatalf("Content-Encoding %q to a reader who accepts gzip", enc)
			}
			zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Body.Len()*2 > len(b) {
				t.Errorf("gzipped %d bytes of %d: not worth it", rec.Body.Len(), len(b))
			}
			return string(b)
		}
		const notice = `id="stale-notice"`

		commit(120)
		p := body(plain.get("/?lang=en"), false)
		if !strings.Contains(p, `id="kpi-`) || strings.Contains(p, notice) {
			t.Fatal("the overview lacks its figures or says they are stale")
		}
		if z := body(zipped.get("/?lang=en"), true); z != p {
			t.Error("the gzipped overview, decompressed, differs from the plain one")
		}
		if r := body(refused.get("/?lang=en"), false); r != p {
			t.Error("the overview to a reader refusing gzip differs from the plain one")
		}
		e.srv.background.Wait() // the stale twin written

		release := make(chan struct{})
		e.srv.viewLoadHook = func(string) { <-release }
		commit(300)
		ps := body(plain.get("/?lang=en"), false)
		if !strings.Contains(ps, notice) {
			t.Fatal("during the load the page has no notice")
		}
		if z := body(zipped.get("/?lang=en"), true); z != ps {
			t.Error("the gzipped stale overview, decompressed, differs from the plain one")
		}
		close(release)
		e.srv.background.Wait()
		e.srv.viewLoadHook = nil
	})
}
