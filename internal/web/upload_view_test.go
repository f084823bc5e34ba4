package web

import (
	"strings"
	"testing"

	"postdash/internal/i18n"
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
