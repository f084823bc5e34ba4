package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// tokKind is the kind of an XML token found by scanner.
type tokKind uint8

const (
	tokEOF   tokKind = iota
	tokStart         // <name attrs>
	tokEnd           // </name>
	tokEmpty         // <name attrs/>
	tokText          // character data, entities not yet decoded
	tokCDATA         // the content of a CDATA section, literal
)

const (
	scanBufSize = 64 << 10
	// maxToken bounds a single tag or text run; Excel caps a cell at 32,767
	// characters, so anything near this is a broken or hostile file.
	maxToken = 16 << 20
)

var errTokenTooLong = errors.New("xml token longer than 16 MiB")

// scanner is a byte-level XML tokenizer over a stream. It understands just
// enough XML for SpreadsheetML: tags, attributes, text, CDATA, comments,
// processing instructions and a DOCTYPE (skipped, so no entity it declares is
// ever expanded). Token slices point into its buffer and are valid until the
// next call to next. It is roughly ten times faster than encoding/xml because
// it allocates nothing per token and never builds names or attribute lists.
type scanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	off      int64 // input offset of buf[0]
	eof      bool
	err      error

	kind  tokKind
	name  []byte // local name of a tag
	attrs []byte // raw attribute text of a start or empty tag
	text  []byte // tokText or tokCDATA content
}

func newScanner(r io.Reader) *scanner {
	s := &scanner{r: r, buf: make([]byte, scanBufSize)}
	s.skipBOM()
	return s
}

func (s *scanner) skipBOM() {
	for s.end-s.pos < 3 && s.more() {
	}
	if bytes.HasPrefix(s.buf[s.pos:s.end], []byte{0xEF, 0xBB, 0xBF}) {
		s.pos += 3
	}
}

// more makes room and reads more input, keeping buf[pos:end]. It reports
// false when no byte could be added (end of input or an error).
func (s *scanner) more() bool {
	if s.eof || s.err != nil {
		return false
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.off += int64(s.pos)
		s.pos, s.end = 0, n
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= maxToken {
			s.err = errTokenTooLong
			return false
		}
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
			return n > 0
		}
		if err != nil {
			s.err = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// next reads the next token into s.kind and its fields.
func (s *scanner) next() tokKind {
	for {
		if s.pos >= s.end && !s.more() {
			s.kind = tokEOF
			return tokEOF
		}
		b := s.buf[s.pos:s.end]
		if b[0] != '<' {
			i := indexLT(b)
			if i < 0 {
				if s.more() {
					continue
				}
				i = len(b)
			}
			s.text = b[:i]
			s.pos += i
			s.kind = tokText
			return tokText
		}
		k, n := s.tag(b)
		if n == 0 {
			if s.more() {
				continue
			}
			// Unterminated markup at the end of input.
			if s.err == nil {
				s.err = io.ErrUnexpectedEOF
			}
			s.kind = tokEOF
			return tokEOF
		}
		s.pos += n
		if k == tokEOF { // comment, PI, DOCTYPE: skip
			continue
		}
		s.kind = k
		return k
	}
}

// tag parses the markup at the start of b (b[0] == '<'). It returns the
// token kind (tokEOF for markup to skip) and its length, or length 0 when b
// does not hold the whole markup yet.
func (s *scanner) tag(b []byte) (tokKind, int) {
	if len(b) < 2 {
		return tokEOF, 0
	}
	switch b[1] {
	case '/':
		i := 2
		for i < len(b) && b[i] != '>' {
			i++
		}
		if i == len(b) {
			return tokEOF, 0
		}
		s.name = localName(trimSpace(b[2:i]))
		return tokEnd, i + 1
	case '?':
		i := bytes.Index(b, []byte("?>"))
		if i < 0 {
			return tokEOF, 0
		}
		return tokEOF, i + 2
	case '!':
		return s.bang(b)
	}
	// A start or empty tag: the name, then attributes up to a '>' that is
	// not inside a quoted value, in one pass.
	i := 1
	for i < len(b) && !isSpace(b[i]) && b[i] != '>' && b[i] != '/' {
		i++
	}
	nameEnd := i
	var quote byte
	for ; i < len(b); i++ {
		c := b[i]
		if quote != 0 {
			if c == quote {
				quote = 0
			}
			continue
		}
		if c == '>' {
			break
		}
		if c == '"' || c == '\'' {
			quote = c
		}
	}
	if i == len(b) {
		return tokEOF, 0
	}
	k, attrEnd := tokStart, i
	if b[i-1] == '/' && i-1 >= nameEnd {
		k, attrEnd = tokEmpty, i-1
	}
	s.name = localName(b[1:min(nameEnd, attrEnd)])
	s.attrs = b[min(nameEnd, attrEnd):attrEnd]
	return k, i + 1
}

// bang handles <!-- -->, <![CDATA[ ]]> and <!DOCTYPE ...>.
func (s *scanner) bang(b []byte) (tokKind, int) {
	switch {
	case bytes.HasPrefix(b, []byte("<!--")):
		i := bytes.Index(b[4:], []byte("-->"))
		if i < 0 {
			return tokEOF, 0
		}
		return tokEOF, 4 + i + 3
	case bytes.HasPrefix(b, []byte("<![CDATA[")):
		i := bytes.Index(b[9:], []byte("]]>"))
		if i < 0 {
			return tokEOF, 0
		}
		s.text = b[9 : 9+i]
		return tokCDATA, 9 + i + 3
	case len(b) < 9:
		return tokEOF, 0
	}
	// A declaration such as DOCTYPE, possibly with an internal subset in
	// brackets; quoted strings may hold any character.
	depth := 0
	var quote byte
	for i := 2; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '>' && depth <= 0:
			return tokEOF, i + 1
		}
	}
	return tokEOF, 0
}

// skipTo advances to just before the first occurrence of pat, reporting false
// when the input ends first. It keeps a little context before the match so
// that a caller can step back to the '<' of a prefixed tag.
func (s *scanner) skipTo(pat []byte) bool {
	const keep = 64
	for {
		b := s.buf[s.pos:s.end]
		if i := bytes.Index(b, pat); i >= 0 {
			s.pos += i
			return true
		}
		if n := len(b) - len(pat) - keep; n > 0 {
			s.pos += n
		}
		if !s.more() {
			return false
		}
	}
}

// offset is the input offset of the current position.
func (s *scanner) offset() int64 { return s.off + int64(s.pos) }

// Err is the first read error, if any.
func (s *scanner) Err() error {
	if s.err != nil {
		return fmt.Errorf("read xml: %w", s.err)
	}
	return nil
}

// localName strips a namespace prefix. Names are short, so a loop beats
// bytes.IndexByte's setup cost.
func localName(b []byte) []byte {
	for i, c := range b {
		if c == ':' {
			return b[i+1:]
		}
	}
	return b
}

// indexLT finds the next '<'. Cell values are short, so it looks at the
// first bytes itself before handing long text to bytes.IndexByte.
func indexLT(b []byte) int {
	n := min(len(b), 24)
	for i := range n {
		if b[i] == '<' {
			return i
		}
	}
	if n == len(b) {
		return -1
	}
	if i := bytes.IndexByte(b[n:], '<'); i >= 0 {
		return n + i
	}
	return -1
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// attrIter walks the attributes of a tag.
type attrIter struct{ b []byte }

// next returns the next attribute's local name and raw (undecoded) value.
// Namespace declarations (xmlns, xmlns:p) are skipped.
func (it *attrIter) next() (name, value []byte, ok bool) {
	for {
		b := it.b
		i := 0
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		j := i
		for j < len(b) && b[j] != '=' && !isSpace(b[j]) {
			j++
		}
		if j == i {
			return nil, nil, false
		}
		full := b[i:j]
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if j >= len(b) || b[j] != '=' {
			return nil, nil, false
		}
		j++
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if j >= len(b) || (b[j] != '"' && b[j] != '\'') {
			return nil, nil, false
		}
		q := b[j]
		k := bytes.IndexByte(b[j+1:], q)
		if k < 0 {
			return nil, nil, false
		}
		value = b[j+1 : j+1+k]
		it.b = b[j+1+k+1:]
		if bytes.Equal(full, []byte("xmlns")) || bytes.HasPrefix(full, []byte("xmlns:")) {
			continue
		}
		return localName(full), value, true
	}
}

// attr returns the decoded value of the attribute with the given local name.
func attr(attrs []byte, name string) (string, bool) {
	it := attrIter{attrs}
	for {
		n, v, ok := it.next()
		if !ok {
			return "", false
		}
		if string(n) == name {
			return string(appendText(nil, v)), true
		}
	}
}
