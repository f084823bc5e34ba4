package xlsx

import (
	"archive/zip"
	"fmt"
	"io"
	"path"
	"strings"
)

// sheetEntry is a worksheet of the workbook and where its XML lives.
type sheetEntry struct {
	info SheetInfo
	part *zip.File // nil when the relationship points at a missing part
	path string
}

// rel is one relationship of a .rels part.
type rel struct {
	id, typ, target string
	external        bool
}

// Relationship type suffixes; transitional and Strict types share them.
const (
	relOfficeDocument = "/officeDocument"
	relWorksheet      = "/worksheet"
	relSharedStrings  = "/sharedStrings"
)

// readStructure resolves the workbook part, its sheets, its date system and
// where its shared strings are.
func (w *Workbook) readStructure() error {
	wbPath, err := w.workbookPath()
	if err != nil {
		return err
	}
	wbPart := w.part(wbPath)
	if wbPart == nil {
		return fmt.Errorf("%w: no workbook part %s", ErrNotOOXML, wbPath)
	}
	if strings.HasSuffix(strings.ToLower(wbPath), ".bin") {
		return ErrXLSB
	}
	relsPath := path.Join(path.Dir(wbPath), "_rels", path.Base(wbPath)+".rels")
	rels, err := w.readRels(relsPath)
	if err != nil {
		return err
	}
	if rels == nil {
		return fmt.Errorf("%w: workbook relationships (%s) missing", ErrCorrupt, relsPath)
	}
	byID := make(map[string]rel, len(rels))
	for _, r := range rels {
		byID[r.id] = r
		if strings.HasSuffix(r.typ, relSharedStrings) && !r.external {
			w.sstPath = resolveTarget(wbPath, r.target)
		}
		if strings.HasSuffix(r.typ, relStyles) && !r.external {
			w.stylesPath = resolveTarget(wbPath, r.target)
		}
	}
	return w.readWorkbook(wbPart, wbPath, byID)
}

// workbookPath finds the main workbook part from the package relationships,
// falling back to the conventional name when they are missing.
func (w *Workbook) workbookPath() (string, error) {
	rels, err := w.readRels("_rels/.rels")
	if err != nil {
		return "", err
	}
	for _, r := range rels {
		if strings.HasSuffix(r.typ, relOfficeDocument) && !r.external {
			return resolveTarget("", r.target), nil
		}
	}
	switch {
	case w.part("xl/workbook.xml") != nil:
		return "xl/workbook.xml", nil
	case w.part("xl/workbook.bin") != nil:
		return "", ErrXLSB
	}
	return "", fmt.Errorf("%w: no xl/workbook.xml", ErrNotOOXML)
}

// readWorkbook reads workbook.xml: the sheet list and the date system.
func (w *Workbook) readWorkbook(zf *zip.File, wbPath string, byID map[string]rel) error {
	rc, err := w.openPart(zf)
	if err != nil {
		return err
	}
	defer rc.Close()
	s := newScanner(rc)
	isWorkbook := false
	for k := s.next(); k != tokEOF; k = s.next() {
		if k != tokStart && k != tokEmpty {
			continue
		}
		switch string(s.name) {
		case "workbook":
			isWorkbook = true
		case "workbookPr":
			if v, ok := attr(s.attrs, "date1904"); ok {
				w.date1904 = v == "1" || strings.EqualFold(v, "true")
			}
		case "sheet":
			w.addSheet(s.attrs, wbPath, byID)
			if len(w.sheets) > w.lim.MaxSheets {
				return limitErr(LimitSheets, int64(w.lim.MaxSheets))
			}
		}
	}
	if err := s.Err(); err != nil {
		return fmt.Errorf("%w: workbook part: %v", ErrCorrupt, err)
	}
	if !isWorkbook {
		return fmt.Errorf("%w: main part %s is not a workbook", ErrNotOOXML, wbPath)
	}
	return nil
}

// addSheet records a <sheet> element when it names a worksheet; chartsheets,
// dialog sheets and macro sheets hold no cells and are left out.
func (w *Workbook) addSheet(attrs []byte, wbPath string, byID map[string]rel) {
	e := sheetEntry{}
	var id string
	it := attrIter{attrs}
	for {
		n, v, ok := it.next()
		if !ok {
			break
		}
		switch string(n) {
		case "name":
			e.info.Name = string(decodeEscapes(appendText(nil, v)))
		case "state":
			switch string(v) {
			case "hidden":
				e.info.Visibility = Hidden
			case "veryHidden":
				e.info.Visibility = VeryHidden
			}
		case "id":
			id = string(v)
		}
	}
	r, ok := byID[id]
	if ok && !strings.HasSuffix(r.typ, relWorksheet) {
		return
	}
	if ok && !r.external {
		e.path = resolveTarget(wbPath, r.target)
		e.part = w.part(e.path)
	}
	w.sheets = append(w.sheets, e)
}

// readRels reads a relationships part; a missing part gives nil, nil.
func (w *Workbook) readRels(name string) ([]rel, error) {
	zf := w.part(name)
	if zf == nil {
		return nil, nil
	}
	rc, err := w.openPart(zf)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	rels := []rel{} // present but possibly empty, unlike a missing part
	s := newScanner(rc)
	for k := s.next(); k != tokEOF; k = s.next() {
		if (k != tokStart && k != tokEmpty) || string(s.name) != "Relationship" {
			continue
		}
		var r rel
		it := attrIter{s.attrs}
		for {
			n, v, ok := it.next()
			if !ok {
				break
			}
			switch string(n) {
			case "Id":
				r.id = string(v)
			case "Type":
				r.typ = string(v)
			case "Target":
				r.target = string(appendText(nil, v))
			case "TargetMode":
				r.external = string(v) == "External"
			}
		}
		rels = append(rels, r)
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCorrupt, name, err)
	}
	return rels, nil
}

// resolveTarget turns a relationship target into a part name: absolute
// targets start at the package root, others are relative to the source
// part's folder.
func resolveTarget(source, target string) string {
	target = strings.ReplaceAll(target, `\`, "/")
	if strings.HasPrefix(target, "/") {
		return path.Clean(target)[1:]
	}
	return strings.TrimPrefix(path.Join(path.Dir(source), target), "/")
}

// openPart opens a zip member, guarding the read with its declared size.
func (w *Workbook) openPart(zf *zip.File) (io.ReadCloser, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: open part %s: %v", ErrCorrupt, zf.Name, err)
	}
	return limitedPart{Reader: io.LimitReader(rc, int64(zf.UncompressedSize64)), Closer: rc}, nil
}

type limitedPart struct {
	io.Reader
	io.Closer
}
