package web

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"postdash/internal/auth"
)

// received is an uploaded file in a private temporary folder. The user's
// file name is kept only as a label; the bytes live at a name of ours.
type received struct {
	dir    string
	Path   string
	Name   string // cleaned base name the user gave, for display and format
	SHA256 string
	Size   int64
	Fields map[string]string // the small form fields sent before the file
}

// remove deletes the temporary folder; safe to call twice or on nil.
func (r *received) remove() {
	if r != nil && r.dir != "" {
		os.RemoveAll(r.dir)
		r.dir = ""
	}
}

// Upload failures a handler maps to a status.
var (
	errTooLarge = errors.New("the upload is larger than the limit")
	errNoFile   = errors.New("the form has no file in field \"file\"")
	errBadForm  = errors.New("the upload is not a readable multipart form")
	errCSRF     = errors.New("missing or wrong CSRF token")
)

// Limits on the small fields sent with a file.
const (
	maxFieldBytes = 4 << 10
	maxFields     = 16
	formSlack     = 64 << 10 // multipart headers and fields around the file
)

// readUpload streams a multipart body into a temporary file while hashing
// it: small fields first (kept in Fields, checked against the route's
// declared form fields), then the part named "file", which must be the last. The body is capped at the upload limit. When
// the request is signed in by cookie without an X-CSRF-Token header, the
// csrf field must come before the file and match the session. On any error
// nothing is left on disk.
func (a *accounts) readUpload(c *gin.Context) (*received, error) {
	if c.Request.ContentLength > a.maxBody+formSlack {
		return nil, errTooLarge
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, a.maxBody+formSlack)
	mr, err := multipartReader(c.Request)
	if err != nil {
		return nil, err
	}
	fields := url.Values{}
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errNoFile
		}
		if err != nil {
			return nil, uploadErr(err)
		}
		if part.FormName() == "file" {
			if a.needsFormCSRF(c) && !auth.CheckCSRF(c.MustGet(keySession).(auth.Session), fields.Get(csrfField)) {
				return nil, errCSRF
			}
			if err := checkFields(c, fields); err != nil {
				return nil, err
			}
			rec, err := a.saveFile(part)
			if err != nil {
				return nil, err
			}
			if err := nothingAfter(mr); err != nil {
				rec.remove()
				return nil, err
			}
			rec.Fields = map[string]string{}
			for k := range fields {
				rec.Fields[k] = fields.Get(k)
			}
			return rec, nil
		}
		if n >= maxFields {
			return nil, errBadForm
		}
		limit := int64(maxFieldBytes)
		if part.FormName() == "mapping" {
			limit = maxMappingBytes // a mapping's JSON, sent with an API import
		}
		b, err := io.ReadAll(io.LimitReader(part, limit+1))
		if err != nil {
			return nil, uploadErr(err)
		}
		if int64(len(b)) > limit {
			return nil, errBadForm
		}
		fields.Add(part.FormName(), strings.TrimSpace(string(b)))
	}
}

// receiveBuffer is the size of the reads from the request's body and of the
// writes to the temporary file: the multipart reader hands the file out a
// few KiB at a time, which would otherwise be as many system calls.
const receiveBuffer = 256 << 10

// multipartReader is r.MultipartReader reading the body receiveBuffer at a time.
func multipartReader(r *http.Request) (*multipart.Reader, error) {
	d, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || d != "multipart/form-data" || params["boundary"] == "" {
		return nil, errBadForm
	}
	return multipart.NewReader(bufio.NewReaderSize(r.Body, receiveBuffer), params["boundary"]), nil
}

// nothingAfter refuses a part after the file: it would be read too late to
// count, so it is refused rather than dropped.
func nothingAfter(mr *multipart.Reader) error {
	part, err := mr.NextPart()
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return uploadErr(err)
	}
	return &paramError{Name: part.FormName(), Reason: "after_file", Form: true}
}

// needsFormCSRF reports whether the CSRF token must come from the form.
func (a *accounts) needsFormCSRF(c *gin.Context) bool {
	return c.GetString(keyVia) == viaSession && c.GetHeader(csrfHeader) == ""
}

func uploadErr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errTooLarge
	}
	return fmt.Errorf("%w: %v", errBadForm, err)
}

// saveFile copies the file part to a new temporary folder, hashing it.
func (a *accounts) saveFile(part *multipart.Part) (*received, error) {
	dir, err := os.MkdirTemp("", "postdash-upload-")
	if err != nil {
		return nil, fmt.Errorf("upload temp dir: %w", err)
	}
	rec := &received{dir: dir, Path: filepath.Join(dir, "upload"), Name: cleanFileName(part.FileName())}
	f, err := os.OpenFile(rec.Path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		rec.remove()
		return nil, fmt.Errorf("upload temp file: %w", err)
	}
	n, sum, err := copyHashing(f, io.LimitReader(part, a.maxBody+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		rec.remove()
		return nil, uploadErr(err)
	case n > a.maxBody:
		rec.remove()
		return nil, errTooLarge
	}
	rec.Size, rec.SHA256 = n, hex.EncodeToString(sum)
	return rec, nil
}

// copyHashing copies r to w receiveBuffer at a time and answers the
// SHA-256 of what it copied. The hashing and the writes run on a goroutine
// of their own while the next bytes are read (the multipart reader's
// search for the boundary): on two cores, receiving 31 MB took about
// 50–60 ms instead of 66–72 ms. Only io.EOF ends the copy well: any other
// error of the read (io.ErrUnexpectedEOF from a body cut before its
// closing boundary among them) or of a write is returned; after a failed
// write at most the read in progress goes on, to its next short read. A
// panic of the writer is the caller's again, as with io.Copy.
func copyHashing(w io.Writer, r io.Reader) (n int64, sum []byte, err error) {
	const inFlight = 3
	free, full := make(chan []byte, inFlight), make(chan []byte, inFlight)
	for range inFlight {
		free <- make([]byte, receiveBuffer)
	}
	h := sha256.New()
	var (
		failed atomic.Bool // the write failed: stop reading
		werr   error
		wpanic any
		done   = make(chan struct{})
	)
	go func() {
		defer close(done)
		defer func() {
			if p := recover(); p != nil {
				wpanic = p
				failed.Store(true)
				for b := range full { // let the reads end
					free <- b[:cap(b)]
				}
			}
		}()
		for b := range full {
			if werr == nil {
				h.Write(b)
				if _, werr = w.Write(b); werr != nil {
					failed.Store(true)
				}
			}
			free <- b[:cap(b)]
		}
	}()
	defer func() { // also when a read panics: the goroutine ends
		close(full)
		<-done
		if wpanic != nil {
			panic(wpanic)
		}
		if err == nil {
			err = werr
		}
		sum = h.Sum(nil)
	}()
	for !failed.Load() {
		b := <-free
		k, rerr := fillBuffer(r, b, &failed)
		if k > 0 {
			full <- b[:k]
			n += int64(k)
		}
		if rerr == io.EOF {
			return n, nil, nil
		}
		if rerr != nil {
			return n, nil, rerr
		}
	}
	return n, nil, nil
}

// fillBuffer reads r into b until b is full, r fails or ends (io.EOF, and
// only that, is the end), or stop is set.
func fillBuffer(r io.Reader, b []byte, stop *atomic.Bool) (int, error) {
	n := 0
	for n < len(b) && !stop.Load() {
		k, err := r.Read(b[n:])
		n += k
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// cleanFileName reduces a client's file name to a harmless label: the last
// path element (either slash), without control characters, at most 200
// bytes. It is never used as a path.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(strings.ToValidUTF8(name, ""))
	if len(name) > maxNameBytes {
		ext := filepath.Ext(name)
		if len(ext) > 16 {
			ext = ""
		}
		stem := name[:maxNameBytes-len(ext)]
		for !utf8.ValidString(stem) {
			stem = stem[:len(stem)-1]
		}
		name = stem + ext
	}
	if name == "" || name == "." || name == ".." {
		return "upload"
	}
	return name
}

// maxNameBytes caps a file name kept as a label.
const maxNameBytes = 200
