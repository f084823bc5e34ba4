package xlsx

import (
	"context"
	"errors"
	"fmt"
)

// loadSST reads the shared strings once. Each <si> is the concatenation of
// its <t> texts (a plain string or rich-text runs), leaving out phonetic
// runs (<rPh>); uniqueCount and count are not trusted.
func (w *Workbook) loadSST(ctx context.Context) error {
	if w.sstLoaded {
		return nil
	}
	zf := w.part(w.sstPath)
	if w.sstPath == "" || zf == nil {
		w.sstLoaded = true
		return nil
	}
	rc, err := w.openPart(zf)
	if err != nil {
		return err
	}
	defer rc.Close()
	s := newScanner(&countingReader{r: rc, ctx: ctx})
	var (
		buf       []byte
		inSI, inT bool
		rph       int
		strs      []string
		total     int64
	)
	lim := w.lim
	add := func(v []byte) error {
		if len(strs) >= lim.MaxSharedStrings {
			return limitErr(LimitSharedStrings, int64(lim.MaxSharedStrings))
		}
		if total += int64(len(v)); total > lim.MaxSharedStringBytes {
			return limitErr(LimitSharedStringBytes, lim.MaxSharedStringBytes)
		}
		strs = append(strs, string(v))
		return nil
	}
	for k := s.next(); k != tokEOF; k = s.next() {
		switch k {
		case tokStart:
			switch string(s.name) {
			case "si", "sstItem": // sstItem: the Excel 2007 beta schema
				inSI, buf, rph = true, buf[:0], 0
			case "t":
				inT = inSI
			case "rPh":
				rph++
			}
		case tokEmpty:
			if string(s.name) == "si" || string(s.name) == "sstItem" {
				if err := add(nil); err != nil {
					return err
				}
			}
		case tokEnd:
			switch string(s.name) {
			case "si", "sstItem":
				if inSI {
					if err := add(decodeEscapes(buf)); err != nil {
						return err
					}
				}
				inSI = false
			case "t":
				inT = false
			case "rPh":
				rph--
			}
		case tokText:
			if inT && rph == 0 {
				if buf = appendText(buf, s.text); len(buf) > lim.MaxCellBytes {
					return limitErr(LimitCellBytes, int64(lim.MaxCellBytes))
				}
			}
		case tokCDATA:
			if inT && rph == 0 {
				if buf = appendCDATA(buf, s.text); len(buf) > lim.MaxCellBytes {
					return limitErr(LimitCellBytes, int64(lim.MaxCellBytes))
				}
			}
		}
	}
	if err := s.Err(); err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("shared strings: %w", err)
		}
		return fmt.Errorf("%w: shared strings: %v", ErrCorrupt, err)
	}
	w.sst, w.sstLoaded = strs, true
	return nil
}
