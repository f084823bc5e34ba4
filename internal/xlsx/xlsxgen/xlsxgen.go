// Package xlsxgen writes synthetic workbooks for benchmarks and tests: long
// item-level postal manifests (one row per item) and wide monthly sheets.
// Every value is a pure function of the seed and the row number, so a test
// can check what a reader returns against Record without keeping the file's
// contents in memory.
package xlsxgen

import (
	"fmt"
	"time"
)

// ManifestHeader returns the header row of a manifest sheet.
func ManifestHeader() []string {
	return []string{"Date", "Direction", "Partner", "Category", "Marketplace", "Items", "Weight kg"}
}

// Values the manifest columns draw from; an empty marketplace leaves the
// cell out.
var (
	directions   = []string{"inbound", "outbound", "transit"}
	partners     = []string{"China Post", "Latvia Post", "Vanuatu Post", "Xitoy pochtasi", "Почта Китая"}
	categories   = []string{"parcels", "EMS", "e-commerce", "letters", "registered letters"}
	marketplaces = []string{"AliExpress", "Temu", "Shein", ""}
)

// firstDay is the earliest date in a manifest and the first wide period.
func firstDay() time.Time { return time.Date(2023, time.January, 1, 0, 0, 0, 0, time.UTC) }

// Manifest describes an item-level manifest workbook: a header row and Rows
// data rows on one sheet.
type Manifest struct {
	Rows     int    // data rows below the header
	Seed     uint64 // varies the values
	Sheet    string // sheet name; "Manifest" when empty
	Inline   bool   // write with excelize's StreamWriter (inline strings) instead of shared strings
	Date1904 bool   // use the 1904 date system
}

// Record is one manifest row.
type Record struct {
	Date        time.Time
	Direction   string
	Partner     string
	Category    string
	Marketplace string // empty: the cell is left out
	Items       int
	WeightGrams int // the weight in kg is WeightGrams/1000, written with up to three decimals
}

// WeightKg is the weight cell's text as the sheet stores it.
func (r Record) WeightKg() string {
	s := fmt.Sprintf("%d.%03d", r.WeightGrams/1000, r.WeightGrams%1000)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// Record returns data row i (0-based, below the header).
func (m Manifest) Record(i int) Record {
	h := mix(m.Seed, uint64(i))
	pick := func(vals []string, shift uint) string { return vals[(h>>shift)%uint64(len(vals))] }
	return Record{
		Date:        firstDay().AddDate(0, 0, int((h>>40)%1000)),
		Direction:   pick(directions, 0),
		Partner:     pick(partners, 8),
		Category:    pick(categories, 16),
		Marketplace: pick(marketplaces, 24),
		Items:       1 + int((h>>32)%5),
		WeightGrams: 1 + int((h>>48)%30000),
	}
}

func (m Manifest) sheetName() string {
	if m.Sheet == "" {
		return "Manifest"
	}
	return m.Sheet
}

// Wide describes a wide sheet: a Period column of month texts down the rows
// and Cols measure columns across, each named like "Parcels inbound, kg 7".
type Wide struct {
	Rows   int
	Cols   int
	Seed   uint64
	Sheet  string // "Wide" when empty
	Inline bool   // write with excelize's StreamWriter instead of shared strings
}

// Header returns the header row of a wide sheet.
func (w Wide) Header() []string {
	h := make([]string, 0, w.Cols+1)
	h = append(h, "Period")
	for c := range w.Cols {
		h = append(h, fmt.Sprintf("%s %s, kg %d", categories[c%len(categories)], directions[(c/len(categories))%len(directions)], c+1))
	}
	return h
}

// Period is row i's period text ("2025-03").
func (w Wide) Period(i int) string {
	return firstDay().AddDate(0, i, 0).Format("2006-01")
}

// Value is the number in data row i, measure column c (0-based), or -1 when
// the cell is left empty.
func (w Wide) Value(i, c int) int {
	h := mix(w.Seed, uint64(i)<<20|uint64(c))
	if h%7 == 0 {
		return -1
	}
	return int(h>>8) % 100000
}

func (w Wide) sheetName() string {
	if w.Sheet == "" {
		return "Wide"
	}
	return w.Sheet
}

// mix is splitmix64 over the seed and a counter.
func mix(seed, n uint64) uint64 {
	z := seed + 0x9E3779B97F4A7C15*(n+1)
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// Serial is the date serial of t in the 1900 or 1904 date system.
func Serial(t time.Time, date1904 bool) int {
	epoch := time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		epoch = time.Date(1904, time.January, 1, 0, 0, 0, 0, time.UTC)
	}
	return int(t.Sub(epoch).Hours() / 24)
}
