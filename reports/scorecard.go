package reports

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
)

// htmlListLimit is how many rows of a detail list an HTML page shows; the
// workbook holds them all.
const htmlListLimit = 200

// doc is the scorecard's sections, as both formats draw them.
func (sc *Scorecard) doc(title string) (*page, error) {
	p := &page{Title: title, Subtitle: sc.subtitle()}
	p.add(bulletinSection(sc.bulletin()))
	if err := sc.overviewHTML(p); err != nil {
		return nil, err
	}
	for _, t := range []struct {
		id, name, unit string
		rows           []Row
	}{{"departments", SheetDepartments, "单位", sc.Departments}, {"towns", SheetTowns, "乡镇街道", sc.Towns}} {
		if err := sc.scoresHTML(p, t.id, t.name, t.unit, t.rows); err != nil {
			return nil, err
		}
	}
	if sc.MonthlyScores != nil {
		if err := sc.monthlyScoresHTML(p); err != nil {
			return nil, err
		}
	}
	p.add(&section{ID: "chart", Title: SheetChart, BookOnly: true, Extra: sc.writeChart})
	if err := sc.diversionHTML(p); err != nil {
		return nil, err
	}
	sc.listsHTML(p)
	if err := sc.detailHTML(p); err != nil {
		return nil, err
	}
	sc.detailSheets(p)
	sc.Frame.sections(p)
	return p, nil
}

func (sc *Scorecard) overviewHTML(p *page) error {
	s := p.add(&section{ID: "overview", Title: SheetOverview, Key: true,
		Notes: append([]string{"环比、同比：比率为百分点之差，数量为百分比变化。"}, sc.compareNotes("环比")...),
		Data:  sc.overviewTables(), Sheet: SheetOverview, SheetTitle: p.Title, Freeze: [2]int{1, 3},
		SheetNotes: []string{fmt.Sprintf("统计期：%s（%s 至 %s）  统计时点：%s", sc.Period.Label(), sc.Period.Start.Format("2006-01-02"),
			sc.Period.End.AddDate(0, 0, -1).Format("2006-01-02"), sc.AsOf.Format("2006-01-02 15:04:05"))}})
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
	notes := []string{fmt.Sprintf("满分 %s 分；排名在同类单位之间；有效工单少于 %d 件的为样本不足，不参与排名；带 * 的比率为暂定数（待定记录超过统计对象的 %s，分子/分母后注明待定条数）。",
		sc.Scoring.FullMarksText(), sc.Scoring.MinOrders, fractionText(sc.Indicators.ProvisionalShare))}
	if sc.centresAndTowns() {
		notes = append(notes, townCentreNote)
	}
	tables, printed := sc.scoreTables(unit, rows, id)
	s := p.add(&section{ID: id, Title: name, Key: true, Notes: notes,
		Data: tables, Sheet: name, Freeze: [2]int{2, sc.scoreHeaderRow(rows) + 1},
		BookData: append(printed, sc.ratioSheet(name, unit, rows)),
		SheetNotes: []string{fmt.Sprintf("统计期：%s  统计时点：%s  满分 %s 分；红色：低于底线值，绿色：达到目标值；带 * 的为暂定数（待定记录超过统计对象的 %s）；"+
			"样本不足的不参与排名；各指标的分子/分母和待定条数见“%s”表",
			sc.Period.Label(), sc.AsOf.Format("2006-01-02 15:04:05"), sc.Scoring.FullMarksText(), fractionText(sc.Indicators.ProvisionalShare), ratioSheetName(name))}})
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
	t := sc.monthlyScoresTable()
	s := p.add(&section{ID: "monthly", Title: SheetMonthly, Notes: []string{"各单位每月得分（空白：当月无有效工单或样本不足）；全年总分按全年工单计算。"},
		Data: []*Table{t}, Sheet: SheetMonthly, Freeze: [2]int{2, 2}})
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
		t.Rows = append(t.Rows, append(row, Fixed(r.Score.Total, 2), Fixed(last, 2), Change(change, 2)))
	}
	return t
}

func (sc *Scorecard) diversionHTML(p *page) error {
	s := p.add(&section{ID: "diversion", Title: SheetDiversion, Data: []*Table{sc.diversionTable()}, Sheet: SheetDiversion, Freeze: [2]int{2, 2}})
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
			if v := pct100(g.Indicators[metrics.DiversionRatio].Rate()); v != nil { // calls, none of them valid: no ratio
				ratio = append(ratio, barItem{Name: g.Key, Value: v})
			}
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
	return nil
}

func (sc *Scorecard) listsHTML(p *page) {
	overdue, repeats := overdueList(sc.Overdue, secondLayout, nil), repeatsList(sc.Repeats)
	overdue.List = SheetOverdue
	repeats.List = SheetRepeats
	p.add(&section{ID: "overdue", Title: SheetOverdue, Data: []*Table{overdue}})
	p.add(&section{ID: "repeats", Title: SheetRepeats, Notes: []string{"报警电话已脱敏。"}, Data: []*Table{repeats}})
	ex := exemptionsList(sc.Exemptions)
	ex.List = SheetExemptions
	p.add(&section{ID: "exemptions", Title: SheetExemptions,
		Notes: []string{"统计时点有效、记录属本统计期的核减（申诉经审批后，将该记录移出所列指标的分子、分母）。"}, Data: []*Table{ex}})
	p.add(&section{ID: "quality", Title: SheetQuality, Data: sc.qualityTables(), Sheet: SheetQuality})
}

// monthLabels are the x axis labels of months.
func monthLabels(ps []period.Period) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// overviewTables are the scorecard's overview in both formats: every indicator
// (its rate judged against floor and target, num, den and pending) against the
// period before (环比) and a year before (同比), then the counts.
func (sc *Scorecard) overviewTables() []*Table {
	cur, prev, yago := sc.Overview.Current.Total(), sc.Overview.Prev.Total(), sc.Overview.YearAgo.Total()
	rates := &Table{Head: []string{"指标", "本期", "分子", "分母", "待定", "上期", "环比（百分点）", "去年同期", "同比（百分点）"}}
	for _, in := range metrics.Indicators {
		x, p, y := cur.Indicators[in.ID], prev.Indicators[in.ID], yago.Indicators[in.ID]
		rates.Rows = append(rates.Rows, []Cell{Text(indicatorLabel(in)), Rate(x, sc.mark(x, in.ID)), Number(x.Num), Count(x.Den), sc.pendingCell(x),
			Rate(p, unmarked), changeCell(metrics.PointsChange(x, p), 1, sc.Overview.PrevNote), Rate(y, unmarked),
			changeCell(metrics.PointsChange(x, y), 1, sc.Overview.YearAgoNote)})
	}
	counts := &Table{Head: []string{"数量", "本期", "上期", "环比（%）", "去年同期", "同比（%）"}}
	c, p, y := cur.Counts.Values(), prev.Counts.Values(), yago.Counts.Values()
	for i, l := range metrics.CountLabels {
		counts.Rows = append(counts.Rows, []Cell{Text(l), Count(c[i]), Count(p[i]), changeCell(metrics.PercentChange(c[i], p[i]), 1, sc.Overview.PrevNote),
			Count(y[i]), changeCell(metrics.PercentChange(c[i], y[i]), 1, sc.Overview.YearAgoNote)})
	}
	return []*Table{rates, counts}
}

// scoreTables are a table's peer groups, each its own table with its heading and
// its ranks (departments: 职能部门, 乡镇街道, 其他 …; towns: one).
// Each comes in both layouts: the page's, and the workbook's as it prints
// (scoreTable).
func (sc *Scorecard) scoreTables(unit string, rows []Row, scope string) (page, book []*Table) {
	kinds, byKind := peerGroups(rows) // rows are sorted by peer group
	if len(kinds) <= 1 {
		p, b := sc.scoreTable(unit, rows, scope)
		return []*Table{p}, []*Table{b}
	}
	for _, k := range kinds {
		p, b := sc.scoreTable(unit, byKind[k], scope)
		p.Caption = fmt.Sprintf("%s（%d 个）", k, len(byKind[k]))
		b.Caption = p.Caption
		page, book = append(page, p), append(book, b)
	}
	return page, book
}

// scoreHeaderRow is the row of the first score table's header on its sheet: under
// the title and the note, and under the first peer group's caption when there
// are several (the rows frozen and repeated on every page).
func (sc *Scorecard) scoreHeaderRow(rows []Row) int {
	if kinds, _ := peerGroups(rows); len(kinds) > 1 {
		return 4
	}
	return 3
}

// scoreTable is a score table in its two layouts, from the same cells. The page:
// rank, unit, kind, each weighted indicator's num/den (and pending), rate judged
// against floor and target, and part, then the total, the rank before, its move
// and a note. The workbook's, as it prints — one A4 landscape page wide at a
// legible size: each indicator's rate (with * when 暂定) and part under its name,
// no kind (the caption says it) and no num/den (ratioSheet holds them).
func (sc *Scorecard) scoreTable(unit string, rows []Row, scope string) (page, book *Table) {
	var detail *metrics.Detail
	prevRank, pos := ranks{}, map[string]int{}
	for _, s := range sc.scopes() {
		if s.id == scope {
			detail, prevRank = s.detail, ranksOf(s.prev)
			for i, r := range s.rows { // the anchors number the scope's rows
				pos[r.Group.Key] = i
			}
		}
	}
	t := &Table{Class: "score"}
	for _, h := range sc.ScoreColumns(unit) {
		t.Head = append(t.Head, h.(string))
	}
	b := &Table{Class: "score"}
	b.Head, b.Groups = sc.printedScoreHead(unit)
	for _, r := range rows {
		rank := Cell{Kind: KindCount, Null: true}
		if r.Score.Rank != nil {
			rank = Count(int64(*r.Score.Rank))
		}
		row := []Cell{rank, Text(r.Group.Key), Text(string(r.Score.Kind))}
		printed := []Cell{rank, Text(r.Group.Key)}
		for _, in := range sc.weighted() {
			x := r.Group.Indicators[in.ID]
			rate := Rate(x, sc.mark(x, in.ID))
			rate.Provisional = sc.provisional(x)
			if detail.List(in.ID, r.Group.Key).Listable() > 0 {
				rate.Href = "#" + detailAnchor(scope, pos[r.Group.Key], in.ID)
			}
			part := Fixed(r.Score.Parts[in.ID], 2)
			row, printed = append(row, sc.ratio(x), rate, part), append(printed, rate, part)
		}
		note := ""
		if r.Score.Insufficient {
			note = "样本不足"
		}
		was, move := Cell{Kind: KindCount, Null: true}, Text("")
		if p, ok := prevRank.of(r); ok {
			was = Count(int64(p))
			if r.Score.Rank != nil {
				move = Text(rankMove(p - *r.Score.Rank))
			}
		}
		tail := []Cell{Fixed(r.Score.Total, 2), was, move, Text(note)}
		t.Rows, b.Rows = append(t.Rows, append(row, tail...)), append(b.Rows, append(printed, tail...))
	}
	return t, b
}

// printedScoreHead is the workbook's score table header: the indicators' names
// over 比率 and 得分 (groups), the other columns' headers spanning both rows.
func (sc *Scorecard) printedScoreHead(unit string) (head, groups []string) {
	head, groups = []string{"排名", unit}, []string{"", ""}
	for _, in := range sc.weighted() {
		head, groups = append(head, "比率", "得分"), append(groups, in.Name, in.Name)
	}
	return append(head, "总分", "上期排名", "名次升降", "备注"), append(groups, "", "", "", "")
}

// ratioSheetName names the sheet with a score sheet's num/den evidence.
func ratioSheetName(scoreSheet string) string { return scoreSheet + "（分子分母）" }

// ratioSheet is the evidence behind a score sheet's rates, on a sheet of its own:
// each unit's num/den per weighted indicator with what is pending (暂定) and
// exempted, in the score sheet's order.
func (sc *Scorecard) ratioSheet(scoreSheet, unit string, rows []Row) *Table {
	t := &Table{Sheet: ratioSheetName(scoreSheet), Caption: ratioSheetName(scoreSheet), Freeze: [2]int{2, 2}}
	t.Head = []string{"排名", unit, "类别"}
	for _, in := range sc.weighted() {
		t.Head = append(t.Head, in.Name)
	}
	for _, r := range rows {
		rank := Cell{Kind: KindCount, Null: true}
		if r.Score.Rank != nil {
			rank = Count(int64(*r.Score.Rank))
		}
		row := []Cell{rank, Text(r.Group.Key), Text(string(r.Score.Kind))}
		for _, in := range sc.weighted() {
			row = append(row, sc.ratio(r.Group.Indicators[in.ID]))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// rankMove writes a change of rank: ↑2 (up two places), ↓1, or 持平.
func rankMove(up int) string {
	switch {
	case up > 0:
		return "↑" + strconv.Itoa(up)
	case up < 0:
		return "↓" + strconv.Itoa(-up)
	}
	return "持平"
}

// diversionTable is 分流情况 in both formats: every county, town and police station
// with calls, its counts and its diversion ratios.
func (sc *Scorecard) diversionTable() *Table {
	t := &Table{Head: []string{"口径", "名称", "警情数", "有效警情", "非警务警情", "已分流警情", "分流率", "非警务分流率"}}
	for _, part := range []struct {
		level string
		res   *metrics.Result
	}{{"区县", sc.Counties}, {"乡镇街道", sc.TownResult}, {"派出所", sc.Stations}} {
		if part.res == nil {
			continue
		}
		for _, g := range part.res.Groups {
			if c := g.Counts; c.Calls > 0 {
				t.Rows = append(t.Rows, []Cell{Text(part.level), Text(g.Key), Count(c.Calls), Count(c.ValidCalls), Count(c.NonpoliceCalls),
					Count(c.DivertedCalls), Rate(g.Indicators[metrics.DiversionRatio], unmarked), Rate(g.Indicators[metrics.NonpoliceDiversionRatio], unmarked)})
			}
		}
	}
	return t
}

// qualityTables are the scorecard's data quality (数据质量) in both formats: the
// counts of records that weaken the figures and what each means for them, the
// rejects per file, and the departments and categories the dictionaries lack.
func (sc *Scorecard) qualityTables() []*Table {
	c := sc.Overview.Current.Total().Counts
	q := &Table{Head: []string{"问题", "数量", "说明"}}
	for _, r := range []struct {
		label string
		n     int64
		note  string
	}{
		{"时间顺序异常的工单", c.OutOfOrder, "签收、到场、反馈、回访时间早于派单时间超过时钟误差：相关指标按未达标计"},
		{"办结但无化解结果的工单", c.DoneNoOutcome, "事项化解率按未化解计"},
		{"承办单位不在单位字典的工单", c.UnknownDepartment, "按“其他”类别单独排名，请补充单位字典"},
		{"警情类别不在类别字典的警情", c.UnknownCategory, "按非警务警情统计，请补充类别字典"},
	} {
		q.Rows = append(q.Rows, []Cell{Text(r.label), Count(r.n), Text(r.note)})
	}
	rejects, depts, cats := rejectsList(sc.RejectsByFile), namesList("承办单位", sc.UnknownDepartments), namesList("警情类别", sc.UnknownCategories)
	rejects.Caption, depts.Caption, cats.Caption = "各文件拒收情况", "字典外承办单位", "字典外警情类别"
	rejects.Empty, depts.Empty, cats.Empty = "无。", "无。", "无。"
	return []*Table{q, rejects, depts, cats}
}
