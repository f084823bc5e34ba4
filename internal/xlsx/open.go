package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// DefaultMaxInflatedBytes is the inflation limit used when Limits leaves
// MaxInflatedBytes at zero.
const DefaultMaxInflatedBytes = 1 << 30

// Errors that say which non-OOXML format a file is; each wraps ErrNotOOXML
// (ErrLegacyXLS stands alone, as declared in xlsx.go).
var (
	ErrXLSB    = fmt.Errorf("binary .xlsb workbook: %w", ErrNotOOXML)
	ErrODS     = fmt.Errorf("OpenDocument spreadsheet: %w", ErrNotOOXML)
	ErrNumbers = fmt.Errorf("Apple Numbers document: %w", ErrNotOOXML)
)

// File signatures: a compound file (legacy .xls, encrypted OOXML) and a zip.
const (
	magicCFB = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
	magicZip = "PK"
)

// Open opens the workbook at path, refusing it quickly (ErrTooLarge,
// ErrEncrypted, ErrLegacyXLS, ErrNotOOXML, ErrCorrupt) before reading any row.
func Open(path string, lim Limits) (*Workbook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	wb, err := OpenReader(f, st.Size(), lim)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", baseName(path), err)
	}
	wb.f = f
	return wb, nil
}

// OpenReader is Open for a workbook already in memory or in another
// store; Close does not close r.
func OpenReader(r io.ReaderAt, size int64, lim Limits) (*Workbook, error) {
	if err := sniff(r, size); err != nil {
		return nil, err
	}
	if err := checkDirectory(r, size); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%w: read zip directory: %v", ErrCorrupt, err)
	}
	lim = lim.WithDefaults()
	wb := &Workbook{zr: zr, parts: make(map[string]*zip.File, len(zr.File)), lim: lim}
	if err := wb.index(lim); err != nil {
		return nil, err
	}
	if err := wb.readStructure(); err != nil {
		return nil, err
	}
	return wb, nil
}

// sniff refuses what is plainly not a zip by its first bytes.
func sniff(f io.ReaderAt, size int64) error {
	head := make([]byte, 8)
	n, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return fmt.Errorf("read header: %w", err)
	}
	head = head[:n]
	switch {
	case n == 0:
		return fmt.Errorf("%w: file is empty", ErrCorrupt)
	case string(head) == magicCFB:
		return classifyCFB(f, size)
	case isBIFFStream(head):
		return fmt.Errorf("%w: raw BIFF worksheet stream", ErrLegacyXLS)
	case !bytes.HasPrefix(head, []byte(magicZip)):
		return fmt.Errorf("%w: neither a zip nor a compound document", ErrNotOOXML)
	}
	return nil
}

// CheckDirectory returns ErrTooLarge when the zip in r lists more parts
// than a workbook has, without loading its directory; Open checks it too.
// Whoever opens the zip with archive/zip before Open should call it first.
func CheckDirectory(r io.ReaderAt, size int64) error { return checkDirectory(r, size) }

// maxParts bounds the members of a zip: archive/zip keeps every directory
// entry in memory, and a real workbook has at most a few thousand parts.
const maxParts = 100_000

// checkDirectory refuses a zip whose central directory holds more than
// maxParts entries before archive/zip loads it. The count in the
// end-of-directory record is only trusted modulo 65,536 by archive/zip, so
// the directory's entry signatures are counted instead: one fast pass over
// at most the directory's bytes. A missing or damaged record is left for
// archive/zip to report.
func checkDirectory(r io.ReaderAt, size int64) error {
	const eocdLen, locLen, eocd64Len = 22, 20, 56
	tail := make([]byte, min(size, 65535+eocdLen))
	tailAt := size - int64(len(tail))
	if _, err := r.ReadAt(tail, tailAt); err != nil && err != io.EOF {
		return fmt.Errorf("%w: read zip directory: %v", ErrCorrupt, err)
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
	if n := countSignatures(r, dirAt, tailAt+int64(i), []byte("PK\x01\x02"), maxParts); n > maxParts {
		return fmt.Errorf("%w: the zip holds more than %d parts", ErrTooLarge, maxParts)
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

// isBIFFStream recognises the BOF record that opens an Excel 2-4 file
// written without a compound-document container.
func isBIFFStream(head []byte) bool {
	return len(head) >= 4 && head[0] == 0x09 && (head[1] == 0x00 || head[1] == 0x02 || head[1] == 0x04) &&
		head[3] == 0x00 && head[2] >= 4 && head[2] <= 16
}

// index maps normalised part names to zip members and applies the
// inflation limit to the sum of declared sizes. archive/zip fails a member
// that inflates past its declared size, so the sum is a true bound.
func (w *Workbook) index(lim Limits) error {
	limit := lim.MaxInflatedBytes
	var total uint64
	for _, zf := range w.zr.File {
		total += zf.UncompressedSize64
		if total > uint64(limit) || zf.UncompressedSize64 > uint64(limit) {
			return fmt.Errorf("%w: parts declare more than %d bytes", ErrTooLarge, limit)
		}
		w.parts[partKey(zf.Name)] = zf
	}
	return w.classifyZip()
}

// classifyZip tells OOXML from the other zip-based formats.
func (w *Workbook) classifyZip() error {
	switch {
	case w.part("xl/workbook.bin") != nil:
		return ErrXLSB
	case w.part("mimetype") != nil || w.part("content.xml") != nil:
		if w.part("META-INF/manifest.xml") != nil || w.part("content.xml") != nil {
			return ErrODS
		}
	case w.hasPartSuffix("index.zip", "index/document.iwa", "metadata/documentidentifier"):
		return ErrNumbers
	case w.part("word/document.xml") != nil:
		return fmt.Errorf("%w: a Word document", ErrNotOOXML)
	case w.part("ppt/presentation.xml") != nil:
		return fmt.Errorf("%w: a PowerPoint presentation", ErrNotOOXML)
	}
	return nil
}

// partKey normalises a part name for lookup: OPC names are
// case-insensitive, and some Windows tools write backslashes.
func partKey(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = strings.TrimPrefix(name, "/")
	return strings.ToLower(name)
}

func (w *Workbook) part(name string) *zip.File { return w.parts[partKey(name)] }

// hasPartSuffix reports whether a part name ends with one of the suffixes
// (lower case); a Numbers package may sit inside a folder of any name.
func (w *Workbook) hasPartSuffix(suffixes ...string) bool {
	for key := range w.parts {
		for _, s := range suffixes {
			if key == s || strings.HasSuffix(key, "/"+s) {
				return true
			}
		}
	}
	return false
}

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}
