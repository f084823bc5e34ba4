package sheet

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"postdash/internal/postal"
)

// Period is a parsed period cell: a month, and the day when one was given.
type Period struct {
	Month postal.Month
	Day   int // 0 when only a month was given
}

// Reasons a period cell is not acceptable.
var (
	errPeriodInvalid    = errors.New("not a period")
	errPeriodImpossible = errors.New("impossible date")
)

// periodPattern is one way to write a period as digits.
type periodPattern struct {
	re             *regexp.Regexp
	year, mon, day int  // submatch indexes (0: absent)
	shortYear      bool // the year has two digits (01.01.25)
	slash          bool // d/m/y: the order of day and month depends on the writer
}

// periodPatterns are the digit forms of a period, tried in order.
var periodPatterns = []periodPattern{
	{re: regexp.MustCompile(`^(\d{4})-(\d{1,2})$`), year: 1, mon: 2},
	{re: regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$`), year: 1, mon: 2, day: 3},
	{re: regexp.MustCompile(`^(\d{1,2})\.(\d{4})$`), year: 2, mon: 1},
	{re: regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$`), year: 3, mon: 2, day: 1},
	{re: regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?$`), year: 3, mon: 2, day: 1, shortYear: true},
	{re: regexp.MustCompile(`^(\d{4})\.(\d{1,2})$`), year: 1, mon: 2},
	{re: regexp.MustCompile(`^(\d{4})[./](\d{1,2})[./](\d{1,2})$`), year: 1, mon: 2, day: 3},
	{re: regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?(?: ?[ap]m)?)?$`), year: 3, mon: 2, day: 1, slash: true},
	{re: regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?(?: ?[ap]m)?)?$`), year: 3, mon: 2, day: 1, shortYear: true, slash: true},
	{re: regexp.MustCompile(`^(\d{4})/(\d{1,2})$`), year: 1, mon: 2},
	{re: regexp.MustCompile(`^(\d{1,2})/(\d{4})$`), year: 2, mon: 1},
	{re: regexp.MustCompile(`^(\d{1,2})-(\d{4})$`), year: 2, mon: 1},
}

// twoDigitYear reads a year written with two digits as spreadsheet programs
// do: 00–29 are 2000–2029, 30–99 are 1930–1999.
func twoDigitYear(y int) int {
	if y < 30 {
		return 2000 + y
	}
	return 1900 + y
}

// periodParser reads period cells; it knows the vocabulary for month names.
type periodParser struct {
	vocab *postal.Matcher
	// monthFirst reads d/m/y dates as m/d/y, the order programs in a US
	// locale write (1/15/2025); see slashOrder.
	monthFirst bool
}

// parseText reads a period written as text: digit forms (2025-03, 03.2025,
// 14.03.2025, 14/03/2025, 2025.03 ...), YYYYMM, or a month name with a year in
// any of the four languages (March 2025, mart 2025, марта 2025 г., Mar-25).
func (p periodParser) parseText(s string) (Period, error) {
	f := postal.Fold(s)
	f = strings.TrimSuffix(strings.TrimSuffix(f, "."), " г")
	for _, pat := range periodPatterns {
		m := pat.re.FindStringSubmatch(f)
		if m == nil {
			continue
		}
		y, _ := strconv.Atoi(m[pat.year])
		if pat.shortYear {
			y = twoDigitYear(y)
		}
		mo, _ := strconv.Atoi(m[pat.mon])
		d := 0
		if pat.day > 0 {
			d, _ = strconv.Atoi(m[pat.day])
		}
		if pat.slash && p.monthFirst {
			mo, d = d, mo
		}
		if pat.slash && mo > 12 && d <= 12 {
			mo, d = d, mo // the other order is the only possible one
		}
		return makePeriod(y, mo, d)
	}
	if n, err := strconv.Atoi(f); err == nil {
		return yyyymm(n)
	}
	return p.parseWords(f)
}

// slashDate returns the first two numbers of a d/m/y (or m/d/y) date, for
// deciding which order a column uses.
func slashDate(s string) (a, b int, ok bool) {
	f := postal.Fold(s)
	for _, pat := range periodPatterns {
		if !pat.slash {
			continue
		}
		if m := pat.re.FindStringSubmatch(f); m != nil {
			a, _ = strconv.Atoi(m[1])
			b, _ = strconv.Atoi(m[2])
			return a, b, true
		}
	}
	return 0, 0, false
}

// parseWords reads a month name with a year, in any order, with an optional
// day and year words (`18 октября 2023 г.`, `2025-yil mart`, `Mar-25`).
func (p periodParser) parseWords(folded string) (Period, error) {
	toks := postal.Tokens(folded)
	month, year, day := 0, 0, 0
	var short []int // 1-2 digit numbers: a day, or a two-digit year
	for _, t := range toks {
		switch {
		case allDigits(t) && len(t) == 4:
			if year != 0 {
				return Period{}, errPeriodInvalid
			}
			year, _ = strconv.Atoi(t)
		case allDigits(t) && len(t) <= 2:
			n, _ := strconv.Atoi(t)
			short = append(short, n)
		case isYearWord(t):
		default:
			m := p.vocab.MonthNumber(t)
			if m == 0 || month != 0 {
				return Period{}, errPeriodInvalid
			}
			month = m
		}
	}
	switch {
	case month == 0 || len(short) > 2:
		return Period{}, errPeriodInvalid
	case len(short) == 2 && year == 0 && len(toks) == 3 && len(toks[2]) == 2 && p.vocab.MonthNumber(toks[1]) != 0:
		day, year = short[0], twoDigitYear(short[1]) // 1-Jan-25: day, month, two-digit year
	case len(short) == 2:
		return Period{}, errPeriodInvalid
	case len(short) == 1 && year != 0:
		day = short[0]
	case len(short) == 1 && len(toks) == 2 && p.vocab.MonthNumber(toks[0]) != 0 && len(toks[1]) == 2:
		year = twoDigitYear(short[0]) // Mar-25: month then a two-digit year
	case len(short) == 1:
		return Period{}, errPeriodInvalid
	}
	if year == 0 {
		return Period{}, errPeriodInvalid
	}
	return makePeriod(year, month, day)
}

// parseYear reads a year cell: a whole number, or text with the word for
// year (2025, 2025 г., 2025-yil).
func parseYear(c rawCell) (int, bool) {
	switch c.Kind {
	case kindNumber:
		v, err := strconv.ParseFloat(strings.TrimSpace(c.Value), 64)
		if err != nil || v != math.Trunc(v) || v < 1000 || v > 9999 {
			return 0, false
		}
		return int(v), true
	case kindString:
		year := 0
		for _, t := range postal.Tokens(postal.Fold(c.Value)) {
			switch {
			case allDigits(t) && len(t) == 4 && year == 0:
				year = atoi(t)
			case !isYearWord(t):
				return 0, false
			}
		}
		return year, year != 0
	}
	return 0, false
}

func isYearWord(t string) bool {
	for _, w := range postal.YearWords {
		if t == w {
			return true
		}
	}
	return false
}

// yyyymm reads an integer like 202503.
func yyyymm(n int) (Period, error) {
	if n < 100001 || n > 999912 {
		return Period{}, errPeriodInvalid
	}
	return makePeriod(n/100, n%100, 0)
}

// makePeriod checks that the date exists.
func makePeriod(y, mo, d int) (Period, error) {
	if y < 1000 || y > 9999 || mo < 1 || mo > 12 {
		return Period{}, errPeriodImpossible
	}
	if d != 0 {
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if d < 1 || t.Day() != d {
			return Period{}, errPeriodImpossible
		}
	}
	return Period{Month: postal.Month{Year: y, Month: mo}, Day: d}, nil
}

// parseNumber reads a numeric period cell: YYYYMM, or a date serial in the
// workbook's date system.
func parseSerialPeriod(v float64, date1904 bool) (Period, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 1 || v > 2958465 {
		return Period{}, errPeriodInvalid
	}
	if v == math.Trunc(v) && v >= 100001 && v <= 999912 {
		return yyyymm(int(v))
	}
	if v != math.Trunc(v) && (v < 32 || v >= 1900 && v < 2200) {
		// Not a plausible date (those serials fall in 1900 and 1905): the
		// text 01.2025 or 2025.03 that a program took for a decimal number.
		return decimalPeriod(v)
	}
	days := int(math.Floor(v))
	var t time.Time
	if date1904 {
		t = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
	} else {
		// Excel counts 1900-02-29, a day that never was; serial 60 is that day.
		if days == 60 {
			return Period{}, errPeriodImpossible
		}
		if days > 60 {
			days--
		}
		t = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
	}
	return Period{Month: postal.Month{Year: t.Year(), Month: int(t.Month())}, Day: t.Day()}, nil
}

// decimalPeriod reads M.YYYY or YYYY.MM from a number, whose trailing zero
// may be lost (10.2020 is stored as 10.202, 2025.10 as 2025.1).
func decimalPeriod(v float64) (Period, error) {
	text := strconv.FormatFloat(v, 'f', -1, 64)
	k := strings.IndexByte(text, '.')
	whole, _ := strconv.Atoi(text[:k])
	frac := text[k+1:]
	n, _ := strconv.Atoi(frac)
	switch {
	case v < 13 && len(frac) == 4:
		return makePeriod(n, whole, 0)
	case v < 13 && len(frac) == 3:
		return makePeriod(n*10, whole, 0)
	case v >= 1900 && len(frac) == 2:
		return makePeriod(whole, n, 0)
	case v >= 1900 && frac == "1":
		return makePeriod(whole, 10, 0)
	}
	return Period{}, errPeriodInvalid
}

// parseCell reads a period cell of any kind.
func (p periodParser) parseCell(c rawCell, date1904 bool) (Period, error) {
	switch c.Kind {
	case kindNumber:
		v, err := strconv.ParseFloat(strings.TrimSpace(c.Value), 64)
		if err != nil {
			return Period{}, errPeriodInvalid
		}
		if c.Fmt != fmtDate {
			// A plain number (45717 in General format) is no period: only a
			// date-formatted cell is a date serial (section 6). YYYYMM, and
			// 01.2025 or 2025.03 that a program took for a decimal, still are.
			switch {
			case v == math.Trunc(v):
				return yyyymm(int(v))
			case v < 32 || v >= 1900 && v < 2200:
				return decimalPeriod(v)
			}
			return Period{}, errPeriodInvalid
		}
		return parseSerialPeriod(v, date1904)
	case kindDate:
		return p.parseText(c.Value)
	case kindString:
		s := strings.TrimSpace(c.Value)
		if n, err := strconv.Atoi(s); err == nil && len(s) == 6 {
			return yyyymm(n) // YYYYMM written as text; other digits are no period
		}
		if _, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, ".,") && len(s) != 4 {
			return Period{}, errPeriodInvalid // `45717` as text: no formatting makes it a date
		}
		return p.parseText(s)
	}
	return Period{}, errPeriodInvalid
}

// inRange reports whether m is a plausible month: from 1990 up to a year after now.
func inRange(m postal.Month, now time.Time) bool { return inRangeOf(m, latestMonth(now)) }

// latestMonth is the last plausible month: a year after now's.
func latestMonth(now time.Time) postal.Month {
	return postal.Month{Year: now.Year(), Month: int(now.Month())}.Add(12)
}

// inRangeOf is inRange with now's latestMonth computed once (a row's period
// is checked for every row).
func inRangeOf(m postal.Month, latest postal.Month) bool {
	return m.Year >= 1990 && !latest.Before(m)
}
