package web

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"postdash/internal/importer"
	"postdash/internal/sheet"
)

// TestProgressWhenDoneIsFinal: once a job is done its progress says every
// row its file holds was read, at 100 %, and what the import found: a
// preview, a commit, or a duplicate (whose job is ready, with nothing to
// confirm).
func TestProgressWhenDoneIsFinal(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	content := workbook(t,
		row{"2025-01", "inbound", "", "letter_post", 1, 2},
		row{"2025-02", "inbound", "", "letter_post", 3, 4},
		row{"2025-03", "inbound", "", "letter_post", 5, 6})
	const rows = 3 // the data rows written above
	id := ali.uploadPage("a.xlsx", content)
	p := ali.waitJob(id)
	if p.State != importer.JobReady || p.Outcome != importer.StatusDryRun || p.Rows != rows || p.Percent != 100 {
		t.Errorf("preview done: %+v, want ready, dry_run, %d rows, 100 %%", p, rows)
	}
	if rec := ali.post("/upload/"+id+"/confirm", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s", rec.Code, rec.Body)
	}
	p = ali.waitJob(id)
	if p.State != importer.JobFinished || p.Outcome != importer.StatusCommitted || p.Rows != rows || p.Percent != 100 {
		t.Errorf("commit done: %+v, want finished, committed, %d rows, 100 %%", p, rows)
	}
	dup := ali.uploadPage("again.xlsx", content)
	p = ali.waitJob(dup)
	if p.State != importer.JobReady || p.Outcome != importer.StatusDuplicate || p.Percent != 100 {
		t.Errorf("duplicate done: %+v, want ready, duplicate, 100 %%", p)
	}
}

// TestProgressRefusesInJSON: the progress route is polled by a script; a
// parameter it refuses is refused in JSON, in the request's language.
func TestProgressRefusesInJSON(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	id := ali.uploadPage("a.xlsx", workbook(t, row{"2025-01", "inbound", "", "letter_post", 1, 2}))
	ali.waitJob(id)
	for _, q := range []string{"wait=maybe", "wait=true&wait=true", "nope=1"} {
		for _, l := range []string{"en", "ru"} {
			ali.header.Set("Accept-Language", l)
			rec := ali.get("/upload/" + id + "/progress?" + q)
			var body struct {
				Error      string   `json:"error"`
				Parameters []string `json:"parameters"`
			}
			name := strings.SplitN(q, "=", 2)[0]
			if rec.Code != http.StatusBadRequest || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") || jsonDecode(rec.Body, &body) != nil {
				t.Errorf("%s (%s): %d %s %s, want a JSON 400", q, l, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
				continue
			}
			if !strings.Contains(body.Error, quoted(name, l, true)) {
				t.Errorf("%s (%s): %q does not name %s", q, l, body.Error, name)
			}
			if l == "ru" && !strings.ContainsAny(body.Error, "абвгдеёжзийклмнопрстуфхцчшщыьэюя") {
				t.Errorf("%s (ru): %q is not in Russian", q, body.Error)
			}
		}
	}
	ali.header.Del("Accept-Language")
}

// TestRejectedPageSaysOneError: a file with one error says "1 error", with
// the example number written with the column's marks (an English sheet
// whose column decided nothing: 1,234.5).
func TestRejectedPageSaysOneError(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	id := ali.uploadPage("bad.csv", []byte("Month,\"Letters inbound, kg\",\"Letters outbound, kg\"\n2025-05,100,50\n2025-06,abc,60\n"))
	ali.waitJob(id)
	page := html.UnescapeString(ali.get("/upload/" + id + "?lang=en").Body.String())
	for _, want := range []string{"The file has 1 error and cannot be imported.", "expected a number such as 1,234.5."} {
		if !strings.Contains(page, want) {
			t.Errorf("the page of a file with one error lacks %q:\n%s", want, shorten(page))
		}
	}
}
