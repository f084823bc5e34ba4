package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"postdash/internal/calendar"
	"postdash/internal/i18n"
	"postdash/internal/postal"
	"postdash/internal/stats"
)

// Audit actions of the calendar.
const (
	actScheduleSet    = "schedule.set"
	actScheduleDelete = "schedule.delete"
	actNoteAdd        = "annotation.add"
	actNoteEdit       = "annotation.edit"
	actNoteDelete     = "annotation.delete"
)

// isNotFound reports whether a calendar record was not there.
func isNotFound(err error) bool { return err != nil && errors.Is(err, calendar.ErrNotFound) }

// scheduleRow is one rule as the schedule page shows it.
type scheduleRow struct {
	ID                      int64
	Partner, Category, Says string
	User, At                string
}

// schedulePage is admin_schedule.html's data.
type schedulePage struct {
	Page
	Nav
	Rules      []scheduleRow
	Categories []option
	Error      string
}

// annotationsPage is annotations.html's data.
type annotationsPage struct {
	Page
	Nav
	Notes      []noteView
	Categories []option
	Error      string
}

// ruleSays writes a rule in the reader's language.
func ruleSays(p Page, sc calendar.Schedule) string {
	s := p.Tf("schedule.says."+sc.Rule, "n", strconv.Itoa(sc.N))
	if !sc.From.IsZero() {
		s += ", " + p.Tf("schedule.says.from", "month", i18n.FormatMonth(p.Lang, sc.From.Year, sc.From.Month))
	}
	return s
}

func (a *accounts) categoryOptions(p Page) []option {
	loc := a.s.locale(p.Lang)
	return options(loc, postal.FieldCategory, stats.CategoryOrder(), "", p.T("filter.all"))
}

// schedulePage is GET /admin/schedule: the rules, and a form to set one.
func (a *accounts) schedulePage(c *gin.Context) { a.renderSchedule(c, http.StatusOK, "") }

func (a *accounts) renderSchedule(c *gin.Context, status int, errText string) {
	rules, err := a.s.store.Schedules(c.Request.Context())
	if err != nil {
		a.s.fail(c, err)
		return
	}
	v := schedulePage{Page: a.s.page(c, "schedule.title"), Nav: accountNav(c), Error: errText}
	v.Categories = a.categoryOptions(v.Page)
	loc := a.s.locale(v.Lang)
	for _, sc := range rules {
		r := scheduleRow{ID: sc.ID, Partner: v.T("filter.all"), Category: v.T("filter.all"), Says: ruleSays(v.Page, sc), User: v.UserName(sc.User), At: v.Local(sc.At)}
		if sc.Partner != "" {
			r.Partner = loc.Label(postal.FieldPartner, sc.Partner)
		}
		if sc.Category != "" {
			r.Category = loc.Label(postal.FieldCategory, sc.Category)
		}
		v.Rules = append(v.Rules, r)
	}
	c.Header("Cache-Control", "no-store")
	a.s.html(c, status, "admin_schedule.html", v)
}

// setRule is POST /admin/schedule and POST /api/v1/schedule.
func (a *accounts) setRule(c *gin.Context) {
	sc, err := calendar.ParseRule(c.PostForm("partner"), c.PostForm("category"), c.PostForm("rule"), c.PostForm("n"), c.PostForm("from"))
	if err != nil {
		a.refuse(c, "schedule.error.rule", err)
		return
	}
	sc.User = actor(c).User
	sc, err = a.s.store.PutSchedule(c.Request.Context(), sc)
	if err != nil {
		a.s.fail(c, err)
		return
	}
	_ = a.auth.Record(c.Request.Context(), actor(c), actScheduleSet, scopeText(sc.Partner, sc.Category)+": "+calendar.Says(sc))
	if isAPI(c) {
		c.JSON(http.StatusOK, calendar.RulesJSON([]calendar.Schedule{sc}, true)[0])
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/schedule?lang="+string(lang(c)))
}

// deleteRule is POST /admin/schedule/:id/delete and DELETE /api/v1/schedule/:id.
func (a *accounts) deleteRule(c *gin.Context) {
	id, sc, ok := deleteByID(a, c, a.s.store.DeleteSchedule)
	if !ok {
		return
	}
	_ = a.auth.Record(c.Request.Context(), actor(c), actScheduleDelete, scopeText(sc.Partner, sc.Category)+": "+calendar.Says(sc))
	if isAPI(c) {
		c.JSON(http.StatusOK, gin.H{"deleted": id})
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/schedule?lang="+string(lang(c)))
}

func scopeText(partner, category string) string {
	if partner == "" {
		partner = "all"
	}
	if category == "" {
		category = "all"
	}
	return "partner " + partner + ", category " + category
}

// refuse answers a form or API call whose input is wrong: 400 with the
// sentence of key in the request's language, which says what the input
// must be (err, in English, goes to the log only).
func (a *accounts) refuse(c *gin.Context, key string, err error) {
	a.s.logger(c).Info("calendar input refused", "path", c.Request.URL.Path, "err", err)
	text := a.s.cat.T(lang(c), key, nil)
	if isAPI(c) {
		c.AbortWithStatusJSON(http.StatusBadRequest, gin.H{"error": text})
		return
	}
	if c.FullPath() == "/admin/schedule" {
		a.renderSchedule(c, http.StatusBadRequest, text)
		return
	}
	a.renderNotes(c, http.StatusBadRequest, text)
}

func (a *accounts) notFoundHere(c *gin.Context) {
	if isAPI(c) {
		c.AbortWithStatusJSON(http.StatusNotFound, gin.H{"error": a.s.cat.T(lang(c), "api.error.not_found", nil)})
		return
	}
	a.message(c, http.StatusNotFound, "calendar.error.notfound", nil)
}

// notesPage is GET /annotations: every note, a form to add one, and each one's edit and delete.
func (a *accounts) notesPage(c *gin.Context) { a.renderNotes(c, http.StatusOK, "") }

func (a *accounts) renderNotes(c *gin.Context, status int, errText string) {
	notes, err := a.s.store.Annotations(c.Request.Context(), postal.Month{}, postal.Month{})
	if err != nil {
		a.s.fail(c, err)
		return
	}
	v := annotationsPage{Page: a.s.page(c, "annotations.title"), Nav: accountNav(c), Error: errText}
	v.Categories = a.categoryOptions(v.Page)
	loc := a.s.locale(v.Lang)
	for i := len(notes) - 1; i >= 0; i-- { // newest months first
		v.Notes = append(v.Notes, viewNote(v.Page, loc, notes[i], true))
	}
	c.Header("Cache-Control", "no-store")
	a.s.html(c, status, "annotations.html", v)
}

// addNote is POST /annotations and POST /api/v1/annotations.
func (a *accounts) addNote(c *gin.Context) {
	n, err := calendar.ParseNote(c.PostForm("month"), c.PostForm("partner"), c.PostForm("category"), c.PostForm("text"))
	if err != nil {
		a.refuse(c, "annotations.error", err)
		return
	}
	n.CreatedBy = actor(c).User
	n, err = a.s.store.AddAnnotation(c.Request.Context(), n)
	if err != nil {
		a.s.fail(c, err)
		return
	}
	_ = a.auth.Record(c.Request.Context(), actor(c), actNoteAdd, noteDetail(n))
	a.noteDone(c, http.StatusCreated, n)
}

// editNote is POST /annotations/:id and POST /api/v1/annotations/:id.
func (a *accounts) editNote(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		a.notFoundHere(c)
		return
	}
	n, err := calendar.ParseNote(c.PostForm("month"), c.PostForm("partner"), c.PostForm("category"), c.PostForm("text"))
	if err != nil {
		a.refuse(c, "annotations.error", err)
		return
	}
	n.ID = id
	n, err = a.s.store.UpdateAnnotation(c.Request.Context(), n, actor(c).User)
	switch {
	case isNotFound(err):
		a.notFoundHere(c)
		return
	case err != nil:
		a.s.fail(c, err)
		return
	}
	_ = a.auth.Record(c.Request.Context(), actor(c), actNoteEdit, noteDetail(n))
	a.noteDone(c, http.StatusOK, n)
}

// deleteNote is POST /annotations/:id/delete and DELETE /api/v1/annotations/:id.
func (a *accounts) deleteNote(c *gin.Context) {
	id, n, ok := deleteByID(a, c, a.s.store.DeleteAnnotation)
	if !ok {
		return
	}
	_ = a.auth.Record(c.Request.Context(), actor(c), actNoteDelete, noteDetail(n))
	if isAPI(c) {
		c.JSON(http.StatusOK, gin.H{"deleted": id})
		return
	}
	c.Redirect(http.StatusSeeOther, "/annotations?lang="+string(lang(c)))
}

func (a *accounts) noteDone(c *gin.Context, status int, n calendar.Annotation) {
	if isAPI(c) {
		c.JSON(status, calendar.AnnotationsJSON([]calendar.Annotation{n}, true)[0])
		return
	}
	c.Redirect(http.StatusSeeOther, "/annotations?lang="+string(lang(c)))
}

// noteDetail is what the audit log keeps of a note: its id, month, scope and text.
func noteDetail(n calendar.Annotation) string {
	return "note " + strconv.FormatInt(n.ID, 10) + ", " + n.Month.String() + ", " + scopeText(n.Partner, n.Category) + ": " + n.Text
}

// apiSchedule is GET /api/v1/schedule: the rules and the next due date.
func (s *Server) apiSchedule(c *gin.Context) {
	ctx := c.Request.Context()
	rules, err := s.store.Schedules(ctx)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	_, signedIn := currentUser(c)
	out := calendar.ScheduleJSON{Schedule: calendar.RulesJSON(rules, signedIn)}
	v, err := s.calendarOfAll(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	if v != nil && !v.NextDue.IsZero() {
		out.NextDue, out.ForMonth = v.NextDue.Format("2006-01-02"), v.NextMonth.String()
	}
	c.JSON(http.StatusOK, out)
}

// apiOverdue is GET /api/v1/overdue: every month a category and partner
// owes, oldest first (analysts).
func (s *Server) apiOverdue(c *gin.Context) {
	v, err := s.calendarOfAll(c)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	out := calendar.OverdueJSON{Today: s.today(), Overdue: []calendar.OverdueItemJSON{}}
	if v != nil {
		out.Overdue = calendar.OverdueItemsJSON(v.Overdue)
	}
	c.JSON(http.StatusOK, out)
}

// apiCompleteness is GET /api/v1/completeness: the overview's grid for the
// filter, each month's state against the schedule.
func (s *Server) apiCompleteness(c *gin.Context) {
	f, err := stats.ParseFilter(c.Query)
	if err != nil {
		s.filterRefusal(c, err)
		return
	}
	o, _, err := s.loadView(c.Request.Context(), f)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	g := calendar.GridJSON{Months: []string{}, Rows: []calendar.GridRowJSON{}}
	if !o.Empty {
		v, err := s.loadCalendar(c.Request.Context(), f, o)
		if err != nil {
			s.apiFail(c, err)
			return
		}
		g = calendar.GridToJSON(v.Grid, s.cfg.Location)
	}
	c.JSON(http.StatusOK, g)
}

// apiAnnotations is GET /api/v1/annotations: the notes on months, for the filter.
func (s *Server) apiAnnotations(c *gin.Context) {
	f, err := stats.ParseFilter(c.Query)
	if err != nil {
		s.filterRefusal(c, err)
		return
	}
	notes, err := s.notesOf(c.Request.Context(), f)
	if err != nil {
		s.apiFail(c, err)
		return
	}
	_, signedIn := currentUser(c)
	c.JSON(http.StatusOK, gin.H{"annotations": calendar.AnnotationsJSON(notes, signedIn)})
}

// calendarOfAll is the calendar of the whole dashboard (nil when it holds no data).
func (s *Server) calendarOfAll(c *gin.Context) (*calendar.View, error) {
	o, _, err := s.loadView(c.Request.Context(), stats.Filter{})
	if err != nil || o.Empty {
		return nil, err
	}
	return s.loadCalendar(c.Request.Context(), stats.Filter{}, o)
}

func (s *Server) apiFail(c *gin.Context, err error) {
	s.logger(c).Error("request failed", "path", c.Request.URL.Path, "err", err)
	c.JSON(http.StatusInternalServerError, gin.H{"error": s.cat.T(lang(c), "api.error.internal", nil)})
}

// installCalendar registers the schedule, the notes on months and their API.
func (a *accounts) installCalendar(r *gin.Engine) {
	r.GET("/admin/schedule", a.schedulePage)
	r.POST("/admin/schedule", a.setRule)
	r.POST("/admin/schedule/:id/delete", a.deleteRule)
	r.GET("/annotations", a.notesPage)
	r.POST("/annotations", a.addNote)
	r.POST("/annotations/:id", a.editNote)
	r.POST("/annotations/:id/delete", a.deleteNote)
	r.GET("/api/v1/schedule", a.s.apiSchedule)
	r.POST("/api/v1/schedule", a.setRule)
	r.DELETE("/api/v1/schedule/:id", a.deleteRule)
	r.GET("/api/v1/overdue", a.s.apiOverdue)
	r.GET("/api/v1/completeness", a.s.apiCompleteness)
	r.GET("/api/v1/annotations", a.s.apiAnnotations)
	r.POST("/api/v1/annotations", a.addNote)
	r.POST("/api/v1/annotations/:id", a.editNote)
	r.DELETE("/api/v1/annotations/:id", a.deleteNote)
}

// deleteByID deletes the row named by the route's :id with del, answering
// not found (an id that is no number, or no such row) or the failure
// itself; it returns the id and the row deleted, and reports whether the caller goes on to answer the deletion.
func deleteByID[T any](a *accounts, c *gin.Context, del func(context.Context, int64) (T, error)) (int64, T, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	var v T
	if err == nil {
		v, err = del(c.Request.Context(), id)
	}
	switch {
	case err != nil && (isNotFound(err) || id == 0):
		a.notFoundHere(c)
		return id, v, false
	case err != nil:
		a.s.fail(c, err)
		return id, v, false
	}
	return id, v, true
}
