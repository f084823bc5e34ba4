package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestAPITotals(t *testing.T) {
	h := newTestServer(t, sampleStore())
	tests := []struct {
		name, query string
		status      int
		want        string // exact JSON, or a substring of the error
	}{
		{"grand total", "from=2025-01&to=2025-06&where=category=letter_post", 200, `{"rows":[{"items":0,"weight_kg":3085}]}`},
		{"by direction", "from=2025-01&to=2025-06&by=direction&where=category=registered_letter", 200,
			`{"rows":[{"direction":"inbound","items":3070,"weight_kg":0},{"direction":"outbound","items":2944,"weight_kg":0}]}`},
		{"by period and direction, fields in order", "from=2025-01&to=2025-01&by=period,direction&where=category=letter_post", 200,
			`{"rows":[{"period":"2025-01","direction":"inbound","items":0,"weight_kg":198},{"period":"2025-01","direction":"outbound","items":0,"weight_kg":287}]}`},
		{"nothing matches", "where=partner=vanuatu_post,category=letter_post", 200, `{"rows":[{"items":0,"weight_kg":0}]}`},
		{"ecommerce tonnage", "where=category=ecommerce,direction=inbound&from=2025-01&to=2025-06", 200, `{"rows":[{"items":0,"weight_kg":226500}]}`},
		{"the dashboard's filter parameters filter too", "category=ecommerce&direction=inbound&from=2025-01&to=2025-06", 200, `{"rows":[{"items":0,"weight_kg":226500}]}`},
		{"both forms, different fields", "where=category=ecommerce&partner=latvijas_pasts&from=2025-01&to=2025-06", 200, `{"rows":[{"items":0,"weight_kg":45300}]}`},
		{"empty filter parameters mean all", "category=&where=category=letter_post&from=2025-01&to=2025-06", 200, `{"rows":[{"items":0,"weight_kg":3085}]}`},
		{"a field given in both forms", "where=category=ecommerce&category=parcel", 400, "category is given twice"},
		{"a field given in both forms, same value", "where=category=ecommerce&category=ecommerce", 400, "category is given twice"},
		{"a parameter given twice", "category=ecommerce&category=parcel", 400, "“category” is given more than once"},
		{"an unknown parameter", "categroy=ecommerce", 400, "“categroy”"},
		{"an unknown filter value", "category=ecomerce", 400, "“category” is “ecomerce”"},
		{"40,000 where values", "where=" + strings.Repeat("partner=x,", 40000), 400, "at most 1000"},
		{"bad field", "by=colour", 400, "unknown field"},
		{"bad where", "where=category", 400, "FIELD=VALUE"},
		{"bad month", "from=2025-1", 400, "YYYY-MM"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := get(t, h, "/api/v1/totals?"+tc.query)
			got := strings.TrimSpace(body(t, r))
			if r.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", r.StatusCode, tc.status, got)
			}
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
				t.Errorf("content type %q", r.Header.Get("Content-Type"))
			}
			if tc.status != http.StatusOK {
				var e struct{ Error string }
				if err := json.Unmarshal([]byte(got), &e); err != nil || !strings.Contains(e.Error, tc.want) {
					t.Errorf("error body %s, want {\"error\":...%s...}", got, tc.want)
				}
				return
			}
			if got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestAPIBatches(t *testing.T) {
	r := get(t, newTestServer(t, sampleStore()), "/api/v1/batches")
	var doc struct {
		Batches []struct {
			ID   int64  `json:"id"`
			File string `json:"file"`
			Live bool   `json:"live"`
		} `json:"batches"`
	}
	if err := json.Unmarshal([]byte(body(t, r)), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Batches) != 1 || doc.Batches[0].File != "uz-cn-post-2025-h1.xlsx" || !doc.Batches[0].Live {
		t.Errorf("batches %+v", doc.Batches)
	}
}

// TestAPIRefusalListsTheParameters: a script that misspells a parameter is
// told the names the route takes.
func TestAPIRefusalListsTheParameters(t *testing.T) {
	r := get(t, newTestServer(t, sampleStore()), "/api/v1/totals?categroy=ecommerce")
	var e struct {
		Error      string
		Parameters []string
	}
	if err := json.Unmarshal([]byte(body(t, r)), &e); err != nil || r.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d, %v", r.StatusCode, err)
	}
	want := []string{"as_of", "by", "category", "direction", "from", "lang", "marketplace", "partner", "to", "where"}
	if strings.Join(e.Parameters, ",") != strings.Join(want, ",") || !strings.Contains(e.Error, "“categroy”") {
		t.Errorf("error %q, parameters %v; want %v", e.Error, e.Parameters, want)
	}
}
