package sheet

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"postdash/internal/postal"
)

// testNow is the "today" of every test: periods after 2027-01 are out of range.
var testNow = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

type errVal string  // an error cell such as #N/A
type isoDate string // a t="d" cell
type dateNum int    // a date-formatted number cell: a date serial

// row builds the cells of one row; index = column, nil = empty.
func row(vals ...any) []rawCell {
	var out []rawCell
	for col, v := range vals {
		switch v := v.(type) {
		case nil:
		case string:
			if v != "" {
				out = append(out, rawCell{Col: col, Kind: kindString, Value: v})
			}
		case int:
			out = append(out, rawCell{Col: col, Kind: kindNumber, Value: strconv.Itoa(v)})
		case float64:
			out = append(out, rawCell{Col: col, Kind: kindNumber, Value: strconv.FormatFloat(v, 'g', -1, 64)})
		case bool:
			b := "0"
			if v {
				b = "1"
			}
			out = append(out, rawCell{Col: col, Kind: kindBool, Value: b})
		case errVal:
			out = append(out, rawCell{Col: col, Kind: kindError, Value: string(v)})
		case dateNum:
			out = append(out, rawCell{Col: col, Kind: kindNumber, Fmt: fmtDate, Value: strconv.Itoa(int(v))})
		case isoDate:
			out = append(out, rawCell{Col: col, Kind: kindDate, Value: string(v)})
		default:
			panic(fmt.Sprintf("row: unsupported %T", v))
		}
	}
	return out
}

// sheetOf is a visible sheet of rows.
func sheetOf(name string, rows ...[]rawCell) gridSheet { return gridSheet{name: name, rows: rows} }

func testOpts() Options { return Options{Now: testNow, PreviewRows: 10} }

// readGrid reads in-memory sheets as a book.
func readGrid(t *testing.T, opts Options, sheets ...gridSheet) (*Result, error) {
	t.Helper()
	return readBook(context.Background(), &gridBook{sheets: sheets}, "test.xlsx", 0, opts)
}

// mustRead reads and fails the test on a refusal.
func mustRead(t *testing.T, sheets ...gridSheet) *Result {
	t.Helper()
	res, err := readGrid(t, testOpts(), sheets...)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return res
}

// factLines renders facts one per line: month dir partner category marketplace items/kg.
func factLines(fs []postal.Fact) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s %s %s %s %s", f.Month, f.Direction, orDash(f.Partner), f.Category, orDash(f.Marketplace))
		if f.HasItems {
			fmt.Fprintf(&b, " items=%d", f.Items)
		}
		if f.HasWeight {
			fmt.Fprintf(&b, " kg=%s", strconv.FormatFloat(f.WeightKg, 'f', -1, 64))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// issueLines renders issues as "cell key" lines.
func issueLines(is []Issue) string {
	var b strings.Builder
	for _, i := range is {
		fmt.Fprintf(&b, "%s %s\n", i.Cell, i.Key)
	}
	return b.String()
}

func lines(ls ...string) string {
	if len(ls) == 0 {
		return ""
	}
	return strings.Join(ls, "\n") + "\n"
}

// refusedKey returns the key of a *RefusedError, or fails.
func refusedKey(t *testing.T, err error) string {
	t.Helper()
	var re *RefusedError
	if !errors.As(err, &re) {
		t.Fatalf("want *RefusedError, got %v", err)
	}
	return re.Key
}

func errorsAs(err error, target **RefusedError) bool { return errors.As(err, target) }

// sortedLines joins fact lines in the order Result.Facts has (month first),
// adding the amounts of lines with the same series.
func sortedLines(ls []string) string {
	sum := map[string]int{}
	var keys []string
	for _, l := range ls {
		k, v, _ := strings.Cut(l, " items=")
		n, _ := strconv.Atoi(v)
		if _, ok := sum[k]; !ok {
			keys = append(keys, k)
		}
		sum[k] += n
	}
	slices.Sort(keys)
	var out []string
	for _, k := range keys {
		out = append(out, k+" items="+strconv.Itoa(sum[k]))
	}
	return lines(out...)
}
