// Package source reads an export file as a header and a stream of records, each
// with the physical line (or sheet row) where it starts. It detects the format from
// the file's first bytes (CSV, XLSX, Parquet) and the encoding of CSV files (UTF-8
// with or without BOM, else GB18030), and refuses what it cannot read with a
// message a person can act on.
package source

import (
	"bufio"
	"bytes"
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
}

// Reader reads one export. Next returns io.EOF after the last record.
type Reader interface {
	Header() []string
	Next() (Record, error)
	// Format is csv, xlsx or parquet; Encoding is utf-8, utf-8-bom, gb18030, xlsx or parquet.
	Format() string
	Encoding() string
	// Serials reports whether numeric cells of timestamp columns are date serials (XLSX).
	Serials() bool
	Close() error
}

// Options tune reading. The zero value detects everything.
type Options struct {
	Encoding  string // "", "auto", "utf-8", "gb18030" (or "gbk")
	Sheet     string // XLSX sheet; empty: the first
	Delimiter rune   // CSV delimiter; 0: comma
	TempDir   string // where XLSX parts too large for memory are spilled
	// MaxUnzip caps the total uncompressed size of an XLSX file (zip bombs);
	// 0: 512 MiB.
	MaxUnzip int64
}

// ErrRefused marks a file that cannot be read as a whole.
var ErrRefused = errors.New("file refused")

// refuse builds an error that wraps ErrRefused with a reason.
func refuse(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrRefused, fmt.Sprintf(format, args...))
}

// Open opens an export, detecting its format from its first bytes.
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
	case bytes.IndexByte(head, 0) >= 0:
		f.Close()
		return nil, refuse("the file is binary (it holds NUL bytes), not a CSV, XLSX or Parquet export")
	}
	enc := sniff(head, atEOF)
	switch strings.ToLower(o.Encoding) {
	case "utf-8", "utf8":
		if enc != "utf-8-bom" {
			enc = "utf-8"
		}
	case "gb18030", "gbk":
		enc = "gb18030"
	}
	return newCSV(bufio.NewReaderSize(f, 1<<20), f, enc, o.Delimiter)
}
