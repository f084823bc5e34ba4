package importer_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"postdash/data"
	"postdash/internal/importer"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

// storedBytes is the original st keeps under sha, or nil when it keeps none.
func storedBytes(t *testing.T, st store.Store, sha string) []byte {
	t.Helper()
	rc, _, _, err := st.OpenFile(context.Background(), sha)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		t.Fatalf("open stored %s: %v", sha, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read stored %s: %v", sha, err)
	}
	return b
}

// forBackends runs fn on a new SQLite file and, with postgresEnv set, on a
// scratch schema of PostgreSQL: an importer and its store.
func forBackends(t *testing.T, fn func(t *testing.T, imp *importer.Importer, st store.Store)) {
	forBackendDSNs(t, func(t *testing.T, dsn string) {
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		fn(t, importer.New(st, sheet.Limits{}, nil), st)
	})
}

// forBackendDSNs runs fn with the DSN of a new SQLite file and, with
// postgresEnv set, of a scratch schema of PostgreSQL.
func forBackendDSNs(t *testing.T, fn func(t *testing.T, dsn string)) {
	for _, be := range []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "test.db") }},
		{"postgres", func(t *testing.T) string { return scratchPostgres(t) }},
	} {
		t.Run(be.name, func(t *testing.T) { fn(t, be.dsn(t)) })
	}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestImportNowKeepsTheOriginalOfACommit: a file on disk imported at once
// (the CLI's way: not hashed yet, no Remove) is committed with its
// original stored byte for byte under the bytes' own SHA-256, and the
// analyst's file is left where it was.
func TestImportNowKeepsTheOriginalOfACommit(t *testing.T) {
	forBackends(t, testImportNowKeepsTheOriginalOfACommit)
}

func testImportNowKeepsTheOriginalOfACommit(t *testing.T, imp *importer.Importer, st store.Store) {
	jobs := importer.NewJobs(imp, st, nil)
	path := writeSample(t)
	out, err := jobs.ImportNow(context.Background(), importer.Upload{Path: path, Name: data.SampleName, User: "ali"}, false)
	if err != nil || out.Status != importer.StatusCommitted {
		t.Fatalf("import: %v, %s %s", err, out.Status, out.Message)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the analyst's file is gone: %v", err)
	}
	if out.SHA256 != sha256Hex(want) {
		t.Errorf("outcome's SHA-256 %s, the file's %s", out.SHA256, sha256Hex(want))
	}
	if got := storedBytes(t, st, sha256Hex(want)); !bytes.Equal(got, want) {
		t.Errorf("stored original: %d bytes, want the file's %d", len(got), len(want))
	}
	bs, err := st.Batches(context.Background())
	if err != nil || len(bs) != 1 || !bs[0].Live() || bs[0].SHA256 != sha256Hex(want) || bs[0].User != "ali" {
		t.Fatalf("batches %+v, %v; want one live batch of the file by ali", bs, err)
	}
}

// TestImportNowStoresNothingItDoesNotCommit: a dry run, a rejected file, a
// refused file and a path that is no file leave no original and no batch;
// a duplicate leaves the first import's original as it was.
func TestImportNowStoresNothingItDoesNotCommit(t *testing.T) {
	forBackends(t, testImportNowStoresNothingItDoesNotCommit)
}

func testImportNowStoresNothingItDoesNotCommit(t *testing.T, imp *importer.Importer, st store.Store) {
	jobs := importer.NewJobs(imp, st, nil)
	ctx := context.Background()
	dir := t.TempDir()
	notes := filepath.Join(dir, "notes.xlsx")
	if err := os.WriteFile(notes, []byte("just some text, not a workbook"), 0o600); err != nil {
		t.Fatal(err)
	}
	rejected := longSheet(t, "bad.xlsx", [][]any{{"2025-02", "inbound", "China Post", "letters", -3, "lots"}})
	cases := []struct {
		name, path string
		dryRun     bool
		want       string
	}{
		{"dry run", writeSample(t), true, importer.StatusDryRun},
		{"rejected", rejected, false, importer.StatusRejected},
		{"refused", notes, false, importer.StatusRefused},
		{"no file", filepath.Join(dir, "missing.xlsx"), false, importer.StatusRefused},
	}
	for _, c := range cases {
		out, err := jobs.ImportNow(ctx, importer.Upload{Path: c.path, Name: filepath.Base(c.path), User: "ali"}, c.dryRun)
		if err != nil || out.Status != c.want {
			t.Fatalf("%s: %v, %s; want %s", c.name, err, out.Status, c.want)
		}
		if b, err := os.ReadFile(c.path); err == nil {
			if got := storedBytes(t, st, sha256Hex(b)); got != nil {
				t.Errorf("%s: its original (%d bytes) is stored", c.name, len(got))
			}
		}
	}
	if bs, err := st.Batches(ctx); err != nil || len(bs) != 0 {
		t.Fatalf("batches %+v, %v; want none", bs, err)
	}
	sample := writeSample(t)
	want, _ := os.ReadFile(sample)
	for i, status := range []string{importer.StatusCommitted, importer.StatusDuplicate} {
		out, err := jobs.ImportNow(ctx, importer.Upload{Path: sample, Name: data.SampleName, User: "ali"}, false)
		if err != nil || out.Status != status {
			t.Fatalf("import %d: %v, %s; want %s", i+1, err, out.Status, status)
		}
	}
	if got := storedBytes(t, st, sha256Hex(want)); !bytes.Equal(got, want) {
		t.Errorf("after the duplicate, the stored original is %d bytes, want the first import's %d", len(got), len(want))
	}
}

// noRoom is a store that cannot keep originals, as on a full disk.
type noRoom struct{ store.Store }

func (noRoom) PutFile(context.Context, string, string, io.Reader) error {
	return errors.New("write: no space left on device")
}

// TestImportNowCommitsNothingWithoutItsOriginal: when the original cannot
// be stored, the import fails with ErrStorage and no batch is ever
// committed (not even one undone at once).
func TestImportNowCommitsNothingWithoutItsOriginal(t *testing.T) {
	forBackends(t, func(t *testing.T, _ *importer.Importer, st store.Store) {
		testImportNowCommitsNothingWithoutItsOriginal(t, st)
	})
}

func testImportNowCommitsNothingWithoutItsOriginal(t *testing.T, st store.Store) {
	full := noRoom{st}
	jobs := importer.NewJobs(importer.New(full, sheet.Limits{}, nil), full, nil)
	out, err := jobs.ImportNow(context.Background(), importer.Upload{Path: writeSample(t), Name: data.SampleName, User: "ali"}, false)
	if !errors.Is(err, importer.ErrStorage) || out.Status == importer.StatusCommitted {
		t.Fatalf("import: %v, %s; want ErrStorage and no commit", err, out.Status)
	}
	if bs, err := st.Batches(context.Background()); err != nil || len(bs) != 0 {
		t.Fatalf("batches %+v, %v; want none", bs, err)
	}
}

// TestImportNowRacingARejectionOfTheSameBytes: the same bytes imported twice
// at once, by one analyst with a mapping saying what its unknown column
// holds (committed) and by another without (rejected): the rejected
// import drops the original it may have stored only when nothing else
// names it, so the committed batch always keeps its original, whichever
// import stored it.
func TestImportNowRacingARejectionOfTheSameBytes(t *testing.T) {
	foo := sheet.Mapping{Format: sheet.MappingFormat, Version: sheet.MappingVersion,
		Header:  []string{"month", "letters inbound, kg", "foo bar"},
		Columns: []sheet.ColumnChoice{{Header: "foo bar", Meaning: "measure", Category: "parcel", Direction: "inbound", Unit: "t"}}}
	forBackends(t, func(t *testing.T, imp *importer.Importer, st store.Store) {
		jobs := importer.NewJobs(imp, st, nil)
		for round := range 8 {
			// New bytes every round: a file committed before would be a
			// duplicate, and its batch would keep its original anyway.
			path := sheetWithAnUnknownColumn(t, round+1)
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			outs := make([]importer.Outcome, 2)
			errs := make([]error, 2)
			for i, ms := range [][]sheet.Mapping{{foo}, nil} {
				wg.Go(func() {
					outs[i], errs[i] = jobs.ImportNow(context.Background(), importer.Upload{Path: path, Name: "march.xlsx",
						User: []string{"ali", "dilnoza"}[i], Mappings: ms}, false)
				})
			}
			wg.Wait()
			// The second is a duplicate when it began after the first's
			// commit (a small file is read in milliseconds).
			if second := outs[1].Status; errs[0] != nil || errs[1] != nil || outs[0].Status != importer.StatusCommitted ||
				second != importer.StatusRejected && second != importer.StatusDuplicate {
				t.Fatalf("round %d: %v %s, %v %s; want committed, and rejected or a duplicate", round, errs[0], outs[0].Status, errs[1], second)
			}
			if got := storedBytes(t, st, sha256Hex(want)); !bytes.Equal(got, want) {
				t.Fatalf("round %d: the committed batch's original is %d bytes, want %d", round, len(got), len(want))
			}
		}
	})
}

// sheetWithAnUnknownColumn is a wide sheet whose third column's header
// says nothing postdash knows; k scales its figures.
func sheetWithAnUnknownColumn(t *testing.T, k int) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{{"Month", "Letters inbound, kg", "Foo bar"}}
	for m := 1; m <= 12; m++ {
		rows = append(rows, []any{fmt.Sprintf("2025-%02d", m), float64(k*m) / 2, k * m})
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "march.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPruneForgetsTheImportsOfAKilledProcess: a job left committing (or
// reading) by a process killed outright, not updated for UploadRetention,
// is pruned with the original it named; one begun now stays, and so does
// its original.
func TestPruneForgetsTheImportsOfAKilledProcess(t *testing.T) {
	forBackendDSNs(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		put := func(st store.Store, id, state, content string) string {
			t.Helper()
			sha := sha256Hex([]byte(content))
			if err := st.CreateJob(ctx, store.Job{ID: id, User: "ali", FileName: id + ".xlsx", SHA256: sha, State: state}); err != nil {
				t.Fatal(err)
			}
			if err := st.PutFile(ctx, sha, id+".xlsx", strings.NewReader(content)); err != nil {
				t.Fatal(err)
			}
			return sha
		}
		then := time.Now().Add(-importer.UploadRetention - time.Hour)
		old, err := store.OpenWithClock(ctx, dsn, func() time.Time { return then })
		if err != nil {
			t.Fatal(err)
		}
		dead := []string{put(old, "killed-cli", importer.JobCommitting, "killed cli"), put(old, "killed-page", importer.JobParsing, "killed page")}
		old.Close()
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		alive := put(st, "running", importer.JobCommitting, "running")
		jobs := importer.NewJobs(importer.New(st, sheet.Limits{}, nil), st, nil)
		pctx, stop := context.WithCancel(ctx)
		pruned := make(chan struct{})
		go func() { defer close(pruned); jobs.Prune(pctx, time.Hour) }()
		deadline := time.Now().Add(10 * time.Second)
		for _, id := range []string{"killed-cli", "killed-page"} {
			for _, err := st.Job(ctx, id); !errors.Is(err, store.ErrNotFound); _, err = st.Job(ctx, id) {
				if time.Now().After(deadline) {
					t.Fatalf("job %s not pruned: %v", id, err)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		stop()
		<-pruned
		for _, sha := range dead {
			if got := storedBytes(t, st, sha); got != nil {
				t.Errorf("the original of a pruned job is still stored (%q)", got)
			}
		}
		if _, err := st.Job(ctx, "running"); err != nil {
			t.Errorf("a job begun now was pruned: %v", err)
		}
		if got := storedBytes(t, st, alive); string(got) != "running" {
			t.Errorf("the original of a job begun now: %q", got)
		}
	})
}

// jobSpy is a store that remembers the jobs created in it.
type jobSpy struct {
	store.Store
	mu  sync.Mutex
	ids []string
}

func (s *jobSpy) CreateJob(ctx context.Context, j store.Job) error {
	s.mu.Lock()
	s.ids = append(s.ids, j.ID)
	s.mu.Unlock()
	return s.Store.CreateJob(ctx, j)
}

// states are the states of the jobs created so far.
func (s *jobSpy) states(t *testing.T) []string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, id := range s.ids {
		j, err := s.Job(context.Background(), id)
		if err != nil {
			t.Fatalf("job %s: %v", id, err)
		}
		out = append(out, j.State)
	}
	return out
}

// TestImportNowEndsItsJobs: every import made at once that commits
// records one job, finished when it returns, and a dry run records none;
// one whose original cannot be stored ends failed. None is left reading
// or committing (a job left so would keep its original for 30 days).
func TestImportNowEndsItsJobs(t *testing.T) {
	forBackends(t, func(t *testing.T, _ *importer.Importer, st store.Store) {
		ctx := context.Background()
		spy := &jobSpy{Store: st}
		jobs := importer.NewJobs(importer.New(spy, sheet.Limits{}, nil), spy, nil)
		sample := writeSample(t)
		bad := longSheet(t, "bad.xlsx", [][]any{{"2025-02", "inbound", "China Post", "letters", -3, "lots"}})
		for _, c := range []struct {
			path   string
			dryRun bool
		}{{sample, true}, {bad, false}, {sample, false}, {sample, false}} {
			if _, err := jobs.ImportNow(ctx, importer.Upload{Path: c.path, Name: filepath.Base(c.path), User: "ali"}, c.dryRun); err != nil {
				t.Fatal(err)
			}
		}
		// The dry run made none; the rejection, the commit and the duplicate one each.
		if got := spy.states(t); len(got) != 3 || got[0] != importer.JobFinished || got[1] != importer.JobFinished || got[2] != importer.JobFinished {
			t.Errorf("job states %v, want three finished", got)
		}
		full := &jobSpy{Store: noRoom{st}}
		jobs = importer.NewJobs(importer.New(full, sheet.Limits{}, nil), full, nil)
		if _, err := jobs.ImportNow(ctx, importer.Upload{Path: longSheet(t, "other.xlsx", [][]any{{"2025-03", "inbound", "China Post", "letters", 3, 1.5}}), Name: "other.xlsx", User: "ali"}, false); !errors.Is(err, importer.ErrStorage) {
			t.Fatalf("import without room: %v, want ErrStorage", err)
		}
		if got := full.states(t); len(got) != 1 || got[0] != importer.JobFailed {
			t.Errorf("job states without room %v, want one failed", got)
		}
	})
}

// dropsTogether is a store whose drops of an original wait for each other
// (up to a second): two imports that end together drop at the same time.
type dropsTogether struct {
	store.Store
	arrived chan struct{}
}

func (s dropsTogether) DropFileUnlessNamed(ctx context.Context, sha, job string, live ...string) error {
	select {
	case s.arrived <- struct{}{}: // the first waits for the second
	case <-s.arrived: // the second lets the first go
	case <-time.After(time.Second):
	}
	return s.Store.DropFileUnlessNamed(ctx, sha, job, live...)
}

// TestImportNowTwoRejectionsKeepNothing: two imports of the same bytes,
// both rejected and dropping the original at the same moment, leave it
// stored by neither: each records its end before it drops, so the later
// drop sees no job still committing.
func TestImportNowTwoRejectionsKeepNothing(t *testing.T) {
	forBackends(t, func(t *testing.T, _ *importer.Importer, st store.Store) {
		together := dropsTogether{Store: st, arrived: make(chan struct{})}
		jobs := importer.NewJobs(importer.New(together, sheet.Limits{}, nil), together, nil)
		path := sheetWithAnUnknownColumn(t, 1)
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for _, user := range []string{"ali", "dilnoza"} {
			wg.Go(func() {
				out, err := jobs.ImportNow(context.Background(), importer.Upload{Path: path, Name: "march.xlsx", User: user}, false)
				if err != nil || out.Status != importer.StatusRejected {
					t.Errorf("%s: %v, %s; want rejected", user, err, out.Status)
				}
			})
		}
		wg.Wait()
		if got := storedBytes(t, st, sha256Hex(want)); got != nil {
			t.Errorf("the original of a file rejected twice is still stored (%d bytes)", len(got))
		}
	})
}
