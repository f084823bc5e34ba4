package web

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"postdash/internal/importer"
	"postdash/internal/sheet"
)

// TestPeakRSSOfTwoLargeUploads: two uploads of 100 MiB each, received and
// parsed at once, keep the process's peak resident memory (VmHWM) under
// 256 MB: uploads stream to disk while hashed, originals are stored and
// read in parts, and rows are parsed as they stream. It takes a minute, so
// it runs with POSTDASH_HEAVY=1 (alone: go test -run PeakRSS ./internal/web).
// It logs the Go runtime's own memory beside the peak: what is not the Go
// heap is SQLite's (page caches of up to 64 MiB per connection).
func TestPeakRSSOfTwoLargeUploads(t *testing.T) {
	if os.Getenv("POSTDASH_HEAVY") == "" {
		t.Skip("set POSTDASH_HEAVY=1 to measure the peak memory of two 100 MiB uploads")
	}
	// Forget the peak of whatever ran before (Linux: clear_refs 5).
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Skipf("cannot reset the peak RSS here: %v", err)
	}
	env := newAuthEnv(t, false, sheet.Limits{})
	const size = DefaultMaxUploadBytes - 1<<20 // the file; the form's fields and headers fill the rest
	users := []string{"ali", "anvar"}
	ids := make([]string, len(users))
	var wg sync.WaitGroup
	for i, name := range users {
		c := env.login(name)
		wg.Go(func() {
			pr, pw := io.Pipe()
			mw := multipart.NewWriter(pw)
			go func() {
				_ = mw.WriteField("csrf", c.csrf)
				part, err := mw.CreateFormFile("file", fmt.Sprintf("big-%s.csv", name))
				if err == nil {
					err = writeCSV(part, size, i)
				}
				if err == nil {
					err = mw.Close()
				}
				pw.CloseWithError(err)
			}()
			req := httptest.NewRequest(http.MethodPost, "/upload", pr)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			rec := c.send(req)
			m := jobLocation.FindStringSubmatch(rec.Header().Get("Location"))
			if rec.Code != http.StatusSeeOther || m == nil {
				t.Errorf("upload of %s: %d %s", name, rec.Code, rec.Body)
				return
			}
			ids[i] = m[1]
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	ctx := context.Background()
	deadline := time.Now().Add(10 * time.Minute)
	for _, id := range ids {
		for {
			job, err := env.st.Job(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if job.State != importer.JobParsing {
				if job.State != importer.JobReady {
					t.Fatalf("job %s ended %s, want ready", id, job.State)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("job %s still reading after 10 minutes", id)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("go runtime: sys %d MB, heap sys %d MB", ms.Sys>>20, ms.HeapSys>>20)
	peak := procStatus(t, "VmHWM")
	t.Logf("peak RSS of two 100 MiB uploads parsed at once: %d MB (resident now: %d MB)", peak>>20, procStatus(t, "VmRSS")>>20)
	if peak >= 256<<20 {
		t.Errorf("peak RSS %d MB, want under 256 MB", peak>>20)
	}
}

// writeCSV writes a canonical long CSV of about size bytes whose values are
// all distinct per seed; its months and series repeat, so facts stay few.
func writeCSV(w io.Writer, size int64, seed int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	n, err := bw.WriteString("period,direction,partner,category,items\n")
	written := int64(n)
	for i := 0; err == nil && written < size-64; i++ {
		n, err = fmt.Fprintf(bw, "20%02d-%02d,inbound,china_post,parcel,%d\n", 10+i%15, i%12+1, (i+seed)%97)
		written += int64(n)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// procStatus is a size in /proc/self/status (VmHWM: the process's peak
// resident set size; VmRSS: its resident set size now), in bytes.
func procStatus(t *testing.T, field string) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}
