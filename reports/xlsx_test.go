package reports_test

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/etl"
	"github.com/fenliu/fenliu/exempt"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
	"github.com/fenliu/fenliu/queries"
	"github.com/fenliu/fenliu/reports"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// boundaryDB loads the boundary fixture and the hostile rows.
func boundaryDB(t *testing.T) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := queries.Open(ctx, filepath.Join(t.TempDir(), "r.duckdb"), queries.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fx := filepath.Join("..", "metrics", "testdata", "boundary")
	if err := etl.LoadDictionaries(ctx, db, filepath.Join(fx, "departments.csv"), filepath.Join(fx, "categories.csv")); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{filepath.Join(fx, "calls.csv"), filepath.Join(fx, "orders.csv"), filepath.Join("testdata", "calls_hostile.csv"), filepath.Join("testdata", "orders_hostile.csv")} {
		if _, err := etl.Load(ctx, db, f, etl.Options{Secret: []byte("reports-test-secret-01"), Zone: shanghai,
			Now: time.Date(2030, 1, 1, 0, 0, 0, 0, shanghai), TempDir: t.TempDir()}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := metrics.Refresh(ctx, db, metrics.DefaultConfig(), nil); err != nil { // as ingest does
		t.Fatal(err)
	}
	return db
}

func workbook(t *testing.T) (*excelize.File, *reports.Scorecard) {
	t.Helper()
	return workbookOf(t, boundaryDB(t))
}

func workbookOf(t *testing.T, db *sql.DB) (*excelize.File, *reports.Scorecard) {
	t.Helper()
	ctx := context.Background()
	p, _ := period.Parse("2024-05")
	sc, err := reports.Monthly(ctx, metrics.New(db, metrics.DefaultConfig(), nil), metrics.DefaultConfig(), score.DefaultConfig(), p, time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := sc.WriteXLSX(&buf, "2024年5月非警务警情分流处置考评通报"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, sc
}

// findRow returns the 1-based row whose column col holds text.
func findRow(t *testing.T, f *excelize.File, sheet string, col int, text string) int {
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > col && r[col] == text {
			return i + 1
		}
	}
	t.Fatalf("%s: no row with %q in column %d", sheet, text, col+1)
	return 0
}

func cell(t *testing.T, f *excelize.File, sheet string, col, row int) string {
	ref, _ := excelize.CoordinatesToCellName(col, row)
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestScorecardWorkbook(t *testing.T) {
	f, sc := workbook(t)
	want := []string{reports.SheetBulletin, reports.SheetOverview, reports.SheetDepartments, reports.SheetDepartments + "（分子分母）",
		reports.SheetTowns, reports.SheetTowns + "（分子分母）", reports.SheetChart,
		reports.SheetDiversion, reports.SheetOverdue, reports.SheetRepeats, reports.SheetExemptions, reports.SheetQuality}
	for _, in := range metrics.Indicators {
		if score.DefaultConfig().Indicators[in.ID].Weight > 0 {
			want = append(want, in.Name+"明细")
		}
	}
	want = append(want, reports.SheetDefinitions)
	got := f.GetSheetList()
	if len(got) != len(want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sheet %d = %s, want %s", i, got[i], want[i])
		}
	}

	// Every figure of 部门考评 equals score.Groups for the same period and T.
	header := sc.PrintedScoreColumns("单位")
	totalCol, noteCol := slices.Index(header, "总分")+1, slices.Index(header, "备注")+1
	if header[2] != "签收率" || header[3] != "签收率得分" || header[4] != "按时到点率" {
		t.Errorf("printed score columns %v", header)
	}
	for _, r := range sc.Departments {
		row := findRow(t, f, reports.SheetDepartments, 1, r.Group.Key)
		rank := "—"
		if r.Score.Rank != nil {
			rank = strconv.Itoa(*r.Score.Rank)
		}
		if v := cell(t, f, reports.SheetDepartments, 1, row); v != rank {
			t.Errorf("%s rank %s, want %s", r.Group.Key, v, rank)
		}
		total := cell(t, f, reports.SheetDepartments, totalCol, row)
		if r.Score.Total == nil || total != strconv.FormatFloat(*r.Score.Total, 'f', -1, 64) {
			t.Errorf("%s total %s, want %v", r.Group.Key, total, r.Score.Total)
		}
		note := cell(t, f, reports.SheetDepartments, noteCol, row)
		if (note == "样本不足") != r.Score.Insufficient {
			t.Errorf("%s note %q, insufficient %v", r.Group.Key, note, r.Score.Insufficient)
		}
		// sign_rate: num/den on the evidence sheet, in column 4.
		x := r.Group.Indicators["sign_rate"]
		ratios := reports.SheetDepartments + "（分子分母）"
		if v := cell(t, f, ratios, 4, findRow(t, f, ratios, 1, r.Group.Key)); v != strconv.FormatFloat(x.Num, 'f', -1, 64)+"/"+strconv.FormatInt(x.Den, 10) {
			t.Errorf("%s sign num/den %s", r.Group.Key, v)
		}
	}
	// Every scored figure of both tables: num/den, rate and points per weighted indicator.
	weighted := []domain.IndicatorID{"sign_rate", "arrival_rate", "closure_rate", "resolution_rate", "repeat_rate"}
	for _, tbl := range []struct {
		sheet string
		rows  []reports.Row
	}{{reports.SheetDepartments, sc.Departments}, {reports.SheetTowns, sc.Towns}} {
		if len(tbl.rows) == 0 {
			t.Fatalf("%s: no rows", tbl.sheet)
		}
		ratios := tbl.sheet + "（分子分母）"
		for _, r := range tbl.rows {
			row, ratioRow := findRow(t, f, tbl.sheet, 1, r.Group.Key), findRow(t, f, ratios, 1, r.Group.Key)
			for i, id := range weighted {
				x := r.Group.Indicators[id]
				col := 3 + 2*i
				// num/den with what is pending, or — when there is nothing to count.
				want := strconv.FormatFloat(x.Num, 'f', -1, 64) + "/" + strconv.FormatInt(x.Den, 10)
				if x.Pending > 0 {
					want += "（待" + strconv.FormatInt(x.Pending, 10) + "）"
				}
				if x.Provisional(metrics.DefaultConfig().ProvisionalShare) { // more than 5 % pending
					want += "暂定"
				}
				if x.Den == 0 && x.Pending == 0 && x.Exempt == 0 {
					want = "—"
				}
				if v := cell(t, f, ratios, 4+i, ratioRow); v != want {
					t.Errorf("%s %s %s num/den %s, want %s", ratios, r.Group.Key, id, v, want)
				}
				if v := cell(t, f, tbl.sheet, col, row); !sameNumber(v, x.Rate()) {
					t.Errorf("%s %s %s rate %s, want %v", tbl.sheet, r.Group.Key, id, v, x.Rate())
				}
				part := "—"
				if p := r.Score.Parts[id]; p != nil {
					part = strconv.FormatFloat(*p, 'f', -1, 64)
				}
				if v := cell(t, f, tbl.sheet, col+1, row); v != part {
					t.Errorf("%s %s %s part %s, want %s", tbl.sheet, r.Group.Key, id, v, part)
				}
			}
		}
	}
	// The 12-month table under the charts ends with May 2024: sign rate 19/23.
	want1822 := 19.0 / 23.0
	if r := findRow(t, f, reports.SheetChart, 0, "2024-05"); r != reports.TrendTop+12 || !sameNumber(cell(t, f, reports.SheetChart, 2, r), &want1822) {
		t.Errorf("trend row %d sign %s", r, cell(t, f, reports.SheetChart, 2, r))
	}

	// Hand-derived: 市场监管局 is first with 45.59 (see cmd/fenliu TestScoreCommand).
	row := findRow(t, f, reports.SheetDepartments, 1, "市场监管局")
	if cell(t, f, reports.SheetDepartments, 1, row) != "1" || cell(t, f, reports.SheetDepartments, totalCol, row) != "45.59" {
		t.Errorf("市场监管局 row: rank %s total %s", cell(t, f, reports.SheetDepartments, 1, row), cell(t, f, reports.SheetDepartments, totalCol, row))
	}

	// Red below the floor, green at or above the target: 住建局 signed 4/6 (< 0.80),
	// 枫桥镇社会治理中心 2/2 (≥ 0.98), 市场监管局 9/11 (between).
	for name, color := range map[string]string{"住建局": "FFC7CE", "枫桥镇社会治理中心": "C6EFCE", "市场监管局": ""} {
		r := findRow(t, f, reports.SheetDepartments, 1, name)
		ref, _ := excelize.CoordinatesToCellName(3, r)
		id, _ := f.GetCellStyle(reports.SheetDepartments, ref)
		st, _ := f.GetStyle(id)
		fill := ""
		if st != nil && len(st.Fill.Color) > 0 {
			fill = st.Fill.Color[0]
		}
		if fill != color {
			t.Errorf("%s sign rate fill %q, want %q", name, fill, color)
		}
	}

	// Free text cannot become a formula or a link.
	for _, name := range []string{`=HYPERLINK("http://example.invalid","点我")`, "@SUM(1)+2"} {
		r := findRow(t, f, reports.SheetDepartments, 1, name)
		ref, _ := excelize.CoordinatesToCellName(2, r)
		if formula, _ := f.GetCellFormula(reports.SheetDepartments, ref); formula != "" {
			t.Errorf("%s became the formula %q", name, formula)
		}
		if typ, _ := f.GetCellType(reports.SheetDepartments, ref); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
			t.Errorf("%s: cell type %v, want a string", name, typ)
		}
		if links, _, _ := f.GetCellHyperLink(reports.SheetDepartments, ref); links {
			t.Errorf("%s became a link", name)
		}
	}

	// 总览: the month's sign rate 16/20 (+ H1, H2, H3 signed in 5 min: 19/23).
	r := findRow(t, f, reports.SheetOverview, 0, "签收率")
	if cell(t, f, reports.SheetOverview, 3, r) != "19" || cell(t, f, reports.SheetOverview, 4, r) != "23" {
		t.Errorf("overview sign rate %s/%s, want 19/23", cell(t, f, reports.SheetOverview, 3, r), cell(t, f, reports.SheetOverview, 4, r))
	}
	// An address that looks like a formula stays text in the streamed list.
	{
		ref, _ := excelize.CoordinatesToCellName(4, findRow(t, f, reports.SheetRepeats, 0, "X1"))
		v, _ := f.GetCellValue(reports.SheetRepeats, ref)
		formula, _ := f.GetCellFormula(reports.SheetRepeats, ref)
		typ, _ := f.GetCellType(reports.SheetRepeats, ref)
		if v != "=cmd|' /C calc'!A0" || formula != "" || (typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString) {
			t.Errorf("hostile address: %q formula %q type %v", v, formula, typ)
		}
	}

	// Print-ready: A4 landscape fitted to the width, frozen headers, properties;
	// the 通报 A4 portrait, one page wide.
	for _, sh := range want[1:4] {
		pl, err := f.GetPageLayout(sh)
		if err != nil || pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" {
			t.Errorf("%s page layout %+v %v", sh, pl, err)
		}
		panes, _ := f.GetPanes(sh)
		if !panes.Freeze {
			t.Errorf("%s: headers not frozen", sh)
		}
	}
	// Every sheet, the streamed lists too, prints A4 landscape (the 通报 portrait), one page wide.
	for _, sh := range want {
		pl, err := f.GetPageLayout(sh)
		props, _ := f.GetSheetProps(sh)
		orientation := map[bool]string{true: "portrait", false: "landscape"}[sh == reports.SheetBulletin]
		if err != nil || pl.Orientation == nil || *pl.Orientation != orientation || pl.FitToWidth == nil || *pl.FitToWidth != 1 ||
			props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s does not print one page wide: layout %+v, fit to page %v", sh, pl, props.FitToPage)
		}
	}
	props, _ := f.GetDocProps()
	if props.Creator != "fenliu" || props.Modified == "" || props.Language != "zh-CN" {
		t.Errorf("doc props %+v", props)
	}
	// The detail lists hold exactly the counted cases: overdue O07, O19, O20 and the
	// two hostile orders H1, H2 (due 06-09, never done); repeated C03, C07, C19, X1.
	for _, l := range []struct {
		sheet string
		ids   []string
	}{{reports.SheetOverdue, []string{"O07", "O19", "O20", "H1", "H2"}}, {reports.SheetRepeats, []string{"C03", "C07", "C19", "X1"}}} {
		rows, _ := f.GetRows(l.sheet)
		if len(rows) != len(l.ids)+2 {
			t.Errorf("%s has %d rows, want %d", l.sheet, len(rows), len(l.ids)+2)
		}
		for _, id := range l.ids {
			findRow(t, f, l.sheet, 0, id)
		}
	}
	if r := findRow(t, f, reports.SheetRepeats, 0, "C03"); cell(t, f, reports.SheetRepeats, 3, r) != "138****0002" {
		t.Errorf("C03 caller %q, want the mask", cell(t, f, reports.SheetRepeats, 3, r))
	}
	for name, n := range map[string]string{"时间顺序异常的工单": "1", "办结但无化解结果的工单": "1", "承办单位不在单位字典的工单": "4", "警情类别不在类别字典的警情": "1"} {
		if r := findRow(t, f, reports.SheetQuality, 0, name); cell(t, f, reports.SheetQuality, 2, r) != n {
			t.Errorf("%s = %s, want %s", name, cell(t, f, reports.SheetQuality, 2, r), n)
		}
	}
	findRow(t, f, reports.SheetQuality, 0, "水电气")
	// 府山派出所: C09, C13, C16 of the boundary fixture and X1 are diverted.
	if r := findRow(t, f, reports.SheetDiversion, 1, "府山派出所"); cell(t, f, reports.SheetDiversion, 6, r) != "4" {
		t.Errorf("府山派出所 diverted %s, want 4", cell(t, f, reports.SheetDiversion, 6, r))
	}

	// 指标口径 lists every indicator and the files behind the report.
	for _, in := range metrics.Indicators {
		findRow(t, f, reports.SheetDefinitions, 1, in.Definition)
	}
	findRow(t, f, reports.SheetDefinitions, 0, "orders_hostile.csv")
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The golden file pins the workbook's structure: sheet names and header rows.
func TestWorkbookStructureGolden(t *testing.T) {
	f, _ := workbook(t)
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh)
		fmt.Fprintf(&b, "== %s\n", sh)
		for i, r := range rows {
			if i >= 3 {
				break
			}
			if i == 1 && len(r) == 1 {
				continue // the line with the period and T
			}
			fmt.Fprintln(&b, strings.Join(r, "\t"))
		}
	}
	checkGolden(t, "structure.golden", "workbook structure", b.String())
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name, what, got string) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s changed (go test ./reports -update to accept):\n%s", what, got)
	}
}

// sameNumber compares a cell with a rate: Excel keeps 15 significant digits; nil is —.
func sameNumber(cellText string, want *float64) bool {
	if want == nil {
		return cellText == "—"
	}
	v, err := strconv.ParseFloat(cellText, 64)
	return err == nil && math.Abs(v-*want) < 1e-12
}

// TestScorecardExemptions: a decided appeal (核减) in force at T is listed in
// 核减明细 with its record's unit, counted in 指标口径, and applied to the figures:
// O02, signed 1 s late, leaves 签收率's base, 19/23 → 19/22.
func TestScorecardExemptions(t *testing.T) {
	ctx := context.Background()
	db := boundaryDB(t)
	if _, err := exempt.Add(ctx, db, exempt.Exemption{Kind: exempt.Order, RecordID: "O02", Indicators: []domain.IndicatorID{domain.SignRate},
		Reason: "错派", ApprovedBy: "张三", ApprovedAt: time.Date(2024, 6, 10, 9, 0, 0, 0, time.UTC)}, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), "test"); err != nil {
		t.Fatal(err)
	}
	f, sc := workbookOf(t, db)
	if r := findRow(t, f, reports.SheetExemptions, 2, "O02"); cell(t, f, reports.SheetExemptions, 4, r) != "市场监管局" ||
		cell(t, f, reports.SheetExemptions, 5, r) != "签收率" || cell(t, f, reports.SheetExemptions, 7, r) != "张三" {
		t.Errorf("核减明细 row %d: unit, indicators or approver wrong", r)
	}
	if defs, _ := f.GetRows(reports.SheetDefinitions); !strings.Contains(fmt.Sprint(defs), "统计时点有效的核减 1 条") {
		t.Errorf("指标口径 does not count the exemption in force")
	}
	ratios := reports.SheetDepartments + "（分子分母）"
	if r := findRow(t, f, ratios, 1, "市场监管局"); !strings.HasSuffix(cell(t, f, ratios, 4, r), "（减1）") {
		t.Errorf("%s 市场监管局 签收率 %q does not show the exemption", ratios, cell(t, f, ratios, 4, r))
	}
	if x := sc.Overview.Current.Total().Indicators[metrics.SignRate]; x.Exempt != 1 {
		t.Errorf("签收率 exempt = %d, want 1", x.Exempt)
	}

	r := findRow(t, f, reports.SheetOverview, 0, "签收率")
	if cell(t, f, reports.SheetOverview, 3, r) != "19" || cell(t, f, reports.SheetOverview, 4, r) != "22" {
		t.Errorf("overview sign rate %s/%s, want 19/22", cell(t, f, reports.SheetOverview, 3, r), cell(t, f, reports.SheetOverview, 4, r))
	}
}

// Every cell of the scorecard is set in 宋体: a style whose font has no name is
// drawn in whatever the office suite picks, wider than the widths were sized for.
func TestEveryCellNamesItsFont(t *testing.T) {
	f, _ := workbook(t)
	for _, sh := range f.GetSheetList() {
		rows, _ := f.GetRows(sh)
		for r := range rows {
			for c := range rows[r] {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				id, _ := f.GetCellStyle(sh, ref)
				if id == 0 {
					continue // the default: 宋体
				}
				st, err := f.GetStyle(id)
				if err != nil || (st.Font != nil && st.Font.Family != "宋体") {
					t.Fatalf("%s!%s: style %d font %+v", sh, ref, id, st.Font)
				}
			}
		}
	}
}

// TestWorkbookOpensOnItsFirstSheet: the workbook opens on its first sheet, and no
// other sheet is selected with it (Excel would group them and edit them together).
func TestWorkbookOpensOnItsFirstSheet(t *testing.T) {
	f, sc := workbook(t)
	if got := f.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet %d, want 0", got)
	}
	var buf bytes.Buffer
	if err := sc.WriteXLSX(&buf, "t"); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var selected []string
	sheets := 0
	for _, e := range z.File {
		if !strings.HasPrefix(e.Name, "xl/worksheets/sheet") {
			continue
		}
		sheets++
		r, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(`tabSelected="1"`)) || bytes.Contains(b, []byte(`tabSelected="true"`)) {
			selected = append(selected, e.Name)
		}
	}
	if sheets < 2 || len(selected) != 1 || selected[0] != "xl/worksheets/sheet1.xml" {
		t.Errorf("%d sheets, selected: %v; want only sheet1", sheets, selected)
	}
}

// TestListCutAtTheSheetsLastRow: a list longer than a worksheet holds (1,048,576
// rows, title and header included) is cut there rather than failing the whole
// workbook, and its title says how many rows it stands for and where the rest
// are. The cap is lowered to 3 here; the fixture's month has four repeat calls.
func TestListCutAtTheSheetsLastRow(t *testing.T) {
	if reports.MaxListRows()+2 != excelize.TotalRows {
		t.Fatalf("lists hold %d rows under title and header, a worksheet %d", reports.MaxListRows(), excelize.TotalRows)
	}
	defer reports.SetMaxListRows(3)()
	f, _ := workbook(t)
	rows, err := f.GetRows(reports.SheetRepeats)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3+2 {
		t.Errorf("%s has %d rows, want the title, the header and 3", reports.SheetRepeats, len(rows))
	}
	title := rows[0][0]
	for _, want := range []string{"列出 3 条，共 4 条", "fenliu explain --format csv"} {
		if !strings.Contains(title, want) {
			t.Errorf("title %q does not say %q", title, want)
		}
	}
	// The title, longer than the table is wide, wraps over it in a taller row
	// (LibreOffice cut it at both ends of the merged cells).
	style, err := f.GetCellStyle(reports.SheetRepeats, "A1")
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(style)
	if err != nil {
		t.Fatal(err)
	}
	if h, _ := f.GetRowHeight(reports.SheetRepeats, 1); st.Alignment == nil || !st.Alignment.WrapText || h <= 22 {
		t.Errorf("the cut list's title does not wrap: %+v, row height %v", st.Alignment, h)
	}
	// The overdue list (five orders) is cut alike.
	if over, _ := f.GetRows(reports.SheetOverdue); len(over) != 3+2 || !strings.Contains(over[0][0], "共 5 条") {
		t.Errorf("%s: %d rows, title %q", reports.SheetOverdue, len(over), over[0][0])
	}
}
