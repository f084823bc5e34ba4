package web

import (
	"context"
	"encoding/json"
	"html"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"postdash/internal/importer"
	"postdash/internal/sheet"
)

// catalogFiles reads one language's messages from the catalog files
// themselves, not through the code that renders them.
func catalogFiles(t *testing.T, lang string) map[string]string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "i18n", "catalogs", lang, "*.json"))
	if len(files) == 0 {
		t.Fatalf("%s: no catalogs", lang)
	}
	cat := map[string]string{}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var part map[string]string
		if err := json.Unmarshal(b, &part); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for k, v := range part {
			cat[k] = v
		}
	}
	return cat
}

// The API says a duplicate and a refusal in the language the client asks
// for, keeping its machine fields.
func TestAPIImportSpeaksTheRequestLanguage(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	ali.header.Set(csrfHeader, ali.csrf)
	wb := workbook(t, row{"2025-03", "inbound", "china_post", "parcel", 7, 1})
	if rec := ali.upload("/api/v1/imports", nil, "w.xlsx", wb); rec.Code != 200 {
		t.Fatalf("first import: %d %s", rec.Code, rec.Body)
	}
	bs, _ := env.st.Batches(context.Background())
	if len(bs) != 1 {
		t.Fatalf("batches %+v", bs)
	}
	cyrl := catalogFiles(t, "uz-Cyrl")
	ali.header.Set("Accept-Language", "uz-Cyrl")

	rec := ali.upload("/api/v1/imports", nil, "w.xlsx", wb)
	var out importer.Outcome
	json.Unmarshal(rec.Body.Bytes(), &out)
	want := strings.NewReplacer("{batch}", strconv.FormatInt(bs[0].ID, 10),
		"{when}", bs[0].CreatedAt.In(pagesZone(t)).Format("2006-01-02 15:04"), "{user}", "ali").Replace(cyrl["outcome.duplicate"])
	if rec.Code != 409 || out.Status != importer.StatusDuplicate || out.Batch != bs[0].ID || out.Message != want {
		t.Errorf("duplicate, Accept-Language uz-Cyrl: %d %s %d %q\nwant 409 duplicate %d %q", rec.Code, out.Status, out.Batch, out.Message, bs[0].ID, want)
	}

	rec = ali.upload("/api/v1/imports", nil, "page.xlsx", []byte("<!DOCTYPE html><html><body>Report</body></html>"))
	out = importer.Outcome{}
	json.Unmarshal(rec.Body.Bytes(), &out)
	want = strings.ReplaceAll(cyrl["import.refused.html"], "{file}", "“page.xlsx”")
	if out.Status != importer.StatusRefused || out.Message != want {
		t.Errorf("refused, Accept-Language uz-Cyrl: %d %s %q\nwant refused %q", rec.Code, out.Status, out.Message, want)
	}

	// Undoing the batch twice: the second is refused in the language too.
	del := func() *httptest.ResponseRecorder {
		return ali.do("DELETE", "/api/v1/batches/"+strconv.FormatInt(bs[0].ID, 10), nil, "")
	}
	if rec := del(); rec.Code != 200 {
		t.Fatalf("undo: %d %s", rec.Code, rec.Body)
	}
	rec = del()
	var e struct{ Error string }
	json.Unmarshal(rec.Body.Bytes(), &e)
	if want := cyrl["acct.batches.already_undone"]; rec.Code != 409 || e.Error != want {
		t.Errorf("second undo, uz-Cyrl: %d %q, want 409 %q", rec.Code, e.Error, want)
	}
}

// The job page of a duplicate upload says so in the page's language.
func TestJobPageSaysDuplicateInItsLanguage(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	ali.header.Set(csrfHeader, ali.csrf)
	wb := workbook(t, row{"2025-03", "inbound", "china_post", "parcel", 7, 1})
	if rec := ali.upload("/api/v1/imports", nil, "w.xlsx", wb); rec.Code != 200 {
		t.Fatalf("first import: %d %s", rec.Code, rec.Body)
	}
	bs, _ := env.st.Batches(context.Background())
	if len(bs) != 1 {
		t.Fatalf("batches %+v", bs)
	}
	id := ali.uploadPage("w.xlsx", wb)
	ali.waitJob(id)
	page := html.UnescapeString(ali.get("/upload/" + id + "?lang=ru").Body.String())
	// The time is written in the pages' zone (Asia/Tashkent by default),
	// as the batches page writes it.
	when := bs[0].CreatedAt.In(pagesZone(t)).Format("2006-01-02 15:04")
	want := strings.NewReplacer("{batch}", strconv.FormatInt(bs[0].ID, 10),
		"{when}", when, "{user}", "ali").Replace(catalogFiles(t, "ru")["outcome.duplicate"])
	if !strings.Contains(page, want) {
		t.Errorf("job page of a duplicate, ?lang=ru, lacks %q:\n%s", want, shorten(page))
	}
	if batches := ali.get("/batches").Body.String(); !strings.Contains(batches, when) {
		t.Errorf("the batches page does not show the batch at %s:\n%s", when, shorten(batches))
	}
}

// An importer refusal (here: no such upload) is said in the request's
// language on the JSON progress route too.
func TestNoSuchUploadInTheRequestLanguage(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	ali.header.Set("Accept-Language", "ru")
	rec := ali.get("/upload/nojob/progress")
	var e struct{ Error string }
	json.Unmarshal(rec.Body.Bytes(), &e)
	if want := catalogFiles(t, "ru")["acct.upload.no_job"]; rec.Code != 404 || e.Error != want {
		t.Errorf("progress of no upload, ru: %d %q, want 404 %q", rec.Code, e.Error, want)
	}
}

// The API's own refusals (a bad direction, no credentials, a bad token, an
// unknown path) are said in the request's language, in the same JSON shape.
func TestAPIRefusalsSpeakTheRequestLanguage(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ru := catalogFiles(t, "ru")
	errorOf := func(rec *httptest.ResponseRecorder) string {
		var e struct{ Error string }
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
			t.Errorf("not JSON: %d %s", rec.Code, rec.Body)
		}
		return e.Error
	}

	ali := env.login("ali")
	ali.header.Set(csrfHeader, ali.csrf)
	ali.header.Set("Accept-Language", "ru")
	wb := workbook(t, row{"2025-03", "inbound", "china_post", "parcel", 7, 1})
	rec := ali.upload("/api/v1/imports?direction=sideways", nil, "w.xlsx", wb)
	want := strings.NewReplacer("{name}", "direction", "{value}", "sideways", "{want}", ru["params.want.direction"],
		"{values}", "inbound, outbound, transit, unspecified").Replace(ru["params.invalid"])
	if got := errorOf(rec); rec.Code != 400 || got != want || !strings.Contains(rec.Body.String(), `"parameters":[`) {
		t.Errorf("bad direction, ru: %d %q, want 400 %q", rec.Code, got, want)
	}
	rec = ali.get("/api/v1/no-such-route")
	if got, want := errorOf(rec), ru["api.error.not_found"]; rec.Code != 404 || got != want {
		t.Errorf("unknown API path, ru: %d %q, want 404 %q", rec.Code, got, want)
	}

	rec = ali.get("/api/v1/completeness?from=2025-05&to=2025-01")
	if got, want := errorOf(rec), ru["filter.reason.order"]; rec.Code != 400 || got != want {
		t.Errorf("range ending before it starts, ru: %d %q, want 400 %q", rec.Code, got, want)
	}

	anon := env.anon()
	anon.header.Set("Accept-Language", "ru")
	rec = anon.get("/api/v1/totals")
	want = strings.ReplaceAll(ru["api.error.no_credentials"], "{header}", "Authorization: Bearer TOKEN")
	if got := errorOf(rec); rec.Code != 401 || got != want {
		t.Errorf("no credentials, ru: %d %q, want 401 %q", rec.Code, got, want)
	}
	anon.header.Set("Authorization", "Bearer not-a-token")
	rec = anon.get("/api/v1/totals")
	if got, want := errorOf(rec), ru["api.error.bad_token"]; rec.Code != 401 || got != want {
		t.Errorf("bad token, ru: %d %q, want 401 %q", rec.Code, got, want)
	}
}

// pagesZone is the pages' default time zone.
func pagesZone(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Tashkent")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
