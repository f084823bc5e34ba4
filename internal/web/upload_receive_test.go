package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"testing"
	"testing/iotest"

	"postdash/internal/sheet"
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
	for _, want := range []error{io.ErrClosedPipe, io.ErrUnexpectedEOF} {
		// io.ErrUnexpectedEOF is what the multipart reader says of a body
		// cut before its closing boundary: a file cut short, not its end.
		gone := io.MultiReader(bytes.NewReader(make([]byte, receiveBuffer+5)), iotest.ErrReader(want))
		if _, _, err := copyHashing(io.Discard, gone); !errors.Is(err, want) {
			t.Errorf("read fails with %v: %v, want that error", want, err)
		}
	}
	defer func() {
		if p := recover(); p != "writer broke" {
			t.Errorf("a panicking writer: recovered %v, want its panic on the caller's goroutine", p)
		}
	}()
	copyHashing(panicWriter{}, bytes.NewReader(make([]byte, 5*receiveBuffer)))
}

type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("writer broke") }

// TestUploadCutShortIsRefused: a body that ends before the multipart's
// closing boundary (a client gone mid-file, a proxy's cut) is refused on
// the page and the API; nothing is imported and nothing stays on disk.
func TestUploadCutShortIsRefused(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	api := env.tokenClient("ali")
	page := env.login("ali")
	content := workbook(t, row{"2025-01", "inbound", "", "letter_post", 1, 2})
	for _, tc := range []struct {
		name   string
		c      *client
		target string
		fields [][2]string
	}{
		{"page", page, "/upload", [][2]string{{"csrf", page.csrf}}},
		{"api", api, "/api/v1/imports", nil},
	} {
		body, ctype := multipartBody(t, tc.fields, "cut.xlsx", content)
		whole := body.Bytes()
		end := bytes.LastIndex(whole, []byte("\r\n--")) // before the closing boundary
		if end < 0 {
			t.Fatal("no closing boundary in the test's body")
		}
		rec := tc.c.do(http.MethodPost, tc.target, bytes.NewReader(whole[:end]), ctype)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%s: a body cut before its closing boundary: %d %.300s, want 400", tc.name, rec.Code, rec.Body)
		}
	}
	if bs, err := env.st.Batches(context.Background()); err != nil || len(bs) != 0 {
		t.Errorf("%d batches, %v; want none", len(bs), err)
	}
	noTempFiles(t)
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
