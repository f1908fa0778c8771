package source

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

type xlsxReader struct {
	head
	path   string
	z      *zip.ReadCloser
	sheets []sheetInfo
	shared []string // the shared strings, read with the first sheet
	limit  int64    // the most the sheet parts may unpack to
	stream *sheetRows
	ranges bool // the merged ranges are known (merges holds those still to come)
	sheet  string
	line   int
	min    int // HeadLines
	merges []mergeRange
	active []*mergeRange
	cells  []string
}

// sheetInfo is a sheet of the workbook: its name and its worksheet part.
type sheetInfo struct {
	name string
	part *zip.File
}

func openXLSX(path string, o Options) (Reader, error) {
	limit := o.MaxUnzip
	if limit <= 0 {
		limit = 512 << 20
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, refuse("the workbook is not a valid XLSX file (%v): it may be truncated or damaged", err)
	}
	if err := isWorkbook(&z.Reader); err != nil {
		z.Close()
		return nil, err
	}
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
	}
	if total > uint64(limit) {
		z.Close()
		return nil, refuse("the workbook unpacks to more than %d MiB (a zip bomb, or far too large); split the export", limit>>20)
	}
	sheets, err := workbookSheets(&z.Reader)
	if err != nil {
		z.Close()
		return nil, err
	}
	if len(sheets) == 0 {
		z.Close()
		return nil, refuse("the workbook has no sheet")
	}
	x := &xlsxReader{path: path, z: z, sheets: sheets, min: o.HeadLines, limit: limit}
	sheet := o.Sheet
	if sheet == "" {
		sheet = sheets[0].name
	} else if !slices.ContainsFunc(sheets, func(s sheetInfo) bool { return s.name == sheet }) {
		z.Close()
		return nil, refuse("the workbook has no sheet %q; sheets: %s", sheet, strings.Join(x.Sheets(), ", "))
	}
	if err := x.UseSheet(sheet); err != nil && (o.Sheet != "" || len(sheets) == 1 || !errors.Is(err, ErrRefused)) {
		x.Close()
		return nil, err
	} // else: a first sheet without rows (a cover); the caller may look at the others
	return x, nil
}

// isWorkbook checks that a ZIP archive holds a workbook, and says what it is
// when it is not.
func isWorkbook(z *zip.Reader) error {
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
func (x *xlsxReader) Sheet() string    { return x.sheet }

func (x *xlsxReader) Sheets() []string {
	out := make([]string, len(x.sheets))
	for i, s := range x.sheets {
		out[i] = s.name
	}
	return out
}

// UseSheet starts reading sheet from its first row, with its merged ranges.
func (x *xlsxReader) UseSheet(sheet string) error {
	if x.stream != nil {
		x.stream.stop()
		x.stream = nil
	}
	var part *zip.File
	for _, s := range x.sheets {
		if s.name == sheet {
			part = s.part
		}
	}
	if part == nil {
		return refuse("sheet %q cannot be read: the workbook names no worksheet part for it", sheet)
	}
	if x.shared == nil {
		shared, err := x.sharedStrings()
		if err != nil {
			return err
		}
		x.shared = shared
	}
	rows, err := startRows(part, sheet, x.shared, x.limit)
	if err != nil {
		return err
	}
	x.stream, x.ranges = rows, false
	x.sheet, x.line, x.merges, x.active = sheet, 0, nil, nil
	return x.fill(x.raw, x.min, "sheet \""+sheet+"\"")
}

// sheetRows reads a sheet's rows and its merged ranges at once, on two
// goroutines: the ranges sit after the rows in the sheet's part, so finding them
// first takes a pass of their own over the whole part, and the rows are read
// meanwhile (held until the ranges are known). Two passes in the time of one.
type sheetRows struct {
	batches chan rowBatch
	merges  chan mergeResult
	done    chan struct{}
	batch   rowBatch
	at      int
}

type rowBatch struct {
	lines []int
	cells [][]string
	err   error // after the rows of the batch
}

type mergeResult struct {
	ranges []mergeRange
	err    error
}

// rowsPerBatch rows go from the scanning goroutine to the reader at a time.
const rowsPerBatch = 512

func startRows(part *zip.File, sheet string, shared []string, limit int64) (*sheetRows, error) {
	rc, err := part.Open()
	if err != nil {
		return nil, refuse("sheet %q cannot be read: %v", sheet, err)
	}
	r := &sheetRows{batches: make(chan rowBatch, 16), merges: make(chan mergeResult, 1), done: make(chan struct{})}
	go func() {
		m, err := sheetMerges(part, sheet, limit)
		r.merges <- mergeResult{m, err}
	}()
	go func() {
		defer rc.Close()
		scan := newSheetScanner(&capped{r: rc, left: limit}, shared)
		var b rowBatch
		send := func() bool {
			select {
			case r.batches <- b:
				b = rowBatch{}
				return true
			case <-r.done:
				return false
			}
		}
		for {
			n, cells, err := scan.Next()
			if err != nil {
				b.err = err
				send()
				return
			}
			b.lines, b.cells = append(b.lines, n), append(b.cells, append([]string(nil), cells...))
			if len(b.lines) == rowsPerBatch && !send() {
				return
			}
		}
	}()
	return r, nil
}

// next is the next row the scanning goroutine read.
func (r *sheetRows) next() (int, []string, error) {
	for r.at == len(r.batch.lines) {
		if r.batch.err != nil {
			return 0, nil, r.batch.err
		}
		r.batch, r.at = <-r.batches, 0
	}
	r.at++
	return r.batch.lines[r.at-1], r.batch.cells[r.at-1], nil
}

func (r *sheetRows) stop() { close(r.done) }

// sharedStrings reads the workbook's shared strings (none: an empty list).
func (x *xlsxReader) sharedStrings() ([]string, error) {
	var part *zip.File
	for _, f := range x.z.File {
		if strings.EqualFold(f.Name, "xl/sharedStrings.xml") {
			part = f
		}
	}
	if part == nil {
		return []string{}, nil
	}
	rc, err := part.Open()
	if err != nil {
		return nil, refuse("the shared strings cannot be read: %v", err)
	}
	defer rc.Close()
	shared, err := readSharedStrings(&capped{r: rc, left: x.limit}, 1<<24)
	if err != nil {
		return nil, x.readError(err, "the shared strings cannot be read: %v")
	}
	if shared == nil {
		shared = []string{}
	}
	return shared, nil
}

// capped reads at most left bytes: a part that unpacks to more than its ZIP
// header says is a zip bomb too.
type capped struct {
	r    io.Reader
	left int64
}

var errTooBig = errors.New("unpacks past the limit")

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errTooBig
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// readError turns a reading error into a refusal that says what it was.
func (x *xlsxReader) readError(err error, format string) error {
	if errors.Is(err, errTooBig) {
		return refuse("the workbook unpacks to more than %d MiB (a zip bomb, or far too large); split the export", x.limit>>20)
	}
	return refuse(format, err)
}

func (x *xlsxReader) Close() error {
	if x.stream != nil {
		x.stream.stop()
		x.stream = nil
	}
	return x.z.Close()
}

func (x *xlsxReader) Next() (Record, error) {
	if rec, ok := x.next(); ok {
		return rec, nil
	}
	return x.raw()
}

func (x *xlsxReader) raw() (Record, error) {
	if !x.ranges { // the ranges first: every row is filled from them
		m := <-x.stream.merges
		if m.err != nil {
			return Record{}, m.err
		}
		x.merges, x.ranges = m.ranges, true
	}
	for {
		n, cells, err := x.stream.next()
		if err == io.EOF {
			return Record{}, io.EOF
		}
		if err != nil {
			return Record{}, x.readError(err, "the sheet cannot be read after row "+strconv.Itoa(x.line)+": %v")
		}
		x.line = n
		// Trailing empty cells are not the row's (as a person sees it).
		for len(cells) > 0 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		cols, merged := x.fillMerged(cells) // the scanning goroutine gave this row its own slice
		if blank(cols) {
			continue
		}
		return Record{Fields: cols, Line: x.line, Merged: merged}, nil
	}
}

// A mergeRange is a merged cell range: every cell shows the top-left cell's value.
type mergeRange struct {
	top, left, bottom, right int // 1-based, inclusive
	value                    string
}

// fillMerged gives every cell of a merged range on row x.line the range's value,
// as a person sees the sheet; merged reports a value filled into an empty cell.
func (x *xlsxReader) fillMerged(cols []string) ([]string, bool) {
	for len(x.merges) > 0 && x.merges[0].top <= x.line {
		m := &x.merges[0]
		if m.top == x.line && m.left <= len(cols) {
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
func sheetMerges(part *zip.File, sheet string, limit int64) ([]mergeRange, error) {
	zr, err := part.Open()
	if err != nil {
		return nil, refuse("sheet %q cannot be read: %v", sheet, err)
	}
	defer zr.Close()
	rc := &capped{r: zr, left: limit}
	var out []mergeRange
	tag := []byte("mergeCell ")
	// One buffer: what is left unread at its end (an element cut at the edge)
	// moves to its start before the next read.
	buf := make([]byte, 1<<20)
	kept := 0
	for {
		n, err := io.ReadFull(rc, buf[kept:])
		chunk := buf[:kept+n]
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
		kept = copy(buf, chunk[max(at, len(chunk)-256):]) // enough for an element cut at the edge
		if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if errors.Is(err, errTooBig) {
			return nil, refuse("the workbook unpacks to more than %d MiB (a zip bomb, or far too large); split the export", limit>>20)
		}
		if err != nil {
			return nil, refuse("sheet %q cannot be read: %v", sheet, err)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].top < out[j].top })
	return out, nil
}

// workbookSheets lists the workbook's sheets in order, each with its worksheet
// part (found through the workbook's relationships; nil when it names none).
func workbookSheets(z *zip.Reader) ([]sheetInfo, error) {
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
	var out []sheetInfo
	for _, s := range wb.Sheets {
		info := sheetInfo{name: s.Name}
		for _, r := range rels.Rels {
			if r.ID == s.RID {
				t := r.Target
				if strings.HasPrefix(t, "/") {
					t = strings.TrimPrefix(t, "/")
				} else {
					t = path.Join("xl", t)
				}
				info.part = files[strings.ToLower(t)]
			}
		}
		out = append(out, info)
	}
	return out, nil
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
