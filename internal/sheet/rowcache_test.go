package sheet

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"postdash/internal/postal"
)

// The row path caches what rows repeat: the previous row's dimension texts,
// parsed period cells by kind, format and text, aggregates by small ids.
// These tests hold the caches to answers computed here by the simplest code.

// TestASCIISpace: blank's ASCII shortcut agrees with postal.IsSpace.
func TestASCIISpace(t *testing.T) {
	for c := 0; c < utf8.RuneSelf; c++ {
		if got, want := asciiSpace(byte(c)), postal.IsSpace(rune(c)); got != want {
			t.Errorf("asciiSpace(%q) = %v, postal.IsSpace says %v", rune(c), got, want)
		}
	}
	for _, s := range []string{"", " ", "\t\n", "\u00a0", " \u200b ", "a", " a", "\u00a0x", "1", "x\u00a0"} {
		want := strings.TrimFunc(s, postal.IsSpace) == ""
		if got := blank(s); got != want {
			t.Errorf("blank(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestPlainFloat: the shortcut for plain digits gives strconv.ParseFloat's
// float64, bit for bit, or leaves the text to it.
func TestPlainFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	check := func(s string) {
		v, ok := plainFloat(s)
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil || v != want || (v == 0) != (want == 0) {
			t.Fatalf("plainFloat(%q) = %v, ParseFloat gives %v, %v", s, v, want, err)
		}
	}
	for _, s := range []string{"0", "00", "0.0", "1", "12.345", "0.1", "0.3", "9007199254740991", "4503599627370495",
		"4503599627370496", "123456789012345678", "1.0000000000000000000001", "1.", ".5", "1.2.3", "", "-1", "1e5", "0x10", "1_000"} {
		check(s)
	}
	const digits = "0123456789"
	for range 200000 {
		var b []byte
		n := 1 + r.IntN(20)
		point := -1
		if r.IntN(2) == 0 {
			point = r.IntN(n + 1)
		}
		for i := range n {
			if i == point {
				b = append(b, '.')
			}
			b = append(b, digits[r.IntN(10)])
		}
		check(string(b))
	}
	if _, ok := plainFloat("12.345"); !ok {
		t.Error("plainFloat does not read 12.345: the shortcut is never taken")
	}
}

// TestRowCachesAgainstOracle reads random item manifests whose consecutive
// rows are identical, or differ in exactly one cell (a dimension, sometimes
// by a synonym naming the same value, the date, the figures), with unknown
// directions among them, and compares every fact and every error with an
// aggregation written here.
func TestRowCachesAgainstOracle(t *testing.T) {
	dirs := map[string]string{"inbound": "inbound", "incoming": "inbound", "outbound": "outbound", "transit": "transit", "sideways": ""}
	partners := map[string]string{"China Post": "china_post", "Почта Китая": "china_post", "Latvia Post": "latvijas_pasts", "Vanuatu Post": "vanuatu_post"}
	cats := map[string]string{"Parcels": "parcel", "EMS": "ems", "Letters": "letter_post", "Registered letters": "registered_letter"}
	mkts := map[string]string{"ShopA": "ShopA", "ShopB": "ShopB", "": ""}
	keys := func(m map[string]string) []string {
		ks := make([]string, 0, len(m))
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	many := map[string]string{} // more partners than the index numbers per column
	for k, v := range partners {
		many[k] = v
	}
	for i := range 12 {
		p := fmt.Sprintf("Post %d", i+1) // unknown: the text is the partner
		many[p] = p
	}
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 99))
		ps := partners
		if seed%3 == 0 {
			ps = many
		}
		dimTexts := [][]string{keys(dirs), keys(ps), keys(cats), keys(mkts)}
		dimCanon := []map[string]string{dirs, ps, cats, mkts}
		type key struct{ month, dir, partner, cat, mkt string }
		type sums struct{ items, grams int64 }
		want := map[key]sums{}
		var wantErrs []string
		rows := [][]rawCell{row("Date", "Direction", "Partner", "Category", "Marketplace", "Items", "Weight kg")}
		cur := [4]string{"inbound", "China Post", "Parcels", "ShopA"}
		day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(600))
		isoDates := r.IntN(2) == 0
		n := 200 + r.IntN(800)
		for i := range n {
			switch k := r.IntN(8); {
			case k < 4:
				d := r.IntN(4)
				cur[d] = dimTexts[d][r.IntN(len(dimTexts[d]))]
			case k == 4:
				day = day.AddDate(0, 0, r.IntN(40)-20)
			case k == 5:
				for d := range cur {
					cur[d] = dimTexts[d][r.IntN(len(dimTexts[d]))]
				}
			} // else: the same dimensions and date as the row above
			items, grams := int64(1+r.IntN(9)), int64(1+r.IntN(30000))
			kg := strconv.FormatFloat(float64(grams)/1000, 'f', -1, 64)
			var date any = dateNum(int(day.Sub(epoch).Hours() / 24))
			if isoDates {
				date = isoDate(day.Format("2006-01-02"))
			}
			var mkt any
			if cur[3] != "" {
				mkt = cur[3]
			}
			rows = append(rows, row(date, cur[0], cur[1], cur[2], mkt, int(items), kg))
			if cur[0] == "sideways" {
				wantErrs = append(wantErrs, fmt.Sprintf("B%d", i+2))
				continue
			}
			k := key{day.Format("2006-01"), dimCanon[0][cur[0]], dimCanon[1][cur[1]], dimCanon[2][cur[2]], dimCanon[3][cur[3]]}
			s := want[k]
			s.items += items
			s.grams += grams
			want[k] = s
		}
		opts := testOpts()
		opts.Limits.MaxErrors = 1 << 20
		res, err := readGrid(t, opts, sheetOf("Manifest", rows...))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		var gotErrs []string
		for _, is := range res.Warnings {
			if is.Key != keyUnknownPartner || ps[strings.Trim(is.Args["value"], "“”")] == "" {
				t.Fatalf("seed %d: warning %+v, want only unknown partners of the sheet", seed, is)
			}
		}
		for _, is := range res.Errors {
			if is.Key != keyDirectionUnknown || is.Args["value"] != quote("sideways") {
				t.Fatalf("seed %d: error %+v, want only unknown directions", seed, is)
			}
			gotErrs = append(gotErrs, is.Cell)
		}
		if !slices.Equal(gotErrs, wantErrs) || res.ErrorCount != len(wantErrs) {
			t.Fatalf("seed %d: errors at %v (%d), want %v", seed, gotErrs, res.ErrorCount, wantErrs)
		}
		got := map[key]sums{}
		for _, f := range res.Facts {
			k := key{f.Month.String(), string(f.Direction), f.Partner, string(f.Category), f.Marketplace}
			if _, dup := got[k]; dup || !f.HasItems || !f.HasWeight {
				t.Fatalf("seed %d: fact %+v twice or without both measures", seed, f)
			}
			got[k] = sums{f.Items, int64(f.WeightKg*1000 + 0.5)}
		}
		if len(got) != len(want) {
			t.Fatalf("seed %d: %d facts, want %d", seed, len(got), len(want))
		}
		for k, w := range want {
			if got[k] != w {
				t.Fatalf("seed %d: %+v = %+v, want %+v", seed, k, got[k], w)
			}
		}
		if res.Rows != int64(n) {
			t.Fatalf("seed %d: %d rows, want %d", seed, res.Rows, n)
		}
	}
}

// TestAggIndexAgainstMap: the index of aggregates answers what a map of
// the aggregates it accepted answers, for months in any order, near and far
// (far ones exhaust its bound, and it refuses them), and nothing after reset.
func TestAggIndexAgainstMap(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for round := range 40 {
		measures := 1 + r.IntN(4)
		x := aggIndex{measures: measures}
		held := map[[3]int]*aggFact{}
		refused := 0
		for i := range 20000 {
			id, month, m := r.IntN(60), 2025*12+r.IntN(40)-20, r.IntN(measures)
			if round%4 == 0 && r.IntN(50) == 0 {
				month = r.IntN(1 << 24) // far: a run this long exceeds the bound
			}
			if i == 10000 && round%2 == 1 {
				x.reset()
				clear(held)
			}
			k := [3]int{id, month, m}
			if got := x.get(id, month, m); got != held[k] {
				t.Fatalf("round %d: get%v = %p, want %p", round, k, got, held[k])
			}
			if held[k] != nil {
				continue
			}
			a := &aggFact{}
			if x.put(id, month, m, a) {
				held[k] = a
			} else {
				refused++
			}
			if x.slots > maxAggSlots {
				t.Fatalf("round %d: %d slots, bound %d", round, x.slots, maxAggSlots)
			}
		}
		if round%4 == 0 && refused == 0 {
			t.Errorf("round %d: far months never refused: the bound is not exercised", round)
		}
		if x.get(0, 0, measures) != nil || x.get(1<<20, 2025*12, 0) != nil {
			t.Fatalf("round %d: an aggregate for a measure or id never put", round)
		}
	}
}
