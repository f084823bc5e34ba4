package web

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strconv"

	"github.com/gin-gonic/gin"

	"postdash/internal/importer"
	"postdash/internal/postal"
	"postdash/internal/sheet"
	"postdash/internal/store"
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
// `postdash import --json`. Query: dry_run, direction, partner, marketplace.
func (a *accounts) apiImport(c *gin.Context) {
	ctx := c.Request.Context()
	dir := c.Query("direction")
	if dir != "" && !postal.ValidDirection(dir) {
		c.JSON(http.StatusBadRequest, gin.H{"error": "direction must be inbound, outbound, transit or unspecified"})
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
	defer rec.remove()
	u, _ := currentUser(c)
	// The same gate as the upload page's: a few imports at once in all.
	turn, err := a.s.gate.enter(u.Name)
	if err != nil {
		c.JSON(http.StatusTooManyRequests, gin.H{"error": a.s.cat.T(lang(c), "acct.upload.queue_full", map[string]string{"limit": itoa(maxQueuedPerUser)})})
		return
	}
	defer turn.leave()
	if err := turn.wait(ctx); err != nil {
		return // the client went away while it waited
	}
	storageFailed := func(what string, err error) {
		a.s.logger(c).Error(what, "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": a.s.cat.T(lang(c), "acct.error.storage", nil)})
	}
	out, err := a.s.imp.Import(ctx, importer.Request{
		Path: rec.Path, FileName: rec.Name, User: u.Name, DryRun: dryRun,
		Defaults: sheet.Defaults{Direction: postal.Direction(dir), Partner: c.Query("partner"), Marketplace: c.Query("marketplace")},
	})
	if err != nil {
		storageFailed("api import", err)
		return
	}
	if out.Status == importer.StatusCommitted {
		// A batch lives with its original or not at all: when the original
		// cannot be stored (a full disk), the batch is undone at once.
		// (Storing it first would keep the originals of refused files.)
		if err := a.keepFile(c, rec); err != nil {
			if uerr := a.s.imp.Undo(context.WithoutCancel(ctx), out.Batch, "postdash (original not stored)"); uerr != nil {
				a.s.logger(c).Error("undo a batch whose original was not stored", "batch", out.Batch, "err", uerr)
			}
			storageFailed("keep original", err)
			return
		}
	}
	a.recordImport(ctx, actor(c), out)
	status, ok := importStatus[out.Status]
	if !ok {
		status = http.StatusInternalServerError
	}
	c.JSON(status, out)
}

// keepFile stores the original of a committed upload by its SHA-256.
func (a *accounts) keepFile(c *gin.Context, rec *received) error {
	f, err := os.Open(rec.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	return a.s.store.PutFile(c.Request.Context(), rec.SHA256, rec.Name, f)
}

// apiUndo undoes a batch: 200, 404 when there is none, 409 when already undone.
func (a *accounts) apiUndo(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		c.JSON(http.StatusNotFound, gin.H{"error": "no such batch"})
		return
	}
	err = a.undoBatch(c, id)
	switch {
	case err == nil:
		c.JSON(http.StatusOK, gin.H{"batch": id, "status": "undone"})
	case errors.Is(err, store.ErrNotFound):
		c.JSON(http.StatusNotFound, gin.H{"error": "no such batch"})
	case errors.Is(err, store.ErrAlreadyUndone):
		c.JSON(http.StatusConflict, gin.H{"error": "batch already undone"})
	default:
		a.s.logger(c).Error("api undo", "batch", id, "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "undo failed because of an internal error"})
	}
}
