package source

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Bounds of one CSV record: a quoted field that runs on past either is taken to be
// a quote that was never closed. Its first line is set aside as a reject and
// reading resumes at the next line, so one stray " costs one row, not the rest of
// the file.
const (
	maxRecordLines = 100
	maxRecordBytes = 1 << 20
)

// voteLead is how far ahead one encoding must be, in lines with non-ASCII text,
// before the vote of detectEncoding stops reading.
const voteLead = 4096

// detectEncoding decides the encoding of a CSV file. A BOM decides; else the
// profile's encoding; else a header line with non-ASCII text (valid UTF-8, else
// GB18030); else the file's own lines vote — those with non-ASCII bytes that are
// valid UTF-8 against those that are not — read until one side leads by voteLead
// lines or to the end. A file of ASCII only is UTF-8. Whatever the choice, a line
// that is not text in it becomes one rejected row later, wherever it is.
func detectEncoding(f *os.File, head []byte, atEOF bool, want string) (string, error) {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8-bom", nil
	case bytes.HasPrefix(head, []byte{0x84, 0x31, 0x95, 0x33}):
		return "gb18030", nil
	}
	switch strings.ToLower(want) {
	case "utf-8", "utf8":
		return "utf-8", nil
	case "gb18030", "gbk":
		return "gb18030", nil
	}
	first, cut := head, !atEOF // a header longer than the head may end in a cut rune
	if i := bytes.IndexAny(head, "\r\n"); i >= 0 {
		first, cut = head[:i], false
	}
	if hasHigh(first) {
		if validUTF8(first, cut) {
			return "utf-8", nil
		}
		return "gb18030", nil
	}
	eol := byte('\n')
	if crOnly(head) {
		eol = '\r'
	}
	br := bufio.NewReaderSize(io.NewSectionReader(f, 0, 1<<62), 1<<20)
	utf, gb := 0, 0
	for more := false; utf-gb < voteLead && gb-utf < voteLead; {
		line, err := br.ReadSlice(eol)
		full := errors.Is(err, bufio.ErrBufferFull)
		if !more && hasHigh(line) { // a long line votes once, with its first MiB
			if validUTF8(line, full) {
				utf++
			} else {
				gb++
			}
		}
		more = full
		if err == io.EOF {
			break
		}
		if err != nil && !full {
			return "", err
		}
	}
	if gb > utf {
		return "gb18030", nil
	}
	return "utf-8", nil
}

// validUTF8 reports valid UTF-8, allowing a rune cut at the end when cut.
func validUTF8(b []byte, cut bool) bool {
	for n := 0; n <= 3 && n <= len(b); n++ {
		if utf8.Valid(b[:len(b)-n]) {
			return true
		}
		if !cut {
			break
		}
	}
	return false
}

func hasHigh(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

type csvReader struct {
	head
	fr   *framer
	r    *csv.Reader
	f    *os.File
	enc  string
	held *Record // a record read ahead while set-aside ones before it were due
}

func newCSV(f *os.File, enc string, cr bool, o Options) (Reader, error) {
	br := bufio.NewReaderSize(f, 1<<20)
	if enc == "utf-8-bom" {
		br.Discard(3)
	}
	fr := &framer{in: br, eol: '\n', delim: ','}
	if cr {
		fr.eol = '\r'
	}
	if o.Delimiter != 0 {
		fr.delim = o.Delimiter
	}
	if enc == "gb18030" {
		fr.dec = simplifiedchinese.GB18030.NewDecoder()
	}
	r := csv.NewReader(fr)
	r.Comma = fr.delim
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	c := &csvReader{fr: fr, r: r, f: f, enc: enc}
	if err := c.fill(c.raw, o.HeadLines, "the file"); err != nil {
		f.Close()
		return nil, err
	}
	return c, nil
}

func (c *csvReader) Head() []Record   { return c.rows }
func (c *csvReader) UseHeader(i int)  { c.use(i) }
func (c *csvReader) Header() []string { return c.header }
func (c *csvReader) Format() string   { return "csv" }
func (c *csvReader) Encoding() string { return c.enc }
func (c *csvReader) Serials() bool    { return false }
func (c *csvReader) Close() error     { return c.f.Close() }

func (c *csvReader) Next() (Record, error) {
	if rec, ok := c.next(); ok {
		return rec, nil
	}
	return c.raw()
}

// raw returns the records of the file in line order: those encoding/csv reads,
// and those the framer set aside.
func (c *csvReader) raw() (Record, error) {
	if c.held == nil {
		rec, err := c.read()
		if err == io.EOF {
			if len(c.fr.bad) > 0 {
				return c.fr.popBad(), nil
			}
			return Record{}, io.EOF
		}
		if err != nil {
			return Record{}, err
		}
		c.held = &rec
	}
	if len(c.fr.bad) > 0 && c.fr.bad[0].Line < c.held.Line {
		return c.fr.popBad(), nil
	}
	rec := *c.held
	c.held = nil
	return rec, nil
}

// read returns the next record encoding/csv reads, skipping blank ones.
func (c *csvReader) read() (Record, error) {
	for {
		rec, err := c.r.Read()
		if err == io.EOF {
			return Record{}, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return csvReason(pe.Err).record(pe.StartLine, c.fr.quoted(pe.StartLine)), nil
			}
			return Record{}, err
		}
		line, _ := c.r.FieldPos(0)
		c.fr.forget(line)
		if blank(rec) {
			continue
		}
		return Record{Fields: rec, Line: line}, nil
	}
}

func csvReason(err error) problem {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return problem{`a " appears inside an unquoted field; quote the field and double the " ("")`,
			`未加引号的字段中出现了 "：请给该字段加上引号，并把其中的 " 写成 ""`}
	case errors.Is(err, csv.ErrQuote):
		return problem{`a quoted field has text after its closing " (a " that should be doubled?)`,
			`带引号的字段在结束引号后还有文字（是否有 " 应写成 ""？）`}
	}
	return problem{err.Error(), "该行的引号或分隔符有误：" + err.Error()}
}

// A problem is why a row cannot be read, in English (logs, JSON) and in Chinese
// (what the staff read: the rejects list, reports).
type problem struct{ en, zh string }

// record is an unreadable record with its problem.
func (p problem) record(line int, fields []string) Record {
	return Record{Line: line, Err: p.en, ErrZh: p.zh, Fields: fields}
}

// A framer hands encoding/csv the file as UTF-8 text, one whole record at a time.
// It reads physical lines, decodes them, and follows the quotes to find where a
// record ends. What would cost more than one row it sets aside instead, as a
// record with an error and a blank line in its place (so that line numbers stay
// true): a line that is not text in the file's encoding, a NUL byte, and a quote
// that is not closed within maxRecordLines or maxRecordBytes (the line where it
// opens is set aside and the lines after it are read again). Lines that end in a
// carriage return alone are read as lines.
type framer struct {
	in    *bufio.Reader
	eol   byte
	delim rune
	dec   *encoding.Decoder // nil: UTF-8
	back  [][]byte          // raw lines to read again, in order
	out   []byte            // framed text not yet read
	bad   []Record          // set-aside records, in line order
	line  int               // physical lines framed so far
	texts []Record          // text of framed records that hold a quote, for csv's errors
	done  bool
}

// Read implements io.Reader for encoding/csv.
func (fr *framer) Read(p []byte) (int, error) {
	for len(fr.out) == 0 {
		if fr.done {
			return 0, io.EOF
		}
		if err := fr.frame(); err != nil {
			return 0, err
		}
	}
	n := copy(p, fr.out)
	fr.out = fr.out[n:]
	return n, nil
}

func (fr *framer) popBad() Record {
	r := fr.bad[0]
	fr.bad = fr.bad[1:]
	return r
}

// forget drops the texts of records before line, which csv has read.
func (fr *framer) forget(line int) {
	for len(fr.texts) > 0 && fr.texts[0].Line < line {
		fr.texts = fr.texts[1:]
	}
}

// quoted returns the text of the record starting at line, for a row csv cannot read.
func (fr *framer) quoted(line int) []string {
	fr.forget(line)
	if len(fr.texts) > 0 && fr.texts[0].Line == line {
		return fr.texts[0].Fields
	}
	return nil
}

// readLine returns the next raw physical line with its terminator; nil at the end.
func (fr *framer) readLine() ([]byte, error) {
	if len(fr.back) > 0 {
		l := fr.back[0]
		fr.back = fr.back[1:]
		return l, nil
	}
	var acc []byte
	for {
		b, err := fr.in.ReadSlice(fr.eol)
		switch {
		case err == nil || err == io.EOF:
			if acc != nil {
				return append(acc, b...), nil
			}
			if len(b) == 0 {
				return nil, nil
			}
			return append([]byte(nil), b...), nil
		case errors.Is(err, bufio.ErrBufferFull):
			acc = append(acc, b...)
		default:
			return nil, err
		}
	}
}

// frame reads one record and appends it (or its blank stand-in) to out.
func (fr *framer) frame() error {
	var raws, texts [][]byte
	var reason problem
	q := quoteState{start: true}
	size := 0
	start := fr.line + 1
	for {
		raw, err := fr.readLine()
		if err != nil {
			return err
		}
		if raw == nil {
			if len(raws) == 0 {
				fr.done = true
				return nil
			}
			break // the end of the file inside a quoted field
		}
		text, why := fr.decode(raw)
		if reason.en == "" {
			reason = why
		}
		raws, texts = append(raws, raw), append(texts, text)
		size += len(raw)
		q.scan(text, fr.delim)
		if !q.open {
			fr.emit(start, texts, reason)
			return nil
		}
		if len(raws) > maxRecordLines || size > maxRecordBytes {
			break
		}
	}
	// A quote that is never closed: set its first line aside, read the rest again.
	fr.setAside(start, 1, problem{`a quoted field is not closed (a " is missing); this line was set aside and reading went on with the next line`,
		`带引号的字段没有结束引号（缺少一个 "）：本行已单独列出，从下一行接着读取`}, texts[:1])
	fr.back = append(append([][]byte(nil), raws[1:]...), fr.back...)
	return nil
}

// emit passes a whole record on to csv, or sets it aside when a line is bad.
func (fr *framer) emit(start int, texts [][]byte, reason problem) {
	if reason.en != "" {
		fr.setAside(start, len(texts), reason, texts)
		return
	}
	quoted := false
	for _, t := range texts {
		if fr.eol == '\r' && len(t) > 0 && t[len(t)-1] == '\r' {
			t = append(t[:len(t)-1:len(t)-1], '\n')
		}
		quoted = quoted || bytes.IndexByte(t, '"') >= 0
		fr.out = append(fr.out, t...)
	}
	fr.line += len(texts)
	if quoted {
		fr.texts = append(fr.texts, Record{Line: start, Fields: []string{shownText(texts)}})
	}
}

// setAside records lines [start, start+n) as one unreadable record and frames
// blank lines in their place.
func (fr *framer) setAside(start, n int, reason problem, texts [][]byte) {
	fr.bad = append(fr.bad, reason.record(start, []string{shownText(texts)}))
	for i := 0; i < n; i++ {
		fr.out = append(fr.out, '\n')
	}
	fr.line += n
}

// maxShown is how much of an unreadable row the ledger keeps.
const maxShown = 200

// shownText is the text of an unreadable row as the ledger keeps it: valid
// UTF-8, without line ends, at most maxShown characters.
func shownText(texts [][]byte) string {
	s := strings.ToValidUTF8(string(bytes.Join(texts, nil)), "\uFFFD")
	s = strings.TrimRight(strings.ReplaceAll(s, "\x00", "\uFFFD"), "\r\n")
	if utf8.RuneCountInString(s) > maxShown {
		s = string([]rune(s)[:maxShown]) + "…"
	}
	return s
}

// decode turns a raw line into UTF-8 and says why the line is not text in the
// file's encoding, if it is not.
func (fr *framer) decode(raw []byte) ([]byte, problem) {
	if bytes.IndexByte(raw, 0) >= 0 {
		return raw, problem{"the row holds a NUL byte (binary data in a text file)", "该行含有 NUL 字节（文本文件中混入了二进制数据）"}
	}
	if fr.dec == nil {
		if !utf8.Valid(raw) {
			return raw, problem{"bytes that are not valid UTF-8 text (is the file mixed UTF-8 and GBK?)", "该行不是有效的 UTF-8 文本（文件是否混用了 UTF-8 和 GBK 编码？）"}
		}
		return raw, problem{}
	}
	if !hasHigh(raw) {
		return raw, problem{}
	}
	if utf8Chinese(raw) {
		return raw, problem{"this line is UTF-8 text in a GBK/GB18030 file (is the file mixed UTF-8 and GBK?)", "GBK/GB18030 编码的文件中这一行是 UTF-8 文本（文件是否混用了 UTF-8 和 GBK 编码？）"}
	}
	text, err := fr.dec.Bytes(raw)
	if err != nil || bytes.ContainsRune(text, utf8.RuneError) {
		return raw, problem{"bytes that are not valid GB18030/GBK text", "该行不是有效的 GB18030/GBK 文本"}
	}
	return text, problem{}
}

// utf8Chinese reports a line that is UTF-8 Chinese rather than GB18030: valid
// UTF-8 with at least four non-ASCII characters, all of them CJK ideographs or
// CJK and full-width punctuation. GB18030 text is valid UTF-8 by accident for a
// word or two, but not with such a run of ideographs.
func utf8Chinese(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r < 0x80 {
			continue
		}
		if !(r >= 0x3000 && r <= 0x9FFF || r >= 0xFF00 && r <= 0xFFEF) {
			return false
		}
		n++
	}
	return n >= 4
}

// quoteState follows the quotes of CSV text the way encoding/csv reads them: a
// quote opens a field only at its start, "" inside it is a quote, and a quote
// followed by anything else closes it.
type quoteState struct {
	open  bool
	start bool // at the start of a field
}

func (q *quoteState) scan(b []byte, delim rune) {
	if !q.open && bytes.IndexByte(b, '"') < 0 {
		return // the common line: no quote at all
	}
	d := string(delim)
	for i := 0; i < len(b); i++ {
		c := b[i]
		if q.open {
			if c == '"' {
				if i+1 < len(b) && b[i+1] == '"' {
					i++
					continue
				}
				q.open, q.start = false, false
			}
			continue
		}
		switch {
		case c == '"' && q.start:
			q.open = true
		case bytes.HasPrefix(b[i:], []byte(d)):
			q.start = true
			i += len(d) - 1
		case c == '\n' || c == '\r':
			q.start = true
		default:
			q.start = false
		}
	}
}

// blank reports a record with only empty or white-space fields (",,,,"), which
// spreadsheet exports leave at the end; like a blank line it is not a row.
func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
