package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"postdash/internal/xlsx/xlsxgen"
)

// Benchmarks read one generated manifest (shared strings, as Excel writes
// them) of POSTDASH_BENCH_ROWS rows, 100,000 by default:
//
//	go test -run XXX -bench . -benchtime 5x ./internal/xlsx/
//	POSTDASH_BENCH_ROWS=1000000 go test -run XXX -bench . -benchtime 3x ./internal/xlsx/
//
// Each reports rows/s and the peak heap in use above the starting point,
// sampled every few milliseconds while it runs.

const benchGenVersion = 1 // bump when xlsxgen's output changes

func benchRows(b *testing.B) int {
	if s := os.Getenv("POSTDASH_BENCH_ROWS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("POSTDASH_BENCH_ROWS=%q: want a positive integer", s)
		}
		return n
	}
	return 100_000
}

// benchFile returns a generated manifest, written once per size and kept in
// the temporary directory across runs.
func benchFile(b *testing.B, inline bool) (string, int) {
	b.Helper()
	n := benchRows(b)
	path := filepath.Join(os.TempDir(), fmt.Sprintf("postdash-bench-v%d-%d-inline%v.xlsx", benchGenVersion, n, inline))
	if _, err := os.Stat(path); err == nil {
		return path, n
	}
	tmp := path + ".tmp" + strconv.Itoa(os.Getpid())
	if err := (xlsxgen.Manifest{Rows: n, Seed: 42, Inline: inline}).WriteFile(tmp); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path, n
}

// peakHeap samples the bytes held by heap objects while a benchmark runs.
// It reads runtime/metrics, which does not stop the world as
// runtime.ReadMemStats would.
type peakHeap struct {
	cpu0       time.Duration
	base, peak atomic.Uint64
	stop       chan struct{}
	done       chan struct{}
}

const heapMetric = "/memory/classes/heap/objects:bytes"

func heapBytes(s []metrics.Sample) uint64 {
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startPeak() *peakHeap {
	runtime.GC()
	s := []metrics.Sample{{Name: heapMetric}}
	p := &peakHeap{stop: make(chan struct{}), done: make(chan struct{})}
	p.base.Store(heapBytes(s))
	p.cpu0 = cpuTime()
	go func() {
		defer close(p.done)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				if v := heapBytes(s); v > p.peak.Load() {
					p.peak.Store(v)
				}
			}
		}
	}()
	return p
}

// cpuTime is the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// report stops sampling and reports rows/s and the peak heap growth in MiB.
func (p *peakHeap) report(b *testing.B, rows int) {
	cpu := cpuTime() - p.cpu0
	close(p.stop)
	<-p.done
	// Process CPU time (all threads, GC included) per op: steadier than
	// wall time on a shared machine.
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	grow := float64(0)
	if pk, base := p.peak.Load(), p.base.Load(); pk > base {
		grow = float64(pk-base) / (1 << 20)
	}
	b.ReportMetric(grow, "peak-heap-MiB")
}

// sheetSize is the inflated size of the manifest's sheet XML, for MB/s.
func sheetSize(b *testing.B, path string) int64 {
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			return int64(f.UncompressedSize64)
		}
	}
	b.Fatal("no sheet1.xml")
	return 0
}

// BenchmarkRows is our reader: open, load shared strings, scan every cell.
func BenchmarkRows(b *testing.B) {
	for _, inline := range []bool{false, true} {
		b.Run(fmt.Sprintf("inline=%v", inline), func(b *testing.B) {
			path, n := benchFile(b, inline)
			b.SetBytes(sheetSize(b, path))
			b.ReportAllocs()
			p := startPeak()
			b.ResetTimer()
			for range b.N {
				if got := scanOurs(b, path); got != n+1 {
					b.Fatalf("%d rows, want %d", got, n+1)
				}
			}
			b.StopTimer()
			p.report(b, n)
		})
	}
}

func scanOurs(b *testing.B, path string) int {
	wb, err := Open(path, Limits{})
	if err != nil {
		b.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.Rows(context.Background(), wb.Sheets()[0].Name)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	count := 0
	for rows.Next() {
		count++
		_ = rows.Cells()
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return count
}

// BenchmarkExcelizeRows is excelize's streaming reader with raw values.
func BenchmarkExcelizeRows(b *testing.B) {
	path, n := benchFile(b, false)
	b.SetBytes(sheetSize(b, path))
	b.ReportAllocs()
	p := startPeak()
	b.ResetTimer()
	for range b.N {
		f, err := excelize.OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows("Manifest")
		if err != nil {
			b.Fatal(err)
		}
		count := 0
		for rows.Next() {
			if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
				b.Fatal(err)
			}
			count++
		}
		rows.Close()
		f.Close()
		if count != n+1 {
			b.Fatalf("%d rows, want %d", count, n+1)
		}
	}
	b.StopTimer()
	p.report(b, n)
}

// BenchmarkInflateFloor is the floor for any reader: inflate the sheet XML
// and find each cell by a byte search, decoding nothing.
func BenchmarkInflateFloor(b *testing.B) {
	path, n := benchFile(b, false)
	b.SetBytes(sheetSize(b, path))
	b.ReportAllocs()
	p := startPeak()
	b.ResetTimer()
	for range b.N {
		cells, rows, err := xlsxgen.InflateAndScan(path)
		if err != nil || rows != n+1 || cells == 0 {
			b.Fatalf("%d rows %d cells %v", rows, cells, err)
		}
	}
	b.StopTimer()
	p.report(b, n)
}

// BenchmarkRowsWide reads a wide sheet: 2,000 months × 300 measure columns.
func BenchmarkRowsWide(b *testing.B) {
	path := filepath.Join(b.TempDir(), "wide.xlsx")
	if err := (xlsxgen.Wide{Rows: 2000, Cols: 300, Seed: 1}).WriteFile(path); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(sheetSize(b, path))
	b.ReportAllocs()
	p := startPeak()
	b.ResetTimer()
	for range b.N {
		if got := scanOurs(b, path); got != 2001 {
			b.Fatalf("%d rows", got)
		}
	}
	b.StopTimer()
	p.report(b, 2000)
}

// BenchmarkRowsParse is Rows without inflating: the manifest's sheet XML,
// inflated once beforehand, read from memory (through the prefetcher, as
// Rows reads a part). general=true turns the fast path off.
func BenchmarkRowsParse(b *testing.B) {
	path, n := benchFile(b, false)
	wb, err := Open(path, Limits{})
	if err != nil {
		b.Fatal(err)
	}
	defer wb.Close()
	ctx := context.Background()
	if err := wb.loadSST(ctx); err != nil {
		b.Fatal(err)
	}
	wb.loadStyles(ctx)
	e, err := wb.sheetByName(wb.Sheets()[0].Name)
	if err != nil {
		b.Fatal(err)
	}
	rc, err := wb.openPart(e.part)
	if err != nil {
		b.Fatal(err)
	}
	sheetXML, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		b.Fatal(err)
	}
	for _, general := range []bool{false, true} {
		b.Run(fmt.Sprintf("general=%v", general), func(b *testing.B) {
			b.SetBytes(int64(len(sheetXML)))
			b.ReportAllocs()
			p := startPeak()
			b.ResetTimer()
			for range b.N {
				rows := newRows(ctx, "S", bytes.NewReader(sheetXML), wb.sst, wb.styles, wb.lim)
				rows.general = general
				count := 0
				for rows.Next() {
					count++
				}
				if err := rows.Err(); err != nil || count != n+1 {
					b.Fatalf("%d rows, want %d: %v", count, n+1, err)
				}
				rows.Close()
			}
			b.StopTimer()
			p.report(b, n)
		})
	}
}
