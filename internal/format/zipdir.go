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
	_, err := scanDirectory(r, size, nil)
	return err
}

// maxKeptDirectory bounds the directory bytes scanDirectory keeps for
// archive/zip (MaxParts entries of short names fit).
const maxKeptDirectory = 16 << 20

// dirBytes are the last bytes of a zip, from its directory's start to its
// end, as scanDirectory read them.
type dirBytes struct {
	at int64
	b  []byte
}

// scanDirectory is CheckDirectory that also returns the bytes it read from
// the directory's start to the end of the file (nil when the directory is
// damaged or larger than maxKeptDirectory), so that archive/zip can load
// the directory without reading it from r a second time. head, the file's
// first bytes when already read, is not read again.
func scanDirectory(r io.ReaderAt, size int64, head []byte) (*dirBytes, error) {
	const eocdLen, locLen, eocd64Len = 22, 20, 56
	tail := make([]byte, min(size, 65535+eocdLen))
	tailAt := size - int64(len(tail))
	from := tailAt // the first byte of tail still to read
	if int64(len(head)) > tailAt {
		from = min(int64(len(head)), size)
		copy(tail, head[tailAt:from])
	}
	if _, err := r.ReadAt(tail[from-tailAt:], from); err != nil && err != io.EOF {
		return nil, fmt.Errorf("read zip directory: %w", err)
	}
	i := bytes.LastIndex(tail, []byte("PK\x05\x06"))
	if i < 0 || len(tail)-i < eocdLen {
		return nil, nil
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
	endAt := tailAt + int64(i) // the end-of-directory record
	tooMany := func(n int) error {
		if n > MaxParts {
			return fmt.Errorf("%w: more than %d", ErrTooManyParts, MaxParts)
		}
		return nil
	}
	sig := []byte("PK\x01\x02")
	switch {
	case dirAt < 0 || dirAt >= size:
		// Damaged: count over the whole file, a safe overestimate.
		return nil, tooMany(countSignatures(r, 0, endAt, sig, MaxParts))
	case dirAt >= tailAt:
		d := &dirBytes{at: tailAt, b: tail}
		if dirAt > endAt {
			return d, nil
		}
		return d, tooMany(bytes.Count(tail[dirAt-tailAt:i], sig))
	case tailAt-dirAt <= maxKeptDirectory:
		b := make([]byte, size-dirAt)
		from := dirAt
		if int64(len(head)) > dirAt {
			from = min(int64(len(head)), tailAt)
			copy(b, head[dirAt:from])
		}
		if _, err := r.ReadAt(b[from-dirAt:tailAt-dirAt], from); err != nil && err != io.EOF {
			return nil, fmt.Errorf("read zip directory: %w", err)
		}
		copy(b[tailAt-dirAt:], tail)
		return &dirBytes{at: dirAt, b: b}, tooMany(bytes.Count(b[:endAt-dirAt], sig))
	}
	return nil, tooMany(countSignatures(r, dirAt, endAt, sig, MaxParts))
}

// kept serves reads of the bytes scanDirectory kept from memory and the
// others from r, while archive/zip loads the directory; drop then forgets
// them (the members it opens later are read from r).
type kept struct {
	r io.ReaderAt
	d *dirBytes
}

func (k *kept) ReadAt(p []byte, off int64) (int, error) {
	if d := k.d; d != nil && off >= d.at && off-d.at <= int64(len(d.b)) {
		n := copy(p, d.b[off-d.at:])
		if n < len(p) {
			return n, io.EOF // the kept bytes end where the file does
		}
		return n, nil
	}
	return k.r.ReadAt(p, off)
}

func (k *kept) drop() { k.d = nil }

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
