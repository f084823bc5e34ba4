package ods

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzContent feeds arbitrary content.xml, in a minimal .ods, to the reader:
// it must not panic, hang or allocate without bound (repeat counts
// included), and every error must be one of the package's. Seeds: small
// tables, testdata/fuzz/FuzzContent, and the content.xml of the corpus's
// .ods files when POSTDASH_CORPUS is set (the corpus stays out of the
// repository). Run: go test -fuzz FuzzContent -fuzztime 60s.
func FuzzContent(f *testing.F) {
	f.Add([]byte(content(`<table:table table:name="S"><table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="1"/>` +
		`<table:table-cell table:number-columns-spanned="2" office:value-type="string"><text:p>a<text:s text:c="3"/>b</text:p></table:table-cell><table:covered-table-cell/></table:table-row></table:table>`)))
	f.Add([]byte(content(`<table:table table:name="D"><table:table-row><table:table-cell office:value-type="date" office:date-value="2025-01-31T10:00:00"/><table:table-cell office:value-type="time" office:time-value="PT1H"/></table:table-row></table:table>`)))
	if root := os.Getenv("POSTDASH_CORPUS"); root != "" {
		files, _ := filepath.Glob(filepath.Join(root, "files", "*.ods"))
		for _, p := range files {
			if b, err := contentOf(p); err == nil && len(b) <= 64<<10 {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, xml []byte) {
		data := odsZip(t, map[string]string{"content.xml": string(xml)})
		if _, err := readAll(data, Limits{MaxCells: 1 << 14}); err != nil && !typed(err) {
			t.Fatalf("untyped error %v", err)
		}
	})
}

func typed(err error) bool {
	for _, e := range []error{ErrCorrupt, ErrEncrypted, ErrTooLarge, ErrInflated, ErrNotODS} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// contentOf is the content.xml of an .ods file.
func contentOf(path string) ([]byte, error) {
	wb, err := Open(path, Limits{})
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	rc, err := wb.open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := make([]byte, 64<<10+1)
	n, _ := io.ReadFull(rc, buf)
	return buf[:n], nil
}
