package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// checkMappingAcrossInstances: the analyst chooses on B what a column of
// a preview made on A holds, confirms on A, and the mapping that confirm
// saved applies on B to next month's file sent through the API, and to a
// mapping part sent with it once the saved one is deleted.
func checkMappingAcrossInstances(t *testing.T, bin, dsn string, a, b *instance) {
	br := newBrowser(t)
	br.login(a, "admin", adminPassword)
	month := func(m string) []byte {
		return []byte("Month,\"Letters inbound, kg\",Foo bar\n" + m + ",10,1.5\n")
	}
	id := uploadForm(t, br, a, "march.csv", month("2026-03"))
	waitJob(t, br, id, a, b)
	page := br.get(b, "/upload/"+id, http.StatusOK)
	if !strings.Contains(page.body, `id="job-rejected"`) || !strings.Contains(page.body, `id="choose-0-0-C1"`) {
		t.Fatalf("the preview on B does not offer a choice for column C:\n%s", shorten(page.body))
	}
	choice := url.Values{"csrf": {br.csrfOf(page, "job page on B")}, "sheet": {"0"}, "table": {"0"}, "cell": {"C1"},
		"meaning": {"measure"}, "category": {"parcel"}, "direction": {"inbound"}, "unit": {"t"}}
	br.postForm(b, "/upload/"+id+"/map", choice, http.StatusSeeOther)
	if p := waitJob(t, br, id, a, b); p.State != "ready" {
		t.Fatalf("job state %q after the choice", p.State)
	}
	page = br.get(a, "/upload/"+id, http.StatusOK)
	if !strings.Contains(page.body, `id="job-ready"`) {
		t.Fatalf("the preview on A after the choice on B is not ready:\n%s", shorten(page.body))
	}
	br.postForm(a, "/upload/"+id+"/confirm", url.Values{"csrf": {br.csrfOf(page, "job page on A")}}, http.StatusSeeOther)
	if p := waitJob(t, br, id, a, b); p.State != "finished" {
		t.Fatalf("job state %q after the confirm", p.State)
	}

	out := runPostdash(t, bin, dsn, "token", "create", "--label", "mapping test", "admin")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	api := newBrowser(t)
	api.token = strings.TrimSpace(lines[len(lines)-1])
	importOn := func(in *instance, fields [][2]string, name string, content []byte) (int, outcomeJSON) {
		t.Helper()
		ctype, body := multipartBody(fields, name, content)
		r, err := api.do(in, http.MethodPost, "/api/v1/imports?dry_run=1", ctype, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var o outcomeJSON
		_ = json.Unmarshal([]byte(r.body), &o)
		return r.status, o
	}
	status, o := importOn(b, nil, "april.csv", month("2026-04"))
	if status != http.StatusOK || o.Mapping == nil || o.Mapping.SavedBy != "admin" || o.Mapping.ID == 0 {
		t.Fatalf("next month's file through B's API: %d, mapping %+v", status, o.Mapping)
	}
	// Truth by hand: 10 kg of letters and 1.5 t (1,500 kg) of parcels.
	if o.Totals.WeightKg != 1510 {
		t.Errorf("totals %+v, want 1510 kg", o.Totals)
	}
	exported := runPostdash(t, bin, dsn, "mappings", "export", fmt.Sprint(o.Mapping.ID))
	runPostdash(t, bin, dsn, "mappings", "delete", fmt.Sprint(o.Mapping.ID))
	if status, _ = importOn(a, nil, "april.csv", month("2026-04")); status != http.StatusUnprocessableEntity {
		t.Errorf("with the mapping deleted, the file must be rejected again on A: %d", status)
	}
	status, o = importOn(a, [][2]string{{"mapping", exported}}, "april.csv", month("2026-04"))
	if status != http.StatusOK || o.Mapping == nil || o.Totals.WeightKg != 1510 {
		t.Errorf("with a mapping part: %d %+v", status, o)
	}
	for _, bt := range batchesOf(t, api, a) {
		if bt.File == "march.csv" && bt.Live {
			if r, err := api.do(b, http.MethodDelete, fmt.Sprintf("/api/v1/batches/%d", bt.ID), "", nil); err != nil || r.status != http.StatusOK {
				t.Errorf("undo march.csv: %v", err)
			}
		}
	}
}

// outcomeJSON is the part of an import's JSON answer these checks read.
type outcomeJSON struct {
	Status  string
	Mapping *struct {
		ID      int64  `json:"id"`
		SavedBy string `json:"saved_by"`
	}
	Totals struct {
		WeightKg float64 `json:"weight_kg"`
	}
}
