package sheet

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

// countingBook counts the passes over a grid book's rows, and can fail (for
// sheet failMerged) or panic when asked for merged ranges.
type countingBook struct {
	gridBook
	passes     atomic.Int32
	failMerged string
	mergePanic bool
}

func (b *countingBook) Rows(ctx context.Context, name string) (rowIter, error) {
	b.passes.Add(1)
	return b.gridBook.Rows(ctx, name)
}

func (b *countingBook) Merged(name string) ([]mergeRange, error) {
	if b.mergePanic {
		panic("merged")
	}
	if name == b.failMerged {
		return nil, errors.New("corrupt")
	}
	return b.gridBook.Merged(name)
}

// TestMergedRangesReadSheetsAgainOnlyWhenTheyMatter: a sheet is read once
// when its merged ranges change nothing, twice when they do, and the first
// reading leaves nothing behind.
func TestMergedRangesReadSheetsAgainOnlyWhenTheyMatter(t *testing.T) {
	data := func() gridSheet {
		return sheetOf("S",
			row("Report 2025"),
			row("Period", "Partner", "Parcels, pcs"),
			row("2025-01", "China", 1),
			row(nil, "Latvia", 2),
		)
	}
	tests := []struct {
		name   string
		merged []mergeRange
		passes int32
		errors int
	}{
		{"none", nil, 1, 1},
		{"title only", []mergeRange{{FirstRow: 0, FirstCol: 0, LastRow: 0, LastCol: 2}}, 1, 1},
		{"beyond the columns read", []mergeRange{{FirstRow: 2, FirstCol: 5, LastRow: 3, LastCol: 5}}, 1, 1},
		{"period down data rows", []mergeRange{{FirstRow: 2, FirstCol: 0, LastRow: 3, LastCol: 0}}, 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := data()
			s.merged = tt.merged
			b := &countingBook{gridBook: gridBook{sheets: []gridSheet{s}}}
			res, err := readBook(context.Background(), b, "test.xlsx", 0, testOpts())
			if err != nil {
				t.Fatal(err)
			}
			if got := b.passes.Load(); got != tt.passes {
				t.Errorf("%d passes, want %d", got, tt.passes)
			}
			if res.ErrorCount != tt.errors || len(res.Errors) != tt.errors || len(res.Warnings) != 0 {
				t.Errorf("errors %d %v, warnings %v; want %d errors", res.ErrorCount, res.Errors, res.Warnings, tt.errors)
			}
			if res.Sheets[0].Rows != 2 || res.Rows != 2 {
				t.Errorf("rows %d (sheet %d), want 2", res.Rows, res.Sheets[0].Rows)
			}
		})
	}
}

func TestMergedRangesUnreadableRefusesTheFile(t *testing.T) {
	good := sheetOf("T", row("Period", "Parcels, pcs"), row("2025-01", 5))
	bad := sheetOf("S", row("Period", "Parcels, pcs"), row("2025-01", 1), row("2025-02", 2))
	b := &countingBook{gridBook: gridBook{sheets: []gridSheet{good, bad}}, failMerged: "S"}
	res, err := readBook(context.Background(), b, "test.xlsx", 0, testOpts())
	var re *RefusedError
	if !errors.As(err, &re) || re.Key != keyRefusedCorrupt {
		t.Fatalf("readBook = %+v, %v; want the file refused as damaged (nothing of T imported)", res, err)
	}
}

func TestMergedRangesPanicIsTheCallersPanic(t *testing.T) {
	b := &countingBook{gridBook: gridBook{sheets: []gridSheet{sheetOf("S", row("Period", "Parcels, pcs"), row("2025-01", 1))}}, mergePanic: true}
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), "merged") {
			t.Fatalf("recovered %v, want the panic of Merged", p)
		}
	}()
	readBook(context.Background(), b, "test.xlsx", 0, testOpts())
	t.Fatal("no panic")
}
