package sheet

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"postdash/internal/ods"
	"postdash/internal/xls"
	"postdash/internal/xlsx"
)

// format is what a file's content is.
type format int

const (
	fmtUnknown format = iota
	fmtEmpty
	fmtZip // OOXML, ODF, XLSB or Numbers: decided from the zip's members
	fmtCFB // OLE compound file: .xls or an encrypted OOXML workbook
	fmtText
	fmtBinary
	fmtPDF
	fmtXML
	fmtHTML
)

// sniffLen is how many leading bytes decide a file's format.
const sniffLen = 8192

// sniff decides a file's format from its leading bytes.
func sniff(head []byte) format {
	switch {
	case len(head) == 0:
		return fmtEmpty
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return fmtZip
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return fmtCFB
	case bytes.HasPrefix(head, []byte("%PDF")):
		return fmtPDF
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return fmtBinary
	}
	trimmed := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(string(head[:min(len(head), 512)]), "\ufeff")))
	switch {
	case strings.HasPrefix(trimmed, "<?xml"):
		return fmtXML
	case strings.HasPrefix(trimmed, "<!doctype html"), strings.HasPrefix(trimmed, "<html"), strings.HasPrefix(trimmed, "<table"):
		return fmtHTML
	}
	if looksText(head) {
		return fmtText
	}
	return fmtBinary
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

// zipKind tells OOXML, XLSB, ODF and Numbers apart by their members. A zip
// of too many members is left unclassified ("zip") and unloaded: opening it
// as a workbook refuses it.
func zipKind(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", err
	}
	if err := xlsx.CheckDirectory(f, st.Size()); errors.Is(err, xlsx.ErrTooLarge) {
		return "zip", nil
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // as xlsx.OpenReader
		return "", err
	}
	kind := "zip"
	for _, f := range zr.File {
		n := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		switch {
		case n == "xl/workbook.bin":
			return "xlsb", nil
		case n == "xl/workbook.xml":
			kind = "xlsx"
		case n == "mimetype" || n == "content.xml" && kind == "zip":
			if n == "mimetype" && f.UncompressedSize64 < 200 {
				if rc, err := f.Open(); err == nil {
					b, _ := io.ReadAll(io.LimitReader(rc, 200))
					rc.Close()
					if strings.Contains(string(b), "opendocument") {
						return "ods", nil
					}
				}
			} else {
				kind = "ods"
			}
		case strings.HasPrefix(n, "index/") && strings.HasSuffix(n, ".iwa"), n == "index.zip":
			return "numbers", nil
		}
	}
	return kind, nil
}

// cfbEncrypted reports whether an OLE compound file holds an encrypted OOXML
// package (its directory names the EncryptionInfo stream).
func cfbEncrypted(path string, limit int64) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	needle := []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00")
	buf := make([]byte, 64<<10)
	var carry []byte
	r := io.LimitReader(f, limit)
	for {
		n, err := r.Read(buf)
		chunk := append(carry, buf[:n]...)
		if bytes.Contains(chunk, needle) {
			return true, nil
		}
		if len(chunk) > len(needle) {
			carry = append([]byte(nil), chunk[len(chunk)-len(needle):]...)
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
}

// contentKeys name the refusal of a file whose content its name does not
// announce, by what the content is.
var contentKeys = map[string]string{
	"text": keyRefusedText, "binary": keyRefusedBinary, "pdf": keyRefusedPDF, "xml": keyRefusedXML,
	"html": keyRefusedHTML, "zip": keyRefusedZip, "xlsx": keyRefusedRenamed, "xls": keyRefusedXLS,
	"ods": keyRefusedODS, "fods": keyRefusedODS, "corrupt": keyRefusedCorrupt,
}

// openBook sniffs the file at path and opens it as a book, or refuses it.
func openBook(ctx context.Context, path, name string, lim Limits, log *slog.Logger) (book, int64, error) {
	file := quote(name)
	size, err := fileSize(path)
	if err != nil {
		return nil, 0, ioRefusal(ctx, log, name, err)
	}
	if size > lim.MaxFileBytes {
		return nil, size, refuse(keyRefusedTooLarge, map[string]string{"file": file,
			"size": mib(size), "limit": mib(lim.MaxFileBytes)})
	}
	head, err := readHead(path)
	if err != nil {
		return nil, size, ioRefusal(ctx, log, name, err)
	}
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	content, err := contentOf(path, head, lim)
	if err != nil {
		return nil, size, ioRefusal(ctx, log, name, err)
	}
	if ext == "" {
		// A name without an extension: the content decides.
		ext = map[string]string{"xlsx": "xlsx", "text": "csv", "xls": "xls", "ods": "ods", "fods": "fods"}[content]
	}
	refuseAs := func(key string) (book, int64, error) {
		return nil, size, refuse(key, map[string]string{"file": file})
	}
	mismatch := func() (book, int64, error) {
		key, ok := contentKeys[content]
		if !ok {
			key = keyRefusedBinary
		}
		return refuseAs(key)
	}
	if key, ok := formatKeys[content]; ok {
		return refuseAs(key) // whatever the file is called
	}
	switch ext {
	case "xlsx", "xlsm":
		switch content {
		case "xlsx", "zip":
			b, err := openXLSX(path, lim)
			if err != nil {
				return nil, size, refusal(name, err, lim)
			}
			return b, size, nil
		case "corrupt":
			return refuseAs(keyRefusedCorrupt)
		}
	case "csv":
		if content != "text" {
			break
		}
		b, err := openCSV(path, name, size, lim)
		if err != nil {
			return nil, size, ioRefusal(ctx, log, name, err)
		}
		return b, size, nil
	case "xls", "ods", "fods":
		if content != ext {
			break
		}
		b, err := openLegacy(path, ext, lim)
		if err != nil {
			return nil, size, refusal(name, err, lim)
		}
		return b, size, nil
	case "xlsb", "numbers":
		return refuseAs(formatKeys[ext])
	}
	return mismatch()
}

// formatKeys name the refusal of a file by what its content is, or by its
// extension for formats postdash does not read.
var formatKeys = map[string]string{
	"empty": keyRefusedEmpty, "biff4": keyRefusedOldExcel, "encrypted": keyRefusedEncrypted,
	"xlsb": keyRefusedXLSB, "numbers": keyRefusedNumbers,
}

// openLegacy opens an .xls, .ods or flat .fods file as a book.
func openLegacy(path, ext string, lim Limits) (book, error) {
	if ext == "xls" {
		return openXLS(path, lim)
	}
	return openODS(path, lim)
}

// contentOf names what the file holds: xlsx, xlsb, ods, fods, numbers, zip,
// xls, biff4, encrypted, corrupt, text, binary, pdf, xml, html or empty.
func contentOf(path string, head []byte, lim Limits) (string, error) {
	switch sniff(head) {
	case fmtEmpty:
		return "empty", nil
	case fmtZip:
		k, err := zipKind(path)
		if err != nil {
			return "corrupt", nil
		}
		return k, nil
	case fmtCFB:
		enc, err := cfbEncrypted(path, lim.MaxFileBytes)
		if err != nil {
			return "", err
		}
		if enc {
			return "encrypted", nil
		}
		return "xls", nil
	case fmtText:
		return "text", nil
	case fmtPDF:
		return "pdf", nil
	case fmtXML:
		if isFlatODF(head) {
			return "fods", nil
		}
		return "xml", nil
	case fmtHTML:
		return "html", nil
	}
	if isLegacyBIFF(head) {
		return "biff4", nil
	}
	return "binary", nil
}

// isFlatODF spots a flat OpenDocument spreadsheet (.fods): one XML document
// whose root is office:document with the spreadsheet mimetype.
func isFlatODF(head []byte) bool {
	return bytes.Contains(head, []byte("office:document")) && bytes.Contains(head, []byte("opendocument.spreadsheet"))
}

// isLegacyBIFF spots the BOF record of an Excel 2–4 worksheet saved outside
// an OLE container.
func isLegacyBIFF(head []byte) bool {
	return len(head) >= 4 && head[0] == 0x09 && (head[1] == 0x00 || head[1] == 0x02 || head[1] == 0x04) && head[3] == 0x00
}

func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, sniffLen)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:n], nil
}

// mib formats a size in MiB.
func mib(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64)
}

// refusal maps an error from opening or streaming a workbook to a refusal.
func refusal(name string, err error, lim Limits) *RefusedError {
	file := map[string]string{"file": quote(name)}
	var le *xlsx.LimitError
	switch {
	case errors.As(err, &le):
		return refuse(keyLimitPrefix+le.Limit, map[string]string{"file": quote(name), "limit": limitText(le)})
	case errors.Is(err, xlsx.ErrTooLarge), errors.Is(err, ods.ErrInflated):
		return refuse(keyRefusedInflated, map[string]string{"file": quote(name), "limit": mib(lim.MaxInflatedBytes)})
	case errors.Is(err, xls.ErrTooLarge), errors.Is(err, ods.ErrTooLarge):
		return refuse(keyRefusedTooMuch, file)
	case errors.Is(err, xlsx.ErrEncrypted), errors.Is(err, xls.ErrEncrypted), errors.Is(err, ods.ErrEncrypted):
		return refuse(keyRefusedEncrypted, file)
	case errors.Is(err, xlsx.ErrLegacyXLS):
		return refuse(keyRefusedXLS, file)
	case errors.Is(err, xls.ErrOldVersion):
		return refuse(keyRefusedOldExcel, file)
	case errors.Is(err, xls.ErrNotWorkbook), errors.Is(err, ods.ErrNotODS):
		return refuse(keyRefusedBinary, file)
	}
	return refuse(keyRefusedCorrupt, file)
}

// limitText is a limit as its sentence gives it: bytes in KiB or MiB.
func limitText(le *xlsx.LimitError) string {
	switch le.Limit {
	case xlsx.LimitCellBytes, limitLineBytes:
		return strconv.FormatInt(le.Max>>10, 10)
	case xlsx.LimitSharedStringBytes, limitRecordBytes, limitHeaderBytes:
		return mib(le.Max)
	}
	return strconv.FormatInt(le.Max, 10)
}

func ioRefusal(ctx context.Context, log *slog.Logger, name string, err error) *RefusedError {
	log.WarnContext(ctx, "sheet: cannot read file", "file", name, "err", err)
	return refuse(keyRefusedIO, map[string]string{"file": quote(name)})
}
