package xlsxgen

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// InflateAndScan is the floor for any worksheet reader, which benchmarks
// compare readers with: it inflates xl/worksheets/sheet1.xml of the workbook
// at path and finds each row and cell by a byte search, decoding nothing.
func InflateAndScan(path string) (cells, rows int, err error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, 0, fmt.Errorf("inflate and scan %s: %w", path, err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return 0, 0, fmt.Errorf("inflate and scan %s: %w", path, err)
		}
		defer rc.Close()
		buf := make([]byte, 64<<10)
		c, r := counter{pat: []byte("<c ")}, counter{pat: []byte("<row ")}
		for {
			k, err := rc.Read(buf)
			c.feed(buf[:k])
			r.feed(buf[:k])
			if err == io.EOF {
				return c.n, r.n, nil
			}
			if err != nil {
				return 0, 0, fmt.Errorf("inflate and scan %s: %w", path, err)
			}
		}
	}
	return 0, 0, fmt.Errorf("inflate and scan %s: %w", path, errNoSheet1)
}

var errNoSheet1 = errors.New("no xl/worksheets/sheet1.xml")

// counter counts a pattern across a stream of chunks.
type counter struct {
	pat  []byte
	tail []byte // the last len(pat)-1 bytes seen
	n    int
}

func (c *counter) feed(b []byte) {
	k := len(c.pat) - 1
	join := append(c.tail, b[:min(k, len(b))]...)
	c.n += bytes.Count(join, c.pat) + bytes.Count(b, c.pat)
	if len(b) >= k {
		c.tail = append(c.tail[:0], b[len(b)-k:]...)
	} else {
		c.tail = append(c.tail[:0], join[max(0, len(join)-k):]...)
	}
}
