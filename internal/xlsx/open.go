package xlsx

import (
	"archive/zip"
	"bytes"
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

var (
	magicCFB = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	magicZip = []byte("PK")
)

// Open opens the workbook at path, refusing it quickly (ErrTooLarge,
// ErrEncrypted, ErrLegacyXLS, ErrNotOOXML, ErrCorrupt) before reading any row.
func Open(path string, lim Limits) (*Workbook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open workbook: %w", err)
	}
	wb, err := openFile(f, lim)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s: %w", baseName(path), err)
	}
	return wb, nil
}

func openFile(f *os.File, lim Limits) (*Workbook, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat: %w", err)
	}
	size := st.Size()
	if err := sniff(f, size); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(f, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, fmt.Errorf("%w: read zip directory: %v", ErrCorrupt, err)
	}
	wb := &Workbook{f: f, zr: zr, parts: make(map[string]*zip.File, len(zr.File))}
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
	case bytes.Equal(head, magicCFB):
		return classifyCFB(f, size)
	case isBIFFStream(head):
		return fmt.Errorf("%w: raw BIFF worksheet stream", ErrLegacyXLS)
	case !bytes.HasPrefix(head, magicZip):
		return fmt.Errorf("%w: neither a zip nor a compound document", ErrNotOOXML)
	}
	return nil
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
	max := lim.MaxInflatedBytes
	if max <= 0 {
		max = DefaultMaxInflatedBytes
	}
	var total uint64
	for _, zf := range w.zr.File {
		total += zf.UncompressedSize64
		if total > uint64(max) || zf.UncompressedSize64 > uint64(max) {
			return fmt.Errorf("%w: parts declare more than %d bytes", ErrTooLarge, max)
		}
		w.parts[partKey(zf.Name)] = zf
	}
	w.maxInflated = max
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
	case w.part("Index.zip") != nil || w.part("Index/Document.iwa") != nil:
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

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}
