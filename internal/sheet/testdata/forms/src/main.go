// Command src writes the source workbooks of the forms gallery: each form as
// an .xlsx made with excelize, which make.sh then has LibreOffice open and save
// again (as .xlsx or .csv). It lives under testdata, so `go test ./...` and
// `go vet ./...` ignore it; run it with `go run ./src -out DIR` from the forms
// directory (make.sh does).
package main

import (
	"bufio"
	"cmp"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/xuri/excelize/v2"
)

// date is a date cell shown with the number format fmt.
type date struct {
	y, m, d int
	fmt     string
}

// nf is a numeric cell with a custom number format.
type nf struct {
	v   float64
	fmt string
}

// fx is a formula cell; LibreOffice computes and stores its value.
type fx string

// sheet is one worksheet: rows from A1 (nil = no cell), merged ranges,
// ranges whose every cell (empty ones too) gets a border style, hidden columns.
type sheet struct {
	name   string
	rows   [][]any
	merges []string
	styled []string
	hidden []string
	hrows  []int  // 1-based rows to hide
	state  string // "" visible, "hidden"
}

// form is one gallery file: its name, its sheets and what LibreOffice saves it as.
type form struct {
	name   string
	out    string // "xlsx" or "csv"
	filter string // the --convert-to argument
	env    string // LANG for soffice ("" en-US)
	sheets []sheet
}

const (
	toXLSX  = "xlsx"
	csvUTF8 = "csv:Text - txt - csv (StarCalc):44,34,76,1"
	csvSemi = "csv:Text - txt - csv (StarCalc):59,34,76,1"
	csv1251 = "csv:Text - txt - csv (StarCalc):59,34,34,1"
	csvTab  = "csv:Text - txt - csv (StarCalc):9,34,76,1"
)

func x(name string, sheets ...sheet) form {
	return form{name: name, out: "xlsx", filter: toXLSX, sheets: sheets}
}
func c(name, filter string, s sheet) form {
	return form{name: name, out: "csv", filter: filter, sheets: []sheet{s}}
}

// r is a row.
func r(v ...any) []any { return v }

func main() {
	out := flag.String("out", "", "directory to write the source workbooks and forms.list into")
	flag.Parse()
	if *out == "" {
		log.Fatal("usage: src -out DIR")
	}
	if err := run(*out); err != nil {
		log.Fatal(err)
	}
}

func run(dir string) error {
	list, err := os.Create(filepath.Join(dir, "forms.list"))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(list)
	for _, f := range forms() {
		if err := write(filepath.Join(dir, f.name+".xlsx"), f); err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", f.name, f.out, f.filter, cmp.Or(f.env, "-"))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return list.Close()
}

func write(path string, f form) error {
	x := excelize.NewFile()
	defer x.Close()
	border := []excelize.Border{{Type: "left", Style: 1}, {Type: "right", Style: 1}, {Type: "top", Style: 1}, {Type: "bottom", Style: 1}}
	boxed, err := x.NewStyle(&excelize.Style{Border: border, Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", WrapText: true}})
	if err != nil {
		return err
	}
	for i, s := range f.sheets {
		if i == 0 {
			if err := x.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := x.NewSheet(s.name); err != nil {
			return err
		}
		for _, rg := range s.styled {
			a, b, _ := cut(rg)
			if err := x.SetCellStyle(s.name, a, b, boxed); err != nil {
				return err
			}
		}
		for ri, row := range s.rows {
			for ci, v := range row {
				if v == nil {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(ci+1, ri+1)
				if err := setCell(x, s.name, cell, v); err != nil {
					return err
				}
			}
		}
		for _, m := range s.merges {
			a, b, _ := cut(m)
			if err := x.MergeCell(s.name, a, b); err != nil {
				return err
			}
		}
		for _, col := range s.hidden {
			if err := x.SetColVisible(s.name, col, false); err != nil {
				return err
			}
		}
		for _, row := range s.hrows {
			if err := x.SetRowVisible(s.name, row, false); err != nil {
				return err
			}
		}
		if s.state == "hidden" {
			if err := x.SetSheetVisible(s.name, false); err != nil {
				return err
			}
		}
	}
	return x.SaveAs(path)
}

func setCell(x *excelize.File, sh, cell string, v any) error {
	switch v := v.(type) {
	case date:
		st, err := x.NewStyle(&excelize.Style{CustomNumFmt: &v.fmt})
		if err != nil {
			return err
		}
		if err := x.SetCellValue(sh, cell, time.Date(v.y, time.Month(v.m), v.d, 0, 0, 0, 0, time.UTC)); err != nil {
			return err
		}
		return x.SetCellStyle(sh, cell, cell, st)
	case nf:
		st, err := x.NewStyle(&excelize.Style{CustomNumFmt: &v.fmt})
		if err != nil {
			return err
		}
		if err := x.SetCellFloat(sh, cell, v.v, -1, 64); err != nil {
			return err
		}
		return x.SetCellStyle(sh, cell, cell, st)
	case fx:
		return x.SetCellFormula(sh, cell, string(v))
	case string:
		return x.SetCellStr(sh, cell, v)
	default:
		return x.SetCellValue(sh, cell, v)
	}
}

func cut(rg string) (string, string, bool) {
	for i := range len(rg) {
		if rg[i] == ':' {
			return rg[:i], rg[i+1:], true
		}
	}
	return rg, rg, false
}
