package xlsx

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// readBookPaths reads every worksheet of the file at path with the fast
// path on (general false) or off, with the workbook's own shared strings
// and styles.
func readBookPaths(t *testing.T, path string, general bool) map[string]pathResult {
	t.Helper()
	w, err := Open(path, Limits{})
	if err != nil {
		return map[string]pathResult{"": {Err: err.Error()}}
	}
	defer w.Close()
	out := map[string]pathResult{}
	for _, s := range w.Sheets() {
		r, err := w.rows(context.Background(), s.Name)
		if err != nil {
			out[s.Name] = pathResult{Err: err.Error()}
			continue
		}
		r.general = general
		var res pathResult
		for r.Next() {
			res.Rows = append(res.Rows, pathRow{r.Row(), r.RowHidden(), append([]Cell(nil), r.Cells()...)})
		}
		res.Hidden, res.Unordered = r.HiddenColumns(), r.unordered
		if err := r.Err(); err != nil {
			res.Err = err.Error()
		}
		r.Close()
		out[s.Name] = res
	}
	return out
}

// TestFastPathOnSavedFiles reads workbooks that spreadsheet programs saved
// (the forms internal/sheet keeps, saved by LibreOffice, with styled empty
// cells; and the shared corpus, when POSTDASH_CORPUS names it) with the
// fast path and with the general one: every cell, type, format, hidden row
// and column and error must be the same.
func TestFastPathOnSavedFiles(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "sheet", "testdata", "forms", "*.xlsx"))
	if len(files) == 0 {
		t.Fatal("no forms under ../sheet/testdata/forms")
	}
	forms := len(files)
	if testing.Short() {
		files = files[:min(len(files), 10)]
	}
	if dir := os.Getenv("POSTDASH_CORPUS"); dir != "" {
		corpus, _ := filepath.Glob(filepath.Join(dir, "files", "*.xls[xm]"))
		files = append(files, corpus...)
	}
	cells := 0
	for _, path := range files {
		want := readBookPaths(t, path, true)
		got := readBookPaths(t, path, false)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the fast path reads it differently\n got %+v\nwant %+v", filepath.Base(path), got, want)
		}
		for _, res := range want {
			for _, r := range res.Rows {
				cells += len(r.Cells)
			}
		}
	}
	t.Logf("%d files (%d forms), %d cells read alike", len(files), forms, cells)
	if cells == 0 {
		t.Fatal("no cell read: the comparison proves nothing")
	}
}
