// Command gen writes the sample workbook data/uz-cn-post-2025-h1.xlsx.
//
// Only the half-year totals are published; the monthly split is illustrative
// and chosen so that the totals reproduce the published figures exactly:
// letter post in + out 3,085 kg, registered letters 6,014 items, e-commerce
// postal items inbound 226.5 t.
package main

import (
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/xuri/excelize/v2"
)

// ecommerce columns: partner and marketplace, with each column's share of a month.
var ecommerce = []struct {
	partner, market string
	share           float64
}{
	{"Хитой почтаси", "AliExpress", 0.30},
	{"Хитой почтаси", "Temu", 0.22},
	{"Хитой почтаси", "Shein", 0.10},
	{"Латвия почтаси", "AliExpress", 0.12},
	{"Латвия почтаси", "Temu", 0.08},
	{"Вануату почтаси", "Temu", 0.11},
	{"Вануату почтаси", "Shein", 0.07},
}

var (
	lettersIn       = []int{198, 176, 221, 205, 232, 214} // kg, sum 1,246
	lettersOut      = []int{287, 301, 312, 298, 321, 320} // kg, sum 1,839
	registeredIn    = []int{512, 468, 540, 501, 530, 519} // items, sum 3,070
	registeredOut   = []int{470, 455, 498, 502, 515, 504} // items, sum 2,944
	ecommerceTenths = []int{330, 352, 371, 389, 401, 422} // tenths of a tonne, sum 2,265
)

func main() {
	out := flag.String("out", "data/uz-cn-post-2025-h1.xlsx", "where to write the workbook")
	flag.Parse()
	if err := write(*out); err != nil {
		log.Fatal(err)
	}
}

func write(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "2025 I ярим йиллик"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	lastCol := 5 + len(ecommerce) // A month, B–C letters, D–E registered, F.. e-commerce
	last, _ := excelize.ColumnNumberToName(lastCol)

	set := func(cell string, v any) {
		if err := f.SetCellValue(sh, cell, v); err != nil {
			log.Fatal(err)
		}
	}
	merge := func(a, b string) {
		if err := f.MergeCell(sh, a, b); err != nil {
			log.Fatal(err)
		}
	}
	set("A1", "Ўзбекистон – Хитой: почта алоқаси кўрсаткичлари, 2025 йил I ярим йиллик")
	merge("A1", last+"1")
	set("A2", "Манба: «Ўзбекистон почтаси» АЖ ҳисоботлари (ойлар бўйича тақсимот тахминий)")
	merge("A2", last+"2")

	// Two-row header: group titles over sub-headers.
	set("A4", "Ой")
	merge("A4", "A5")
	set("B4", "Хат-хабарлар (Хитой почтаси), кг")
	merge("B4", "C4")
	set("B5", "кирувчи")
	set("C5", "чиқувчи")
	set("D4", "Буюртма хатлар (Хитой почтаси), дона")
	merge("D4", "E4")
	set("D5", "кирувчи")
	set("E5", "чиқувчи")
	set("F4", "Интернет-дўкон жўнатмалари, кирувчи, т")
	merge("F4", last+"4")
	for i, c := range ecommerce {
		col, _ := excelize.ColumnNumberToName(6 + i)
		set(col+"5", c.partner+", "+c.market)
	}

	monthStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("mmmm yyyy")})
	if err != nil {
		return err
	}
	tonneStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("0.0")})
	if err != nil {
		return err
	}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", WrapText: true}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, "A4", last+"5", headStyle); err != nil {
		return err
	}

	sums := make([]float64, lastCol+1)
	for m := 0; m < 6; m++ {
		row := 6 + m
		set(fmt.Sprintf("A%d", row), time.Date(2025, time.Month(m+1), 1, 0, 0, 0, 0, time.UTC))
		if err := f.SetCellStyle(sh, fmt.Sprintf("A%d", row), fmt.Sprintf("A%d", row), monthStyle); err != nil {
			return err
		}
		ints := []int{lettersIn[m], lettersOut[m], registeredIn[m], registeredOut[m]}
		for i, v := range ints {
			col, _ := excelize.ColumnNumberToName(2 + i)
			set(fmt.Sprintf("%s%d", col, row), v)
			sums[2+i] += float64(v)
		}
		for i, tenths := range splitTenths(ecommerceTenths[m]) {
			col, _ := excelize.ColumnNumberToName(6 + i)
			cell := fmt.Sprintf("%s%d", col, row)
			v := float64(tenths) / 10
			set(cell, v)
			if err := f.SetCellStyle(sh, cell, cell, tonneStyle); err != nil {
				return err
			}
			sums[6+i] += float64(tenths)
		}
	}
	total := 12
	set(fmt.Sprintf("A%d", total), "Жами")
	for c := 2; c <= lastCol; c++ {
		col, _ := excelize.ColumnNumberToName(c)
		cell := fmt.Sprintf("%s%d", col, total)
		formula := fmt.Sprintf("SUM(%s6:%s11)", col, col)
		if err := f.SetCellFormula(sh, cell, formula); err != nil {
			return err
		}
		v := sums[c]
		if c >= 6 {
			v /= 10
			if err := f.SetCellStyle(sh, cell, cell, tonneStyle); err != nil {
				return err
			}
		}
		// Cache the formula's value, as a spreadsheet program would on save.
		set(cell, v)
		if err := f.SetCellFormula(sh, cell, formula); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sh, "A", "A", 16); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "B", last, 14); err != nil {
		return err
	}

	notes := "Изоҳлар"
	if _, err := f.NewSheet(notes); err != nil {
		return err
	}
	lines := []string{
		"Фақат ярим йиллик жамилар эълон қилинган: хат-хабарлар (кирувчи ва чиқувчи) 3 085 кг, буюртма хатлар 6 014 дона, 226 тоннадан ортиқ почта жўнатмалари етказилган.",
		"Манба: Ўзбекистон Республикасининг Япониядаги элчихонаси, ўзбек–хитой рақамли ҳамкорлиги ҳақидаги мақола.",
		"Ойлар бўйича тақсимот намуна учун тахминий берилган; ярим йиллик жамилари эълон қилинган рақамларга тенг.",
		"Only the half-year totals are published (source: the Embassy of Uzbekistan in Japan, article on Uzbek–Chinese digital cooperation). The monthly split is illustrative.",
	}
	for i, l := range lines {
		set2 := func(cell string, v any) error { return f.SetCellValue(notes, cell, v) }
		if err := set2(fmt.Sprintf("A%d", i+1), l); err != nil {
			return err
		}
	}
	return f.SaveAs(path)
}

// splitTenths splits a month's e-commerce tenths of a tonne across the columns
// by their shares; the last column takes the rounding remainder so the month adds up.
func splitTenths(total int) []int {
	parts := make([]int, len(ecommerce))
	left := total
	for i, c := range ecommerce[:len(ecommerce)-1] {
		parts[i] = int(float64(total)*c.share + 0.5)
		left -= parts[i]
	}
	parts[len(parts)-1] = left
	return parts
}

func ptr[T any](v T) *T { return &v }
