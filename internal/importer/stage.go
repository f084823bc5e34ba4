package importer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// A preview stages what it read in the store, so that its confirm commits
// exactly those facts without reading the file again: part 0 is the batch
// to commit (JSON), the parts after it the facts, stagedFactsPerPart at a
// time (in stagecodec's form: about 40 bytes a fact).
const stagedFactsPerPart = 16384

// ErrNothingStaged says a job has no staged preview to commit.
var ErrNothingStaged = errors.New("the preview left nothing staged")

// ErrDataMoved says live data changed since the preview was made: its diff
// is out of date and the file is not committed blind.
var ErrDataMoved = errors.New("live data changed since the preview")

// stage keeps b and facts as job's staged preview, replacing any earlier one.
func (im *Importer) stage(ctx context.Context, job string, b *store.Batch, facts []postal.Fact) error {
	if err := im.store.DropStaged(ctx, job); err != nil {
		return err
	}
	data, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("stage batch of job %s: %w", job, err)
	}
	if err := im.store.StagePart(ctx, job, 0, data); err != nil {
		return err
	}
	var buf []byte
	for i, part := 0, 1; i < len(facts); i, part = i+stagedFactsPerPart, part+1 {
		buf = encodeFacts(buf[:0], facts[i:min(i+stagedFactsPerPart, len(facts))])
		if err := im.store.StagePart(ctx, job, part, buf); err != nil {
			return err
		}
	}
	return nil
}

// Staged is a previewed import, committed as it was previewed.
type Staged struct {
	Job     string
	SHA256  string  // the job's file: the staged batch must be of it
	Version int64   // the data version the preview's diff was made against
	Preview Outcome // the preview's outcome, which the commit's repeats
}

// CommitStaged commits what job's preview staged, after checking that it
// is of the job's file and that live data are still those the preview's
// diff was made against (ErrDataMoved otherwise; nothing is committed).
// ErrNothingStaged when the preview staged nothing.
func (im *Importer) CommitStaged(ctx context.Context, st Staged) (Outcome, error) {
	out := st.Preview
	var b *store.Batch
	var facts []postal.Fact
	err := im.store.StagedParts(ctx, st.Job, func(part int, data []byte) error {
		if part == 0 {
			b = new(store.Batch)
			return json.Unmarshal(data, b)
		}
		if b == nil {
			return fmt.Errorf("staged part %d without its batch", part)
		}
		fs, err := decodeFacts(data)
		if err != nil {
			return fmt.Errorf("staged part %d: %w", part, err)
		}
		if facts == nil {
			facts = fs
		} else {
			facts = append(facts, fs...)
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("read the staged preview of job %s: %w", st.Job, err)
	}
	if b == nil {
		return out, ErrNothingStaged
	}
	if b.SHA256 != st.SHA256 || int64(len(facts)) != b.Facts {
		return out, fmt.Errorf("the staged preview of job %s is of file %s with %d facts, not of %s with %d",
			st.Job, b.SHA256, len(facts), st.SHA256, b.Facts)
	}
	b.ID = 0
	// The check that live data have not moved and the commit are one
	// transaction: a commit or undo between them would leave the preview's
	// diff stale.
	if err := im.store.CommitBatchAt(ctx, b, facts, st.Version); err != nil {
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
	if err := im.store.DropStaged(ctx, st.Job); err != nil {
		im.log.WarnContext(ctx, "drop a committed preview", "job", st.Job, "err", err) // pruning removes it later
	}
	out.Status = StatusCommitted
	out.Batch = b.ID
	im.log.InfoContext(ctx, "import committed", "batch", b.ID, "file", out.File, "user", b.User, "rows", out.Rows, "facts", out.Facts, "staged", true)
	return out, nil
}
