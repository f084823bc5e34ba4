package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"postdash/internal/store"
)

// TestFilesInParts: an original larger than a part comes back byte for byte
// (also when read a few bytes at a time), storing it again is harmless, a
// wrong hash stores nothing, and pruning removes the parts with the file.
func TestFilesInParts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		content := make([]byte, 5<<19+123) // 2.5 MiB and a bit: three parts
		r := rand.New(rand.NewPCG(1, 2))
		for i := range content {
			content[i] = byte(r.Uint32())
		}
		sum := sha256.Sum256(content)
		sha := hex.EncodeToString(sum[:])
		for range 2 {
			if err := s.PutFile(ctx, sha, "big.xlsx", bytes.NewReader(content)); err != nil {
				t.Fatal(err)
			}
		}
		rc, name, size, err := s.OpenFile(ctx, sha)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		buf := make([]byte, 7777) // a size that does not divide a part
		if _, err := io.CopyBuffer(&got, struct{ io.Reader }{rc}, buf); err != nil {
			t.Fatal(err)
		}
		rc.Close()
		if name != "big.xlsx" || size != int64(len(content)) || !bytes.Equal(got.Bytes(), content) {
			t.Errorf("OpenFile = %q, %d bytes said, %d read, equal %t", name, size, got.Len(), bytes.Equal(got.Bytes(), content))
		}

		other := append([]byte(nil), content...)
		other[len(other)-1] ^= 1
		osum := sha256.Sum256(other)
		if err := s.PutFile(ctx, hex.EncodeToString(osum[:]), "x", bytes.NewReader(content)); err == nil {
			t.Error("PutFile accepted content of another hash")
		}
		if _, _, _, err := s.OpenFile(ctx, hex.EncodeToString(osum[:])); err == nil {
			t.Error("a file refused for its hash was kept")
		}

		if _, files, err := s.PruneJobs(ctx, time.Now().Add(time.Hour)); err != nil || files != 1 {
			t.Fatalf("prune: %d files, %v; want 1", files, err)
		}
		if _, _, _, err := s.OpenFile(ctx, sha); err == nil {
			t.Error("a pruned file can still be opened")
		}
		// Stored again after pruning, it reads whole: no stale parts were left.
		if err := s.PutFile(ctx, sha, "big.xlsx", bytes.NewReader(content)); err != nil {
			t.Fatal(err)
		}
		rc, _, _, err = s.OpenFile(ctx, sha)
		if err != nil {
			t.Fatal(err)
		}
		again, err := io.ReadAll(rc)
		if err != nil || !bytes.Equal(again, content) {
			t.Errorf("stored again after pruning: %d bytes, %v", len(again), err)
		}
	})
}
