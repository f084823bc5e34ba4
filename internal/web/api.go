package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"postdash/internal/query"
)

// apiTotals is GET /api/v1/totals: the same answer as `postdash query --json`
// (both use package query).
func (s *Server) apiTotals(c *gin.Context) {
	q, err := query.Parse(c.Query("from"), c.Query("to"), c.Query("by"), c.Query("where"))
	if err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
		return
	}
	if s.notModified(c) {
		return
	}
	rows, err := s.loadTotals(c.Request.Context(), fmt.Sprintf("%+v", q), q)
	if err != nil {
		s.logger(c).Error("totals", "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not read totals"})
		return
	}
	c.JSON(http.StatusOK, query.Answer(q, rows))
}

// batchJSON is one batch in /api/v1/batches.
type batchJSON struct {
	ID          int64      `json:"id"`
	File        string     `json:"file"`
	SHA256      string     `json:"sha256"`
	User        string     `json:"user"`
	CreatedAt   time.Time  `json:"created_at"`
	Direction   string     `json:"direction,omitempty"`
	Partner     string     `json:"partner,omitempty"`
	Marketplace string     `json:"marketplace,omitempty"`
	Sheets      []string   `json:"sheets"`
	Rows        int64      `json:"rows"`
	Facts       int64      `json:"facts"`
	Items       int64      `json:"items"`
	WeightKg    float64    `json:"weight_kg"`
	Live        bool       `json:"live"`
	UndoneAt    *time.Time `json:"undone_at,omitempty"`
	UndoneBy    string     `json:"undone_by,omitempty"`
}

// apiBatches is GET /api/v1/batches: every batch, newest first.
func (s *Server) apiBatches(c *gin.Context) {
	if s.notModified(c) {
		return
	}
	bs, err := s.store.Batches(c.Request.Context())
	if err != nil {
		s.logger(c).Error("batches", "err", err)
		c.JSON(http.StatusInternalServerError, gin.H{"error": "could not read batches"})
		return
	}
	out := make([]batchJSON, 0, len(bs))
	for _, b := range bs {
		sheets := b.Sheets
		if sheets == nil {
			sheets = []string{}
		}
		out = append(out, batchJSON{ID: b.ID, File: b.FileName, SHA256: b.SHA256, User: b.User, CreatedAt: b.CreatedAt.UTC(),
			Direction: b.Direction, Partner: b.Partner, Marketplace: b.Marketplace, Sheets: sheets, Rows: b.Rows,
			Facts: b.Facts, Items: b.Items, WeightKg: b.WeightKg, Live: b.Live(), UndoneAt: b.UndoneAt, UndoneBy: b.UndoneBy})
	}
	c.JSON(http.StatusOK, gin.H{"batches": out})
}
