// Package format tells what a file is from its content: the one sniffer
// every path uses (the CLI, the API and the browser upload through
// internal/sheet, and the .xlsx and .ods readers when opened on their own),
// so that they never disagree about a file.
package format

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
)

// Kind is what a file's content is.
type Kind string

// The kinds of content.
const (
	Empty     Kind = "empty"
	XLSX      Kind = "xlsx"      // an OOXML workbook
	XLSB      Kind = "xlsb"      // a binary Excel workbook
	ODS       Kind = "ods"       // an OpenDocument spreadsheet (zipped)
	FODS      Kind = "fods"      // a flat OpenDocument spreadsheet (one XML document)
	Numbers   Kind = "numbers"   // an Apple Numbers document
	Zip       Kind = "zip"       // another zip (or one of too many members to classify)
	XLS       Kind = "xls"       // a compound file with a workbook stream, or a damaged one
	Encrypted Kind = "encrypted" // a password-protected OOXML package
	Word      Kind = "word"      // a Word 97-2003 document
	DOCX      Kind = "docx"      // a Word document (zipped)
	PPTX      Kind = "pptx"      // a PowerPoint presentation (zipped)
	BIFF4     Kind = "biff4"     // an Excel 2–4 worksheet outside a compound file
	Corrupt   Kind = "corrupt"   // a zip that cannot be read
	Text      Kind = "text"
	PDF       Kind = "pdf"
	XML       Kind = "xml"
	HTML      Kind = "html"
	Binary    Kind = "binary"
)

// HeadLen is how many leading bytes decide a file's format.
const HeadLen = 8192

// Signatures of a compound file and a zip.
const (
	magicCFB = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
	magicZip = "PK\x03\x04"
	magicEnd = "PK\x05\x06" // an empty zip
)

// Detect reads what it needs of r (size bytes) and says what it holds. Its
// error is only that of reading r.
func Detect(r io.ReaderAt, size int64) (Kind, error) {
	in, err := Inspect(r, size)
	return in.Kind, err
}

// Inspection is what Inspect found: the kind of a file and, for a zip, its
// directory, loaded once for the reader that opens the file next.
type Inspection struct {
	Kind Kind
	// Zip is the zip's directory as archive/zip loaded it (reading members
	// through the r given to Inspect); nil when the file is no zip, is
	// Corrupt, or lists too many parts.
	Zip *zip.Reader
	// TooManyParts: the zip lists more than MaxParts members and was left
	// unloaded (Kind is Zip).
	TooManyParts bool
}

// Inspect is Detect that also keeps what it read of a zip's directory, so
// that one import reads the directory once: the .xlsx reader opens the
// workbook from the Inspection.
func Inspect(r io.ReaderAt, size int64) (Inspection, error) {
	head := make([]byte, min(size, HeadLen))
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return Inspection{}, fmt.Errorf("read the head of the file: %w", err)
	}
	head = head[:n]
	switch k := Sniff(head); k {
	case Zip:
		return zipKind(r, size, head), nil
	case XLS:
		return Inspection{Kind: cfbKind(r, size)}, nil
	default:
		return Inspection{Kind: k}, nil
	}
}

// IsZip reports whether head opens a zip archive.
func IsZip(head []byte) bool {
	return bytes.HasPrefix(head, []byte(magicZip)) || bytes.HasPrefix(head, []byte(magicEnd))
}

// Sniff decides a file's format from its leading bytes alone: a zip is Zip
// and a compound file XLS whatever they hold (Detect looks inside).
func Sniff(head []byte) Kind {
	switch {
	case len(head) == 0:
		return Empty
	case IsZip(head):
		return Zip
	case bytes.HasPrefix(head, []byte(magicCFB)):
		return XLS
	case bytes.HasPrefix(head, []byte("%PDF")):
		return PDF
	case isBIFFStream(head):
		return BIFF4
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return Binary
	}
	trimmed := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(string(head[:min(len(head), 512)]), "\ufeff")))
	switch {
	case strings.HasPrefix(trimmed, "<?xml"):
		if bytes.Contains(head, []byte("office:document")) && bytes.Contains(head, []byte("opendocument.spreadsheet")) {
			return FODS
		}
		return XML
	case strings.HasPrefix(trimmed, "<!doctype html"), strings.HasPrefix(trimmed, "<html"), strings.HasPrefix(trimmed, "<table"):
		return HTML
	}
	if looksText(head) {
		return Text
	}
	return Binary
}

// isBIFFStream recognises the BOF record that opens an Excel 2–4 worksheet
// written without a compound-file container: record 0x0009, 0x0209 or
// 0x0409 with a plausible length.
func isBIFFStream(head []byte) bool {
	return len(head) >= 4 && head[0] == 0x09 && (head[1] == 0x00 || head[1] == 0x02 || head[1] == 0x04) &&
		head[3] == 0x00 && head[2] >= 4 && head[2] <= 16
}

// looksText reports whether b reads as text in UTF-8 or Windows-1251: few
// control characters other than tab, CR, LF and form feed.
func looksText(b []byte) bool {
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7f {
			ctl++
		}
	}
	return ctl*100 <= len(b)
}

// zipKind tells OOXML, XLSB, ODF and Numbers apart by their members, with
// the directory it loaded. A zip of too many members is left unclassified
// (Zip), unloaded.
func zipKind(r io.ReaderAt, size int64, head []byte) Inspection {
	d, err := scanDirectory(r, size, head)
	if errors.Is(err, ErrTooManyParts) {
		return Inspection{Kind: Zip, TooManyParts: true}
	}
	k := &kept{r: r, d: d}
	zr, err := zip.NewReader(k, size)
	k.drop()
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return Inspection{Kind: Corrupt}
	}
	return Inspection{Kind: zipMembersKind(zr), Zip: zr}
}

// zipMembersKind tells the kind of a zip by its members.
func zipMembersKind(zr *zip.Reader) Kind {
	kind := Zip
	for _, f := range zr.File {
		n := strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, "\\", "/"), "/"))
		switch {
		case n == "xl/workbook.bin":
			return XLSB
		case n == "xl/workbook.xml":
			kind = XLSX
		case n == "word/document.xml" && kind == Zip:
			kind = DOCX
		case n == "ppt/presentation.xml" && kind == Zip:
			kind = PPTX
		case n == "mimetype" || n == "content.xml" && kind == Zip:
			if n == "mimetype" && f.UncompressedSize64 < 200 {
				if rc, err := f.Open(); err == nil {
					b, _ := io.ReadAll(io.LimitReader(rc, 200))
					rc.Close()
					if strings.Contains(string(b), "opendocument") {
						return ODS
					}
				}
			} else {
				kind = ODS
			}
		case strings.HasPrefix(n, "index/") && strings.HasSuffix(n, ".iwa"), n == "index.zip",
			strings.HasSuffix(n, "/index.zip"), strings.HasSuffix(n, "index/document.iwa"), strings.HasSuffix(n, "metadata/documentidentifier"):
			return Numbers
		}
	}
	return kind
}

// maxCFBScan bounds how much of a compound file cfbKind reads.
const maxCFBScan = 256 << 20

// cfbKind tells an encrypted OOXML package (a compound file holding
// EncryptionInfo and EncryptedPackage streams) from a legacy .xls or a Word
// document. Rather than follow sector chains, which a corrupt file can make
// loop, it scans the file once for directory entries: 128-byte records,
// 128-byte aligned, that start with a UTF-16LE name whose length field
// matches. A compound file naming none of them is XLS (a damaged one: the
// .xls reader says so).
func cfbKind(r io.ReaderAt, size int64) Kind {
	names := scanCFBNames(r, min(size, maxCFBScan), []string{"EncryptionInfo", "EncryptedPackage", "Workbook", "Book", "WordDocument"})
	switch {
	case names["EncryptionInfo"] || names["EncryptedPackage"]:
		return Encrypted
	case names["Workbook"] || names["Book"]:
		return XLS
	case names["WordDocument"]:
		return Word
	}
	return XLS
}

// scanCFBNames reports which of the wanted stream names appear as directory
// entries in the first size bytes.
func scanCFBNames(r io.ReaderAt, size int64, want []string) map[string]bool {
	pats := make([][]byte, len(want))
	for i, n := range want {
		pats[i] = cfbEntryName(n)
	}
	found := make(map[string]bool)
	const entry = 128
	buf := make([]byte, 64<<10) // a multiple of the entry size
	for off := int64(0); off < size; off += int64(len(buf)) {
		n, _ := r.ReadAt(buf, off)
		if n <= 0 {
			break
		}
		for e := 0; e+entry <= n; e += entry {
			rec := buf[e : e+entry]
			if rec[1] != 0 { // UTF-16LE names of ASCII start with a zero high byte
				continue
			}
			for i, p := range pats {
				if bytes.HasPrefix(rec, p) && int(binary.LittleEndian.Uint16(rec[64:])) == len(p) {
					found[want[i]] = true
				}
			}
		}
	}
	return found
}

// cfbEntryName is name as a directory entry holds it: UTF-16LE with a
// terminating zero.
func cfbEntryName(name string) []byte {
	u := utf16.Encode([]rune(name))
	b := make([]byte, 0, 2*len(u)+2)
	for _, c := range u {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return append(b, 0, 0)
}
