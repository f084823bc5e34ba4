package xlsx

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// refCell is a cell as both readers are compared: position and raw value.
type refCell struct {
	Row, Col int
	Value    string
}

func (c refCell) String() string { return fmt.Sprintf("R%dC%d=%q", c.Row+1, c.Col+1, c.Value) }

// refSheet is what the excelize reference reads from one sheet.
type refSheet struct {
	Name    string
	Visible bool
	Cells   []refCell
	Merges  []Range
}

// excelizeRead is the reference reader: excelize's own streaming Rows with
// raw cell values, its sheet list, visibility and merged cells.
func excelizeRead(path string) (sheets []refSheet, date1904 bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("excelize panicked: %v", p)
		}
	}()
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		date1904 = *props.Date1904
	}
	for _, name := range f.GetSheetList() {
		visible, err := f.GetSheetVisible(name)
		if err != nil {
			return nil, false, err
		}
		rs := refSheet{Name: name, Visible: visible}
		if rs.Cells, err = excelizeCells(f, name); err != nil {
			return nil, false, fmt.Errorf("sheet %q: %w", name, err)
		}
		mc, err := f.GetMergeCells(name)
		if err != nil && strings.HasSuffix(err.Error(), "is not a worksheet") {
			// A chartsheet: excelize lists it, it holds no cells.
			sheets = append(sheets, rs)
			continue
		}
		if err != nil {
			return nil, false, fmt.Errorf("sheet %q merges: %w", name, err)
		}
		for _, m := range mc {
			if r, ok := parseRange([]byte(m.GetStartAxis() + ":" + m.GetEndAxis())); ok {
				rs.Merges = append(rs.Merges, r)
			}
		}
		sheets = append(sheets, rs)
	}
	return sheets, date1904, nil
}

func excelizeCells(f *excelize.File, sheet string) ([]refCell, error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []refCell
	for r := 0; rows.Next(); r++ {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		for c, v := range cols {
			// excelize keeps a formula cell with no cached value as "";
			// empty cells are not cells for us.
			if v != "" {
				out = append(out, refCell{r, c, v})
			}
		}
	}
	return out, rows.Error()
}

// ourCells reads a sheet with our reader in the reference's terms.
func ourCells(t testing.TB, wb *Workbook, sheet string) ([]refCell, error) {
	cells, err := readAll(t, wb, sheet)
	out := make([]refCell, len(cells))
	for i, c := range cells {
		out[i] = refCell{c.Row, c.Col, c.Value}
	}
	return out, err
}

// equalCell compares one of our cells with excelize's raw value, allowing
// for where the two differ by design:
//   - t="str" formula results: excelize returns <v> as stored, without
//     decoding _xHHHH_ escapes (it decodes them in shared and inline strings
//     only); we decode them everywhere, as Excel does.
//   - number, bool, error and date values: we trim surrounding white space
//     (pretty-printed XML); excelize keeps it.
func equalCell(ours, ref refCell) bool {
	if ours == ref {
		return true
	}
	if ours.Row != ref.Row || ours.Col != ref.Col {
		return false
	}
	if strings.TrimSpace(ref.Value) == ours.Value {
		return true
	}
	return string(decodeEscapes([]byte(ref.Value))) == ours.Value
}

// diffCells reports the differences between two cell lists, at most a few.
func diffCells(ours, ref []refCell) []string {
	var out []string
	i, j := 0, 0
	key := func(c refCell) int { return c.Row<<16 | c.Col }
	for (i < len(ours) || j < len(ref)) && len(out) < 8 {
		switch {
		case j >= len(ref) || i < len(ours) && key(ours[i]) < key(ref[j]):
			out = append(out, "only ours: "+ours[i].String())
			i++
		case i >= len(ours) || key(ref[j]) < key(ours[i]):
			out = append(out, "only excelize: "+ref[j].String())
			j++
		default:
			if !equalCell(ours[i], ref[j]) {
				out = append(out, fmt.Sprintf("ours %v, excelize %v", ours[i], ref[j]))
			}
			i++
			j++
		}
	}
	return out
}

// sortCells orders cells by row then column (excelize's order already).
func sortCells(cs []refCell) {
	slices.SortStableFunc(cs, func(a, b refCell) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		return a.Col - b.Col
	})
}

// compareWorkbook opens path with both readers and reports differences.
// It returns false when excelize cannot read the file (nothing to compare).
func compareWorkbook(t *testing.T, path string) bool {
	t.Helper()
	ref, ref1904, err := excelizeRead(path)
	if err != nil {
		t.Logf("excelize cannot read it (%v); skipped", err)
		return false
	}
	wb, err := Open(path, Limits{})
	if err != nil {
		t.Errorf("excelize reads it, we refuse: %v", err)
		return true
	}
	defer wb.Close()
	if wb.Date1904() != ref1904 {
		t.Errorf("Date1904 = %v, excelize %v", wb.Date1904(), ref1904)
	}
	ours := map[string]SheetInfo{}
	for _, s := range wb.Sheets() {
		ours[s.Name] = s
	}
	for _, rs := range ref {
		info, ok := ours[rs.Name]
		if !ok {
			// excelize lists chartsheets and dialog sheets too.
			if len(rs.Cells) > 0 {
				t.Errorf("sheet %q with %d cells missing from Sheets()", rs.Name, len(rs.Cells))
			}
			continue
		}
		delete(ours, rs.Name)
		if (info.Visibility == Visible) != rs.Visible {
			t.Errorf("sheet %q visibility %v, excelize visible=%v", rs.Name, info.Visibility, rs.Visible)
		}
		cells, err := ourCells(t, wb, rs.Name)
		if err != nil {
			t.Errorf("sheet %q: %v", rs.Name, err)
			continue
		}
		sortCells(rs.Cells)
		if d := diffCells(cells, rs.Cells); len(d) > 0 {
			t.Errorf("sheet %q: %d vs %d cells:\n  %s", rs.Name, len(cells), len(rs.Cells), strings.Join(d, "\n  "))
		}
		merges, err := wb.MergedRanges(rs.Name)
		if err != nil {
			t.Errorf("sheet %q merges: %v", rs.Name, err)
		} else if !sameRanges(merges, rs.Merges) {
			t.Errorf("sheet %q: %d merges, excelize %d", rs.Name, len(merges), len(rs.Merges))
		}
		passed, whole, err := passMerges(wb, rs.Name)
		switch {
		case !whole || err != nil:
			t.Errorf("sheet %q: the pass over its rows gives no merges (whole %v, %v)", rs.Name, whole, err)
		case !sameRanges(passed, rs.Merges):
			t.Errorf("sheet %q: %d merges on the pass over its rows, excelize %d", rs.Name, len(passed), len(rs.Merges))
		}
	}
	for name := range ours {
		t.Errorf("sheet %q not listed by excelize", name)
	}
	return true
}

// passMerges reads a sheet's rows to the end and returns the merged ranges
// that pass found.
func passMerges(wb *Workbook, sheet string) ([]Range, bool, error) {
	rows, err := wb.Rows(context.Background(), sheet)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.MergedRanges()
}

func sameRanges(a, b []Range) bool {
	key := func(r Range) string { return fmt.Sprint(r) }
	as, bs := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		as[i] = key(a[i])
	}
	for i := range b {
		bs[i] = key(b[i])
	}
	slices.Sort(as)
	slices.Sort(bs)
	return slices.Equal(as, bs)
}
