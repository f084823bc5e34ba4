package importer_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"

	"postdash/internal/importer"
	"postdash/internal/postal"
	"postdash/internal/store"
)

// TestCommitStagedCommitsThePreviewWithoutTheFile: a preview's facts are
// kept in the store, and its confirm commits them even when the file is
// gone (it is not read again); the batch holds the values the sheet holds.
func TestCommitStagedCommitsThePreviewWithoutTheFile(t *testing.T) {
	imp, st := newImporter(t)
	ctx := context.Background()
	if err := st.CreateJob(ctx, store.Job{ID: "j1", User: "ali", FileName: "h1.xlsx", SHA256: "x", State: "parsing"}); err != nil {
		t.Fatal(err)
	}
	path := longSheet(t, "h1.xlsx", [][]any{
		{"2025-01", "inbound", "china_post", "parcel", 10, 2.5},
		{"2025-02", "inbound", "china_post", "parcel", 20, 4},
	})
	prev, err := imp.Import(ctx, importer.Request{Path: path, FileName: "h1.xlsx", User: "ali", DryRun: true, Stage: "j1"})
	if err != nil || prev.Status != importer.StatusDryRun {
		t.Fatalf("preview: %s %v", prev.Status, err)
	}
	version, err := st.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	staged := importer.Staged{Job: "j1", SHA256: prev.SHA256, Version: version, Preview: prev}

	if _, err := imp.CommitStaged(ctx, importer.Staged{Job: "j1", SHA256: "another file", Version: version, Preview: prev}); err == nil {
		t.Error("a staged preview was committed for another file's hash")
	}
	out, err := imp.CommitStaged(ctx, staged)
	if err != nil || out.Status != importer.StatusCommitted || out.Batch == 0 {
		t.Fatalf("commit staged: %s batch %d, %v", out.Status, out.Batch, err)
	}
	got := total(t, st, nil)
	if got.Items != 30 || got.WeightKg != 6.5 {
		t.Errorf("committed %d items, %v kg; the sheet holds 30 items, 6.5 kg", got.Items, got.WeightKg)
	}
	b, err := st.Batch(ctx, out.Batch)
	if err != nil || b.SHA256 != prev.SHA256 || b.User != "ali" || b.Facts != 2 {
		t.Errorf("batch %+v, %v; want the file's hash, ali, 2 facts", b, err)
	}
	if _, err := imp.CommitStaged(ctx, staged); !errors.Is(err, importer.ErrNothingStaged) {
		t.Errorf("a second commit of one preview: %v, want ErrNothingStaged", err)
	}
}

// TestCommitStagedRefusesWhenLiveDataMoved: when a batch was committed or
// undone after the preview, its diff is out of date: nothing is committed.
func TestCommitStagedRefusesWhenLiveDataMoved(t *testing.T) {
	imp, st := newImporter(t)
	ctx := context.Background()
	if err := st.CreateJob(ctx, store.Job{ID: "j1", User: "ali", FileName: "a.xlsx", SHA256: "x", State: "parsing"}); err != nil {
		t.Fatal(err)
	}
	a := longSheet(t, "a.xlsx", [][]any{{"2025-01", "inbound", "china_post", "parcel", 10, 2.5}})
	prev, err := imp.Import(ctx, importer.Request{Path: a, FileName: "a.xlsx", User: "ali", DryRun: true, Stage: "j1"})
	if err != nil {
		t.Fatal(err)
	}
	version, _ := st.DataVersion(ctx)
	other := longSheet(t, "b.xlsx", [][]any{{"2025-01", "inbound", "china_post", "parcel", 99, 9}})
	if out, err := imp.Import(ctx, importer.Request{Path: other, FileName: "b.xlsx", User: "bea"}); err != nil || out.Status != importer.StatusCommitted {
		t.Fatalf("other import: %s %v", out.Status, err)
	}
	_, err = imp.CommitStaged(ctx, importer.Staged{Job: "j1", SHA256: prev.SHA256, Version: version, Preview: prev})
	if !errors.Is(err, importer.ErrDataMoved) {
		t.Fatalf("commit after live data moved: %v, want ErrDataMoved", err)
	}
	if got := total(t, st, map[postal.Field][]string{}); got.Items != 99 {
		t.Errorf("live items %d, want 99 (b.xlsx only)", got.Items)
	}
}

// TestConfirmsRacingAnImportNeverCommitAStalePreview: two previews made
// against the same live data are confirmed while a third file is imported.
// A confirm may only commit when live data are still those its diff was
// made against: at most one of the two commits, and only before the import.
func TestConfirmsRacingAnImportNeverCommitAStalePreview(t *testing.T) {
	imp, st := newImporter(t)
	ctx := context.Background()
	for round := range 6 {
		var staged [2]importer.Staged
		for i := range 2 {
			job := fmt.Sprintf("r%d-j%d", round, i)
			if err := st.CreateJob(ctx, store.Job{ID: job, User: "ali", FileName: job + ".xlsx", SHA256: "x", State: "parsing"}); err != nil {
				t.Fatal(err)
			}
			path := longSheet(t, job+".xlsx", [][]any{{"2025-01", "inbound", "china_post", "parcel", 10*round + i + 1, 1}})
			prev, err := imp.Import(ctx, importer.Request{Path: path, FileName: job + ".xlsx", User: "ali", DryRun: true, Stage: job})
			if err != nil || prev.Status != importer.StatusDryRun {
				t.Fatalf("preview %s: %s %v", job, prev.Status, err)
			}
			staged[i] = importer.Staged{Job: job, SHA256: prev.SHA256, Preview: prev}
		}
		version, err := st.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		third := longSheet(t, fmt.Sprintf("r%d-c.xlsx", round), [][]any{{"2025-01", "inbound", "china_post", "parcel", 1000 + round, 5}})
		var (
			wg      sync.WaitGroup
			outs    [3]importer.Outcome
			errs    [3]error
			release = make(chan struct{})
		)
		for i := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-release
				if i < 2 {
					s := staged[i]
					s.Version = version
					outs[i], errs[i] = imp.CommitStaged(ctx, s)
				} else {
					outs[i], errs[i] = imp.Import(ctx, importer.Request{Path: third, FileName: "c.xlsx", User: "bea"})
				}
			}()
		}
		close(release)
		wg.Wait()
		if errs[2] != nil || outs[2].Status != importer.StatusCommitted {
			t.Fatalf("round %d: the import: %s %v", round, outs[2].Status, errs[2])
		}
		committed := 0
		for i := range 2 {
			switch {
			case errors.Is(errs[i], importer.ErrDataMoved):
			case errs[i] != nil:
				t.Fatalf("round %d: confirm %d: %v", round, i, errs[i])
			case outs[i].Status == importer.StatusCommitted:
				committed++
				if outs[i].Batch > outs[2].Batch {
					t.Errorf("round %d: confirm %d committed batch %d after the import's %d: a stale preview", round, i, outs[i].Batch, outs[2].Batch)
				}
			default:
				t.Errorf("round %d: confirm %d: status %s", round, i, outs[i].Status)
			}
		}
		if committed > 1 {
			t.Errorf("round %d: both previews made against data version %d committed", round, version)
		}
	}
}
