package sheet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
)

// ReadFile reads the file at path; name is the file name the user gave (its
// extension decides the format, checked against the content). It returns the
// facts and cell errors, a *RefusedError when the file cannot be imported at
// all, or another error when ctx ends first.
func ReadFile(ctx context.Context, path, name string, opts Options) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			opts.logger().ErrorContext(ctx, "sheet: panic while reading", "file", name, "panic", p, "stack", string(debug.Stack()))
			res, err = nil, refuse(keyRefusedInternal, map[string]string{"file": quote(name)})
		}
	}()
	opts.Limits = opts.Limits.withDefaults()
	b, size, err := openBook(ctx, path, name, opts.Limits, opts.logger())
	if err != nil {
		return nil, err
	}
	defer b.Close()
	return readBook(ctx, b, name, size, opts)
}

// readBook reads an opened book; ReadFile and the tests on in-memory grids share it.
func readBook(ctx context.Context, b book, name string, size int64, opts Options) (*Result, error) {
	opts.Limits = opts.Limits.withDefaults()
	rd := newReader(opts, size)
	if err := rd.readBook(ctx, b); err != nil {
		var se *streamErr
		if errors.As(err, &se) {
			return nil, refusal(name, se.err, opts.Limits)
		}
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(rd.res.Facts) == 0 && rd.res.ErrorCount == 0 {
		return nil, noFacts(name, rd.res.Sheets)
	}
	return rd.res, nil
}

// noFacts is the refusal of a file where no sheet yielded a fact.
func noFacts(name string, sheets []SheetReport) *RefusedError {
	var why []string
	var notes []Issue
	for _, s := range sheets {
		if s.Note != nil {
			why = append(why, s.Note.Text)
			notes = append(notes, *s.Note)
		}
	}
	if len(why) == 0 {
		why = append(why, "the workbook has no sheets")
	}
	e := refuse(keyRefusedNoFacts, map[string]string{"file": quote(name), "sheets": strings.Join(why, " ")})
	e.Sheets = notes
	return e
}

// fileSize returns the size of the file at path.
func fileSize(path string) (int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
