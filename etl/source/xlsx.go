package source

import (
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

type xlsxReader struct {
	f      *excelize.File
	rows   *excelize.Rows
	header []string
	line   int
}

func openXLSX(path string, o Options) (Reader, error) {
	limit := o.MaxUnzip
	if limit <= 0 {
		limit = 512 << 20
	}
	xml := int64(16 << 20)
	if xml > limit {
		xml = limit
	}
	f, err := excelize.OpenFile(path, excelize.Options{
		RawCellValue:      true, // 7–9× faster; dates come as serials (LIBRARIES.md §3.2)
		UnzipSizeLimit:    limit,
		UnzipXMLSizeLimit: xml,
		TmpDir:            o.TempDir,
	})
	if err != nil {
		msg := err.Error()
		switch {
		case strings.Contains(msg, "unzip size exceeds"):
			return nil, refuse("the workbook unpacks to more than %d MiB (a zip bomb, or far too large); split the export", limit>>20)
		case strings.Contains(msg, "zip"):
			return nil, refuse("the workbook is not a valid XLSX file (%s): it may be truncated or damaged", msg)
		}
		return nil, refuse("the workbook cannot be opened: %s", msg)
	}
	sheet := o.Sheet
	if sheet == "" {
		sheet = f.GetSheetName(0)
	} else if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		f.Close()
		return nil, refuse("the workbook has no sheet %q; sheets: %s", sheet, strings.Join(f.GetSheetList(), ", "))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, refuse("sheet %q cannot be read: %v", sheet, err)
	}
	x := &xlsxReader{f: f, rows: rows}
	for {
		rec, err := x.Next()
		if err == io.EOF {
			x.Close()
			return nil, refuse("sheet %q has no header row", sheet)
		}
		if err != nil {
			x.Close()
			return nil, err
		}
		x.header = append([]string(nil), rec.Fields...)
		return x, nil
	}
}

func (x *xlsxReader) Header() []string { return x.header }
func (x *xlsxReader) Format() string   { return "xlsx" }
func (x *xlsxReader) Encoding() string { return "xlsx" }
func (x *xlsxReader) Serials() bool    { return true }

func (x *xlsxReader) Close() error {
	x.rows.Close()
	return x.f.Close()
}

func (x *xlsxReader) Next() (Record, error) {
	for x.rows.Next() {
		x.line++
		cols, err := x.rows.Columns()
		if err != nil {
			return Record{}, refuse("sheet row %d cannot be read: %v", x.line, err)
		}
		if blank(cols) {
			continue
		}
		return Record{Fields: cols, Line: x.line}, nil
	}
	if err := x.rows.Error(); err != nil {
		return Record{}, refuse("the sheet cannot be read after row %d: %v", x.line, err)
	}
	return Record{}, io.EOF
}
