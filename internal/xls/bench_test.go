package xls

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"postdash/internal/ods"
	"postdash/internal/xlsx/xlsxgen"
)

// BenchmarkLegacy reads item-level manifests saved by LibreOffice as .xls
// and .ods, against excelize reading the .xlsx they were made from, and
// reports LibreOffice's own conversion time. It needs soffice, so it runs
// only with POSTDASH_BENCH_LEGACY set to the row counts (e.g.
// "100000,524288"); the files are kept in $TMPDIR/postdash-legacy-bench.
// An .xls sheet holds 65,536 rows, so the rows are spread over sheets of
// 65,536. Run:
//
//	POSTDASH_BENCH_LEGACY=100000,524288 go test -run '^$' -bench Legacy -benchtime 3x -timeout 60m ./internal/xls/
func BenchmarkLegacy(b *testing.B) {
	spec := os.Getenv("POSTDASH_BENCH_LEGACY")
	if spec == "" {
		b.Skip("POSTDASH_BENCH_LEGACY is not set (row counts; needs LibreOffice)")
	}
	for _, f := range strings.Split(spec, ",") {
		rows, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			b.Fatal(err)
		}
		files := legacyFiles(b, rows)
		for _, ext := range []string{"xlsx", "xls", "ods"} {
			f := files[ext]
			st, err := os.Stat(f.path)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("rows=%d/%s", rows, ext), func(b *testing.B) {
				var peak uint64
				for b.Loop() {
					stop := sampleHeap(&peak)
					n := readLegacy(b, ext, f.path)
					stop()
					if n < rows*6 {
						b.Fatalf("%s: %d cells for %d rows", ext, n, rows)
					}
				}
				b.ReportMetric(float64(st.Size())/(1<<20), "file-MiB")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
				if f.secs > 0 {
					b.ReportMetric(f.secs, "libreoffice-convert-s")
				}
			})
		}
	}
}

// legacyFile is a file and, for a conversion, how long LibreOffice took.
type legacyFile struct {
	path string
	secs float64
}

// legacyFiles writes the manifest .xlsx with excelize (sheets of 65,536
// rows, the values of xlsxgen.Manifest) and converts it with LibreOffice,
// timing the conversions; files already made are reused, with their timing.
func legacyFiles(b *testing.B, rows int) map[string]legacyFile {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "postdash-legacy-bench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	base := filepath.Join(dir, fmt.Sprintf("manifest-%d", rows))
	if _, err := os.Stat(base + ".xlsx"); err != nil {
		if err := writeManifest(base+".xlsx", rows); err != nil {
			b.Fatal(err)
		}
	}
	out := map[string]legacyFile{"xlsx": {path: base + ".xlsx"}}
	for _, ext := range []string{"xls", "ods"} {
		timing := base + "." + ext + ".seconds"
		if t, err := os.ReadFile(timing); err == nil {
			secs, _ := strconv.ParseFloat(strings.TrimSpace(string(t)), 64)
			out[ext] = legacyFile{path: base + "." + ext, secs: secs}
			continue
		}
		start := time.Now()
		cmd := exec.Command("soffice", "-env:UserInstallation=file://"+filepath.Join(dir, "lo-profile"), "--headless",
			"--convert-to", ext, "--outdir", dir, base+".xlsx")
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("soffice: %v: %s", err, msg)
		}
		secs := time.Since(start).Seconds()
		if err := os.WriteFile(timing, []byte(strconv.FormatFloat(secs, 'f', 2, 64)), 0o644); err != nil {
			b.Fatal(err)
		}
		out[ext] = legacyFile{path: base + "." + ext, secs: secs}
	}
	return out
}

// sheetRows is the most rows an .xls sheet holds.
const sheetRows = 65536

// writeManifest writes rows manifest rows (plus a header per sheet) over
// sheets of at most 65,536 rows, with excelize's stream writer.
func writeManifest(path string, rows int) error {
	m := xlsxgen.Manifest{Rows: rows, Seed: 7}
	f := excelize.NewFile()
	defer f.Close()
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return err
	}
	for sheet, first := 0, 0; first < rows; sheet++ {
		name := fmt.Sprintf("Manifest%d", sheet+1)
		if sheet == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		header := []any{}
		for _, h := range xlsxgen.ManifestHeader() {
			header = append(header, h)
		}
		if err := sw.SetRow("A1", header); err != nil {
			return err
		}
		n := min(rows-first, sheetRows-1)
		for i := 0; i < n; i++ {
			r := m.Record(first + i)
			w, _ := strconv.ParseFloat(r.WeightKg(), 64)
			row := []any{excelize.Cell{StyleID: date, Value: xlsxgen.Serial(r.Date, false)}, r.Direction, r.Partner, r.Category, r.Marketplace, r.Items, w}
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(cell, row); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
		first += n
	}
	return f.SaveAs(path)
}

// readLegacy reads every cell of every sheet and returns how many there were.
func readLegacy(b *testing.B, ext, path string) int {
	n := 0
	switch ext {
	case "xlsx":
		f, err := excelize.OpenFile(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		for _, s := range f.GetSheetList() {
			rows, err := f.Rows(s)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				cols, err := rows.Columns(excelize.Options{RawCellValue: true})
				if err != nil {
					b.Fatal(err)
				}
				for _, c := range cols {
					if c != "" {
						n++
					}
				}
			}
			rows.Close()
		}
	case "xls":
		wb, err := Open(path, Limits{})
		if err != nil {
			b.Fatal(err)
		}
		defer wb.Close()
		for _, s := range wb.Sheets() {
			rows, err := wb.Rows(context.Background(), s.Name)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				n += len(rows.Cells())
			}
			if err := rows.Err(); err != nil {
				b.Fatal(err)
			}
		}
	case "ods":
		wb, err := ods.Open(path, ods.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		defer wb.Close()
		for _, s := range wb.Sheets() {
			rows, err := wb.Rows(context.Background(), s.Name)
			if err != nil {
				b.Fatal(err)
			}
			for rows.Next() {
				n += len(rows.Cells())
			}
			if err := rows.Err(); err != nil {
				b.Fatal(err)
			}
			rows.Close()
		}
	}
	return n
}

// sampleHeap records the peak of live heap objects every 5 ms until stop.
func sampleHeap(peak *uint64) (stop func()) {
	runtime.GC()
	var done atomic.Bool
	finished := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(finished)
		for !done.Load() {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > *peak {
				*peak = v
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	return func() { done.Store(true); <-finished }
}
