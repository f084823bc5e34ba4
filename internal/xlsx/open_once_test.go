package xlsx

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
	"testing"

	"postdash/internal/format"
)

// dirReadCounter counts how many times each byte of a window of r is read.
type dirReadCounter struct {
	r        io.ReaderAt
	from, to int64 // the window
	mu       sync.Mutex
	reads    []int // reads of each byte of the window
}

func (c *dirReadCounter) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.mu.Lock()
	for at := max(off, c.from); at < min(off+int64(n), c.to); at++ {
		c.reads[at-c.from]++
	}
	c.mu.Unlock()
	return n, err
}

// most is the most times a byte of the window was read, and the fewest.
func (c *dirReadCounter) most() (most, fewest int) {
	fewest = 1 << 30
	for _, n := range c.reads {
		most, fewest = max(most, n), min(fewest, n)
	}
	return most, fewest
}

// directoryOf returns where a zip's central directory starts and ends, read
// from its end record by hand (no zip64 in these tests).
func directoryOf(t *testing.T, b []byte) (int64, int64) {
	t.Helper()
	end := bytes.LastIndex(b, []byte("PK\x05\x06"))
	if end < 0 {
		t.Fatal("no end of central directory")
	}
	return int64(binary.LittleEndian.Uint32(b[end+16:])), int64(end)
}

// One open of a workbook reads its zip directory once: the sniffer's
// reading is the one the reader uses, whether the directory lies in the
// file's last 64 KiB or starts before them.
func TestOpenReadsTheDirectoryOnce(t *testing.T) {
	sheetXML := `<worksheet ` + nsMain + `><sheetData><row r="1"><c r="A1"><v>42</v></c></row></sheetData></worksheet>`
	small := zipBytes(t, minimalParts(sheetXML, "")...)
	parts := minimalParts(sheetXML, "")
	for i := range 2000 {
		parts = append(parts, part{fmt.Sprintf("xl/media/a-long-name-of-an-unused-picture-%05d.png", i), "x"})
	}
	large := zipBytes(t, parts...)
	for name, b := range map[string][]byte{"small directory": small, "directory over 64 KiB": large} {
		t.Run(name, func(t *testing.T) {
			from, to := directoryOf(t, b)
			if name != "small directory" && int64(len(b))-from <= 65557 {
				t.Fatalf("directory of %d bytes lies in the last 64 KiB", to-from)
			}
			c := &dirReadCounter{r: bytes.NewReader(b), from: from, to: to, reads: make([]int, to-from)}
			wb, err := OpenReader(c, int64(len(b)), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			cells, err := readAll(t, wb, "S")
			if err != nil || len(cells) != 1 || cells[0].Value != "42" {
				t.Fatalf("cells %v, %v", cells, err)
			}
			if most, fewest := c.most(); most != 1 || fewest != 1 {
				t.Errorf("directory bytes read between %d and %d times, want once", fewest, most)
			}

			// Inspect then OpenInspected, as the importer opens a file: once too.
			c = &dirReadCounter{r: bytes.NewReader(b), from: from, to: to, reads: make([]int, to-from)}
			in, err := format.Inspect(c, int64(len(b)))
			if err != nil || in.Kind != format.XLSX {
				t.Fatalf("Inspect: %+v, %v", in, err)
			}
			if _, err := OpenInspected(in, Limits{}); err != nil {
				t.Fatal(err)
			}
			if most, fewest := c.most(); most != 1 || fewest != 1 {
				t.Errorf("Inspect and OpenInspected read the directory between %d and %d times, want once", fewest, most)
			}
		})
	}
}
