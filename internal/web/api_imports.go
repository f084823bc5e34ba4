package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"postdash/internal/importer"
	"postdash/internal/postal"
)

// importStatus maps an import's status to the HTTP status the API answers.
var importStatus = map[string]int{
	importer.StatusCommitted: http.StatusOK,
	importer.StatusDryRun:    http.StatusOK,
	importer.StatusRejected:  http.StatusUnprocessableEntity,
	importer.StatusRefused:   http.StatusBadRequest,
	importer.StatusDuplicate: http.StatusConflict,
}

// apiImport imports the multipart field "file" and answers the JSON of
// `postdash import --json`. Query: dry_run, direction, partner, marketplace;
// a field "mapping" before the file may carry a mapping's JSON to apply.
func (a *accounts) apiImport(c *gin.Context) {
	ctx := c.Request.Context()
	dir := c.Query("direction")
	if dir != "" && !postal.ValidDirection(dir) {
		c.JSON(http.StatusBadRequest, gin.H{"error": (&paramError{Name: "direction", Value: dir, Reason: "invalid", Kind: kindDirection}).text(a.s.cat, lang(c))})
		return
	}
	dryRun := false
	if v := c.Query("dry_run"); v != "" {
		var err error
		if dryRun, err = strconv.ParseBool(v); err != nil { // checkParams refused it already: never a silent false
			a.refuseParam(c, &paramError{Name: "dry_run", Value: v, Reason: "invalid", Kind: kindBool})
			return
		}
	}
	rec, err := a.readUpload(c)
	if err != nil {
		if errors.As(err, new(*paramError)) {
			a.refuseParam(c, err)
			return
		}
		status, key := uploadStatus(err)
		if status >= 500 {
			a.s.logger(c).Error("api upload", "err", err)
		}
		c.JSON(status, gin.H{"error": a.s.cat.T(lang(c), key, map[string]string{"limit": itoa(int(a.maxBody >> 20))})})
		return
	}
	u, _ := currentUser(c)
	p := importer.JobParams{Direction: dir, Partner: c.Query("partner"), Marketplace: c.Query("marketplace")}
	up := rec.upload(u.Name, p, a.recorder(actor(c)))
	if js := rec.Fields["mapping"]; js != "" {
		m, err := importer.ParseMapping([]byte(js), "mapping")
		var me *importer.MappingError
		if errors.As(err, &me) {
			rec.remove()
			c.JSON(http.StatusBadRequest, gin.H{"error": a.s.cat.T(lang(c), me.Key, me.Args)})
			return
		}
		up.Mappings = []importer.Mapping{m}
	}
	// The same gate as the upload page's: a few imports at once in all.
	out, err := a.s.jobs.ImportNow(ctx, up, dryRun)
	switch {
	case errors.Is(err, importer.ErrQueueFull):
		c.JSON(http.StatusTooManyRequests, gin.H{"error": importerErrorText(a.s.cat, lang(c), err)})
		return
	case err != nil && ctx.Err() != nil:
		return // the client went away while it waited
	case err != nil:
		a.s.logger(c).Error("api import", "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": a.s.cat.T(lang(c), "acct.error.storage", nil)})
		return
	}
	status, ok := importStatus[out.Status]
	if !ok {
		status = http.StatusInternalServerError
	}
	l := lang(c)
	// Said as the job page says them (numbers written the language's way);
	// an unknown key comes back as itself, so Localize keeps the English.
	c.JSON(status, out.Localize(func(key string, args map[string]string) string {
		return a.issueText(l, importer.IssueJSON{Key: key, Args: args, Text: key})
	}))
}

// apiUndo undoes a batch: 200, 404 when there is none, 409 when already undone.
func (a *accounts) apiUndo(c *gin.Context) {
	l := lang(c)
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": a.s.cat.T(l, "acct.batches.no_batch", nil)})
		return
	}
	err = a.undoBatch(c, id)
	switch {
	case err == nil:
		c.JSON(http.StatusOK, gin.H{"batch": id, "status": "undone"})
	case errors.Is(err, importer.ErrNoBatch):
		c.JSON(http.StatusNotFound, gin.H{"error": a.s.cat.T(l, "acct.batches.no_batch", nil)})
	case errors.Is(err, importer.ErrAlreadyUndone):
		c.JSON(http.StatusConflict, gin.H{"error": a.s.cat.T(l, "acct.batches.already_undone", nil)})
	default:
		a.s.logger(c).Error("api undo", "batch", id, "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": a.s.cat.T(l, "acct.error.internal", nil)})
	}
}
