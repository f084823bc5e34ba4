package i18n

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// FormatNumber writes v rounded to decimals places (half away from zero, on
// the shortest decimal form of v, so 1.005 gives 1.01) with the language's
// digit grouping and decimal mark: "3 085" and "226,5" in uz and ru (the
// group separator is a no-break space), "3,085" and "226.5" in English.
// A negative decimals counts as 0. NaN is written "—".
func FormatNumber(l Lang, v float64, decimals int) string {
	info := l.info()
	switch {
	case math.IsNaN(v):
		return "—"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "-∞"
	}
	if decimals < 0 {
		decimals = 0
	}
	neg := v < 0
	intPart, frac := roundDecimal(strconv.FormatFloat(math.Abs(v), 'f', -1, 64), decimals)
	if strings.Trim(intPart+frac, "0") == "" {
		neg = false // no "-0"
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(group(intPart, info.thousands))
	if decimals > 0 {
		b.WriteString(info.decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// roundDecimal rounds the plain decimal s ("1234.5678") to decimals places,
// half away from zero, and returns its integer digits and exactly decimals
// fraction digits.
func roundDecimal(s string, decimals int) (intPart, frac string) {
	intPart, frac, _ = strings.Cut(s, ".")
	if len(frac) <= decimals {
		return intPart, frac + strings.Repeat("0", decimals-len(frac))
	}
	roundUp := frac[decimals] >= '5'
	digits := []byte(intPart + frac[:decimals])
	if roundUp {
		i := len(digits) - 1
		for ; i >= 0 && digits[i] == '9'; i-- {
			digits[i] = '0'
		}
		if i >= 0 {
			digits[i]++
		} else {
			digits = append([]byte{'1'}, digits...)
		}
	}
	n := len(digits) - decimals
	return string(digits[:n]), string(digits[n:])
}

// group inserts sep between groups of three digits.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(digits[:first])
	for i := first; i < len(digits); i += 3 {
		b.WriteString(sep)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// FormatKg writes a weight in kilograms with the unit: "3 085 kg",
// "3 085 кг". Whole kilograms from 100 kg up; below that one decimal when
// it is not zero ("12,5 kg", "12 kg"). A no-break space keeps number and unit
// on one line in every language.
func FormatKg(l Lang, kg float64) string {
	decimals := 0
	if math.Abs(kg) < 100 {
		if _, tenths := roundDecimal(strconv.FormatFloat(math.Abs(kg), 'f', -1, 64), 1); tenths != "0" {
			decimals = 1
		}
	}
	return FormatNumber(l, kg, decimals) + nbsp + l.info().kg
}

// FormatTonnes writes a weight in tonnes with the unit: "226,5 t", "226,5 т".
func FormatTonnes(l Lang, t float64, decimals int) string {
	return FormatNumber(l, t, decimals) + nbsp + l.info().tonnes
}

// FormatItems writes a count with digit grouping and no unit: "6 014";
// callers add the unit word from the catalog.
func FormatItems(l Lang, n int64) string {
	s := strconv.FormatInt(n, 10)
	if neg := strings.HasPrefix(s, "-"); neg {
		return "-" + group(s[1:], l.info().thousands)
	}
	return group(s, l.info().thousands)
}

// NumberJS returns the digit group separator and decimal mark of l, for
// numbers formatted in the browser (chart tooltips).
func NumberJS(l Lang) (thousands, decimal string) {
	info := l.info()
	return info.thousands, info.decimal
}

// MonthName returns the full name of month m (1–12) in the nominative, as
// it stands alone: "January", "yanvar", "январ", "январь". Out of range
// gives the number.
func MonthName(l Lang, m int) string {
	if m < 1 || m > 12 {
		return strconv.Itoa(m)
	}
	return l.info().months[m-1]
}

// MonthShort returns the abbreviated name of month m (1–12) for chart axes:
// "Jan", "yan", "янв". Out of range gives the number.
func MonthShort(l Lang, m int) string {
	if m < 1 || m > 12 {
		return strconv.Itoa(m)
	}
	return l.info().short[m-1]
}

// FormatMonth writes a month of a year: "March 2025", "2025-yil mart",
// "2025 йил март", "март 2025".
func FormatMonth(l Lang, year, month int) string {
	return strings.NewReplacer("{year}", strconv.Itoa(year), "{month}", MonthName(l, month)).Replace(l.info().month)
}

// FormatYear names a whole year: "2025", "2025 год", "2025-yil", "2025 йил".
func FormatYear(l Lang, year int) string {
	return strings.ReplaceAll(l.info().year, "{year}", strconv.Itoa(year))
}

// FormatDate writes the calendar date of t: "26 November 2026",
// "26 ноября 2026 г.", "2026-yil 26-noyabr", "2026 йил 26 ноябр".
func FormatDate(l Lang, t time.Time) string {
	info := l.info()
	month := MonthName(l, int(t.Month()))
	if of := info.of[t.Month()-1]; of != "" {
		month = of
	}
	return strings.NewReplacer("{year}", strconv.Itoa(t.Year()), "{month}", month, "{day}", strconv.Itoa(t.Day())).Replace(info.date)
}

// FormatDateTime writes the date of t and its time of day to the minute:
// "26 ноября 2026 г., 01:45". The caller names the time zone.
func FormatDateTime(l Lang, t time.Time) string {
	return FormatDate(l, t) + ", " + t.Format("15:04")
}
