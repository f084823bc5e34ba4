package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

const insertFileUnlessStored = `INSERT INTO files (sha256, name, size, content, created_at)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (sha256) DO NOTHING`

const selectFileBySHA = `SELECT name, size, content FROM files WHERE sha256 = $1`

// PutFile stores an uploaded original under its SHA-256; see Files.
func (s *sqlStore) PutFile(ctx context.Context, sha, name string, r io.Reader) error {
	content, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("put file %s: read: %w", name, err)
	}
	sum := sha256.Sum256(content)
	if got := hex.EncodeToString(sum[:]); got != strings.ToLower(sha) {
		return fmt.Errorf("put file %s: content has sha256 %s, not %s", name, got, sha)
	}
	if _, err := s.db.exec(ctx, insertFileUnlessStored, strings.ToLower(sha), name,
		int64(len(content)), content, micros(s.now())); err != nil {
		return fmt.Errorf("put file %s: %w", name, err)
	}
	return nil
}

// OpenFile returns a stored original, or ErrNotFound.
func (s *sqlStore) OpenFile(ctx context.Context, sha string) (io.ReadCloser, string, int64, error) {
	var (
		name    string
		size    int64
		content []byte
	)
	if err := s.db.queryRow(ctx, selectFileBySHA, strings.ToLower(sha)).Scan(&name, &size, &content); err != nil {
		return nil, "", 0, fmt.Errorf("open file %s: %w", sha, err)
	}
	return io.NopCloser(bytes.NewReader(content)), name, size, nil
}
