package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"postdash/internal/auth"
	"postdash/internal/importer"
	"postdash/internal/postal"
)

// uploadView is the upload form's data.
type uploadView struct {
	Page
	Nav
	Directions []string
	MaxMiB     int64
	Error      string
}

func (a *accounts) uploadPage(c *gin.Context) {
	a.renderUpload(c, http.StatusOK, "")
}

func (a *accounts) renderUpload(c *gin.Context, status int, errText string) {
	a.s.html(c, status, "upload.html", uploadView{
		Page: a.s.page(c, "acct.upload.title"), Nav: accountNav(c),
		Directions: []string{string(postal.Inbound), string(postal.Outbound), string(postal.Transit)},
		MaxMiB:     a.maxBody >> 20, Error: errText,
	})
}

// receiveFile reads a page's multipart upload into a temporary file; when it
// cannot, it answers (a refused field, a size limit, a denied role) with
// render or the role refusal and reports false.
func (a *accounts) receiveFile(c *gin.Context, render func(*gin.Context, int, string)) (*received, bool) {
	rec, err := a.readUpload(c)
	var pe *paramError
	if errors.As(err, &pe) {
		render(c, http.StatusBadRequest, pe.text(a.s.cat, lang(c)))
		return nil, false
	}
	if err != nil {
		status, key := uploadStatus(err)
		if status == http.StatusForbidden {
			a.deny(c, status, key)
			return nil, false
		}
		if status >= 500 {
			a.s.logger(c).Error("upload", "err", err)
		}
		render(c, status, a.s.cat.T(lang(c), key, map[string]string{"limit": itoa(int(a.maxBody >> 20))}))
		return nil, false
	}
	return rec, true
}

// upload receives a file, keeps it by its SHA-256 and starts reading it in
// the background; the browser goes to the job's page to watch.
func (a *accounts) upload(c *gin.Context) {
	rec, ok := a.receiveFile(c, a.renderUpload)
	if !ok {
		return
	}
	p := importer.JobParams{Direction: rec.Fields["direction"], Partner: rec.Fields["partner"], Marketplace: rec.Fields["marketplace"]}
	if p.Direction != "" && !postal.ValidDirection(p.Direction) {
		rec.remove()
		a.renderUpload(c, http.StatusBadRequest, a.s.cat.T(lang(c), "acct.upload.bad_direction", nil))
		return
	}
	u, _ := currentUser(c)
	job, err := a.s.jobs.Start(c.Request.Context(), rec.upload(u.Name, p, a.recorder(actor(c))))
	if errors.Is(err, importer.ErrQueueFull) {
		a.renderUpload(c, http.StatusTooManyRequests, importerErrorText(a.s.cat, lang(c), err))
		return
	}
	if err != nil {
		a.s.logger(c).Error("upload", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.storage", nil) // the original could not be kept
		return
	}
	c.Redirect(http.StatusSeeOther, "/upload/"+job.ID)
}

// uploadStatus maps a readUpload error to an HTTP status and a message key.
func uploadStatus(err error) (int, string) {
	switch {
	case errors.Is(err, errTooLarge):
		return http.StatusRequestEntityTooLarge, "acct.upload.too_large"
	case errors.Is(err, errCSRF):
		return http.StatusForbidden, "acct.error.csrf"
	case errors.Is(err, errNoFile):
		return http.StatusBadRequest, "acct.upload.no_file"
	case errors.Is(err, errBadForm):
		return http.StatusBadRequest, "acct.upload.bad_form"
	default:
		return http.StatusInternalServerError, "acct.error.internal"
	}
}

// userJob loads the job of the URL when the user may see it (its owner or
// an administrator); otherwise it answers 404 and returns false.
func (a *accounts) userJob(c *gin.Context) (importer.Job, bool) {
	job, err := a.s.jobs.Get(c.Request.Context(), c.Param("job"))
	u, _ := currentUser(c)
	if err == nil && (job.User == u.Name || auth.Allows(u.Role, auth.Admin)) {
		return job, true
	}
	if err != nil && !errors.Is(err, importer.ErrNoJob) {
		a.s.logger(c).Error("read job", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
		return job, false
	}
	if isAPI(c) || paramsOf(c).JSON {
		c.JSON(http.StatusNotFound, gin.H{"error": importerErrorText(a.s.cat, lang(c), importer.ErrNoJob)})
	} else {
		a.refusal(c, http.StatusNotFound, importer.ErrNoJob)
	}
	return job, false
}

// progressWait is how long a progress poll with wait=true may be held
// for the job to be done.
const progressWait = time.Second

// jobProgress answers a job's progress; with wait=true, as soon as the job is
// done or after progressWait, so the page learns at once that it is.
func (a *accounts) jobProgress(c *gin.Context) {
	job, ok := a.userJob(c)
	if !ok {
		return
	}
	if wait, _ := strconv.ParseBool(c.Query("wait")); wait {
		var err error
		job, err = a.s.jobs.WaitDone(c.Request.Context(), job.ID, progressWait)
		if errors.Is(err, importer.ErrNoJob) { // pruned meanwhile
			c.JSON(http.StatusNotFound, gin.H{"error": importerErrorText(a.s.cat, lang(c), err)})
			return
		}
		if err != nil {
			a.s.logger(c).Error("read job", "err", err)
			c.JSON(http.StatusServiceUnavailable, gin.H{"error": a.s.cat.T(lang(c), "acct.error.internal", nil)})
			return
		}
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, a.s.jobs.ProgressOf(job))
}

// confirm commits a previewed file (or, when live data changed since the
// preview, makes a new preview); the job's page shows which.
func (a *accounts) confirm(c *gin.Context) {
	job, ok := a.userJob(c)
	if !ok {
		return
	}
	err := a.s.jobs.Confirm(c.Request.Context(), job, a.recorder(actor(c)))
	switch {
	case errors.Is(err, importer.ErrNotConfirmable):
		a.refusal(c, http.StatusConflict, err)
	case errors.Is(err, importer.ErrQueueFull):
		a.refusal(c, http.StatusTooManyRequests, err)
	case err != nil:
		a.s.logger(c).Error("confirm", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.storage", nil)
	default:
		c.Redirect(http.StatusSeeOther, "/upload/"+job.ID)
	}
}

// cancel discards a preview; nothing was written.
func (a *accounts) cancel(c *gin.Context) {
	job, ok := a.userJob(c)
	if !ok {
		return
	}
	err := a.s.jobs.Cancel(c.Request.Context(), job)
	switch {
	case errors.Is(err, importer.ErrNotCancellable):
		a.refusal(c, http.StatusConflict, err)
	case err != nil:
		a.s.logger(c).Error("cancel", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
	default:
		c.Redirect(http.StatusSeeOther, "/upload/"+job.ID)
	}
}
