package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

const insertJob = `INSERT INTO jobs (id, user_name, file_name, sha256, params, state, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`

const updateJobProgress = `UPDATE jobs SET rows_read = $2, bytes_read = $3, total_bytes = $4, updated_at = $5 WHERE id = $1`

const updateJobState = `UPDATE jobs SET state = $2, updated_at = $3 WHERE id = $1`

const updateJobStateAndResult = `UPDATE jobs SET state = $2, updated_at = $3, result = $4 WHERE id = $1`

// switchJobState changes a job's state only when it is still in the state
// the caller saw, so that of two instances acting on one job only one wins.
const switchJobState = `UPDATE jobs SET state = $3, updated_at = $4 WHERE id = $1 AND state = $2`

const switchJobStateAndResult = `UPDATE jobs SET state = $3, updated_at = $4, result = $5 WHERE id = $1 AND state = $2`

const selectJobExists = `SELECT 1 FROM jobs WHERE id = $1`

const selectJobByID = `SELECT id, user_name, file_name, sha256, params, state, created_at, updated_at,
    rows_read, bytes_read, total_bytes, result
FROM jobs WHERE id = $1`

// CreateJob stores a new background import; see Jobs.
func (s *sqlStore) CreateJob(ctx context.Context, j Job) error {
	now := s.now()
	if j.CreatedAt.IsZero() {
		j.CreatedAt = now
	}
	params := string(j.Params)
	if params == "" {
		params = "null"
	}
	// Inside a write, behind every other writer: a job is created either
	// before a file's drop begins (which then sees the job and keeps the
	// file) or after that drop committed (and the PutFile after it finds no
	// file and stores it again). A plain insert under READ COMMITTED could
	// land while a drop that cannot see it is still going, and the job's
	// PutFile find the row that drop is deleting.
	err := s.db.write(ctx, func(tx writeTx) error {
		_, err := tx.exec(ctx, insertJob, j.ID, j.User, j.FileName, j.SHA256, params, j.State, micros(j.CreatedAt), micros(now))
		return err
	})
	if s.db.isUniqueViolation(err) {
		err = ErrConflict
	}
	if err != nil {
		return fmt.Errorf("create job %s: %w", j.ID, err)
	}
	return nil
}

// UpdateJobProgress records how far a job has read.
func (s *sqlStore) UpdateJobProgress(ctx context.Context, id string, rows, bytesRead, totalBytes int64) error {
	n, err := s.db.exec(ctx, updateJobProgress, id, rows, bytesRead, totalBytes, micros(s.now()))
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("update progress of job %s: %w", id, err)
	}
	return nil
}

// SetJobState records a job's state and, when not nil, its result.
func (s *sqlStore) SetJobState(ctx context.Context, id, state string, result []byte) error {
	var n int64
	var err error
	if result == nil {
		n, err = s.db.exec(ctx, updateJobState, id, state, micros(s.now()))
	} else {
		n, err = s.db.exec(ctx, updateJobStateAndResult, id, state, micros(s.now()), string(result))
	}
	if err == nil && n == 0 {
		err = ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("set state of job %s: %w", id, err)
	}
	return nil
}

// SwitchJobState moves a job from state from to state to; see Jobs.
func (s *sqlStore) SwitchJobState(ctx context.Context, id, from, to string, result []byte) (bool, error) {
	var n int64
	var err error
	if result == nil {
		n, err = s.db.exec(ctx, switchJobState, id, from, to, micros(s.now()))
	} else {
		n, err = s.db.exec(ctx, switchJobStateAndResult, id, from, to, micros(s.now()), string(result))
	}
	if err == nil && n == 0 {
		var one int
		err = s.db.queryRow(ctx, selectJobExists, id).Scan(&one)
	}
	if err != nil {
		return false, fmt.Errorf("switch job %s from %s to %s: %w", id, from, to, err)
	}
	return n == 1, nil
}

// Job returns a job, or ErrNotFound.
func (s *sqlStore) Job(ctx context.Context, id string) (Job, error) {
	var j Job
	var params, result string
	var created, updated int64
	err := s.db.queryRow(ctx, selectJobByID, id).Scan(&j.ID, &j.User, &j.FileName, &j.SHA256, &params,
		&j.State, &created, &updated, &j.Rows, &j.BytesRead, &j.TotalBytes, &result)
	if err != nil {
		return Job{}, fmt.Errorf("job %s: %w", id, err)
	}
	j.Params = []byte(params)
	if result != "" {
		j.Result = []byte(result)
	}
	j.CreatedAt, j.UpdatedAt = fromMicros(created), fromMicros(updated)
	return j, nil
}

// deleteUnreferencedFilesBefore removes stored originals that no batch and no
// job names any more.
const deleteUnreferencedFilesBefore = `DELETE FROM files WHERE created_at < $1
AND sha256 NOT IN (SELECT sha256 FROM batches)
AND sha256 NOT IN (SELECT sha256 FROM jobs)`

// PruneJobs deletes the jobs last updated before before, except those in a
// state of keep (still running), then the stored files that neither a batch
// nor a job names and that were stored before before; see Jobs.
func (s *sqlStore) PruneJobs(ctx context.Context, before time.Time, keep ...string) (jobs, files int64, err error) {
	q := `DELETE FROM jobs WHERE updated_at < $1`
	args := []any{micros(before)}
	if len(keep) > 0 {
		ps := make([]string, len(keep))
		for i, k := range keep {
			ps[i] = "$" + strconv.Itoa(i+2)
			args = append(args, k)
		}
		q += ` AND state NOT IN (` + strings.Join(ps, ", ") + `)`
	}
	err = s.db.write(ctx, func(tx writeTx) error {
		var err error
		if jobs, err = tx.exec(ctx, q, args...); err != nil {
			return err
		}
		if _, err = tx.exec(ctx, deleteOrphanStaged); err != nil {
			return err
		}
		if files, err = tx.exec(ctx, deleteUnreferencedFilesBefore, micros(before)); err != nil {
			return err
		}
		_, err = tx.exec(ctx, deleteOrphanChunks)
		return err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("prune jobs before %s: %w", before.Format(time.RFC3339), err)
	}
	return jobs, files, nil
}
