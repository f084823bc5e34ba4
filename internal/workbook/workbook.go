// Package workbook writes workbooks in postdash's canonical long layout: the
// template analysts fill in and the Data sheet of exports. Everything it
// writes imports back through the importer unchanged.
package workbook

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"postdash/internal/postal"
)

// Row is one row of the canonical long layout.
type Row struct {
	postal.Month
	postal.Series
	Items     int64
	HasItems  bool
	WeightKg  float64
	HasWeight bool
}

// ValidLang reports whether lang is a language workbooks can be written in.
func ValidLang(lang Lang) bool {
	_, ok := headers[lang]
	return ok
}

// Headers returns the canonical long layout's column headers in lang.
func Headers(lang Lang) []string { return headers[lang] }

// Word spells a canonical value in lang; unknown values come back as given.
func Word(lang Lang, canonical string) string {
	if w, ok := words[lang][canonical]; ok {
		return w
	}
	return canonical
}

// WriteLong writes rows in the canonical long layout to a new sheet of f (or
// the named existing one), headers in lang. Text that a spreadsheet would take
// for a formula is neutralised.
func WriteLong(f *excelize.File, sheet string, lang Lang, rows []Row) error {
	if !ValidLang(lang) {
		return fmt.Errorf("write long layout: unknown language %q", lang)
	}
	if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
		if _, err := f.NewSheet(sheet); err != nil {
			return fmt.Errorf("add sheet %q: %w", sheet, err)
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("stream sheet %q: %w", sheet, err)
	}
	head := make([]any, 0, 7)
	for _, h := range headers[lang] {
		head = append(head, h)
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, r := range rows {
		dir := ""
		if r.Direction != postal.Unspecified {
			dir = Word(lang, string(r.Direction))
		}
		vals := []any{r.Month.String(), dir, SafeText(Word(lang, r.Partner)), Word(lang, string(r.Category)), SafeText(Word(lang, r.Marketplace)), nil, nil}
		if r.HasItems {
			vals[5] = r.Items
		}
		if r.HasWeight {
			vals[6] = r.WeightKg
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return fmt.Errorf("write row %d: %w", i+2, err)
		}
	}
	return sw.Flush()
}

// formulaStarts are the characters that make a spreadsheet program read
// text as a formula, with the fullwidth forms some East Asian locales accept.
const formulaStarts = "=+-@\t\r＝＋－＠"

// cellBreaks are where a program splitting a CSV line on another separator
// than the one it was written with (Excel in a Russian locale splits on ;)
// or ignoring its quotes would start a new cell.
const cellBreaks = ",;\t\n\r|"

// SafeText neutralises text a spreadsheet program would run as a formula,
// in any locale: an apostrophe goes before =, +, -, @, tab or CR at its
// start and after each separator or line break inside it (spaces between
// do not help).
func SafeText(s string) string {
	var b strings.Builder
	done, start := 0, true // s[:done] is in b
	for i, r := range s {
		if start && strings.ContainsRune(formulaStarts, r) {
			b.WriteString(s[done:i])
			b.WriteByte('\'')
			done = i
		}
		switch {
		case strings.ContainsRune(cellBreaks, r):
			start = true
		case r != ' ':
			start = false
		}
	}
	if done == 0 && b.Len() == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// WriteCSVRecord writes one CSV record separated by sep. A field is quoted
// when it holds a separator of any locale, a quote, a line break, or spaces
// at its ends, so no program splits it into cells of its own.
func WriteCSVRecord(w io.Writer, rec []string, sep rune) error {
	var b strings.Builder
	for i, f := range rec {
		if i > 0 {
			b.WriteRune(sep)
		}
		if strings.ContainsAny(f, ",;\t\r\n\"|") || strings.ContainsRune(f, sep) || strings.HasPrefix(f, " ") || strings.HasSuffix(f, " ") {
			b.WriteByte('"')
			b.WriteString(strings.ReplaceAll(f, `"`, `""`))
			b.WriteByte('"')
		} else {
			b.WriteString(f)
		}
	}
	b.WriteString("\r\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteTemplate writes an empty canonical workbook in lang to w: the Data
// sheet with headers, one example row and drop-down lists, and an
// instructions sheet.
func WriteTemplate(w io.Writer, lang Lang) error {
	if !ValidLang(lang) {
		return fmt.Errorf("template: unknown language %q (want en, ru, uz-Latn or uz-Cyrl)", lang)
	}
	f := excelize.NewFile()
	defer f.Close()
	data, help := sheetNames[lang][0], sheetNames[lang][1]
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return err
	}
	if err := WriteLong(f, data, lang, []Row{exampleRow}); err != nil {
		return err
	}
	lists := []struct {
		col    string
		values []string
	}{
		{"B", canonicalWords(lang, postal.Inbound, postal.Outbound, postal.Transit)},
		{"C", wordsOf(lang, postal.Partners)},
		{"D", canonicalWords(lang, postal.LetterPost, postal.RegisteredLetter, postal.Parcel, postal.EMS, postal.Ecommerce)},
		{"E", wordsOf(lang, postal.Marketplaces)},
	}
	for _, l := range lists {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = l.col + "2:" + l.col + "10000"
		if err := dv.SetDropList(l.values); err != nil {
			return fmt.Errorf("drop-down list %s: %w", l.col, err)
		}
		// Partners and marketplaces may be others than the list's.
		if l.col == "C" || l.col == "E" {
			dv.ShowErrorMessage = false
		}
		if err := f.AddDataValidation(data, dv); err != nil {
			return fmt.Errorf("add drop-down %s: %w", l.col, err)
		}
	}
	if err := f.SetColWidth(data, "A", "G", 18); err != nil {
		return err
	}
	if _, err := f.NewSheet(help); err != nil {
		return err
	}
	for i, line := range instructions[lang] {
		if err := f.SetCellValue(help, fmt.Sprintf("A%d", i+1), line); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(help, "A", "A", 120); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

func canonicalWords[T ~string](lang Lang, vals ...T) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = Word(lang, string(v))
	}
	return out
}

func wordsOf(lang Lang, vals []string) []string { return canonicalWords(lang, vals...) }
