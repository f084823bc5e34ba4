package web

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/sheet"
	"postdash/internal/store"
	pdworkbook "postdash/internal/workbook"
)

var jobLocation = regexp.MustCompile(`^/upload/([A-Za-z0-9_-]+)$`)

// uploadPage posts a file through the upload form and returns the job id.
func (c *client) uploadPage(name string, content []byte, fields ...[2]string) string {
	c.env.t.Helper()
	rec := c.upload("/upload", append([][2]string{{"csrf", c.csrf}}, fields...), name, content)
	m := jobLocation.FindStringSubmatch(rec.Header().Get("Location"))
	if rec.Code != http.StatusSeeOther || m == nil {
		c.env.t.Fatalf("upload %s: %d %q %s", name, rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	return m[1]
}

func (e *authEnv) liveTotal() (items int64) {
	e.t.Helper()
	ts, err := e.st.Totals(context.Background(), store.Query{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, t := range ts {
		items += t.Items
	}
	return items
}

// noTempFiles fails when an upload left something in the temporary folder.
func noTempFiles(t *testing.T) {
	t.Helper()
	left, _ := filepath.Glob(filepath.Join(os.TempDir(), "postdash-upload-*"))
	if len(left) > 0 {
		t.Errorf("temporary upload files left behind: %v", left)
	}
}

// TestUploadPreviewConfirmUndo walks the browser round trip: upload, watch
// progress, read the preview and diff, confirm, see the batch, download
// the original, undo.
func TestUploadPreviewConfirmUndo(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	first := workbook(t,
		row{"2025-03", "inbound", "china_post", "parcel", 100, 50},
		row{"2025-04", "inbound", "china_post", "parcel", 200, 80})
	id := ali.uploadPage("march.xlsx", first)
	if p := ali.waitJob(id); p.State != importer.JobReady {
		t.Fatalf("job state %q, want ready", p.State)
	}
	page := ali.get("/upload/" + id).Body.String()
	for _, want := range []string{`id="job-ready"`, `id="job-confirm"`, "2 added, 0 changed, 0 unchanged", "China Post", "2025-04"} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if env.batchCount() != 0 {
		t.Fatal("the preview wrote a batch")
	}
	if n := stagedParts(t, env, id); n == 0 {
		t.Error("the preview staged nothing for its confirm")
	}
	// Another analyst cannot see or confirm it.
	anvar := env.login("anvar")
	if rec := anvar.post("/upload/"+id+"/confirm", nil); rec.Code != http.StatusNotFound {
		t.Errorf("another analyst's confirm: %d", rec.Code)
	}
	if rec := ali.post("/upload/"+id+"/confirm", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", rec.Code, rec.Body)
	}
	if p := ali.waitJob(id); p.State != importer.JobFinished {
		t.Fatalf("after confirm: %q", p.State)
	}
	if page := ali.get("/upload/" + id).Body.String(); !strings.Contains(page, `id="job-committed"`) {
		t.Fatalf("no committed message: %s", page)
	}
	if got := env.liveTotal(); got != 300 {
		t.Fatalf("live items %d, want 300", got)
	}
	if n := stagedParts(t, env, id); n != 0 {
		t.Errorf("%d staged parts left after the commit", n)
	}
	// Confirming twice does nothing more.
	if rec := ali.post("/upload/"+id+"/confirm", nil); rec.Code != http.StatusConflict {
		t.Errorf("second confirm: %d", rec.Code)
	}

	// A revision: the diff shows old -> new.
	second := workbook(t,
		row{"2025-04", "inbound", "china_post", "parcel", 250, 80},
		row{"2025-03", "inbound", "china_post", "parcel", 100, 50})
	id2 := ali.uploadPage("revised.xlsx", second)
	ali.waitJob(id2)
	page = ali.get("/upload/" + id2).Body.String()
	if !strings.Contains(page, "0 added, 1 changed, 1 unchanged") || !strings.Contains(page, "200") || !strings.Contains(page, "250") {
		t.Errorf("revision diff wrong: %s", page)
	}
	// The unchanged March value is counted, not listed.
	if n := strings.Count(page, `class="diff-`); n != 1 || strings.Contains(page, `class="diff-unchanged"`) {
		t.Errorf("diff lists %d rows, want only the changed one", n)
	}
	if rec := ali.post("/upload/"+id2+"/cancel", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("cancel: %d", rec.Code)
	}
	if page := ali.get("/upload/" + id2).Body.String(); !strings.Contains(page, `id="job-cancelled"`) {
		t.Error("cancelled job page does not say so")
	}
	if rec := ali.post("/upload/"+id2+"/confirm", nil); rec.Code != http.StatusConflict {
		t.Errorf("confirm after cancel: %d", rec.Code)
	}
	if got := env.liveTotal(); got != 300 {
		t.Fatalf("cancel changed live data: %d", got)
	}

	// Batches page, original file, undo.
	bs, _ := env.st.Batches(context.Background())
	if len(bs) != 1 || bs[0].User != "ali" || bs[0].FileName != "march.xlsx" {
		t.Fatalf("batches %+v", bs)
	}
	bid := itoa(int(bs[0].ID))
	if page := ali.get("/batches").Body.String(); !strings.Contains(page, "march.xlsx") || !strings.Contains(page, "/batches/"+bid+"/undo") {
		t.Errorf("batches page lacks the batch")
	}
	rec := ali.get("/batches/" + bid + "/file")
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), first) || !strings.Contains(rec.Header().Get("Content-Disposition"), "march.xlsx") {
		t.Errorf("original file: %d, %d bytes, %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Disposition"))
	}
	if rec := ali.get("/batches/" + bid + "/undo"); rec.Code != 200 || !strings.Contains(rec.Body.String(), `id="undo-confirm"`) {
		t.Fatalf("undo confirmation page: %d", rec.Code)
	}
	if rec := ali.post("/batches/"+bid+"/undo", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("undo: %d %s", rec.Code, rec.Body)
	}
	if got := env.liveTotal(); got != 0 {
		t.Errorf("after undo live items %d, want 0", got)
	}
	if rec := ali.post("/batches/"+bid+"/undo", nil); rec.Code != http.StatusConflict {
		t.Errorf("second undo: %d", rec.Code)
	}
	audit := env.login("adam").get("/admin/audit").Body.String()
	for _, want := range []string{"import.dry_run", "import", "undo", "march.xlsx"} {
		if !strings.Contains(audit, want) {
			t.Errorf("audit lacks %q", want)
		}
	}
	// Details are said in the reader's language, not only the actions.
	ru := html.UnescapeString(env.login("adam").get("/admin/audit?lang=ru").Body.String())
	for _, want := range []string{"пакет " + bid, "march.xlsx: загружено, строк: 2, значений: 2, ошибок: 0", "march.xlsx: предпросмотр"} {
		if !strings.Contains(ru, want) {
			t.Errorf("Russian audit lacks %q", want)
		}
	}
	if strings.Contains(ru, " rows, ") || strings.Contains(ru, ">batch ") {
		t.Error("Russian audit details still in English")
	}
	noTempFiles(t)
}

// TestConfirmAfterLiveDataChanged: when live data changes between the
// preview and the confirmation, the analyst gets a fresh preview first.
func TestConfirmAfterLiveDataChanged(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali, anvar := env.login("ali"), env.login("anvar")
	id := ali.uploadPage("mine.xlsx", workbook(t, row{"2025-06", "inbound", "china_post", "parcel", 10, 1}))
	ali.waitJob(id)
	if page := ali.get("/upload/" + id).Body.String(); !strings.Contains(page, "1 added, 0 changed") {
		t.Fatalf("first preview: %s", page)
	}
	anvar.header.Set(csrfHeader, anvar.csrf)
	if rec := anvar.upload("/api/v1/imports", nil, "theirs.xlsx", workbook(t, row{"2025-06", "inbound", "china_post", "parcel", 99, 9})); rec.Code != 200 {
		t.Fatalf("other import: %d", rec.Code)
	}
	if rec := ali.post("/upload/"+id+"/confirm", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", rec.Code)
	}
	if p := ali.waitJob(id); p.State != importer.JobReady {
		t.Fatalf("stale confirm went to %q, want a fresh preview", p.State)
	}
	page := ali.get("/upload/" + id).Body.String()
	if !strings.Contains(page, "Live data changed since the preview") || !strings.Contains(page, "0 added, 1 changed") {
		t.Fatalf("fresh preview: %s", page)
	}
	if env.batchCount() != 1 {
		t.Fatal("the stale confirmation committed")
	}
	ali.post("/upload/"+id+"/confirm", nil)
	if p := ali.waitJob(id); p.State != importer.JobFinished {
		t.Fatalf("second confirm: %q", p.State)
	}
	if got := env.liveTotal(); got != 10 {
		t.Errorf("live items %d, want 10 (the confirmed revision)", got)
	}
	noTempFiles(t)
}

func TestUploadRejectedShowsCellErrors(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	bad := workbook(t, row{"2025-03", "inbound", "china_post", "parcel", -5, 1})
	id := ali.uploadPage("bad.xlsx", bad)
	ali.waitJob(id)
	page := ali.get("/upload/" + id).Body.String()
	if !strings.Contains(page, `id="job-rejected"`) || !strings.Contains(page, `id="job-errors"`) || !strings.Contains(page, "E2") {
		t.Errorf("rejected page lacks the cell error: %s", page)
	}
	if strings.Contains(page, `id="job-confirm"`) {
		t.Error("a rejected file can be confirmed")
	}
	if rec := ali.post("/upload/"+id+"/confirm", nil); rec.Code != http.StatusConflict {
		t.Errorf("confirm of a rejected file: %d", rec.Code)
	}
	if env.batchCount() != 0 {
		t.Error("a rejected file wrote a batch")
	}
	noTempFiles(t)
}

// zipBomb is a valid workbook plus a part that inflates to size bytes.
func zipBomb(t *testing.T, size int64) []byte {
	t.Helper()
	wb := workbook(t, row{"2025-03", "inbound", "china_post", "parcel", 1, 1})
	src, err := zip.NewReader(bytes.NewReader(wb), int64(len(wb)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range src.File {
		if err := w.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	part, err := w.Create("xl/worksheets/sheet1.xml.bomb")
	if err != nil {
		t.Fatal(err)
	}
	zeros := make([]byte, 1<<20)
	for n := int64(0); n < size; n += int64(len(zeros)) {
		part.Write(zeros)
	}
	w.Close()
	return buf.Bytes()
}

// TestHostileUploads: each hostile file gets its status and a message,
// writes nothing, leaves no temporary file, and the server stays healthy.
func TestHostileUploads(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{MaxInflatedBytes: 16 << 20})
	good := workbook(t, row{"2025-03", "inbound", "china_post", "parcel", 1, 1})
	xls := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 4096)...)
	tests := []struct {
		name, file string
		content    []byte
		status     int
		message    string
	}{
		{"zip bomb", "bomb.xlsx", zipBomb(t, 64<<20), http.StatusBadRequest, "unpack"},
		{"truncated workbook", "cut.xlsx", good[:len(good)/2], http.StatusBadRequest, "damaged"},
		{"damaged xls", "old.xls", xls, http.StatusBadRequest, "damaged"}, // a compound file header and nothing else
		{"path as name", "../../etc/passwd", []byte("root:x:0:0:root:/root:/bin/sh\n"), http.StatusBadRequest, "passwd"},
		{"empty file", "empty.xlsx", []byte{}, http.StatusBadRequest, "empty"},
	}
	ali := env.login("ali")
	ali.header.Set(csrfHeader, ali.csrf)
	version, err := env.st.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ali.upload("/api/v1/imports", nil, tt.file, tt.content)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			var out importer.Outcome
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
				t.Fatalf("answer is not the import JSON: %s", rec.Body)
			}
			if out.Status != importer.StatusRefused || !strings.Contains(out.Message, tt.message) {
				t.Errorf("status %q message %q, want refused mentioning %q", out.Status, out.Message, tt.message)
			}
			if strings.Contains(out.File, "/") || strings.Contains(out.File, "..") {
				t.Errorf("file name %q carries a path", out.File)
			}
			if v, _ := env.st.DataVersion(context.Background()); env.batchCount() != 0 || v != version {
				t.Error("a hostile file changed the database")
			}
			if rec := env.anon().get("/healthz"); rec.Code != 200 {
				t.Errorf("/healthz after %s: %d", tt.name, rec.Code)
			}
			noTempFiles(t)
		})
	}
	t.Run("path as name of a good workbook", func(t *testing.T) {
		rec := ali.upload("/api/v1/imports?dry_run=true", nil, `..\..\..\evil.xlsx`, good)
		var out importer.Outcome
		json.Unmarshal(rec.Body.Bytes(), &out)
		if rec.Code != 200 || out.File != "evil.xlsx" || out.Status != importer.StatusDryRun {
			t.Errorf("%d %+v", rec.Code, out)
		}
		noTempFiles(t)
	})
}

func TestOversizeUpload(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	ali.header.Set(csrfHeader, ali.csrf)
	body, ctype := multipartBody(t, [][2]string{{"csrf", ali.csrf}}, "big.xlsx", []byte("x"))

	// Announced larger than the default limit: refused before reading.
	for _, path := range []string{"/api/v1/imports", "/upload"} {
		req := httptest.NewRequest("POST", path, bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", ctype)
		req.ContentLength = DefaultMaxUploadBytes + formSlack + 1
		if rec := ali.send(req); rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "100 MiB") {
			t.Errorf("%s announced over-size: %d %s", path, rec.Code, rec.Body)
		}
	}

	// Streamed without a length: cut while reading, at a 1 MiB limit here
	// so the test stays fast; the code path is the same.
	small := env.anon()
	small.cookies, small.header = ali.cookies, ali.header
	r := gin.New()
	srv := env.srv
	srv.newAccounts(1 << 20).install(r)
	r.GET("/healthz", srv.healthz)
	small.env = &authEnv{t: t, st: env.st, h: r}
	// Everything up to the file's content, then endless zeros as the file.
	fileAt := bytes.Index(body.Bytes(), []byte(`filename="big.xlsx"`))
	pre := body.Bytes()[:fileAt+bytes.Index(body.Bytes()[fileAt:], []byte("\r\n\r\n"))+4]
	for _, path := range []string{"/api/v1/imports", "/upload"} {
		stream := io.MultiReader(bytes.NewReader(pre), &zeroReader{2 << 20})
		req := httptest.NewRequest("POST", path, stream)
		req.Header.Set("Content-Type", ctype)
		req.ContentLength = -1
		if rec := small.send(req); rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "1 MiB") {
			t.Errorf("%s: over-size stream: %d %s", path, rec.Code, rec.Body)
		}
		if rec := small.get("/healthz"); rec.Code != 200 {
			t.Errorf("/healthz: %d", rec.Code)
		}
	}
	if env.batchCount() != 0 {
		t.Error("an over-size upload wrote a batch")
	}
	noTempFiles(t)
}

// zeroReader streams n zero bytes.
type zeroReader struct{ n int64 }

func (r *zeroReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), r.n)
	clear(p[:k])
	r.n -= k
	return int(k), nil
}

// TestConcurrentAnalysts: two analysts upload at once; both batches land
// whole and the totals add up; the same file twice lands once.
func TestConcurrentAnalysts(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	files := map[string][]byte{
		"ali":   workbook(t, row{"2025-01", "inbound", "china_post", "parcel", 10, 1}, row{"2025-02", "inbound", "china_post", "parcel", 20, 2}),
		"anvar": workbook(t, row{"2025-01", "outbound", "china_post", "ems", 300, 3}, row{"2025-02", "outbound", "china_post", "ems", 400, 4}),
	}
	var wg sync.WaitGroup
	codes := map[string]int{}
	var mu sync.Mutex
	for name, wb := range files {
		c := env.login(name)
		c.header.Set(csrfHeader, c.csrf)
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := c.upload("/api/v1/imports", nil, name+".xlsx", wb)
			mu.Lock()
			codes[name] = rec.Code
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes["ali"] != 200 || codes["anvar"] != 200 {
		t.Fatalf("statuses %v", codes)
	}
	bs, _ := env.st.Batches(context.Background())
	if len(bs) != 2 {
		t.Fatalf("%d batches, want 2", len(bs))
	}
	for _, b := range bs {
		if b.Facts != 2 || b.Rows != 2 {
			t.Errorf("batch %+v not whole", b)
		}
	}
	if got := env.liveTotal(); got != 730 {
		t.Errorf("live items %d, want 730", got)
	}

	// The same new file from both at once: one commit, one duplicate.
	same := workbook(t, row{"2025-05", "transit", "china_post", "parcel", 5, 5})
	statuses := make(chan int, 2)
	for _, name := range []string{"ali", "anvar"} {
		c := env.login(name)
		c.header.Set(csrfHeader, c.csrf)
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- c.upload("/api/v1/imports", nil, "same.xlsx", same).Code
		}()
	}
	wg.Wait()
	close(statuses)
	got := map[int]int{}
	for s := range statuses {
		got[s]++
	}
	if got[200] != 1 || got[409] != 1 {
		t.Errorf("same file twice at once: %v, want one 200 and one 409", got)
	}
	if got := env.liveTotal(); got != 735 {
		t.Errorf("live items %d, want 735", got)
	}
}

func TestAPIImportStatuses(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	ali.header.Set(csrfHeader, ali.csrf)
	wb := workbook(t, row{"2025-03", "", "china_post", "parcel", 7, 1})
	bad := workbook(t, row{"2025-03", "inbound", "china_post", "parcel", -1, 1})
	tests := []struct {
		name, query string
		content     []byte
		status      int
		outcome     string
	}{
		{"dry run", "?dry_run=1&direction=inbound", wb, 200, importer.StatusDryRun},
		{"bad direction", "?direction=sideways", wb, 400, ""},
		{"rejected", "", bad, 422, importer.StatusRejected},
		{"committed", "?direction=inbound&partner=china_post", wb, 200, importer.StatusCommitted},
		{"duplicate", "", wb, 409, importer.StatusDuplicate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ali.upload("/api/v1/imports"+tt.query, nil, "w.xlsx", tt.content)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			var out importer.Outcome
			json.Unmarshal(rec.Body.Bytes(), &out)
			if out.Status != tt.outcome {
				t.Errorf("outcome %q, want %q", out.Status, tt.outcome)
			}
		})
	}
	bs, _ := env.st.Batches(context.Background())
	if len(bs) != 1 || bs[0].Direction != "inbound" {
		t.Fatalf("batches %+v", bs)
	}
	// The committed original is kept and undo works over the API.
	if rec := ali.get("/batches/" + itoa(int(bs[0].ID)) + "/file"); !bytes.Equal(rec.Body.Bytes(), wb) {
		t.Error("original of an API import not kept")
	}
	del := func() int { return ali.do("DELETE", "/api/v1/batches/"+itoa(int(bs[0].ID)), nil, "").Code }
	if got := del(); got != 200 {
		t.Errorf("undo: %d", got)
	}
	if got := del(); got != 409 {
		t.Errorf("second undo: %d, want 409", got)
	}
	if got := env.liveTotal(); got != 0 {
		t.Errorf("after undo %d items live", got)
	}
}

func TestFormatPreview(t *testing.T) {
	in := [][]string{
		{"2025-03", "inbound", "china_post", "parcel", "", "1234567", "1234.5"},
		{"2025-04", "inbound", "china_post", "parcel", "", "", "7"},
		{"short row"},
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	got := formatPreview(i18n.EN, (&Server{cat: cat}).locale(i18n.EN), in)
	want := [][]string{
		{"2025-03", "Inbound", "China Post", "Parcels", "", "1,234,567", "1,234.5"},
		{"2025-04", "Inbound", "China Post", "Parcels", "", "", "7"},
		{"short row"},
	}
	for i := range want {
		if strings.Join(got[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: %q, want %q", i, got[i], want[i])
		}
	}
	if in[0][5] != "1234567" {
		t.Error("formatPreview changed its input")
	}
}

// The upload page links the empty template in the reader's language; the
// link answers a workbook with its drop-down lists.
func TestUploadPageLinksTheTemplate(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	page := ali.get("/upload?lang=ru").Body.String()
	m := regexp.MustCompile(`<a href="([^"]*template[^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("upload page has no template link:\n%s", page)
	}
	rec := ali.get(strings.ReplaceAll(m[1], "&amp;", "&"))
	if rec.Code != http.StatusOK {
		t.Fatalf("%s: status %d", m[1], rec.Code)
	}
	f, err := excelize.OpenReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if dvs, _ := f.GetDataValidations(f.GetSheetList()[0]); len(dvs) != 4 {
		t.Errorf("template has %d drop-down lists, want 4", len(dvs))
	}
	if head, _ := f.GetCellValue(f.GetSheetList()[0], "A1"); head != workbookHeader("ru") {
		t.Errorf("template header %q is not Russian", head)
	}
}

func workbookHeader(lang string) string { return pdworkbook.Headers(lang)[0] }

// TestAPIDryRunAnswersTheDiff: a dry run over the API answers what the
// upload preview shows: per series and month, added, changed (old → new)
// and unchanged, counted in full and listed up to importer.MaxDiffRows.
func TestAPIDryRunAnswersTheDiff(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	ali.header.Set(csrfHeader, ali.csrf)
	base := workbook(t, row{"2025-01", "inbound", "china_post", "parcel", 7, 1}, row{"2025-02", "inbound", "china_post", "parcel", 5, 1})
	if rec := ali.upload("/api/v1/imports", nil, "base.xlsx", base); rec.Code != 200 {
		t.Fatalf("base import: %d %s", rec.Code, rec.Body)
	}
	next := workbook(t, row{"2025-01", "inbound", "china_post", "parcel", 7, 1}, row{"2025-02", "inbound", "china_post", "parcel", 6, 1.5},
		row{"2025-04", "inbound", "china_post", "parcel", 2, 0.5})
	rec := ali.upload("/api/v1/imports?dry_run=true", nil, "next.xlsx", next)
	if rec.Code != 200 {
		t.Fatalf("dry run: %d %s", rec.Code, rec.Body)
	}
	var out struct {
		Status string `json:"status"`
		Diff   *struct {
			Added, Changed, Unchanged, Omitted int
			Rows                               []struct {
				Month, Direction, Partner, Category, Marketplace, Kind string
				Old                                                    *struct{ Items int64 }
				New                                                    struct {
					Items int64
					Kg    float64
				}
			}
		} `json:"diff"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || out.Diff == nil {
		t.Fatalf("no diff in %s (%v)", rec.Body, err)
	}
	d := out.Diff
	if out.Status != importer.StatusDryRun || d.Added != 1 || d.Changed != 1 || d.Unchanged != 1 || d.Omitted != 0 || len(d.Rows) != 3 {
		t.Fatalf("status %s, diff %+v: want 1 added, 1 changed, 1 unchanged, 3 rows", out.Status, d)
	}
	want := []struct {
		month, kind string
		old         int64 // -1: none
		new         int64
		kg          float64
	}{{"2025-01", "unchanged", 7, 7, 1}, {"2025-02", "changed", 5, 6, 1.5}, {"2025-04", "added", -1, 2, 0.5}}
	for i, w := range want {
		r := d.Rows[i]
		old := int64(-1)
		if r.Old != nil {
			old = r.Old.Items
		}
		if r.Month != w.month || r.Kind != w.kind || old != w.old || r.New.Items != w.new || r.New.Kg != w.kg ||
			r.Direction != "inbound" || r.Partner != "china_post" || r.Category != "parcel" {
			t.Errorf("row %d: %+v (old %d), want %s %s %d → %d items, %v kg", i, r, old, w.month, w.kind, w.old, w.new, w.kg)
		}
	}
	if got := env.liveTotal(); got != 12 {
		t.Errorf("after a dry run %d items live, want the base's 12", got)
	}

	// More series-months than an answer lists: all counted, the first listed.
	const n = importer.MaxDiffRows + 50
	many := make([]row, n)
	for i := range many {
		many[i] = row{"2025-03", "inbound", fmt.Sprintf("partner %04d", i), "parcel", 1, 1}
	}
	rec = ali.upload("/api/v1/imports?dry_run=1", nil, "many.xlsx", workbook(t, many...))
	out.Diff = nil
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != 200 || out.Diff == nil {
		t.Fatalf("many: %d %.300s", rec.Code, rec.Body)
	}
	if d := out.Diff; d.Added != n || len(d.Rows) != importer.MaxDiffRows || d.Omitted != n-importer.MaxDiffRows {
		t.Errorf("many: added %d, %d rows listed, %d omitted; want %d, %d, %d", d.Added, len(d.Rows), d.Omitted, n, importer.MaxDiffRows, n-importer.MaxDiffRows)
	}
}

// stagedParts counts what job's preview left staged in the store.
func stagedParts(t *testing.T, env *authEnv, job string) int {
	t.Helper()
	n := 0
	if err := env.st.StagedParts(context.Background(), job, func(int, []byte) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}
