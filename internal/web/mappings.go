package web

import (
	"errors"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"postdash/internal/importer"
	"postdash/internal/postal"
)

// maxMappingBytes caps a mapping's JSON, uploaded or sent with an import.
const maxMappingBytes = 256 << 10

// mappingsView is the mappings page: every saved mapping, its header and
// choices, with download and delete.
type mappingsView struct {
	Page
	Nav
	Mappings []mappingView
	Error    string
}

type mappingView struct {
	ID      int64
	SavedBy string
	SavedOn string
	Header  string
	Choices []string
}

// mappingRefText is "mapping 3, saved by dilnoza on 2025-04-02", or the
// file or preview an unsaved mapping comes from.
func mappingRefText(p Page, m *importer.MappingRef) string {
	if m == nil {
		return ""
	}
	if m.ID == 0 {
		if m.Source == "preview" {
			return p.T("map.ref.preview")
		}
		return p.Tf("map.ref.file", "file", m.Source)
	}
	return p.Tf("map.ref.saved", "id", strconv.FormatInt(m.ID, 10), "user", m.SavedBy, "date", m.SavedAt.Format("2006-01-02"))
}

func (a *accounts) mappingsPage(c *gin.Context) { a.renderMappings(c, http.StatusOK, "") }

func (a *accounts) renderMappings(c *gin.Context, status int, errText string) {
	list, err := a.s.imp.Mappings(c.Request.Context())
	if err != nil {
		a.s.logger(c).Error("mappings", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
		return
	}
	v := mappingsView{Page: a.s.page(c, "map.title"), Nav: accountNav(c), Error: errText}
	loc := a.s.locale(v.Lang)
	for _, m := range list {
		mv := mappingView{ID: m.ID, SavedBy: m.SavedBy, SavedOn: m.SavedAt.Format("2006-01-02"), Header: strings.Join(m.Header, " | ")}
		for _, ch := range m.Columns {
			mv.Choices = append(mv.Choices, ch.Header+": "+choiceMeaning(v.Page, loc, ch))
		}
		for _, r := range m.Rows {
			ch := importer.ColumnChoice{Meaning: r.Meaning, Category: r.Category, Direction: r.Direction, Partner: r.Partner,
				Marketplace: r.Marketplace, Unit: r.Unit, Multiplier: r.Multiplier}
			mv.Choices = append(mv.Choices, r.Label+": "+choiceMeaning(v.Page, loc, ch))
		}
		v.Mappings = append(v.Mappings, mv)
	}
	c.Header("Cache-Control", "no-store")
	a.s.html(c, status, "mappings.html", v)
}

// choiceMeaning writes a choice in the page's language.
func choiceMeaning(p Page, loc interface {
	Label(postal.Field, string) string
}, ch importer.ColumnChoice) string {
	if ch.Meaning != "measure" {
		return p.T("map.meaning." + ch.Meaning)
	}
	parts := []string{}
	for _, f := range []struct {
		field postal.Field
		v     string
	}{{postal.FieldCategory, ch.Category}, {postal.FieldDirection, ch.Direction}, {postal.FieldPartner, ch.Partner}, {postal.FieldMarketplace, ch.Marketplace}} {
		if f.v != "" {
			parts = append(parts, loc.Label(f.field, f.v))
		}
	}
	if ch.Unit != "" {
		u := p.T("map.unit." + ch.Unit)
		if ch.Multiplier > 1 {
			u = "× " + strconv.FormatFloat(ch.Multiplier, 'f', -1, 64) + " " + u
		}
		parts = append(parts, u)
	}
	if ch.Year != 0 {
		parts = append(parts, strconv.Itoa(ch.Year))
	}
	return strings.Join(parts, " · ")
}

// mappingOf loads the mapping of the URL, answering 404 itself when there is none.
func (a *accounts) mappingOf(c *gin.Context) (importer.Mapping, bool) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	var m importer.Mapping
	if err == nil {
		m, err = a.s.imp.Mapping(c.Request.Context(), id)
		if err == nil {
			return m, true
		}
	}
	if err != nil && !errors.Is(err, importer.ErrNoMapping) && !errors.Is(err, strconv.ErrSyntax) && !errors.Is(err, strconv.ErrRange) {
		a.s.logger(c).Error("read mapping", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
		return m, false
	}
	a.message(c, http.StatusNotFound, "map.none_such", nil)
	return m, false
}

// mappingJSON downloads a mapping as its JSON file.
func (a *accounts) mappingJSON(c *gin.Context) {
	m, ok := a.mappingOf(c)
	if !ok {
		return
	}
	b, err := importer.ExportMapping(m)
	if err != nil {
		a.message(c, http.StatusInternalServerError, "acct.error.internal", nil)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="postdash-mapping-`+strconv.FormatInt(m.ID, 10)+`.json"`)
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
}

// deleteMapping deletes a mapping; the audit log records it.
func (a *accounts) deleteMapping(c *gin.Context) {
	m, ok := a.mappingOf(c)
	if !ok {
		return
	}
	who := actor(c)
	if err := a.s.imp.DeleteMapping(c.Request.Context(), m.ID, importer.Actor{User: who.User, Remote: who.Remote}); err != nil && !errors.Is(err, importer.ErrNoMapping) {
		a.s.logger(c).Error("delete mapping", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
		return
	}
	c.Redirect(http.StatusSeeOther, "/mappings")
}

// uploadMapping saves a mapping uploaded as JSON (field "file").
func (a *accounts) uploadMapping(c *gin.Context) {
	rec, ok := a.receiveFile(c, a.renderMappings)
	if !ok {
		return
	}
	defer rec.remove()
	b, err := readSmall(rec.Path)
	if err != nil {
		a.renderMappings(c, http.StatusBadRequest, a.s.cat.T(lang(c), "map.too_large", nil))
		return
	}
	m, err := importer.ParseMapping(b, rec.Name)
	if err == nil {
		who := actor(c)
		_, err = a.s.imp.SaveMapping(c.Request.Context(), m, importer.Actor{User: who.User, Remote: who.Remote}, importer.ActMappingUpload)
	}
	if err != nil {
		var me *importer.MappingError
		if errors.As(err, &me) {
			a.renderMappings(c, http.StatusBadRequest, a.s.cat.T(lang(c), me.Key, me.Args))
			return
		}
		a.s.logger(c).Error("save mapping", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
		return
	}
	c.Redirect(http.StatusSeeOther, "/mappings")
}

// readSmall reads a file of at most maxMappingBytes.
func readSmall(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxMappingBytes+1))
	if err == nil && len(b) > maxMappingBytes {
		err = errors.New("mapping too large")
	}
	return b, err
}

// remap applies the analyst's choice for one column of the preview: the
// same job reads its file again, and the page shows the new preview.
func (a *accounts) remap(c *gin.Context) {
	job, ok := a.userJob(c)
	if !ok {
		return
	}
	si, err1 := strconv.Atoi(c.PostForm("sheet"))
	ti, err2 := strconv.Atoi(c.PostForm("table"))
	mult := 0.0
	if v := c.PostForm("multiplier"); v != "" {
		mult, _ = strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
	}
	year, _ := strconv.Atoi(c.PostForm("year"))
	ch := importer.ColumnChoice{Meaning: c.PostForm("meaning")}
	if ch.Meaning == "measure" {
		ch.Category, ch.Direction, ch.Partner, ch.Marketplace = c.PostForm("category"), c.PostForm("direction"), c.PostForm("partner"), c.PostForm("marketplace")
		ch.Unit, ch.Multiplier, ch.Year = c.PostForm("unit"), mult, year
	}
	if err1 != nil || err2 != nil {
		a.refusal(c, http.StatusBadRequest, importer.ErrNoTable)
		return
	}
	err := a.s.jobs.Remap(c.Request.Context(), job, si, ti, c.PostForm("cell"), ch)
	var me *importer.MappingError
	switch {
	case errors.As(err, &me):
		a.message(c, http.StatusBadRequest, me.Key, me.Args)
	case errors.Is(err, importer.ErrNoTable):
		a.refusal(c, http.StatusBadRequest, err)
	case errors.Is(err, importer.ErrNotConfirmable):
		a.refusal(c, http.StatusConflict, err)
	case errors.Is(err, importer.ErrQueueFull):
		a.refusal(c, http.StatusTooManyRequests, err)
	case err != nil:
		a.s.logger(c).Error("remap", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.storage", nil)
	default:
		c.Redirect(http.StatusSeeOther, "/upload/"+job.ID)
	}
}

// The fields of a choice in the preview (remap).
var (
	kindInt        = kind{"int", "0, 1, 2…", func(s string) bool { n, err := strconv.Atoi(s); return err == nil && n >= 0 }}
	kindChoice     = kind{"choice", strings.Join(importer.ChoiceMeanings, ", "), func(s string) bool { return slices.Contains(importer.ChoiceMeanings, s) }}
	kindUnit       = kind{"unit", strings.Join(importer.MappingUnits, ", "), func(s string) bool { return slices.Contains(importer.MappingUnits, s) }}
	kindMultiplier = kind{"multiplier", "1, 1000, 1000000", func(s string) bool { v, err := strconv.ParseFloat(s, 64); return err == nil && v >= 0 }}
	kindYear       = kind{"year", "1990…2100", func(s string) bool { n, err := strconv.Atoi(s); return err == nil && n >= 1990 && n <= 2100 }}
	kindMapping    = kind{ok: func(s string) bool { return len(s) <= maxMappingBytes && utf8.ValidString(s) }}
	remapForm      = params{csrfField: kindText, "sheet": kindInt, "table": kindInt, "cell": kindText, "meaning": kindChoice,
		"category": kindCategory, "direction": kindDirection, "partner": kindText, "marketplace": kindText,
		"unit": kindUnit, "multiplier": kindMultiplier, "year": kindYear}
)

// choiceOptions are the values the preview's controls offer, named in the
// page's language.
type choiceOptions struct {
	Meanings, RowMeanings, Categories, Directions, Units []choiceOption
}

type choiceOption struct{ Value, Label string }

func choiceOptionsOf(p Page, loc interface {
	Label(postal.Field, string) string
}) choiceOptions {
	var o choiceOptions
	for _, m := range importer.RowMeanings {
		o.RowMeanings = append(o.RowMeanings, choiceOption{m, p.T("map.meaning." + m)})
	}
	for _, m := range importer.ChoiceMeanings {
		o.Meanings = append(o.Meanings, choiceOption{m, p.T("map.meaning." + m)})
	}
	for _, c := range postal.Categories {
		o.Categories = append(o.Categories, choiceOption{string(c), loc.Label(postal.FieldCategory, string(c))})
	}
	for _, d := range postal.Directions {
		o.Directions = append(o.Directions, choiceOption{string(d), loc.Label(postal.FieldDirection, string(d))})
	}
	for _, u := range importer.MappingUnits {
		o.Units = append(o.Units, choiceOption{u, p.T("map.unit." + u)})
	}
	return o
}
