package web

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLayers: the web layer reads requests, calls the domain packages and
// renders; it never reaches the store or the sheet reader itself, and the
// charts are built from stats without the store.
func TestLayers(t *testing.T) {
	for _, tc := range []struct {
		dir       string
		forbidden []string
	}{
		{".", []string{"postdash/internal/store", "postdash/internal/sheet"}},
		{"../charts", []string{"postdash/internal/store"}},
	} {
		imports := packageImports(t, tc.dir)
		if len(imports) == 0 {
			t.Fatalf("%s: no imports read; the test reads the wrong folder", tc.dir)
		}
		for _, bad := range tc.forbidden {
			if files, ok := imports[bad]; ok {
				t.Errorf("%s imports %s (in %s)", tc.dir, bad, strings.Join(files, ", "))
			}
		}
	}
}

// packageImports maps each import of the package in dir (its non-test
// files) to the files that import it.
func packageImports(t *testing.T, dir string) map[string][]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range f.Imports {
			path, err := strconv.Unquote(im.Path.Value)
			if err != nil {
				t.Fatal(err)
			}
			out[path] = append(out[path], name)
		}
	}
	return out
}
