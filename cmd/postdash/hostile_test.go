package main

import (
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"postdash/internal/hostile"
)

// Bounds every hostile upload must stay within (issue 15).
const (
	hostileMaxRSS    = 512 << 20
	hostileMaxTime   = 30 * time.Second
	hostileMaxAnswer = 5 << 20
)

// hostileWant is what the server must answer to each shape: the import
// status and, for a refusal, words of the English sentence naming the limit.
var hostileWant = map[string]struct{ status, words string }{
	"sst-200M-empty":            {"refused", "different texts (shared strings)"},
	"csv-line-50M":              {"refused", "A line of “line.csv” is longer than 1024 KiB"},
	"merges-40M":                {"refused", "more than 1000000 merged ranges"},
	"bad-cells-15MB-string":     {"refused", "a cell longer than 128 KiB"},
	"header-search-30x16000":    {"refused", "where its header is looked for, hold more than 4 MiB of text"},
	"vertical-merges-200k":      {"refused", "cover more than 20000000 cells"},
	"bad-cells-120KB-string":    {"rejected", ""},
	"csv-300k-unknown-partners": {"refused", "more than 100000 different series and months"},
	"csv-unclosed-quote":        {"refused", "a quote may be left open"},
	"sheets-2000":               {"refused", "more than 1000 sheets"},
	"vertical-merge-pairs-200k": {"rejected", ""}, // each number merged over two rows: an error per range, the answer bounded
}

// TestHostileUploads sends every hostile shape through a real postdash
// server, one at a time, measuring the server's peak resident memory
// (VmHWM, reset before each upload) and the time to answer.
func TestHostileUploads(t *testing.T) {
	if testing.Short() {
		t.Skip("builds postdash and uploads a few hundred megabytes")
	}
	if _, err := os.Stat("/proc/self/clear_refs"); err != nil {
		t.Skip("needs Linux /proc to measure peak memory")
	}
	bin := buildPostdash(t)
	dir := t.TempDir()
	for _, sh := range hostile.Shapes() {
		t.Run(sh.Name, func(t *testing.T) {
			want, ok := hostileWant[sh.Name]
			if !ok {
				t.Fatalf("no expectation for shape %s", sh.Name)
			}
			base, pid, token := startHostileServer(t, bin, filepath.Join(dir, sh.Name+".db"))
			client := &http.Client{Timeout: 2 * hostileMaxTime}
			req := func(method, url string, body io.Reader, ct string) (*http.Response, error) {
				r, err := http.NewRequest(method, url, body)
				if err != nil {
					return nil, err
				}
				r.Header.Set("Authorization", "Bearer "+token)
				if ct != "" {
					r.Header.Set("Content-Type", ct)
				}
				return client.Do(r)
			}
			path := filepath.Join(dir, sh.File)
			if err := sh.WriteFile(path, 1); err != nil {
				t.Fatal(err)
			}
			defer os.Remove(path)
			st, _ := os.Stat(path)
			before := countBatches(t, client, base, token)
			if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0); err != nil {
				t.Fatalf("reset the server's peak memory: %v", err)
			}
			query := ""
			if want.status == "dry_run" {
				query = "?dry_run=1"
			}
			pr, pw := io.Pipe()
			mw := multipart.NewWriter(pw)
			go func() {
				fw, err := mw.CreateFormFile("file", sh.File)
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
			start := time.Now()
			resp, err := req(http.MethodPost, base+"/api/v1/imports"+query, pr, mw.FormDataContentType())
			if err != nil {
				t.Fatalf("upload: %v", err)
			}
			body, err := io.ReadAll(io.LimitReader(resp.Body, hostileMaxAnswer+1))
			resp.Body.Close()
			took := time.Since(start)
			if err != nil {
				t.Fatalf("read answer: %v", err)
			}
			peak := vmHWM(t, pid)
			var ans struct {
				Status  string `json:"status"`
				Message string `json:"message"`
			}
			_ = json.Unmarshal(body, &ans)
			t.Logf("%s: %.1f MB file: peak RSS %d MB, %.1f s, answer %d bytes, HTTP %d, %s: %s",
				sh.Name, float64(st.Size())/1e6, peak>>20, took.Seconds(), len(body), resp.StatusCode, ans.Status, ans.Message)
			if peak > hostileMaxRSS {
				t.Errorf("peak RSS %d MB, want < %d MB", peak>>20, hostileMaxRSS>>20)
			}
			if took > hostileMaxTime {
				t.Errorf("took %v, want < %v", took, hostileMaxTime)
			}
			if len(body) > hostileMaxAnswer {
				t.Errorf("answer longer than %d bytes", hostileMaxAnswer)
			}
			if want.status != "" && ans.Status != want.status {
				t.Errorf("status %q (HTTP %d), want %q: %.300s", ans.Status, resp.StatusCode, want.status, body)
			}
			if !strings.Contains(ans.Message, want.words) {
				t.Errorf("message %q, want one saying %q", ans.Message, want.words)
			}
			if err := healthy(client, base); err != nil {
				t.Fatalf("server not alive after the upload: %v", err)
			}
			if ans.Status != "committed" {
				if after := countBatches(t, client, base, token); after != before {
					t.Errorf("%d batches after a %s upload, %d before: something was written", after, ans.Status, before)
				}
			}
		})
	}
}

// startHostileServer starts postdash on a new database with an analyst's
// API token; it answers the server's address, process id and the token.
func startHostileServer(t *testing.T, bin, dsn string) (string, int, string) {
	t.Helper()
	return startHostileServerWith(t, bin, dsn)
}

// startHostileServerWith is startHostileServer with more environment.
func startHostileServerWith(t *testing.T, bin, dsn string, env ...string) (string, int, string) {
	t.Helper()
	runPostdash(t, bin, dsn, "migrate")
	runPostdash(t, bin, dsn, "user", "add", "--role", "analyst", "mallory")
	out := runPostdash(t, bin, dsn, "token", "create", "--label", "hostile", "mallory")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := strings.TrimSpace(lines[len(lines)-1])
	in := startInstance(t, bin, "hostile", dsn, append(env, "POSTDASH_ADMIN_PASSWORD=hostile-test-password")...)
	if err := in.waitHealthy(); err != nil {
		t.Fatal(err)
	}
	return in.base, in.cmd.Process.Pid, token
}

// healthy checks that the server still answers /healthz.
func healthy(client *http.Client, base string) error {
	resp, err := client.Get(base + "/healthz")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("/healthz answered %d", resp.StatusCode)
	}
	return nil
}

// countBatches counts the batches the API lists.
func countBatches(t *testing.T, client *http.Client, base, token string) int {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, base+"/api/v1/batches", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(r)
	if err != nil {
		t.Fatalf("batches: %v", err)
	}
	defer resp.Body.Close()
	var bs struct {
		Batches []json.RawMessage `json:"batches"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&bs); err != nil {
		t.Fatalf("batches: %v", err)
	}
	return len(bs.Batches)
}

// vmHWM is a process's peak resident memory in bytes.
func vmHWM(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("read the server's status: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("VmHWM %q: %v", v, err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in the server's status")
	return 0
}
