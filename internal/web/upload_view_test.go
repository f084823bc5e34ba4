package web

import (
	"html"
	"strings"
	"testing"

	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/sheet"
)

// TestMeaningText: what the reader took a column to hold is shown in the
// page's language, not as the reader's canonical words.
func TestMeaningText(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cat: cat}
	tests := []struct {
		lang          i18n.Lang
		meaning, want string
	}{
		{i18n.EN, "period", "Period"},
		{i18n.EN, "letter_post inbound kg", "Letter post · Inbound · kg"},
		{i18n.RU, "ecommerce inbound china_post aliexpress t", "Электронная торговля · Входящие · Почта Китая · AliExpress · т"},
		{i18n.RU, "registered_letter outbound items", "Заказные письма · Исходящие · шт."},
		{i18n.RU, "ignored (total)", "столбец итогов: проверяется, не импортируется"},
		{i18n.RU, "items", "Количество"},
		{i18n.UzLatn, "partner", "Hamkor"},
		{i18n.UzCyrl, "parcel Korea t", "Посилкалар · Korea · т"},
	}
	for _, tc := range tests {
		p := Page{Lang: tc.lang, cat: cat}
		if got := meaningText(p, s.locale(tc.lang), tc.meaning); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.lang, tc.meaning, got, tc.want)
		}
	}
}

// TestAccountPagesLocalized: roles and audit actions are named in the
// page's language, and the upload form offers directions by their names.
func TestAccountPagesLocalized(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	adam := env.login("adam")
	tests := []struct {
		path string
		want []string
	}{
		{"/admin/users?lang=ru", []string{"администратор", "аналитик", `<option value="viewer">наблюдатель</option>`}},
		{"/admin/audit?lang=ru", []string{`<td title="login">вход в систему</td>`}},
		{"/upload?lang=uz-Latn", []string{`<option value="inbound">Kiruvchi</option>`, `placeholder="Xitoy pochtasi"`}},
	}
	for _, tc := range tests {
		page := adam.get(tc.path).Body.String()
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %q", tc.path, w)
			}
		}
	}
}

// TestRefusalSaysWhyEachSheetWasSkippedInThePageLanguage: a file where no
// sheet has a header is refused, and the page gives each sheet's reason in
// the reader's language, not in English.
func TestRefusalSaysWhyEachSheetWasSkippedInThePageLanguage(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	id := ali.uploadPage("notes.csv", []byte("Meeting notes;Owner\nbuy paper;Aziz\n"))
	ali.waitJob(id)
	page := html.UnescapeString(ali.get("/upload/" + id + "?lang=ru").Body.String())
	for _, want := range []string{"Ни один лист файла", "пропущен: ни в одной из первых 30 строк"} {
		if !strings.Contains(page, want) {
			t.Errorf("refusal page in Russian lacks %q", want)
		}
	}
	if strings.Contains(page, "was skipped") || strings.Contains(page, "skipped:") {
		t.Errorf("refusal page in Russian carries the English reason:\n%s", page)
	}
}

// TestIssueSumInThePageLanguage: the sum in a total-row warning is written
// with the page language's separators.
func TestIssueSumInThePageLanguage(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	a := &accounts{s: &Server{cat: cat}}
	is := importer.IssueJSON{Key: "import.warning.total_mismatch", Args: map[string]string{"total": "«3 100»", "sum": "3085.5"}}
	for l, want := range map[i18n.Lang]string{i18n.EN: "3,085.5", i18n.RU: "3\u00a0085,5", i18n.UzLatn: "3\u00a0085,5"} {
		if got := a.issueText(l, is); !strings.Contains(got, want) {
			t.Errorf("%s: %q lacks %q", l, got, want)
		}
	}
	if is.Args["sum"] != "3085.5" {
		t.Errorf("issueText changed its argument: %v", is.Args)
	}
}

// The preview shows each table with its range, its layout, what came from
// its title, each stub row's meaning and total, and the accounting line.
func TestPreviewShowsTablesAndTheirSums(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	ali := env.login("ali")
	csv := "Почта Китая, 2025 год\nПоказатель;Январь;Февраль;Итого\nПосылки входящие, шт;100;250;350\nТемп роста, %;;250;\n"
	id := ali.uploadPage("across.csv", []byte(csv))
	ali.waitJob(id)
	page := ali.get("/upload/" + id + "?lang=en").Body.String()
	for _, want := range []string{"Table A1:D4", "months across the columns", "Taken from the titles", "China Post (A1)",
		"350 items", "4 numbers: 2 figures imported, 1 totals checked, 0 parts of a total, 1 derived, 0 ignored, 0 of unknown meaning"} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if t.Failed() {
		i := strings.Index(page, "sheet-table")
		t.Log(page[max(0, i-200):min(len(page), i+3000)])
	}
}
