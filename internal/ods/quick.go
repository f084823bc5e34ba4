package ods

import (
	"bufio"
	"bytes"
	"html"
	"io"
)

// quickScan lists the tables and their visibility with a byte search for
// the few tags it needs, about a hundred times faster than encoding/xml: it
// answers only when the root element binds the prefixes office:, table: and
// style: to the OpenDocument namespaces (as every writer does); otherwise
// ok is false and the caller reads the document with encoding/xml. The rows
// are read, and the XML checked, by Rows and MergedRanges.
func quickScan(r io.Reader) (sheets []SheetInfo, ok bool) {
	br := bufio.NewReaderSize(r, 256<<10)
	hidden := map[string]bool{}
	var style string
	root, body := false, false
	for {
		if _, err := br.ReadSlice('<'); err == bufio.ErrBufferFull {
			continue // no < in the buffer: look on
		} else if err != nil {
			return sheets, root && body
		}
		head, _ := br.Peek(32)
		switch {
		case !root && (bytes.HasPrefix(head, []byte("?")) || bytes.HasPrefix(head, []byte("!"))):
			continue
		case !root:
			tag, ok := readTag(br)
			if !ok || !bytes.HasPrefix(tag, []byte("office:document")) {
				return nil, false
			}
			a := attrs(tag)
			if a["xmlns:office"] != nsOffice || a["xmlns:table"] != nsTable || a["xmlns:style"] != nsStyle {
				return nil, false
			}
			root = true
		case isTag(head, "style:style"):
			tag, ok := readTag(br)
			if !ok {
				return nil, false
			}
			style = ""
			if a := attrs(tag); a["style:family"] == "table" {
				style = a["style:name"]
			}
		case isTag(head, "style:table-properties"):
			tag, ok := readTag(br)
			if !ok {
				return nil, false
			}
			if attrs(tag)["table:display"] == "false" && style != "" {
				hidden[style] = true
			}
		case isTag(head, "office:spreadsheet"):
			body = true
		case body && isTag(head, "table:table"):
			tag, ok := readTag(br)
			if !ok {
				return nil, false
			}
			a := attrs(tag)
			sheets = append(sheets, SheetInfo{Name: a["table:name"], Hidden: hidden[a["table:style-name"]]})
		}
	}
}

// isTag reports whether head starts with the tag name followed by a space, > or /.
func isTag(head []byte, name string) bool {
	if len(head) <= len(name) || string(head[:len(name)]) != name {
		return false
	}
	switch head[len(name)] {
	case ' ', '\t', '\n', '\r', '>', '/':
		return true
	}
	return false
}

// readTag reads up to the > that ends the tag (outside quotes), at most 1 MiB.
func readTag(br *bufio.Reader) ([]byte, bool) {
	var tag []byte
	quote := byte(0)
	for len(tag) < 1<<20 {
		c, err := br.ReadByte()
		if err != nil {
			return nil, false
		}
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\''):
			quote = c
		case quote == 0 && c == '>':
			return tag, true
		}
		tag = append(tag, c)
	}
	return nil, false
}

// attrs reads a tag's attributes (qualified names, unescaped values).
func attrs(tag []byte) map[string]string {
	out := map[string]string{}
	i := bytes.IndexAny(tag, " \t\r\n")
	if i < 0 {
		return out
	}
	rest := tag[i:]
	for {
		rest = bytes.TrimLeft(rest, " \t\r\n/")
		eq := bytes.IndexByte(rest, '=')
		if eq < 0 {
			return out
		}
		name := string(bytes.TrimSpace(rest[:eq]))
		rest = bytes.TrimLeft(rest[eq+1:], " \t\r\n")
		if len(rest) == 0 || rest[0] != '"' && rest[0] != '\'' {
			return out
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return out
		}
		out[name] = html.UnescapeString(string(rest[1 : 1+end]))
		rest = rest[end+2:]
	}
}
