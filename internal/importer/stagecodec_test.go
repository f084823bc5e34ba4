package importer

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"postdash/internal/postal"
)

// randomFacts fills every field of n facts, found by reflection, with
// random values: a field added to postal.Fact that the staged form leaves
// out makes the round trip fail.
func randomFacts(r *rand.Rand, n int) []postal.Fact {
	words := []string{"", "inbound", "china_post", "Manifest", "Посылки", "pochta_uz", "C5:C900", "* дастлабки", "\x00\xff", "a\"b\\c"}
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Struct:
			for i := range v.NumField() {
				fill(v.Field(i))
			}
		case reflect.String:
			if r.IntN(4) == 0 {
				b := make([]byte, r.IntN(40))
				for i := range b {
					b[i] = byte(r.UintN(256))
				}
				v.SetString(string(b))
			} else {
				v.SetString(words[r.IntN(len(words))])
			}
		case reflect.Int, reflect.Int64:
			switch r.IntN(4) {
			case 0:
				v.SetInt(int64(r.Uint64()))
			case 1:
				v.SetInt(-r.Int64N(1000))
			default:
				v.SetInt(r.Int64N(100_000))
			}
		case reflect.Bool:
			v.SetBool(r.IntN(2) == 0)
		case reflect.Float64:
			fs := []float64{0, math.Copysign(0, -1), 1e-300, math.MaxFloat64, -2.5, 0.1 + 0.2}
			if r.IntN(2) == 0 {
				v.SetFloat(fs[r.IntN(len(fs))])
			} else {
				v.SetFloat(r.NormFloat64() * 1e6)
			}
		default:
			panic("randomFacts: a field of kind " + v.Kind().String() + " the test cannot fill")
		}
	}
	facts := make([]postal.Fact, n)
	for i := range facts {
		fill(reflect.ValueOf(&facts[i]).Elem())
	}
	return facts
}

// sameFacts compares as DeepEqual does, but the weights bit for bit (a NaN
// the fuzzer makes is the same NaN again).
func sameFacts(a, b []postal.Fact) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if math.Float64bits(x.WeightKg) != math.Float64bits(y.WeightKg) {
			return false
		}
		x.WeightKg, y.WeightKg = 0, 0
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

// TestStagedFactsRoundTrip: what a preview stages is what its confirm
// commits, every field of every fact, weights to the bit.
func TestStagedFactsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{0, 1, 2, 17, 1000, stagedFactsPerPart} {
		want := randomFacts(r, n)
		got, err := decodeFacts(encodeFacts(nil, want))
		if err != nil || !sameFacts(got, want) {
			t.Fatalf("%d facts: decoded %d, %v; not what was staged", n, len(got), err)
		}
	}
}

// TestStagedFactsFromJSON: a preview staged before the compact form (its
// parts JSON) still commits what it read.
func TestStagedFactsFromJSON(t *testing.T) {
	want := randomFacts(rand.New(rand.NewPCG(9, 10)), 50)
	for i := range want { // JSON holds valid UTF-8 only, as the old parts did
		for _, s := range []*string{&want[i].Partner, &want[i].Marketplace, &want[i].Sheet, &want[i].Note, &want[i].Source} {
			*s = "s" + string(rune('a'+i%26))
		}
		want[i].Direction, want[i].Category = "inbound", "parcel"
	}
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeFacts(data)
	if err != nil || !sameFacts(got, want) {
		t.Fatalf("JSON part: decoded %d, %v; not what was staged", len(got), err)
	}
}

// TestStagedFactsCorrupt: a part cut short, with a byte after its last
// fact, an impossible count, flags or string reference, or of another
// version, is refused as corrupt, never read as other facts or a panic.
func TestStagedFactsCorrupt(t *testing.T) {
	facts := randomFacts(rand.New(rand.NewPCG(11, 12)), 20)
	data := encodeFacts(nil, facts)
	for n := len(factsMagic); n < len(data); n++ {
		if got, err := decodeFacts(data[:n]); !errors.Is(err, errStagedCorrupt) {
			t.Fatalf("cut to %d of %d bytes: %d facts, %v; want errStagedCorrupt", n, len(data), len(got), err)
		}
	}
	if _, err := decodeFacts(append(data[:len(data):len(data)], 0)); !errors.Is(err, errStagedCorrupt) {
		t.Errorf("a byte after the last fact: %v, want errStagedCorrupt", err)
	}
	huge := append([]byte(nil), factsMagic...)
	huge = append(huge, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)
	if _, err := decodeFacts(huge); !errors.Is(err, errStagedCorrupt) {
		t.Errorf("a count of 2^63 facts in 14 bytes: %v, want errStagedCorrupt", err)
	}
	if _, err := decodeFacts([]byte("PDSF\x02")); !errors.Is(err, errStagedCorrupt) {
		t.Errorf("another version's part: %v, want errStagedCorrupt", err)
	}
	// One fact written by hand: 2025-01, every string "" (new, then the
	// first string again), 3 items, then flags, the weight 2.5, the note's
	// and the source's strings.
	part := func(flags byte, noteRef uint64) []byte {
		b := append([]byte(nil), factsMagic...)
		b = binary.AppendUvarint(b, 1)
		b = binary.AppendVarint(b, 2025)
		b = binary.AppendVarint(b, 1)
		b = append(b, 0, 0, 1, 1, 1, 1) // "" new, then four references to it
		b = binary.AppendVarint(b, 3)
		b = append(b, flags)
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(2.5))
		b = binary.AppendUvarint(b, noteRef)
		return append(b, 1)
	}
	want := []postal.Fact{{Month: postal.Month{Year: 2025, Month: 1}, Items: 3, HasItems: true, HasWeight: true, WeightKg: 2.5}}
	if got, err := decodeFacts(part(3, 1)); err != nil || !sameFacts(got, want) {
		t.Fatalf("the hand-written part: %+v, %v; want %+v", got, err, want)
	}
	if got, err := decodeFacts(part(4, 1)); !errors.Is(err, errStagedCorrupt) {
		t.Errorf("flags 4: %+v, %v; want errStagedCorrupt", got, err)
	}
	if got, err := decodeFacts(part(3, 2)); !errors.Is(err, errStagedCorrupt) {
		t.Errorf("a reference to a second string of a part that holds one: %+v, %v; want errStagedCorrupt", got, err)
	}
}

// FuzzDecodeFacts: whatever a part holds, decoding it ends in facts or an
// error; facts that decode stage again to the same facts.
func FuzzDecodeFacts(f *testing.F) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{0, 1, 3} {
		f.Add(encodeFacts(nil, randomFacts(r, n)))
	}
	f.Add([]byte(`[{"Month":{"Year":2025,"Month":1},"Direction":"inbound","Items":3,"HasItems":true}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := decodeFacts(data)
		if err != nil {
			return
		}
		again, err := decodeFacts(encodeFacts(nil, facts))
		if err != nil || !sameFacts(again, facts) {
			t.Fatalf("decoded %d facts that do not stage again alike: %v", len(facts), err)
		}
	})
}

func BenchmarkStagedFacts(b *testing.B) {
	facts := randomFacts(rand.New(rand.NewPCG(15, 16)), 6000)
	for i := range facts { // as a sheet's: a few series, one sheet
		facts[i].Direction, facts[i].Partner, facts[i].Category, facts[i].Sheet, facts[i].Note = "inbound", "china_post", "parcel", "Manifest", ""
	}
	b.Run("compact", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf = encodeFacts(buf[:0], facts)
			if _, err := decodeFacts(buf); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(buf))/float64(len(facts)), "B/fact")
	})
	b.Run("json", func(b *testing.B) {
		for i := range facts {
			facts[i].Source, facts[i].Marketplace = "C5:C900", ""
		}
		var data []byte
		for b.Loop() {
			data, _ = json.Marshal(facts)
			var fs []postal.Fact
			if err := json.Unmarshal(data, &fs); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(data))/float64(len(facts)), "B/fact")
	})
}
