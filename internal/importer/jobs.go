package importer

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"postdash/internal/logctx"
	"postdash/internal/postal"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

// Job states of a background upload, as stored. A job reads its file for
// the preview (JobParsing), shows it (JobReady), and once confirmed commits
// it (JobCommitting, then JobFinished); it may be cancelled or fail.
// Every move between states is a compare-and-swap in the store, so any
// instance may run or answer any job.
const (
	JobParsing    = "parsing"    // reading the file for the preview
	JobReady      = "ready"      // the preview (or why there is none) is in the result
	JobCommitting = "committing" // confirmed; reading and committing
	JobFinished   = "finished"   // the commit's outcome is in the result
	JobCancelled  = "cancelled"
	JobFailed     = "failed" // a system error; see the log
)

// Tuning of background imports.
const (
	previewRows      = 20
	progressInterval = 250 * time.Millisecond
	// JobTimeout is the longest a job may read or commit.
	JobTimeout      = 30 * time.Minute
	MaxParallelJobs = 2                // parsing is CPU- and memory-hungry; the machine may be small
	jobFinalWrite   = 5 * time.Second  // to record a job's end once its context is over
	DrainTimeout    = 10 * time.Second // how long a shutdown lets running imports finish
	// JobAbandonedAfter is how long a reading or committing job may go
	// without an update before it is known to be dead: a live job writes
	// its progress every progressInterval and is over within JobTimeout.
	// Only an instance killed outright (SIGKILL, out of memory) leaves such
	// a job behind.
	JobAbandonedAfter = JobTimeout + jobFinalWrite + time.Minute
	// UploadRetention is how long uploads that were never committed
	// (previews, cancelled, refused, failed) and their stored files are kept.
	UploadRetention = 30 * 24 * time.Hour
)

// Errors a caller of Jobs tells the user about, in the user's language
// from their Key (see Error); compare them with errors.Is.
var (
	ErrNoJob          = &Error{Key: "acct.upload.no_job", Text: "no such upload"}
	ErrNotConfirmable = &Error{Key: "acct.upload.not_confirmable", Text: "the upload cannot be confirmed in its state"}
	ErrNotCancellable = &Error{Key: "acct.upload.not_cancellable", Text: "the upload cannot be cancelled in its state"}
	ErrStorage        = &Error{Key: "acct.error.storage", Text: "the original could not be stored or read"}
)

// errJobCancelled ends the read of a job its analyst cancelled on this instance.
var errJobCancelled = errors.New("the upload was cancelled")

// Error is a refusal the importer gives a user: a catalog key and its
// arguments, said at the edge in the user's language with the catalogs'
// T (i18n.Fill), like sheet.RefusedError; Text is its English, for logs.
type Error struct {
	Key  string
	Args map[string]string
	Text string
}

func (e *Error) Error() string { return e.Text }

// Job is one background upload as stored.
type Job = store.Job

// JobParams are the import defaults the analyst chose, stored with the job.
type JobParams struct {
	Direction   string `json:"direction,omitempty"`
	Partner     string `json:"partner,omitempty"`
	Marketplace string `json:"marketplace,omitempty"`
	// Choices are what the analyst chose in this job's preview that its
	// tables' columns hold: one mapping per table, saved on the confirm.
	Choices []sheet.Mapping `json:"choices,omitempty"`
}

func (p JobParams) defaults() sheet.Defaults {
	return sheet.Defaults{Direction: postal.Direction(p.Direction), Partner: p.Partner, Marketplace: p.Marketplace}
}

// Recorder writes an import's outcome to the audit log; the caller's.
type Recorder func(ctx context.Context, out Outcome)

// Upload is a file to import: Path holds its bytes, hashed while they were
// received (SHA256), or a file on disk the CLI names (SHA256 empty: hashed
// by ImportNow). Remove deletes a temporary copy; the importer calls it once
// it no longer needs the file (nil: the file stays).
type Upload struct {
	Path   string
	Name   string
	SHA256 string
	Size   int64
	Remove func()
	User   string
	Params JobParams
	Record Recorder
	// Mappings are given with the upload (the API's mapping part).
	Mappings []sheet.Mapping
	// Progress, when set, is told how the read of an import made at once
	// (ImportNow: the CLI's) goes.
	Progress func(sheet.Progress)
}

func (u Upload) remove() {
	if u.Remove != nil {
		u.Remove()
	}
}

// Jobs runs imports in the background, a few at a time (the gate's turns),
// recording their progress and results in the store so that any instance
// can answer. Uploads from the pages and the API pass the same gate.
type Jobs struct {
	imp  *Importer
	st   store.Store
	log  *slog.Logger
	gate *Gate

	// A job's state is shared through the database, so a job must not
	// outlive its process unrecorded: at shutdown Drain lets running jobs
	// finish for a while, then cancels the rest, which record that they failed.
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	running atomic.Int32

	// stops ends the read of a job running on this instance (by id) when
	// its analyst cancels it: its original stops being stored.
	stopsMu sync.Mutex
	stops   map[string]context.CancelCauseFunc

	// changed is closed (and replaced) whenever this instance moves a job
	// to a state where it is done, waking WaitDone.
	changedMu sync.Mutex
	changed   chan struct{}
}

// notify wakes whoever waits for a job of this instance to be done.
func (j *Jobs) notify() {
	j.changedMu.Lock()
	close(j.changed)
	j.changed = make(chan struct{})
	j.changedMu.Unlock()
}

// changes is closed at the next notify.
func (j *Jobs) changes() <-chan struct{} {
	j.changedMu.Lock()
	defer j.changedMu.Unlock()
	return j.changed
}

// NewJobs returns the background imports that imp runs into st, its store.
func NewJobs(imp *Importer, st store.Store, log *slog.Logger) *Jobs {
	ctx, cancel := context.WithCancel(context.Background())
	return &Jobs{imp: imp, st: st, log: logctx.Logger(log), gate: NewGate(MaxParallelJobs, MaxQueuedPerUser), ctx: ctx, cancel: cancel,
		stops: map[string]context.CancelCauseFunc{}, changed: make(chan struct{})}
}

// Enter takes a place at the gate for user: imports made outside Jobs (the
// API's) wait for it too.
func (j *Jobs) Enter(user string) (*Turn, error) { return j.gate.Enter(user) }

// Position is how many imports wait before the job on this instance.
func (j *Jobs) Position(id string) int { return j.gate.Position(id) }

// Start records a job for u and reads it in the background for a preview,
// storing its original meanwhile: the job is ready once both are done (a
// failure to store the original fails it). It owns u's file from then on,
// even on error.
func (j *Jobs) Start(ctx context.Context, u Upload) (Job, error) {
	turn, err := j.gate.Enter(u.User)
	if err != nil {
		u.remove()
		return Job{}, err
	}
	job, err := j.create(ctx, u, JobParsing)
	if err != nil {
		turn.Leave()
		u.remove()
		return Job{}, fmt.Errorf("%w: %w", ErrStorage, err)
	}
	j.start(run{job: job, up: u, params: u.Params, dryRun: true, keep: true, turn: turn, request: logctx.RequestID(ctx)})
	return job, nil
}

// create records a job for u in state. The job exists before its original
// is stored, so that a file another job names is never taken for unneeded.
func (j *Jobs) create(ctx context.Context, u Upload, state string) (Job, error) {
	params, err := json.Marshal(u.Params)
	if err != nil {
		return Job{}, fmt.Errorf("job params: %w", err)
	}
	job := Job{ID: randomID(), User: u.User, FileName: u.Name, SHA256: u.SHA256, Params: params,
		State: state, TotalBytes: u.Size}
	if err := j.st.CreateJob(ctx, job); err != nil {
		return Job{}, fmt.Errorf("create job: %w", err)
	}
	return job, nil
}

// randomID is a job's id: 144 random bits, unguessable.
func randomID() string {
	var b [18]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// Get returns the job id, marking it failed first when its instance died
// while running it. ErrNoJob when there is none.
func (j *Jobs) Get(ctx context.Context, id string) (Job, error) {
	job, err := j.st.Job(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return job, ErrNoJob
	}
	if err != nil {
		return job, fmt.Errorf("read job: %w", err)
	}
	return j.Reap(ctx, job, time.Now()), nil
}

// Reap marks job failed when it has been reading or committing without an
// update for longer than any live job can, so the analyst sees it failed
// instead of reading forever; any instance may do it.
func (j *Jobs) Reap(ctx context.Context, job Job, now time.Time) Job {
	if job.State != JobParsing && job.State != JobCommitting || now.Sub(job.UpdatedAt) < JobAbandonedAfter {
		return job
	}
	switched, err := j.st.SwitchJobState(ctx, job.ID, job.State, JobFailed, nil)
	if err != nil {
		j.log.ErrorContext(ctx, "job state", "job", job.ID, "err", err)
		return job
	}
	if switched {
		j.notify()
		j.log.WarnContext(ctx, "import abandoned by a stopped instance, marked failed",
			"job", job.ID, "user", job.User, "file", job.FileName, "state", job.State, "updated", job.UpdatedAt)
		job.State = JobFailed
	}
	return job
}

// Confirm commits a previewed job. The stored original is read again with
// the same defaults, so the batch holds exactly what the preview showed;
// when live data changed since the preview, a new preview is made instead
// (the job's result then carries the notice "acct.job.stale").
func (j *Jobs) Confirm(ctx context.Context, job Job, record Recorder) error {
	var prev JobResult
	if job.State != JobReady || json.Unmarshal(job.Result, &prev) != nil || prev.Outcome.Status != StatusDryRun {
		return ErrNotConfirmable
	}
	var p JobParams
	_ = json.Unmarshal(job.Params, &p)
	dryRun := false
	if v, err := j.st.DataVersion(ctx); err == nil && v != prev.DataVersion {
		dryRun = true // live data moved: show the analyst a fresh diff first
	}
	state := JobCommitting
	if dryRun {
		state = JobParsing
	}
	turn, err := j.gate.Enter(job.User)
	if err != nil {
		return err
	}
	// Another confirm or a cancel, on this instance or another, may have
	// moved the job since it was read: only one of them wins.
	switched, err := j.st.SwitchJobState(ctx, job.ID, JobReady, state, nil)
	if err == nil && !switched {
		turn.Leave()
		return ErrNotConfirmable
	}
	if err != nil {
		turn.Leave()
		return fmt.Errorf("confirm: %w", err)
	}
	r := run{job: job, params: p, dryRun: dryRun, turn: turn, up: Upload{Record: record}, request: logctx.RequestID(ctx)}
	if dryRun {
		r.notice = "acct.job.stale"
		if r.up, err = j.fetchFile(ctx, job.SHA256, job.FileName); err != nil {
			_, _ = j.st.SwitchJobState(ctx, job.ID, state, JobReady, nil) // let the analyst try again
			j.notify()
			turn.Leave()
			return fmt.Errorf("%w: confirm: %w", ErrStorage, err)
		}
		r.up.Record = record
		_ = j.st.UpdateJobProgress(ctx, job.ID, 0, 0, r.up.Size)
	} else {
		r.staged = &prev
	}
	j.start(r)
	return nil
}

// Cancel discards a preview, or a job still reading; nothing was written.
// A job reading on this instance stops, and the original it was storing is
// not kept (on another instance, the job drops it when its read ends).
// Cancelling twice is harmless.
func (j *Jobs) Cancel(ctx context.Context, job Job) error {
	switched := job.State == JobCancelled
	if job.State == JobReady || job.State == JobParsing || job.State == JobFailed {
		// Only from the state read: a confirm elsewhere may have won meanwhile.
		var err error
		if switched, err = j.st.SwitchJobState(ctx, job.ID, job.State, JobCancelled, nil); err != nil {
			return fmt.Errorf("cancel job: %w", err)
		}
	}
	if !switched {
		return ErrNotCancellable
	}
	j.notify()
	j.stopsMu.Lock()
	stop := j.stops[job.ID]
	j.stopsMu.Unlock()
	if stop != nil {
		stop(errJobCancelled)
	}
	if err := j.st.DropStaged(ctx, job.ID); err != nil {
		j.log.WarnContext(ctx, "drop a cancelled preview", "job", job.ID, "err", err) // pruning removes it later
	}
	if job.State != JobParsing {
		// Nothing reads it any more: its original goes now (a job still
		// reading drops it itself when its read ends, on whichever instance).
		if err := j.dropFile(ctx, job); err != nil {
			j.log.WarnContext(ctx, "drop the original of a cancelled preview", "job", job.ID, "err", err) // pruning removes it later
		}
	}
	return nil
}

// dropFile drops the original of job unless a batch or another job that
// may still read it (reading, ready or committing) names it: a cancelled,
// failed or finished job of the same file does not keep it stored.
func (j *Jobs) dropFile(ctx context.Context, job Job) error {
	return j.st.DropFileUnlessNamed(ctx, job.SHA256, job.ID, JobParsing, JobReady, JobCommitting)
}

// Drain waits up to timeout for the running jobs, then cancels the others
// and waits for them to record their end. It returns how many it cancelled,
// or -1 when some did not end even then.
func (j *Jobs) Drain(timeout time.Duration) int {
	done := make(chan struct{})
	go func() {
		j.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return 0
	case <-time.After(timeout):
	}
	n := int(j.running.Load())
	j.cancel()
	select {
	case <-done:
		return n
	case <-time.After(jobFinalWrite + time.Second):
		return -1
	}
}

// Running is how many jobs this process runs or holds in line.
func (j *Jobs) Running() int { return int(j.running.Load()) }

// Prune deletes old jobs and the originals no batch needs, now and then
// every interval, until ctx ends. Any instance may do it. A job of any
// state goes once it has not been updated for UploadRetention: one still
// reading or committing then is the leftover of an instance or a CLI
// killed outright (a job ends within JobTimeout, an import made at once
// with its caller's run), and would otherwise keep its original for ever.
func (j *Jobs) Prune(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		jobs, files, err := j.st.PruneJobs(ctx, time.Now().Add(-UploadRetention))
		switch {
		case err != nil && ctx.Err() == nil:
			j.log.WarnContext(ctx, "prune old uploads", "err", err)
		case jobs+files > 0:
			j.log.InfoContext(ctx, "pruned old uploads", "jobs", jobs, "files", files, "older_than", UploadRetention)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// run is one background read or commit of a job's file.
type run struct {
	job    Job
	up     Upload // its file, removed when done
	params JobParams
	dryRun bool
	// keep: the original is stored while the file is read (a new upload's
	// first read); the job is ready only once it is, and its SHA-256 checked.
	keep   bool
	notice string // catalog key of a note to show with the result
	turn   *Turn  // its place at the gate, taken by the caller
	// staged is the preview being confirmed, when its staged facts are
	// committed instead of reading the file again.
	staged *JobResult
	// atVersion is the data version a commit must still find (that of the
	// confirmed preview), when it reads the file again.
	atVersion *int64
	// request is the id of the request that started or confirmed the job:
	// the job's log lines carry it.
	request string
}

// start runs r in the background when its turn comes.
func (j *Jobs) start(r run) {
	r.turn.forJob(r.job.ID)
	j.wg.Add(1)
	j.running.Add(1)
	go func() {
		defer j.wg.Done()
		defer j.running.Add(-1)
		defer r.up.remove()
		ctx, cancel := context.WithTimeout(logctx.WithRequestID(j.ctx, r.request), JobTimeout)
		defer cancel()
		if r.keep {
			var stop context.CancelCauseFunc
			ctx, stop = context.WithCancelCause(ctx)
			j.stopsMu.Lock()
			j.stops[r.job.ID] = stop
			j.stopsMu.Unlock()
			defer func() {
				j.stopsMu.Lock()
				delete(j.stops, r.job.ID)
				j.stopsMu.Unlock()
				stop(nil)
			}()
		}
		defer r.turn.Leave()
		if err := r.turn.Wait(ctx); err != nil {
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
func (j *Jobs) fail(ctx context.Context, job Job, what string, err any) {
	j.failWith(ctx, job, what, err, nil)
}

// failWith is fail recording result (its notice says why) with the state.
func (j *Jobs) failWith(ctx context.Context, job Job, what string, err any, result []byte) {
	if err != nil {
		j.log.ErrorContext(ctx, "import "+what, "job", job.ID, "user", job.User, "file", job.FileName, "err", err)
	}
	werr := retryWrite(ctx, func(wctx context.Context) error {
		for _, from := range []string{JobParsing, JobCommitting} {
			if switched, err := j.st.SwitchJobState(wctx, job.ID, from, JobFailed, result); err != nil || switched {
				if switched {
					j.notify()
				}
				return err
			}
		}
		return nil
	})
	if werr != nil {
		j.log.ErrorContext(ctx, "job state", "job", job.ID, "err", werr)
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
func (j *Jobs) run(ctx context.Context, r run) (recorded bool) {
	job, p, dryRun := r.job, r.params, r.dryRun
	log := j.log.With("job", job.ID, "user", job.User, "file", job.FileName)
	defer func() {
		if r := recover(); r != nil {
			j.fail(ctx, job, "panicked", r)
			recorded = true
		}
	}()
	// Progress is written by a goroutine of its own, so that the read never
	// waits for the database (SQLite's write lock, held while the original
	// is stored); a report that finds a write still going is skipped.
	var last time.Time
	reports := make(chan sheet.Progress, 1)
	written := make(chan struct{})
	go func() {
		defer close(written)
		for pr := range reports {
			if err := j.st.UpdateJobProgress(ctx, job.ID, pr.Rows, pr.BytesRead, pr.Total); err != nil {
				log.WarnContext(ctx, "job progress", "err", err)
			}
		}
	}()
	stopReports := sync.OnceFunc(func() {
		close(reports)
		<-written
	})
	defer stopReports()
	progress := func(pr sheet.Progress) {
		if time.Since(last) < progressInterval {
			return
		}
		last = time.Now()
		select {
		case reports <- pr:
		default:
		}
	}
	if r.staged != nil {
		done, err := j.commitStaged(ctx, &r)
		if done || err != nil {
			if err != nil {
				j.fail(ctx, job, "failed", err)
			}
			return true
		}
		// Live data moved since the preview, or it staged nothing: read the
		// original again, for a new preview or (nothing staged) the commit,
		// which is still of the data version the preview was made against.
		if !r.dryRun {
			v := r.staged.DataVersion
			r.atVersion = &v
		}
		r.staged = nil
		record := r.up.Record
		if r.up, err = j.fetchFile(ctx, job.SHA256, job.FileName); err != nil {
			j.fail(ctx, job, "failed", err)
			return true
		}
		r.up.Record = record
		defer r.up.remove()
		_ = j.st.UpdateJobProgress(ctx, job.ID, 0, 0, r.up.Size)
	}
	dryRun = r.dryRun
	// A new upload's original is stored while the file is read: both
	// read the temporary file, which is removed only once both are done.
	var kept chan error
	if r.keep {
		kept = make(chan error, 1)
		go func() { kept <- j.keepFile(ctx, r.up) }()
	}
	version, err := j.st.DataVersion(ctx)
	if err != nil {
		log.ErrorContext(ctx, "data version", "err", err)
	}
	req := Request{
		Path: r.up.Path, FileName: r.up.Name, User: job.User, Defaults: p.defaults(),
		DryRun: dryRun, PreviewRows: previewRows, Progress: progress, SHA256: job.SHA256,
		Mappings: p.choices(),
	}
	if dryRun {
		req.Stage = job.ID
	} else {
		req.AtVersion = r.atVersion
	}
	out, err := j.imp.Import(ctx, req)
	if errors.Is(err, ErrDataMoved) {
		// Live data moved between the preview and this commit: show a new
		// preview, as when the staged one was out of date.
		if switched, serr := j.st.SwitchJobState(ctx, job.ID, JobCommitting, JobParsing, nil); serr != nil || !switched {
			err = fmt.Errorf("back to reading after live data moved: %v, %w", switched, serr)
		} else {
			dryRun, r.notice = true, "acct.job.stale"
			req.DryRun, req.Stage, req.AtVersion = true, job.ID, nil
			if version, err = j.st.DataVersion(ctx); err != nil {
				log.ErrorContext(ctx, "data version", "err", err)
			}
			out, err = j.imp.Import(ctx, req)
		}
	}
	var kerr error
	if kept != nil {
		kerr = <-kept
	}
	stopReports() // no progress is written after the job's end
	// The file is read: remove it before the job's state says it is done,
	// so nobody who sees that state finds it still on disk.
	r.up.remove()
	switch {
	case errors.Is(context.Cause(ctx), errJobCancelled):
		// Cancelled on this instance while it was read: nothing of it stays.
		j.discard(ctx, job)
		return true
	case kerr != nil && ctx.Err() == nil:
		// The job's end first, its original after (see importKeeping).
		res, _ := json.Marshal(JobResult{Notice: ErrStorage.Key})
		j.failWith(ctx, job, "could not store its original", kerr, res)
		j.discard(ctx, job)
		return true
	case kerr != nil && err == nil:
		err = kerr
	}
	if err != nil {
		j.fail(ctx, job, "failed", err)
		return true
	}
	// The import is done (a commit is committed): record it even when the
	// job's time ran out or a shutdown cancelled it meanwhile.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), jobFinalWrite)
	defer cancel()
	if !dryRun && out.Status == StatusCommitted {
		j.saveChoices(ctx, job, p, &out)
	}
	if r.up.Record != nil {
		r.up.Record(ctx, out)
	}
	res := NewJobResult(out, version)
	res.Notice = r.notice
	from, to := JobParsing, JobReady
	if !dryRun {
		from, to = JobCommitting, JobFinished
	}
	recorded, switched := j.finishSwitched(ctx, job, from, to, res)
	if recorded && !switched && r.keep {
		// Cancelled on another instance while it was read: the original
		// stored meanwhile goes too (its staged preview went in finish).
		j.discard(ctx, job)
	}
	return recorded
}

// discard removes what a job cancelled (or failed) while its file was read
// left: its staged preview and the original it stored, unless a batch or
// another job names that file.
func (j *Jobs) discard(ctx context.Context, job Job) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), jobFinalWrite)
	defer cancel()
	if err := j.st.DropStaged(ctx, job.ID); err != nil {
		j.log.WarnContext(ctx, "drop the preview of a cancelled upload", "job", job.ID, "err", err) // pruning removes it later
	}
	if err := j.dropFile(ctx, job); err != nil {
		j.log.WarnContext(ctx, "drop the original of a cancelled upload", "job", job.ID, "err", err) // pruning removes it later
	}
}

// commitStaged commits the staged preview of r's job and records the job
// finished (done); when live data moved since the preview, it moves the job
// back to reading for a new preview, and when nothing was staged it leaves
// the job committing, for the caller to read the file (neither done).
func (j *Jobs) commitStaged(ctx context.Context, r *run) (done bool, err error) {
	job := r.job
	out, err := j.imp.CommitStaged(ctx, Staged{Job: job.ID, SHA256: job.SHA256, Version: r.staged.DataVersion, Preview: r.staged.Outcome})
	switch {
	case errors.Is(err, ErrNothingStaged):
		return false, nil
	case errors.Is(err, ErrDataMoved):
		switched, err := j.st.SwitchJobState(ctx, job.ID, JobCommitting, JobParsing, nil)
		if err != nil || !switched {
			return false, fmt.Errorf("back to reading after live data moved: %v, %w", switched, err)
		}
		r.dryRun, r.notice = true, "acct.job.stale"
		return false, nil
	case err != nil:
		return false, err
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), jobFinalWrite)
	defer cancel()
	j.saveChoices(ctx, job, r.params, &out)
	if r.up.Record != nil {
		r.up.Record(ctx, out)
	}
	res := *r.staged
	res.Outcome, res.Notice = out, ""
	j.finish(ctx, job, JobCommitting, JobFinished, res)
	return true, nil
}

// finish records a job's end: its result and its state from → to. It
// reports whether it did.
func (j *Jobs) finish(ctx context.Context, job Job, from, to string, res JobResult) bool {
	recorded, _ := j.finishSwitched(ctx, job, from, to, res)
	return recorded
}

// finishSwitched is finish; switched says the job was still in state from.
func (j *Jobs) finishSwitched(ctx context.Context, job Job, from, to string, res JobResult) (recorded, switched bool) {
	log := j.log.With("job", job.ID, "user", job.User, "file", job.FileName)
	b, err := json.Marshal(res)
	if err != nil {
		j.fail(ctx, job, "result unreadable", err)
		return true, true
	}
	// Last store call of the job: a test or page waiting for the state may
	// close the store right after. A job cancelled while it was read stays
	// cancelled.
	err = retryWrite(ctx, func(wctx context.Context) error {
		var err error
		switched, err = j.st.SwitchJobState(wctx, job.ID, from, to, b)
		return err
	})
	if switched {
		j.notify()
	}
	if err != nil {
		log.ErrorContext(ctx, "job state", "err", err)
		return false, false
	}
	if !switched && to == JobFinished {
		log.ErrorContext(ctx, "job left the committing state while it committed", "to", to)
	}
	if !switched && to == JobReady {
		// Cancelled while it was read: its preview will never be confirmed.
		if err := j.st.DropStaged(ctx, job.ID); err != nil {
			log.WarnContext(ctx, "drop a cancelled preview", "err", err)
		}
	}
	return true, switched
}
