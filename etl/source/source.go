// Package source reads an export file as a header and a stream of records, each
// with the physical line (or sheet row) where it starts. It detects the format from
// the file's first bytes (CSV, XLSX, Parquet) and the encoding of CSV files (UTF-8
// with or without BOM, else GB18030), and refuses what it cannot read with a
// message a person can act on.
package source

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Record is one row of an export.
type Record struct {
	Fields []string
	Line   int    // 1-based physical line (CSV) or sheet row (XLSX) where the row starts
	Err    string // non-empty: the row cannot be read (bad quoting, undecodable bytes)
	ErrZh  string // Err in Chinese, for the people who fix the export
	// Merged reports that some fields were filled from a merged cell range of an
	// XLSX sheet (the value a person sees in every cell of the range).
	Merged bool
}

// Reader reads one export. The header is the first row unless UseHeader picks
// another of Head; Next returns the rows after the header, then io.EOF.
type Reader interface {
	Header() []string
	Next() (Record, error)
	// Head is the first rows of the file or sheet (at most HeadRows, or up to the
	// line given to Open), the candidates for the header row: exports often carry
	// a title row, or a two-row header, above it.
	Head() []Record
	// UseHeader makes Head()[i] the header; the rows before it are titles, not data.
	// Call it before the first Next.
	UseHeader(i int)
	// Format is csv, xlsx or parquet; Encoding is utf-8, utf-8-bom, gb18030, xlsx or parquet.
	Format() string
	Encoding() string
	// Serials reports whether numeric cells of timestamp columns are date serials (XLSX).
	Serials() bool
	Close() error
}

// SheetReader is a Reader of a workbook, which may hold the data on any sheet.
type SheetReader interface {
	Reader
	// Sheets lists the workbook's sheets in order; Sheet is the one being read.
	Sheets() []string
	Sheet() string
	// UseSheet starts reading another sheet from its first row.
	UseSheet(name string) error
}

// HeadRows is how many rows are offered as header candidates by default.
const HeadRows = 20

// Options tune reading. The zero value detects everything.
type Options struct {
	Encoding  string // "", "auto", "utf-8", "gb18030" (or "gbk")
	Sheet     string // XLSX sheet; empty: the first
	Delimiter rune   // CSV delimiter; 0: comma
	TempDir   string // where XLSX parts too large for memory are spilled
	// MaxUnzip caps the total uncompressed size of an XLSX file (zip bombs);
	// 0: 512 MiB.
	MaxUnzip int64
	// HeadLines makes Head reach at least this line (a header_row of a profile).
	HeadLines int
}

// head holds the header candidates of a reader and hands out the rows after the
// chosen header before the reader's own rows.
type head struct {
	rows   []Record
	pos    int
	header []string
}

// fill reads the header candidates with next: the first HeadRows readable rows,
// and at least up to line minLine. An unreadable first row refuses the file.
func (h *head) fill(next func() (Record, error), minLine int, what string) error {
	*h = head{}
	for len(h.rows) < HeadRows || (len(h.rows) > 0 && h.rows[len(h.rows)-1].Line < minLine) {
		rec, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if len(h.rows) == 0 && rec.Err != "" {
			return refuse("line %d: the header row cannot be read: %s", rec.Line, rec.Err)
		}
		rec.Fields = append([]string(nil), rec.Fields...)
		h.rows = append(h.rows, rec)
	}
	if len(h.rows) == 0 {
		return refuse("%s has no header row", what)
	}
	h.use(0)
	return nil
}

func (h *head) use(i int) {
	h.header, h.pos = h.rows[i].Fields, i+1
}

// next returns the next held row after the header, if any.
func (h *head) next() (Record, bool) {
	if h.pos < len(h.rows) {
		h.pos++
		return h.rows[h.pos-1], true
	}
	return Record{}, false
}

// ErrRefused marks a file that cannot be read as a whole.
var ErrRefused = errors.New("file refused")

// refuse builds an error that wraps ErrRefused with a reason.
func refuse(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrRefused, fmt.Sprintf(format, args...))
}

// Open opens an export, detecting its format from its first bytes, and reads its
// header candidates.
func Open(path string, o Options) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 64<<10)
	n, err := io.ReadFull(f, head)
	head = head[:n]
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		f.Close()
		return nil, err
	}
	atEOF := err != nil
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case n == 0:
		f.Close()
		return nil, refuse("the file is empty")
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		f.Close()
		return openXLSX(path, o)
	case bytes.HasPrefix(head, []byte("PAR1")):
		f.Close()
		return openParquet(path)
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		f.Close()
		return nil, refuse("this is a legacy Excel 97-2003 (.xls) workbook; open it and save it as .xlsx or CSV")
	case ext == ".xls" || ext == ".xlsx":
		f.Close()
		if bytes.HasPrefix(bytes.TrimSpace(head), []byte("<")) {
			return nil, refuse("this %s file is really an HTML page (a common web export); open it in Excel and save it as .xlsx or CSV", ext)
		}
		return nil, refuse("this %s file is not a valid workbook (no zip signature): it may be truncated or damaged", ext)
	case ext == ".parquet":
		f.Close()
		return nil, refuse("this .parquet file has no Parquet signature: it may be truncated or damaged")
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		f.Close()
		return nil, refuse("the file is UTF-16 encoded; save it as UTF-8 or GBK CSV")
	case binary(head):
		f.Close()
		return nil, refuse("the file is binary (it holds NUL bytes), not a CSV, XLSX or Parquet export")
	}
	enc, err := detectEncoding(f, head, atEOF, o.Encoding)
	if err != nil {
		f.Close()
		return nil, err
	}
	return newCSV(f, enc, crOnly(head), o)
}

// binary reports a file that is not text: NUL bytes in its first line, or in
// more than one byte of a hundred of its head (and more than 8). A stray NUL in a row further on
// makes that row a reject, not the file a refusal.
func binary(head []byte) bool {
	first := head
	if i := bytes.IndexAny(head, "\r\n"); i >= 0 {
		first = head[:i]
	}
	return bytes.IndexByte(first, 0) >= 0 || bytes.Count(head, []byte{0}) > max(8, len(head)/100)
}

// crOnly reports a file whose lines end in a carriage return alone (old Mac and
// Excel exports).
func crOnly(head []byte) bool {
	return bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0
}

// SHA256 is the hex SHA-256 of a file's bytes: how loads and ledgers are told
// apart and traced.
func SHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
