package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"postdash/internal/sheet"
)

// Types of a preview that the pages render; they are the sheet reader's.
type (
	Issue       = sheet.Issue
	SheetReport = sheet.SheetReport
	Table       = sheet.Table
	Column      = sheet.Column
	Accounting  = sheet.Accounting
	Defaults    = sheet.Defaults
)

// IssueJSON is a sheet.Issue with its catalog key, so any instance can
// render it in the reader's language later.
type IssueJSON struct {
	Sheet string            `json:"sheet,omitempty"`
	Cell  string            `json:"cell,omitempty"`
	Key   string            `json:"key,omitempty"`
	Args  map[string]string `json:"args,omitempty"`
	Text  string            `json:"text"`
}

func issuesJSON(in []sheet.Issue) []IssueJSON {
	out := make([]IssueJSON, 0, len(in))
	for _, is := range in {
		out = append(out, IssueJSON{is.Sheet, is.Cell, is.Key, is.Args, is.Text})
	}
	return out
}

// JobResult is what a job leaves in the store for the preview page.
type JobResult struct {
	Outcome  Outcome              `json:"outcome"`
	Sheets   []sheet.SheetReport  `json:"sheets,omitempty"`
	Notes    map[string]IssueJSON `json:"notes,omitempty"` // by sheet
	Errors   []IssueJSON          `json:"errors,omitempty"`
	Warnings []IssueJSON          `json:"warnings,omitempty"`
	Refusal  *IssueJSON           `json:"refusal,omitempty"`
	// RefusalSheets says, for a file refused because no sheet yielded a
	// fact, why each sheet was skipped, so the page can say it in its language.
	RefusalSheets []IssueJSON    `json:"refusal_sheets,omitempty"`
	Counts        map[string]int `json:"counts,omitempty"` // diff kinds
	Diff          []DiffRow      `json:"diff,omitempty"`   // at most MaxDiffRows
	DataVersion   int64          `json:"data_version"`
	Notice        string         `json:"notice,omitempty"` // catalog key of a note for the analyst
	// Message is the outcome's Message as a key (a duplicate), for the page
	// to say in its language.
	Message *IssueJSON `json:"message,omitempty"`
}

// NewJobResult is the result of an import made against data version version.
func NewJobResult(out Outcome, version int64) JobResult {
	r := JobResult{Outcome: out, DataVersion: version, Counts: map[string]int{}, Message: out.Msg}
	if out.Refusal != nil {
		r.Refusal = &IssueJSON{Key: out.Refusal.Key, Args: out.Refusal.Args, Text: out.Refusal.Text}
		if len(out.Refusal.Sheets) > 0 {
			r.RefusalSheets = issuesJSON(out.Refusal.Sheets)
		}
	}
	if res := out.Result; res != nil {
		r.Sheets = res.Sheets
		r.Errors = issuesJSON(res.Errors)
		r.Warnings = issuesJSON(res.Warnings)
		r.Notes = map[string]IssueJSON{}
		for _, s := range res.Sheets {
			if s.Note != nil {
				r.Notes[s.Name] = issuesJSON([]sheet.Issue{*s.Note})[0]
			}
		}
	}
	sum := Summarize(out.Diff, MaxDiffRows)
	r.Outcome.Changes = nil // kept once, below, for the preview
	// Unchanged values are counted, not listed.
	var listed []Change
	for _, ch := range out.Diff {
		if ch.Kind != Unchanged {
			listed = append(listed, ch)
		}
	}
	r.Diff = Summarize(listed, MaxDiffRows).Rows
	for kind, n := range map[string]int{Added: sum.Added, Changed: sum.Changed, Unchanged: sum.Unchanged} {
		if n > 0 {
			r.Counts[kind] = n
		}
	}
	return r
}

// Progress is what a job's page polls.
type Progress struct {
	State      string  `json:"state"`
	Rows       int64   `json:"rows"`
	BytesRead  int64   `json:"bytes_read"`
	TotalBytes int64   `json:"total_bytes"`
	Percent    float64 `json:"percent"`
	RowsPerSec float64 `json:"rows_per_sec"`
	Done       bool    `json:"done"`
	Queue      int     `json:"queue,omitempty"` // imports waiting before it, on this instance
	// Outcome is the import's status once the job is ready or finished
	// (StatusDryRun, StatusRejected, StatusRefused, StatusDuplicate,
	// StatusCommitted): State says where the job is (a refused or duplicate
	// file's job is ready: its read is over and its result is in, there is
	// nothing to confirm), Outcome what it found.
	Outcome string `json:"outcome,omitempty"`
}

// ProgressOf is the progress of job as this instance knows it. Once the
// job is ready or finished, its rows are those its import read (the reads'
// reports are only made now and then) and its percent is 100.
func (j *Jobs) ProgressOf(job Job) Progress {
	p := Progress{State: job.State, Rows: job.Rows, BytesRead: job.BytesRead, TotalBytes: job.TotalBytes}
	var res struct {
		Outcome struct {
			Status string `json:"status"`
			Rows   int64  `json:"rows"`
		} `json:"outcome"`
	}
	if (job.State == JobReady || job.State == JobFinished) && json.Unmarshal(job.Result, &res) == nil && res.Outcome.Status != "" {
		p.Outcome, p.Rows, p.BytesRead = res.Outcome.Status, res.Outcome.Rows, job.TotalBytes
		p.Percent = 100
	} else if job.TotalBytes > 0 {
		p.Percent = min(100, float64(int(1000*float64(job.BytesRead)/float64(job.TotalBytes)))/10)
	}
	if secs := job.UpdatedAt.Sub(job.CreatedAt).Seconds(); secs > 0 {
		p.RowsPerSec = float64(int(float64(p.Rows) / secs))
	}
	p.Done = job.State != JobParsing && job.State != JobCommitting
	p.Queue = j.gate.Position(job.ID)
	return p
}

// waitRecheck is how often WaitDone reads a job again, for a change made
// by another instance (this instance's own changes wake it at once).
const waitRecheck = 100 * time.Millisecond

// WaitDone returns job id as soon as it is done (no longer reading or
// committing), or as it is after at most max or when ctx ends: a progress
// poll that answers the moment the job is done, without polling often.
func (j *Jobs) WaitDone(ctx context.Context, id string, max time.Duration) (Job, error) {
	deadline := time.NewTimer(max)
	defer deadline.Stop()
	recheck := time.NewTicker(waitRecheck)
	defer recheck.Stop()
	for {
		changed := j.changes() // before the read: a change after it wakes the wait
		job, err := j.Get(ctx, id)
		if err != nil || job.State != JobParsing && job.State != JobCommitting {
			return job, err
		}
		select {
		case <-changed:
		case <-recheck.C:
		case <-deadline.C:
			return job, nil
		case <-ctx.Done():
			return job, nil
		}
	}
}

// fetchFile copies a stored original into a new temporary folder.
func (j *Jobs) fetchFile(ctx context.Context, sha, name string) (Upload, error) {
	rc, _, size, err := j.st.OpenFile(ctx, sha)
	if err != nil {
		return Upload{}, fmt.Errorf("open stored file %s: %w", sha, err)
	}
	defer rc.Close()
	dir, err := os.MkdirTemp("", "postdash-upload-")
	if err != nil {
		return Upload{}, fmt.Errorf("temp dir: %w", err)
	}
	up := Upload{Path: filepath.Join(dir, "upload"), Name: name, SHA256: sha, Size: size, Remove: func() { os.RemoveAll(dir) }}
	f, err := os.OpenFile(up.Path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		up.remove()
		return Upload{}, fmt.Errorf("temp file: %w", err)
	}
	_, err = io.Copy(f, rc)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		up.remove()
		return Upload{}, fmt.Errorf("copy stored file %s: %w", sha, err)
	}
	return up, nil
}

// ImportNow imports u at once, in the caller's request, after waiting for
// its turn at the gate: the API's and the CLI's way (a file on disk not
// hashed yet, with no Remove, is hashed here and left where it is). Like a
// page's upload, a commit is recorded as a job, committing then finished,
// and its original is stored while the file is read; the batch is
// committed only once the original is stored, and a file that is not
// committed (refused, rejected, a duplicate) does not stay stored. A dry
// run writes nothing: no job, no original. It owns u's file.
func (j *Jobs) ImportNow(ctx context.Context, u Upload, dryRun bool) (Outcome, error) {
	defer u.remove()
	turn, err := j.gate.Enter(u.User)
	if err != nil {
		return Outcome{}, err
	}
	defer turn.Leave()
	if err := turn.Wait(ctx); err != nil {
		return Outcome{}, fmt.Errorf("wait for a turn: %w", err)
	}
	req := Request{Path: u.Path, FileName: u.Name, User: u.User, DryRun: dryRun, Defaults: u.Params.defaults(),
		Mappings: u.Mappings, SHA256: u.SHA256, Progress: u.Progress}
	var out Outcome
	if dryRun || notAFile(u.Path) != "" {
		// Nothing to store (Import says why a path is no file).
		out, err = j.imp.Import(ctx, req)
	} else {
		out, err = j.importKeeping(ctx, u, req)
	}
	if err != nil {
		return out, err
	}
	if u.Record != nil {
		// Recorded even when the caller went away after the commit.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), jobFinalWrite)
		defer cancel()
		u.Record(rctx, out)
	}
	return out, nil
}

// importKeeping is ImportNow's commit: a job names u's file while its
// original is stored beside the read, so that another import of the same
// bytes that is refused meanwhile does not drop it (see dropFile).
func (j *Jobs) importKeeping(ctx context.Context, u Upload, req Request) (Outcome, error) {
	if u.SHA256 == "" {
		// A file on disk (the CLI's): hashed once, here, for its job and
		// the read alike.
		sum, err := fileSHA256(u.Path)
		if err != nil {
			return Outcome{}, fmt.Errorf("hash %s: %w", u.Name, err)
		}
		u.SHA256, req.SHA256 = sum, sum
	}
	if u.Size == 0 {
		if fi, err := os.Stat(u.Path); err == nil {
			u.Size = fi.Size()
		}
	}
	job, err := j.create(ctx, u, JobCommitting)
	if err != nil {
		return Outcome{}, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	kept := make(chan error, 1)
	go func() { kept <- j.keepFile(ctx, u) }()
	var kerr error
	waitKept := sync.OnceValue(func() error {
		if kerr = <-kept; kerr != nil {
			return fmt.Errorf("%w: %w", ErrStorage, kerr)
		}
		return nil
	})
	req.BeforeCommit = waitKept
	out, err := j.imp.Import(ctx, req)
	waitKept() // keepFile reads u's file: it is removed once both are done,
	u.remove() // before the job's state says it is
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), jobFinalWrite)
	defer cancel()
	if err != nil || out.Status != StatusCommitted {
		// No batch holds the file: its original goes, unless another job
		// or a batch names it. The job's end is recorded first, so that of
		// two imports of the same bytes ending together the last to drop
		// sees no job still committing, and the file does not stay.
		defer j.discard(fctx, job)
	}
	switch {
	case err != nil && kerr != nil && ctx.Err() == nil:
		res, _ := json.Marshal(JobResult{Notice: ErrStorage.Key})
		j.failWith(fctx, job, "could not store its original", kerr, res)
		return out, err
	case err != nil && ctx.Err() != nil:
		// Interrupted (the CLI's Ctrl-C, the API's client gone): the
		// caller's context says why, not the store.
		j.failWith(fctx, job, "interrupted", nil, nil)
		return out, fmt.Errorf("interrupted: %w", context.Cause(ctx))
	case err != nil:
		j.fail(fctx, job, "failed", err)
		return out, err
	}
	j.finish(fctx, job, JobCommitting, JobFinished, NewJobResult(out, 0))
	return out, nil
}

// keepFile stores the original of a committed upload by its SHA-256.
func (j *Jobs) keepFile(ctx context.Context, u Upload) error {
	f, err := os.Open(u.Path)
	if err != nil {
		return fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	if err := j.st.PutFile(ctx, u.SHA256, u.Name, f); err != nil {
		return fmt.Errorf("keep original: %w", err)
	}
	return nil
}
