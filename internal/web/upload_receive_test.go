package web

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// TestCopyHashing: what is received is written whole and in order, and its
// hash is the SHA-256 of those bytes, whatever the size against the
// buffers and however the reader hands them out.
func TestCopyHashing(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, receiveBuffer - 1, receiveBuffer, receiveBuffer + 1, 3*receiveBuffer + 7, 10*receiveBuffer + 12345} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(r.UintN(256))
		}
		for name, src := range map[string]io.Reader{
			"whole":    bytes.NewReader(data),
			"one byte": iotest.OneByteReader(bytes.NewReader(data)),
			"halves":   iotest.HalfReader(bytes.NewReader(data)),
		} {
			if name == "one byte" && size > 4*receiveBuffer {
				continue // slow, and no different from the smaller sizes
			}
			var out bytes.Buffer
			n, sum, err := copyHashing(&out, src)
			want := sha256.Sum256(data)
			if err != nil || n != int64(size) || !bytes.Equal(out.Bytes(), data) || !bytes.Equal(sum, want[:]) {
				t.Errorf("%d bytes, %s: copied %d (%d written alike: %v), hash %x want %x, %v",
					size, name, n, out.Len(), bytes.Equal(out.Bytes(), data), sum, want, err)
			}
		}
	}
}

// failingWriter fails from its nth write on.
type failingWriter struct{ writes, n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.writes++; w.writes >= w.n {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

// TestCopyHashingErrors: a failed write (a full disk) or read (the client
// gone) ends the copy with that error, and a failed write stops the
// reading long before the body's end.
func TestCopyHashingErrors(t *testing.T) {
	body := &countingReader{r: bytes.NewReader(make([]byte, 64*receiveBuffer))}
	if _, _, err := copyHashing(&failingWriter{n: 2}, body); err == nil || err.Error() != "disk full" {
		t.Errorf("write fails: %v, want disk full", err)
	}
	if body.n > 8*receiveBuffer {
		t.Errorf("read %d bytes after the write failed, want at most a few buffers", body.n)
	}
	gone := io.MultiReader(bytes.NewReader(make([]byte, receiveBuffer+5)), iotest.ErrReader(io.ErrClosedPipe))
	if _, _, err := copyHashing(io.Discard, gone); !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("read fails: %v, want the read's error", err)
	}
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
