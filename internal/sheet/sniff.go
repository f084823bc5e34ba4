package sheet

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"postdash/internal/format"
	"postdash/internal/ods"
	"postdash/internal/xls"
	"postdash/internal/xlsx"
)

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
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	f, in, err := inspect(path)
	if err != nil {
		return nil, size, ioRefusal(ctx, log, name, err)
	}
	kept := false // f goes to the .xlsx reader, which reuses in's zip directory
	defer func() {
		if !kept {
			f.Close()
		}
	}()
	content := contentName(in.Kind)
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
			b, err := openXLSX(f, in, lim)
			if err != nil {
				return nil, size, refusal(name, err, lim)
			}
			kept = true
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

// inspect opens the file at path and says what it holds (format.Inspect).
func inspect(path string) (*os.File, format.Inspection, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, format.Inspection{}, err
	}
	st, err := f.Stat()
	if err == nil {
		var in format.Inspection
		if in, err = format.Inspect(f, st.Size()); err == nil {
			return f, in, nil
		}
	}
	f.Close()
	return nil, format.Inspection{}, err
}

// contentName names what a file holds, as format.Inspect says: xlsx, xlsb,
// ods, fods, numbers, zip, xls, biff4, encrypted, corrupt, text, binary,
// pdf, xml, html or empty. A Word 97-2003 document is left to the .xls
// reader to refuse, and a zipped Word or PowerPoint document is a zip.
func contentName(kind format.Kind) string {
	switch kind {
	case format.Word:
		return "xls"
	case format.DOCX, format.PPTX:
		return "zip"
	}
	return string(kind)
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
