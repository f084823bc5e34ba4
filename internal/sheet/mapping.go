package sheet

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"postdash/internal/i18n"
	"postdash/internal/postal"
)

// Mappings (contract section 8): what an analyst decided a table's columns
// hold where the sheet left it unsaid. A mapping is keyed by the table's
// header texts, folded as in section 3 and compared as a set, so a later
// file of the same form gets it whatever order its columns are in; each
// choice names its column by header text (the letter is only a reminder).

// MappingFormat and MappingVersion identify a mapping's JSON.
const (
	MappingFormat  = "postdash-mapping"
	MappingVersion = 1
)

// Mapping is the analyst's reading of one table's columns.
type Mapping struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	ID      int64     `json:"id,omitempty"`
	SavedBy string    `json:"saved_by,omitempty"`
	SavedAt time.Time `json:"saved_at,omitzero"`
	// Header is every header text of the table, folded, left to right.
	Header []string `json:"header"`
	// Columns are the choices, one per column the analyst decided.
	Columns []ColumnChoice `json:"columns"`
	// Layout is "across" for a table with the months across its columns
	// (its Header then leaves the month headers out, which change every
	// month); empty for a list or wide table.
	Layout string `json:"layout,omitempty"`
	// Rows are the choices for the stub rows of an across table, one per
	// row the analyst decided.
	Rows []RowChoice `json:"rows,omitempty"`
	// Source says where a mapping that was not saved comes from (a file's
	// name); empty for a saved one.
	Source string `json:"-"`
}

// ColumnChoice is what one column holds, as the analyst chose.
type ColumnChoice struct {
	Header      string  `json:"header"`           // folded header text, one of Mapping.Header
	Column      string  `json:"column,omitempty"` // its letter when chosen: a reminder, the header decides
	Meaning     string  `json:"meaning"`          // one of ChoiceMeanings
	Category    string  `json:"category,omitempty"`
	Direction   string  `json:"direction,omitempty"`
	Partner     string  `json:"partner,omitempty"`
	Marketplace string  `json:"marketplace,omitempty"`
	Unit        string  `json:"unit,omitempty"`       // items, kg, t, g or lb
	Multiplier  float64 `json:"multiplier,omitempty"` // of the unit (1000: thousands); 0 or 1: none
	Year        int     `json:"year,omitempty"`       // the year of its figures, when the header names none
}

// RowChoice is what one stub row of a months-across table counts, as the
// analyst chose: its label names it, so a row that moves keeps its choice.
type RowChoice struct {
	Label       string  `json:"label"`         // folded stub text (the label, and its unit cell after a comma)
	Row         int     `json:"row,omitempty"` // its row number when chosen: a reminder, the label decides
	Meaning     string  `json:"meaning"`       // measure or ignore
	Category    string  `json:"category,omitempty"`
	Direction   string  `json:"direction,omitempty"`
	Partner     string  `json:"partner,omitempty"`
	Marketplace string  `json:"marketplace,omitempty"`
	Unit        string  `json:"unit,omitempty"`       // items, kg, t, g or lb
	Multiplier  float64 `json:"multiplier,omitempty"` // of the unit (1000: thousands); 0 or 1: none
}

// RowMeanings are the meanings a stub row may be given.
var RowMeanings = []string{"measure", "ignore"}

// LayoutAcross is the layout of a mapping for a months-across table.
const LayoutAcross = "across"

// ChoiceMeanings are the meanings a column may be given, by the name a
// mapping writes, with the role each gives.
var ChoiceMeanings = []string{"measure", "period", "year", "direction", "partner", "category", "marketplace", "ignore"}

var choiceRoles = map[string]role{
	"measure": roleMeasure, "period": rolePeriod, "year": roleYear, "direction": roleDirection,
	"partner": rolePartner, "category": roleCategory, "marketplace": roleMarketplace, "ignore": roleDropped,
}

// MappingUnits are the units a measure may be given.
var MappingUnits = []string{"items", "kg", "t", "g", "lb"}

// MappingRef names the mapping applied to a table.
type MappingRef struct {
	ID      int64     `json:"id,omitempty"`
	SavedBy string    `json:"saved_by,omitempty"`
	SavedAt time.Time `json:"saved_at,omitzero"`
	Source  string    `json:"source,omitempty"` // a mapping that was not saved: its file
}

// Ref names m.
func (m *Mapping) Ref() *MappingRef {
	return &MappingRef{ID: m.ID, SavedBy: m.SavedBy, SavedAt: m.SavedAt, Source: m.Source}
}

// MappingError says why a mapping cannot be used; Key names its message
// in the catalogs ("import.mapping.").
type MappingError struct {
	Key  string
	Args map[string]string
	Text string
}

func (e *MappingError) Error() string { return e.Text }

func mappingError(key string, args map[string]string) *MappingError {
	return &MappingError{Key: key, Args: args, Text: i18n.Fill(messages[key], args)}
}

// ParseMapping reads a mapping from its JSON and checks it.
func ParseMapping(b []byte) (*Mapping, error) {
	var m Mapping
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, mappingError(keyMappingJSON, nil)
	}
	if err := m.Check(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Check reports whether m is a mapping this reader can apply, and brings its
// texts to their folded and canonical form.
func (m *Mapping) Check() error {
	if m.Format != MappingFormat || m.Version != MappingVersion {
		return mappingError(keyMappingVersion, map[string]string{"version": strconv.Itoa(MappingVersion)})
	}
	if len(m.Header) == 0 || len(m.Columns) == 0 && len(m.Rows) == 0 {
		return mappingError(keyMappingEmpty, nil)
	}
	if m.Layout != "" && m.Layout != LayoutAcross || len(m.Rows) > 0 && m.Layout != LayoutAcross {
		return mappingError(keyMappingColumn, map[string]string{"header": quote(m.Layout), "field": "layout", "value": quote(m.Layout)})
	}
	header := m.Header[:0]
	for _, h := range m.Header {
		if h := postal.Fold(h); h != "" {
			header = append(header, h)
		}
	}
	m.Header = header
	vocab := postal.DefaultMatcher()
	for i := range m.Columns {
		c := &m.Columns[i]
		c.Header = postal.Fold(c.Header)
		bad := func(field, value string) error {
			return mappingError(keyMappingColumn, map[string]string{"header": quote(c.Header), "field": field, "value": quote(value)})
		}
		if !slices.Contains(m.Header, c.Header) {
			return bad("header", c.Header)
		}
		if _, ok := choiceRoles[c.Meaning]; !ok {
			return bad("meaning", c.Meaning)
		}
		if c.Meaning != "measure" {
			if c.Category != "" || c.Direction != "" || c.Partner != "" || c.Marketplace != "" || c.Unit != "" || c.Year != 0 || c.Multiplier != 0 {
				return bad("meaning", c.Meaning)
			}
			continue
		}
		if c.Category != "" && !slices.Contains(postal.Categories, postal.Category(c.Category)) {
			return bad("category", c.Category)
		}
		if c.Direction != "" && !slices.Contains(postal.Directions, postal.Direction(c.Direction)) {
			return bad("direction", c.Direction)
		}
		if c.Unit != "" && !slices.Contains(MappingUnits, c.Unit) {
			return bad("unit", c.Unit)
		}
		if c.Multiplier < 0 || c.Multiplier > 1e9 {
			return bad("multiplier", strconv.FormatFloat(c.Multiplier, 'f', -1, 64))
		}
		if c.Year != 0 && (c.Year < 1990 || c.Year > 2100) {
			return bad("year", strconv.Itoa(c.Year))
		}
		c.Partner = firstOf(canonicalOf(vocab, postal.KindPartner, c.Partner), strings.TrimSpace(c.Partner))
		c.Marketplace = firstOf(canonicalOf(vocab, postal.KindMarketplace, c.Marketplace), strings.TrimSpace(c.Marketplace))
	}
	for i := range m.Rows {
		r := &m.Rows[i]
		r.Label = postal.Fold(r.Label)
		bad := func(field, value string) error {
			return mappingError(keyMappingColumn, map[string]string{"header": quote(r.Label), "field": field, "value": quote(value)})
		}
		if r.Label == "" {
			return bad("label", r.Label)
		}
		if !slices.Contains(RowMeanings, r.Meaning) {
			return bad("meaning", r.Meaning)
		}
		if r.Meaning == "ignore" {
			if r.Category != "" || r.Direction != "" || r.Partner != "" || r.Marketplace != "" || r.Unit != "" || r.Multiplier != 0 {
				return bad("meaning", r.Meaning)
			}
			continue
		}
		if r.Category != "" && !slices.Contains(postal.Categories, postal.Category(r.Category)) {
			return bad("category", r.Category)
		}
		if r.Direction != "" && !slices.Contains(postal.Directions, postal.Direction(r.Direction)) {
			return bad("direction", r.Direction)
		}
		if r.Unit != "" && !slices.Contains(MappingUnits, r.Unit) {
			return bad("unit", r.Unit)
		}
		if r.Multiplier < 0 || r.Multiplier > 1e9 {
			return bad("multiplier", strconv.FormatFloat(r.Multiplier, 'f', -1, 64))
		}
		r.Partner = firstOf(canonicalOf(vocab, postal.KindPartner, r.Partner), strings.TrimSpace(r.Partner))
		r.Marketplace = firstOf(canonicalOf(vocab, postal.KindMarketplace, r.Marketplace), strings.TrimSpace(r.Marketplace))
	}
	return nil
}

// Key is the mapping's header as one text: its folded header texts, sorted,
// after its layout for an across table.
func (m *Mapping) Key() string { return LayoutKey(m.Layout, m.Header) }

// LayoutKey is the key of a table of a layout ("" or LayoutAcross) with
// these header texts. An across table's texts leave out its month headers,
// so next month's file of the same form has the same key.
func LayoutKey(layout string, texts []string) string {
	if layout == "" {
		return HeaderKey(texts)
	}
	return layout + "\x1e" + HeaderKey(texts)
}

// HeaderKey is the key of a table's header texts: folded, sorted and joined,
// so that columns moving do not change it.
func HeaderKey(texts []string) string {
	f := make([]string, 0, len(texts))
	for _, t := range texts {
		if t := postal.Fold(t); t != "" {
			f = append(f, t) // styled empty header cells are empty
		}
	}
	slices.Sort(f)
	return strings.Join(f, "\x1f")
}

// mappingSet is the mappings a read may apply: those given for this import
// first (a file, the preview's choices), then the saved ones.
type mappingSet struct {
	given, saved []*Mapping
	byKey        map[string]*Mapping
	used         map[*Mapping]bool
	headers      [][]string // every table's folded header texts, to say why a given mapping did not apply
}

func newMappingSet(given, saved []Mapping) *mappingSet {
	s := &mappingSet{byKey: map[string]*Mapping{}, used: map[*Mapping]bool{}}
	add := func(list []Mapping, to *[]*Mapping) {
		for i := range list {
			m := &list[i]
			*to = append(*to, m)
			if _, ok := s.byKey[m.Key()]; !ok {
				s.byKey[m.Key()] = m
			}
		}
	}
	add(given, &s.given)
	add(saved, &s.saved)
	return s
}

// forTable returns the mapping whose header is the table's, or nil.
func (s *mappingSet) forTable(texts map[int]string) *Mapping {
	if s == nil || len(texts) == 0 {
		return nil
	}
	list := make([]string, 0, len(texts))
	for _, t := range texts {
		if t := postal.Fold(t); t != "" {
			list = append(list, t)
		}
	}
	return s.lookup("", list)
}

// forAcross returns the mapping of a months-across table whose header
// texts other than its months are these, or nil.
func (s *mappingSet) forAcross(texts []string) *Mapping {
	if s == nil || len(texts) == 0 {
		return nil
	}
	list := make([]string, 0, len(texts))
	for _, t := range texts {
		if t := postal.Fold(t); t != "" {
			list = append(list, t)
		}
	}
	return s.lookup(LayoutAcross, list)
}

func (s *mappingSet) lookup(layout string, list []string) *Mapping {
	s.headers = append(s.headers, list)
	m := s.byKey[LayoutKey(layout, list)]
	if m != nil {
		s.used[m] = true
	}
	return m
}

// mappingNote is a choice of a mapping that the sheet contradicts: the
// header is read, and the outcome says so.
type mappingNote struct {
	col           int
	header        string
	chosen, found string
}

// applyMapping gives the columns of lay what m chose for them. A choice
// fills what the header leaves unsaid; where the header says otherwise,
// the header wins and a note says so. Ignoring a column is always allowed.
func applyMapping(vocab *postal.Matcher, lay *layout, m *Mapping) {
	byHeader := map[string]ColumnChoice{}
	for _, c := range m.Columns {
		byHeader[c.Header] = c
	}
	for i := range lay.cols {
		c := &lay.cols[i]
		ch, ok := byHeader[postal.Fold(c.Header)]
		if !ok {
			continue
		}
		note := func(chosen, found string) {
			lay.mapNotes = append(lay.mapNotes, mappingNote{col: c.Col, header: c.Header, chosen: chosen, found: found})
		}
		want := choiceRoles[ch.Meaning]
		switch {
		case want == roleDropped:
			c.Role, c.Why = roleDropped, ""
			continue
		case want == c.Role && want != roleMeasure:
			continue
		case c.Role != roleUnknown && c.Role != roleIgnored && c.Role != roleMeasure,
			want != roleMeasure && c.Role == roleMeasure:
			note(ch.Meaning, c.meaning())
			continue
		case want != roleMeasure:
			c.Role, c.Why = want, ""
			continue
		}
		fill := func(field string, have *string, chosen string) {
			switch {
			case chosen == "":
			case *have == "":
				*have = chosen
			case *have != chosen:
				note(field+" "+chosen, field+" "+*have)
			}
		}
		fill("category", &c.Dims.Category, ch.Category)
		fill("direction", &c.Dims.Direction, ch.Direction)
		fill("partner", &c.Dims.Partner, ch.Partner)
		fill("marketplace", &c.Dims.Marketplace, ch.Marketplace)
		factor := max(ch.Multiplier, 1)
		switch u := postal.Unit(ch.Unit); {
		case u == "":
		case c.Unit == "":
			c.Unit, c.Factor = u, factor
		case c.Unit != u || c.Factor != factor:
			note("unit "+unitText(u, factor), "unit "+unitText(c.Unit, c.Factor))
		}
		switch {
		case ch.Year == 0:
		case c.Year == 0:
			c.Year = ch.Year
		case c.Year != ch.Year:
			note("year "+strconv.Itoa(ch.Year), "year "+strconv.Itoa(c.Year))
		}
		c.Role, c.Why, c.Bare = roleMeasure, "", false
		if c.Unit == "" {
			c.Role, c.Why = roleUnknown, keyUnitMissing
		}
	}
	lay.mapping = m.Ref()
}

func unitText(u postal.Unit, factor float64) string {
	if factor > 1 {
		return strconv.FormatFloat(factor, 'f', -1, 64) + " " + string(u)
	}
	return string(u)
}

// mappingWarnings reports the choices of lay's mapping that its header
// contradicts, once its table is read.
func (rd *reader) mappingWarnings(rep *SheetReport, lay layout, headerRow int) {
	for _, n := range lay.mapNotes {
		rd.warn(newIssue(rep.Name, cellName(n.col, headerRow), keyMappingHeaderWins, map[string]string{
			"col": colName(n.col), "header": quote(n.header), "chosen": n.chosen, "found": n.found,
		}))
	}
}

// unusedMappings warns of each mapping given for this import that applied
// to no table, naming the header texts by which the closest table differs.
func (rd *reader) unusedMappings() {
	s := rd.maps
	if s == nil {
		return
	}
	for _, m := range s.given {
		if s.used[m] {
			continue
		}
		var differ []string
		for _, h := range s.headers {
			var d []string
			for _, want := range m.Header {
				if !slices.Contains(h, want) {
					d = append(d, quote(want))
				}
			}
			for _, have := range h {
				if !slices.Contains(m.Header, have) {
					d = append(d, quote(have))
				}
			}
			if differ == nil || len(d) < len(differ) {
				differ = d
			}
		}
		if differ == nil {
			for _, want := range m.Header {
				differ = append(differ, quote(want))
			}
		}
		rd.warn(newIssue("", "", keyMappingUnused, map[string]string{
			"mapping": mappingName(m), "columns": strings.Join(differ, ", "),
		}))
	}
}

// mappingName names a mapping in a sentence.
func mappingName(m *Mapping) string {
	if m.ID != 0 {
		return fmt.Sprintf("%d", m.ID)
	}
	return quote(m.Source)
}
