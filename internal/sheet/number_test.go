package sheet

import (
	"math"
	"testing"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in       string
		want     float64
		decimals int
		unit     string
		err      error
	}{
		{"229585", 229585, 0, "", nil},
		{"1 234,5", 1234.5, 1, "", nil},
		{"1\u00a0234,5", 1234.5, 1, "", nil},
		{"1\u2009234\u2009567", 1234567, 0, "", nil},
		{"1\u202f234", 1234, 0, "", nil},
		{"1,234.5", 1234.5, 1, "", nil},
		{"1.234,5", 1234.5, 1, "", nil},
		{"12,5", 12.5, 1, "", nil},
		{"1,250", 1.25, 3, "", nil}, // a single comma is a decimal comma
		{"1,234,567", 1234567, 0, "", nil},
		{"1.234.567", 1234567, 0, "", nil},
		{"0.5", 0.5, 1, "", nil},
		{",5", 0.5, 1, "", nil},
		{"-", 0, 0, "", nil},
		{"–", 0, 0, "", nil},
		{"—", 0, 0, "", nil},
		{" — ", 0, 0, "", nil},
		{"12,5 кг", 12.5, 1, "кг", nil},
		{"12kg", 12, 0, "kg", nil},
		{"3 т", 3, 0, "т", nil},
		{"40 шт.", 40, 0, "шт", nil},
		{"+7", 7, 0, "", nil},
		{"-5", 0, 0, "", errNegative},
		{"−5", 0, 0, "", errNegative},
		{"(12)", 0, 0, "", errNegative},
		{"abc", 0, 0, "", errNotNumber},
		{"", 0, 0, "", errNotNumber},
		{"12 5", 0, 0, "", errNotNumber},
		{"1,2,3", 0, 0, "", errNotNumber},
		{"1.2.3,4.5", 0, 0, "", errNotNumber},
		{"1 234 56", 0, 0, "", errNotNumber},
		{"12..5", 0, 0, "", errNotNumber},
		{"1e999", 0, 0, "", errNotNumber},
		{"99999999999999999999", 0, 0, "", errTooBig},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			n, err := ParseNumber(tt.in)
			if err != tt.err {
				t.Fatalf("ParseNumber(%q) error = %v, want %v", tt.in, err, tt.err)
			}
			if err != nil {
				return
			}
			if math.Abs(n.Value-tt.want) > 1e-12 || n.Decimals != tt.decimals || n.Unit != tt.unit {
				t.Errorf("ParseNumber(%q) = %+v, want %v (%d decimals, unit %q)", tt.in, n, tt.want, tt.decimals, tt.unit)
			}
		})
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1 234,5", "1,234.5", "12,5 кг", "-", "(3)", "1,250", "1.234.567", "0,000001 t", "\u00a0", "1e5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNumber(s)
		if err != nil {
			return
		}
		if n.Value < 0 || math.IsNaN(n.Value) || math.IsInf(n.Value, 0) || n.Value > maxMeasure {
			t.Fatalf("ParseNumber(%q) = %v: accepted a value outside [0, max]", s, n.Value)
		}
		if n.Decimals < 0 {
			t.Fatalf("ParseNumber(%q): negative decimals", s)
		}
	})
}
