package reports

import (
	"fmt"
	"io"
	"sort"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
)

// htmlListLimit is how many rows of a detail list an HTML page shows; the
// workbook holds them all.
const htmlListLimit = 200

// WriteHTML writes the scorecard as one self-contained HTML page: the workbook's
// content as charts (score rankings, rates against floor and target, 12-month
// trends, diversion) beside the exact tables.
func (sc *Scorecard) WriteHTML(w io.Writer, title string) error {
	p := &page{Title: title, Subtitle: sc.subtitle()}
	if err := sc.overviewHTML(p); err != nil {
		return err
	}
	for _, t := range []struct {
		id, name, unit string
		rows           []Row
	}{{"departments", SheetDepartments, "单位", sc.Departments}, {"towns", SheetTowns, "乡镇街道", sc.Towns}} {
		if err := sc.scoresHTML(p, t.id, t.name, t.unit, t.rows); err != nil {
			return err
		}
	}
	if sc.MonthlyScores != nil {
		if err := sc.monthlyScoresHTML(p); err != nil {
			return err
		}
	}
	if err := sc.diversionHTML(p); err != nil {
		return err
	}
	sc.listsHTML(p)
	sc.Frame.sections(p)
	return p.render(w)
}

func (sc *Scorecard) overviewHTML(p *page) error {
	s := p.add(&section{ID: "overview", Title: SheetOverview,
		Notes: []string{"环比、同比：比率为百分点之差，数量为百分比变化；统计时点相同。"}})
	s.Key = true
	for _, t := range sc.overviewTables() {
		s.Tables = append(s.Tables, t.html())
	}
	if len(sc.Trend) == 0 {
		return nil
	}
	var months []string
	for _, r := range sc.Trend {
		months = append(months, r.Period.String())
	}
	var lines []lineSeries
	for _, in := range sc.weighted() {
		ls := lineSeries{Name: in.Name, Color: indicatorColor(in.ID)}
		for _, r := range sc.Trend {
			ls.Values = append(ls.Values, pct100(r.Total().Indicators[in.ID].Rate()))
		}
		lines = append(lines, ls)
	}
	return p.chart(s, "考核指标近12个月走势", lineChart("考核指标近12个月走势", "全部单位合计", months, lines, "%"), true, 0)
}

func (sc *Scorecard) scoresHTML(p *page, id, name, unit string, rows []Row) error {
	s := p.add(&section{ID: id, Title: name, Key: true, Notes: []string{fmt.Sprintf(
		"满分 %s 分；排名在同类单位之间；有效工单少于 %d 件的为样本不足，不参与排名。", sc.Scoring.FullMarksText(), sc.Scoring.MinOrders)}})
	// Total scores, ranked, one chart per peer group.
	var kinds []domain.DeptKind
	byKind := map[domain.DeptKind][]barItem{}
	for _, r := range rows {
		if r.Score.Total == nil || r.Score.Insufficient {
			continue
		}
		if byKind[r.Score.Kind] == nil {
			kinds = append(kinds, r.Score.Kind)
		}
		byKind[r.Score.Kind] = append(byKind[r.Score.Kind], barItem{Name: r.Group.Key, Value: r.Score.Total})
	}
	for _, k := range kinds {
		t := name + "总分排名（" + string(k) + "）"
		if err := p.chart(s, t, rankBars(t, "", byKind[k], "", colorNeutral), false, rowsHeight(len(byKind[k]))); err != nil {
			return err
		}
	}
	// Each scored indicator's rate, ranked, red below the floor and green at the target.
	for _, in := range sc.weighted() {
		var items []barItem
		for _, r := range rows {
			x := r.Group.Indicators[in.ID]
			if x.Rate() == nil {
				continue
			}
			items = append(items, barItem{Name: r.Group.Key, Value: pct100(x.Rate()), Color: rateColor(x, in.ID, &sc.Frame, indicatorColor(in.ID))})
		}
		sortItems(items, in.LowerBetter)
		rule := sc.Scoring.Indicators[in.ID]
		sub := fmt.Sprintf("目标 %s%%，底线 %s%%", trimFloat(rule.Target*100), trimFloat(rule.Floor*100))
		if err := p.chart(s, name+in.Name, rankBars(in.Name, sub, items, "%", indicatorColor(in.ID)), false, rowsHeight(len(items))); err != nil {
			return err
		}
	}
	s.Tables = append(s.Tables, sc.scoreTable(unit, rows).html())
	return nil
}

// sortItems orders a rate ranking best first.
func sortItems(items []barItem, lowerBetter bool) {
	sort.SliceStable(items, func(i, j int) bool {
		if lowerBetter {
			return *items[i].Value < *items[j].Value
		}
		return *items[i].Value > *items[j].Value
	})
}

func (sc *Scorecard) monthlyScoresHTML(p *page) error {
	s := p.add(&section{ID: "monthly", Title: SheetMonthly, Notes: []string{"各单位每月得分（空白：当月无有效工单或样本不足）；全年总分按全年工单计算。"}})
	t := sc.monthlyScoresTable()
	s.Tables = append(s.Tables, t.html())
	if len(sc.Departments) == 0 {
		return nil
	}
	var depts []string
	var values [][]*float64
	for _, r := range sc.Departments {
		ms := sc.MonthlyScores[r.Group.Key]
		if ms == nil {
			ms = make([]*float64, 12)
		}
		depts, values = append(depts, r.Group.Key), append(values, ms)
	}
	full, _ := sc.Scoring.FullMarks().Float64()
	return p.chart(s, "单位×月份得分", heatmap("单位×月份得分", sc.Period.Label(), t.Head[2:14], depts, values, 0, full), true, rowsHeight(len(depts))+40)
}

// monthlyScoresTable is the annual assessment's department × month scores, the
// annual total (from the whole year's orders), last year's and the change.
func (sc *Scorecard) monthlyScoresTable() *Table {
	t := &Table{Head: []string{"单位", "类别"}}
	for m := 1; m <= 12; m++ {
		t.Head = append(t.Head, fmt.Sprintf("%d月", m))
	}
	t.Head = append(t.Head, "全年总分", "上年总分", "同比（分）")
	for _, r := range sc.Departments {
		row := []Cell{Text(r.Group.Key), Text(string(r.Score.Kind))}
		ms := sc.MonthlyScores[r.Group.Key]
		for m := 0; m < 12; m++ {
			var v *float64
			if ms != nil {
				v = ms[m]
			}
			row = append(row, Fixed(v, 1))
		}
		last := sc.LastYear[r.Group.Key]
		var change *float64
		if r.Score.Total != nil && last != nil {
			d := *r.Score.Total - *last
			change = &d
		}
		t.Rows = append(t.Rows, append(row, Fixed(r.Score.Total, 2), Fixed(last, 2), Fixed(change, 2)))
	}
	return t
}

func (sc *Scorecard) diversionHTML(p *page) error {
	s := p.add(&section{ID: "diversion", Title: SheetDiversion})
	if sc.Counties != nil {
		var x []string
		var valid, diverted []*float64
		var ratio []barItem
		for _, g := range sc.Counties.Groups {
			if g.Counts.Calls == 0 {
				continue
			}
			v, d := float64(g.Counts.ValidCalls), float64(g.Counts.DivertedCalls)
			x, valid, diverted = append(x, g.Key), append(valid, &v), append(diverted, &d)
			ratio = append(ratio, barItem{Name: g.Key, Value: pct100(g.Indicators[metrics.DiversionRatio].Rate())})
		}
		if err := p.chart(s, "各区县有效警情与已分流警情", bars("各区县有效警情与已分流警情", "", x,
			[]barSeries{{"有效警情", valid, palette[0]}, {"已分流警情", diverted, indicatorColor(metrics.DiversionRatio)}}, false, ""), false, 0); err != nil {
			return err
		}
		sortItems(ratio, false)
		if err := p.chart(s, "各区县分流率", rankBars("各区县分流率", "", ratio, "%", indicatorColor(metrics.DiversionRatio)), false, rowsHeight(len(ratio))); err != nil {
			return err
		}
	}
	s.Tables = append(s.Tables, sc.diversionTable().html())
	return nil
}

func (sc *Scorecard) listsHTML(p *page) {
	p.add(&section{ID: "overdue", Title: SheetOverdue, Tables: []table{
		listTable("", overdueList(sc.Overdue, secondLayout, nil), htmlListLimit, "，完整清单见同名 Excel 报表"),
	}})
	p.add(&section{ID: "repeats", Title: SheetRepeats, Notes: []string{"报警电话已脱敏。"}, Tables: []table{
		listTable("", repeatsList(sc.Repeats), htmlListLimit, "，完整清单见同名 Excel 报表"),
	}})
	q := p.add(&section{ID: "quality", Title: SheetQuality})
	for i, t := range sc.qualityTables() {
		if i == 0 {
			q.Tables = append(q.Tables, t.html())
		} else {
			q.Tables = append(q.Tables, listTable(t.Caption, t, 0, ""))
		}
	}
}

// monthLabels are the x axis labels of months.
func monthLabels(ps []period.Period) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}
