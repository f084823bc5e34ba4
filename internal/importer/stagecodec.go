package importer

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"postdash/internal/postal"
)

// The staged facts of a preview are written in a compact form of their
// own rather than as JSON: the confirm reads them back on its way to the
// commit, and decoding the 1M-row manifest's 5,940 facts from JSON took
// 50–65 ms of that path (in this form the read-back takes 2–7 ms, the
// store's query included). A part is factsMagic, the count of facts, then
// each fact's fields in order; a string is a back-reference to an earlier
// string of the part or a new one, so that the few series names and the
// sheet name are written (and held in memory) once per part. A part that
// does not start with factsMagic is JSON, as parts staged before this
// form were.
var factsMagic = []byte("PDSF\x01")

// minFactBytes is the least a staged fact takes: one byte for each of the
// month's two numbers, the seven strings (back-references) and the items,
// the flags, eight for the weight.
const minFactBytes = 19

// errStagedCorrupt says a staged part is not one this code wrote.
var errStagedCorrupt = errors.New("staged facts are corrupt")

// encodeFacts appends the staged form of facts to dst.
func encodeFacts(dst []byte, facts []postal.Fact) []byte {
	dst = append(dst, factsMagic...)
	dst = binary.AppendUvarint(dst, uint64(len(facts)))
	seen := map[string]uint64{}
	str := func(s string) {
		if i, ok := seen[s]; ok {
			dst = binary.AppendUvarint(dst, i+1)
			return
		}
		seen[s] = uint64(len(seen))
		dst = binary.AppendUvarint(dst, 0)
		dst = binary.AppendUvarint(dst, uint64(len(s)))
		dst = append(dst, s...)
	}
	for _, f := range facts {
		dst = binary.AppendVarint(dst, int64(f.Month.Year))
		dst = binary.AppendVarint(dst, int64(f.Month.Month))
		str(string(f.Direction))
		str(f.Partner)
		str(string(f.Category))
		str(f.Marketplace)
		str(f.Sheet)
		dst = binary.AppendVarint(dst, f.Items)
		var flags byte
		if f.HasItems {
			flags |= 1
		}
		if f.HasWeight {
			flags |= 2
		}
		dst = append(dst, flags)
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(f.WeightKg))
		str(f.Note)
		str(f.Source)
	}
	return dst
}

// decodeFacts reads a staged part, in this form or (staged before it) JSON.
func decodeFacts(data []byte) ([]postal.Fact, error) {
	if !bytes.HasPrefix(data, factsMagic) {
		var fs []postal.Fact
		if err := json.Unmarshal(data, &fs); err != nil {
			return nil, fmt.Errorf("%w: %w", errStagedCorrupt, err)
		}
		return fs, nil
	}
	d := factsDecoder{data: data[len(factsMagic):]}
	n := d.uvarint()
	// Each fact takes at least minFactBytes: a count beyond what the part
	// can hold is corrupt, not an allocation to make.
	if d.err != nil || n > uint64(len(d.data))/minFactBytes {
		return nil, errStagedCorrupt
	}
	facts := make([]postal.Fact, n)
	for i := range facts {
		f := &facts[i]
		f.Month.Year = d.int()
		f.Month.Month = d.int()
		f.Direction = postal.Direction(d.str())
		f.Partner = d.str()
		f.Category = postal.Category(d.str())
		f.Marketplace = d.str()
		f.Sheet = d.str()
		f.Items = d.varint()
		flags := d.byte()
		f.HasItems, f.HasWeight = flags&1 != 0, flags&2 != 0
		f.WeightKg = math.Float64frombits(d.uint64())
		f.Note = d.str()
		f.Source = d.str()
		if d.err != nil {
			return nil, d.err
		}
		if flags&^3 != 0 {
			return nil, errStagedCorrupt
		}
	}
	if len(d.data) != 0 {
		return nil, errStagedCorrupt
	}
	return facts, nil
}

// factsDecoder reads the fields of a staged part; the first fault sticks
// in err, and every read after it answers zero.
type factsDecoder struct {
	data    []byte
	strings []string
	err     error
}

func (d *factsDecoder) fault() { d.err, d.data = errStagedCorrupt, nil }

func (d *factsDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.data)
	if n <= 0 {
		d.fault()
		return 0
	}
	d.data = d.data[n:]
	return v
}

func (d *factsDecoder) varint() int64 {
	v, n := binary.Varint(d.data)
	if n <= 0 {
		d.fault()
		return 0
	}
	d.data = d.data[n:]
	return v
}

func (d *factsDecoder) int() int {
	v := d.varint()
	if v != int64(int(v)) {
		d.fault()
		return 0
	}
	return int(v)
}

func (d *factsDecoder) byte() byte {
	if len(d.data) < 1 {
		d.fault()
		return 0
	}
	b := d.data[0]
	d.data = d.data[1:]
	return b
}

func (d *factsDecoder) uint64() uint64 {
	if len(d.data) < 8 {
		d.fault()
		return 0
	}
	v := binary.LittleEndian.Uint64(d.data)
	d.data = d.data[8:]
	return v
}

func (d *factsDecoder) str() string {
	ref := d.uvarint()
	if d.err != nil {
		return ""
	}
	if ref > 0 {
		if ref > uint64(len(d.strings)) {
			d.fault()
			return ""
		}
		return d.strings[ref-1]
	}
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.data)) {
		d.fault()
		return ""
	}
	s := string(d.data[:n])
	d.data = d.data[n:]
	d.strings = append(d.strings, s)
	return s
}
