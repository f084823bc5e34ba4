package xlsx

import (
	"errors"
	"io"
	"sync"
)

const (
	prefetchChunk  = 64 << 10
	prefetchChunks = 4
)

// prefetcher inflates a part on its own goroutine, a few chunks ahead of the
// scanner, so that decompression and scanning run on two cores at once. Its
// memory is fixed: prefetchChunks buffers of prefetchChunk bytes.
type prefetcher struct {
	full   chan []byte // chunks holding data, in order
	free   chan []byte // emptied chunks for the goroutine to refill
	done   chan struct{}
	exited chan struct{}
	stop   sync.Once
	cur    []byte // unread part of the chunk being consumed
	last   []byte // that chunk, to recycle
	err    error  // the goroutine's final error, valid once full is closed
}

func newPrefetcher(r io.Reader) *prefetcher {
	p := &prefetcher{
		full:   make(chan []byte, prefetchChunks),
		free:   make(chan []byte, prefetchChunks),
		done:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	for range prefetchChunks {
		p.free <- make([]byte, prefetchChunk)
	}
	go p.run(r)
	return p
}

func (p *prefetcher) run(r io.Reader) {
	defer close(p.exited)
	defer close(p.full)
	for {
		var buf []byte
		select {
		case buf = <-p.free:
		case <-p.done:
			return
		}
		n, err := io.ReadFull(r, buf[:cap(buf)])
		if n > 0 {
			select {
			case p.full <- buf[:n]:
			case <-p.done:
				return
			}
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				err = io.EOF
			}
			p.err = err
			return
		}
	}
}

// Read hands out the prefetched bytes in order.
func (p *prefetcher) Read(b []byte) (int, error) {
	for len(p.cur) == 0 {
		if p.last != nil {
			p.free <- p.last // never blocks: free has room for every chunk
			p.last = nil
		}
		chunk, ok := <-p.full
		if !ok {
			return 0, p.err
		}
		p.cur, p.last = chunk, chunk
	}
	n := copy(b, p.cur)
	p.cur = p.cur[n:]
	return n, nil
}

// Close stops the goroutine and waits for it, so that the underlying
// reader may be closed safely afterwards.
func (p *prefetcher) Close() {
	p.stop.Do(func() { close(p.done) })
	<-p.exited
}
