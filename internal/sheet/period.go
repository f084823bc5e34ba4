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
	year, mon, day int // submatch indexes (0: absent)
}

// periodPatterns are the digit forms of a period, tried in order.
var periodPatterns = []periodPattern{
	{regexp.MustCompile(`^(\d{4})-(\d{1,2})$`), 1, 2, 0},
	{regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?$`), 1, 2, 3},
	{regexp.MustCompile(`^(\d{1,2})\.(\d{4})$`), 2, 1, 0},
	{regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$`), 3, 2, 1},
	{regexp.MustCompile(`^(\d{4})\.(\d{1,2})$`), 1, 2, 0},
	{regexp.MustCompile(`^(\d{4})[./](\d{1,2})[./](\d{1,2})$`), 1, 2, 3},
	{regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$`), 3, 2, 1},
	{regexp.MustCompile(`^(\d{4})/(\d{1,2})$`), 1, 2, 0},
	{regexp.MustCompile(`^(\d{1,2})/(\d{4})$`), 2, 1, 0},
	{regexp.MustCompile(`^(\d{1,2})-(\d{4})$`), 2, 1, 0},
}

// periodParser reads period cells; it knows the vocabulary for month names.
type periodParser struct {
	vocab *postal.Matcher
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
		mo, _ := strconv.Atoi(m[pat.mon])
		d := 0
		if pat.day > 0 {
			d, _ = strconv.Atoi(m[pat.day])
			if mo > 12 && d <= 12 && strings.Contains(f, "/") {
				mo, d = d, mo // 06/25/2016: month first, as US programs write
			}
		}
		return makePeriod(y, mo, d)
	}
	if n, err := strconv.Atoi(f); err == nil {
		return yyyymm(n)
	}
	return p.parseWords(f)
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
	if month == 0 || len(short) > 1 {
		return Period{}, errPeriodInvalid
	}
	if len(short) == 1 {
		if year != 0 {
			day = short[0]
		} else if len(toks) == 2 && p.vocab.MonthNumber(toks[0]) != 0 && len(toks[1]) == 2 {
			year = 2000 + short[0] // Mar-25: month then a two-digit year
		} else {
			return Period{}, errPeriodInvalid
		}
	}
	if year == 0 {
		return Period{}, errPeriodInvalid
	}
	return makePeriod(year, month, day)
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

// parseCell reads a period cell of any kind.
func (p periodParser) parseCell(c rawCell, date1904 bool) (Period, error) {
	switch c.Kind {
	case kindNumber:
		v, err := strconv.ParseFloat(strings.TrimSpace(c.Value), 64)
		if err != nil {
			return Period{}, errPeriodInvalid
		}
		return parseSerialPeriod(v, date1904)
	case kindDate:
		return p.parseText(c.Value)
	case kindString:
		s := strings.TrimSpace(c.Value)
		if v, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, ".,") && len(s) != 4 {
			return parseSerialPeriod(v, date1904) // a serial or YYYYMM written as text
		}
		return p.parseText(s)
	}
	return Period{}, errPeriodInvalid
}

// inRange reports whether m is a plausible month: from 1990 up to a year after now.
func inRange(m postal.Month, now time.Time) bool {
	limit := postal.Month{Year: now.Year(), Month: int(now.Month())}.Add(12)
	return m.Year >= 1990 && !limit.Before(m)
}
