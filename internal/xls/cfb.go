package xls

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
)

// Compound File Binary (OLE2) constants, from [MS-CFB].
const (
	cfbMagic     = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
	cfbEndChain  = 0xFFFFFFFE
	cfbFree      = 0xFFFFFFFF
	cfbMaxRegSID = 0xFFFFFFFA
	cfbDirEntry  = 128
	cfbHeaderLen = 512
	// maxDirectoryBytes bounds the directory: a workbook has a handful of
	// streams, 128 bytes each.
	maxDirectoryBytes = 4 << 20
)

// cfb is an opened compound file: its FAT, and the one stream postdash
// reads, found in the directory. Everything it holds is bounded by the file
// size (4 bytes of FAT per sector), never by a count the file declares.
type cfb struct {
	r          io.ReaderAt
	size       int64
	sectorSize int64
	nSectors   uint32 // sectors the file holds after its header
	fat        []uint32
	miniCutoff uint32
	root       dirEntry
	entries    []dirEntry
	miniFAT    []uint32
}

// dirEntry is one directory entry: a storage or a stream.
type dirEntry struct {
	name  string
	kind  byte // 1 storage, 2 stream, 5 root
	start uint32
	size  uint64
}

// openCFB reads the header, the FAT and the directory. A chain that loops,
// points past the file or runs short is ErrCorrupt.
func openCFB(r io.ReaderAt, size int64) (*cfb, error) {
	if size < cfbHeaderLen {
		return nil, fmt.Errorf("%w: shorter than a compound file header", ErrCorrupt)
	}
	h := make([]byte, cfbHeaderLen)
	if _, err := r.ReadAt(h, 0); err != nil {
		return nil, fmt.Errorf("%w: read header: %v", ErrCorrupt, err)
	}
	if string(h[:8]) != cfbMagic {
		return nil, fmt.Errorf("%w: not a compound file", ErrNotWorkbook)
	}
	shift := binary.LittleEndian.Uint16(h[30:])
	if shift != 9 && shift != 12 {
		return nil, fmt.Errorf("%w: sector shift %d", ErrCorrupt, shift)
	}
	c := &cfb{r: r, size: size, sectorSize: 1 << shift}
	// Version 4 files keep a 4096-byte header sector.
	body := size - c.sectorSize
	if body < 0 {
		return nil, fmt.Errorf("%w: no sectors", ErrCorrupt)
	}
	c.nSectors = uint32(min((body+c.sectorSize-1)/c.sectorSize, cfbMaxRegSID))
	c.miniCutoff = binary.LittleEndian.Uint32(h[56:])
	if err := c.readFAT(h); err != nil {
		return nil, err
	}
	if err := c.readDirectory(binary.LittleEndian.Uint32(h[48:])); err != nil {
		return nil, err
	}
	miniStart, miniCount := binary.LittleEndian.Uint32(h[60:]), binary.LittleEndian.Uint32(h[64:])
	if miniCount > 0 && miniStart <= cfbMaxRegSID {
		b, err := c.readChain(miniStart, uint64(miniCount)*uint64(c.sectorSize))
		if err != nil {
			return nil, fmt.Errorf("mini FAT: %w", err)
		}
		c.miniFAT = u32s(b)
	}
	return c, nil
}

// readFAT collects the FAT sector numbers from the header's 109 DIFAT
// entries and the DIFAT chain, then reads those sectors.
func (c *cfb) readFAT(h []byte) error {
	nFAT := binary.LittleEndian.Uint32(h[44:])
	// A FAT sector maps sectorSize/4 sectors: more than the file holds is a lie.
	perSector := uint32(c.sectorSize / 4)
	if nFAT > c.nSectors/perSector+1 || nFAT > c.nSectors {
		return fmt.Errorf("%w: %d FAT sectors for a file of %d sectors", ErrCorrupt, nFAT, c.nSectors)
	}
	var fatSecs []uint32
	for i := 0; i < 109 && uint32(len(fatSecs)) < nFAT; i++ {
		fatSecs = append(fatSecs, binary.LittleEndian.Uint32(h[76+4*i:]))
	}
	difat := binary.LittleEndian.Uint32(h[68:])
	buf := make([]byte, c.sectorSize)
	for steps := uint32(0); uint32(len(fatSecs)) < nFAT; steps++ {
		if difat > cfbMaxRegSID || difat >= c.nSectors || steps > c.nSectors {
			return fmt.Errorf("%w: DIFAT chain broken or looping", ErrCorrupt)
		}
		if err := c.readSector(difat, buf); err != nil {
			return err
		}
		for i := int64(0); i < c.sectorSize/4-1 && uint32(len(fatSecs)) < nFAT; i++ {
			fatSecs = append(fatSecs, binary.LittleEndian.Uint32(buf[4*i:]))
		}
		difat = binary.LittleEndian.Uint32(buf[c.sectorSize-4:])
	}
	c.fat = make([]uint32, 0, int64(len(fatSecs))*c.sectorSize/4)
	for _, s := range fatSecs {
		if s >= c.nSectors {
			return fmt.Errorf("%w: FAT sector %d past the end of the file", ErrCorrupt, s)
		}
		if err := c.readSector(s, buf); err != nil {
			return err
		}
		c.fat = append(c.fat, u32s(buf)...)
	}
	return nil
}

func (c *cfb) readSector(s uint32, buf []byte) error {
	off := (int64(s) + 1) * c.sectorSize
	n, err := c.r.ReadAt(buf, off)
	if n < len(buf) {
		if off+int64(n) >= c.size && n > 0 { // a short last sector: zero-fill
			clear(buf[n:])
			return nil
		}
		return fmt.Errorf("%w: sector %d unreadable: %v", ErrCorrupt, s, err)
	}
	return nil
}

// chain lists the sectors of the chain from start that hold size bytes. A
// chain that leaves the FAT, loops or ends early is ErrCorrupt.
func (c *cfb) chain(start uint32, size uint64, fat []uint32, unit uint64, limit uint32) ([]uint32, error) {
	need := (size + unit - 1) / unit
	if need > uint64(limit) {
		return nil, fmt.Errorf("%w: a stream of %d bytes in a file of %d", ErrCorrupt, size, c.size)
	}
	out := make([]uint32, 0, need)
	seen := make([]uint64, (uint64(limit)+63)/64) // a bit a sector: limit/8 bytes
	s := start
	for uint64(len(out)) < need {
		if s >= limit || s >= uint32(len(fat)) {
			return nil, fmt.Errorf("%w: sector chain leaves the file", ErrCorrupt)
		}
		if seen[s/64]&(1<<(s%64)) != 0 {
			return nil, fmt.Errorf("%w: sector chain loops", ErrCorrupt)
		}
		seen[s/64] |= 1 << (s % 64)
		out = append(out, s)
		s = fat[s]
	}
	return out, nil
}

// readChain reads a whole (small) chain of regular sectors.
func (c *cfb) readChain(start uint32, size uint64) ([]byte, error) {
	secs, err := c.chain(start, size, c.fat, uint64(c.sectorSize), c.nSectors)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(secs)*int(c.sectorSize))
	for i, s := range secs {
		if err := c.readSector(s, out[int64(i)*c.sectorSize:int64(i+1)*c.sectorSize]); err != nil {
			return nil, err
		}
	}
	return out[:size], nil
}

// readDirectory reads the directory chain; its size is bounded by the file.
func (c *cfb) readDirectory(start uint32) error {
	var buf []byte
	seen := uint32(0)
	sec := make([]byte, c.sectorSize)
	for s := start; s != cfbEndChain; s = c.fat[s] {
		if s >= c.nSectors || s >= uint32(len(c.fat)) || seen > c.nSectors {
			return fmt.Errorf("%w: directory chain broken or looping", ErrCorrupt)
		}
		seen++
		if int64(seen)*c.sectorSize > maxDirectoryBytes {
			return fmt.Errorf("%w: directory larger than %d bytes", ErrCorrupt, maxDirectoryBytes)
		}
		if err := c.readSector(s, sec); err != nil {
			return err
		}
		buf = append(buf, sec...)
	}
	for off := 0; off+cfbDirEntry <= len(buf); off += cfbDirEntry {
		e := buf[off : off+cfbDirEntry]
		n := int(binary.LittleEndian.Uint16(e[64:]))
		if n < 2 || n > 64 || e[66] == 0 {
			c.entries = append(c.entries, dirEntry{})
			continue
		}
		u := make([]uint16, 0, n/2-1)
		for i := 0; i+1 < n-2; i += 2 {
			u = append(u, binary.LittleEndian.Uint16(e[i:]))
		}
		d := dirEntry{name: string(utf16.Decode(u)), kind: e[66],
			start: binary.LittleEndian.Uint32(e[116:]), size: binary.LittleEndian.Uint64(e[120:])}
		if c.sectorSize == 512 {
			d.size &= 0xFFFFFFFF // version 3: the high half is undefined
		}
		if d.kind == 5 && c.root.kind == 0 {
			c.root = d
		}
		c.entries = append(c.entries, d)
	}
	if c.root.kind != 5 {
		return fmt.Errorf("%w: no root directory entry", ErrCorrupt)
	}
	return nil
}

// find returns the first stream named one of names (case-insensitive).
func (c *cfb) find(names ...string) (dirEntry, bool) {
	for _, n := range names {
		for _, e := range c.entries {
			if e.kind == 2 && strings.EqualFold(e.name, n) {
				return e, true
			}
		}
	}
	return dirEntry{}, false
}

// has reports whether any entry (stream or storage) carries the name.
func (c *cfb) has(name string) bool {
	for _, e := range c.entries {
		if e.kind != 0 && strings.EqualFold(e.name, name) {
			return true
		}
	}
	return false
}

// open returns a random-access reader of a stream: regular streams are read
// sector by sector as asked, mini streams (under 4 KiB) are read whole.
func (c *cfb) open(e dirEntry) (io.ReaderAt, int64, error) {
	if e.size > uint64(c.size) {
		return nil, 0, fmt.Errorf("%w: stream %q declares %d bytes in a file of %d", ErrCorrupt, e.name, e.size, c.size)
	}
	if e.size < uint64(c.miniCutoff) {
		b, err := c.readMini(e)
		if err != nil {
			return nil, 0, err
		}
		return bytes.NewReader(b), int64(len(b)), nil
	}
	secs, err := c.chain(e.start, e.size, c.fat, uint64(c.sectorSize), c.nSectors)
	if err != nil {
		return nil, 0, fmt.Errorf("stream %q: %w", e.name, err)
	}
	return &sectorReader{c: c, secs: secs, size: int64(e.size)}, int64(e.size), nil
}

// readMini reads a stream stored in the mini stream, in 64-byte sectors.
func (c *cfb) readMini(e dirEntry) ([]byte, error) {
	if e.size == 0 {
		return nil, nil
	}
	if len(c.miniFAT) == 0 {
		return nil, fmt.Errorf("%w: mini stream without a mini FAT", ErrCorrupt)
	}
	mini, err := c.readChain(c.root.start, min(c.root.size, uint64(c.size)))
	if err != nil {
		return nil, fmt.Errorf("mini stream: %w", err)
	}
	secs, err := c.chain(e.start, e.size, c.miniFAT, 64, uint32(min(uint64(len(mini))/64, cfbMaxRegSID)))
	if err != nil {
		return nil, fmt.Errorf("stream %q: %w", e.name, err)
	}
	out := make([]byte, 0, e.size)
	for _, s := range secs {
		out = append(out, mini[int(s)*64:int(s)*64+64]...)
	}
	return out[:e.size], nil
}

// sectorReader reads a stream through its sector list.
type sectorReader struct {
	c    *cfb
	secs []uint32
	size int64
}

func (s *sectorReader) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	ss := s.c.sectorSize
	for n < len(p) {
		if off >= s.size {
			return n, io.EOF
		}
		i, within := off/ss, off%ss
		k := min(int64(len(p)-n), ss-within, s.size-off)
		at := (int64(s.secs[i])+1)*ss + within
		got, err := s.c.r.ReadAt(p[n:n+int(k)], at)
		n += got
		off += int64(got)
		if got < int(k) {
			if err == nil || err == io.EOF {
				err = fmt.Errorf("%w: stream ends past the end of the file", ErrCorrupt)
			}
			return n, err
		}
	}
	return n, nil
}

func u32s(b []byte) []uint32 {
	out := make([]uint32, len(b)/4)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return out
}
