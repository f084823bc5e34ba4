package xlsx

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// typedErrors are the refusals a caller can turn into one clear sentence.
var typedErrors = []error{ErrTooLarge, ErrEncrypted, ErrLegacyXLS, ErrNotOOXML, ErrCorrupt, ErrLimit}

func typedError(err error) error {
	for _, e := range typedErrors {
		if errors.Is(err, e) {
			return e
		}
	}
	return nil
}

// TestCorpusOpensOrRefuses opens every corpus file, whatever its extension:
// it must give a workbook whose sheets all iterate (merges included), or a
// typed error, within the time bound.
func TestCorpusOpensOrRefuses(t *testing.T) {
	const perFile = 10 * time.Second
	opened, refused := 0, map[error]int{}
	for _, path := range corpusFiles(t) {
		name := filepath.Base(path)
		done := make(chan error, 1)
		start := time.Now()
		go func() { done <- readEverything(path) }()
		var err error
		select {
		case err = <-done:
		case <-time.After(perFile):
			t.Fatalf("%s: still reading after %v", name, perFile)
		}
		switch te := typedError(err); {
		case err == nil:
			opened++
		case te != nil:
			refused[te]++
		default:
			t.Errorf("%s: untyped error: %v", name, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Logf("%s: %v", name, d)
		}
	}
	t.Logf("opened %d; refused: %d too large, %d encrypted, %d legacy xls, %d not OOXML, %d corrupt, %d past a limit",
		opened, refused[ErrTooLarge], refused[ErrEncrypted], refused[ErrLegacyXLS], refused[ErrNotOOXML], refused[ErrCorrupt], refused[ErrLimit])
}

// readEverything opens a workbook and reads every cell and merge of every
// sheet, returning the first error.
func readEverything(path string) error {
	wb, err := Open(path, Limits{MaxInflatedBytes: 1 << 30})
	if err != nil {
		return err
	}
	defer wb.Close()
	for _, s := range wb.Sheets() {
		if _, err := wb.MergedRanges(s.Name); err != nil {
			return err
		}
		rows, err := wb.Rows(context.Background(), s.Name)
		if err != nil {
			return err
		}
		for rows.Next() {
			_ = rows.Cells()
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
