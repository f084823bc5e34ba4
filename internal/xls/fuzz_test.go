package xls

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"postdash/internal/xlsx"
)

// FuzzWorkbook feeds arbitrary bytes to OpenReader, Rows and MergedRanges:
// they must not panic, hang or allocate without bound, and every error must
// be one of the package's. Seeds: built workbooks, testdata/fuzz/FuzzWorkbook,
// and the corpus's small .xls files when POSTDASH_CORPUS is set (the corpus
// stays out of the repository). Run: go test -fuzz FuzzWorkbook -fuzztime 60s.
func FuzzWorkbook(f *testing.F) {
	sst := rec{recSST, cat(le32(1), le32(1), le16(3), []byte{0}, []byte("abc"))}
	f.Add(cfbFile("Workbook", biff(biff8, []rec{sst, {recXF, make([]byte, 20)}}, sheetDef{name: "S", records: []rec{
		labelSST(0, 0, 0), numberRec(0, 1, 0, 2), {recRK, cat(le16(1, 0, 0), le32(rkInt(5)))},
		{recMerged, cat(le16(1), le16(0, 1, 0, 1))}}}), nil))
	f.Add(cfbFile("Book", biff(biff5, []rec{{recCodePage, le16(1251)}}, sheetDef{name: "S", records: []rec{
		{recLabel, cat(le16(0, 0, 0), le16(2), []byte{0xCF, 0xEE})}}}), nil))
	if root := os.Getenv("POSTDASH_CORPUS"); root != "" {
		files, _ := filepath.Glob(filepath.Join(root, "files", "*.xls"))
		for _, p := range files {
			if st, err := os.Stat(p); err == nil && st.Size() <= 64<<10 {
				if b, err := os.ReadFile(p); err == nil {
					f.Add(b)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := readAll(data)
		var le *xlsx.LimitError
		if err != nil && !typed(err) && !errors.As(err, &le) {
			t.Fatalf("untyped error %v", err)
		}
	})
}

func typed(err error) bool {
	for _, e := range []error{ErrCorrupt, ErrEncrypted, ErrNotWorkbook, ErrOldVersion, ErrTooLarge} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// TestFuzzSeedsRead keeps the seeds meaningful: the built ones read.
func TestFuzzSeedsRead(t *testing.T) {
	b := cfbFile("Workbook", biff(biff8, nil, sheetDef{name: "S", records: []rec{numberRec(0, 0, 0, 1)}}), nil)
	if got, err := readAll(b); err != nil || len(got) != 2 || !bytes.Equal([]byte(got[1]), []byte("R1C1=0:1")) {
		t.Fatalf("read %q, %v", got, err)
	}
}
