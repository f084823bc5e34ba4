package postal

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// runeFolds maps runes that mean the same for matching onto one rune: the
// Uzbek apostrophes, ё, and the Uzbek Cyrillic letters people often type
// without their marks.
var runeFolds = map[rune]rune{
	'’': '\'', 'ʻ': '\'', 'ʼ': '\'', '`': '\'', '‘': '\'', '′': '\'', '´': '\'',
	'ё': 'е', 'ў': 'у', 'қ': 'к', 'ғ': 'г', 'ҳ': 'х',
	'‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '−': '-',
}

// latinToCyrillic pairs lower-case letters that look alike in both scripts.
var latinToCyrillic = map[rune]rune{
	'a': 'а', 'b': 'в', 'c': 'с', 'e': 'е', 'h': 'н', 'k': 'к', 'm': 'м',
	'o': 'о', 'p': 'р', 't': 'т', 'x': 'х', 'y': 'у',
}

// cyrillicToLatin is the inverse of latinToCyrillic.
var cyrillicToLatin = map[rune]rune{
	'а': 'a', 'в': 'b', 'с': 'c', 'е': 'e', 'н': 'h', 'к': 'k', 'м': 'm',
	'о': 'o', 'р': 'p', 'т': 't', 'х': 'x', 'у': 'y',
}

// IsSpace reports whether r separates words: any Unicode space, including
// the no-break, thin and narrow no-break spaces spreadsheets use.
func IsSpace(r rune) bool {
	return unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) || r == '\u200b' || r == '\ufeff'
}

// Fold normalises text for matching: Unicode NFC, lower case, trimmed, runs
// of white space collapsed to one space, Uzbek apostrophes unified, and
// Latin letters that look like Cyrillic ones inside a mostly Cyrillic word
// written in Cyrillic (and the other way round).
func Fold(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		r = unicode.ToLower(r)
		if f, ok := runeFolds[r]; ok {
			r = f
		}
		b.WriteRune(r)
	}
	return foldScripts(b.String())
}

// foldScripts rewrites each word in the script most of its letters use.
func foldScripts(s string) string {
	rs := []rune(s)
	changed := false
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) {
			i++
			continue
		}
		j := i
		lat, cyr := 0, 0
		for j < len(rs) && (unicode.IsLetter(rs[j]) || rs[j] == '\'' || rs[j] == Lost) {
			switch {
			case unicode.Is(unicode.Latin, rs[j]):
				lat++
			case unicode.Is(unicode.Cyrillic, rs[j]):
				cyr++
			}
			j++
		}
		var table map[rune]rune
		if lat > 0 && cyr > 0 {
			if cyr > lat {
				table = latinToCyrillic
			} else if lat > cyr {
				table = cyrillicToLatin
			}
		}
		for k := i; k < j && table != nil; k++ {
			if f, ok := table[rs[k]]; ok {
				rs[k] = f
				changed = true
			}
		}
		i = j
	}
	if !changed {
		return s
	}
	return string(rs)
}

// Lost is the character programs write for a letter their encoding lacks:
// Windows-1251 has no ʻ, қ, ғ or ҳ, so "Yoʻnalish" is saved as "Yo?nalish".
// Inside a word it stands for one lost letter or apostrophe.
const Lost = '?'

// Tokens splits folded text into words: runs of letters, or of digits.
// Apostrophes inside a word are dropped (yo'nalish and yonalish are one word);
// a Lost mark stays in its word; everything else separates words, and so
// does a change from digits to letters.
func Tokens(folded string) []string {
	var out []string
	var cur []rune
	digits := false
	flush := func() {
		if len(cur) > 0 && strings.Trim(string(cur), string(Lost)) != "" {
			out = append(out, string(cur))
		}
		cur = cur[:0]
	}
	for _, r := range folded {
		switch {
		case r == '\'':
			continue
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || r == Lost:
			if digits {
				flush()
			}
			digits = false
			cur = append(cur, r)
		case unicode.IsDigit(r):
			if !digits {
				flush()
			}
			digits = true
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}
