package reports

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/score"
)

// Sheet names of the scorecard workbook.
const (
	SheetOverview    = "总览"
	SheetDepartments = "部门考评"
	SheetTowns       = "乡镇街道考评"
	SheetDefinitions = "指标口径"
)

// styles of one workbook.
type styles struct {
	title, header, text, pct, num, number, score, red, redPct, greenPct int
	titleLeft                                                           int // a title over a table printed across pages: it starts on the first
	titleWrap                                                           int // a list's title longer than its table is wide: wrapped over it
	pctProv, redPctProv, greenPctProv                                   int // a 暂定 rate: its number and a *
	ratio                                                               int // num/den text, right-aligned like the numbers
	change1, change2                                                    int // signed changes: +1.2, −0.8
	note                                                                int // a note under the title: wrapped across the table
}

func newStyles(f *excelize.File) (styles, error) {
	var s styles
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	pct, num, sc, prov := "0.0%", "0", "0.00", `0.0%"*"`
	ch1, ch2 := `+0.0;"−"0.0;0.0`, `+0.00;"−"0.00;0.00`
	// Every style names its font: a style font without a name is drawn in
	// whatever the office suite picks (LibreOffice: DejaVu Serif, whose digits
	// are wider than SimSun's, so ids and times wrapped in their columns).
	font := func(f excelize.Font) *excelize.Font { f.Family = workbookFont; return &f }
	small := *font(excelize.Font{Size: 10}) // table cells: 10 pt, so that a wide table fitted to A4 stays legible
	defs := []struct {
		id *int
		st excelize.Style
	}{
		{&s.title, excelize.Style{Font: font(excelize.Font{Bold: true, Size: 16}), Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&s.titleLeft, excelize.Style{Font: font(excelize.Font{Bold: true, Size: 16}), Alignment: &excelize.Alignment{Horizontal: "left"}}},
		{&s.titleWrap, excelize.Style{Font: font(excelize.Font{Bold: true, Size: 16}),
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.header, excelize.Style{Font: font(excelize.Font{Bold: true, Size: 10}), Border: border, Fill: excelize.Fill{Type: "pattern", Color: []string{"DDEBF7"}, Pattern: 1},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&s.text, excelize.Style{Font: &small, Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&s.pct, excelize.Style{Font: &small, Border: border, CustomNumFmt: &pct}},
		{&s.num, excelize.Style{Font: &small, Border: border, CustomNumFmt: &num}},
		{&s.number, excelize.Style{Font: &small, Border: border}}, // General: as many decimals as the value has
		{&s.score, excelize.Style{Font: &small, Border: border, CustomNumFmt: &sc}},
		{&s.change1, excelize.Style{Font: &small, Border: border, CustomNumFmt: &ch1}},
		{&s.change2, excelize.Style{Font: &small, Border: border, CustomNumFmt: &ch2}},
		{&s.note, excelize.Style{Font: &small, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&s.red, excelize.Style{Border: border, Fill: excelize.Fill{Type: "pattern", Color: []string{"FFC7CE"}, Pattern: 1}, Font: font(excelize.Font{Color: "9C0006", Size: 10})}},
		{&s.redPct, excelize.Style{Border: border, CustomNumFmt: &pct, Fill: excelize.Fill{Type: "pattern", Color: []string{"FFC7CE"}, Pattern: 1}, Font: font(excelize.Font{Color: "9C0006", Size: 10})}},
		{&s.greenPct, excelize.Style{Border: border, CustomNumFmt: &pct, Fill: excelize.Fill{Type: "pattern", Color: []string{"C6EFCE"}, Pattern: 1}, Font: font(excelize.Font{Color: "006100", Size: 10})}},
		{&s.pctProv, excelize.Style{Font: &small, Border: border, CustomNumFmt: &prov}},
		{&s.redPctProv, excelize.Style{Border: border, CustomNumFmt: &prov, Fill: excelize.Fill{Type: "pattern", Color: []string{"FFC7CE"}, Pattern: 1}, Font: font(excelize.Font{Color: "9C0006", Size: 10})}},
		{&s.greenPctProv, excelize.Style{Border: border, CustomNumFmt: &prov, Fill: excelize.Fill{Type: "pattern", Color: []string{"C6EFCE"}, Pattern: 1}, Font: font(excelize.Font{Color: "006100", Size: 10})}},
		{&s.ratio, excelize.Style{Font: &small, Border: border, Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center", WrapText: true}}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.st)
		if err != nil {
			return s, err
		}
		*d.id = id
	}
	return s, nil
}

// workbookFont is the workbooks' font: SimSun, what the readers' machines have.
const workbookFont = "宋体"

// newWorkbook starts a workbook in 宋体 with the report styles.
func newWorkbook() (*excelize.File, styles, error) {
	f := excelize.NewFile()
	if err := f.SetDefaultFont(workbookFont); err != nil {
		f.Close()
		return nil, styles{}, err
	}
	st, err := newStyles(f)
	if err != nil {
		f.Close()
		return nil, styles{}, err
	}
	return f, st, nil
}

// sheet writes rows to one worksheet and tracks the column widths for Chinese text.
type sheet struct {
	f         *excelize.File
	name      string
	row       int
	widths    map[int]float64
	headStyle int // the header rows' style: headers wrap, so they hardly widen a column
	notes     []noteRow
	heads     []headRow
	titleRow  int // the title's row (0: none) and its left-aligned style
	titleLeft int
}

// noteRow is a note merged across the first n columns of its row; its height is
// set once the columns have their widths.
type noteRow struct {
	row, n int
	text   string
}

// note writes a line under the title merged across the table's n columns and
// wrapped there: a long note that spilled to the right would widen what prints,
// and shrink the table to fit it.
func (s *sheet) note(st styles, text string, n int) error {
	if err := s.put(st.note, []any{text}); err != nil {
		return err
	}
	n = max(n, 1)
	s.notes = append(s.notes, noteRow{s.row, n, text})
	if n == 1 {
		return nil
	}
	start, _ := excelize.CoordinatesToCellName(1, s.row)
	end, _ := excelize.CoordinatesToCellName(n, s.row)
	return s.f.MergeCell(s.name, start, end)
}

func newSheet(f *excelize.File, name string, first bool) (*sheet, error) {
	if first {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return nil, err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return nil, err
	}
	return &sheet{f: f, name: name, widths: map[int]float64{}}, nil
}

// cellWidth estimates the column width a value needs, in width units (the
// digit width of the workbook font, 宋体 11 pt): at the tables' 10 pt a Chinese
// character takes about 1.9 and a half-width one 0.95, plus the cell's margins.
func cellWidth(v any) float64 {
	s, ok := v.(string)
	if !ok {
		return 0 // a number: the table sizes its column from its text (Cell.html)
	}
	w := 0.0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			w += 1.9
		default:
			w += 0.95
		}
	}
	return w + 1.5
}

// put writes one row with one style per cell (0: the row's default style).
func (s *sheet) put(style int, cells []any, cellStyles ...int) error {
	s.row++
	for c, v := range cells {
		ref, _ := excelize.CoordinatesToCellName(c+1, s.row)
		var err error
		switch x := v.(type) {
		case nil:
		case string:
			err = s.f.SetCellStr(s.name, ref, x) // always a string cell: never a formula or a link
		default:
			err = s.f.SetCellValue(s.name, ref, x)
		}
		if err != nil {
			return err
		}
		st := style
		if c < len(cellStyles) && cellStyles[c] != 0 {
			st = cellStyles[c]
		}
		if st != 0 {
			if err := s.f.SetCellStyle(s.name, ref, ref, st); err != nil {
				return err
			}
		}
		// Table cells size their columns; a title, a note or a caption (style 0)
		// spills over, and a header wraps: it asks for two characters a line.
		limit := maxText
		if style == s.headStyle && style != 0 {
			limit = headWidth
		}
		if w := min(cellWidth(v), limit); w > s.widths[c] && s.row > 2 && style != 0 {
			s.widths[c] = w
		}
	}
	if style == s.headStyle && style != 0 {
		texts := make([]string, len(cells))
		for i, v := range cells {
			texts[i], _ = v.(string)
		}
		s.heads = append(s.heads, headRow{s.row, texts})
	}
	return nil
}

// headWidth is the most a header asks of its column: two Chinese characters a
// line (a header wraps; its row is as high as its lines).
const headWidth = 5.5

// headRow is a header row, made as high as its most wrapped cell once the
// columns have their widths.
type headRow struct {
	row   int
	texts []string
}

// title writes a merged title row across n columns.
func (s *sheet) title(st styles, text string, n int) error {
	if err := s.put(st.title, []any{text}); err != nil {
		return err
	}
	s.titleRow, s.titleLeft = s.row, st.titleLeft
	if err := s.f.SetRowHeight(s.name, s.row, titleHeight); err != nil { // 16 pt: office suites keep the default height
		return err
	}
	end, _ := excelize.CoordinatesToCellName(max(n, 1), s.row)
	start, _ := excelize.CoordinatesToCellName(1, s.row)
	return s.f.MergeCell(s.name, start, end)
}

// finish sets widths, frozen headers and the printed page (pageSetup).
func (s *sheet) finish(freezeCols, freezeRows int) error {
	cols := 0
	for c := range s.widths {
		cols = max(cols, c+1)
	}
	widths := make([]float64, cols)
	for c := range widths {
		widths[c] = max(s.widths[c], minColumn)
		col, _ := excelize.ColumnNumberToName(c + 1)
		if err := s.f.SetColWidth(s.name, col, col, widths[c]); err != nil {
			return err
		}
	}
	for _, h := range s.heads {
		n := 1
		for c, text := range h.texts {
			if c < len(widths) {
				n = max(n, lines(text, widths[c]))
			}
		}
		if err := s.f.SetRowHeight(s.name, h.row, rowHeight(n)); err != nil {
			return err
		}
	}
	for _, nr := range s.notes { // as high as the note's lines across its columns
		across := 0.0
		for c := 0; c < nr.n; c++ {
			across += max(s.widths[c], minColumn)
		}
		lines := int(cellWidth(nr.text)*1.1/across) + 1
		if err := s.f.SetRowHeight(s.name, nr.row, min(float64(lines)*14+2, 409)); err != nil {
			return err
		}
	}
	if freezeRows > 0 {
		tl, _ := excelize.CoordinatesToCellName(freezeCols+1, freezeRows+1)
		if err := s.f.SetPanes(s.name, &excelize.Panes{Freeze: true, XSplit: freezeCols, YSplit: freezeRows, TopLeftCell: tl, ActivePane: "bottomRight"}); err != nil {
			return err
		}
	}
	ps := pageSetup{widths: widths, keyCols: freezeCols, headFrom: s.headerFrom(freezeRows), headTo: freezeRows}
	if ps.scale() < minScale && s.titleRow > 0 { // printed across pages: centred, the title would start on the second
		ref, _ := excelize.CoordinatesToCellName(1, s.titleRow)
		if err := s.f.SetCellStyle(s.name, ref, ref, s.titleLeft); err != nil {
			return err
		}
	}
	return ps.apply(s.f, s.name)
}

// headerFrom is the first of the header rows that end at row to (a grouped
// header is two rows): those are repeated on every printed page — the running
// header already names the report and the sheet, so the title and notes are not.
// Without a header row there, the rows from the top.
func (s *sheet) headerFrom(to int) int {
	isHead := func(r int) bool {
		for _, h := range s.heads {
			if h.row == r {
				return true
			}
		}
		return false
	}
	if !isHead(to) {
		return 1
	}
	from := to
	for from > 1 && isHead(from-1) {
		from--
	}
	return from
}

// titleHeight is the height of a sheet's title row: 16 pt bold text.
const titleHeight = 22

// minColumn is the narrowest column (a rank, a count of two digits, a header of
// two characters a line); maxText the widest a text makes its column (about 15
// Chinese characters): longer text wraps, its row as high as its lines.
const (
	minColumn = 5.5
	maxText   = 30.0
)

// lines is how many lines a text cell takes in a column of width w.
func lines(text string, w float64) int {
	return max(1, int((cellWidth(text)-2)/(w-1.5))+1)
}

// rowHeight is the height in points of a row of n lines of 10 pt text.
func rowHeight(n int) float64 { return min(float64(n)*13+0.5, 409) }

// listWidths sizes a list's columns from its header (which wraps: at most 9
// characters) and the text of its first rows, within minColumn and maxText.
func listWidths(t *Table) []float64 {
	w := make([]float64, len(t.Head))
	for i, h := range t.Head {
		w[i] = max(minColumn, min(cellWidth(h), headWidth))
	}
	n := 0
	widen := func(r []Cell) error {
		if n == 2000 {
			return errEnough
		}
		n++
		for i, c := range r {
			if i < len(w) {
				w[i] = max(w[i], c.width())
			}
		}
		return nil
	}
	// A stream that fails here fails again when its rows are written.
	_ = t.each(widen)
	return w
}

// errEnough stops a table's rows early.
var errEnough = errors.New("reports: enough rows")

// each yields a table's rows, from Stream or Rows, until yield returns an error;
// errEnough ends it without one.
func (t *Table) each(yield func([]Cell) error) error {
	var err error
	if t.Stream != nil {
		err = t.Stream(yield)
	} else {
		for _, r := range t.Rows {
			if err = yield(r); err != nil {
				break
			}
		}
	}
	if errors.Is(err, errEnough) {
		return nil
	}
	return err
}

// The printed page. An A4 page holds, across, this many column-width units (the
// workbook font's digit width: 宋体 11 pt) at 100 % between excelize's default
// margins — measured with LibreOffice and a font of SimSun's metrics (26 columns
// of width 5 on a landscape page; see docs/reports.md). Table text is 10 pt, so
// a sheet is fitted to the page width only when that keeps it at 8 pt or more.
const (
	landscapeUnits = 130.0
	portraitUnits  = 86.0
	minScale       = 0.8
	columnPadding  = 0.7 // each column's cell margins, in width units
)

// pageMargins, in inches: narrower than the office default (0.7, 0.75) to give
// the tables room; the running header and footer sit inside the top and bottom.
var pageMargins = func() excelize.PageLayoutMarginsOptions {
	side, edge, head := 0.5, 0.5, 0.25
	return excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &edge, Bottom: &edge, Header: &head, Footer: &head}
}()

// pageSetup is how a sheet prints: A4 (landscape unless portrait); fitted to one
// page wide when its columns fit at minScale or more, else at 100 % across as many
// pages as it takes, its key columns repeated on each; its head rows (title,
// notes, header) repeated on every page; the running header and footer.
type pageSetup struct {
	portrait         bool
	widths           []float64
	keyCols          int // columns repeated on every page across (the unit's name)
	headFrom, headTo int // rows repeated on every page down (0: none)
}

// scale is the print scale that fits the columns to one page width (at most 1).
func (ps pageSetup) scale() float64 {
	total := 0.0
	for _, w := range ps.widths {
		total += w + columnPadding
	}
	capacity := landscapeUnits
	if ps.portrait {
		capacity = portraitUnits
	}
	if total <= capacity {
		return 1
	}
	return capacity / total
}

func (ps pageSetup) apply(f *excelize.File, sheet string) error {
	fit := ps.scale() >= minScale
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	a4, orientation, one, zero, full := 9, "landscape", 1, 0, uint(100)
	if ps.portrait {
		orientation = "portrait"
	}
	layout := &excelize.PageLayoutOptions{Size: &a4, Orientation: &orientation}
	if fit {
		layout.FitToWidth, layout.FitToHeight = &one, &zero
	} else {
		layout.AdjustTo = &full
	}
	if err := f.SetPageLayout(sheet, layout); err != nil {
		return err
	}
	if err := f.SetPageMargins(sheet, &pageMargins); err != nil {
		return err
	}
	var titles []string
	if !fit && ps.keyCols > 0 {
		last, _ := excelize.ColumnNumberToName(ps.keyCols)
		titles = append(titles, fmt.Sprintf("'%s'!$A:$%s", sheet, last))
	}
	if ps.headTo > 0 {
		titles = append(titles, fmt.Sprintf("'%s'!$%d:$%d", sheet, max(ps.headFrom, 1), ps.headTo))
	}
	if titles != nil {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet, RefersTo: strings.Join(titles, ",")}); err != nil {
			return err
		}
	}
	return runningHeads(f, sheet)
}

// runningHeads puts the report's title (the workbook's, set before any sheet)
// and the sheet's name in the header of every printed page, and 第 n 页，共 m 页 in
// the footer.
func runningHeads(f *excelize.File, sheet string) error {
	title := ""
	if props, err := f.GetDocProps(); err == nil {
		title = strings.ReplaceAll(props.Title, "&", "&&") // & begins a header code
	}
	// The font code after the size: a title starting with digits (2024年…) would
	// otherwise be read as part of the size.
	const font = `&9&"宋体,常规"`
	return f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + font + title + "&R" + font + "&A",
		OddFooter: "&C" + font + "第 &P 页，共 &N 页",
	})
}

// weighted lists the scored indicators, in the SPEC's order.
func (sc *Scorecard) weighted() []metrics.Indicator {
	var out []metrics.Indicator
	for _, in := range metrics.Indicators {
		if r, ok := sc.Scoring.Indicators[in.ID]; ok && r.Weight > 0 {
			out = append(out, in)
		}
	}
	return out
}

// mark is how a rate stands against its scoring rule: the only meanings of red and
// green in every report.
type mark int

const (
	unmarked   mark = iota
	belowFloor      // red
	atTarget        // green
)

// judge compares a rate with its floor and target; for lower-is-better indicators
// the other way round. No rate is unmarked.
func judge(r metrics.Ratio, rule score.Rule, lowerBetter bool) mark {
	p := r.Rate()
	if p == nil {
		return unmarked
	}
	switch {
	case rule.Below(*p, lowerBetter):
		return belowFloor
	case rule.AtTarget(*p, lowerBetter):
		return atTarget
	}
	return unmarked
}

// mark judges the indicator's rate by the scoring rule in force; an indicator
// without a rule is unmarked.
func (fr *Frame) mark(r metrics.Ratio, id domain.IndicatorID) mark {
	rule, ok := fr.Scoring.Indicators[id]
	if !ok {
		return unmarked
	}
	in, _ := metrics.IndicatorByID(id)
	return judge(r, rule, in.LowerBetter)
}

// ScoreColumns is the header of a score table, for tests and readers.
func (sc *Scorecard) ScoreColumns(unit string) []any {
	h := []any{"排名", unit, "类别"}
	for _, in := range sc.weighted() {
		h = append(h, in.Name+"（分子/分母）", in.Name, in.Name+"得分")
	}
	return append(h, "总分", "上期排名", "名次升降", "备注")
}

// PrintedScoreColumns are the columns of a workbook's score sheet (its printed
// layout, scoreTable), each named flat: 排名, 单位, 签收率, 签收率得分, …, 总分.
func (sc *Scorecard) PrintedScoreColumns(unit string) []string {
	head, groups := sc.printedScoreHead(unit)
	out := make([]string, len(head))
	for i, h := range head {
		switch g := groups[i]; {
		case g == "":
			out[i] = h
		case h == "比率":
			out[i] = g
		default:
			out[i] = g + h
		}
	}
	return out
}

func trimFloat(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}

// definitions are the tables every report ends with, in both formats: every
// indicator's definition (口径) with its scoring, the settings in force, and the
// loads behind the figures (数据来源).
func (fr *Frame) definitions() []*Table {
	ind := &Table{Head: []string{"指标", "口径", "权重", "目标值", "底线值"}}
	for _, in := range metrics.Indicators {
		r, ok := fr.Scoring.Indicators[in.ID]
		target, floor := Percent(r.Target), Percent(r.Floor)
		if !ok { // not scored and not judged: no target, no floor
			target, floor = Cell{Kind: KindPercent, Null: true}, Cell{Kind: KindPercent, Null: true}
		}
		ind.Rows = append(ind.Rows, []Cell{Text(indicatorLabel(in)), Text(in.Definition), Number(r.Weight), target, floor})
	}
	set := &Table{Head: []string{"设定", "取值"}}
	for _, kv := range fr.settings() {
		set.Rows = append(set.Rows, []Cell{Text(kv[0]), Text(kv[1])})
	}
	cov := &Table{Head: []string{"数据文件", "类型", "映射", "读取", "新增", "更新", "未变", "被覆盖", "拒收", "载入时间"}, Empty: "尚未载入任何文件。"}
	for _, f := range fr.Coverage {
		cov.Rows = append(cov.Rows, []Cell{Text(f.Name), Text(kindName(f.Kind)), Text(f.Profile), Count(f.Read), Count(f.Inserted),
			Count(f.Updated), Count(f.Unchanged), Count(f.Superseded), Count(f.Rejected), Text(loadedAt(f.LoadedAt))})
	}
	return []*Table{ind, set, cov}
}

func kindName(k string) string {
	if n, ok := map[string]string{"calls": "警情", "orders": "工单"}[k]; ok {
		return n
	}
	return k
}

// indicatorLabel is the indicator's name, marked when lower is better.
func indicatorLabel(in metrics.Indicator) string {
	if in.LowerBetter {
		return in.Name + "（越低越好）"
	}
	return in.Name
}

// periodNote states the period, its dates, T and how T is read.
func (fr *Frame) periodNote() string {
	return fmt.Sprintf("统计期：%s（%s 至 %s，不含截止日）  统计时点：%s  说明：统计时点之后的事件视为尚未发生；结果尚未确定的计为“待定”，不计入分母。",
		fr.Period.Label(), fr.Period.Start.Format("2006-01-02"), fr.Period.End.Format("2006-01-02"), fr.AsOf.Format("2006-01-02 15:04:05"))
}

// settings are the SLA and scoring settings in force, as label and value.
func (fr *Frame) settings() [][2]string {
	c := fr.Indicators
	return [][2]string{
		{"时钟误差", durationText(c.Skew)},
		{"签收时限", fmt.Sprintf("紧急 %s；一般 %s", durationText(c.SignSLA[domain.Urgent]), durationText(c.SignSLA[domain.Normal]))},
		{"到场时限", fmt.Sprintf("紧急：城区 %s、集镇 %s、农村 %s；一般：城区 %s、集镇 %s、农村 %s",
			durationText(c.ArrivalSLA[domain.Urgent][domain.City]), durationText(c.ArrivalSLA[domain.Urgent][domain.Township]), durationText(c.ArrivalSLA[domain.Urgent][domain.Rural]),
			durationText(c.ArrivalSLA[domain.Normal][domain.City]), durationText(c.ArrivalSLA[domain.Normal][domain.Township]), durationText(c.ArrivalSLA[domain.Normal][domain.Rural]))},
		{"办结时限", fmt.Sprintf("简易 %d 天；一般 %d 天；疑难 %d 天", c.ClosureDays[domain.Easy], c.ClosureDays[domain.Ordinary], c.ClosureDays[domain.Hard])},
		{"同一事件间隔", durationText(c.SameIncident)},
		{"重复报警窗口", durationText(c.RepeatWindow)},
		{"部分化解折算", trimFloat(c.PartialCredit)},
		{"最少有效工单数", fmt.Sprint(fr.Scoring.MinOrders)},
	}
}

// More sheet names.
const (
	SheetMonthly    = "月度得分"
	SheetChart      = "图表"
	SheetDiversion  = "分流情况"
	SheetOverdue    = "超期工单"
	SheetRepeats    = "重复报警"
	SheetQuality    = "数据质量"
	SheetExemptions = "核减明细"
)

// writeChart draws the ranked total scores of the functional departments as bars,
// from the cells of 部门考评.
func (sc *Scorecard) writeChart(f *excelize.File, st styles, title string) error {
	s, err := newSheet(f, SheetChart, false)
	if err != nil {
		return err
	}
	if err := s.title(st, title+" · 职能部门考评得分", 12); err != nil {
		return err
	}
	// The functional departments are the first peer group on 部门考评: their rows
	// start under the title, the note, (the caption,) and the header.
	top := sc.scoreHeaderRow(sc.Departments) + 2 // the header is two rows: the indicators over 比率 and 得分
	first, last := 0, 0
	for i, r := range sc.Departments {
		if r.Score.Ranked && r.Score.Kind == domain.Functional {
			if first == 0 {
				first = i + top
			}
			last = i + top
		}
	}
	if first > 0 {
		col, _ := excelize.ColumnNumberToName(slices.Index(sc.PrintedScoreColumns("单位"), "总分") + 1)
		ref := func(c string) string { return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", SheetDepartments, c, first, c, last) }
		if err := f.AddChart(SheetChart, "A3", &excelize.Chart{
			Type:   excelize.Bar,
			Series: []excelize.ChartSeries{{Name: "总分", Categories: ref("B"), Values: ref(col)}},
			Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "职能部门考评得分（按排名）"}}},
			Legend: excelize.ChartLegend{Position: "none"},
			Format: chartSize,
		}); err != nil {
			return err
		}
	}
	return sc.writeTrend(f, st)
}

// TrendTop is the first row of the 12-month table on the 图表 sheet.
const TrendTop = 62

// writeTrend writes the 12 months' rates of the scored indicators as a table on the
// 图表 sheet and draws them as lines (the same colour per indicator in every
// workbook: Excel's series order follows the SPEC's indicator order).
func (sc *Scorecard) writeTrend(f *excelize.File, st styles) error {
	if len(sc.Trend) == 0 {
		return nil
	}
	ind := sc.weighted()
	head := []any{"月份"}
	for _, in := range ind {
		head = append(head, in.Name)
	}
	cellAt := func(c, r int) string { ref, _ := excelize.CoordinatesToCellName(c, r); return ref }
	if err := f.SetSheetRow(SheetChart, cellAt(1, TrendTop), &head); err != nil {
		return err
	}
	f.SetCellStyle(SheetChart, cellAt(1, TrendTop), cellAt(len(head), TrendTop), st.header)
	for i, res := range sc.Trend {
		row := []any{res.Period.String()}
		g := res.Group("total")
		for _, in := range ind {
			if g == nil {
				row = append(row, nil)
			} else if p := g.Indicators[in.ID].Rate(); p != nil {
				row = append(row, *p)
			} else {
				row = append(row, nil)
			}
		}
		r := TrendTop + 1 + i
		if err := f.SetSheetRow(SheetChart, cellAt(1, r), &row); err != nil {
			return err
		}
		f.SetCellStyle(SheetChart, cellAt(2, r), cellAt(len(head), r), st.pct)
	}
	last := TrendTop + len(sc.Trend)
	var series []excelize.ChartSeries
	for i := range ind {
		c, _ := excelize.ColumnNumberToName(i + 2)
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("'%s'!$%s$%d", SheetChart, c, TrendTop),
			Categories: fmt.Sprintf("'%s'!$A$%d:$A$%d", SheetChart, TrendTop+1, last),
			Values:     fmt.Sprintf("'%s'!$%s$%d:$%s$%d", SheetChart, c, TrendTop+1, c, last),
		})
	}
	// One chart per page at 100 %, the table on the third: a page break before
	// the line chart and before the table.
	for _, row := range []int{lineChartRow - 1, TrendTop - 2} {
		if err := f.InsertPageBreak(SheetChart, cellAt(1, row+1)); err != nil {
			return err
		}
	}
	if err := (pageSetup{}).apply(f, SheetChart); err != nil {
		return err
	}
	return f.AddChart(SheetChart, cellAt(1, lineChartRow), &excelize.Chart{
		Type:   excelize.Line,
		Series: series,
		Title:  excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "近12个月考核指标走势"}}},
		YAxis:  excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		Format: chartSize,
	})
}

// chartSize makes a workbook chart 960 × 522 pixels (excelize's 480 × 290 scaled):
// one A4 landscape page at 100 %, under the running header.
var chartSize = excelize.GraphicOptions{ScaleX: 2.0, ScaleY: 1.8}

// lineChartRow is where the 12-month chart starts on the 图表 sheet: the first
// row of the second printed page (a 522-pixel chart covers 27 default rows).
const lineChartRow = 32

// listTitle is a list sheet's title: how many rows it holds, and of how many
// when it was capped (full: at the worksheet's last row).
func listTitle(title, name string, rows int, total int64, full bool) string {
	head := title + " · " + name
	if name == "" { // the title names the list already
		head = title
	}
	switch {
	case full:
		return fmt.Sprintf("%s（列出 %d 条，共 %d 条：一张工作表最多 %d 行；完整清单：fenliu explain --format csv）", head, rows, total, excelize.TotalRows)
	case total > int64(rows):
		return fmt.Sprintf("%s（列出 %d 条，共 %d 条；完整清单：report --full-detail 或 fenliu explain）", head, rows, total)
	}
	return fmt.Sprintf("%s（%d 条）", head, rows)
}

// maxListRows is how many rows a streamed list holds under its title and header:
// a worksheet has at most excelize.TotalRows rows (1,048,576). A longer list (an
// annual's repeat calls at province scale) is cut there, and its title says so.
var maxListRows = excelize.TotalRows - 2

// streamList writes one detail list as a sheet with the StreamWriter: a list of
// 200 000 rows stays fast and small; text cells are inline strings.
func streamList(f *excelize.File, st styles, name, title string, t *Table, widths []float64) error {
	header, rows, total := t.Head, int64(len(t.Rows)), t.Total
	if t.Stream != nil {
		rows = t.StreamLen
	}
	full := rows > int64(maxListRows)
	if full {
		rows, total = int64(maxListRows), max(total, rows)
	}
	if placeholder(f) { // the workbook's only sheet (an explain list) takes Sheet1's place
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return err
	}
	// The layout goes on before the stream writer takes the sheet: it writes the
	// sheet's properties when created and its page setup when flushed, and
	// ignores what is set afterwards (excelize issues 1295, 1562).
	if err := (pageSetup{widths: widths, keyCols: 1, headFrom: 2, headTo: 2}).apply(f, name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	text := listTitle(title, name, int(rows), total, full)
	if t.ListTitle != "" {
		text = listTitle(t.ListTitle, "", int(rows), total, full)
	}
	titleStyle, height := st.title, float64(titleHeight)
	var wide float64
	for _, w := range widths {
		wide += w
	}
	// A capped list's title says where the rest are: longer than the table is
	// wide, it wraps over it (16 pt text: 10/16 of a column's 10 pt characters).
	switch n := lines(text, wide*10/16); {
	case (pageSetup{widths: widths}).scale() < minScale:
		titleStyle = st.titleLeft
	case n > 1 && len(header) > 1:
		titleStyle, height = st.titleWrap, float64(n*titleHeight)
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: titleStyle, Value: text}}, excelize.RowOpts{Height: height}); err != nil {
		return err
	}
	if len(header) > 1 { // the title spans the table, as on the other sheets, rather than spilling out of A1
		last, _ := excelize.CoordinatesToCellName(len(header), 1)
		if err := sw.MergeCell("A1", last); err != nil {
			return err
		}
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	n := 1
	for i, h := range header {
		n = max(n, lines(h, widths[i]))
	}
	if err := sw.SetRow("A2", head, excelize.RowOpts{Height: rowHeight(n)}); err != nil {
		return err
	}
	i := 0
	err = t.each(func(r []Cell) error {
		if int64(i) == rows {
			return errEnough
		}
		cells := make([]any, len(r))
		n := 1
		for j, c := range r {
			v, style := c.xlsx(st)
			cells[j] = excelize.Cell{StyleID: style, Value: v}
			if text, ok := v.(string); ok && j < len(widths) {
				n = max(n, lines(text, widths[j]))
			}
		}
		ref, _ := excelize.CoordinatesToCellName(1, i+3)
		i++
		return sw.SetRow(ref, cells, excelize.RowOpts{Height: rowHeight(n)})
	})
	if err != nil {
		return err
	}
	return sw.Flush()
}
