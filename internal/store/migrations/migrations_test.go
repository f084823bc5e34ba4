package migrations

import "testing"

// Both databases must have the same changes under the same names, or one of
// them silently lags behind.
func TestDialectsHaveTheSameVersions(t *testing.T) {
	lite, err := List(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := List(Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(pg) {
		t.Fatalf("sqlite has %d migrations, postgres %d", len(lite), len(pg))
	}
	for i := range lite {
		if lite[i].Version != pg[i].Version {
			t.Errorf("migration %d: sqlite %q, postgres %q", i, lite[i].Version, pg[i].Version)
		}
		if lite[i].SQL == "" || pg[i].SQL == "" {
			t.Errorf("migration %s is empty", lite[i].Version)
		}
	}
}
