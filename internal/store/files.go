package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// fileChunkSize is the size of the parts an original is stored in.
const fileChunkSize = 1 << 20

const insertFileUnlessStored = `INSERT INTO files (sha256, name, size, content, created_at)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (sha256) DO NOTHING`

const insertFileChunk = `INSERT INTO file_chunks (sha256, seq, data) VALUES ($1, $2, $3)
ON CONFLICT (sha256, seq) DO NOTHING`

const selectFileStored = `SELECT 1 FROM files WHERE sha256 = $1`

const selectFileBySHA = `SELECT name, size, length(content) FROM files WHERE sha256 = $1`

const selectFileContent = `SELECT content FROM files WHERE sha256 = $1`

const selectFileChunk = `SELECT data FROM file_chunks WHERE sha256 = $1 AND seq = $2`

// deleteOrphanChunks removes the parts of originals no longer stored.
const deleteOrphanChunks = `DELETE FROM file_chunks WHERE sha256 NOT IN (SELECT sha256 FROM files)`

// deleteFileUnlessNamed removes a stored original that no batch and no job
// but $2 in one of the states that follow names (the caller appends them).
const deleteFileUnlessNamed = `DELETE FROM files WHERE sha256 = $1
AND sha256 NOT IN (SELECT sha256 FROM batches)
AND sha256 NOT IN (SELECT sha256 FROM jobs WHERE id <> $2 AND state IN (`

const deleteChunksOfFileUnlessStored = `DELETE FROM file_chunks WHERE sha256 = $1
AND sha256 NOT IN (SELECT sha256 FROM files)`

// errWrongSHA rolls back a file whose content is not of its SHA-256.
var errWrongSHA = errors.New("content does not have the SHA-256 given")

// PutFile stores an uploaded original under its SHA-256, a part at a time,
// hashing it as it goes; see Files.
func (s *sqlStore) PutFile(ctx context.Context, sha, name string, r io.Reader) error {
	sha = strings.ToLower(sha)
	var one int
	err := s.db.queryRow(ctx, selectFileStored, sha).Scan(&one)
	if err == nil {
		// Stored already: the content is only checked.
		h := sha256.New()
		if _, err := io.Copy(h, r); err != nil {
			return fmt.Errorf("put file %s: read: %w", name, err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != sha {
			return fmt.Errorf("put file %s: content has sha256 %s, not %s", name, got, sha)
		}
		return nil
	}
	if !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("put file %s: %w", name, err)
	}
	var got string
	err = s.db.write(ctx, func(tx writeTx) error {
		h := sha256.New()
		buf := make([]byte, fileChunkSize)
		var size int64
		for seq := 0; ; seq++ {
			n, rerr := io.ReadFull(r, buf)
			if n > 0 {
				h.Write(buf[:n])
				size += int64(n)
				if _, err := tx.exec(ctx, insertFileChunk, sha, seq, buf[:n]); err != nil {
					return err
				}
			}
			if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
				break
			}
			if rerr != nil {
				return fmt.Errorf("read: %w", rerr)
			}
		}
		if got = hex.EncodeToString(h.Sum(nil)); got != sha {
			return errWrongSHA
		}
		_, err := tx.exec(ctx, insertFileUnlessStored, sha, name, size, []byte{}, micros(s.now()))
		return err
	})
	if errors.Is(err, errWrongSHA) {
		return fmt.Errorf("put file %s: content has sha256 %s, not %s", name, got, sha)
	}
	if err != nil {
		return fmt.Errorf("put file %s: %w", name, err)
	}
	return nil
}

// OpenFile returns a stored original, read a part at a time, or ErrNotFound.
func (s *sqlStore) OpenFile(ctx context.Context, sha string) (io.ReadCloser, string, int64, error) {
	sha = strings.ToLower(sha)
	var (
		name       string
		size, kept int64
	)
	if err := s.db.queryRow(ctx, selectFileBySHA, sha).Scan(&name, &size, &kept); err != nil {
		return nil, "", 0, fmt.Errorf("open file %s: %w", sha, err)
	}
	if kept > 0 { // stored whole, before originals were stored in parts
		var content []byte
		if err := s.db.queryRow(ctx, selectFileContent, sha).Scan(&content); err != nil {
			return nil, "", 0, fmt.Errorf("open file %s: %w", sha, err)
		}
		return io.NopCloser(bytes.NewReader(content)), name, size, nil
	}
	return &chunkReader{ctx: ctx, s: s, sha: sha, left: size}, name, size, nil
}

// chunkReader reads a stored original part by part.
type chunkReader struct {
	ctx  context.Context
	s    *sqlStore
	sha  string
	seq  int
	buf  []byte
	left int64 // bytes not yet returned
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.buf) == 0 {
		if c.left <= 0 {
			return 0, io.EOF
		}
		var data []byte
		if err := c.s.db.queryRow(c.ctx, selectFileChunk, c.sha, c.seq).Scan(&data); err != nil {
			return 0, fmt.Errorf("read part %d of file %s: %w", c.seq, c.sha, err)
		}
		if len(data) == 0 {
			return 0, fmt.Errorf("read part %d of file %s: empty", c.seq, c.sha)
		}
		c.seq++
		c.buf = data
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	c.left -= int64(n)
	return n, nil
}

func (c *chunkReader) Close() error { return nil }

// DropFileUnlessNamed deletes an original and its parts unless a batch or
// another job in a state of live names it; see Files.
func (s *sqlStore) DropFileUnlessNamed(ctx context.Context, sha, job string, live ...string) error {
	sha = strings.ToLower(sha)
	args := []any{sha, job}
	ps := []string{"NULL"} // no live state: no job keeps the file
	for i, st := range live {
		ps = append(ps, "$"+strconv.Itoa(i+3))
		args = append(args, st)
	}
	q := deleteFileUnlessNamed + strings.Join(ps, ", ") + "))"
	err := s.db.write(ctx, func(tx writeTx) error {
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return err
		}
		_, err := tx.exec(ctx, deleteChunksOfFileUnlessStored, sha)
		return err
	})
	if err != nil {
		return fmt.Errorf("drop file %s: %w", sha, err)
	}
	return nil
}
