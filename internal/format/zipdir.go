package format

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ErrTooManyParts says a zip lists more members than a workbook has.
var ErrTooManyParts = errors.New("the zip holds too many parts")

// MaxParts bounds the members of a zip: archive/zip keeps every directory
// entry in memory, and a real workbook has at most a few thousand parts.
const MaxParts = 100_000

// CheckDirectory returns ErrTooManyParts when the zip in r lists more than
// MaxParts members, without loading its directory: whoever opens a zip with
// archive/zip should call it first. The count in the end-of-directory record
// is only trusted modulo 65,536 by archive/zip, so the directory's entry
// signatures are counted instead: one fast pass over at most the
// directory's bytes. A missing or damaged record is left for archive/zip to
// report; another error is one of reading r.
func CheckDirectory(r io.ReaderAt, size int64) error {
	const eocdLen, locLen, eocd64Len = 22, 20, 56
	tail := make([]byte, min(size, 65535+eocdLen))
	tailAt := size - int64(len(tail))
	if _, err := r.ReadAt(tail, tailAt); err != nil && err != io.EOF {
		return fmt.Errorf("read zip directory: %w", err)
	}
	i := bytes.LastIndex(tail, []byte("PK\x05\x06"))
	if i < 0 || len(tail)-i < eocdLen {
		return nil
	}
	dirAt := int64(binary.LittleEndian.Uint32(tail[i+16:]))
	if i >= locLen && bytes.HasPrefix(tail[i-locLen:], []byte("PK\x06\x07")) {
		off := int64(binary.LittleEndian.Uint64(tail[i-locLen+8:]))
		rec := make([]byte, eocd64Len)
		if off >= 0 && off+eocd64Len <= size {
			if _, err := r.ReadAt(rec, off); err == nil && bytes.HasPrefix(rec, []byte("PK\x06\x06")) {
				dirAt = int64(binary.LittleEndian.Uint64(rec[48:]))
			}
		}
	}
	if dirAt < 0 || dirAt >= size {
		dirAt = 0 // damaged: count over the whole file, a safe overestimate
	}
	if n := countSignatures(r, dirAt, tailAt+int64(i), []byte("PK\x01\x02"), MaxParts); n > MaxParts {
		return fmt.Errorf("%w: more than %d", ErrTooManyParts, MaxParts)
	}
	return nil
}

// countSignatures counts sig in r between from and to, stopping past limit.
func countSignatures(r io.ReaderAt, from, to int64, sig []byte, limit int) int {
	buf := make([]byte, 256<<10)
	n, keep := 0, len(sig)-1
	for at := from; at < to && n <= limit; {
		k, err := r.ReadAt(buf[:min(int64(len(buf)), to-at)], at)
		if k <= 0 {
			break
		}
		n += bytes.Count(buf[:k], sig)
		if err != nil || at+int64(k) >= to {
			break
		}
		at += int64(k - keep) // overlap so no signature is split unseen
		if k <= keep {
			break
		}
	}
	return n
}
