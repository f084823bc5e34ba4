package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"postdash/data"
	"postdash/internal/importer"
)

// sampleUser is who the sample workbook's batch says imported it.
const sampleUser = "postdash (sample)"

// EnsureSample imports the embedded sample workbook when the store holds no
// batch at all (not even undone ones), so a fresh database shows real-looking
// figures. It logs what it did.
func EnsureSample(ctx context.Context, st importer.Store, imp *importer.Importer, log *slog.Logger) error {
	batches, err := st.Batches(ctx)
	if err != nil {
		return fmt.Errorf("list batches: %w", err)
	}
	sum := sha256.Sum256(data.Sample)
	sha := hex.EncodeToString(sum[:])
	// The sample's original is kept like any upload's, so its batch's
	// "original file" link answers (also on databases that imported it
	// before originals were kept).
	keep := func() error {
		if err := st.PutFile(ctx, sha, data.SampleName, bytes.NewReader(data.Sample)); err != nil {
			return fmt.Errorf("keep the sample's original: %w", err)
		}
		return nil
	}
	if len(batches) > 0 {
		for _, b := range batches {
			if b.SHA256 == sha {
				return keep()
			}
		}
		return nil
	}
	if err := keep(); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "postdash-sample-")
	if err != nil {
		return fmt.Errorf("sample: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, data.SampleName)
	if err := os.WriteFile(path, data.Sample, 0o600); err != nil {
		return fmt.Errorf("sample: %w", err)
	}
	out, err := imp.Import(ctx, importer.Request{Path: path, FileName: data.SampleName, User: sampleUser})
	if err != nil {
		return fmt.Errorf("import sample: %w", err)
	}
	if out.Status == importer.StatusDuplicate {
		return nil // another instance imported it first
	}
	if out.Status != importer.StatusCommitted {
		return fmt.Errorf("import sample: %s: %s (%d errors)", out.Status, out.Message, out.ErrorCount)
	}
	log.InfoContext(ctx, "empty database: imported the sample workbook", "file", data.SampleName, "batch", out.Batch, "facts", out.Facts)
	return nil
}
