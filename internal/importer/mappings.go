package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"postdash/internal/sheet"
	"postdash/internal/store"
)

// Audit actions of mappings.
const (
	ActMappingSave   = "mapping.save"   // saved on the confirm of an upload whose choices made it
	ActMappingUpload = "mapping.upload" // uploaded as JSON
	ActMappingDelete = "mapping.delete"
)

// ErrNoMapping is returned for a mapping id that names none.
var ErrNoMapping = errors.New("no such mapping")

// Actor is who acts on a mapping and from where, for the audit log.
type Actor struct {
	User   string
	Remote string
}

// Mappings lists the saved mappings, newest first.
func (im *Importer) Mappings(ctx context.Context) ([]sheet.Mapping, error) {
	list, err := im.store.Mappings(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]sheet.Mapping, 0, len(list))
	for _, sm := range list {
		m, err := fromStored(sm)
		if err != nil {
			im.log.WarnContext(ctx, "a saved mapping cannot be read; it is not applied", "mapping", sm.ID, "err", err)
			continue
		}
		out = append(out, m)
	}
	return out, nil
}

// Mapping returns one saved mapping, or ErrNoMapping.
func (im *Importer) Mapping(ctx context.Context, id int64) (sheet.Mapping, error) {
	sm, err := im.store.Mapping(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return sheet.Mapping{}, ErrNoMapping
	}
	if err != nil {
		return sheet.Mapping{}, err
	}
	return fromStored(sm)
}

// SaveMapping checks m and saves it (replacing the mapping of the same
// header), recording action in the audit log; it returns m as saved.
func (im *Importer) SaveMapping(ctx context.Context, m sheet.Mapping, who Actor, action string) (sheet.Mapping, error) {
	m.Format, m.Version, m.ID, m.Source = sheet.MappingFormat, sheet.MappingVersion, 0, ""
	m.SavedBy, m.SavedAt = who.User, time.Time{} // the store's clock
	if err := m.Check(); err != nil {
		return m, err
	}
	body, err := json.Marshal(m)
	if err != nil {
		return m, fmt.Errorf("encode mapping: %w", err)
	}
	sm := store.StoredMapping{Key: m.Key(), Body: body, SavedBy: m.SavedBy, SavedAt: m.SavedAt}
	if err := im.store.SaveMapping(ctx, &sm); err != nil {
		return m, err
	}
	m.ID, m.SavedAt = sm.ID, sm.SavedAt
	im.audit(ctx, who, action, "mapping "+strconv.FormatInt(m.ID, 10))
	im.log.InfoContext(ctx, "mapping saved", "mapping", m.ID, "user", who.User, "action", action)
	return m, nil
}

// DeleteMapping deletes a saved mapping, recording it in the audit log.
func (im *Importer) DeleteMapping(ctx context.Context, id int64, who Actor) error {
	err := im.store.DeleteMapping(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return ErrNoMapping
	}
	if err != nil {
		return err
	}
	im.audit(ctx, who, ActMappingDelete, "mapping "+strconv.FormatInt(id, 10))
	return nil
}

// ExportMapping is a saved mapping's JSON, as downloaded and uploaded.
func ExportMapping(m sheet.Mapping) ([]byte, error) {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode mapping %d: %w", m.ID, err)
	}
	return append(b, '\n'), nil
}

func (im *Importer) audit(ctx context.Context, who Actor, action, detail string) {
	if err := im.store.AddAudit(ctx, store.AuditEvent{User: who.User, Action: action, Detail: detail, Remote: who.Remote}); err != nil {
		im.log.ErrorContext(ctx, "audit not recorded", "action", action, "user", who.User, "err", err)
	}
}

// fromStored reads a saved mapping, taking id, who and when from the row.
func fromStored(sm store.StoredMapping) (sheet.Mapping, error) {
	m, err := sheet.ParseMapping(sm.Body)
	if err != nil {
		return sheet.Mapping{}, fmt.Errorf("mapping %d: %w", sm.ID, err)
	}
	m.ID, m.SavedBy, m.SavedAt = sm.ID, sm.SavedBy, sm.SavedAt
	return *m, nil
}

// appliedMapping is the first mapping the outcome's tables name.
func appliedMapping(res *sheet.Result) *sheet.MappingRef {
	for _, s := range res.Sheets {
		for _, t := range s.Tables {
			if t.Mapping != nil {
				return t.Mapping
			}
		}
	}
	return nil
}
