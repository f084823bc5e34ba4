package web

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"sync"

	"golang.org/x/sync/singleflight"

	"postdash/internal/stats"
)

// viewCacheBytes bounds the memory the views kept for one data version
// take (as estimated by sizeOf); a view larger than a quarter of it is not
// kept at all.
const viewCacheBytes = 64 << 20

// viewCache keeps what pages and the API loaded, for the current data
// version only: a commit or an undo changes the version and empties it.
// Values are read-only once stored. It holds no per-user data.
type viewCache struct {
	// loading has one load of a key run at once: after a commit, the
	// readers asking for the same view wait for one computation of it
	// rather than each making their own (30 readers on 2 cores otherwise
	// make 30).
	loading singleflight.Group

	mu      sync.Mutex
	version int64
	items   map[string]any
	bytes   int64 // sizeOf every item
}

func (vc *viewCache) get(version int64, key string) (any, bool) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if vc.version != version {
		return nil, false
	}
	v, ok := vc.items[key]
	return v, ok
}

func (vc *viewCache) put(version int64, key string, v any) {
	size := sizeOf(reflect.ValueOf(v)) + int64(len(key))
	if size > viewCacheBytes/4 {
		return
	}
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if vc.version != version || vc.items == nil || vc.bytes+size > viewCacheBytes {
		vc.version = version
		vc.items, vc.bytes = map[string]any{}, 0
	}
	if _, ok := vc.items[key]; !ok {
		vc.items[key] = v
		vc.bytes += size
	}
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

// cached returns the value of key for the store's current data version,
// loading it with load when the cache lacks it.
func cached[T any](ctx context.Context, s *Server, key string, load func() (T, error)) (T, error) {
	version, err := s.store.DataVersion(ctx)
	if err != nil {
		var zero T
		return zero, fmt.Errorf("data version: %w", err)
	}
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

// loadView returns the overview of f and the filter form's choices.
func (s *Server) loadView(ctx context.Context, f stats.Filter) (*stats.Overview, stats.Choices, error) {
	f.MaxRows = maxAnswerRows
	o, err := cached(ctx, s, fmt.Sprintf("overview %+v", f), func() (*stats.Overview, error) { return stats.Load(ctx, s.store, f) })
	if err != nil {
		return nil, stats.Choices{}, err
	}
	ch, err := cached(ctx, s, "choices", func() (stats.Choices, error) { return stats.LoadChoices(ctx, s.store) })
	return o, ch, err
}

// loadTotals returns the store's totals for q.
func (s *Server) loadTotals(ctx context.Context, key string, q stats.Query) ([]stats.Total, error) {
	return cached(ctx, s, "totals "+key, func() ([]stats.Total, error) { return s.store.Totals(ctx, q) })
}
