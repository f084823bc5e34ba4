package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"postdash/internal/xlsx/xlsxgen"
)

// loadQueries are what the readers ask, the heaviest shapes included.
var loadQueries = []string{
	"/?lang=en", "/?lang=ru&from=2023-01&to=2026-12", "/?partner=china_post&lang=uz-Cyrl",
	"/api/v1/totals?by=period", "/api/v1/totals?by=marketplace,period",
	"/api/v1/totals?by=partner,category,direction,marketplace,period",
	"/api/v1/batches", "/export.csv?from=2023-01&to=2026-12", "/export.xlsx",
}

// TestLoad is the load test of issue 15, not run by CI: 30 anonymous
// readers of a public dashboard for POSTDASH_LOAD seconds (e.g. 60) while
// 2 analysts upload 100,000-row manifests one after another. It fails on
// any transport error or 5xx answer, and when the server's peak resident
// memory passes 1 GB.
//
//	POSTDASH_LOAD=60 go test -count=1 -run TestLoad -v -timeout 30m ./cmd/postdash/
func TestLoad(t *testing.T) {
	secs, _ := strconv.Atoi(os.Getenv("POSTDASH_LOAD"))
	if secs <= 0 {
		t.Skip("set POSTDASH_LOAD=seconds to run the load test")
	}
	const readers, analysts, rows = 30, 2, 100_000
	bin := buildPostdash(t)
	dir := t.TempDir()
	dsn := filepath.Join(dir, "load.db")
	base, pid, token := startHostileServerWith(t, bin, dsn, "POSTDASH_PUBLIC=1")
	client := &http.Client{Timeout: 2 * time.Minute}
	var (
		wg                             sync.WaitGroup
		reads, readErrs, refused       atomic.Int64
		uploads, committed, uploadErrs atomic.Int64
		slowest                        atomic.Int64 // ms
		stop                           = make(chan struct{})
		errMu                          sync.Mutex
		firstErrs                      []string
	)
	record := func(what string) {
		errMu.Lock()
		if len(firstErrs) < 10 {
			firstErrs = append(firstErrs, what)
		}
		errMu.Unlock()
	}
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(r), 7))
			for {
				select {
				case <-stop:
					return
				default:
				}
				q := loadQueries[rng.IntN(len(loadQueries))]
				start := time.Now()
				resp, err := client.Get(base + q)
				if err != nil {
					readErrs.Add(1)
					record(q + ": " + err.Error())
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if ms := time.Since(start).Milliseconds(); ms > slowest.Load() {
					slowest.Store(ms)
				}
				reads.Add(1)
				switch {
				case resp.StatusCode == http.StatusRequestEntityTooLarge:
					refused.Add(1) // a bounded answer: a sentence, not an error
				case resp.StatusCode >= 400:
					readErrs.Add(1)
					record(fmt.Sprintf("%s: HTTP %d", q, resp.StatusCode))
				}
			}
		}()
	}
	for a := range analysts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := a; ; i += analysts {
				select {
				case <-stop:
					return
				default:
				}
				// A new manifest each time, so that each upload is committed.
				path := filepath.Join(dir, fmt.Sprintf("manifest-%d.xlsx", i))
				if err := (xlsxgen.Manifest{Rows: rows, Seed: uint64(i + 1)}).WriteFile(path); err != nil {
					uploadErrs.Add(1)
					record(err.Error())
					return
				}
				code, err := uploadFile(client, base, token, path)
				os.Remove(path)
				uploads.Add(1)
				if code == http.StatusOK {
					committed.Add(1)
				}
				if err != nil || code != http.StatusOK {
					uploadErrs.Add(1)
					record(fmt.Sprintf("upload %d: %d %v", i, code, err))
				}
			}
		}()
	}
	time.Sleep(time.Duration(secs) * time.Second)
	close(stop)
	wg.Wait()
	peak := vmHWM(t, pid)
	t.Logf("%d s, %d readers, %d analysts (2 cores): %d reads (%d refused as too large, %d errors, slowest %d ms), %d uploads of %d rows (%d committed, %d errors); server peak RSS %d MB",
		secs, readers, analysts, reads.Load(), refused.Load(), readErrs.Load(), slowest.Load(), uploads.Load(), rows, committed.Load(), uploadErrs.Load(), peak>>20)
	for _, e := range firstErrs {
		t.Log(e)
	}
	if readErrs.Load()+uploadErrs.Load() > 0 {
		t.Errorf("%d read and %d upload errors, want none", readErrs.Load(), uploadErrs.Load())
	}
	if peak > 1<<30 {
		t.Errorf("server peak RSS %d MB, want < 1024 MB", peak>>20)
	}
}

// uploadFile sends a file to the import API and answers the HTTP status.
func uploadFile(client *http.Client, base, token, path string) (int, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		fw, err := mw.CreateFormFile("file", filepath.Base(path))
		if err == nil {
			var f *os.File
			if f, err = os.Open(path); err == nil {
				_, err = io.Copy(fw, f)
				f.Close()
			}
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/imports", pr)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}
