package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"strings"
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

// TestDropFileUnlessNamed: the original of an upload cancelled while it was
// stored goes with its parts, unless a batch or another job names it;
// dropping what is not stored is harmless.
func TestDropFileUnlessNamed(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		put := func(content []byte) string {
			sum := sha256.Sum256(content)
			sha := hex.EncodeToString(sum[:])
			if err := s.PutFile(ctx, sha, "f.xlsx", bytes.NewReader(content)); err != nil {
				t.Fatal(err)
			}
			return sha
		}
		job := func(id, sha string, state ...string) {
			j := store.Job{ID: id, User: "amy", FileName: "f.xlsx", SHA256: sha, State: "cancelled"}
			if len(state) > 0 {
				j.State = state[0]
			}
			if err := s.CreateJob(ctx, j); err != nil {
				t.Fatal(err)
			}
		}
		stored := func(sha string) bool {
			rc, _, _, err := s.OpenFile(ctx, sha)
			if err != nil {
				return false
			}
			defer rc.Close()
			_, err = io.ReadAll(rc)
			return err == nil
		}
		big := make([]byte, 3<<19) // two parts
		big[0] = 1
		alone := put(big)
		job("alone", alone)
		shared := put([]byte("shared"))
		job("first", shared)
		job("second", shared, "parsing")
		// The same file uploaded and cancelled twice: the first cancelled
		// job does not keep the second's original.
		twice := put([]byte("twice"))
		job("once", twice)
		job("again", twice)
		committed := put([]byte("committed"))
		job("third", committed)
		b := newBatch("committed", nil)
		b.SHA256 = committed
		if err := s.CommitBatch(ctx, b, nil); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ sha, job string }{{alone, "alone"}, {shared, "first"}, {twice, "again"}, {committed, "third"}, {strings.Repeat("0", 64), "none"}} {
			if err := s.DropFileUnlessNamed(ctx, c.sha, c.job, "parsing", "ready", "committing"); err != nil {
				t.Fatal(err)
			}
		}
		if stored(alone) {
			t.Error("the original only its cancelled job named is still stored")
		}
		if !stored(shared) {
			t.Error("the original another job still reading names was dropped")
		}
		if stored(twice) {
			t.Error("the original of a file cancelled twice is still stored")
		}
		if !stored(committed) {
			t.Error("the original of a batch was dropped")
		}
		// No part of the dropped file is left: stored again, it reads whole.
		put(big)
		if rc, _, _, err := s.OpenFile(ctx, alone); err != nil {
			t.Fatal(err)
		} else if got, err := io.ReadAll(rc); err != nil || !bytes.Equal(got, big) {
			t.Errorf("stored again after the drop: %d bytes, %v", len(got), err)
		}
	})
}
