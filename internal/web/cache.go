package web

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"sync"

	"golang.org/x/sync/singleflight"

	"postdash/internal/calendar"
	"postdash/internal/stats"
)

// viewCacheBytes bounds the memory the views kept for one data version
// take (as estimated by sizeOf); a view larger than a quarter of it is not
// kept at all.
const viewCacheBytes = 64 << 20

// viewCache keeps what pages and the API loaded, each key with the data
// version it was loaded at: a reader asking at a version gets only what
// was loaded at that version or a later one. Values are read-only once
// stored. It holds no per-user data.
type viewCache struct {
	// loading has one load of a key run at once: after a commit, the
	// readers asking for the same view wait for one computation of it
	// rather than each making their own (30 readers on 2 cores otherwise
	// make 30).
	loading singleflight.Group

	mu    sync.Mutex
	items map[string]cacheEntry
	bytes int64 // size of every item
}

// cacheEntry is a value with the data version it was loaded at.
type cacheEntry struct {
	version int64
	v       any
	size    int64
}

// get returns key's value loaded at version or later.
func (vc *viewCache) get(version int64, key string) (any, bool) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	e, ok := vc.items[key]
	if !ok || e.version < version {
		return nil, false
	}
	return e.v, true
}

// latest returns key's value whatever its version, with that version.
func (vc *viewCache) latest(key string) (any, int64, bool) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	e, ok := vc.items[key]
	return e.v, e.version, ok
}

// drop forgets key.
func (vc *viewCache) drop(key string) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if e, ok := vc.items[key]; ok {
		vc.bytes -= e.size
		delete(vc.items, key)
	}
}

// put keeps v as key's value at version, unless a value of a later
// version is kept; past the budget, the values of earlier versions go
// first, then all.
func (vc *viewCache) put(version int64, key string, v any) {
	size := sizeOf(reflect.ValueOf(v)) + int64(len(key))
	if size > viewCacheBytes/4 {
		return
	}
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if vc.items == nil {
		vc.items = map[string]cacheEntry{}
	}
	if e, ok := vc.items[key]; ok {
		if e.version >= version {
			return
		}
		vc.bytes -= e.size
		delete(vc.items, key)
	}
	if vc.bytes+size > viewCacheBytes {
		for k, e := range vc.items {
			if e.version < version {
				vc.bytes -= e.size
				delete(vc.items, k)
			}
		}
	}
	if vc.bytes+size > viewCacheBytes {
		vc.items, vc.bytes = map[string]cacheEntry{}, 0
	}
	vc.items[key] = cacheEntry{version: version, v: v, size: size}
	vc.bytes += size
}

// sizeOf estimates the bytes v holds: its own size plus what its strings,
// slices, maps and pointers reach (shared memory counts each time).
func sizeOf(v reflect.Value) int64 {
	if !v.IsValid() {
		return 0
	}
	n := int64(v.Type().Size())
	return n + reachable(v)
}

// reachable is what v points to, beyond its own size.
func reachable(v reflect.Value) int64 {
	switch v.Kind() {
	case reflect.String:
		return int64(v.Len())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return 0
		}
		return sizeOf(v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return 0
		}
		n := int64(v.Cap()) * int64(v.Type().Elem().Size())
		for i := range v.Len() {
			n += reachable(v.Index(i))
		}
		return n
	case reflect.Array:
		var n int64
		for i := range v.Len() {
			n += reachable(v.Index(i))
		}
		return n
	case reflect.Map:
		n := int64(v.Len()) * int64(v.Type().Key().Size()+v.Type().Elem().Size()+8)
		for it := v.MapRange(); it.Next(); {
			n += reachable(it.Key()) + reachable(it.Value())
		}
		return n
	case reflect.Struct:
		var n int64
		for i := range v.NumField() {
			n += reachable(v.Field(i))
		}
		return n
	}
	return 0
}

// versionKey is the context key of the data version a request read first.
type versionKey struct{}

// withDataVersion returns ctx carrying the data version v, so that one
// request asks the database for it once.
func withDataVersion(ctx context.Context, v int64) context.Context {
	return context.WithValue(ctx, versionKey{}, v)
}

// dataVersion is the data version the request read first, or the store's.
func (s *Server) dataVersion(ctx context.Context) (int64, error) {
	if v, ok := ctx.Value(versionKey{}).(int64); ok {
		return v, nil
	}
	v, err := s.store.DataVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}

// cached returns the value of key for the store's current data version,
// loading it with load when the cache lacks it.
func cached[T any](ctx context.Context, s *Server, key string, load func() (T, error)) (T, error) {
	version, err := s.dataVersion(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	return cachedAt(s, version, key, load)
}

// cachedAt returns the value of key loaded at version (or later), loading
// it with load, as of version, when the cache lacks it.
func cachedAt[T any](s *Server, version int64, key string, load func() (T, error)) (T, error) {
	if v, ok := s.cache.get(version, key); ok {
		return v.(T), nil
	}
	v, err, _ := s.cache.loading.Do(strconv.FormatInt(version, 10)+" "+key, func() (any, error) {
		if v, ok := s.cache.get(version, key); ok {
			return v, nil // loaded while this caller waited for its turn
		}
		v, err := load()
		if err != nil {
			return nil, err
		}
		s.cache.put(version, key, v)
		return v, nil
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return v.(T), nil
}

// viewData is what the overview shows of a filter, read from one snapshot
// of the database: the overview, the filter form's choices, the calendar
// (nil when the overview is empty), and the data version and time they
// are of.
type viewData struct {
	o     *stats.Overview
	ch    stats.Choices
	cal   *calendar.View
	state stats.DataState
}

// loadView returns the overview of f and the filter form's choices, of
// the current data version.
func (s *Server) loadView(ctx context.Context, f stats.Filter) (*stats.Overview, stats.Choices, error) {
	d, _, err := s.overviewData(ctx, f, false)
	return d.o, d.ch, err
}

// overviewData returns the view of f at the current data version. When
// mayBeStale and the cache holds a complete view of f of an earlier
// version, that view is answered at once (stale true) while one load of
// the current version runs in the background: readers do not wait for
// the recomputation after a commit, and see the previous figures, said to
// be so (overview.stale), until it completes. Without a previous view, or
// when the last load failed, the reader waits for the load as any other.
func (s *Server) overviewData(ctx context.Context, f stats.Filter, mayBeStale bool) (viewData, bool, error) {
	f.MaxRows = maxAnswerRows
	version, err := s.dataVersion(ctx)
	if err != nil {
		return viewData{}, false, err
	}
	key := fmt.Sprintf("view %+v %s", f, s.today())
	if v, ok := s.cache.get(version, key); ok {
		return v.(viewData), false, nil
	}
	if mayBeStale && f.AsOf.IsZero() {
		if v, _, ok := s.cache.latest(key); ok {
			s.inBackground("load "+key, func() { _, _ = s.loadOverviewData(context.WithoutCancel(ctx), key, f) }) // a failure is logged there
			return v.(viewData), true, nil
		}
	}
	for {
		d, err := s.loadOverviewData(ctx, key, f)
		if err != nil || d.state.Version >= version {
			return d, false, err
		}
		// A load begun before this reader's version was read: its figures
		// are older than what the reader asked for.
		if mayBeStale {
			return d, true, nil
		}
	}
}

// loadOverviewData loads the view of f from one snapshot and keeps it
// under key at the snapshot's version; the readers of a key share one
// load at a time. A failed load forgets the previous view of key, so
// that no reader is answered it while no load is running.
func (s *Server) loadOverviewData(ctx context.Context, key string, f stats.Filter) (viewData, error) {
	v, err, _ := s.cache.loading.Do(key, func() (any, error) {
		if s.viewLoadHook != nil {
			s.viewLoadHook(key)
		}
		var d viewData
		err := s.store.Snapshot(ctx, func(st stats.Store, state stats.DataState) error {
			o, err := stats.Load(ctx, st, f)
			if err != nil {
				return err
			}
			ch, err := stats.LoadChoices(ctx, st)
			if err != nil {
				return err
			}
			d = viewData{o: o, ch: ch, state: state}
			if !o.Empty {
				if d.cal, err = calendar.Load(ctx, st, calendar.Request{Query: o.Filter.Query(), Months: o.Months,
					OpenEnd: f.To.IsZero(), Now: s.now(), Location: s.cfg.Location}); err != nil {
					return fmt.Errorf("calendar: %w", err)
				}
			}
			return nil
		})
		if err != nil {
			s.cache.drop(key)
			if !errors.Is(err, stats.ErrTooManyRows) {
				s.log.WarnContext(ctx, "load view", "key", key, "err", err)
			}
			return nil, err
		}
		s.cache.put(d.state.Version, key, d)
		return d, nil
	})
	if err != nil {
		return viewData{}, err
	}
	return v.(viewData), nil
}

// loadTotals returns the store's totals for q.
func (s *Server) loadTotals(ctx context.Context, key string, q stats.Query) ([]stats.Total, error) {
	return cached(ctx, s, "totals "+key, func() ([]stats.Total, error) { return s.store.Totals(ctx, q) })
}

// inBackground runs f in a goroutine of its own, unless a task of the
// same name is running already: the readers answered a stale page while
// a view loads start one goroutine, not one each.
func (s *Server) inBackground(name string, f func()) {
	s.pendingMu.Lock()
	if s.pending == nil {
		s.pending = map[string]bool{}
	}
	if s.pending[name] {
		s.pendingMu.Unlock()
		return
	}
	s.pending[name] = true
	s.pendingMu.Unlock()
	s.background.Go(func() {
		defer func() {
			s.pendingMu.Lock()
			delete(s.pending, name)
			s.pendingMu.Unlock()
		}()
		f()
	})
}
