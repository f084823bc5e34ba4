package sheet

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// fakeIter yields rows[i] as row 2*i (gaps, as empty rows leave), then err;
// it panics at row panicAt when that is set.
type fakeIter struct {
	rows    [][]rawCell
	i       int
	err     error
	panicAt int
	closed  bool
}

func (f *fakeIter) Next() bool {
	if f.i+1 >= len(f.rows) {
		f.i = len(f.rows)
		return false
	}
	f.i++
	if f.panicAt > 0 && f.i == f.panicAt {
		panic("boom")
	}
	return true
}
func (f *fakeIter) Row() int         { return 2 * f.i }
func (f *fakeIter) Cells() []rawCell { return f.rows[f.i] }
func (f *fakeIter) BytesRead() int64 { return int64(f.i) }
func (f *fakeIter) Err() error {
	if f.i >= len(f.rows) {
		return f.err
	}
	return nil
}
func (f *fakeIter) Close() error { f.closed = true; return nil }

func fakeRows(n int) [][]rawCell {
	rows := make([][]rawCell, n)
	for i := range rows {
		width := i%5 + 1
		if i == 300 {
			width = aheadCells + 10 // one row wider than a batch
		}
		for c := range width {
			rows[i] = append(rows[i], rawCell{Col: c, Value: fmt.Sprintf("%d:%d", i, c)})
		}
	}
	return rows
}

func TestReadAheadKeepsRowsAndCells(t *testing.T) {
	for _, n := range []int{0, 1, aheadRows, aheadRows + 1, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			want := fakeRows(n)
			src := &fakeIter{rows: want, i: -1, err: errors.New("truncated")}
			it := readAhead(src)
			got := 0
			for it.Next() {
				if it.Row() != 2*got {
					t.Fatalf("row %d: index %d", got, it.Row())
				}
				cells := it.Cells()
				if len(cells) != len(want[got]) || cells[len(cells)-1] != want[got][len(cells)-1] {
					t.Fatalf("row %d: %d cells, want %d", got, len(cells), len(want[got]))
				}
				got++
			}
			if it.Next() {
				t.Fatal("Next after the end")
			}
			if got != n || it.Err() == nil || !strings.Contains(it.Err().Error(), "truncated") {
				t.Fatalf("%d rows, err %v; want %d, truncated", got, it.Err(), n)
			}
			if err := it.Close(); err != nil || !src.closed {
				t.Fatalf("close: %v, source closed %v", err, src.closed)
			}
		})
	}
}

func TestReadAheadCloseEarly(t *testing.T) {
	src := &fakeIter{rows: fakeRows(5000), i: -1}
	it := readAhead(src)
	for range 10 {
		it.Next()
	}
	if err := it.Close(); err != nil || !src.closed {
		t.Fatalf("close: %v, source closed %v", err, src.closed)
	}
}

func TestReadAheadPanicReachesTheCaller(t *testing.T) {
	src := &fakeIter{rows: fakeRows(1000), i: -1, panicAt: 700}
	it := readAhead(src)
	defer it.Close()
	defer func() {
		if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), "boom") {
			t.Fatalf("recovered %v, want the source's panic", p)
		}
	}()
	for it.Next() {
	}
	t.Fatal("no panic")
}
