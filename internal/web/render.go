package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"postdash/internal/charts"
	"postdash/internal/i18n"
	"postdash/internal/postal"
	"postdash/internal/stats"
)

// funcs are the template helpers; words come from Page.T.
var funcs = template.FuncMap{
	"inc": func(i int) int { return i + 1 },
}

// Page is what every page template receives.
type Page struct {
	Lang      i18n.Lang
	Title     string
	Langs     []LangLink
	Thousands string
	Decimal   string
	Units     string         // JSON: unit key -> symbol, for the chart formatter
	Zone      string         // the readers' time zone as an offset ("UTC+5"), for column heads
	Traced    bool           // the page lists the batches behind its numbers (the footer says so)
	Vintage   *vintageBanner // the page shows the data as of a time (nil: live)
	Legend    []string       // what the marks of its figures mean, one line per kind shown
	cat       *i18n.Catalogs
	loc       *time.Location
}

// Local writes t as a date and time in the readers' time zone.
func (p Page) Local(t time.Time) string { return t.In(p.loc).Format("2006-01-02 15:04") }

// zoneName names the offset of loc at t: "UTC+5", "UTC−3:30", "UTC".
func zoneName(t time.Time, loc *time.Location) string {
	_, off := t.In(loc).Zone()
	if off == 0 {
		return "UTC"
	}
	sign := "+"
	if off < 0 {
		sign, off = "−", -off
	}
	s := "UTC" + sign + strconv.Itoa(off/3600)
	if m := off % 3600 / 60; m != 0 {
		s += fmt.Sprintf(":%02d", m)
	}
	return s
}

// LangLink is one entry of the language switcher.
type LangLink struct {
	Lang    i18n.Lang
	Name    string
	URL     string
	Current bool
}

// T returns the catalog text of key in the page's language.
func (p Page) T(key string) string { return p.cat.T(p.Lang, key, nil) }

// Tf returns the catalog text of key with its placeholders filled from
// pairs of name and value.
func (p Page) Tf(key string, pairs ...string) string {
	args := map[string]string{}
	for i := 0; i+1 < len(pairs); i += 2 {
		args[pairs[i]] = pairs[i+1]
	}
	return p.cat.T(p.Lang, key, args)
}

// Tn is Tf said of n things: the plural form of key for n in the page's
// language (i18n.Catalogs.N); {count} is n written the language's way.
func (p Page) Tn(key string, n int, pairs ...string) string {
	args := map[string]string{"count": i18n.FormatItems(p.Lang, int64(n))}
	for i := 0; i+1 < len(pairs); i += 2 {
		args[pairs[i]] = pairs[i+1]
	}
	return p.cat.N(p.Lang, key, int64(n), args)
}

// TOr returns the catalog text of key, or fallback when no catalog has it
// (a value stored by a newer version, say).
func (p Page) TOr(key, fallback string) string {
	if t := p.T(key); t != key {
		return t
	}
	return fallback
}

// UserName is how a batch's importer is shown: the sample workbook's import
// by what it is, anyone else by name.
func (p Page) UserName(name string) string {
	if name == sampleUser {
		return p.T("sources.sample_user")
	}
	return name
}

// page builds the common page data of a request.
func (s *Server) page(c *gin.Context, titleKey string) Page {
	l := lang(c)
	th, dec := i18n.NumberJS(l)
	p := Page{Lang: l, Thousands: th, Decimal: dec, cat: s.cat, loc: s.cfg.Location}
	p.Zone = zoneName(time.Now(), p.loc)
	p.Title = p.T(titleKey)
	p.Vintage = s.bannerOf(c, p)
	units := map[stats.Unit]string{}
	for _, u := range []stats.Unit{stats.Kg, stats.Tonnes, stats.Items} {
		units[u] = p.T("unit." + string(u))
	}
	b, _ := json.Marshal(units)
	p.Units = string(b)
	for _, o := range i18n.Langs() {
		q := url.Values{}
		for k, v := range c.Request.URL.Query() {
			q[k] = v
		}
		q.Set("lang", string(o))
		p.Langs = append(p.Langs, LangLink{Lang: o, Name: o.Name(), URL: c.Request.URL.Path + "?" + q.Encode(), Current: o == l})
	}
	return p
}

// locale builds what the charts need to speak l.
func (s *Server) locale(l i18n.Lang) charts.Locale {
	th, dec := i18n.NumberJS(l)
	return charts.Locale{
		T:         func(key string) string { return s.cat.T(l, key, nil) },
		Number:    func(v float64, d int) string { return i18n.FormatNumber(l, v, d) },
		Month:     func(m postal.Month) string { return i18n.MonthShort(l, m.Month) + " " + strconv.Itoa(m.Year) },
		CalMonth:  func(m int) string { return i18n.MonthShort(l, m) },
		Thousands: th,
		Decimal:   dec,
	}
}

// html renders a template into a buffer first, so a template error is a
// clean 500 rather than half a page.
func (s *Server) html(c *gin.Context, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.tpl.ExecuteTemplate(&buf, name, data); err != nil {
		s.logger(c).Error("render", "template", name, "err", err)
		c.String(http.StatusInternalServerError, s.cat.T(lang(c), "api.error.internal", nil))
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

func (s *Server) notFound(c *gin.Context) {
	if isAPI(c) {
		c.JSON(http.StatusNotFound, gin.H{"error": s.cat.T(lang(c), "api.error.not_found", nil)})
		return
	}
	p := s.page(c, "notfound.title")
	s.html(c, http.StatusNotFound, "notfound.html", p)
}
