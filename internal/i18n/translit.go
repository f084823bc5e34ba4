package i18n

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// latinNames are written in Latin letters in every language and script:
// brands, standards and file formats. Longest first so that a longer name
// wins over a prefix of it.
var latinNames = sortedLongestFirst([]string{
	"AliExpress", "Temu", "Shein", "EMS", "postdash", "postdash import", "API",
	"SHA-256", "CSV", "XLSX", "XLSM", "PNG", "PDF", "JSON", "SQLite", "PostgreSQL", "UTC",
	"Excel", "LibreOffice", "OpenDocument", "Apple Numbers", "Numbers", "TRUE", "FALSE",
	".xlsx", ".xlsm", ".xlsb", ".xls", ".csv", ".ods", "--mapping",
})

func sortedLongestFirst(names []string) []string {
	sort.SliceStable(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	return names
}

// uzStems are Uzbek Latin word beginnings whose Cyrillic spelling the rules
// below cannot derive (mostly Russian loanwords: ц written s, ъ and ь
// dropped, я written a). The longest stem matching a word is replaced and the
// rest of the word (its suffixes) transliterated as usual.
var uzStems = map[string]string{
	"sentabr":    "сентябр",
	"oktabr":     "октябр",
	"aksiya":     "акция",
	"funksiya":   "функция",
	"obyekt":     "объект",
	"subyekt":    "субъект",
	"litsenziya": "лицензия",
	"filtr":      "фильтр",
}

// uzLetters maps single Uzbek Latin letters to Cyrillic (lower case).
var uzLetters = map[rune]string{
	'a': "а", 'b': "б", 'd': "д", 'e': "е", 'f': "ф", 'g': "г", 'h': "ҳ",
	'i': "и", 'j': "ж", 'k': "к", 'l': "л", 'm': "м", 'n': "н", 'o': "о",
	'p': "п", 'q': "қ", 'r': "р", 's': "с", 't': "т", 'u': "у", 'v': "в",
	'x': "х", 'y': "й", 'z': "з", 'c': "ц", 'w': "в",
}

// uzDigraphs maps two-letter Latin spellings (lower case, apostrophes
// normalised to ') to one Cyrillic letter. Tried before single letters.
var uzDigraphs = map[string]string{
	"o'": "ў", "g'": "ғ", "sh": "ш", "ch": "ч",
	"yo": "ё", "yu": "ю", "ya": "я", "ye": "е",
}

// uzVowels are the Latin vowels after which e is written э ("aeroport").
// i is left out: "klient" is клиент.
var uzVowels = map[rune]bool{'a': true, 'e': true, 'o': true, 'u': true}

// apostrophes are the characters used for the Uzbek oʻ, gʻ and the tutuq
// belgisi (ʼ). ʻ and ʼ are letters; the others are letters only inside a word.
var apostrophes = map[rune]bool{'\'': true, 'ʻ': true, 'ʼ': true, '‘': true, '’': true, '`': true}

// UzLatinToCyrillic transliterates Uzbek text from Latin to Cyrillic script
// following the official correspondence (oʻ → ў, gʻ → ғ, sh → ш, ch → ч,
// yo/yu/ya/ye → ё/ю/я/е, e at the start of a word or after a vowel → э,
// ʼ → ъ, ts before -iya/-io after a vowel → ц). Placeholders ({name}), HTML
// tags, the names in latinNames and everything that is not a Latin letter
// are kept as written; loanwords the rules cannot spell come from uzStems.
func UzLatinToCyrillic(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if n := verbatimLen(s[i:]); n > 0 {
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		if n := wordLen(s[i:]); n > 0 {
			b.WriteString(transliterateWord(s[i : i+n]))
			i += n
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}

// verbatimLen returns how many bytes at the start of s are copied unchanged:
// a {placeholder}, an HTML tag or entity, or a Latin name at a word start.
func verbatimLen(s string) int {
	switch s[0] {
	case '{':
		if end := strings.IndexByte(s, '}'); end > 0 && isPlaceholderName(s[1:end]) {
			return end + 1
		}
	case '<':
		if end := strings.IndexByte(s, '>'); end > 0 {
			return end + 1
		}
	case '&':
		if end := strings.IndexByte(s, ';'); end > 1 && end < 10 && !strings.ContainsAny(s[1:end], " ") {
			return end + 1
		}
	}
	for _, name := range latinNames {
		if strings.HasPrefix(s, name) {
			if r, _ := utf8.DecodeRuneInString(s[len(name):]); !isLatinLetter(r) {
				return len(name)
			}
		}
	}
	return 0
}

// wordLen returns the byte length of the Latin word starting s, with the
// apostrophes that belong to it.
func wordLen(s string) int {
	n := 0
	var prev rune
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		next, _ := utf8.DecodeRuneInString(s[n+size:])
		switch {
		case isLatinLetter(r):
		case r == 'ʻ' || r == 'ʼ':
			if n == 0 {
				return 0
			}
		case apostrophes[r] && n > 0 && (isLatinLetter(next) || isOorG(prev)):
		default:
			return n
		}
		prev = r
		n += size
	}
	return n
}

func isLatinLetter(r rune) bool { return r < unicode.MaxLatin1 && unicode.IsLetter(r) }

func isOorG(r rune) bool { return strings.ContainsRune("oOgG", r) }

// transliterateWord transliterates one word (letters and apostrophes). Each
// Cyrillic letter takes the case of the Latin letter it comes from ("Sh" and
// "SH" both give "Ш", "MiB" gives "МиБ").
func transliterateWord(w string) string {
	orig := []rune(w)
	lower := make([]rune, len(orig))
	for i, r := range orig {
		lower[i] = unicode.ToLower(r)
		if apostrophes[r] {
			lower[i] = '\''
		}
	}
	var b strings.Builder
	i := 0
	if stem, cyr := longestStem(string(lower)); stem != "" {
		i = len([]rune(stem))
		b.WriteString(matchCase(orig[:i], cyr))
	}
	for i < len(lower) {
		out, n := translitAt(lower, i)
		if unicode.IsUpper(orig[i]) {
			out = strings.ToUpper(out)
		}
		b.WriteString(out)
		i += n
	}
	return b.String()
}

// translitAt transliterates the letter or digraph at lower[i], returning
// its Cyrillic and how many runes it used.
func translitAt(lower []rune, i int) (string, int) {
	at := func(j int) rune {
		if j >= 0 && j < len(lower) {
			return lower[j]
		}
		return 0
	}
	r := lower[i]
	switch {
	case r == 'y' && at(i+1) == 'o' && at(i+2) == '\'':
		return "й", 1 // yoʻl: й + ў
	case r == 's' && at(i+1) == '\'' && at(i+2) == 'h':
		return "сҳ", 3 // Isʼhoq: the apostrophe only separates s and h
	case r == 't' && at(i+1) == 's' && uzVowels[at(i-1)] && at(i+2) == 'i' && (at(i+3) == 'y' || at(i+3) == 'o'):
		return "ц", 2 // operatsiya, natsional
	case r == 'e' && (i == 0 || uzVowels[at(i-1)]):
		return "э", 1
	case r == '\'':
		return "ъ", 1
	}
	if cyr, ok := uzDigraphs[string([]rune{r, at(i + 1)})]; ok {
		return cyr, 2
	}
	if cyr, ok := uzLetters[r]; ok {
		return cyr, 1
	}
	return string(r), 1
}

// longestStem returns the longest key of uzStems that begins word.
func longestStem(word string) (stem, cyr string) {
	for k, v := range uzStems {
		if strings.HasPrefix(word, k) && len(k) > len(stem) {
			stem, cyr = k, v
		}
	}
	return stem, cyr
}

// matchCase gives cyr the case pattern of the Latin stem orig: all capitals
// when its letters are all capitals, else a capital first letter when it has
// one.
func matchCase(orig []rune, cyr string) string {
	letters, upper := 0, 0
	for _, r := range orig {
		if isLatinLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	switch {
	case letters > 1 && upper == letters:
		return strings.ToUpper(cyr)
	case len(orig) > 0 && unicode.IsUpper(orig[0]):
		first, size := utf8.DecodeRuneInString(cyr)
		return string(unicode.ToUpper(first)) + cyr[size:]
	}
	return cyr
}
