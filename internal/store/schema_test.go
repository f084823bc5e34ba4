package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// TestDialectsHaveTheSameVersions migrates an empty database of each kind
// and compares what the two schemas hold, read from each database's own
// catalog (sqlite_master and pragmas; information_schema and pg_catalog):
// the tables, their columns with normalised types, nullability, defaults
// and primary keys, the unique constraints, the foreign keys, the indexes
// (columns, uniqueness, partial or not) and the migrations recorded. A
// change made to one dialect's migrations only fails here. CHECK
// constraints are not compared (neither catalog normalises their text).
func TestDialectsHaveTheSameVersions(t *testing.T) {
	litePath := filepath.Join(t.TempDir(), "schema.db")
	openStore(t, litePath)
	lite := sqliteSchema(t, litePath)
	if len(lite) < 20 {
		t.Fatalf("the SQLite schema reads as %d facts: the introspection is broken\n%s", len(lite), strings.Join(lite, "\n"))
	}
	t.Logf("the SQLite schema reads as %d facts", len(lite))
	dsn := scratchPostgres(t) // skips without POSTDASH_TEST_POSTGRES
	openStore(t, dsn)
	pg := postgresSchema(t, dsn)
	for _, f := range lite {
		if !slices.Contains(pg, f) {
			t.Errorf("only SQLite has: %s", f)
		}
	}
	for _, f := range pg {
		if !slices.Contains(lite, f) {
			t.Errorf("only PostgreSQL has: %s", f)
		}
	}
}

// Normalised column types: SQLite's declared names and PostgreSQL's types
// map to what the value can hold. An INTEGER PRIMARY KEY is SQLite's 64-bit
// rowid.
var (
	sqliteTypes   = map[string]string{"INTEGER": "int32", "BIGINT": "int64", "TEXT": "text", "REAL": "float64", "BLOB": "bytes"}
	postgresTypes = map[string]string{"integer": "int32", "bigint": "int64", "text": "text", "double precision": "float64", "bytea": "bytes"}
	castRe        = regexp.MustCompile(`::[a-z ]+$`)
)

func column(table, name, typ string, notNull bool, def string, pk int) string {
	null := "null"
	if notNull || pk > 0 {
		null = "not null"
	}
	return fmt.Sprintf("column %s.%s %s %s default=%s pk=%d", table, name, typ, null, castRe.ReplaceAllString(def, ""), pk)
}

func sqliteSchema(t *testing.T, path string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	strs := func(q string, args ...any) []string {
		rows, err := db.Query(q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	var facts []string
	tables := strs(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	for _, tb := range tables {
		facts = append(facts, "table "+tb)
		rows, err := db.Query(`SELECT name, type, "notnull", COALESCE(dflt_value, ''), pk FROM pragma_table_info(?)`, tb)
		if err != nil {
			t.Fatal(err)
		}
		var pkCols int
		var cols [][5]any
		for rows.Next() {
			var name, typ, def string
			var notNull bool
			var pk int
			if err := rows.Scan(&name, &typ, &notNull, &def, &pk); err != nil {
				t.Fatal(err)
			}
			if pk > 0 {
				pkCols++
			}
			cols = append(cols, [5]any{name, typ, notNull, def, pk})
		}
		rows.Close()
		for _, c := range cols {
			typ, ok := sqliteTypes[strings.ToUpper(c[1].(string))]
			if !ok {
				t.Errorf("%s.%s: SQLite type %q has no normal form here", tb, c[0], c[1])
			}
			if c[1] == "INTEGER" && c[4].(int) == 1 && pkCols == 1 {
				typ = "int64" // the rowid
			}
			facts = append(facts, column(tb, c[0].(string), typ, c[2].(bool), c[3].(string), c[4].(int)))
		}
		idx, err := db.Query(`SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, tb)
		if err != nil {
			t.Fatal(err)
		}
		type index struct {
			name, origin    string
			unique, partial bool
		}
		var ixs []index
		for idx.Next() {
			var ix index
			if err := idx.Scan(&ix.name, &ix.unique, &ix.origin, &ix.partial); err != nil {
				t.Fatal(err)
			}
			ixs = append(ixs, ix)
		}
		idx.Close()
		for _, ix := range ixs {
			cols := strings.Join(strs(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, ix.name), ",")
			switch ix.origin {
			case "c":
				facts = append(facts, fmt.Sprintf("index %s on %s(%s) unique=%t partial=%t", ix.name, tb, cols, ix.unique, ix.partial))
			case "u":
				facts = append(facts, fmt.Sprintf("unique %s(%s)", tb, cols))
			} // "pk": the primary key, already in the columns
		}
		fks := strs(`SELECT "from" || ' -> ' || "table" || '(' || "to" || ') on delete ' || lower(on_delete) FROM pragma_foreign_key_list(?)`, tb)
		for _, fk := range fks {
			facts = append(facts, "foreign key "+tb+"."+fk)
		}
	}
	for _, v := range strs(`SELECT version FROM schema_migrations ORDER BY version`) {
		facts = append(facts, "migration "+v)
	}
	slices.Sort(facts)
	return facts
}

func postgresSchema(t *testing.T, dsn string) []string {
	t.Helper()
	ctx := context.Background()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var facts []string
	add := func(q string, scan func(pgx.Rows) string) {
		rows, err := conn.Query(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		for rows.Next() {
			facts = append(facts, scan(rows))
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	str := func(r pgx.Rows) string {
		var s string
		if err := r.Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	add(`SELECT 'table ' || table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`, str)
	add(`SELECT c.table_name, c.column_name, c.data_type, c.is_nullable = 'NO', COALESCE(c.column_default, ''),
			COALESCE((SELECT k.ordinal_position FROM information_schema.table_constraints tc
				JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema
				WHERE tc.table_schema = c.table_schema AND tc.table_name = c.table_name AND tc.constraint_type = 'PRIMARY KEY'
				AND k.column_name = c.column_name), 0)
		FROM information_schema.columns c WHERE c.table_schema = current_schema()`, func(r pgx.Rows) string {
		var table, name, typ, def string
		var notNull bool
		var pk int32
		if err := r.Scan(&table, &name, &typ, &notNull, &def, &pk); err != nil {
			t.Fatal(err)
		}
		norm, ok := postgresTypes[typ]
		if !ok {
			t.Errorf("%s.%s: PostgreSQL type %q has no normal form here", table, name, typ)
		}
		return column(table, name, norm, notNull, def, int(pk))
	})
	// Column lists of an index or constraint, in their order.
	const cols = `(SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(%s) WITH ORDINALITY AS k(attnum, ord)
		JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.attnum)`
	add(fmt.Sprintf(`SELECT format('index %%s on %%s(%%s) unique=%%s partial=%%s', i.relname, t.relname, %s, ix.indisunique::text, (ix.indpred IS NOT NULL)::text)
		FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)`,
		fmt.Sprintf(cols, "ix.indkey", "ix.indrelid")), str)
	add(fmt.Sprintf(`SELECT format('unique %%s(%%s)', t.relname, %s)
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = current_schema() AND c.contype = 'u'`, fmt.Sprintf(cols, "c.conkey", "c.conrelid")), str)
	add(fmt.Sprintf(`SELECT format('foreign key %%s.%%s -> %%s(%%s) on delete %%s', t.relname, %s, f.relname, %s,
			CASE c.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default' WHEN 'r' THEN 'restrict' ELSE 'no action' END)
		FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class f ON f.oid = c.confrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = current_schema() AND c.contype = 'f'`,
		fmt.Sprintf(cols, "c.conkey", "c.conrelid"), fmt.Sprintf(cols, "c.confkey", "c.confrelid")), str)
	add(`SELECT 'migration ' || version FROM schema_migrations`, str)
	slices.Sort(facts)
	return facts
}
