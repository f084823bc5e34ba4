package xlsx

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusFiles lists $POSTDASH_CORPUS/files, skipping the test when unset.
func corpusFiles(t *testing.T) []string {
	t.Helper()
	dir := os.Getenv("POSTDASH_CORPUS")
	if dir == "" {
		t.Skip("POSTDASH_CORPUS not set: point it at the shared corpus (e.g. ../../../shared/corpus) to run")
	}
	files, err := filepath.Glob(filepath.Join(dir, "files", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files under %s: %v", dir, err)
	}
	return files
}

// excelizeWrong lists corpus files where excelize, not we, misreads the
// file; the comparison is skipped and the reason logged.
var excelizeWrong = map[string]string{
	// Cells carry s="" (an empty style index); excelize fails to parse the
	// attribute and drops every cell, Excel and we read them.
	"calamine-empty_s_attribute.xlsx": "excelize drops cells with s=\"\"",
}

func TestDifferentialCorpus(t *testing.T) {
	compared := 0
	for _, path := range corpusFiles(t) {
		ext := strings.ToLower(filepath.Ext(path))
		if ext != ".xlsx" && ext != ".xlsm" {
			continue
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			if why, ok := excelizeWrong[filepath.Base(path)]; ok {
				t.Skip(why)
			}
			if compareWorkbook(t, path) {
				compared++
			}
		})
	}
	t.Logf("compared %d workbooks with excelize", compared)
}
