package hostile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
)

// seg is text repeated n times (n = 0 counts as once).
type seg struct {
	text string
	n    int
}

func once(s string) seg                    { return seg{text: s, n: 1} }
func times(s string, n int) seg            { return seg{text: s, n: n} }
func (s seg) count() int                   { return max(s.n, 1) }
func (s seg) size() int64                  { return int64(len(s.text)) * int64(s.count()) }
func partOf(name string, segs ...seg) part { return part{name: name, segs: segs} }

// part is one zip member made of segments.
type part struct {
	name string
	segs []seg
}

// chunkBytes is how much of a repeated segment is compressed once and then
// copied: a gigabyte of XML costs a few megabytes of work to write.
const chunkBytes = 1 << 20

// writeZip writes the parts as a zip. Each part's deflate stream is a run
// of independently compressed, byte-aligned blocks (a block never refers
// back past its own start), so a compressed chunk of a repeated segment can
// be copied as many times as the segment repeats.
func writeZip(w io.Writer, parts []part) error {
	zw := zip.NewWriter(w)
	for _, p := range parts {
		var comp bytes.Buffer
		crc := crc32.NewIEEE()
		var size int64
		for _, s := range p.segs {
			per := max(1, chunkBytes/max(1, len(s.text)))
			left := s.count()
			var chunk []byte
			var plain []byte
			for left > 0 {
				k := min(per, left)
				if chunk == nil || k != per {
					plain = bytes.Repeat([]byte(s.text), k)
					var err error
					if chunk, err = deflateBlock(plain); err != nil {
						return err
					}
				}
				comp.Write(chunk)
				crc.Write(plain)
				size += int64(len(plain))
				left -= k
			}
		}
		final, err := deflateFinal()
		if err != nil {
			return err
		}
		comp.Write(final)
		fw, err := zw.CreateRaw(&zip.FileHeader{
			Name: p.name, Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(size),
		})
		if err != nil {
			return fmt.Errorf("zip %s: %w", p.name, err)
		}
		if _, err := fw.Write(comp.Bytes()); err != nil {
			return fmt.Errorf("zip %s: %w", p.name, err)
		}
	}
	return zw.Close()
}

// deflateBlock compresses b on its own, ending byte-aligned and not final.
func deflateBlock(b []byte) ([]byte, error) {
	var out bytes.Buffer
	fw, err := flate.NewWriter(&out, flate.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(b); err != nil {
		return nil, err
	}
	if err := fw.Flush(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// deflateFinal is an empty final block, ending a stream.
func deflateFinal() ([]byte, error) {
	var out bytes.Buffer
	fw, err := flate.NewWriter(&out, flate.BestSpeed)
	if err != nil {
		return nil, err
	}
	if err := fw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
