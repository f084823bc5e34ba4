package store

import (
	"context"
	"errors"
	"fmt"
)

const insertStagedPart = `INSERT INTO staged_facts (job_id, part, data) VALUES ($1, $2, $3)`

const selectStagedParts = `SELECT part, data FROM staged_facts WHERE job_id = $1 AND part >= $2 ORDER BY part LIMIT 1`

const deleteStaged = `DELETE FROM staged_facts WHERE job_id = $1`

// deleteOrphanStaged removes what jobs no longer exist staged.
const deleteOrphanStaged = `DELETE FROM staged_facts WHERE job_id NOT IN (SELECT id FROM jobs)`

// StagePart keeps one part of what job read; see Jobs.
func (s *sqlStore) StagePart(ctx context.Context, job string, part int, data []byte) error {
	if _, err := s.db.exec(ctx, insertStagedPart, job, part, data); err != nil {
		return fmt.Errorf("stage part %d of job %s: %w", part, job, err)
	}
	return nil
}

// StagedParts calls fn with each staged part of job in order, one part in
// memory at a time; see Jobs.
func (s *sqlStore) StagedParts(ctx context.Context, job string, fn func(part int, data []byte) error) error {
	next := 0
	for {
		var part int
		var data []byte
		err := s.db.queryRow(ctx, selectStagedParts, job, next).Scan(&part, &data)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read staged part %d of job %s: %w", next, job, err)
		}
		if err := fn(part, data); err != nil {
			return err
		}
		next = part + 1
	}
}

// DropStaged removes what job staged; see Jobs.
func (s *sqlStore) DropStaged(ctx context.Context, job string) error {
	if _, err := s.db.exec(ctx, deleteStaged, job); err != nil {
		return fmt.Errorf("drop staged facts of job %s: %w", job, err)
	}
	return nil
}
