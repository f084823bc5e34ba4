package query

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"postdash/internal/postal"
	"postdash/internal/store"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name                string
		from, to, by, where string
		want                store.Query
		wantErr             bool
	}{
		{name: "empty is everything", want: store.Query{}},
		{name: "range", from: "2025-01", to: "2025-06", want: store.Query{From: postal.Month{Year: 2025, Month: 1}, To: postal.Month{Year: 2025, Month: 6}}},
		{name: "by keeps order and drops repeats", by: "category, direction,category", want: store.Query{By: []postal.Field{postal.FieldCategory, postal.FieldDirection}}},
		{name: "where ORs one field", where: "direction=inbound,direction=outbound,partner=china_post",
			want: store.Query{Where: map[postal.Field][]string{postal.FieldDirection: {"inbound", "outbound"}, postal.FieldPartner: {"china_post"}}}},
		{name: "bad month", from: "2025-13", wantErr: true},
		{name: "to before from", from: "2025-06", to: "2025-01", wantErr: true},
		{name: "unknown field", by: "colour", wantErr: true},
		{name: "where without =", where: "inbound", wantErr: true},
		{name: "non-canonical direction", where: "direction=in", wantErr: true},
		{name: "non-canonical category", where: "category=letters", wantErr: true},
		{name: "bad year", where: "year=25", wantErr: true},
		{name: "unknown partner is fine", where: "partner=Korea Post", want: store.Query{Where: map[postal.Field][]string{postal.FieldPartner: {"Korea Post"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.from, tt.to, tt.by, tt.where)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Parse error = %v, wantErr %v", err, tt.wantErr)
			}
			if err == nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestAnswerJSON(t *testing.T) {
	q := store.Query{By: []postal.Field{postal.FieldCategory, postal.FieldDirection}}
	totals := []store.Total{
		{Group: map[postal.Field]string{postal.FieldCategory: "letter_post", postal.FieldDirection: "inbound"}, WeightKg: 1246, HasWeight: true},
		{Group: map[postal.Field]string{postal.FieldCategory: "registered_letter", postal.FieldDirection: "outbound"}, Items: 2944, HasItems: true},
	}
	b, err := json.Marshal(Answer(q, totals))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"rows":[{"category":"letter_post","direction":"inbound","items":0,"weight_kg":1246},{"category":"registered_letter","direction":"outbound","items":2944,"weight_kg":0}]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

func TestAnswerGrandTotalOverNothing(t *testing.T) {
	b, err := json.Marshal(Answer(store.Query{}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"rows":[{"items":0,"weight_kg":0}]}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}

func TestAnswerRoundsFloatNoise(t *testing.T) {
	b, _ := json.Marshal(Answer(store.Query{}, []store.Total{{WeightKg: 0.1 + 0.2, HasWeight: true}}))
	if want := `{"rows":[{"items":0,"weight_kg":0.3}]}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		name    string
		params  map[string]string
		want    store.Query
		wantErr string
	}{
		{name: "a filter parameter is a where condition", params: map[string]string{"category": "ecommerce"},
			want: store.Query{Where: map[postal.Field][]string{postal.FieldCategory: {"ecommerce"}}}},
		{name: "both forms on different fields", params: map[string]string{"where": "direction=inbound,direction=outbound", "partner": "china_post", "from": "2025-01"},
			want: store.Query{From: postal.Month{Year: 2025, Month: 1}, Where: map[postal.Field][]string{postal.FieldDirection: {"inbound", "outbound"}, postal.FieldPartner: {"china_post"}}}},
		{name: "empty means all", params: map[string]string{"category": "", "marketplace": " "}, want: store.Query{}},
		{name: "one field in both forms", params: map[string]string{"where": "category=ecommerce", "category": "parcel"}, wantErr: "category is given twice"},
		{name: "a filter value is checked", params: map[string]string{"direction": "in"}, wantErr: "direction"},
		{name: "where is capped", params: map[string]string{"where": strings.Repeat("partner=x,", MaxWhereValues+1)}, wantErr: "at most 1000"},
		{name: "at the cap is fine", params: map[string]string{"where": strings.Repeat("year=2025,", MaxWhereValues)},
			want: store.Query{Where: map[postal.Field][]string{postal.FieldYear: slices.Repeat([]string{"2025"}, MaxWhereValues)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseURL(func(k string) string { return tt.params[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseURL = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}
