package web

import (
	"fmt"
	"html"
	"math"
	"regexp"
	"strings"
	"testing"

	"postdash/internal/sheet"
)

// TestYearOnYearNamesBothRanges: the overview's year-on-year sentence names
// the months compared and the months they are compared with, in every
// language, and its percent is the one computed here from the facts.
func TestYearOnYearNamesBothRanges(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	ali.header.Set(csrfHeader, ali.csrf)
	rows := []row{
		{"2023-01", "inbound", "", "letter_post", 1, 1000}, {"2023-02", "inbound", "", "letter_post", 1, 1000},
		{"2024-01", "inbound", "", "letter_post", 1, 990}, {"2024-02", "inbound", "", "letter_post", 1, 1000},
	}
	if rec := ali.upload("/api/v1/imports", nil, "w.xlsx", workbook(t, rows...)); rec.Code != 200 {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
	var now, before float64
	for _, r := range rows {
		if strings.HasPrefix(r.month, "2024") {
			now += r.kg
		} else {
			before += r.kg
		}
	}
	pct := math.Abs(now/before-1) * 100 // the weight fell: written with −
	for l, want := range map[string]string{
		"en":      fmt.Sprintf("−%.1f\u00a0%%: Jan 2024–Feb 2024 against the same months a year earlier, Jan 2023–Feb 2023", pct),
		"ru":      fmt.Sprintf("−%s\u00a0%%: янв 2024–фев 2024 к тем же месяцам прошлого года, янв 2023–фев 2023", strings.Replace(fmt.Sprintf("%.1f", pct), ".", ",", 1)),
		"uz-Latn": fmt.Sprintf("(yan 2023–fev 2023) nisbatan −%s\u00a0%%", strings.Replace(fmt.Sprintf("%.1f", pct), ".", ",", 1)),
		"uz-Cyrl": fmt.Sprintf("(янв 2023–фев 2023) нисбатан −%s\u00a0%%", strings.Replace(fmt.Sprintf("%.1f", pct), ".", ",", 1)),
	} {
		page := html.UnescapeString(ali.get("/?from=2024-01&to=2024-02&lang=" + l).Body.String())
		if !strings.Contains(page, want) {
			t.Errorf("%s: the overview lacks %q; it says %q", l, want, regexp.MustCompile(`class="change[^<]*`).FindAllString(page, -1))
		}
	}
}
