package web

import (
	"context"
	"fmt"
	"sync"

	"postdash/internal/stats"
	"postdash/internal/store"
)

// viewCacheSize bounds how many views are kept for one data version.
const viewCacheSize = 256

// viewCache keeps what pages and the API loaded, for the current data
// version only: a commit or an undo changes the version and empties it.
// Values are read-only once stored. It holds no per-user data.
type viewCache struct {
	mu      sync.Mutex
	version int64
	items   map[string]any
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
	vc.mu.Lock()
	defer vc.mu.Unlock()
	if vc.version != version || vc.items == nil || len(vc.items) >= viewCacheSize {
		vc.version = version
		vc.items = map[string]any{}
	}
	vc.items[key] = v
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
	v, err := load()
	if err != nil {
		return v, err
	}
	s.cache.put(version, key, v)
	return v, nil
}

// loadView returns the overview of f and the filter form's choices.
func (s *Server) loadView(ctx context.Context, f stats.Filter) (*stats.Overview, stats.Choices, error) {
	o, err := cached(ctx, s, fmt.Sprintf("overview %+v", f), func() (*stats.Overview, error) { return stats.Load(ctx, s.store, f) })
	if err != nil {
		return nil, stats.Choices{}, err
	}
	ch, err := cached(ctx, s, "choices", func() (stats.Choices, error) { return stats.LoadChoices(ctx, s.store) })
	return o, ch, err
}

// loadTotals returns the store's totals for q.
func (s *Server) loadTotals(ctx context.Context, key string, q store.Query) ([]store.Total, error) {
	return cached(ctx, s, "totals "+key, func() ([]store.Total, error) { return s.store.Totals(ctx, q) })
}
