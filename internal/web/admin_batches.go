package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"postdash/internal/auth"
	"postdash/internal/i18n"
	"postdash/internal/importer"
)

// batchView is one line of the batches page.
type batchView struct {
	ID       int64
	User     string
	At       string
	File     string
	Sheets   string
	Rows     string
	Facts    string
	Live     bool
	UndoneAt string
	UndoneBy string
}

// batchesView is the batches page's data.
type batchesView struct {
	Page
	Nav
	Batches []batchView
}

// undoView is the undo confirmation page's data.
type undoView struct {
	Page
	Nav
	Batch batchView
}

func viewBatch(p Page, b importer.Batch) batchView {
	l := p.Lang
	v := batchView{ID: b.ID, User: p.UserName(b.User), At: p.Local(b.CreatedAt), File: b.FileName,
		Sheets: strings.Join(b.Sheets, ", "), Rows: i18n.FormatItems(l, b.Rows), Facts: i18n.FormatItems(l, b.Facts),
		Live: b.Live(), UndoneBy: b.UndoneBy}
	if b.UndoneAt != nil {
		v.UndoneAt = p.Local(*b.UndoneAt)
	}
	return v
}

func (a *accounts) batchesPage(c *gin.Context) {
	bs, err := a.s.store.Batches(c.Request.Context())
	if err != nil {
		a.s.logger(c).Error("batches", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
		return
	}
	v := batchesView{Page: a.s.page(c, "acct.batches.title"), Nav: accountNav(c)}
	for _, b := range bs {
		v.Batches = append(v.Batches, viewBatch(v.Page, b))
	}
	c.Header("Cache-Control", "no-store")
	a.s.html(c, http.StatusOK, "batches.html", v)
}

// batchOf loads the batch of the URL, answering 404 itself when there is none.
func (a *accounts) batchOf(c *gin.Context) (importer.Batch, bool) {
	var b importer.Batch
	if id, err := strconv.ParseInt(c.Param("id"), 10, 64); err == nil {
		b, err = a.s.store.Batch(c.Request.Context(), id)
		if err == nil {
			return b, true
		}
		if !errors.Is(err, importer.ErrNoBatch) {
			a.s.logger(c).Error("read batch", "batch", id, "err", err)
			a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
			return b, false
		}
	}
	if isAPI(c) {
		c.JSON(http.StatusNotFound, gin.H{"error": a.s.cat.T(lang(c), "acct.batches.no_batch", nil)})
	} else {
		a.message(c, http.StatusNotFound, "acct.batches.no_batch", nil)
	}
	return b, false
}

func (a *accounts) undoPage(c *gin.Context) {
	b, ok := a.batchOf(c)
	if !ok {
		return
	}
	if !b.Live() {
		a.message(c, http.StatusConflict, "acct.batches.already_undone", nil)
		return
	}
	p := a.s.page(c, "acct.undo.title")
	a.s.html(c, http.StatusOK, "admin_undo.html", undoView{Page: p, Nav: accountNav(c), Batch: viewBatch(p, b)})
}

// undo takes a batch back and records who did.
func (a *accounts) undo(c *gin.Context) {
	b, ok := a.batchOf(c)
	if !ok {
		return
	}
	if err := a.undoBatch(c, b.ID); err != nil {
		if errors.Is(err, importer.ErrAlreadyUndone) {
			a.message(c, http.StatusConflict, "acct.batches.already_undone", nil)
			return
		}
		a.s.logger(c).Error("undo", "batch", b.ID, "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
		return
	}
	c.Redirect(http.StatusSeeOther, "/batches")
}

func (a *accounts) undoBatch(c *gin.Context, id int64) error {
	who := actor(c)
	if err := a.s.imp.Undo(c.Request.Context(), id, who.User); err != nil {
		return err
	}
	_ = a.auth.Record(c.Request.Context(), who, auth.ActUndo, "batch "+strconv.FormatInt(id, 10))
	return nil
}

// batchFile sends the original file of a batch, found by its SHA-256.
func (a *accounts) batchFile(c *gin.Context) {
	b, ok := a.batchOf(c)
	if !ok {
		return
	}
	rc, _, size, err := a.s.store.OpenFile(c.Request.Context(), b.SHA256)
	if errors.Is(err, importer.ErrNoBatch) {
		a.message(c, http.StatusNotFound, "acct.batches.no_file", nil)
		return
	}
	if err != nil {
		a.s.logger(c).Error("open file", "batch", b.ID, "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
		return
	}
	defer rc.Close()
	name := cleanFileName(b.FileName)
	h := c.Writer.Header()
	h.Set("Content-Type", "application/octet-stream")
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disp == "" {
		disp = "attachment" // a name mime cannot encode: the browser picks one
	}
	h.Set("Content-Disposition", disp)
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	h.Set("Cache-Control", "private, no-store")
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, rc); err != nil {
		a.s.logger(c).Warn("send file", "batch", b.ID, "err", err)
	}
}

// auditView is the audit page's data.
type auditView struct {
	Page
	Nav
	Events []auditRow
}

type auditRow struct {
	At, User, Action, Code, Remote, Detail string
}

// auditLimit is how many events the audit page shows.
const auditLimit = 500

func (a *accounts) auditPage(c *gin.Context) {
	evs, err := a.auth.Audit(c.Request.Context(), auditLimit)
	if err != nil {
		a.s.logger(c).Error("audit", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
		return
	}
	v := auditView{Page: a.s.page(c, "acct.audit.title"), Nav: accountNav(c)}
	for _, e := range evs {
		action := v.TOr("acct.audit.act."+strings.ReplaceAll(e.Action, ".", "_"), e.Action)
		v.Events = append(v.Events, auditRow{v.Local(e.At), v.UserName(e.User), action, e.Action, e.Remote, auditDetail(v.Page, e.Detail)})
	}
	c.Header("Cache-Control", "no-store")
	a.s.html(c, http.StatusOK, "admin_audit.html", v)
}

// auditDetails are the forms of detail the audit log records (in English,
// as the log keeps them), each with the catalog key that says it in the
// reader's language; the submatches fill the key's placeholders in order.
var auditDetails = []struct {
	re   *regexp.Regexp
	key  string
	args []string
}{
	{regexp.MustCompile(`^batch (\d+)$`), "acct.audit.d.batch", []string{"id"}},
	{regexp.MustCompile(`^(.*): (committed|dry_run|rejected|refused|duplicate), (\d+) rows, (\d+) facts, (\d+) errors(?:, batch (\d+))?(?:, sha256 ([0-9a-f]+))?$`), "acct.audit.d.import", []string{"file", "status", "rows", "facts", "errors", "batch", "sha256"}},
	{regexp.MustCompile(`^token (\d+) "(.*)" for (.*)$`), "acct.audit.d.token_create", []string{"id", "label", "user"}},
	{regexp.MustCompile(`^token (\d+)$`), "acct.audit.d.token", []string{"id"}},
	{regexp.MustCompile(`^(.*) \((viewer|analyst|admin)\)$`), "acct.audit.d.user_add", []string{"name", "role"}},
	{regexp.MustCompile(`^(locked out|unknown user|unreadable password hash|wrong password|disabled user)$`), "acct.audit.d.reason", []string{"reason"}},
}

// auditDetail says an audit event's detail in the page's language; a
// detail of another form is shown as recorded.
func auditDetail(p Page, detail string) string {
	for _, d := range auditDetails {
		m := d.re.FindStringSubmatch(detail)
		if m == nil {
			continue
		}
		pairs := make([]string, 0, 2*len(d.args))
		for i, name := range d.args {
			v := m[i+1]
			switch name {
			case "status":
				v = p.TOr("acct.audit.s."+v, v)
			case "role":
				v = p.TOr("acct.role."+v, v)
			case "reason":
				v = p.TOr("acct.audit.r."+strings.ReplaceAll(v, " ", "_"), v)
			}
			pairs = append(pairs, name, v)
		}
		switch d.key {
		case "acct.audit.d.reason":
			return pairs[1]
		case "acct.audit.d.import":
			out := p.Tf(d.key, pairs[:10]...)
			if m[6] != "" {
				out += ", " + p.Tf("acct.audit.d.batch", "id", m[6])
			}
			if m[7] != "" {
				out += ", SHA-256 " + m[7]
			}
			return out
		}
		return p.Tf(d.key, pairs...)
	}
	return detail
}
