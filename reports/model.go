package reports

import (
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fenliu/fenliu/metrics"
)

// The report model: tables of typed cells that both formats draw, each in its
// own way — a workbook cell with a number format and a fill, a page cell with its
// text and class. A table is built once; the workbook and the page render it.

// CellKind says what a cell holds, and so how each format shows it.
type CellKind int

// The cell kinds.
const (
	KindText    CellKind = iota // text; never a formula in a workbook
	KindCount                   // an integer count
	KindNumber                  // a number as written (a weight: 20, 12.5)
	KindPercent                 // a fraction shown as a percentage with one decimal
	KindFixed                   // a number with Places decimals (a change, a mean, z)
	KindRatio                   // num/den as text, with what is pending
	KindFlag                    // a short text shown red (a spike)
	KindChange                  // a signed change with Places decimals: +1.2, −0.8, 0.0
)

// A Cell is one value of a table. Null cells show —.
type Cell struct {
	Kind   CellKind
	Text   string
	Value  float64
	Null   bool
	Mark   mark   // a rate's judgement against floor and target
	Places int    // KindFixed: decimals
	Href   string // the page: a link within the page (a scored cell to its 明细)
	// Provisional marks a rate whose pending share makes it 暂定: shown with a *
	// (a workbook keeps the number, its format adds the mark).
	Provisional bool
}

// Text, Count, Number and Percent make cells.
func Text(s string) Cell            { return Cell{Kind: KindText, Text: s} }
func Count(n int64) Cell            { return Cell{Kind: KindCount, Value: float64(n)} }
func Number(v float64) Cell         { return Cell{Kind: KindNumber, Value: v} }
func Percent(fraction float64) Cell { return Cell{Kind: KindPercent, Value: fraction} }

// Fixed is a number shown with places decimals; nil is null.
func Fixed(v *float64, places int) Cell {
	if v == nil {
		return Cell{Kind: KindFixed, Null: true}
	}
	return Cell{Kind: KindFixed, Value: *v, Places: places}
}

// Change is a signed change shown with places decimals (+1.2, −0.8, 0.0); nil
// is null.
func Change(v *float64, places int) Cell {
	c := Fixed(v, places)
	c.Kind = KindChange
	return c
}

// rounded is a fixed cell's value at its places, never −0.
func (c Cell) rounded() float64 {
	p := math.Pow(10, float64(c.Places))
	v := math.Round(c.Value*p) / p
	if v == 0 {
		return 0 // no −0.0
	}
	return v
}

// Ratio is num/den as text, with what is pending and what is exempted (核减):
// "16/20（待2，减1）". Partial credits keep their decimals.
func Ratio(r metrics.Ratio) Cell {
	if r.Den == 0 && r.Pending == 0 && r.Exempt == 0 {
		return Cell{Kind: KindRatio, Null: true}
	}
	s := strconv.FormatFloat(r.Num, 'f', -1, 64) + "/" + strconv.FormatInt(r.Den, 10)
	var notes []string
	if r.Pending > 0 {
		notes = append(notes, "待"+strconv.FormatInt(r.Pending, 10))
	}
	if r.Exempt > 0 {
		notes = append(notes, "减"+strconv.FormatInt(r.Exempt, 10))
	}
	if notes != nil {
		s += "（" + strings.Join(notes, "，") + "）"
	}
	return Cell{Kind: KindRatio, Text: s}
}

// Flag is a short text shown red when on, empty when off.
func Flag(on bool, text string) Cell {
	if !on {
		return Text("")
	}
	return Cell{Kind: KindFlag, Text: text}
}

// Rate is a rate's cell: null when den is 0, else the fraction with its judgement.
func Rate(r metrics.Ratio, m mark) Cell {
	p := r.Rate()
	if p == nil {
		return Cell{Kind: KindPercent, Null: true}
	}
	return Cell{Kind: KindPercent, Value: *p, Mark: m}
}

// A Table is a header and rows of cells, drawn alike in both formats.
type Table struct {
	Caption string
	Head    []string
	Rows    [][]Cell
	Empty   string // what the page says when there are no rows ("": nothing)
	More    string // what the page says under the rows (what was left out)
	// List names the streamed sheet of a detail list: the workbook holds every
	// row there, the page the first htmlListLimit.
	List string
	// Sheet puts the table alone on a sheet of its own in the workbook (titled
	// with its caption), Freeze its frozen columns and rows there.
	Sheet  string
	Freeze [2]int
	// Total is how many rows a capped list stands for (0: its rows); the sheet's
	// title and the page say so.
	Total int64
	// ListTitle, for a List, is its sheet's title in place of the report's
	// title and the List's name (an explain list's workbook: the title says both).
	ListTitle string
	// Stream, for a List, yields its rows instead of Rows, StreamLen of them,
	// and may be called more than once: the workbook streams them all, the page
	// reads the first htmlListLimit. A list too long to hold (a province's year
	// of records) is read from where it waits on disk as it is written.
	Stream    func(yield func([]Cell) error) error
	StreamLen int64
	// ID anchors the table on the page; Fold shows it folded under its caption
	// (a <details> that a link to ID opens).
	ID   string
	Fold bool
	// Class is the page's class of the table: "score" keeps the unit and the
	// total in view (sticky columns).
	Class string
	// Groups heads the workbook's columns in a row above Head: a name over the
	// columns that share it (merged), "" where the column's own header spans
	// both rows. nil: one header row.
	Groups []string
}

// html renders a table for the page.
func (t *Table) html() table {
	out := table{Caption: t.Caption, Head: t.Head, ID: t.ID, Fold: t.Fold, Class: t.Class}
	for _, r := range t.Rows {
		row := make([]cell, len(r))
		for i, c := range r {
			row[i] = c.html()
			row[i].Href = c.Href
		}
		out.Rows = append(out.Rows, row)
	}
	out.More = t.More
	if len(t.Rows) == 0 {
		out.More = t.Empty
	}
	return out
}

func (c Cell) html() cell {
	if c.Null {
		return cell{Text: "—", Class: "num muted"}
	}
	mark := [...]string{unmarked: "", belowFloor: " red", atTarget: " green"}[c.Mark]
	switch c.Kind {
	case KindCount:
		return cell{Text: strconv.FormatInt(int64(c.Value), 10), Class: "num"}
	case KindNumber:
		return cell{Text: trimFloat(c.Value), Class: "num"}
	case KindPercent:
		text := strconv.FormatFloat(c.Value*100, 'f', 1, 64) + "%"
		if c.Provisional {
			text += "*"
		}
		return cell{Text: text, Class: "num" + mark}
	case KindFixed:
		return cell{Text: strconv.FormatFloat(c.rounded(), 'f', c.Places, 64), Class: "num"}
	case KindChange:
		v := c.rounded()
		text := strconv.FormatFloat(math.Abs(v), 'f', c.Places, 64)
		switch {
		case v > 0:
			text = "+" + text
		case v < 0:
			text = "−" + text // U+2212, as print has it
		}
		return cell{Text: text, Class: "num"}
	case KindRatio:
		return cell{Text: c.Text, Class: "num"}
	case KindFlag:
		return cell{Text: c.Text, Class: "red"}
	}
	return textCell(c.Text)
}

// width is the column width a cell asks for, from its text as shown: a number
// (100.0%*, 12345, 20.00) with room to spare, since a number that does not fit
// shows as ### rather than wrapping; a text up to maxText, beyond which it wraps.
func (c Cell) width() float64 {
	w := cellWidth(c.html().Text)
	switch c.Kind {
	case KindText, KindRatio, KindFlag:
		return min(w, maxText)
	}
	return w + 1.5
}

// xlsx gives a cell's value and style for the workbook.
func (c Cell) xlsx(st styles) (any, int) {
	if c.Null {
		return "—", st.text
	}
	switch c.Kind {
	case KindCount:
		return c.Value, st.num
	case KindNumber:
		return c.Value, st.number
	case KindPercent:
		if c.Provisional {
			return c.Value, [...]int{unmarked: st.pctProv, belowFloor: st.redPctProv, atTarget: st.greenPctProv}[c.Mark]
		}
		return c.Value, [...]int{unmarked: st.pct, belowFloor: st.redPct, atTarget: st.greenPct}[c.Mark]
	case KindRatio:
		return c.Text, st.ratio
	case KindFixed:
		return c.rounded(), st.score
	case KindChange:
		return c.rounded(), map[bool]int{true: st.change2, false: st.change1}[c.Places == 2]
	case KindFlag:
		return c.Text, st.red
	}
	return c.Text, st.text
}

// table writes a table on the sheet: its caption (if any, and asked for), its
// header row, then its rows.
func (s *sheet) table(st styles, t *Table, caption bool) error {
	if caption && t.Caption != "" {
		if err := s.put(0, []any{t.Caption}); err != nil {
			return err
		}
	}
	head := make([]any, len(t.Head))
	for i, h := range t.Head {
		head[i] = h
	}
	s.headStyle = st.header
	if t.Groups != nil {
		if err := s.groupRow(st, t); err != nil {
			return err
		}
	}
	if err := s.put(st.header, head); err != nil {
		return err
	}
	if t.Groups != nil {
		if err := s.mergeGroups(t); err != nil {
			return err
		}
	}
	for _, r := range t.Rows {
		vals, styles := make([]any, len(r)), make([]int, len(r))
		n := 1
		for i, c := range r {
			vals[i], styles[i] = c.xlsx(st)
			if (c.Kind == KindText || c.Kind == KindRatio) && !c.Null {
				n = max(n, lines(c.Text, maxText))
			}
		}
		if err := s.put(st.text, vals, styles...); err != nil {
			return err
		}
		for i, c := range r {
			if _, text := vals[i].(string); !text {
				s.widths[i] = max(s.widths[i], c.width())
			}
		}
		// Every row as high as its lines: office suites do not grow a row for
		// wrapped text on their own, and fonts differ in their default height.
		if err := s.f.SetRowHeight(s.name, s.row, rowHeight(n)); err != nil {
			return err
		}
	}
	return nil
}

// groupRow writes the row above a table's header: each group's name, or the
// column's own header where it has none (merged down over the header row after).
func (s *sheet) groupRow(st styles, t *Table) error {
	row := make([]any, len(t.Head))
	for i := range t.Head {
		row[i] = t.Groups[i]
		if t.Groups[i] == "" {
			row[i] = t.Head[i]
		}
	}
	return s.put(st.header, row)
}

// mergeGroups merges each run of columns under one group name across the group
// row, and each ungrouped column down over both header rows.
func (s *sheet) mergeGroups(t *Table) error {
	merge := func(c1, r1, c2, r2 int) error {
		a, _ := excelize.CoordinatesToCellName(c1, r1)
		b, _ := excelize.CoordinatesToCellName(c2, r2)
		return s.f.MergeCell(s.name, a, b)
	}
	top := s.row - 1
	for i := 0; i < len(t.Groups); {
		j := i + 1
		if t.Groups[i] == "" {
			if err := merge(i+1, top, i+1, s.row); err != nil {
				return err
			}
			i = j
			continue
		}
		for j < len(t.Groups) && t.Groups[j] == t.Groups[i] {
			j++
		}
		if j-i > 1 {
			if err := merge(i+1, top, j, top); err != nil {
				return err
			}
		}
		i = j
	}
	return nil
}

// writeSheet writes one sheet of tables: a title row, notes, then each table with
// a blank row between; frozen panes and the page layout as sheet.finish sets them.
func writeSheet(f *excelize.File, st styles, name string, first bool, title string, notes []string, tables []*Table, freezeCols, freezeRows int) error {
	s, err := newSheet(f, name, first)
	if err != nil {
		return err
	}
	width := 1
	for _, t := range tables {
		width = max(width, len(t.Head))
	}
	if err := s.title(st, title, width); err != nil {
		return err
	}
	for _, n := range notes {
		if err := s.note(st, n, width); err != nil {
			return err
		}
	}
	for i, t := range tables {
		if i > 0 {
			s.row++
		}
		// A table alone on its sheet is named by the sheet's title.
		if err := s.table(st, t, len(tables) > 1); err != nil {
			return err
		}
	}
	return s.finish(freezeCols, freezeRows)
}

// documented gives a report its writers: it is laid out as one document (its
// sections) when it is written, and both formats draw that document.
type documented struct {
	layout  func(title string) (*page, error)
	subject string // the workbook's subject
	asOf    time.Time
}

// WriteHTML writes the report as one self-contained HTML page.
func (d documented) WriteHTML(w io.Writer, title string) error {
	p, err := d.layout(title)
	if err != nil {
		return err
	}
	return p.render(w)
}

// WriteXLSX writes the report as a print-ready workbook.
func (d documented) WriteXLSX(w io.Writer, title string) error {
	p, err := d.layout(title)
	if err != nil {
		return err
	}
	return p.writeXLSX(w, d.subject, d.asOf)
}

// writeXLSX draws the report's sections as a workbook: each sheet's title row,
// notes and tables (a blank row between tables, captions when a sheet holds more
// than one), the lists and the tables of their own on separate sheets, and what
// only a workbook has.
func (p *page) writeXLSX(w io.Writer, subject string, asOf time.Time) error {
	f, st, err := newWorkbook()
	if err != nil {
		return err
	}
	defer f.Close()
	// The title first: every sheet's running header reads it.
	if err := f.SetDocProps(&excelize.DocProperties{Title: p.Title}); err != nil {
		return err
	}
	b := &book{f: f, st: st, p: p, sheets: map[string]*bookSheet{}, count: map[string]int{}}
	for _, s := range p.Sections {
		d := s.book()
		b.count[s.Sheet] += len(d) - lists(d) - own(d)
	}
	for _, s := range p.Sections {
		if s.Sheet != "" {
			if err := b.section(s); err != nil {
				return err
			}
		}
		if err := b.separate(s); err != nil {
			return err
		}
		if s.Extra != nil {
			if err := s.Extra(f, st, p.Title); err != nil {
				return err
			}
		}
	}
	for _, sh := range b.order {
		if err := sh.finish(sh.freeze[0], sh.freeze[1]); err != nil {
			return err
		}
	}
	return writeWorkbook(f, w, p.Title, subject, asOf)
}

// book is a workbook being drawn from a report's sections.
type book struct {
	f      *excelize.File
	st     styles
	p      *page
	sheets map[string]*bookSheet
	order  []*bookSheet
	count  map[string]int // tables per sheet
}

type bookSheet struct {
	*sheet
	freeze [2]int
	tables int
}

// section draws a section's tables on its sheet, starting the sheet with its
// title row when it is the first section there.
func (b *book) section(s *section) error {
	sh := b.sheets[s.Sheet]
	if sh == nil {
		ns, err := newSheet(b.f, s.Sheet, placeholder(b.f)) // the first takes the place of Sheet1
		if err != nil {
			return err
		}
		sh = &bookSheet{sheet: ns, freeze: s.Freeze}
		b.sheets[s.Sheet], b.order = sh, append(b.order, sh)
		title := s.SheetTitle
		if title == "" {
			title = b.p.Title + " · " + s.Sheet
		}
		if err := sh.title(b.st, title, widest(b.p.Sections, s.Sheet)); err != nil {
			return err
		}
	}
	for _, n := range s.SheetNotes {
		if err := sh.note(b.st, n, widest(b.p.Sections, s.Sheet)); err != nil {
			return err
		}
	}
	for _, t := range s.book() {
		if t.List != "" || t.Sheet != "" {
			continue
		}
		if sh.tables > 0 {
			sh.row++
		}
		sh.tables++
		if err := sh.table(b.st, t, b.count[s.Sheet] > 1); err != nil {
			return err
		}
	}
	return nil
}

// separate draws a section's tables that have a sheet of their own: the lists
// (streamed, every row) and the tables with a Sheet.
func (b *book) separate(s *section) error {
	for _, t := range s.book() {
		switch {
		case t.Sheet != "":
			if err := writeSheet(b.f, b.st, t.Sheet, placeholder(b.f), b.p.Title+" · "+t.Caption, nil, []*Table{t}, t.Freeze[0], t.Freeze[1]); err != nil {
				return err
			}
		case t.List != "":
			if err := streamList(b.f, b.st, t.List, b.p.Title, t, listWidths(t)); err != nil {
				return err
			}
		}
	}
	return nil
}

// placeholder reports a workbook that holds only the new file's empty Sheet1.
func placeholder(f *excelize.File) bool {
	l := f.GetSheetList()
	return len(l) == 1 && l[0] == "Sheet1"
}

// lists counts the detail lists among tables.
func lists(ts []*Table) int {
	n := 0
	for _, t := range ts {
		if t.List != "" {
			n++
		}
	}
	return n
}

// own counts the tables that have a sheet of their own.
func own(ts []*Table) int {
	n := 0
	for _, t := range ts {
		if t.Sheet != "" {
			n++
		}
	}
	return n
}

// widest is the most columns of the tables on a sheet: the title row spans them.
// book is a section's tables as the workbook draws them.
func (s *section) book() []*Table {
	if s.BookData != nil {
		return s.BookData
	}
	return s.Data
}

func widest(ss []*section, sheet string) int {
	n := 1
	for _, s := range ss {
		if s.Sheet != sheet {
			continue
		}
		for _, t := range s.book() {
			if t.List == "" && t.Sheet == "" {
				n = max(n, len(t.Head))
			}
		}
	}
	return n
}
