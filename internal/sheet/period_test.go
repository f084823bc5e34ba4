package sheet

import (
	"testing"

	"postdash/internal/postal"
)

func TestParsePeriodText(t *testing.T) {
	pp := periodParser{vocab: postal.DefaultMatcher()}
	tests := []struct {
		in   string
		want string // YYYY-MM, or "" for an error
		day  int
		err  error
	}{
		{"2025-03", "2025-03", 0, nil},
		{"2025-03-14", "2025-03", 14, nil},
		{"2014-02-14T08:27:48.765Z", "2014-02", 14, nil},
		{"2014-03-26 11:39:23", "2014-03", 26, nil},
		{"03.2025", "2025-03", 0, nil},
		{"3.2025", "2025-03", 0, nil},
		{"14.03.2025", "2025-03", 14, nil},
		{"2025.03", "2025-03", 0, nil},
		{"14/03/2025", "2025-03", 14, nil},
		{"06/25/2016", "2016-06", 25, nil}, // month first, as US programs write
		{"2025/03", "2025-03", 0, nil},
		{"03/2025", "2025-03", 0, nil},
		{"202503", "2025-03", 0, nil},
		{"March 2025", "2025-03", 0, nil},
		{"mart 2025", "2025-03", 0, nil},
		{"март 2025", "2025-03", 0, nil},
		{"Январь 2025", "2025-01", 0, nil},
		{"января 2025 г.", "2025-01", 0, nil},
		{"18 октября 2023 г.", "2023-10", 18, nil},
		{"2025-yil mart", "2025-03", 0, nil},
		{"2025 йил Март", "2025-03", 0, nil},
		{"Mar-25", "2025-03", 0, nil},
		{"Sep 2024", "2024-09", 0, nil},
		{"dekabr 2024", "2024-12", 0, nil},
		// Two-digit years, as programs show date cells (dd.mm.yy, d-mmm-yy, m/d/yy).
		{"01.01.25", "2025-01", 1, nil},
		{"15.03.99", "1999-03", 15, nil},
		{"1-Jan-25", "2025-01", 1, nil},
		{"15-янв-25", "2025-01", 15, nil},
		{"1/15/25", "2025-01", 15, nil},
		{"31.02.25", "", 0, errPeriodImpossible},
		{"31.02.2025", "", 0, errPeriodImpossible},
		{"2025-13", "", 0, errPeriodImpossible},
		{"29.02.2023", "", 0, errPeriodImpossible},
		{"29.02.2024", "2024-02", 29, nil},
		{"25-Mar", "", 0, errPeriodInvalid}, // a day and a month: no year
		{"March", "", 0, errPeriodInvalid},
		{"2025", "", 0, errPeriodInvalid},
		{"March April 2025", "", 0, errPeriodInvalid},
		{"hello", "", 0, errPeriodInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := pp.parseText(tt.in)
			if err != tt.err {
				t.Fatalf("parseText(%q) error = %v, want %v", tt.in, err, tt.err)
			}
			if err == nil && (p.Month.String() != tt.want || p.Day != tt.day) {
				t.Errorf("parseText(%q) = %s day %d, want %s day %d", tt.in, p.Month, p.Day, tt.want, tt.day)
			}
		})
	}
}

func TestParsePeriodDateSerial(t *testing.T) {
	pp := periodParser{vocab: postal.DefaultMatcher()}
	tests := []struct {
		name     string
		cell     rawCell
		date1904 bool
		want     string
		day      int
	}{
		{"1900 system", rawCell{Kind: kindNumber, Fmt: fmtDate, Value: "45717"}, false, "2025-03", 1},
		{"1900 system with a time", rawCell{Kind: kindNumber, Fmt: fmtDate, Value: "45717.75"}, false, "2025-03", 1},
		{"1904 system", rawCell{Kind: kindNumber, Fmt: fmtDate, Value: "44255"}, true, "2025-03", 1},
		{"YYYYMM integer", rawCell{Kind: kindNumber, Value: "202503"}, false, "2025-03", 0},
		{"ISO date cell", rawCell{Kind: kindDate, Value: "2025-03-01T00:00:00Z"}, false, "2025-03", 1},
		// A program that read the text 01.2025 or 2025.03 as a decimal number.
		{"M.YYYY turned into a number", rawCell{Kind: kindNumber, Value: "1.2025"}, false, "2025-01", 0},
		{"MM.YYYY turned into a number", rawCell{Kind: kindNumber, Value: "10.2025"}, false, "2025-10", 0},
		{"MM.YYYY losing the year's last zero", rawCell{Kind: kindNumber, Value: "11.202"}, false, "2020-11", 0},
		{"YYYY.MM turned into a number", rawCell{Kind: kindNumber, Value: "2025.03"}, false, "2025-03", 0},
		{"YYYY.MM losing the month's last zero", rawCell{Kind: kindNumber, Value: "2025.1"}, false, "2025-10", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := pp.parseCell(tt.cell, tt.date1904)
			if err != nil || p.Month.String() != tt.want || p.Day != tt.day {
				t.Errorf("parseCell(%+v) = %s day %d, %v; want %s day %d", tt.cell, p.Month, p.Day, err, tt.want, tt.day)
			}
		})
	}
	for _, c := range []rawCell{{Kind: kindBool, Value: "1"}, {Kind: kindError, Value: "#N/A"}, {Kind: kindNumber, Value: "-3"}, {Kind: kindNumber, Value: "60"}, {Kind: kindNumber, Value: "2025.2"}, {Kind: kindNumber, Value: "13.2025"}, {Kind: kindNumber, Value: "2025.13"},
		// A plain number is no date: only a date-formatted cell is a serial
		// (section 6), and text has no formatting (a CSV's "45717").
		{Kind: kindNumber, Value: "45717"}, {Kind: kindNumber, Value: "45717.75"}, {Kind: kindString, Value: "45717"}} {
		if _, err := pp.parseCell(c, false); err == nil {
			t.Errorf("parseCell(%+v) accepted", c)
		}
	}
}

func TestPeriodRange(t *testing.T) {
	tests := []struct {
		m    postal.Month
		want bool
	}{
		{postal.Month{Year: 1989, Month: 12}, false},
		{postal.Month{Year: 1990, Month: 1}, true},
		{postal.Month{Year: 2027, Month: 1}, true}, // a year after 2026-01
		{postal.Month{Year: 2027, Month: 2}, false},
	}
	for _, tt := range tests {
		if got := inRange(tt.m, testNow); got != tt.want {
			t.Errorf("inRange(%s) = %v, want %v", tt.m, got, tt.want)
		}
	}
}

func FuzzParsePeriod(f *testing.F) {
	pp := periodParser{vocab: postal.DefaultMatcher()}
	for _, s := range []string{"2025-03", "14.03.2025", "March 2025", "марта 2025 г.", "Mar-25", "45717", "202503", "2025-yil mart", "31/12/2024"} {
		f.Add(s, uint8(kindString), false)
	}
	for _, s := range []string{"1/15/25", "1-Jan-25", "01.01.25", "Январь", "2025 йил"} {
		f.Add(s, uint8(kindString), false)
	}
	for _, s := range []string{"1.2025", "2025.1", "11.202", "12.99999"} {
		f.Add(s, uint8(kindNumber), false)
	}
	f.Add("45717.5", uint8(kindNumber), true)
	f.Add("2014-02-14T08:27:48.765Z", uint8(kindDate), false)
	f.Fuzz(func(t *testing.T, s string, kind uint8, date1904 bool) {
		p, err := pp.parseCell(rawCell{Kind: cellKind(kind % 5), Value: s}, date1904)
		if err != nil {
			return
		}
		if p.Month.Month < 1 || p.Month.Month > 12 || p.Day < 0 || p.Day > 31 {
			t.Fatalf("parseCell(%q) = %+v: impossible month", s, p)
		}
		if _, err := postal.ParseMonth(p.Month.String()); err != nil && p.Month.Year >= 1900 && p.Month.Year <= 2999 {
			t.Fatalf("parseCell(%q) = %s does not format as YYYY-MM", s, p.Month)
		}
	})
}
