package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"postdash/internal/auth"
	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

// calendarBackends runs fn on a server over SQLite and, with
// POSTDASH_TEST_POSTGRES set, over a scratch schema of PostgreSQL.
func calendarBackends(t *testing.T, fn func(t *testing.T, e *authEnv)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, calendarEnv(t, filepath.Join(t.TempDir(), "web.db"))) })
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv("POSTDASH_TEST_POSTGRES")
		if dsn == "" {
			t.Skip("POSTDASH_TEST_POSTGRES not set: skipping PostgreSQL")
		}
		fn(t, calendarEnv(t, scratchSchema(t, dsn)))
	})
}

func scratchSchema(t *testing.T, dsn string) string {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	rand.Read(b[:])
	schema := "postdash_web_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, dsn)
		if err == nil {
			defer c.Close(ctx)
			_, _ = c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
		}
	})
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func calendarEnv(t *testing.T, dsn string) *authEnv {
	t.Helper()
	return calendarEnvOf(t, dsn, false)
}

// calendarEnvOf is calendarEnv, of a public dashboard when public.
func calendarEnvOf(t *testing.T, dsn string, public bool) *authEnv {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{DefaultLang: i18n.EN, Public: public}, st, importer.New(st, sheet.Limits{}, nil), cat)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := auth.New(st, auth.Config{Hash: auth.HashParams{Memory: 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct{ name, role string }{{"vera", auth.Viewer}, {"ali", auth.Analyst}, {"adam", auth.Admin}} {
		if _, _, err := svc.CreateUser(ctx, u.name, u.role, testPassword, auth.Actor{User: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	return &authEnv{t: t, st: st, h: s.Handler(), srv: s, svc: svc}
}

// apiImport uploads rows through the import API and fails unless committed.
func apiImport(t *testing.T, c *client, rows ...row) {
	t.Helper()
	rec := c.upload("/api/v1/imports", [][2]string{{"csrf", c.csrf}}, "rows.xlsx", workbook(t, rows...))
	if rec.Code != http.StatusOK {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
}

func getJSON(t *testing.T, c *client, target string, v any) {
	t.Helper()
	rec := c.get(target)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", target, rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
}

// TestScheduleThroughAPI: an admin sets a schedule; the months it names
// that never came are overdue (API and overview, for analysts only); an
// upload turns one "received late" with today's date; a note shows on the
// chart, the trace and the briefing, and the audit log records it all.
func TestScheduleThroughAPI(t *testing.T) {
	calendarBackends(t, func(t *testing.T, e *authEnv) {
		tz, _ := time.LoadLocation(DefaultTimeZone)
		clock := time.Now()
		e.srv.cfg.Now = func() time.Time { return clock }
		ali, adam, vera := e.login("ali"), e.login("adam"), e.login("vera")
		var rows []row
		for m := 1; m <= 6; m++ {
			rows = append(rows, row{fmt.Sprintf("2025-%02d", m), "inbound", "china_post", "parcel", 100 * m, 10})
		}
		apiImport(t, ali, rows...)

		// Only an administrator sets the schedule.
		rule := url.Values{"category": {"parcel"}, "rule": {"day"}, "n": {"15"}, "from": {"2025-01"}}
		if rec := ali.post("/api/v1/schedule", cloneForm(rule)); rec.Code != http.StatusForbidden {
			t.Fatalf("analyst sets a rule: %d", rec.Code)
		}
		if rec := adam.post("/api/v1/schedule", url.Values{"rule": {"weekly"}, "n": {"3"}}); rec.Code != http.StatusBadRequest {
			t.Fatalf("a bad rule: %d %s", rec.Code, rec.Body)
		}
		if rec := adam.post("/api/v1/schedule", cloneForm(rule)); rec.Code != http.StatusOK {
			t.Fatalf("set rule: %d %s", rec.Code, rec.Body)
		}
		var sch struct {
			Schedule []struct {
				Category, Rule, From, Says string
				N                          int
			}
			NextDue string `json:"next_due"`
		}
		getJSON(t, vera, "/api/v1/schedule", &sch)
		if len(sch.Schedule) != 1 || sch.Schedule[0].Says != "day 15 of the next month, from 2025-01" || sch.NextDue == "" {
			t.Fatalf("schedule: %+v", sch)
		}

		// The oracle: every month from July 2025 to the one before this
		// is owed (its 15th of the next month has passed, as it has for
		// every month before the current one except, before the 16th, the
		// last one).
		now := clock.In(tz)
		current := now.Year()*12 + int(now.Month()) - 1
		var want []string
		for i := 2025*12 + 6; i < current; i++ {
			y, m := i/12, i%12+1
			due := time.Date(y, time.Month(m)+1, 15, 0, 0, 0, 0, tz)
			if now.Format("2006-01-02") > due.Format("2006-01-02") {
				want = append(want, fmt.Sprintf("%04d-%02d", y, m))
			}
		}
		var od struct {
			Overdue []struct{ Month, Category, Partner, Due string }
		}
		if rec := vera.get("/api/v1/overdue"); rec.Code != http.StatusForbidden {
			t.Fatalf("a viewer reads what is overdue: %d", rec.Code)
		}
		getJSON(t, ali, "/api/v1/overdue", &od)
		var got []string
		for _, it := range od.Overdue {
			if it.Category != "parcel" || it.Partner != "china_post" {
				t.Fatalf("overdue item %+v", it)
			}
			got = append(got, it.Month)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") || len(want) == 0 {
			t.Fatalf("overdue %v, want %v", got, want)
		}
		if od.Overdue[0].Due != "2025-08-15" {
			t.Fatalf("July 2025 due %s, want 2025-08-15", od.Overdue[0].Due)
		}
		page := ali.get("/").Body.String()
		if !strings.Contains(page, `id="overdue"`) || !strings.Contains(page, "July 2025: was due 15 August 2025") {
			t.Fatalf("the overview does not list July 2025 as overdue for an analyst")
		}
		if strings.Contains(vera.get("/").Body.String(), `id="overdue"`) {
			t.Fatalf("a viewer sees the overdue list")
		}

		// The grid: January–June were received today, after their due dates.
		type grid struct {
			Months []string
			Rows   []struct {
				Category, Partner string
				Cells             []struct {
					Month, State, Due string
					ReceivedDate      string `json:"received_date"`
				}
			}
		}
		cell := func(g grid, month string) (state, date string) {
			for _, r := range g.Rows {
				for _, c := range r.Cells {
					if c.Month == month {
						return c.State, c.ReceivedDate
					}
				}
			}
			return "", ""
		}
		var g grid
		getJSON(t, vera, "/api/v1/completeness", &g)
		today := now.Format("2006-01-02")
		if s, d := cell(g, "2025-03"); s != "late" || d != today {
			t.Fatalf("March 2025: %s %s, want late %s", s, d, today)
		}
		if s, _ := cell(g, "2025-07"); s != "overdue" {
			t.Fatalf("July 2025: %s, want overdue (grid months %v)", s, g.Months)
		}

		// July arrives: late, dated today, and no longer owed.
		apiImport(t, ali, row{"2025-07", "inbound", "china_post", "parcel", 700, 70})
		getJSON(t, vera, "/api/v1/completeness", &g)
		if s, d := cell(g, "2025-07"); s != "late" || d != today {
			t.Fatalf("July 2025 after its upload: %s %s, want late %s", s, d, today)
		}
		getJSON(t, ali, "/api/v1/overdue", &od)
		if len(od.Overdue) != len(want)-1 || od.Overdue[0].Month == "2025-07" {
			t.Fatalf("overdue after July: %+v", od.Overdue)
		}

		// A note: on the chart, in the trace, in the briefing; escaped.
		text := "Spring Festival: operators closed 28 Jan – 4 Feb <b>"
		if rec := vera.post("/api/v1/annotations", url.Values{"month": {"2025-02"}, "text": {text}}); rec.Code != http.StatusForbidden {
			t.Fatalf("a viewer adds a note: %d", rec.Code)
		}
		rec := ali.post("/api/v1/annotations", url.Values{"month": {"2025-02"}, "partner": {"china_post"}, "text": {text}})
		if rec.Code != http.StatusCreated {
			t.Fatalf("add note: %d %s", rec.Code, rec.Body)
		}
		var note struct {
			ID        int64
			Text      string
			CreatedBy string `json:"created_by"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &note)
		if note.Text != text || note.CreatedBy != "ali" {
			t.Fatalf("note %+v", note)
		}
		page = vera.get("/").Body.String()
		if !strings.Contains(page, html.EscapeString(text)) || strings.Contains(page, "<b>") {
			t.Fatalf("the overview does not show the note escaped")
		}
		if !strings.Contains(page, `"markLine"`) || !strings.Contains(page, `"xAxis":"Feb 2025"`) {
			t.Fatalf("no mark line at Feb 2025 on the charts")
		}
		if b := vera.get("/briefing").Body.String(); !strings.Contains(b, "Note on February 2025 (China Post): "+html.EscapeString(text)) {
			t.Fatalf("the briefing has no footnote of the note")
		}
		if tr := vera.get("/trace?measure=parcel&from=2025-02&to=2025-02").Body.String(); !strings.Contains(tr, `id="trace-notes"`) || !strings.Contains(tr, html.EscapeString(text)) {
			t.Fatalf("the trace does not show the note")
		}
		if tr := vera.get("/trace?measure=parcel&from=2025-03&to=2025-03").Body.String(); strings.Contains(tr, `id="trace-notes"`) {
			t.Fatalf("the trace of March shows February's note")
		}
		rec = adam.post(fmt.Sprintf("/api/v1/annotations/%d", note.ID), url.Values{"month": {"2025-02"}, "partner": {"china_post"}, "text": {"Spring Festival"}})
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"updated_by":"adam"`) {
			t.Fatalf("edit note: %d %s", rec.Code, rec.Body)
		}
		ali.header.Set(csrfHeader, ali.csrf)
		if rec := ali.do(http.MethodDelete, fmt.Sprintf("/api/v1/annotations/%d", note.ID), nil, ""); rec.Code != http.StatusOK {
			t.Fatalf("delete note: %d %s", rec.Code, rec.Body)
		}
		var notes struct{ Annotations []any }
		getJSON(t, vera, "/api/v1/annotations", &notes)
		if len(notes.Annotations) != 0 {
			t.Fatalf("notes after delete: %+v", notes)
		}
		evs, err := e.st.Audit(context.Background(), 100)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, ev := range evs {
			seen[ev.Action] = true
		}
		for _, a := range []string{actScheduleSet, actNoteAdd, actNoteEdit, actNoteDelete} {
			if !seen[a] {
				t.Errorf("audit has no %s", a)
			}
		}
	})
}

func cloneForm(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// TestDeleteByIDAnswers: deleting a rule or a note through the API answers
// the id deleted; an id that is no number, or names nothing, is not found
// and deletes nothing.
func TestDeleteByIDAnswers(t *testing.T) {
	calendarBackends(t, func(t *testing.T, e *authEnv) {
		ali, adam := e.login("ali"), e.login("adam")
		apiImport(t, ali, row{"2025-01", "inbound", "china_post", "parcel", 100, 10})
		rule := url.Values{"category": {"parcel"}, "rule": {"day"}, "n": {"15"}, "from": {"2025-01"}}
		rec := adam.post("/api/v1/schedule", rule)
		var sc struct {
			ID int64 `json:"id"`
		}
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &sc) != nil || sc.ID == 0 {
			t.Fatalf("set a rule: %d %s", rec.Code, rec.Body)
		}
		adam.header.Set(csrfHeader, adam.csrf)
		for _, path := range []string{"/api/v1/schedule/abc", "/api/v1/schedule/0", fmt.Sprintf("/api/v1/schedule/%d", sc.ID+100),
			"/api/v1/annotations/abc", "/api/v1/annotations/987654"} {
			if rec := adam.do(http.MethodDelete, path, nil, ""); rec.Code != http.StatusNotFound {
				t.Errorf("DELETE %s: %d %s, want 404", path, rec.Code, rec.Body)
			}
		}
		rec = adam.do(http.MethodDelete, fmt.Sprintf("/api/v1/schedule/%d", sc.ID), nil, "")
		var out struct {
			Deleted int64 `json:"deleted"`
		}
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &out) != nil || out.Deleted != sc.ID {
			t.Fatalf("DELETE the rule: %d %s, want it deleted", rec.Code, rec.Body)
		}
		if rec := adam.do(http.MethodDelete, fmt.Sprintf("/api/v1/schedule/%d", sc.ID), nil, ""); rec.Code != http.StatusNotFound {
			t.Errorf("DELETE the rule again: %d, want 404", rec.Code)
		}
	})
}
