package importer_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"postdash/internal/importer"
	"postdash/internal/sheet"
	"postdash/internal/store"
	"postdash/internal/xlsx/xlsxgen"
)

// BenchmarkImportManifest imports a generated item-level manifest (7
// columns: date cells, shared strings, decimals) end to end as `postdash
// import` does (Jobs.ImportNow): file, sheet parsing, importer, the original
// stored beside the read, batch committed in the store. For the same file in the
// same run it times two references: excelize's bare Rows() pass (once per
// size) and inflating the sheet XML with a byte scan for its cells (before
// every import).
//
//	go test -run '^$' -bench ImportManifest -benchtime 3x ./internal/importer/
//	POSTDASH_BENCH_ROWS=10000,100000,1000000 go test -run '^$' -bench ImportManifest -benchtime 3x -timeout 60m ./internal/importer/
//
// POSTDASH_BENCH_ROWS lists the sizes (10,000 and 100,000 by default; -short
// keeps 10,000 only). The PostgreSQL runs need POSTDASH_TEST_POSTGRES. Each
// size reports, besides ns/op (the mean):
//
//	wall-s              median wall time of one import
//	cpu-s               median CPU time of one import (all goroutines)
//	rows/s              rows over wall-s
//	peak-heap-MiB       Go heap objects above the starting point, sampled every 5 ms
//	peak-rss-MiB        resident memory of the process, sampled likewise
//	                    (SQLite's page cache lives outside the Go heap)
//	excelize-s          excelize OpenFile + Rows() + Columns(RawCellValue), once
//	inflate-scan-s      inflate sheet1.xml and count <row and <c, median
//	x-excelize          wall-s / excelize-s (target: ≤ 1)
//	x-inflate-scan      median of each import's wall time over the inflate+scan
//	                    just before it (target: ≤ 3)
//	x-inflate-scan-cpu  the same in CPU time: the work ratio, which a busy
//	                    machine distorts less
func BenchmarkImportManifest(b *testing.B) {
	sizes := benchSizes(b)
	refs := map[int]reference{} // per size, shared by the backends
	backends := []struct {
		name string
		dsn  func(b *testing.B) string
	}{
		{"sqlite", func(b *testing.B) string { return filepath.Join(b.TempDir(), "bench.db") }},
		{"postgres", func(b *testing.B) string { return scratchPostgres(b) }},
	}
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			if be.name == "postgres" && os.Getenv(postgresEnv) == "" {
				b.Skip(postgresEnv + " not set: skipping PostgreSQL")
			}
			for _, n := range sizes {
				b.Run("rows="+sizeName(n), func(b *testing.B) {
					path := manifestFile(b, n)
					ref, ok := refs[n]
					if !ok {
						ref = measureReference(b, path, n)
						refs[n] = ref
					}
					benchImport(b, path, n, be.dsn, ref)
				})
			}
		})
	}
}

// benchImport imports path into a fresh store per iteration; opening the
// store is not timed. Before each import (untimed) it inflates and scans the
// sheet once more, so that on a shared machine the ratio compares two runs
// made under the same load.
func benchImport(b *testing.B, path string, n int, dsn func(*testing.B) string, ref reference) {
	ctx := context.Background()
	var walls, cpus, scans, scanCPUs []time.Duration
	var ratios, cpuRatios []float64
	p := startPeak()
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(ctx, dsn(b))
		if err != nil {
			b.Fatal(err)
		}
		jobs := importer.NewJobs(importer.New(st, sheet.Limits{}, nil), st, nil)
		scan, scanCPU := timeInflateAndScan(b, path, n)
		b.StartTimer()
		t0, c0 := time.Now(), cpuTime()
		out, err := jobs.ImportNow(ctx, importer.Upload{Path: path, Name: filepath.Base(path), User: "bench"}, false)
		wall, cpu := time.Since(t0), cpuTime()-c0
		b.StopTimer()
		walls, cpus, scans, scanCPUs = append(walls, wall), append(cpus, cpu), append(scans, scan), append(scanCPUs, scanCPU)
		ratios = append(ratios, wall.Seconds()/scan.Seconds())
		cpuRatios = append(cpuRatios, cpu.Seconds()/scanCPU.Seconds())
		if err != nil {
			b.Fatal(err)
		}
		if out.Status != importer.StatusCommitted || out.Rows != int64(n) {
			b.Fatalf("status %s, %d rows (want %d), errors %+v %s", out.Status, out.Rows, n, out.Errors, out.Message)
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	p.stopAndReport(b)
	wall := median(walls).Seconds()
	b.ReportMetric(wall, "wall-s")
	b.ReportMetric(median(cpus).Seconds(), "cpu-s")
	b.ReportMetric(float64(n)/wall, "rows/s")
	b.ReportMetric(ref.excelize.Seconds(), "excelize-s")
	b.ReportMetric(median(scans).Seconds(), "inflate-scan-s")
	b.ReportMetric(wall/ref.excelize.Seconds(), "x-excelize")
	b.ReportMetric(medianFloat(ratios), "x-inflate-scan")
	b.ReportMetric(medianFloat(cpuRatios), "x-inflate-scan-cpu")
	b.ReportMetric(ref.fileMB, "file-MB")
}

// timeInflateAndScan inflates and scans path once: wall and CPU time.
func timeInflateAndScan(b *testing.B, path string, n int) (wall, cpu time.Duration) {
	t0, c0 := time.Now(), cpuTime()
	cells, rows, err := xlsxgen.InflateAndScan(path)
	if err != nil || rows != n+1 || cells == 0 {
		b.Fatalf("inflate+scan: %d rows, %d cells, %v; want %d rows", rows, cells, err, n+1)
	}
	return time.Since(t0), cpuTime() - c0
}

// benchSizes reads POSTDASH_BENCH_ROWS, a comma-separated list of row counts.
func benchSizes(b *testing.B) []int {
	s := os.Getenv("POSTDASH_BENCH_ROWS")
	if s == "" {
		if testing.Short() {
			return []int{10_000}
		}
		return []int{10_000, 100_000}
	}
	var sizes []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			b.Fatalf("POSTDASH_BENCH_ROWS=%q: want positive integers separated by commas", s)
		}
		sizes = append(sizes, n)
	}
	return sizes
}

func sizeName(n int) string {
	switch {
	case n%1_000_000 == 0:
		return strconv.Itoa(n/1_000_000) + "M"
	case n%1_000 == 0:
		return strconv.Itoa(n/1_000) + "k"
	}
	return strconv.Itoa(n)
}

// benchGenVersion names the generator's output in the cached file name; bump
// it when xlsxgen's output changes.
const benchGenVersion = 1

// manifestFile returns a generated manifest of n rows, written once and kept
// in the temporary directory across runs (the name internal/xlsx's
// benchmarks use, so they share it).
func manifestFile(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("postdash-bench-v%d-%d-inlinefalse.xlsx", benchGenVersion, n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".tmp" + strconv.Itoa(os.Getpid())
	if err := (xlsxgen.Manifest{Rows: n, Seed: 42}).WriteFile(tmp); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// reference is excelize's pass over the file the import reads, timed once
// per size (34 s for a million rows).
type reference struct {
	excelize time.Duration
	fileMB   float64
}

func measureReference(b *testing.B, path string, n int) reference {
	b.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	ref := reference{fileMB: float64(fi.Size()) / 1e6}
	runtime.GC()
	t0 := time.Now()
	if rows := excelizeRows(b, path); rows != n+1 {
		b.Fatalf("excelize: %d rows, want %d", rows, n+1)
	}
	ref.excelize = time.Since(t0)
	return ref
}

// excelizeRows is excelize's streaming reader with raw values.
func excelizeRows(b *testing.B, path string) int {
	f, err := excelize.OpenFile(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows(f.GetSheetName(0))
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	count := 0
	for rows.Next() {
		if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
			b.Fatal(err)
		}
		count++
	}
	if err := rows.Error(); err != nil {
		b.Fatal(err)
	}
	return count
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func medianFloat(fs []float64) float64 {
	s := slices.Clone(fs)
	slices.Sort(s)
	return s[len(s)/2]
}

// peak samples the Go heap and the process's resident memory while a
// benchmark runs. runtime/metrics does not stop the world as
// runtime.ReadMemStats would.
type peak struct {
	heapBase uint64
	heap     atomic.Uint64
	rss      atomic.Uint64
	stop     chan struct{}
	done     sync.WaitGroup
}

const heapMetric = "/memory/classes/heap/objects:bytes"

func startPeak() *peak {
	debug.FreeOSMemory() // a GC, and the references' memory back to the OS
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	p := &peak{heapBase: s[0].Value.Uint64(), stop: make(chan struct{})}
	p.done.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > p.heap.Load() {
				p.heap.Store(v)
			}
			if v := rss(); v > p.rss.Load() {
				p.rss.Store(v)
			}
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
		}
	})
	return p
}

func (p *peak) stopAndReport(b *testing.B) {
	close(p.stop)
	p.done.Wait()
	grow := float64(0)
	if h := p.heap.Load(); h > p.heapBase {
		grow = float64(h-p.heapBase) / (1 << 20)
	}
	b.ReportMetric(grow, "peak-heap-MiB")
	b.ReportMetric(float64(p.rss.Load())/(1<<20), "peak-rss-MiB")
}

// rss is the process's resident set size, from /proc/self/statm (0 where
// there is none).
func rss() uint64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// postgresEnv names the DSN of a PostgreSQL server the tests and benchmarks
// may use.
const postgresEnv = "POSTDASH_TEST_POSTGRES"

// scratchPostgres creates a schema of its own on the server named by
// postgresEnv and returns a DSN whose search_path is that schema; the schema
// is dropped at the end. Without postgresEnv the test is skipped.
func scratchPostgres(b testing.TB) string {
	b.Helper()
	dsn := os.Getenv(postgresEnv)
	if dsn == "" {
		b.Skip(postgresEnv + " not set: skipping PostgreSQL")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatalf("connect to %s: %v", postgresEnv, err)
	}
	defer conn.Close(ctx)
	var suffix [6]byte
	rand.Read(suffix[:])
	schema := "postdash_bench_" + hex.EncodeToString(suffix[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		b.Fatalf("create schema: %v", err)
	}
	b.Cleanup(func() {
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			b.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			b.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		b.Fatalf("parse %s: %v", postgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
