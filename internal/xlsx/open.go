package xlsx

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"postdash/internal/format"
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
	in, err := format.Inspect(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return OpenInspected(in, lim)
}

// OpenFile is OpenInspected for the file f that in inspected; Close closes
// f (which stays the caller's when OpenFile fails).
func OpenFile(f *os.File, in format.Inspection, lim Limits) (*Workbook, error) {
	wb, err := OpenInspected(in, lim)
	if err != nil {
		return nil, err
	}
	wb.f = f
	return wb, nil
}

// OpenInspected opens the workbook that format.Inspect read, from the zip
// directory it loaded (its members are read through the reader given to
// Inspect): one open reads the directory once. It refuses what Open refuses.
func OpenInspected(in format.Inspection, lim Limits) (*Workbook, error) {
	if err := refuseByContent(in.Kind); err != nil {
		return nil, err
	}
	if in.TooManyParts {
		return nil, fmt.Errorf("%w: %v: more than %d", ErrTooLarge, format.ErrTooManyParts, format.MaxParts)
	}
	zr := in.Zip
	if zr == nil {
		return nil, fmt.Errorf("%w: unreadable zip directory", ErrCorrupt)
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

// refuseByContent refuses what format.Inspect says is not an OOXML workbook.
func refuseByContent(kind format.Kind) error {
	switch kind {
	case format.XLSX, format.Zip:
		return nil // a zip of no known kind fails later, naming what it lacks
	case format.Empty:
		return fmt.Errorf("%w: file is empty", ErrCorrupt)
	case format.Corrupt:
		return fmt.Errorf("%w: unreadable zip directory", ErrCorrupt)
	case format.Encrypted:
		return fmt.Errorf("%w: password-protected OOXML package", ErrEncrypted)
	case format.XLS:
		return fmt.Errorf("%w: compound document", ErrLegacyXLS)
	case format.BIFF4:
		return fmt.Errorf("%w: raw BIFF worksheet stream", ErrLegacyXLS)
	case format.XLSB:
		return ErrXLSB
	case format.ODS:
		return ErrODS
	case format.Numbers:
		return ErrNumbers
	case format.Word, format.DOCX:
		return fmt.Errorf("%w: a Word document", ErrNotOOXML)
	case format.PPTX:
		return fmt.Errorf("%w: a PowerPoint presentation", ErrNotOOXML)
	}
	return fmt.Errorf("%w: neither a zip nor a compound document (%s)", ErrNotOOXML, kind)
}

// CheckDirectory returns ErrTooLarge when the zip in r lists more parts
// than a workbook has, without loading its directory (format.CheckDirectory);
// Open checks it too. Whoever opens the zip with archive/zip before Open
// should call it first.
func CheckDirectory(r io.ReaderAt, size int64) error {
	switch err := format.CheckDirectory(r, size); {
	case errors.Is(err, format.ErrTooManyParts):
		return fmt.Errorf("%w: %v", ErrTooLarge, err)
	case err != nil:
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return nil
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
