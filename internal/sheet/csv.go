package sheet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"postdash/internal/xlsx"
)

// csvDetectBytes is how much of a CSV file decides its encoding and delimiter.
const csvDetectBytes = 1 << 20

// csvBook is a CSV file seen as a book of one sheet named after the file.
type csvBook struct {
	path    string
	sheet   string
	charset *charmap.Charmap // nil: UTF-8
	delim   rune
	size    int64
	lim     Limits
}

// openCSV detects a CSV file's encoding (UTF-8, else Windows-1251, or
// Windows-1252 when the text is plainly Western) and its
// delimiter (`,`, `;` or tab).
func openCSV(path, name string, size int64, lim Limits) (*csvBook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head, err := io.ReadAll(io.LimitReader(f, csvDetectBytes))
	if err != nil {
		return nil, err
	}
	b := &csvBook{path: path, sheet: strings.TrimSuffix(filepath.Base(name), filepath.Ext(name)), size: size, lim: lim}
	text := head
	if !validUTF8Prefix(head, int64(len(head)) < size) {
		b.charset = singleByteCharset(head)
		text, _ = b.charset.NewDecoder().Bytes(head)
	}
	b.delim = detectDelimiter(text)
	return b, nil
}

// singleByteCharset tells Windows-1251 (Cyrillic: words of letters above
// 0xC0) from Windows-1252 (Western: single accented letters inside Latin
// words, as in "opération").
func singleByteCharset(b []byte) *charmap.Charmap {
	high, lone := 0, 0
	for i, c := range b {
		if c < 0xC0 {
			continue
		}
		high++
		if i > 0 && i+1 < len(b) && isASCIILetter(b[i-1]) && (isASCIILetter(b[i+1]) || b[i+1] < 0x80) {
			lone++
		}
	}
	if high > 0 && lone*2 > high {
		return charmap.Windows1252
	}
	return charmap.Windows1251
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// validUTF8Prefix reports whether b is UTF-8; when more follows, a rune cut
// at the end does not count against it.
func validUTF8Prefix(b []byte, truncated bool) bool {
	if truncated {
		for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
			if utf8.Valid(b) {
				return true
			}
			b = b[:len(b)-1]
		}
	}
	return utf8.Valid(b)
}

// detectDelimiter picks the delimiter whose count outside quotes is the same
// on most of the first lines (decimal commas vary, separators do not).
func detectDelimiter(text []byte) rune {
	lines := splitLines(text, 50)
	best, bestScore, bestMode := ',', -1.0, 0
	for _, d := range []rune{'\t', ';', ','} {
		counts := map[int]int{}
		nonzero := 0
		for _, l := range lines {
			n := countOutsideQuotes(l, d)
			if n > 0 {
				counts[n]++
				nonzero++
			}
		}
		if nonzero == 0 {
			continue
		}
		mode, modeN := 0, 0
		for n, c := range counts {
			if c > modeN || c == modeN && n > mode {
				mode, modeN = n, c
			}
		}
		score := float64(modeN) / float64(len(lines))
		if score > bestScore+1e-9 || score > bestScore-1e-9 && mode > bestMode && score >= bestScore {
			best, bestScore, bestMode = d, score, mode
		}
	}
	return best
}

// splitLines returns up to n non-empty lines of text, joining lines inside quotes.
func splitLines(text []byte, n int) []string {
	var out []string
	var cur []byte
	inQuote := false
	for _, c := range text {
		if c == '"' {
			inQuote = !inQuote
		}
		if c == '\n' && !inQuote {
			if l := strings.TrimSpace(string(cur)); l != "" {
				out = append(out, l)
				if len(out) == n {
					return out
				}
			}
			cur = cur[:0]
			continue
		}
		cur = append(cur, c)
	}
	if l := strings.TrimSpace(string(cur)); l != "" && len(out) < n {
		out = append(out, l)
	}
	return out
}

func countOutsideQuotes(line string, d rune) int {
	n, in := 0, false
	for _, r := range line {
		switch {
		case r == '"':
			in = !in
		case r == d && !in:
			n++
		}
	}
	return n
}

func (b *csvBook) Sheets() []sheetInfo                 { return []sheetInfo{{Name: b.sheet}} }
func (b *csvBook) Date1904() bool                      { return false }
func (b *csvBook) Merged(string) ([]mergeRange, error) { return nil, nil }
func (b *csvBook) Close() error                        { return nil }

// Rows streams the file's records; cells are text.
func (b *csvBook) Rows(ctx context.Context, _ string) (rowIter, error) {
	f, err := os.Open(b.path)
	if err != nil {
		return nil, err
	}
	cr := &countingReader{r: f}
	var r io.Reader = bufio.NewReaderSize(cr, 64<<10)
	br := r.(*bufio.Reader)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	if b.charset != nil {
		r = b.charset.NewDecoder().Reader(br)
	}
	rd := csv.NewReader(&lineLimiter{r: r, maxLine: b.lim.MaxLineBytes, maxRecord: b.lim.MaxRecordBytes})
	rd.Comma = b.delim
	rd.LazyQuotes = true
	rd.FieldsPerRecord = -1
	rd.ReuseRecord = true
	maxRows := b.lim.MaxRows
	if maxRows <= 0 {
		maxRows = DefaultMaxCSVRows
	}
	return &csvRows{f: f, cr: cr, rd: rd, row: -1, lim: b.lim, maxRows: maxRows, head: headerBudget{max: b.lim.MaxHeaderBytes}}, nil
}

// csvRows iterates over CSV records as rows of text cells.
type csvRows struct {
	f     *os.File
	cr    *countingReader
	rd    *csv.Reader
	row   int
	cells []rawCell
	err   error

	lim          Limits
	head         headerBudget
	maxRows      int
	rows, nCells int64 // non-empty rows and cells read
}

func (r *csvRows) Next() bool {
	for r.err == nil {
		rec, err := r.rd.Read()
		if errors.Is(err, io.EOF) {
			return false
		}
		if errors.Is(err, xlsx.ErrLimit) {
			r.err = err
			return false
		}
		if len(rec) > r.lim.MaxColumns {
			r.err = &xlsx.LimitError{Limit: xlsx.LimitColumns, Max: int64(r.lim.MaxColumns)}
			return false
		}
		if err != nil && rec == nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				r.err = err
				return false
			}
		}
		r.row++
		if line, _ := r.rd.FieldPos(0); line-1 > r.row {
			r.row = line - 1 // the reader skips empty lines: cells keep their line's row
		}
		r.cells = r.cells[:0]
		for i, v := range rec {
			if len(v) > r.lim.MaxCellBytes {
				r.err = &xlsx.LimitError{Limit: xlsx.LimitCellBytes, Max: int64(r.lim.MaxCellBytes)}
				return false
			}
			if strings.TrimSpace(v) != "" {
				r.cells = append(r.cells, rawCell{Col: i, Kind: kindString, Value: v})
			}
		}
		if len(r.cells) > 0 {
			r.rows++
			r.nCells += int64(len(r.cells))
			switch {
			case r.rows > int64(r.maxRows):
				r.err = &xlsx.LimitError{Limit: xlsx.LimitRows, Max: int64(r.maxRows)}
				return false
			case r.nCells > r.lim.MaxCells:
				r.err = &xlsx.LimitError{Limit: limitCells, Max: r.lim.MaxCells}
				return false
			}
			if err := r.head.take(r.cells); err != nil {
				r.err = err
				return false
			}
			return true
		}
	}
	return false
}

func (r *csvRows) Row() int         { return r.row }
func (r *csvRows) Cells() []rawCell { return r.cells }
func (r *csvRows) BytesRead() int64 { return r.cr.n }
func (r *csvRows) Err() error       { return r.err }
func (r *csvRows) Close() error     { return r.f.Close() }

// Names of the limits only the sheet reader applies.
const (
	limitCells       = "cells"
	limitFacts       = "facts"
	limitHeaderBytes = "header_bytes"
	limitLineBytes   = "line_bytes"
	limitRecordBytes = "record_bytes"
)

// headerBudget bounds the text of a sheet's first rows, where the header is
// looked for: that search reads every cell's words, so its work is held to
// MaxHeaderBytes whatever the sheet.
type headerBudget struct {
	rows, bytes, max int
}

func (h *headerBudget) take(cells []rawCell) error {
	if h.rows >= headerSearchRows+2 {
		return nil
	}
	h.rows++
	for _, c := range cells {
		h.bytes += len(c.Value)
	}
	if h.bytes > h.max {
		return &xlsx.LimitError{Limit: limitHeaderBytes, Max: int64(h.max)}
	}
	return nil
}

// lineLimiter refuses a CSV stream before encoding/csv buffers an endless
// line or record: it counts the bytes of the current physical line and of
// the current record (a quoted line break does not end one). A stray quote
// can only make a record look longer, so the record budget is generous.
type lineLimiter struct {
	r                  io.Reader
	maxLine, maxRecord int
	line, record       int
	inQuote            bool
	err                error
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for i, c := range p[:n] {
		switch c {
		case '"':
			l.inQuote = !l.inQuote
		case '\n':
			l.line = 0
			if !l.inQuote {
				l.record = 0
				continue
			}
		}
		l.line++
		l.record++
		if l.line > l.maxLine {
			l.err = &xlsx.LimitError{Limit: limitLineBytes, Max: int64(l.maxLine)}
		} else if l.record > l.maxRecord {
			l.err = &xlsx.LimitError{Limit: limitRecordBytes, Max: int64(l.maxRecord)}
		}
		if l.err != nil {
			return i, l.err
		}
	}
	return n, err
}

// countingReader counts the bytes read through it, for progress.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
