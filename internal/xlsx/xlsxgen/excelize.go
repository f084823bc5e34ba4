package xlsxgen

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// writeExcelize writes the manifest with excelize's StreamWriter, which
// stores text as inline strings.
func (m Manifest) writeExcelize(w io.Writer) error {
	return streamExcelize(w, m.sheetName(), m.Date1904, func(f *excelize.File, sw *excelize.StreamWriter) error {
		dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
		if err != nil {
			return err
		}
		if err := sw.SetRow("A1", toAny(ManifestHeader())); err != nil {
			return err
		}
		row := make([]any, len(ManifestHeader()))
		for i := range m.Rows {
			r := m.Record(i)
			row[0] = excelize.Cell{StyleID: dateStyle, Value: Serial(r.Date, m.Date1904)}
			row[1], row[2], row[3] = r.Direction, r.Partner, r.Category
			row[4] = nil
			if r.Marketplace != "" {
				row[4] = r.Marketplace
			}
			row[5] = r.Items
			row[6] = float64(r.WeightGrams) / 1000
			if err := sw.SetRow(cellName(0, i+2), row); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeExcelize writes the wide sheet with excelize's StreamWriter.
func (wd Wide) writeExcelize(w io.Writer) error {
	return streamExcelize(w, wd.sheetName(), false, func(_ *excelize.File, sw *excelize.StreamWriter) error {
		if err := sw.SetRow("A1", toAny(wd.Header())); err != nil {
			return err
		}
		row := make([]any, wd.Cols+1)
		for i := range wd.Rows {
			row[0] = wd.Period(i)
			for c := range wd.Cols {
				row[c+1] = nil
				if v := wd.Value(i, c); v >= 0 {
					row[c+1] = v
				}
			}
			if err := sw.SetRow(cellName(0, i+2), row); err != nil {
				return err
			}
		}
		return nil
	})
}

func streamExcelize(w io.Writer, sheet string, date1904 bool, rows func(*excelize.File, *excelize.StreamWriter) error) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("name sheet: %w", err)
	}
	if date1904 {
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &date1904}); err != nil {
			return fmt.Errorf("set date system: %w", err)
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("stream sheet: %w", err)
	}
	if err := rows(f, sw); err != nil {
		return fmt.Errorf("stream rows: %w", err)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("flush sheet: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func cellName(col, row int) string {
	return string(appendCol(nil, col)) + fmt.Sprint(row)
}
