package xls

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// Record types read, from [MS-XLS] 2.3.
const (
	recFormula    = 0x0006
	recEOF        = 0x000A
	recCodePage   = 0x0042
	recDateMode   = 0x0022
	recFilePass   = 0x002F
	recContinue   = 0x003C
	recBoundSheet = 0x0085
	recColInfo    = 0x007D
	recRow        = 0x0208
	recMulRK      = 0x00BD
	recRString    = 0x00D6
	recDBCell     = 0x00D7
	recXF         = 0x00E0
	recMerged     = 0x00E5
	recSST        = 0x00FC
	recLabelSST   = 0x00FD
	recNumber     = 0x0203
	recLabel      = 0x0204
	recBoolErr    = 0x0205
	recString     = 0x0207
	recRK         = 0x027E
	recFormat     = 0x041E
	recBOF        = 0x0809
)

// recReader reads the records of the Workbook stream from an offset.
type recReader struct {
	br   *bufio.Reader
	off  int64 // stream offset of the next record
	size int64
	typ  uint16
	data []byte // the current record's body; reused
}

func newRecReader(stream io.ReaderAt, size, off int64) *recReader {
	return &recReader{br: bufio.NewReaderSize(io.NewSectionReader(stream, off, size-off), 64<<10), off: off, size: size,
		data: make([]byte, 0, 8224)}
}

// next reads the next record; false at the end of the stream. A record
// running past the end of the stream is ErrCorrupt.
func (r *recReader) next() (bool, error) {
	var h [4]byte
	if _, err := io.ReadFull(r.br, h[:]); err != nil {
		if err == io.EOF {
			return false, nil
		}
		return false, fmt.Errorf("%w: record header at %d: %v", ErrCorrupt, r.off, err)
	}
	r.typ = binary.LittleEndian.Uint16(h[:])
	n := int(binary.LittleEndian.Uint16(h[2:]))
	if r.off+4+int64(n) > r.size {
		return false, fmt.Errorf("%w: record at %d runs past the stream", ErrCorrupt, r.off)
	}
	r.data = r.data[:n]
	if _, err := io.ReadFull(r.br, r.data); err != nil {
		return false, fmt.Errorf("%w: record at %d: %v", ErrCorrupt, r.off, err)
	}
	r.off += 4 + int64(n)
	return true, nil
}

// peekType is the type of the record after the current one (0 at the end).
func (r *recReader) peekType() uint16 {
	h, err := r.br.Peek(2)
	if err != nil {
		return 0
	}
	return binary.LittleEndian.Uint16(h)
}

// cont reads a record body and the CONTINUE records after it as one stream
// of bytes, knowing where each record starts: a string's characters that
// cross into a CONTINUE record start there with a new flag byte.
type cont struct {
	r   *recReader
	buf []byte
	pos int
	err error
}

func newCont(r *recReader) *cont {
	return &cont{r: r, buf: r.data}
}

// more moves to the next CONTINUE record when the current one is used up.
func (c *cont) more() bool {
	for c.pos >= len(c.buf) {
		if c.err != nil || c.r.peekType() != recContinue {
			return false
		}
		if ok, err := c.r.next(); !ok || err != nil {
			c.err = err
			return false
		}
		c.buf, c.pos = c.r.data, 0
	}
	return true
}

// bytes reads n bytes that may span records (no flag bytes between).
func (c *cont) bytes(n int, dst []byte) ([]byte, bool) {
	for n > 0 {
		if !c.more() {
			return dst, false
		}
		k := min(n, len(c.buf)-c.pos)
		dst = append(dst, c.buf[c.pos:c.pos+k]...)
		c.pos += k
		n -= k
	}
	return dst, true
}

func (c *cont) skip(n int) bool {
	for n > 0 {
		if !c.more() {
			return false
		}
		k := min(n, len(c.buf)-c.pos)
		c.pos += k
		n -= k
	}
	return true
}

func (c *cont) u8() (byte, bool) {
	if !c.more() {
		return 0, false
	}
	c.pos++
	return c.buf[c.pos-1], true
}

func (c *cont) u16() (uint16, bool) {
	var b [2]byte
	if _, ok := c.bytes(2, b[:0]); !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint16(b[:]), true
}

func (c *cont) u32() (uint32, bool) {
	var b [4]byte
	if _, ok := c.bytes(4, b[:0]); !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint32(b[:]), true
}

// unicodeString reads a BIFF8 XLUnicodeRichExtendedString (the SST's and
// STRING's form): a character count, flags, optional run and extension
// counts, the characters (re-reading the flag byte at each CONTINUE), then
// the runs and extension, skipped. sb is scratch space.
func (c *cont) unicodeString(sb *strings.Builder, lenBytes int) (string, bool) {
	var n int
	if lenBytes == 1 {
		b, ok := c.u8()
		if !ok {
			return "", false
		}
		n = int(b)
	} else {
		v, ok := c.u16()
		if !ok {
			return "", false
		}
		n = int(v)
	}
	flags, ok := c.u8()
	if !ok {
		return "", false
	}
	runs, ext := 0, 0
	if flags&0x08 != 0 {
		v, ok := c.u16()
		if !ok {
			return "", false
		}
		runs = int(v)
	}
	if flags&0x04 != 0 {
		v, ok := c.u32()
		if !ok || v > 1<<24 {
			return "", false
		}
		ext = int(v)
	}
	sb.Reset()
	wide := flags&0x01 != 0
	for n > 0 {
		if c.pos >= len(c.buf) {
			if !c.more() {
				return "", false
			}
			f, _ := c.u8() // a CONTINUE repeats the flag for the characters
			wide = f&0x01 != 0
			if c.pos >= len(c.buf) && !c.more() {
				return "", false
			}
		}
		avail := len(c.buf) - c.pos
		if wide {
			k := min(n, avail/2)
			if k == 0 { // an odd byte left: the string is broken
				return "", false
			}
			appendUTF16(sb, c.buf[c.pos:c.pos+2*k])
			c.pos += 2 * k
			n -= k
		} else {
			k := min(n, avail)
			for _, b := range c.buf[c.pos : c.pos+k] {
				sb.WriteRune(rune(b)) // Latin-1: the high byte of UTF-16 left out
			}
			c.pos += k
			n -= k
		}
	}
	if !c.skip(4*runs) || !c.skip(ext) {
		return "", false
	}
	return sb.String(), true
}

// appendUTF16 appends UTF-16LE text, replacing unpaired surrogates.
func appendUTF16(sb *strings.Builder, b []byte) {
	for i := 0; i+1 < len(b); i += 2 {
		u := rune(binary.LittleEndian.Uint16(b[i:]))
		if utf16.IsSurrogate(u) && i+3 < len(b) {
			if r := utf16.DecodeRune(u, rune(binary.LittleEndian.Uint16(b[i+2:]))); r != utf8.RuneError {
				sb.WriteRune(r)
				i += 2
				continue
			}
		}
		if utf16.IsSurrogate(u) {
			u = utf8.RuneError
		}
		sb.WriteRune(u)
	}
}

// codePages maps a CODEPAGE record to the 8-bit encoding of BIFF5 strings.
var codePages = map[uint16]encoding.Encoding{
	437: charmap.CodePage437, 850: charmap.CodePage850, 852: charmap.CodePage852, 855: charmap.CodePage855,
	866: charmap.CodePage866, 874: charmap.Windows874,
	1250: charmap.Windows1250, 1251: charmap.Windows1251, 1252: charmap.Windows1252, 1253: charmap.Windows1253,
	1254: charmap.Windows1254, 1255: charmap.Windows1255, 1256: charmap.Windows1256, 1257: charmap.Windows1257,
	1258: charmap.Windows1258, 10000: charmap.Macintosh, 10007: charmap.MacintoshCyrillic,
	32768: charmap.Macintosh, 367: charmap.Windows1252, 1200: charmap.Windows1252,
}

// decoderFor decodes 8-bit text in the code page; an unknown code page is
// read as Windows-1252, as Excel does when the record is missing.
func decoderFor(cp uint16) func([]byte) string {
	enc, ok := codePages[cp]
	if !ok {
		enc = charmap.Windows1252
	}
	return func(b []byte) string {
		s, err := enc.NewDecoder().Bytes(b) // a decoder per call: Rows and MergedRanges run at once
		if err != nil {
			return string(b)
		}
		return string(s)
	}
}
