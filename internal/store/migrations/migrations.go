// Package migrations holds postdash's schema changes for both databases, side
// by side: sqlite/NNNN_name.sql and postgres/NNNN_name.sql. A change is added
// to both folders under the same file name; the store applies the files its
// database has not seen yet, in name order, and records each in the
// schema_migrations table.
package migrations

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed sqlite/*.sql postgres/*.sql
var files embed.FS

// Dialects are the folder names, one per database.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Migration is one schema change.
type Migration struct {
	Version string // file name without .sql, e.g. "0001_init"
	SQL     string
}

// List returns the migrations of a dialect in the order they are applied.
func List(dialect string) ([]Migration, error) {
	entries, err := fs.ReadDir(files, dialect)
	if err != nil {
		return nil, fmt.Errorf("list %s migrations: %w", dialect, err)
	}
	var out []Migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		b, err := fs.ReadFile(files, dialect+"/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("read migration %s/%s: %w", dialect, e.Name(), err)
		}
		out = append(out, Migration{Version: strings.TrimSuffix(e.Name(), ".sql"), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}
