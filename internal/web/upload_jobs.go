package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"postdash/internal/auth"
	"postdash/internal/importer"
	"postdash/internal/postal"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

// Job states of a browser upload, as stored.
const (
	jobParsing    = "parsing"    // reading the file for the preview
	jobReady      = "ready"      // the preview (or why there is none) is in the result
	jobCommitting = "committing" // confirmed; reading and committing
	jobFinished   = "finished"   // the commit's outcome is in the result
	jobCancelled  = "cancelled"
	jobFailed     = "failed" // a system error; see the log
)

// Tuning of background imports.
const (
	previewRows      = 20
	progressInterval = 250 * time.Millisecond
	jobTimeout       = 30 * time.Minute
	maxParallelJobs  = 2                // parsing is CPU- and memory-hungry; the machine may be small
	jobDrainTimeout  = 10 * time.Second // how long a shutdown lets running imports finish
	jobFinalWrite    = 5 * time.Second  // to record a job's end once its context is over
)

// jobParams are the import defaults the analyst chose, stored with the job.
type jobParams struct {
	Direction   string `json:"direction,omitempty"`
	Partner     string `json:"partner,omitempty"`
	Marketplace string `json:"marketplace,omitempty"`
}

func (p jobParams) defaults() sheet.Defaults {
	return sheet.Defaults{Direction: postal.Direction(p.Direction), Partner: p.Partner, Marketplace: p.Marketplace}
}

// issueJSON is a sheet.Issue with its catalog key, so any instance can
// render it in the reader's language later.
type issueJSON struct {
	Sheet string            `json:"sheet,omitempty"`
	Cell  string            `json:"cell,omitempty"`
	Key   string            `json:"key,omitempty"`
	Args  map[string]string `json:"args,omitempty"`
	Text  string            `json:"text"`
}

func issuesJSON(in []sheet.Issue) []issueJSON {
	out := make([]issueJSON, 0, len(in))
	for _, is := range in {
		out = append(out, issueJSON{is.Sheet, is.Cell, is.Key, is.Args, is.Text})
	}
	return out
}

// jobResult is what a job leaves in the store for the preview page.
type jobResult struct {
	Outcome  importer.Outcome     `json:"outcome"`
	Sheets   []sheet.SheetReport  `json:"sheets,omitempty"`
	Notes    map[string]issueJSON `json:"notes,omitempty"` // by sheet
	Errors   []issueJSON          `json:"errors,omitempty"`
	Warnings []issueJSON          `json:"warnings,omitempty"`
	Refusal  *issueJSON           `json:"refusal,omitempty"`
	// RefusalSheets says, for a file refused because no sheet yielded a
	// fact, why each sheet was skipped, so the page can say it in its language.
	RefusalSheets []issueJSON        `json:"refusal_sheets,omitempty"`
	Counts        map[string]int     `json:"counts,omitempty"` // diff kinds
	Diff          []importer.DiffRow `json:"diff,omitempty"`   // at most importer.MaxDiffRows
	DataVersion   int64              `json:"data_version"`
	Notice        string             `json:"notice,omitempty"` // catalog key of a note for the analyst
}

func newJobResult(out importer.Outcome, version int64) jobResult {
	r := jobResult{Outcome: out, DataVersion: version, Counts: map[string]int{}}
	if out.Refusal != nil {
		r.Refusal = &issueJSON{Key: out.Refusal.Key, Args: out.Refusal.Args, Text: out.Refusal.Text}
		if len(out.Refusal.Sheets) > 0 {
			r.RefusalSheets = issuesJSON(out.Refusal.Sheets)
		}
	}
	if res := out.Result; res != nil {
		r.Sheets = res.Sheets
		r.Errors = issuesJSON(res.Errors)
		r.Warnings = issuesJSON(res.Warnings)
		r.Notes = map[string]issueJSON{}
		for _, s := range res.Sheets {
			if s.Note != nil {
				r.Notes[s.Name] = issuesJSON([]sheet.Issue{*s.Note})[0]
			}
		}
	}
	sum := importer.Summarize(out.Diff, importer.MaxDiffRows)
	r.Outcome.Changes = nil // kept once, below, for the preview
	r.Diff = sum.Rows
	for kind, n := range map[string]int{importer.Added: sum.Added, importer.Changed: sum.Changed, importer.Unchanged: sum.Unchanged} {
		if n > 0 {
			r.Counts[kind] = n
		}
	}
	return r
}

// background is the imports this process runs in the background. A job's
// state is shared through the database, so a job must not outlive its
// process unrecorded: at shutdown the server lets running jobs finish for a
// while, then cancels the rest, which record that they failed.
type background struct {
	ctx     context.Context // cancelled when the server gives up waiting
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	running atomic.Int32
}

func newBackground() *background {
	ctx, cancel := context.WithCancel(context.Background())
	return &background{ctx: ctx, cancel: cancel}
}

// drain waits up to timeout for the running jobs, then cancels the others
// and waits for them to record their end. It returns how many it cancelled,
// or -1 when some did not end even then.
func (b *background) drain(timeout time.Duration) int {
	done := make(chan struct{})
	go func() {
		b.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return 0
	case <-time.After(timeout):
	}
	n := int(b.running.Load())
	b.cancel()
	select {
	case <-done:
		return n
	case <-time.After(jobFinalWrite + time.Second):
		return -1
	}
}

// drainJobs ends a shutdown: running imports get jobDrainTimeout to finish.
func (s *Server) drainJobs() {
	if n := s.bg.running.Load(); n > 0 {
		s.log.Info("shutdown: waiting for background imports", "jobs", n, "at_most", jobDrainTimeout)
	}
	switch n := s.bg.drain(jobDrainTimeout); {
	case n > 0:
		s.log.Warn("shutdown: cancelled background imports; they are recorded as failed", "jobs", n)
	case n < 0:
		s.log.Error("shutdown: background imports did not end when cancelled")
	}
}

// jobRunner runs imports in the background, a few at a time (the server
// gate's turns), recording progress and results in the store so that any
// instance can answer.
type jobRunner struct {
	a *accounts
}

func newJobRunner(a *accounts) *jobRunner {
	return &jobRunner{a: a}
}

// jobRun is one background read or commit of a job's file.
type jobRun struct {
	job    store.Job
	rec    *received // owned by the run, removed when done
	params jobParams
	dryRun bool
	who    auth.Actor // for the audit log
	notice string     // catalog key of a note to show with the result
	turn   *turn      // its place at the gate, taken by the handler
}

// start runs r in the background when its turn comes.
func (j *jobRunner) start(r jobRun) {
	r.turn.forJob(r.job.ID)
	bg := j.a.s.bg
	bg.wg.Add(1)
	bg.running.Add(1)
	go func() {
		defer bg.wg.Done()
		defer bg.running.Add(-1)
		defer r.rec.remove()
		ctx, cancel := context.WithTimeout(bg.ctx, jobTimeout)
		defer cancel()
		defer r.turn.leave()
		if err := r.turn.wait(ctx); err != nil {
			j.fail(ctx, r.job, "waiting for a turn", err)
			return
		}
		if !j.run(ctx, r) {
			// Whatever happened, a job whose goroutine ended is not left
			// reading or committing for ever.
			j.fail(ctx, r.job, "ended without recording its end", nil)
		}
	}()
}

// fail records that a running job failed, even when its context is over;
// a job cancelled meanwhile stays cancelled.
func (j *jobRunner) fail(ctx context.Context, job store.Job, what string, err any) {
	if err != nil {
		j.a.s.log.ErrorContext(ctx, "import "+what, "job", job.ID, "user", job.User, "file", job.FileName, "err", err)
	}
	werr := retryWrite(ctx, func(wctx context.Context) error {
		for _, from := range []string{jobParsing, jobCommitting} {
			if switched, err := j.a.s.store.SwitchJobState(wctx, job.ID, from, jobFailed, nil); err != nil || switched {
				return err
			}
		}
		return nil
	})
	if werr != nil {
		j.a.s.log.ErrorContext(ctx, "job state", "job", job.ID, "err", werr)
	}
}

// finalWriteTries is how often the last write of a job is tried.
const finalWriteTries = 4

// retryWrite runs write, each try within jobFinalWrite and even when ctx is
// over, until it succeeds or finalWriteTries are spent: a job's last state
// must not be lost to one slow or busy moment of the database.
func retryWrite(ctx context.Context, write func(context.Context) error) error {
	base := context.WithoutCancel(ctx)
	var err error
	for try := range finalWriteTries {
		if try > 0 {
			time.Sleep(time.Duration(try) * 200 * time.Millisecond)
		}
		wctx, cancel := context.WithTimeout(base, jobFinalWrite)
		err = write(wctx)
		cancel()
		if err == nil {
			return nil
		}
	}
	return fmt.Errorf("after %d tries: %w", finalWriteTries, err)
}

// run reads or commits the job's file; it reports whether it recorded the
// job's end.
func (j *jobRunner) run(ctx context.Context, r jobRun) (recorded bool) {
	job, rec, p, dryRun := r.job, r.rec, r.params, r.dryRun
	st, log := j.a.s.store, j.a.s.log.With("job", job.ID, "user", job.User, "file", job.FileName)
	defer func() {
		if r := recover(); r != nil {
			j.fail(ctx, job, "panicked", r)
			recorded = true
		}
	}()
	var last time.Time
	progress := func(pr sheet.Progress) {
		if time.Since(last) < progressInterval {
			return
		}
		last = time.Now()
		if err := st.UpdateJobProgress(ctx, job.ID, pr.Rows, pr.BytesRead, pr.Total); err != nil {
			log.WarnContext(ctx, "job progress", "err", err)
		}
	}
	version, err := st.DataVersion(ctx)
	if err != nil {
		log.ErrorContext(ctx, "data version", "err", err)
	}
	out, err := j.a.s.imp.Import(ctx, importer.Request{
		Path: rec.Path, FileName: rec.Name, User: job.User, Defaults: p.defaults(),
		DryRun: dryRun, PreviewRows: previewRows, Progress: progress,
	})
	// The file is read: remove it before the job's state says it is done,
	// so nobody who sees that state finds it still on disk.
	rec.remove()
	if err != nil {
		j.fail(ctx, job, "failed", err)
		return true
	}
	// The import is done (a commit is committed): record it even when the
	// job's time ran out or a shutdown cancelled it meanwhile.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), jobFinalWrite)
	defer cancel()
	j.a.recordImport(ctx, r.who, out)
	res := newJobResult(out, version)
	res.Notice = r.notice
	b, err := json.Marshal(res)
	if err != nil {
		j.fail(ctx, job, "result unreadable", err)
		return true
	}
	from, to := jobParsing, jobReady
	if !dryRun {
		from, to = jobCommitting, jobFinished
	}
	// Last store call of the job: a test or page waiting for the state may
	// close the store right after. A job cancelled while it was read stays
	// cancelled.
	var switched bool
	err = retryWrite(ctx, func(wctx context.Context) error {
		var err error
		switched, err = st.SwitchJobState(wctx, job.ID, from, to, b)
		return err
	})
	if err != nil {
		log.ErrorContext(ctx, "job state", "err", err)
		return false
	}
	if !switched && !dryRun {
		log.ErrorContext(ctx, "job left the committing state while it committed", "to", to)
	}
	return true
}

// jobAbandonedAfter is how long a reading or committing job may go without
// an update before it is known to be dead: a live job writes its progress
// every progressInterval and is over within jobTimeout. Only an instance
// killed outright (SIGKILL, out of memory) leaves such a job behind.
const jobAbandonedAfter = jobTimeout + jobFinalWrite + time.Minute

// reapAbandoned marks job failed when its instance died while running it,
// so the analyst sees it failed instead of reading forever; any instance
// may do it when the job is next looked at.
func (j *jobRunner) reapAbandoned(ctx context.Context, job store.Job, now time.Time) store.Job {
	if job.State != jobParsing && job.State != jobCommitting || now.Sub(job.UpdatedAt) < jobAbandonedAfter {
		return job
	}
	switched, err := j.a.s.store.SwitchJobState(ctx, job.ID, job.State, jobFailed, nil)
	if err != nil {
		j.a.s.log.ErrorContext(ctx, "job state", "job", job.ID, "err", err)
		return job
	}
	if switched {
		j.a.s.log.WarnContext(ctx, "import abandoned by a stopped instance, marked failed",
			"job", job.ID, "user", job.User, "file", job.FileName, "state", job.State, "updated", job.UpdatedAt)
		job.State = jobFailed
	}
	return job
}

// uploadRetention is how long uploads that were never committed (previews,
// cancelled, refused, failed) and their stored files are kept.
const uploadRetention = 30 * 24 * time.Hour

// pruneUploads deletes old jobs and the originals no batch needs, now and
// then every interval, until ctx ends. Any instance may do it.
func (s *Server) pruneUploads(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		jobs, files, err := s.store.PruneJobs(ctx, time.Now().Add(-uploadRetention), jobParsing, jobCommitting)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.WarnContext(ctx, "prune old uploads", "err", err)
		case jobs+files > 0:
			s.log.InfoContext(ctx, "pruned old uploads", "jobs", jobs, "files", files, "older_than", uploadRetention)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// recordImport writes an import's outcome to the audit log.
func (a *accounts) recordImport(ctx context.Context, who auth.Actor, out importer.Outcome) {
	action := auth.ActImport
	switch out.Status {
	case importer.StatusDryRun:
		action = auth.ActImportDryRun
	case importer.StatusRejected, importer.StatusRefused, importer.StatusDuplicate:
		action = auth.ActImportRefused
	}
	detail := fmt.Sprintf("%s: %s, %d rows, %d facts, %d errors", out.File, out.Status, out.Rows, out.Facts, out.ErrorCount)
	if out.Batch != 0 {
		detail += fmt.Sprintf(", batch %d", out.Batch)
	}
	detail += ", sha256 " + out.SHA256
	_ = a.auth.Record(ctx, who, action, detail)
}

// fetchFile copies a stored original into a new temporary folder.
func (a *accounts) fetchFile(ctx context.Context, sha, name string) (*received, error) {
	rc, _, size, err := a.s.store.OpenFile(ctx, sha)
	if err != nil {
		return nil, fmt.Errorf("open stored file %s: %w", sha, err)
	}
	defer rc.Close()
	dir, err := os.MkdirTemp("", "postdash-upload-")
	if err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	rec := &received{dir: dir, Path: filepath.Join(dir, "upload"), Name: name, SHA256: sha, Size: size}
	f, err := os.OpenFile(rec.Path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		rec.remove()
		return nil, fmt.Errorf("temp file: %w", err)
	}
	_, err = io.Copy(f, rc)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		rec.remove()
		return nil, fmt.Errorf("copy stored file %s: %w", sha, err)
	}
	return rec, nil
}
