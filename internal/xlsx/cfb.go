package xlsx

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"unicode/utf16"
)

// maxCFBScan bounds how much of a compound file classifyCFB reads.
const maxCFBScan = 256 << 20

// classifyCFB tells an encrypted OOXML package (a compound file holding
// EncryptionInfo and EncryptedPackage streams) from a legacy .xls or another
// compound document. Rather than follow sector chains, which a corrupt file
// can make loop, it scans the file once for directory entries: 128-byte
// records, 128-byte aligned, that start with a UTF-16LE name whose length
// field matches. The work is bounded by the file size.
func classifyCFB(r io.ReaderAt, size int64) error {
	names := scanCFBNames(r, min(size, maxCFBScan), []string{"EncryptionInfo", "EncryptedPackage", "Workbook", "Book", "WordDocument"})
	switch {
	case names["EncryptionInfo"] || names["EncryptedPackage"]:
		return fmt.Errorf("%w: password-protected OOXML package", ErrEncrypted)
	case names["Workbook"] || names["Book"]:
		return fmt.Errorf("%w: compound document with a Workbook stream", ErrLegacyXLS)
	case names["WordDocument"]:
		return fmt.Errorf("%w: a Word 97-2003 document", ErrNotOOXML)
	}
	return fmt.Errorf("%w: compound document (damaged or without a workbook stream)", ErrLegacyXLS)
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
