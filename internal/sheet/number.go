package sheet

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"

	"postdash/internal/postal"
)

// Number is a parsed measure cell.
type Number struct {
	Value    float64
	Decimals int    // digits written after the decimal mark (rounding of totals)
	Unit     string // unit written after the number, folded ("" when none)
	Mark     string // a footnote mark after the number (`*`, `¹`, `(p)`), or ""
}

// cutMark cuts a footnote mark off the end of a number's text: `221*`,
// `221**`, `221*)`, `221¹`, `221 (p)`, `221 (1)`.
func cutMark(s string) (string, string) {
	t := s
	if strings.HasSuffix(t, ")") {
		if k := strings.LastIndex(t, "("); k > 0 {
			inner := t[k+1 : len(t)-1]
			if n := len([]rune(inner)); n == 1 {
				r, _ := firstRune(inner)
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					return strings.TrimRightFunc(t[:k], postal.IsSpace), t[k:]
				}
			}
		}
		if strings.HasSuffix(t, "*)") {
			t = t[:len(t)-1]
		}
	}
	end := len(t)
	for end > 0 {
		r, size := lastRune(t[:end])
		if r == '*' || strings.ContainsRune("¹²³⁴⁵⁶⁷⁸⁹⁰", r) {
			end -= size
			continue
		}
		break
	}
	if end == len(t) || end == 0 {
		return s, ""
	}
	return strings.TrimRightFunc(t[:end], postal.IsSpace), s[end:]
}

func lastRune(s string) (rune, int) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < 0x80 || s[i] >= 0xC0 {
			r := []rune(s[i:])
			return r[0], len(s) - i
		}
	}
	return 0, 0
}

// Reasons a text is not an acceptable number.
var (
	errNotNumber = errors.New("not a number")
	errNegative  = errors.New("negative number")
	errTooBig    = errors.New("number too large")
)

// maxMeasure bounds any measure: far above any real postal figure, and below
// the point where float64 loses whole numbers.
const maxMeasure = 1e15

// isDash reports whether s is a lone dash, which means zero in printed statistics.
func isDash(s string) bool {
	switch strings.TrimSpace(s) {
	case "-", "–", "—", "‒", "−":
		return true
	}
	return false
}

// ParseNumber reads a number written as text: thousands separated by spaces
// (also no-break and thin spaces), `.` or `,` as the decimal mark, a single
// `,` with no `.` a decimal comma (`1,250` is 1.25), a lone dash zero, and an
// optional unit after the number (`12,5 кг`).
func ParseNumber(s string) (Number, error) {
	s = strings.TrimFunc(s, postal.IsSpace)
	if s == "" {
		return Number{}, errNotNumber
	}
	if isDash(s) {
		return Number{}, nil
	}
	s, mark := cutMark(s)
	if mark != "" {
		n, err := ParseNumber(s)
		if err == nil && n.Mark != "" {
			return Number{}, errNotNumber
		}
		n.Mark = mark
		return n, err
	}
	neg := false
	switch {
	case strings.HasPrefix(s, "-"), strings.HasPrefix(s, "−"), strings.HasPrefix(s, "–"):
		neg = true
		_, size := firstRune(s)
		s = s[size:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	case strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")"):
		neg = true // accounting negative
		s = s[1 : len(s)-1]
	}
	num, unit := splitUnit(s)
	if num == "" {
		return Number{}, errNotNumber
	}
	v, dec, err := parseDigits(num)
	if err != nil {
		return Number{}, err
	}
	n := Number{Value: v, Decimals: dec, Unit: postal.Fold(strings.TrimRight(unit, "."))}
	if unit != "" && (n.Unit == "" || !unitLike(unit)) {
		return Number{}, errNotNumber
	}
	if neg && v != 0 {
		return n, errNegative
	}
	if v > maxMeasure {
		return n, errTooBig
	}
	return n, nil
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// splitUnit cuts s into the leading number (digits, marks, spaces) and the
// trailing unit text.
func splitUnit(s string) (num, unit string) {
	end := 0
	for i, r := range s {
		if unicode.IsDigit(r) && r < 128 || r == '.' || r == ',' || postal.IsSpace(r) {
			end = i + len(string(r))
			continue
		}
		break
	}
	num = strings.TrimFunc(s[:end], postal.IsSpace)
	unit = strings.TrimFunc(s[end:], postal.IsSpace)
	return num, unit
}

// parseDigits reads digits with thousands separators and a decimal mark.
func parseDigits(s string) (float64, int, error) {
	groups := strings.FieldsFunc(s, postal.IsSpace)
	if len(groups) > 1 {
		// Space-separated thousands: every group after the first has three digits
		// (the last may carry the decimal part).
		for i, g := range groups[1:] {
			last := i == len(groups)-2
			head := g
			if last {
				if k := strings.IndexAny(g, ".,"); k >= 0 {
					head = g[:k]
				}
			}
			if len(head) != 3 || strings.ContainsAny(head, ".,") {
				return 0, 0, errNotNumber
			}
			if strings.ContainsAny(groups[0], ".,") {
				return 0, 0, errNotNumber
			}
		}
		s = strings.Join(groups, "")
	}
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	var intPart, frac string
	switch {
	case dots > 0 && commas > 0:
		// The last mark is the decimal one; the other separates thousands.
		dec, thou := ".", ","
		if strings.LastIndex(s, ",") > strings.LastIndex(s, ".") {
			dec, thou = ",", "."
		}
		if strings.Count(s, dec) != 1 {
			return 0, 0, errNotNumber
		}
		k := strings.LastIndex(s, dec)
		intPart, frac = s[:k], s[k+1:]
		if !thousands(intPart, thou) {
			return 0, 0, errNotNumber
		}
		intPart = strings.ReplaceAll(intPart, thou, "")
	case dots+commas == 1:
		k := strings.IndexAny(s, ".,")
		intPart, frac = s[:k], s[k+1:]
	case dots > 1 || commas > 1:
		mark := "."
		if commas > 1 {
			mark = ","
		}
		if !thousands(s, mark) {
			return 0, 0, errNotNumber
		}
		intPart = strings.ReplaceAll(s, mark, "")
	default:
		intPart = s
	}
	if intPart == "" && frac == "" || !allDigits(intPart) || !allDigits(frac) {
		return 0, 0, errNotNumber
	}
	if intPart == "" {
		intPart = "0"
	}
	text := intPart
	if frac != "" {
		text += "." + frac
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, 0, errTooBig
	}
	return v, len(frac), nil
}

// thousands reports whether s groups digits by three with sep (`1,234,567`).
func thousands(s, sep string) bool {
	parts := strings.Split(s, sep)
	if len(parts[0]) == 0 || len(parts[0]) > 3 {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// rawNumber reads a numeric cell's stored value (`229585`, `1.5E-3`).
func rawNumber(s string) (Number, error) {
	s = strings.TrimSpace(s)
	v, ok := plainFloat(s)
	if !ok {
		var err error
		v, err = strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return Number{}, errNotNumber
		}
	}
	if v < 0 {
		return Number{Value: v}, errNegative
	}
	if v > maxMeasure {
		return Number{Value: v}, errTooBig
	}
	dec, ok := plainDecimals(s)
	if !ok {
		dec = decimalsOf(v)
	}
	return Number{Value: v, Decimals: dec}, nil
}

// plainFloat reads plain digits with at most one point inside them
// ("12.345"), how spreadsheets store most numbers, to the float64
// strconv.ParseFloat gives, when they fit its exact path: a mantissa below
// 2^52 and at most 22 decimals, where one division of two exact float64s is
// correctly rounded. Any other text answers false (TestPlainFloat).
func plainFloat(s string) (float64, bool) {
	var m uint64
	point, digits := -1, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if digits == 18 {
				return 0, false
			}
			m = m*10 + uint64(c-'0')
			digits++
		case c == '.' && point < 0 && i > 0:
			point = i
		default:
			return 0, false
		}
	}
	if digits == 0 || m >= 1<<52 {
		return 0, false
	}
	if point < 0 {
		return float64(m), true
	}
	dec := len(s) - point - 1
	if dec == 0 || dec > len(exactPow10)-1 {
		return 0, false
	}
	return float64(m) / exactPow10[dec], true
}

// exactPow10 are the powers of ten a float64 holds exactly.
var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// plainDecimals counts the decimals of a number stored as plain digits
// ("12.345"), which is how spreadsheets store most. It answers only when the
// count is decimalsOf's: at most 15 significant digits (they survive the
// trip through a float64 unchanged) and no trailing zero after the point.
func plainDecimals(s string) (int, bool) {
	point, sig := -1, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.' && point < 0:
			point = i
		case c >= '1' && c <= '9', c == '0' && sig > 0:
			sig++
		case c != '0':
			return 0, false
		}
	}
	if sig > 15 || len(s) == 0 {
		return 0, false
	}
	if point < 0 {
		return 0, true
	}
	if point < len(s)-1 && s[len(s)-1] == '0' {
		return 0, false
	}
	return min(len(s)-point-1, 9), true
}

// decimalsOf counts the decimals of v's shortest exact representation, capped
// so float noise (0.30000000000000004) does not demand absurd precision.
func decimalsOf(v float64) int {
	t := strconv.FormatFloat(v, 'f', -1, 64)
	k := strings.IndexByte(t, '.')
	if k < 0 {
		return 0
	}
	return min(len(t)-k-1, 9)
}

// unitLike reports whether text after a number can be a unit: letters,
// dots, slashes and spaces only (`кг`, `шт.`, `t`).
func unitLike(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '.' && r != '/' && !postal.IsSpace(r) {
			return false
		}
	}
	return true
}

// markEvidence is what a column's text numbers say about how it writes
// thousands and decimals (section 6: decided per column from all its cells).
type markEvidence struct {
	ambiguous      int64  // texts such as 12,345 or 1,250: a decimal comma or thousands
	example        string // the first of them, for the warning
	commaThousands int64  // texts such as 1,234,567 or 13,020.5
	decimalComma   int64  // texts such as 12,5 or 1 234,5

	// The same for dots: `2.500` alone reads as 2.5, but a column that
	// writes `1.234.567` or `1.234,5` uses `.` between thousands.
	dotAmbiguous int64  // texts such as 2.500 or 12.345
	dotExample   string // the first of them
	dotThousands int64  // texts such as 1.234.567 or 1.234,5
	dotDecimal   int64  // texts such as 12.5, 1,234.5 or 1 234.5

	thousandsExample, decimalExample string // the first of commaThousands and of decimalComma
}

// commaConflict reports whether the column writes `,` both between
// thousands (`1,234,567`) and as a decimal mark (`12,5`): §6 decides the
// marks per column, and such a column fits neither reading.
func (e markEvidence) commaConflict() bool { return e.commaThousands > 0 && e.decimalComma > 0 }

// dotThousand reports whether the column's cells say its ambiguous dots
// (`2.500`) separate thousands: some cell can only be read so, none only
// the other way.
func (e markEvidence) dotThousand() bool {
	return e.dotAmbiguous > 0 && e.dotThousands > 0 && e.dotDecimal == 0
}

// dotConflict reports whether the column writes `.` both between thousands
// (`1.234.567`) and as a decimal mark (`12.5`), so that its `2.500` cannot
// be read either way.
func (e markEvidence) dotConflict() bool {
	return e.dotAmbiguous > 0 && e.dotThousands > 0 && e.dotDecimal > 0
}

// Readings of an ambiguous comma, decided per column.
const (
	commaUndecided = iota
	commaDecimal
	commaThousand
)

// observe records what text s says about its column's marks.
func (e *markEvidence) observe(s string) {
	s = strings.TrimFunc(s, postal.IsSpace)
	num, _ := splitUnit(strings.TrimLeft(s, "+-−–("))
	commas, dots := strings.Count(num, ","), strings.Count(num, ".")
	switch {
	case dots == 0:
	case dots > 1 || commas == 1 && strings.LastIndex(num, ".") < strings.LastIndex(num, ","):
		e.dotThousands++ // 1.234.567, 1.234,5
	case commas == 0 && ambiguousDot(num):
		if e.dotAmbiguous == 0 {
			e.dotExample = s
		}
		e.dotAmbiguous++
	default:
		e.dotDecimal++ // 12.5, 1,234.5, 1 234.5
	}
	switch {
	case commas == 0:
	case commas > 1 || dots == 1 && strings.LastIndex(num, ".") > strings.LastIndex(num, ","):
		if e.commaThousands == 0 {
			e.thousandsExample = s
		}
		e.commaThousands++
	case ambiguousComma(num) && dots == 0:
		if e.ambiguous == 0 {
			e.example = s
		}
		e.ambiguous++
	default:
		if e.decimalComma == 0 {
			e.decimalExample = s
		}
		e.decimalComma++ // 12,5, 1.234,5
	}
}

// ambiguousComma reports whether num (digits and marks, no unit) is one to
// three digits, a comma, and three digits: `12,345` or `1,250`.
func ambiguousComma(num string) bool {
	k := strings.IndexByte(num, ',')
	if k < 1 || k > 3 || len(num)-k-1 != 3 || strings.ContainsAny(num, " .") {
		return false
	}
	return allDigits(num[:k]) && allDigits(num[k+1:])
}

// ambiguousDot reports whether num is one to three digits, a dot, and three
// digits: `2.500` or `12.345`, which a column of `1.234.567` reads as thousands.
func ambiguousDot(num string) bool {
	k := strings.IndexByte(num, '.')
	if k < 1 || k > 3 || len(num)-k-1 != 3 || strings.ContainsAny(num, " ,") {
		return false
	}
	return allDigits(num[:k]) && allDigits(num[k+1:])
}

// decide chooses the reading of the column's ambiguous commas; byLanguage
// reports that nothing in the column decided it, so the sheet's language did.
func (e markEvidence) decide(lang string) (reading int, byLanguage bool) {
	switch {
	case e.ambiguous == 0:
		return commaUndecided, false
	case e.commaThousands > 0 && e.decimalComma == 0:
		return commaThousand, false
	case e.decimalComma > 0 && e.commaThousands == 0:
		return commaDecimal, false
	case lang == "en":
		return commaThousand, true
	}
	return commaDecimal, true
}

// numberExample is the number a "not a number" message shows, written with
// the marks its column uses (section 6): its decided reading of a comma,
// else what its cells so far say, else its sheet's language's (English:
// `,` between thousands, `.` decimal; the others: decimal comma).
func numberExample(reading int, e markEvidence, lang string) string {
	switch {
	case reading == commaThousand, reading == commaUndecided && e.commaThousands > 0 && e.decimalComma == 0:
		return "1,234.5"
	case reading == commaDecimal, reading == commaUndecided && e.decimalComma > 0 && e.commaThousands == 0:
		return "1 234,5"
	case lang == "en":
		return "1,234.5"
	}
	return "1 234,5"
}

// parseNumberAs reads text as ParseNumber does, reading an ambiguous comma
// (`12,345`) as the column decided.
func parseNumberAs(s string, reading int) (Number, error) { return parseMarks(s, reading, false) }

// parseMarks reads text as parseNumberAs does, and an ambiguous dot
// (`2.500`) as thousands when dotThousand is set.
func parseMarks(s string, reading int, dotThousand bool) (Number, error) {
	if dotThousand {
		t := strings.TrimFunc(s, postal.IsSpace)
		num, unit := splitUnit(t)
		if ambiguousDot(num) {
			return ParseNumber(strings.Replace(num, ".", "", 1) + " " + unit)
		}
	}
	if reading == commaThousand {
		t := strings.TrimFunc(s, postal.IsSpace)
		num, unit := splitUnit(t)
		if ambiguousComma(num) {
			return ParseNumber(strings.Replace(num, ",", "", 1) + " " + unit)
		}
	}
	return ParseNumber(s)
}
