package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"postdash/internal/auth"
	"postdash/internal/importer"
	"postdash/internal/postal"
	"postdash/internal/store"
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

// upload receives a file, keeps it by its SHA-256 and starts reading it in
// the background; the browser goes to the job's page to watch.
func (a *accounts) upload(c *gin.Context) {
	rec, err := a.readUpload(c)
	var pe *paramError
	if errors.As(err, &pe) {
		a.renderUpload(c, http.StatusBadRequest, pe.text(a.s.cat, lang(c)))
		return
	}
	if err != nil {
		status, key := uploadStatus(err)
		if status == http.StatusForbidden {
			a.deny(c, status, key)
			return
		}
		if status >= 500 {
			a.s.logger(c).Error("upload", "err", err)
		}
		a.renderUpload(c, status, a.s.cat.T(lang(c), key, map[string]string{"limit": itoa(int(a.maxBody >> 20))}))
		return
	}
	p := jobParams{Direction: rec.Fields["direction"], Partner: rec.Fields["partner"], Marketplace: rec.Fields["marketplace"]}
	if p.Direction != "" && !postal.ValidDirection(p.Direction) {
		rec.remove()
		a.renderUpload(c, http.StatusBadRequest, a.s.cat.T(lang(c), "acct.upload.bad_direction", nil))
		return
	}
	u, _ := currentUser(c)
	turn, err := a.s.gate.enter(u.Name)
	if err != nil {
		rec.remove()
		a.renderUpload(c, http.StatusTooManyRequests, a.s.cat.T(lang(c), "acct.upload.queue_full", map[string]string{"limit": itoa(maxQueuedPerUser)}))
		return
	}
	job, err := a.newJob(c, rec, p)
	if err != nil {
		turn.leave()
		rec.remove()
		a.s.logger(c).Error("upload", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.storage", nil) // the original could not be kept
		return
	}
	a.jobs.start(jobRun{job: job, rec: rec, params: p, dryRun: true, who: actor(c), turn: turn})
	c.Redirect(http.StatusSeeOther, "/upload/"+job.ID)
}

// newJob keeps the original file and records a job for it.
func (a *accounts) newJob(c *gin.Context, rec *received, p jobParams) (store.Job, error) {
	ctx := c.Request.Context()
	f, err := os.Open(rec.Path)
	if err != nil {
		return store.Job{}, err
	}
	defer f.Close()
	if err := a.s.store.PutFile(ctx, rec.SHA256, rec.Name, f); err != nil {
		return store.Job{}, err
	}
	params, _ := json.Marshal(p)
	u, _ := currentUser(c)
	job := store.Job{ID: randomID(), User: u.Name, FileName: rec.Name, SHA256: rec.SHA256, Params: params,
		State: jobParsing, TotalBytes: rec.Size}
	if err := a.s.store.CreateJob(ctx, job); err != nil {
		return store.Job{}, err
	}
	return job, nil
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
func (a *accounts) userJob(c *gin.Context) (store.Job, bool) {
	job, err := a.s.store.Job(c.Request.Context(), c.Param("job"))
	u, _ := currentUser(c)
	if err == nil && (job.User == u.Name || auth.Allows(u.Role, auth.Admin)) {
		return a.jobs.reapAbandoned(c.Request.Context(), job, time.Now()), true
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		a.s.logger(c).Error("read job", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
		return job, false
	}
	if isAPI(c) || c.FullPath() == "/upload/:job/progress" {
		c.JSON(http.StatusNotFound, gin.H{"error": "no such upload"})
	} else {
		a.message(c, http.StatusNotFound, "acct.upload.no_job", nil)
	}
	return job, false
}

// progressJSON is what the job page polls.
type progressJSON struct {
	State      string  `json:"state"`
	Rows       int64   `json:"rows"`
	BytesRead  int64   `json:"bytes_read"`
	TotalBytes int64   `json:"total_bytes"`
	Percent    float64 `json:"percent"`
	RowsPerSec float64 `json:"rows_per_sec"`
	Done       bool    `json:"done"`
	Queue      int     `json:"queue,omitempty"` // imports waiting before it, on this instance
}

func progressOf(j store.Job) progressJSON {
	p := progressJSON{State: j.State, Rows: j.Rows, BytesRead: j.BytesRead, TotalBytes: j.TotalBytes}
	if j.TotalBytes > 0 {
		p.Percent = min(100, float64(int(1000*float64(j.BytesRead)/float64(j.TotalBytes)))/10)
	}
	if secs := j.UpdatedAt.Sub(j.CreatedAt).Seconds(); secs > 0 {
		p.RowsPerSec = float64(int(float64(j.Rows) / secs))
	}
	p.Done = j.State != jobParsing && j.State != jobCommitting
	return p
}

func (a *accounts) jobProgress(c *gin.Context) {
	job, ok := a.userJob(c)
	if !ok {
		return
	}
	c.Header("Cache-Control", "no-store")
	p := progressOf(job)
	p.Queue = a.s.gate.position(job.ID)
	c.JSON(http.StatusOK, p)
}

// confirm commits a previewed file. The stored original is read again with
// the same defaults, so the batch holds exactly what the preview showed;
// when live data changed since the preview, a new preview is made instead.
func (a *accounts) confirm(c *gin.Context) {
	ctx := c.Request.Context()
	job, ok := a.userJob(c)
	if !ok {
		return
	}
	var prev jobResult
	if job.State != jobReady || json.Unmarshal(job.Result, &prev) != nil || prev.Outcome.Status != importer.StatusDryRun {
		a.message(c, http.StatusConflict, "acct.upload.not_confirmable", nil)
		return
	}
	var p jobParams
	_ = json.Unmarshal(job.Params, &p)
	dryRun := false
	if v, err := a.s.store.DataVersion(ctx); err == nil && v != prev.DataVersion {
		dryRun = true // live data moved: show the analyst a fresh diff first
	}
	state := jobCommitting
	if dryRun {
		state = jobParsing
	}
	u, _ := currentUser(c)
	turn, err := a.s.gate.enter(u.Name)
	if err != nil {
		a.message(c, http.StatusTooManyRequests, "acct.upload.queue_full", map[string]string{"limit": itoa(maxQueuedPerUser)})
		return
	}
	// Another confirm or a cancel, on this instance or another, may have
	// moved the job since it was read: only one of them wins.
	switched, err := a.s.store.SwitchJobState(ctx, job.ID, jobReady, state, nil)
	if err == nil && !switched {
		turn.leave()
		a.message(c, http.StatusConflict, "acct.upload.not_confirmable", nil)
		return
	}
	var rec *received
	if err == nil {
		if rec, err = a.fetchFile(ctx, job.SHA256, job.FileName); err != nil {
			_, _ = a.s.store.SwitchJobState(ctx, job.ID, state, jobReady, nil) // let the analyst try again
		}
	}
	if err != nil {
		turn.leave()
		a.s.logger(c).Error("confirm", "err", err)
		a.message(c, http.StatusServiceUnavailable, "acct.error.storage", nil)
		return
	}
	_ = a.s.store.UpdateJobProgress(ctx, job.ID, 0, 0, rec.Size)
	run := jobRun{job: job, rec: rec, params: p, dryRun: dryRun, who: actor(c), turn: turn}
	if dryRun {
		run.notice = "acct.job.stale"
	}
	a.jobs.start(run)
	c.Redirect(http.StatusSeeOther, "/upload/"+job.ID)
}

// cancel discards a preview; nothing was written.
func (a *accounts) cancel(c *gin.Context) {
	job, ok := a.userJob(c)
	if !ok {
		return
	}
	switched := job.State == jobCancelled // cancelling twice is harmless
	if job.State == jobReady || job.State == jobParsing || job.State == jobFailed {
		// Only from the state read: a confirm elsewhere may have won meanwhile.
		var err error
		if switched, err = a.s.store.SwitchJobState(c.Request.Context(), job.ID, job.State, jobCancelled, nil); err != nil {
			a.s.logger(c).Error("cancel", "err", err)
			a.message(c, http.StatusServiceUnavailable, "acct.error.internal", nil)
			return
		}
	}
	if !switched {
		a.message(c, http.StatusConflict, "acct.upload.not_cancellable", nil)
		return
	}
	c.Redirect(http.StatusSeeOther, "/upload/"+job.ID)
}
