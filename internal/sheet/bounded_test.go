package sheet

import (
	"context"
	"errors"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// genBook is a book of one sheet whose rows are made as they are read, so a
// test can read a million rows without holding them: a header, then rows
// data(i) for i in [0, n).
type genBook struct {
	n       int
	header  []rawCell
	data    func(i int, cells []rawCell) []rawCell // appends row i's cells
	yielded atomic.Int64                           // data rows handed to the reader
}

func (g *genBook) Sheets() []sheetInfo                           { return []sheetInfo{{Name: "Parcels manifest"}} }
func (g *genBook) Date1904() bool                                { return false }
func (g *genBook) Merged(string) ([]mergeRange, error)           { return nil, nil }
func (g *genBook) Close() error                                  { return nil }
func (g *genBook) Rows(context.Context, string) (rowIter, error) { return &genRows{g: g, row: -1}, nil }

type genRows struct {
	g     *genBook
	row   int
	cells []rawCell
}

func (r *genRows) Next() bool {
	if r.row >= r.g.n {
		return false
	}
	r.row++
	if r.row == 0 {
		r.cells = append(r.cells[:0], r.g.header...)
		return true
	}
	if r.row > r.g.n {
		return false
	}
	r.cells = r.g.data(r.row-1, r.cells[:0])
	r.g.yielded.Add(1)
	return true
}

func (r *genRows) Row() int         { return r.row }
func (r *genRows) Cells() []rawCell { return r.cells } // reused by Next, as the real readers do
func (r *genRows) BytesRead() int64 { return int64(r.row) * 32 }
func (r *genRows) Err() error       { return nil }
func (r *genRows) Close() error     { return nil }

// manifest is an item-level manifest of n rows over three months: one row
// per parcel, 100 g each, all China; each row adds into its month's fact.
func manifest(n int) *genBook {
	months := []string{"2025-01", "2025-02", "2025-03"}
	return &genBook{
		n:      n,
		header: row("Date", "Partner", "Weight, g", "Qty"),
		data: func(i int, cells []rawCell) []rawCell {
			return append(cells,
				rawCell{Col: 0, Kind: kindString, Value: months[i%3]},
				rawCell{Col: 1, Kind: kindString, Value: "China"},
				rawCell{Col: 2, Kind: kindNumber, Value: "100"},
				rawCell{Col: 3, Kind: kindNumber, Value: strconv.Itoa(1)})
		},
	}
}

// heapPeak samples the bytes of heap objects (live, and dead ones not yet
// swept) every millisecond until stop is closed, and returns the highest.
func heapPeak(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-stop:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

// TestManyRowsAggregateInBoundedMemory reads a million-row manifest and
// measures the heap while it does: rows are added into their month's fact
// as they come, so the peak stays far below what keeping the rows would
// take (a million rows of four cells is over 150 MB).
func TestManyRowsAggregateInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a million rows")
	}
	const n = 1_000_000
	const bound = 24 << 20 // heap objects, bytes, live and not yet swept
	book := manifest(n)
	var calls int
	opts := testOpts()
	opts.Progress = func(Progress) { calls++ }
	runtime.GC()
	stop := make(chan struct{})
	peak := heapPeak(stop)
	res, err := readBook(context.Background(), book, "manifest.xlsx", 0, opts)
	close(stop)
	got := <-peak
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Facts) != 3 || res.Rows != n || calls == 0 {
		t.Fatalf("facts %d rows %d progress calls %d", len(res.Facts), res.Rows, calls)
	}
	for _, f := range res.Facts {
		if f.Items != n/3 && f.Items != n/3+1 {
			t.Errorf("%s: %d items, want %d or %d", f.Month, f.Items, n/3, n/3+1)
		}
	}
	if len(res.Sheets[0].Preview) != 10 {
		t.Errorf("preview has %d rows, want the 10 asked for", len(res.Sheets[0].Preview))
	}
	t.Logf("heap peak %.1f MiB over %d rows", float64(got)/(1<<20), n)
	if got > bound {
		t.Errorf("heap peaked at %.1f MiB reading %d rows, want under %d MiB", float64(got)/(1<<20), n, bound>>20)
	}
}

// TestCancelledContextStopsReading cancels the read from another goroutine
// once the first rows are in (at the first progress report) and checks the
// reader stops within a bounded number of rows after that, instead of
// reading the rest of the sheet.
func TestCancelledContextStopsReading(t *testing.T) {
	const n = 1_000_000
	const slack = 1024 // rows the reader may take after the cancel before it looks
	book := manifest(n)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var atCancel int64
	opts := testOpts()
	first := make(chan struct{})
	cancelled := make(chan struct{})
	go func() {
		<-first
		atCancel = book.yielded.Load()
		cancel()
		close(cancelled)
	}()
	opts.Progress = func(Progress) {
		select {
		case <-first:
		default:
			close(first)
			<-cancelled // the canceller has run: whatever is read from now on is after the cancel
		}
	}
	_, err := readBook(ctx, book, "manifest.xlsx", 0, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	read := book.yielded.Load()
	if atCancel == 0 {
		t.Fatal("cancelled before any row was read")
	}
	if read-atCancel > slack {
		t.Errorf("read %d rows after the cancel at row %d (of %d), want at most %d", read-atCancel, atCancel, n, slack)
	}
	t.Logf("cancelled at row %d, stopped at row %d", atCancel, read)
}
