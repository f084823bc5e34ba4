package sheet

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestPlainDecimalsAgreesWithDecimalsOf checks the fast count of decimals
// against the count from the float's shortest form, wherever it answers.
func TestPlainDecimalsAgreesWithDecimalsOf(t *testing.T) {
	texts := []string{
		"0", "5", "5.", "12.345", "0.05", "100", "100.5", "1.50", "0.0", "1e5",
		"0.000000000001", "123456789012345", "1234567890123456", "0.1000000000000000055511151231257827",
		"0.30000000000000004", "99999999.999", "007.25",
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		v := r.Float64() * float64(r.IntN(1_000_000))
		texts = append(texts, strconv.FormatFloat(v, 'f', r.IntN(12), 64), strconv.FormatFloat(v, 'f', -1, 64))
	}
	answered := 0
	for _, s := range texts {
		got, ok := plainDecimals(s)
		if !ok {
			continue
		}
		answered++
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%q answered but does not parse", s)
		}
		if want := decimalsOf(v); got != want {
			t.Errorf("plainDecimals(%q) = %d, decimalsOf = %d", s, got, want)
		}
	}
	if answered < len(texts)/4 { // most random floats need more than 15 digits
		t.Errorf("answered %d of %d", answered, len(texts))
	}
}
