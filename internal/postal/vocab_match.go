package postal

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Match is a vocabulary phrase found in a text, at tokens [Start, End).
type Match struct {
	Kind   Kind
	Value  string
	Lang   string
	Phrase string
	Start  int
	End    int
	exact  int // tokens matched exactly, not by stem
	runes  int // length of the phrase, for tie-breaks
}

// Matcher finds vocabulary phrases in text. It is immutable once built and
// safe for concurrent use.
type Matcher struct {
	index map[string][]phrase
	all   []phrase // for words with a Lost letter, which no index key finds
}

type phrase struct {
	entry  Entry
	tokens []string
	runes  int
}

// NewMatcher indexes the given vocabulary entries.
func NewMatcher(tables ...[]Entry) *Matcher {
	m := &Matcher{index: make(map[string][]phrase)}
	for _, table := range tables {
		for _, e := range table {
			toks := Tokens(Fold(e.Phrase))
			if len(toks) == 0 {
				continue
			}
			p := phrase{entry: e, tokens: toks, runes: utf8.RuneCountInString(e.Phrase)}
			k := indexKey(toks[0])
			m.index[k] = append(m.index[k], p)
			m.all = append(m.all, p)
		}
	}
	return m
}

// DefaultMatcher knows the whole Vocabulary and the MonthNames.
func DefaultMatcher() *Matcher { return NewMatcher(Vocabulary, MonthNames) }

// minStem is the shortest stem: tokens shorter than stemFrom runes match exactly.
const (
	minStem  = 4
	stemFrom = 5
)

// indexKey is the first minStem runes of a token (or all of a shorter one):
// every token a phrase token can match starts with it.
func indexKey(tok string) string {
	n := 0
	for i := range tok {
		if n == minStem {
			return tok[:i]
		}
		n++
	}
	return tok
}

// matchToken reports whether text token t matches phrase token p, and whether
// exactly. Phrase tokens of stemFrom runes or more also match inflected forms
// that share their stem (p without its last two runes, at least minStem).
func matchToken(p, t string) (ok, exact bool) {
	if p == t {
		return true, true
	}
	if strings.ContainsRune(t, Lost) {
		return matchLost([]rune(p), []rune(t)), false
	}
	pr := []rune(p)
	if len(pr) < stemFrom {
		return false, false
	}
	stem := max(minStem, len(pr)-2)
	tr := []rune(t)
	if len(tr) < stem || len(tr) > len(pr)+4 {
		return false, false
	}
	for i := 0; i < stem; i++ {
		if pr[i] != tr[i] {
			return false, false
		}
	}
	return true, false
}

// matchLost matches a text token with Lost marks, each standing for one
// lost letter or apostrophe, against a phrase token, whole or by its stem.
// At least three letters must be known, and at most three lost.
func matchLost(p, t []rune) bool {
	lost := 0
	for _, r := range t {
		if r == Lost {
			lost++
		}
	}
	if lost > 3 || len(t)-lost < 3 {
		return false
	}
	if wildMatch(p, t, false) {
		return true
	}
	if len(p) < stemFrom || len(t)-lost > len(p)+4 {
		return false
	}
	return wildMatch(p[:max(minStem, len(p)-2)], t, true)
}

// wildMatch reports whether t, each Lost mark in it standing for one rune or
// none, spells p (or, with prefix, begins with p).
func wildMatch(p, t []rune, prefix bool) bool {
	switch {
	case len(p) == 0:
		return prefix || strings.Trim(string(t), string(Lost)) == ""
	case len(t) == 0:
		return false
	case t[0] == Lost:
		return wildMatch(p, t[1:], prefix) || wildMatch(p[1:], t[1:], prefix)
	}
	return p[0] == t[0] && wildMatch(p[1:], t[1:], prefix)
}

// Lookup folds and tokenizes text and returns the phrases it holds.
func (m *Matcher) Lookup(text string) []Match {
	return m.LookupTokens(Tokens(Fold(text)))
}

// LookupTokens returns the phrases found in tokens (as made by Tokens), in
// order. Where phrases overlap the longest wins and its words are consumed;
// phrases of equal length over the same words are all returned (a word may
// mean two things, as `г` is grams and year).
func (m *Matcher) LookupTokens(tokens []string) []Match {
	var cands []Match
	for i, tok := range tokens {
		phrases := m.index[indexKey(tok)]
		if strings.ContainsRune(indexKey(tok), Lost) {
			phrases = m.all
		}
		for _, p := range phrases {
			if i+len(p.tokens) > len(tokens) {
				continue
			}
			exact, ok := 0, true
			for j, pt := range p.tokens {
				hit, ex := matchToken(pt, tokens[i+j])
				if !hit {
					ok = false
					break
				}
				if ex {
					exact++
				}
			}
			if ok {
				cands = append(cands, Match{Kind: p.entry.Kind, Value: p.entry.Value, Lang: p.entry.Lang,
					Phrase: p.entry.Phrase, Start: i, End: i + len(p.tokens), exact: exact, runes: p.runes})
			}
		}
	}
	if len(cands) == 0 {
		return nil
	}
	sort.SliceStable(cands, func(a, b int) bool { return better(cands[a], cands[b]) })
	owner := make([]int, len(tokens)) // index+1 of the chosen match owning each token
	var chosen []Match
	for _, c := range cands {
		free, same := true, false
		for t := c.Start; t < c.End; t++ {
			if owner[t] != 0 {
				free = false
				o := chosen[owner[t]-1]
				same = o.Start == c.Start && o.End == c.End && !better(o, c)
				break
			}
		}
		if !free && !same {
			continue
		}
		chosen = append(chosen, c)
		if free {
			for t := c.Start; t < c.End; t++ {
				owner[t] = len(chosen)
			}
		}
	}
	sort.SliceStable(chosen, func(a, b int) bool { return chosen[a].Start < chosen[b].Start })
	return dedupe(chosen)
}

// better orders candidate matches: more words, then more exact words, then a
// longer phrase, then the earlier one.
func better(a, b Match) bool {
	if la, lb := a.End-a.Start, b.End-b.Start; la != lb {
		return la > lb
	}
	if a.exact != b.exact {
		return a.exact > b.exact
	}
	if a.runes != b.runes {
		return a.runes > b.runes
	}
	return a.Start < b.Start
}

// dedupe drops matches that repeat the kind and value of another at the same place.
func dedupe(ms []Match) []Match {
	out := ms[:0]
	for _, m := range ms {
		dup := false
		for _, o := range out {
			if o.Start == m.Start && o.Kind == m.Kind && o.Value == m.Value {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, m)
		}
	}
	return out
}

// MonthNumber returns the month (1..12) a single folded token names, or 0.
func (m *Matcher) MonthNumber(token string) int {
	for _, mt := range m.LookupTokens([]string{token}) {
		if mt.Kind == KindMonth {
			n := 0
			for _, r := range mt.Value {
				n = n*10 + int(r-'0')
			}
			return n
		}
	}
	return 0
}
