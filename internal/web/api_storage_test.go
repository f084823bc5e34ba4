package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

// fullDisk is a store that cannot keep originals, as on a full disk.
type fullDisk struct{ store.Store }

func (fullDisk) PutFile(context.Context, string, string, io.Reader) error {
	return errors.New("write: no space left on device")
}

// TestAPIImportWithoutRoomForTheOriginal: when the original of a committed
// API import cannot be stored, the batch does not stay live, and the
// analyst reads why in a sentence of their language.
func TestAPIImportWithoutRoomForTheOriginal(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	st := fullDisk{env.st}
	s, err := New(Config{DefaultLang: i18n.EN}, st, importer.New(st, sheet.Limits{}, nil), cat)
	if err != nil {
		t.Fatal(err)
	}
	env.h, env.srv = s.Handler(), s
	ali := env.tokenClient("ali")
	resp := ali.upload("/api/v1/imports?lang=ru", nil, "a.xlsx", workbook(t, row{"2025-01", "inbound", "", "letter_post", 1, 2}))
	if resp.Code != http.StatusInternalServerError || !strings.Contains(resp.Body.String(), "ничего не импортировано") {
		t.Errorf("answer %d %s, want 500 and the Russian sentence", resp.Code, resp.Body.String())
	}
	bs, err := env.st.Batches(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.Live() && b.FileName == "a.xlsx" {
			t.Errorf("batch %d of a.xlsx is live without its original", b.ID)
		}
	}
}

// TestPublicDashboardHidesWhoAndHashes: anonymous visitors of a public
// dashboard read the figures and the files' names, never who uploaded them
// or the files' SHA-256; a signed-in viewer still does.
func TestPublicDashboardHidesWhoAndHashes(t *testing.T) {
	env := newAuthEnv(t, true, sheet.Limits{})
	ali := env.tokenClient("ali")
	if resp := ali.upload("/api/v1/imports", nil, "march.xlsx", workbook(t, row{"2025-03", "inbound", "", "letter_post", 1, 2})); resp.Code != http.StatusOK {
		t.Fatalf("import: %d %s", resp.Code, resp.Body.String())
	}
	bs, _ := env.st.Batches(context.Background())
	if len(bs) == 0 {
		t.Fatal("no batch")
	}
	sha := bs[0].SHA256
	anon := env.anon()
	for _, path := range []string{"/api/v1/batches", "/?lang=en&from=2025-03&to=2025-03"} {
		got := anon.get(path).Body.String()
		if !strings.Contains(got, "march.xlsx") {
			t.Errorf("%s: anonymous visitors do not see the file name: %.300s", path, got)
		}
		for _, secret := range []string{sha, `"ali"`, ">ali<"} {
			if strings.Contains(got, secret) {
				t.Errorf("%s shows %s to an anonymous visitor", path, secret)
			}
		}
	}
	if got := env.login("vera").get("/api/v1/batches").Body.String(); !strings.Contains(got, sha) {
		t.Errorf("a signed-in viewer no longer sees the hashes: %.300s", got)
	}
}

// TestUploadPageWithoutRoomForTheOriginal: the original is stored while the
// file is read; when it cannot be, the job fails, its page says why in the
// analyst's language, and nothing of it stays (no batch, no staged preview,
// no temporary file).
func TestUploadPageWithoutRoomForTheOriginal(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	st := fullDisk{env.st}
	s, err := New(Config{DefaultLang: i18n.EN}, st, importer.New(st, sheet.Limits{}, nil), cat)
	if err != nil {
		t.Fatal(err)
	}
	env.h, env.srv = s.Handler(), s
	ali := env.login("ali")
	id := ali.uploadPage("a.xlsx", workbook(t, row{"2025-01", "inbound", "", "letter_post", 1, 2}))
	if p := ali.waitJob(id); p.State != importer.JobFailed {
		t.Fatalf("job %s, want failed", p.State)
	}
	page := ali.get("/upload/" + id + "?lang=ru").Body.String()
	if !strings.Contains(page, `id="job-failed"`) || !strings.Contains(page, "ничего не импортировано") {
		t.Errorf("the failed job's page does not say that the file could not be stored: %.2000s", page)
	}
	if rec := ali.post("/upload/"+id+"/confirm", nil); rec.Code != http.StatusConflict {
		t.Errorf("confirm of a job whose original was not stored: %d", rec.Code)
	}
	if n := env.batchCount(); n != 0 {
		t.Errorf("%d batches after an upload whose original could not be stored", n)
	}
	if n := stagedParts(t, env, id); n != 0 {
		t.Errorf("%d staged parts left by a failed upload", n)
	}
	noTempFiles(t)
}

// TestAPIImportKeepsTheBytesItHashed: an API import, hashed once while it
// is received, records the SHA-256 of the bytes sent, and its original
// comes back byte for byte; a file of 1 MiB and more crosses the
// receiver's buffers and the store's parts.
func TestAPIImportKeepsTheBytesItHashed(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.tokenClient("ali")
	var rows []row
	for i := range 40_000 { // about 1.3 MB as xlsx
		rows = append(rows, row{fmt.Sprintf("%d-%02d", 2000+i/12%25, i%12+1), "inbound", fmt.Sprintf("partner_%d", i), "parcel", i, float64(i%997) / 8})
	}
	content := workbook(t, rows...)
	if len(content) < 1<<20 {
		t.Fatalf("workbook of %d bytes, want more than 1 MiB", len(content))
	}
	if resp := ali.upload("/api/v1/imports", nil, "big.xlsx", content); resp.Code != http.StatusOK {
		t.Fatalf("import: %d %.300s", resp.Code, resp.Body.String())
	}
	bs, err := env.st.Batches(context.Background())
	if err != nil || len(bs) != 1 {
		t.Fatalf("%d batches, %v; want one", len(bs), err)
	}
	sum := sha256.Sum256(content)
	if want := hex.EncodeToString(sum[:]); bs[0].SHA256 != want {
		t.Errorf("batch records SHA-256 %s; the bytes sent have %s", bs[0].SHA256, want)
	}
	rec := env.login("ali").get(fmt.Sprintf("/batches/%d/file", bs[0].ID))
	if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), content) {
		t.Errorf("original: %d, %d bytes; want 200 and the %d bytes sent", rec.Code, rec.Body.Len(), len(content))
	}
}
