package source

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A sheetScanner reads the rows of an OOXML worksheet part as a stream of bytes:
// <row r="n"> … <c r="B2" t="s"><v>3</v></c> … </row>, cell values as a
// spreadsheet's raw values (excelize's RawCellValue: numbers and date serials as
// written, booleans 1/0, shared and inline strings as text). It replaces
// excelize's row iterator, which decodes every element through encoding/xml and
// reads about 12 000 rows a second; this reads the bytes once.
//
// It understands what a worksheet holds, not XML at large: no DTDs, no CDATA in
// cells (Office never writes them), namespace prefixes dropped. What it cannot
// read is an error naming the row, never a wrong value (fuzzed against excelize).
type sheetScanner struct {
	r       *bufio.Reader
	strings []string // the workbook's shared strings
	row     int      // the last row read (its r attribute, or the one before + 1)
	cells   []string
	text    []byte // a text node being read
	err     error
}

func newSheetScanner(r io.Reader, shared []string) *sheetScanner {
	return &sheetScanner{r: bufio.NewReaderSize(r, 256<<10), strings: shared}
}

// errSheet marks a worksheet that is not what a worksheet is.
var errSheet = errors.New("not a worksheet part")

// tag reads from after a '<' to its '>': the tag's bytes (without the brackets),
// attribute values quoted, valid until the next read. A '>' inside quotes stays.
func (s *sheetScanner) tag() ([]byte, error) {
	b, err := s.r.ReadSlice('>')
	if err == nil && (bytes.IndexByte(b, '"') < 0 && bytes.IndexByte(b, '\'') < 0 || quotesClosed(b)) {
		return b[:len(b)-1], nil
	}
	if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, err
	}
	acc := append([]byte(nil), b...) // a long tag, or a '>' inside a value
	for !(len(acc) > 0 && acc[len(acc)-1] == '>' && quotesClosed(acc)) {
		if len(acc) > 1<<20 {
			return nil, fmt.Errorf("%w: a tag longer than 1 MiB", errSheet)
		}
		b, err = s.r.ReadSlice('>')
		acc = append(acc, b...)
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, err
		}
	}
	return acc[:len(acc)-1], nil
}

// quotesClosed reports whether every quote opened in b is closed.
func quotesClosed(b []byte) bool {
	var q byte
	for _, c := range b {
		switch {
		case q == 0 && (c == '"' || c == '\''):
			q = c
		case c == q:
			q = 0
		}
	}
	return q == 0
}

// textUntilTag reads the text up to the next '<' and consumes the '<'.
func (s *sheetScanner) textUntilTag(keep bool) error {
	for {
		b, err := s.r.ReadSlice('<')
		if keep {
			if err == nil {
				s.text = append(s.text, b[:len(b)-1]...)
			} else {
				s.text = append(s.text, b...)
			}
		}
		if err == nil {
			return nil
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

// name is a tag's local name (namespace prefix dropped) and whether it closes
// (</x>) or is empty (<x/>).
func name(tag []byte) (local []byte, closing, empty bool) {
	if len(tag) > 0 && tag[0] == '/' {
		closing, tag = true, tag[1:]
	}
	if len(tag) > 0 && tag[len(tag)-1] == '/' {
		empty, tag = true, tag[:len(tag)-1]
	}
	end := bytes.IndexAny(tag, " \t\r\n")
	if end < 0 {
		end = len(tag)
	}
	local = tag[:end]
	if i := bytes.IndexByte(local, ':'); i >= 0 {
		local = local[i+1:]
	}
	return local, closing, empty
}

// The attributes the scanner reads, as they open in a tag (name and '=').
var (
	attrR = []byte("r=")
	attrT = []byte("t=")
)

// attr is the value of an attribute of a tag (raw, without its quotes), or nil;
// key is the attribute's name and '=' (attrR, attrT: no allocation per cell).
func attr(tag, key []byte) []byte {
	for i := 0; i < len(tag); {
		j := bytes.Index(tag[i:], key)
		if j < 0 {
			return nil
		}
		at := i + j
		// a whole attribute name: preceded by white space
		if at > 0 && (tag[at-1] == ' ' || tag[at-1] == '\t' || tag[at-1] == '\n' || tag[at-1] == '\r') && at+len(key) < len(tag) {
			q := tag[at+len(key)]
			if q == '"' || q == '\'' {
				rest := tag[at+len(key)+1:]
				if end := bytes.IndexByte(rest, q); end >= 0 {
					return rest[:end]
				}
				return nil
			}
		}
		i = at + len(key)
	}
	return nil
}

// Next reads the next row: its number and its cells by column (A is 0), with
// empty strings in the gaps. io.EOF after the last row.
func (s *sheetScanner) Next() (int, []string, error) {
	if s.err != nil {
		return 0, nil, s.err
	}
	for {
		if err := s.textUntilTag(false); err != nil {
			return 0, nil, s.fail(err)
		}
		t, err := s.tag()
		if err != nil {
			return 0, nil, s.fail(err)
		}
		local, closing, empty := name(t)
		switch {
		case string(local) == "sheetData" && closing:
			s.err = io.EOF
			return 0, nil, io.EOF
		case string(local) == "row" && !closing:
			n := s.row + 1
			if r := attr(t, attrR); r != nil {
				v, err := strconv.Atoi(string(r))
				if err != nil || v <= s.row || v > 1<<20 {
					return 0, nil, s.fail(fmt.Errorf("%w: row number %q after row %d", errSheet, r, s.row))
				}
				n = v
			}
			s.row = n
			s.cells = s.cells[:0]
			if empty {
				return n, s.cells, nil
			}
			if err := s.readRow(); err != nil {
				return 0, nil, s.fail(err)
			}
			return n, s.cells, nil
		}
	}
}

func (s *sheetScanner) fail(err error) error {
	if errors.Is(err, io.EOF) {
		err = fmt.Errorf("%w: the sheet ends inside its rows (a truncated file?)", errSheet)
	}
	s.err = err
	return err
}

// readRow reads the cells of a row up to its </row>.
func (s *sheetScanner) readRow() error {
	col := -1
	for {
		if err := s.textUntilTag(false); err != nil {
			return err
		}
		t, err := s.tag()
		if err != nil {
			return err
		}
		local, closing, empty := name(t)
		switch string(local) {
		case "row":
			if closing {
				return nil
			}
			return fmt.Errorf("%w: a row inside row %d", errSheet, s.row)
		case "c":
			if closing {
				continue
			}
			col++
			if ref := attr(t, attrR); ref != nil {
				c, ok := refColumn(ref)
				if !ok || c < col {
					return fmt.Errorf("%w: cell %q out of order in row %d", errSheet, ref, s.row)
				}
				col = c
			}
			typ := string(attr(t, attrT))
			value := ""
			if !empty {
				if value, err = s.readCell(typ); err != nil {
					return err
				}
			}
			for len(s.cells) < col {
				s.cells = append(s.cells, "")
			}
			s.cells = append(s.cells, value)
		}
	}
}

// readCell reads a cell's content up to its </c> and gives its raw value.
func (s *sheetScanner) readCell(typ string) (string, error) {
	var v, inline []byte
	var hasV bool
	depthIS, skip := 0, 0 // inside <is>; inside a phonetic run (<rPh>) or a formula
	for {
		keep := false
		if err := s.textUntilTag(false); err != nil {
			return "", err
		}
		t, err := s.tag()
		if err != nil {
			return "", err
		}
		local, closing, empty := name(t)
		switch string(local) {
		case "c":
			if !closing {
				return "", fmt.Errorf("%w: a cell inside a cell in row %d", errSheet, s.row)
			}
			switch typ {
			case "s":
				if !hasV {
					return "", nil
				}
				i, err := strconv.Atoi(strings.TrimSpace(string(v)))
				if err != nil || i < 0 || i >= len(s.strings) {
					return "", fmt.Errorf("%w: shared string %q in row %d does not exist", errSheet, v, s.row)
				}
				return s.strings[i], nil
			case "inlineStr":
				if inline != nil {
					return bstr(string(inline)), nil
				}
				return string(v), nil
			}
			return string(v), nil
		case "v":
			if closing || empty {
				continue
			}
			text, err := s.elementText() // and </v>
			if err != nil {
				return "", err
			}
			v, hasV = append(v[:0], text...), true
		case "is":
			if !empty {
				depthIS = depth(0, closing)
			}
		case "rPh", "f":
			if !empty {
				skip = depth(skip, closing)
			}
		case "t":
			keep = depthIS > 0 && skip == 0 && !closing && !empty
		}
		if keep {
			text, err := s.elementText() // and </t>
			if err != nil {
				return "", err
			}
			inline = append(inline, text...)
		}
	}
}

// depth is how deep in an element the scanner is after one of its tags.
func depth(d int, closing bool) int {
	if closing {
		return max(d-1, 0)
	}
	return d + 1
}

// readSharedStrings reads a shared strings part: each <si>'s text (its <t>, or
// its runs' <t> in order, phonetic runs left out), binary escapes undone.
func readSharedStrings(r io.Reader, limit int) ([]string, error) {
	s := newSheetScanner(r, nil)
	var out []string
	var cur []byte
	inSI, skip := false, 0
	for {
		if err := s.textUntilTag(false); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		t, err := s.tag()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		local, closing, empty := name(t)
		switch string(local) {
		case "si":
			switch {
			case empty:
				out = append(out, "")
			case closing:
				out, inSI = append(out, bstr(string(cur))), false
			default:
				cur, inSI = cur[:0], true
			}
			if len(out) > limit {
				return nil, fmt.Errorf("%w: more than %d shared strings", errSheet, limit)
			}
		case "rPh":
			if !empty {
				skip = depth(skip, closing)
			}
		case "t":
			if inSI && skip == 0 && !closing && !empty {
				s.text = s.text[:0]
				if err := s.textUntilTag(true); err != nil {
					return nil, err
				}
				text, err := unescape(s.text)
				if err != nil {
					return nil, err
				}
				cur = append(cur, text...)
				if _, err := s.tag(); err != nil {
					return nil, err
				}
			}
		}
	}
}

// refColumn is the 0-based column of a cell reference such as AB12.
func refColumn(ref []byte) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c >= 'A' && c <= 'Z':
			col = col*26 + int(c-'A'+1)
		case c >= 'a' && c <= 'z':
			col = col*26 + int(c-'a'+1)
		default:
			goto digits
		}
		if col > 16384 {
			return 0, false
		}
	}
digits:
	if i == 0 || i == len(ref) {
		return 0, false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	return col - 1, true
}

// unescape undoes XML's character references and normalises line ends (\r\n and
// \r to \n), as an XML parser does with text.
func unescape(b []byte) ([]byte, error) {
	if bytes.IndexByte(b, '&') < 0 && bytes.IndexByte(b, '\r') < 0 {
		return b, nil
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch c {
		case '\r':
			out = append(out, '\n')
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
		case '&':
			end := bytes.IndexByte(b[i:], ';')
			if end < 0 || end > 12 {
				return nil, fmt.Errorf("%w: a bare & in a text", errSheet)
			}
			ent := string(b[i+1 : i+end])
			switch ent {
			case "amp":
				out = append(out, '&')
			case "lt":
				out = append(out, '<')
			case "gt":
				out = append(out, '>')
			case "quot":
				out = append(out, '"')
			case "apos":
				out = append(out, '\'')
			default:
				var n uint64
				var err error
				switch {
				case strings.HasPrefix(ent, "#x"):
					n, err = strconv.ParseUint(ent[2:], 16, 32)
				case strings.HasPrefix(ent, "#"):
					n, err = strconv.ParseUint(ent[1:], 10, 32)
				default:
					err = errSheet
				}
				if err != nil || !utf8.ValidRune(rune(n)) {
					return nil, fmt.Errorf("%w: the entity &%s;", errSheet, ent)
				}
				out = utf8.AppendRune(out, rune(n))
			}
			i += end
		default:
			out = append(out, c)
		}
	}
	return out, nil
}

// bstr undoes the _xHHHH_ escapes of OOXML strings (characters XML cannot hold),
// _x005F_ standing for a literal underscore: as excelize reads them.
func bstr(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' && isHex(s[i+2:i+6]) {
			if s[i+2:i+6] == "005F" || s[i+2:i+6] == "005f" {
				b.WriteByte('_')
			} else {
				n, _ := strconv.ParseUint(s[i+2:i+6], 16, 32)
				if r := rune(n); utf8.ValidRune(r) {
					b.WriteRune(r)
				} else {
					b.WriteRune(utf8.RuneError)
				}
			}
			i += 7
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func isHex(s string) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// elementText reads an element's text up to its closing tag, unescaped, and
// consumes that tag: the text of a <v> or of an inline string's <t>.
func (s *sheetScanner) elementText() ([]byte, error) {
	s.text = s.text[:0]
	if err := s.textUntilTag(true); err != nil {
		return nil, err
	}
	text, err := unescape(s.text)
	if err != nil {
		return nil, fmt.Errorf("%w in row %d", err, s.row)
	}
	if _, err := s.tag(); err != nil {
		return nil, err
	}
	return text, nil
}
