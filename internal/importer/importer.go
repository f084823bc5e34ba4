// Package importer runs one import end to end: read the file, validate it,
// compare it with live data, and commit it as a batch, or undo a batch. The
// command line and the web upload use the same engine.
package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"postdash/internal/logctx"
	"postdash/internal/postal"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

// Statuses of an import, as the contract names them.
const (
	StatusCommitted = "committed"
	StatusDryRun    = "dry_run"
	StatusRejected  = "rejected"
	StatusRefused   = "refused"
	StatusDuplicate = "duplicate"
)

// Importer imports files into a store.
type Importer struct {
	store  store.Store
	limits sheet.Limits
	log    *slog.Logger
}

// New returns an Importer writing to st.
func New(st store.Store, limits sheet.Limits, log *slog.Logger) *Importer {
	return &Importer{store: st, limits: limits, log: logctx.Logger(log)}
}

// Request is one file to import.
type Request struct {
	Path        string // where the bytes are
	FileName    string // the name the user gave (its extension decides the format)
	User        string
	Defaults    sheet.Defaults
	DryRun      bool
	PreviewRows int
	Progress    func(sheet.Progress)
	// SHA256 is the file's hash when its receiver computed it already (a
	// file is hashed once, while it is received); empty to hash it here.
	SHA256 string
	// Stage names the job whose preview this dry run is: what it reads is
	// kept for the job's confirm (CommitStaged), so it is not read twice.
	Stage string
	// Mappings are given for this import (a file, the preview's choices):
	// they win over the saved mappings, which apply too.
	Mappings []sheet.Mapping
	// AtVersion, when set, commits only if live data are still at that
	// data version (the one a confirmed preview was made against), checked
	// in the commit's transaction; ErrDataMoved otherwise.
	AtVersion *int64
	// BeforeCommit, when set, is called just before the batch is
	// committed; its error stops the commit (and is Import's error). The
	// API's and the CLI's imports wait in it for their original to be
	// stored, so that no batch is ever seen without it.
	BeforeCommit func() error
}

// Totals sums what a file holds.
type Totals struct {
	Items    int64   `json:"items"`
	WeightKg float64 `json:"weight_kg"`
}

// Outcome is what an import answers; its JSON form is the contract's.
type Outcome struct {
	File       string        `json:"file"`
	Status     string        `json:"status"`
	Batch      int64         `json:"batch,omitempty"`
	Layout     string        `json:"layout,omitempty"`
	Rows       int64         `json:"rows"`
	Facts      int64         `json:"facts"`
	Errors     []sheet.Issue `json:"errors"`
	ErrorCount int           `json:"error_count"`
	Warnings   []sheet.Issue `json:"warnings"` // the first Limits.MaxWarnings
	// WarningCount counts every warning, including those not kept.
	WarningCount int            `json:"warning_count,omitempty"`
	Totals       Totals         `json:"totals"`
	Sheets       []SheetOutcome `json:"sheets"`
	Message      string         `json:"message,omitempty"` // why a file was refused or is a duplicate
	SHA256       string         `json:"sha256,omitempty"`
	// Mapping names the mapping applied (the first, when tables have several).
	Mapping *sheet.MappingRef `json:"mapping,omitempty"`

	Refusal *sheet.RefusedError `json:"-"`
	// Msg is Message as a catalog key and its arguments (a duplicate, a
	// path that is not a file), for the edge to say in the user's language.
	Msg    *IssueJSON    `json:"-"`
	Result *sheet.Result `json:"-"`
	Diff   []Change      `json:"-"`
	// Changes is the diff of a dry run against live data, bounded.
	Changes *DiffSummary `json:"diff,omitempty"`
}

// ExitCode is the CLI exit status the contract gives for this outcome.
func (o Outcome) ExitCode() int {
	switch o.Status {
	case StatusCommitted, StatusDryRun:
		return 0
	case StatusRejected:
		return 1
	default:
		return 2
	}
}

// Import reads req.Path and, unless it is a dry run or has errors, commits it
// as one batch. The returned error is for failures of the system (I/O,
// database), never for a bad file: those are in the Outcome.
func (im *Importer) Import(ctx context.Context, req Request) (Outcome, error) {
	out := Outcome{File: filepath.Base(req.FileName), Errors: []sheet.Issue{}, Warnings: []sheet.Issue{}, Sheets: []SheetOutcome{}}
	req.Defaults = sheet.CanonicalDefaults(req.Defaults) // what the batch records
	if why := notAFile(req.Path); why != "" {
		out.Status = StatusRefused
		out.say(why, map[string]string{"file": req.FileName}, fmt.Sprintf("%s: %s", req.FileName, whyText[why]))
		return out, nil
	}
	sum := req.SHA256
	if sum == "" {
		var err error
		if sum, err = fileSHA256(req.Path); err != nil {
			return out, fmt.Errorf("hash %s: %w", req.FileName, err)
		}
	}
	out.SHA256 = sum
	if b, err := im.store.LiveBatchBySHA(ctx, sum); err == nil {
		out.Status = StatusDuplicate
		out.Batch = b.ID
		// The time travels as {at}: the edge writes it as {when} in its
		// readers' zone (InZone); the English fallback says UTC.
		when := b.CreatedAt.UTC().Format(WhenLayout) + " UTC"
		out.say(KeyDuplicate, map[string]string{"batch": strconv.FormatInt(b.ID, 10), ArgAt: b.CreatedAt.UTC().Format(time.RFC3339Nano), "when": when, "user": b.User},
			fmt.Sprintf("This file was already imported as batch %d (%s, by %s); undo that batch first to import it again.", b.ID, when, b.User))
		return out, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return out, fmt.Errorf("look up batch by SHA-256: %w", err)
	}

	saved, err := im.Mappings(ctx)
	if err != nil {
		return out, fmt.Errorf("read the saved mappings: %w", err)
	}
	res, err := sheet.ReadFile(ctx, req.Path, req.FileName, sheet.Options{
		Defaults:      req.Defaults,
		Limits:        im.limits,
		Progress:      req.Progress,
		PreviewRows:   req.PreviewRows,
		Log:           im.log,
		Mappings:      req.Mappings,
		SavedMappings: saved,
	})
	var refused *sheet.RefusedError
	if errors.As(err, &refused) {
		out.Status = StatusRefused
		out.Message = refused.Text
		out.Refusal = refused
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("read %s: %w", req.FileName, err)
	}
	out.Result = res
	out.Sheets = sheetOutcomes(res)
	out.Layout = res.Layout()
	out.Rows = res.Rows
	out.Facts = int64(len(res.Facts))
	out.Errors = append(out.Errors, res.Errors...)
	out.ErrorCount = res.ErrorCount
	out.Warnings = append(out.Warnings, res.Warnings...)
	out.WarningCount += res.WarningCount
	out.Totals = totalsOf(res.Facts)
	out.Mapping = appliedMapping(res)
	if res.ErrorCount > 0 {
		out.Status = StatusRejected
		return out, nil
	}
	diff, err := im.Diff(ctx, res.Facts)
	if err != nil {
		return out, err
	}
	out.Diff = diff
	b := &store.Batch{
		FileName:    out.File,
		SHA256:      sum,
		User:        req.User,
		Direction:   string(req.Defaults.Direction),
		Partner:     req.Defaults.Partner,
		Marketplace: req.Defaults.Marketplace,
		Sheets:      sheetsWithFacts(res),
		Notes:       notesOf(res),
		Rows:        res.Rows,
		Facts:       out.Facts,
		Items:       out.Totals.Items,
		WeightKg:    out.Totals.WeightKg,
	}
	if req.DryRun {
		if req.Stage != "" {
			if err := im.stage(ctx, req.Stage, b, res.Facts); err != nil {
				return out, fmt.Errorf("stage the preview of %s: %w", req.FileName, err)
			}
		}
		sum := Summarize(diff, MaxDiffRows)
		out.Changes = &sum
		out.Status = StatusDryRun
		return out, nil
	}
	if req.BeforeCommit != nil {
		if err := req.BeforeCommit(); err != nil {
			return out, fmt.Errorf("before the commit of %s: %w", req.FileName, err)
		}
	}
	if req.AtVersion != nil {
		err = im.store.CommitBatchAt(ctx, b, res.Facts, *req.AtVersion)
	} else {
		err = im.store.CommitBatch(ctx, b, res.Facts)
	}
	if err != nil {
		if errors.Is(err, store.ErrVersionMoved) {
			return out, ErrDataMoved
		}
		if errors.Is(err, store.ErrDuplicate) {
			out.Status = StatusDuplicate
			out.sayDuplicateRace()
			return out, nil
		}
		return out, err // the store's error names the batch's file
	}
	out.Status = StatusCommitted
	out.Batch = b.ID
	im.log.InfoContext(ctx, "import committed", "batch", b.ID, "file", out.File, "user", req.User, "rows", out.Rows, "facts", out.Facts)
	return out, nil
}

// Undo undoes a batch, bringing back what it superseded.
func (im *Importer) Undo(ctx context.Context, id int64, user string) error {
	if err := im.store.UndoBatch(ctx, id, user); err != nil {
		return err // the store's error names the batch
	}
	im.log.InfoContext(ctx, "batch undone", "batch", id, "user", user)
	return nil
}

// notAFile says why path is not a file that can be read, or "".
// The catalog keys of an outcome's Message (see Outcome.Msg); each has the
// placeholders its English text below fills.
const (
	KeyDuplicate     = "outcome.duplicate"      // {batch} {when} {user}
	KeyDuplicateRace = "outcome.duplicate_race" // no placeholder
	KeyNoSuchFile    = "outcome.no_such_file"   // {file}
	KeyPermission    = "outcome.permission"     // {file}
	KeyUnreadable    = "outcome.unreadable"     // {file}
	KeyDirectory     = "outcome.directory"      // {file}
)

// whyText is the English of notAFile's keys, after "{file}: ".
var whyText = map[string]string{
	KeyNoSuchFile: "no such file",
	KeyPermission: "permission denied",
	KeyUnreadable: "cannot be read",
	KeyDirectory:  "is a directory, not a file",
}

// ArgAt is the argument of a message that carries a time (RFC 3339, UTC),
// for the edge to write as {when} in its readers' time zone (InZone).
const ArgAt = "at"

// WhenLayout is how a message writes a time, as the pages write times.
const WhenLayout = "2006-01-02 15:04"

// InZone returns args with {when} written from {at} in loc, or args as
// they are when they carry no time.
func InZone(args map[string]string, loc *time.Location) map[string]string {
	at, err := time.Parse(time.RFC3339Nano, args[ArgAt])
	if err != nil || loc == nil {
		return args
	}
	out := maps.Clone(args)
	out["when"] = at.In(loc).Format(WhenLayout)
	return out
}

// say sets the outcome's message: its key and arguments, and its English.
func (o *Outcome) say(key string, args map[string]string, text string) {
	o.Msg = &IssueJSON{Key: key, Args: args, Text: text}
	o.Message = text
}

func (o *Outcome) sayDuplicateRace() {
	o.say(KeyDuplicateRace, nil, "This file was imported by someone else a moment ago; undo that batch first to import it again.")
}

// Localize returns the outcome with its sentences said by t (a catalog's T
// in the user's language): Message from the refusal's or Msg's key and
// arguments (the reasons of skipped sheets said by t too), and the text of
// each error and warning. A key t does not know keeps the English.
func (o Outcome) Localize(t func(key string, args map[string]string) string) Outcome {
	say := func(key string, args map[string]string, english string) string {
		if key == "" {
			return english
		}
		if s := t(key, args); s != key {
			return s
		}
		return english
	}
	switch {
	case o.Refusal != nil:
		args := o.Refusal.Args
		if len(o.Refusal.Sheets) > 0 {
			why := make([]string, 0, len(o.Refusal.Sheets))
			for _, s := range o.Refusal.Sheets {
				why = append(why, say(s.Key, s.Args, s.Text))
			}
			args = maps.Clone(args)
			if args == nil {
				args = map[string]string{}
			}
			args["sheets"] = strings.Join(why, " ")
		}
		o.Message = say(o.Refusal.Key, args, o.Message)
	case o.Msg != nil:
		o.Message = say(o.Msg.Key, o.Msg.Args, o.Message)
	}
	issues := func(in []sheet.Issue) []sheet.Issue {
		if in == nil {
			return nil
		}
		out := make([]sheet.Issue, len(in)) // not in place: o shares them with its caller
		for i, is := range in {
			is.Text = say(is.Key, is.Args, is.Text)
			out[i] = is
		}
		return out
	}
	o.Errors, o.Warnings = issues(o.Errors), issues(o.Warnings)
	return o
}

// notAFile returns the key saying why path is not a readable file, or "".
func notAFile(path string) string {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return KeyNoSuchFile
	case errors.Is(err, os.ErrPermission):
		return KeyPermission
	case err != nil:
		return KeyUnreadable
	case st.IsDir():
		return KeyDirectory
	}
	return ""
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func totalsOf(facts []postal.Fact) Totals {
	var t Totals
	for _, f := range facts {
		t.Items += f.Items
		t.WeightKg += f.WeightKg
	}
	t.WeightKg = postal.RoundKg(t.WeightKg)
	return t
}

// SheetOutcome is what the outcome says of one sheet: its tables, each
// with its range, layout, context, columns and the accounting of its
// numeric cells (contract section 7).
type SheetOutcome struct {
	Name   string        `json:"name"`
	Status string        `json:"status"`
	Note   string        `json:"note,omitempty"`
	Tables []sheet.Table `json:"tables"`
}

func sheetOutcomes(res *sheet.Result) []SheetOutcome {
	out := make([]SheetOutcome, 0, len(res.Sheets))
	for _, s := range res.Sheets {
		so := SheetOutcome{Name: s.Name, Status: s.Status, Tables: s.Tables}
		if so.Tables == nil {
			so.Tables = []sheet.Table{}
		}
		if s.Note != nil {
			so.Note = s.Note.Text
		}
		out = append(out, so)
	}
	return out
}

func sheetsWithFacts(res *sheet.Result) []string {
	var names []string
	for _, s := range res.Sheets {
		if s.Facts > 0 {
			names = append(names, s.Name)
		}
	}
	return names
}

// notesOf collects the text the workbook carries beside its figures, sheet by sheet.
func notesOf(res *sheet.Result) []store.Note {
	var out []store.Note
	for _, s := range res.Sheets {
		for _, line := range s.Notes {
			out = append(out, store.Note{Sheet: s.Name, Text: line})
		}
	}
	return out
}
