package sheet

import (
	"strings"

	"postdash/internal/postal"
)

// sheetContext is what a sheet says outside its columns: in the title rows
// above the header and in the sheet name. It fills what columns leave out.
type sheetContext struct {
	Dims   dims
	Period *Period
	Year   int           // the one year the texts name on its own ("за 2025 год"), or 0
	Unit   postal.Unit   // the one unit the texts name (`Посылки, шт`), or ""
	Factor float64       // its multiplier (`тыс. т`: 1000); 0 or 1 when none
	items  []ContextItem // what was taken, and from where, for the report
}

// readContext gathers dimensions and a period from title texts; a dimension
// is taken only when the texts name exactly one value of it.
func readContext(vocab *postal.Matcher, pp periodParser, texts []string) sheetContext {
	seen := map[postal.Kind]map[string]bool{}
	var ctx sheetContext
	years := map[int]bool{}
	for _, t := range texts {
		for _, y := range yearsIn(t) {
			years[y] = true
		}
		toks := postal.Tokens(postal.Fold(t))
		for _, m := range vocab.LookupTokens(toks) {
			if m.Kind == postal.KindPartner {
				if dir := directionAround(toks, m); dir != "" {
					if seen[postal.KindDirection] == nil {
						seen[postal.KindDirection] = map[string]bool{}
					}
					seen[postal.KindDirection][dir] = true
				}
			}
			switch m.Kind {
			case postal.KindDirection, postal.KindPartner, postal.KindCategory, postal.KindMarketplace:
				if seen[m.Kind] == nil {
					seen[m.Kind] = map[string]bool{}
				}
				seen[m.Kind][m.Value] = true
			}
		}
		if ctx.Period == nil {
			if p, ok := findPeriodIn(pp, t); ok {
				ctx.Period = &p
			}
		}
	}
	only := func(k postal.Kind) string {
		if len(seen[k]) != 1 {
			return ""
		}
		for v := range seen[k] {
			return v
		}
		return ""
	}
	if len(years) == 1 {
		for y := range years {
			ctx.Year = y
		}
	}
	units := map[postal.Unit]float64{}
	for _, t := range texts {
		w := readWords(vocab, t)
		if u := pickUnit(w.units); u != "" {
			units[u] = w.factor
		}
	}
	if len(units) == 1 {
		for u, f := range units {
			ctx.Unit, ctx.Factor = u, f
		}
	}
	ctx.Dims = dims{
		Direction:   only(postal.KindDirection),
		Partner:     only(postal.KindPartner),
		Category:    only(postal.KindCategory),
		Marketplace: only(postal.KindMarketplace),
	}
	return ctx
}

// findPeriodIn looks for one month in free text such as a title
// ("Отчёт за март 2025 г.") or a sheet name ("2025-03").
func findPeriodIn(pp periodParser, text string) (Period, bool) {
	if p, err := pp.parseText(text); err == nil {
		return p, true
	}
	fields := strings.FieldsFunc(postal.Fold(text), func(r rune) bool {
		return postal.IsSpace(r) || r == ',' || r == ';' || r == '(' || r == ')' || r == ':'
	})
	for _, f := range fields {
		if len(f) >= 6 {
			if p, err := pp.parseText(f); err == nil && p.Month.Year > 1900 {
				return p, true
			}
		}
	}
	toks := postal.Tokens(postal.Fold(text))
	at, m := -1, 0
	for i, t := range toks {
		if n := pp.vocab.MonthNumber(t); n != 0 {
			if at >= 0 {
				return Period{}, false // several months: a range, not one period
			}
			at, m = i, n
		}
	}
	if at >= 0 {
		i := at
		for _, j := range []int{i + 1, i - 1, i - 2} {
			if j >= 0 && j < len(toks) && len(toks[j]) == 4 && allDigits(toks[j]) {
				if p, err := makePeriod(atoi(toks[j]), m, 0); err == nil {
					return p, true
				}
			}
		}
	}
	return Period{}, false
}

// yearsIn returns the years a text names on their own, as a word or with
// the word for year ("2025", "2025 йил", "2025-yil"), not inside a date.
func yearsIn(text string) []int {
	var out []int
	toks := postal.Tokens(postal.Fold(text))
	for i, t := range toks {
		if len(t) != 4 || !allDigits(t) {
			continue
		}
		y := atoi(t)
		if y < 1990 || y > 2100 || strings.Contains(text, t+".") || strings.Contains(text, "."+t) || strings.Contains(text, "/"+t) {
			continue // a year inside a date (01.02.2025) dates the report, not its figures
		}
		if nearNumber(toks, i) {
			continue // a range of years, or a date ("2019 йил 5 июлдаги қарори")
		}
		out = append(out, y)
	}
	return out
}

// nearNumber reports whether a number stands within two tokens of toks[i].
func nearNumber(toks []string, i int) bool {
	for _, j := range []int{i - 2, i - 1, i + 1, i + 2} {
		if j >= 0 && j < len(toks) && allDigits(toks[j]) {
			return true
		}
	}
	return false
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
