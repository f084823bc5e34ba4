package xlsx

import (
	"bytes"
	"fmt"
)

// mergedRanges scans the sheet's XML for <mergeCell ref="A1:C2"/>. The
// merges follow sheetData, so rather than tokenise every cell it searches
// the raw bytes for the element name.
func (w *Workbook) mergedRanges(sheet string) ([]Range, error) {
	e, err := w.sheetByName(sheet)
	if err != nil {
		return nil, err
	}
	rc, err := w.openPart(e.part)
	if err != nil {
		return nil, fmt.Errorf("sheet %q: %w", sheet, err)
	}
	defer rc.Close()
	pat := []byte("mergeCell")
	s := newScanner(rc)
	var out []Range
	var area int64 // cells covered, overlaps counted again
	for s.skipTo(pat) {
		at := s.offset()
		if s.end-s.pos <= len(pat) {
			if !s.more() {
				break
			}
			continue
		}
		c := s.buf[s.pos+len(pat)]
		if !(isSpace(c) || c == '/' || c == '>') || !s.backToTagStart() {
			s.pos += len(pat)
			continue
		}
		k := s.next()
		if (k == tokEmpty || k == tokStart) && string(s.name) == "mergeCell" {
			if v, ok := rawAttr(s.attrs, "ref"); ok {
				if rg, ok := parseRange(v); ok {
					if len(out) >= w.lim.MaxMergedRanges {
						return nil, fmt.Errorf("sheet %q: %w", sheet, limitErr(LimitMergedRanges, int64(w.lim.MaxMergedRanges)))
					}
					if area += int64(rg.LastRow-rg.FirstRow+1) * int64(rg.LastCol-rg.FirstCol+1); area > w.lim.MaxMergedCells {
						return nil, fmt.Errorf("sheet %q: %w", sheet, limitErr(LimitMergedCells, w.lim.MaxMergedCells))
					}
					out = append(out, rg)
				}
			}
		}
		if k == tokEOF {
			break
		}
		if s.offset() <= at { // never rescan the same match
			s.pos = int(at-s.off) + len(pat)
		}
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("sheet %q: merged ranges: %w: %v", sheet, ErrCorrupt, err)
	}
	return out, nil
}

// backToTagStart steps back over an optional namespace prefix to the '<'
// that opens the tag whose name starts at the current position.
func (s *scanner) backToTagStart() bool {
	for i := s.pos - 1; i >= 0 && i >= s.pos-40; i-- {
		c := s.buf[i]
		if c == '<' {
			s.pos = i
			return true
		}
		if !(c == ':' || c == '_' || c == '-' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return false
}

// parseRange reads "A1:C2" (or a single cell "B4") into a 0-based Range.
func parseRange(ref []byte) (Range, bool) {
	a, b, found := bytes.Cut(trimSpace(ref), []byte(":"))
	r1, c1, ok := parseCellRef(a)
	if !ok {
		return Range{}, false
	}
	r2, c2 := r1, c1
	if found {
		if r2, c2, ok = parseCellRef(b); !ok {
			return Range{}, false
		}
	}
	return Range{FirstRow: min(r1, r2), FirstCol: min(c1, c2), LastRow: max(r1, r2), LastCol: max(c1, c2)}, true
}
