package exempt

import (
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/fenliu/fenliu/domain"
)

// TemplateSheet is the ledger template's data sheet; its first row is the header
// Import reads. The example row is on the second sheet, 填写说明, so that a ledger
// filled in from the template never imports it.
const (
	TemplateSheet = "核减台账"
	templateHelp  = "填写说明"
)

// LedgerHeader is the header of an appeal ledger, in order (SPEC §10).
var LedgerHeader = []string{colOrder, colCall, colIndicators, colReason, colApprovedBy, colApprovedAt, colRevokedAt, colRevokedBy, colRevokeReason}

// WriteTemplate writes an empty appeal ledger: the header, a drop-down of the
// indicators' Chinese names on 核减指标 (several may still be typed, separated by
// 、), text-formatted id columns (long ids keep their digits), and a sheet that
// explains each column with an example row.
func WriteTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", TemplateSheet); err != nil {
		return err
	}
	if err := f.SetSheetRow(TemplateSheet, "A1", &LedgerHeader); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "宋体"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Family: "宋体"}}) // @: text
	if err != nil {
		return err
	}
	stamp, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm"), Font: &excelize.Font{Family: "宋体"}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(TemplateSheet, "A1", "I1", bold); err != nil {
		return err
	}
	for _, c := range []struct {
		col   string
		width float64
		style int
	}{{"A", 20, text}, {"B", 20, text}, {"C", 28, text}, {"D", 40, text}, {"E", 12, text}, {"F", 18, stamp}, {"G", 18, stamp}, {"H", 12, text}, {"I", 30, text}} {
		if err := f.SetColWidth(TemplateSheet, c.col, c.col, c.width); err != nil {
			return err
		}
		if err := f.SetColStyle(TemplateSheet, c.col, c.style); err != nil {
			return err
		}
	}
	if err := f.SetPanes(TemplateSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	names := make([]string, len(domain.IndicatorIDs))
	for i, id := range domain.IndicatorIDs {
		names[i] = id.Name()
	}
	dv := excelize.NewDataValidation(true)
	dv.Sqref = "C2:C10000"
	if err := dv.SetDropList(names); err != nil {
		return err
	}
	// A warning, not a stop: 签收率、办结反馈率 (several) and empty (all) are valid too.
	dv.SetError(excelize.DataValidationErrorStyleInformation, "核减指标", "可填一个或多个指标名称，用“、”分隔；留空表示该记录适用的全部指标。")
	dv.SetInput("核减指标", "选择或填写指标名称，多个用“、”分隔；留空为全部")
	if err := f.AddDataValidation(TemplateSheet, dv); err != nil {
		return err
	}

	if _, err := f.NewSheet(templateHelp); err != nil {
		return err
	}
	help := [][]string{
		{"列名", "是否必填", "说明", "示例"},
		{colOrder, "二选一", "被核减的工单编号；与警情编号只填其一", "GD202405110001"},
		{colCall, "二选一", "被核减的警情编号（重复报警率、分流率、非警务分流率按警情计）", ""},
		{colIndicators, "否", "指标名称，多个用“、”分隔；留空为该记录适用的全部指标。工单：" + strings.Join(names[:4], "、") + "、回访满意率、退单率；警情：重复报警率、分流率、非警务分流率", "签收率、按时到点率"},
		{colReason, "是", "核减理由，如错派、重复派单、不可抗力、数据错误", "错派：事发地不属本单位辖区"},
		{colApprovedBy, "是", "审批人", "张三"},
		{colApprovedAt, "否", "审批时间，如 2024-06-07 09:30；留空为导入时间。统计时点在此之后的报表才予核减", "2024-06-07 09:30"},
		{colRevokedAt, "否", "撤销时间；统计时点在此之后的报表不再核减", ""},
		{colRevokedBy, "否", "撤销人", ""},
		{colRevokeReason, "否", "撤销理由", ""},
		{},
		{"导入：fenliu exempt import 本文件.xlsx。只读取第一个工作表（" + TemplateSheet + "），本页不导入。同一台账可反复导入：已导入的行计为“未变”。"},
	}
	for i, row := range help {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(templateHelp, cell, &row); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(templateHelp, "A1", "D1", bold); err != nil {
		return err
	}
	for col, wd := range map[string]float64{"A": 12, "B": 10, "C": 70, "D": 30} {
		if err := f.SetColWidth(templateHelp, col, col, wd); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

func ptr[T any](v T) *T { return &v }
