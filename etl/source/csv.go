package source

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// sniff detects the encoding of a CSV file from its first 64 KiB (LIBRARIES.md §5):
// a BOM, else UTF-8 if the bytes are valid UTF-8 (allowing a rune cut at the edge),
// else GB18030, the superset of GBK.
func sniff(head []byte, atEOF bool) string {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8-bom"
	case bytes.HasPrefix(head, []byte{0x84, 0x31, 0x95, 0x33}):
		return "gb18030"
	}
	for cut := 0; cut <= 3 && cut <= len(head); cut++ {
		if utf8.Valid(head[:len(head)-cut]) {
			return "utf-8"
		}
		if atEOF {
			break
		}
	}
	return "gb18030"
}

type csvReader struct {
	r      *csv.Reader
	f      *os.File
	enc    string
	header []string
	last   int // line of the last record, for errors that carry none
}

func newCSV(br io.Reader, f *os.File, enc string, delim rune) (Reader, error) {
	var in io.Reader = br
	switch enc {
	case "utf-8-bom":
		bom := make([]byte, 3)
		io.ReadFull(br, bom)
	case "gb18030":
		in = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
	}
	r := csv.NewReader(in)
	if delim != 0 {
		r.Comma = delim
	}
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	c := &csvReader{r: r, f: f, enc: enc}
	for {
		rec, err := c.Next()
		if err == io.EOF {
			f.Close()
			return nil, refuse("the file has no header row")
		}
		if err != nil {
			f.Close()
			return nil, err
		}
		if rec.Err != "" {
			f.Close()
			return nil, refuse("line %d: the header row cannot be read: %s", rec.Line, rec.Err)
		}
		c.header = append([]string(nil), rec.Fields...)
		return c, nil
	}
}

func (c *csvReader) Header() []string { return c.header }
func (c *csvReader) Format() string   { return "csv" }
func (c *csvReader) Encoding() string { return c.enc }
func (c *csvReader) Serials() bool    { return false }
func (c *csvReader) Close() error     { return c.f.Close() }

func (c *csvReader) Next() (Record, error) {
	for {
		rec, err := c.r.Read()
		if err == io.EOF {
			return Record{}, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				c.last = pe.StartLine
				return Record{Line: pe.StartLine, Err: csvReason(pe.Err)}, nil
			}
			return Record{}, err
		}
		line, _ := c.r.FieldPos(0)
		c.last = line
		if blank(rec) {
			continue
		}
		if bad := c.undecodable(rec); bad != "" {
			return Record{Line: line, Fields: rec, Err: bad}, nil
		}
		return Record{Fields: rec, Line: line}, nil
	}
}

func csvReason(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return `a " appears inside an unquoted field; quote the field and double the " ("")`
	case errors.Is(err, csv.ErrQuote):
		return `a quoted field is not closed (a " is missing); the rest of the file was read as this one field`
	}
	return err.Error()
}

// undecodable reports bytes that are not text in the file's encoding: invalid
// UTF-8, or bytes the GB18030 decoder replaced with U+FFFD.
func (c *csvReader) undecodable(rec []string) string {
	for _, f := range rec {
		if c.enc == "gb18030" {
			if strings.ContainsRune(f, utf8.RuneError) {
				return "bytes that are not valid GB18030/GBK text"
			}
		} else if !utf8.ValidString(f) {
			return "bytes that are not valid UTF-8 text (is the file mixed UTF-8 and GBK?)"
		}
	}
	return ""
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
