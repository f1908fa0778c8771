package source

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"
)

type xlsxReader struct {
	head
	path   string
	f      *excelize.File
	iter   *excelize.Rows
	sheet  string
	line   int
	min    int // HeadLines
	merges []mergeRange
	active []*mergeRange
}

func openXLSX(path string, o Options) (Reader, error) {
	if err := isWorkbook(path); err != nil {
		return nil, err
	}
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
	x := &xlsxReader{path: path, f: f, min: o.HeadLines}
	sheet := o.Sheet
	if sheet == "" {
		sheet = f.GetSheetName(0)
	} else if idx, err := f.GetSheetIndex(sheet); err != nil || idx < 0 {
		f.Close()
		return nil, refuse("the workbook has no sheet %q; sheets: %s", sheet, strings.Join(f.GetSheetList(), ", "))
	}
	if err := x.UseSheet(sheet); err != nil && (o.Sheet != "" || len(f.GetSheetList()) == 1 || !errors.Is(err, ErrRefused)) {
		x.Close()
		return nil, err
	} // else: a first sheet without rows (a cover); the caller may look at the others
	return x, nil
}

// isWorkbook checks that a file is a whole ZIP archive holding a workbook, and
// says what it is when it is not.
func isWorkbook(path string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return refuse("the workbook is not a valid XLSX file (%v): it may be truncated or damaged", err)
	}
	defer z.Close()
	var names []string
	for _, f := range z.File {
		names = append(names, f.Name)
		if strings.EqualFold(f.Name, "xl/workbook.xml") {
			return nil
		}
	}
	shown := names
	if len(shown) > 5 {
		shown = append(shown[:5:5], "…")
	}
	if len(names) == 0 {
		return refuse("this is an empty ZIP archive, not an XLSX workbook")
	}
	return refuse("this is a ZIP archive holding %s, not an XLSX workbook: unzip it and load the files inside", strings.Join(shown, ", "))
}

func (x *xlsxReader) Head() []Record   { return x.rows }
func (x *xlsxReader) UseHeader(i int)  { x.use(i) }
func (x *xlsxReader) Header() []string { return x.header }
func (x *xlsxReader) Format() string   { return "xlsx" }
func (x *xlsxReader) Encoding() string { return "xlsx" }
func (x *xlsxReader) Serials() bool    { return true }
func (x *xlsxReader) Sheets() []string { return x.f.GetSheetList() }
func (x *xlsxReader) Sheet() string    { return x.sheet }

// UseSheet starts reading sheet from its first row, with its merged ranges.
func (x *xlsxReader) UseSheet(sheet string) error {
	if x.iter != nil {
		x.iter.Close()
	}
	rows, err := x.f.Rows(sheet)
	if err != nil {
		return refuse("sheet %q cannot be read: %v", sheet, err)
	}
	merges, err := sheetMerges(x.path, sheet)
	if err != nil {
		return err
	}
	x.iter, x.sheet, x.line, x.merges, x.active = rows, sheet, 0, merges, nil
	return x.fill(x.raw, x.min, "sheet \""+sheet+"\"")
}

func (x *xlsxReader) Close() error {
	if x.iter != nil {
		x.iter.Close()
	}
	return x.f.Close()
}

func (x *xlsxReader) Next() (Record, error) {
	if rec, ok := x.next(); ok {
		return rec, nil
	}
	return x.raw()
}

func (x *xlsxReader) raw() (Record, error) {
	for x.iter.Next() {
		x.line++
		cols, err := x.iter.Columns()
		if err != nil {
			return Record{}, refuse("sheet row %d cannot be read: %v", x.line, err)
		}
		cols, merged := x.fillMerged(cols)
		if blank(cols) {
			continue
		}
		return Record{Fields: cols, Line: x.line, Merged: merged}, nil
	}
	if err := x.iter.Error(); err != nil {
		return Record{}, refuse("the sheet cannot be read after row %d: %v", x.line, err)
	}
	return Record{}, io.EOF
}

// A mergeRange is a merged cell range: every cell shows the top-left cell's value.
type mergeRange struct {
	top, left, bottom, right int // 1-based, inclusive
	value                    string
}

// fillMerged gives every cell of a merged range on row x.line the range's value,
// as a person sees the sheet; merged reports a value filled into an empty cell.
func (x *xlsxReader) fillMerged(cols []string) ([]string, bool) {
	for len(x.merges) > 0 && x.merges[0].top == x.line {
		m := &x.merges[0]
		if m.left <= len(cols) {
			m.value = cols[m.left-1]
		}
		x.active = append(x.active, m)
		x.merges = x.merges[1:]
	}
	merged := false
	keep := x.active[:0]
	for _, m := range x.active {
		if m.bottom < x.line {
			continue
		}
		keep = append(keep, m)
		if m.value == "" {
			continue
		}
		for len(cols) < m.right {
			cols = append(cols, "")
		}
		for c := m.left; c <= m.right; c++ {
			if cols[c-1] == "" {
				cols[c-1] = m.value
				merged = merged || c > m.left || x.line > m.top
			}
		}
	}
	x.active = keep
	return cols, merged
}

var mergeRef = regexp.MustCompile(`\bref="([A-Za-z]+[0-9]+):([A-Za-z]+[0-9]+)"`)

// sheetMerges reads the merged ranges of a sheet, sorted by top row. excelize's
// GetMergeCells would decode the whole worksheet into memory; the ranges sit in
// one small element after the rows, found here by a byte scan of the sheet part.
func sheetMerges(file, sheet string) ([]mergeRange, error) {
	z, err := zip.OpenReader(file)
	if err != nil {
		return nil, refuse("the workbook cannot be read: %v", err)
	}
	defer z.Close()
	part, err := sheetPart(&z.Reader, sheet)
	if err != nil || part == nil {
		return nil, err
	}
	rc, err := part.Open()
	if err != nil {
		return nil, refuse("sheet %q cannot be read: %v", sheet, err)
	}
	defer rc.Close()
	var out []mergeRange
	br := bufio.NewReaderSize(rc, 1<<20)
	tag := []byte("mergeCell ")
	var carry []byte
	buf := make([]byte, 1<<20)
	for {
		n, err := io.ReadFull(br, buf)
		chunk := append(carry, buf[:n]...)
		at := 0
		for {
			i := bytes.Index(chunk[at:], tag)
			if i < 0 {
				break
			}
			end := bytes.IndexByte(chunk[at+i:], '>')
			if end < 0 {
				break // the element goes on in the next chunk
			}
			if m := mergeRef.FindSubmatch(chunk[at+i : at+i+end]); m != nil {
				left, top, err1 := excelize.CellNameToCoordinates(string(m[1]))
				right, bottom, err2 := excelize.CellNameToCoordinates(string(m[2]))
				if err1 == nil && err2 == nil {
					out = append(out, mergeRange{top: min(top, bottom), left: min(left, right), bottom: max(top, bottom), right: max(left, right)})
				}
			}
			at += i + end + 1
		}
		keep := min(len(chunk)-at, 256) // enough for an element cut at the edge
		carry = append(carry[:0:0], chunk[len(chunk)-keep:]...)
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return nil, refuse("sheet %q cannot be read: %v", sheet, err)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].top < out[j].top })
	return out, nil
}

// sheetPart finds the worksheet part of a sheet through the workbook and its
// relationships; nil when the workbook does not say.
func sheetPart(z *zip.Reader, sheet string) (*zip.File, error) {
	files := map[string]*zip.File{}
	for _, f := range z.File {
		files[strings.ToLower(f.Name)] = f
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := decodePart(files["xl/workbook.xml"], &wb); err != nil {
		return nil, refuse("the workbook cannot be read: %v", err)
	}
	if err := decodePart(files["xl/_rels/workbook.xml.rels"], &rels); err != nil {
		return nil, refuse("the workbook cannot be read: %v", err)
	}
	for _, s := range wb.Sheets {
		if s.Name != sheet {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == s.RID {
				t := r.Target
				if strings.HasPrefix(t, "/") {
					t = strings.TrimPrefix(t, "/")
				} else {
					t = path.Join("xl", t)
				}
				return files[strings.ToLower(t)], nil
			}
		}
	}
	return nil, nil
}

func decodePart(f *zip.File, v any) error {
	if f == nil {
		return nil
	}
	if f.UncompressedSize64 > 64<<20 {
		return errors.New(f.Name + " is too large")
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}
