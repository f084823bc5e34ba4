package sheet

import (
	"fmt"
	"runtime/debug"
	"sync"
)

// Read-ahead bounds: a batch holds up to aheadRows rows or, past one row,
// aheadCells cells; aheadBatches batches are in flight. Memory stays fixed
// whatever the sheet's length (four batches of at most 16,384 cells).
const (
	aheadRows    = 256
	aheadCells   = 16384
	aheadBatches = 4
)

// aheadIter reads a rowIter on a goroutine of its own, a few batches of rows
// ahead of its caller, so that scanning a sheet's XML and reading its cells
// (periods, words, numbers) run on two cores at once.
type aheadIter struct {
	src    rowIter
	full   chan *rowBatch // batches holding rows, in order
	free   chan *rowBatch // batches read, for the goroutine to refill
	done   chan struct{}
	exited chan struct{}
	stop   sync.Once

	cur   *rowBatch
	i     int  // current row within cur
	ended bool // the last batch was read
	err   error
	bytes int64

	hidden     []int // the sheet's hidden columns (caller's side)
	hiddenSent bool  // the goroutine has sent them
}

// rowBatch is a run of consecutive rows, the cells of all of them in one slice.
type rowBatch struct {
	rows   []int     // row index of each row
	hid    []bool    // whether each row is hidden (nil: src does not say)
	ends   []int     // end of each row's cells in cells
	cells  []rawCell // the rows' cells, one after the other
	bytes  int64     // src.BytesRead() after the batch's last row
	last   bool      // src is exhausted; err is its Err()
	err    error
	panic  any   // a panic of src, to raise again on the caller's goroutine
	hidden []int // the sheet's hidden columns, on the first batch
}

// readAhead starts reading src ahead; Close stops the goroutine and closes src.
func readAhead(src rowIter) *aheadIter {
	a := &aheadIter{
		src:    src,
		full:   make(chan *rowBatch, aheadBatches),
		free:   make(chan *rowBatch, aheadBatches),
		done:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	for range aheadBatches {
		a.free <- &rowBatch{}
	}
	go a.run()
	return a
}

func (a *aheadIter) run() {
	defer close(a.exited)
	for {
		var b *rowBatch
		select {
		case b = <-a.free:
		case <-a.done:
			return
		}
		a.fill(b)
		select {
		case a.full <- b:
		case <-a.done:
			return
		}
		if b.last {
			return
		}
	}
}

// fill reads the next rows of src into b; a panic of src ends the stream
// and is handed over to the caller.
func (a *aheadIter) fill(b *rowBatch) {
	b.rows, b.ends, b.cells, b.hid = b.rows[:0], b.ends[:0], b.cells[:0], b.hid[:0]
	hr, says := a.src.(hiddenRowRows)
	defer func() {
		if p := recover(); p != nil {
			b.last, b.panic = true, fmt.Sprintf("%v (reading ahead)\n%s", p, debug.Stack())
		}
	}()
	for len(b.rows) < aheadRows && (len(b.rows) == 0 || len(b.cells) < aheadCells) {
		if !a.src.Next() {
			b.last, b.err = true, a.src.Err()
			break
		}
		b.rows = append(b.rows, a.src.Row())
		if says {
			b.hid = append(b.hid, hr.rowHidden())
		}
		b.cells = append(b.cells, a.src.Cells()...)
		b.ends = append(b.ends, len(b.cells))
	}
	b.bytes = a.src.BytesRead()
	b.hidden = nil
	if h, ok := a.src.(hiddenColumnRows); ok && !a.hiddenSent {
		b.hidden, a.hiddenSent = append([]int(nil), h.hiddenColumns()...), true
	}
}

func (a *aheadIter) Next() bool {
	for !a.ended {
		if a.cur != nil {
			if a.i+1 < len(a.cur.rows) {
				a.i++
				return true
			}
			last := a.cur.last
			a.free <- a.cur // never blocks: free has room for every batch
			a.cur, a.ended = nil, last
			continue
		}
		b := <-a.full
		if b.panic != nil {
			a.ended = true
			panic(b.panic)
		}
		a.cur, a.i, a.err, a.bytes = b, -1, b.err, b.bytes
		if b.hidden != nil {
			a.hidden = b.hidden
		}
	}
	return false
}

func (a *aheadIter) Row() int { return a.cur.rows[a.i] }

// rowHidden reports whether the current row is hidden.
func (a *aheadIter) rowHidden() bool { return a.i < len(a.cur.hid) && a.cur.hid[a.i] }

func (a *aheadIter) Cells() []rawCell {
	start := 0
	if a.i > 0 {
		start = a.cur.ends[a.i-1]
	}
	return a.cur.cells[start:a.cur.ends[a.i]]
}

func (a *aheadIter) BytesRead() int64 { return a.bytes }
func (a *aheadIter) Err() error       { return a.err }

// Close stops the goroutine and then closes src, which it no longer reads.
func (a *aheadIter) Close() error {
	a.stop.Do(func() { close(a.done) })
	<-a.exited
	return a.src.Close()
}

// hiddenColumns are the columns the sheet hides, as far as read.
func (a *aheadIter) hiddenColumns() []int { return a.hidden }
