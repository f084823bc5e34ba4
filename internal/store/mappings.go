package store

import (
	"context"
	"fmt"
	"time"
)

// StoredMapping is a saved mapping: its JSON as the sheet reader reads it,
// the key of the header it applies to, and who saved it when.
type StoredMapping struct {
	ID      int64
	Key     string // the table's folded header texts, sorted (sheet.HeaderKey)
	Body    []byte // the mapping's JSON
	SavedBy string
	SavedAt time.Time
}

// Mappings keeps the analysts' mappings, shared by every instance.
type Mappings interface {
	// SaveMapping stores m (SavedAt defaults to now), replacing the mapping
	// of the same key if there is one, and sets m.ID and m.SavedAt.
	SaveMapping(ctx context.Context, m *StoredMapping) error
	// Mappings lists every mapping, newest first.
	Mappings(ctx context.Context) ([]StoredMapping, error)
	// Mapping returns one mapping, or ErrNotFound.
	Mapping(ctx context.Context, id int64) (StoredMapping, error)
	// DeleteMapping deletes one mapping; ErrNotFound when there is none.
	DeleteMapping(ctx context.Context, id int64) error
	// SwitchJobParams sets a job's params and moves it from state from to
	// state to, only when it is in state from; it reports whether it did.
	SwitchJobParams(ctx context.Context, id, from, to string, params []byte) (bool, error)
}

const deleteMappingOfKey = `DELETE FROM mappings WHERE header_key = $1`

const insertMapping = `INSERT INTO mappings (header_key, body, saved_by, saved_at) VALUES ($1, $2, $3, $4) RETURNING id`

const selectMappingsNewestFirst = `SELECT id, header_key, body, saved_by, saved_at FROM mappings ORDER BY id DESC`

const selectMapping = `SELECT id, header_key, body, saved_by, saved_at FROM mappings WHERE id = $1`

const deleteMapping = `DELETE FROM mappings WHERE id = $1`

const switchJobParams = `UPDATE jobs SET params = $4, state = $3, updated_at = $5, rows_read = 0, bytes_read = 0 WHERE id = $1 AND state = $2`

// SaveMapping stores a mapping; see Mappings.
func (s *sqlStore) SaveMapping(ctx context.Context, m *StoredMapping) error {
	if m.SavedAt.IsZero() {
		m.SavedAt = s.now()
	}
	err := s.db.write(ctx, func(tx writeTx) error {
		if _, err := tx.exec(ctx, deleteMappingOfKey, m.Key); err != nil {
			return err
		}
		return tx.queryRow(ctx, insertMapping, m.Key, string(m.Body), m.SavedBy, micros(m.SavedAt)).Scan(&m.ID)
	})
	if err != nil {
		return fmt.Errorf("save mapping: %w", err)
	}
	return nil
}

// Mappings lists the mappings; see Mappings.
func (s *sqlStore) Mappings(ctx context.Context) ([]StoredMapping, error) {
	rs, err := s.db.query(ctx, selectMappingsNewestFirst)
	if err != nil {
		return nil, fmt.Errorf("read mappings: %w", err)
	}
	defer rs.Close()
	var out []StoredMapping
	for rs.Next() {
		m, err := scanMapping(rs)
		if err != nil {
			return nil, fmt.Errorf("read mappings: %w", err)
		}
		out = append(out, m)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("read mappings: %w", err)
	}
	return out, nil
}

// Mapping returns one mapping; see Mappings.
func (s *sqlStore) Mapping(ctx context.Context, id int64) (StoredMapping, error) {
	m, err := scanMapping(s.db.queryRow(ctx, selectMapping, id))
	if err != nil {
		return m, fmt.Errorf("read mapping %d: %w", id, err)
	}
	return m, nil
}

// DeleteMapping deletes a mapping; see Mappings.
func (s *sqlStore) DeleteMapping(ctx context.Context, id int64) error {
	n, err := s.db.exec(ctx, deleteMapping, id)
	if err != nil {
		return fmt.Errorf("delete mapping %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("delete mapping %d: %w", id, ErrNotFound)
	}
	return nil
}

// SwitchJobParams sets a job's params as it changes state; see Mappings.
func (s *sqlStore) SwitchJobParams(ctx context.Context, id, from, to string, params []byte) (bool, error) {
	n, err := s.db.exec(ctx, switchJobParams, id, from, to, string(params), micros(s.now()))
	if err != nil {
		return false, fmt.Errorf("switch job %s to %s: %w", id, to, err)
	}
	return n == 1, nil
}

func scanMapping(sc scanner) (StoredMapping, error) {
	var m StoredMapping
	var body string
	var at int64
	if err := sc.Scan(&m.ID, &m.Key, &body, &m.SavedBy, &at); err != nil {
		return m, err
	}
	m.Body, m.SavedAt = []byte(body), fromMicros(at)
	return m, nil
}
