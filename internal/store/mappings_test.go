package store_test

import (
	"context"
	"errors"
	"testing"

	"postdash/internal/store"
)

// Mappings are shared through the database: saved on one store, read on
// another opened on the same database; one per header, the newest winning.
func TestMappingsSaveListDelete(t *testing.T) {
	forEachBackendDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a, b := openStore(t, dsn), openStore(t, dsn)
		m1 := &store.StoredMapping{Key: "foo\x1fmonth", Body: []byte(`{"v":1}`), SavedBy: "dilnoza"}
		if err := a.SaveMapping(ctx, m1); err != nil {
			t.Fatal(err)
		}
		other := &store.StoredMapping{Key: "bar\x1fmonth", Body: []byte(`{"v":"other"}`), SavedBy: "aziz"}
		if err := a.SaveMapping(ctx, other); err != nil {
			t.Fatal(err)
		}
		m2 := &store.StoredMapping{Key: "foo\x1fmonth", Body: []byte(`{"v":2}`), SavedBy: "aziz"}
		if err := b.SaveMapping(ctx, m2); err != nil {
			t.Fatal(err)
		}
		if m1.ID == 0 || m2.ID == m1.ID {
			t.Fatalf("ids %d, %d", m1.ID, m2.ID)
		}
		list, err := a.Mappings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != m2.ID || string(list[0].Body) != `{"v":2}` || list[0].SavedBy != "aziz" || list[1].ID != other.ID {
			t.Fatalf("list %+v: want the second save to replace the first of its header", list)
		}
		if _, err := b.Mapping(ctx, m1.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("the replaced mapping: %v", err)
		}
		got, err := b.Mapping(ctx, other.ID)
		if err != nil || got.Key != other.Key || got.SavedAt.IsZero() {
			t.Errorf("mapping %+v, %v", got, err)
		}
		if err := b.DeleteMapping(ctx, other.ID); err != nil {
			t.Fatal(err)
		}
		if err := a.DeleteMapping(ctx, other.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("deleting twice: %v", err)
		}
		if list, _ := a.Mappings(ctx); len(list) != 1 {
			t.Errorf("after delete: %+v", list)
		}
	})
}
