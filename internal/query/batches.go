package query

import (
	"time"

	"postdash/internal/store"
)

// Batch is one batch as `postdash batches --json` and GET /api/v1/batches
// show it.
type Batch struct {
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

// BatchList is the JSON answer listing batches: {"batches":[...]}.
type BatchList struct {
	Batches []Batch `json:"batches"`
}

// Batches converts store batches to their JSON form, times in UTC.
func Batches(bs []store.Batch) BatchList {
	out := BatchList{Batches: make([]Batch, 0, len(bs))}
	for _, b := range bs {
		sheets := b.Sheets
		if sheets == nil {
			sheets = []string{}
		}
		var undone *time.Time
		if b.UndoneAt != nil {
			u := b.UndoneAt.UTC()
			undone = &u
		}
		out.Batches = append(out.Batches, Batch{ID: b.ID, File: b.FileName, SHA256: b.SHA256, User: b.User,
			CreatedAt: b.CreatedAt.UTC(), Direction: b.Direction, Partner: b.Partner, Marketplace: b.Marketplace,
			Sheets: sheets, Rows: b.Rows, Facts: b.Facts, Items: b.Items, WeightKg: b.WeightKg,
			Live: b.Live(), UndoneAt: undone, UndoneBy: b.UndoneBy})
	}
	return out
}
