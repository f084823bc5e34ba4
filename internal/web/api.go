package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"postdash/internal/query"
	"postdash/internal/stats"
)

// apiTotals is GET /api/v1/totals: the same answer as `postdash query --json`
// (both use package query). The dashboard's filter parameters are taken too.
func (s *Server) apiTotals(c *gin.Context) {
	q, err := query.ParseURL(c.Query)
	if err != nil {
		s.filterRefusal(c, err)
		return
	}
	if s.notModified(c) {
		return
	}
	q.MaxRows = maxAnswerRows
	q.AsOf, _ = s.asOf(c)
	key := fmt.Sprintf("%+v", q)
	// The answer is encoded once per data version: the widest (every
	// dimension) is 0.9 MB of JSON, which 30 readers would otherwise
	// encode 30 times.
	answer, err := cached(c.Request.Context(), s, "totals.json "+key, func() ([]byte, error) {
		rows, err := s.loadTotals(c.Request.Context(), key, q)
		if err != nil {
			return nil, err
		}
		return json.Marshal(query.Answer(q, rows))
	})
	if errors.Is(err, stats.ErrTooManyRows) {
		c.JSON(http.StatusRequestEntityTooLarge, gin.H{"error": s.cat.T(lang(c), "error.too_large", map[string]string{"limit": itoa(maxAnswerRows)})})
		return
	}
	if err != nil {
		s.logger(c).Error("totals", "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": s.cat.T(lang(c), "api.error.totals", nil)})
		return
	}
	c.Data(http.StatusOK, "application/json; charset=utf-8", answer)
}

// apiBatches is GET /api/v1/batches: every batch, newest first.
func (s *Server) apiBatches(c *gin.Context) {
	if s.notModified(c) {
		return
	}
	bs, err := s.store.Batches(c.Request.Context())
	if err != nil {
		s.logger(c).Error("batches", "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": s.cat.T(lang(c), "api.error.batches", nil)})
		return
	}
	list := query.Batches(bs)
	if _, signedIn := currentUser(c); !signedIn {
		// A public dashboard shows what was imported, not who imported it
		// or the files' fingerprints.
		for i := range list.Batches {
			b := &list.Batches[i]
			b.User, b.SHA256, b.UndoneBy = "", "", ""
		}
	}
	c.JSON(http.StatusOK, list)
}
