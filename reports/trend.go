package reports

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
)

// Trend is the trend analysis (趋势分析): every indicator month by month, overall
// and per county, each with the same month a year earlier (同比); volumes by
// category; and each department's score month by month.
type Trend struct {
	Frame
	documented
	Months []period.Period // the months shown, oldest first
	// Per month shown: the total, and the total of the same month a year earlier.
	Total, TotalYearAgo []*metrics.Result
	// Per month shown, by county (and a year earlier).
	Counties, CountiesYearAgo []*metrics.Result
	// Per month shown, by category (valid calls).
	Categories []*metrics.Result
	// Departments, in table order, with their score in each month shown.
	Departments []string
	Scores      [][]*float64
}

// TrendMonths are the months a trend report shows for a period: the 24 months
// ending with a month, or the 12 months of a year.
func TrendMonths(p period.Period) ([]period.Period, error) {
	var n int
	switch p.Kind {
	case period.Month:
		n = 24
	case period.Year:
		n = 12
	default:
		return nil, fmt.Errorf("reports: a trend report is for a month (the 24 months ending with it) or a year, not %s", p)
	}
	last := period.Of(period.Month, p.End.AddDate(0, 0, -1))
	var out []period.Period
	for i := n - 1; i >= 0; i-- {
		m := last.Start.AddDate(0, -i, 0)
		out = append(out, period.OfMonth(m.Year(), m.Month()))
	}
	return out, nil
}

// TrendLabel names the months a trend report covers: 2022年6月至2024年5月.
func TrendLabel(p period.Period) string {
	months, err := TrendMonths(p)
	if err != nil || len(months) == 0 {
		return p.Label()
	}
	return months[0].Label() + "至" + months[len(months)-1].Label()
}

// subtitle is the line under the title: the months covered, not the period named.
func (t *Trend) subtitle() string {
	first, last := t.Months[0], t.Months[len(t.Months)-1]
	return fmt.Sprintf("统计期：%s（%s 至 %s，%d 个月）　统计时点：%s　数据：%d 个文件", TrendLabel(t.Period),
		first.Start.Format("2006-01-02"), last.End.AddDate(0, 0, -1).Format("2006-01-02"), len(t.Months),
		t.AsOf.Format("2006-01-02 15:04"), len(t.Coverage))
}

// BuildTrend computes the trend report for p at asOf. Each month is computed once
// per grouping, the months a year earlier included.
func BuildTrend(ctx context.Context, src Source, mc metrics.Config, sc score.Config, p period.Period, asOf time.Time) (*Trend, error) {
	months, err := TrendMonths(p)
	if err != nil {
		return nil, err
	}
	fr, err := newFrame(ctx, src, mc, sc, p, asOf)
	if err != nil {
		return nil, err
	}
	t := &Trend{Frame: fr, Months: months}
	t.documented = documented{t.doc, TrendLabel(p) + " 非警务警情分流趋势分析", asOf}
	// Every grouping over its months in one pass: total and county over the
	// months and the year before them, category and department over the months.
	span := period.Period{Kind: period.Month, Start: months[0].Start, End: months[len(months)-1].End}
	withYearAgo := span
	withYearAgo.Start = months[0].YearAgo().Start
	rs, err := src.ComputeAll(ctx, asOf, []metrics.Want{{Period: withYearAgo, By: metrics.ByTotal, Months: true},
		{Period: withYearAgo, By: metrics.ByCounty, Months: true}, {Period: span, By: metrics.ByCategory, Months: true},
		{Period: span, By: metrics.ByDepartment, Months: true}})
	if err != nil {
		return nil, err
	}
	byMonth := func(rs []*metrics.Result) map[string]*metrics.Result {
		out := map[string]*metrics.Result{}
		for _, r := range rs {
			out[r.Period.String()] = r
		}
		return out
	}
	total, counties, categories, depts := byMonth(rs[0]), byMonth(rs[1]), byMonth(rs[2]), byMonth(rs[3])
	deptScores := map[string][]*float64{}
	for i, m := range months {
		t.Total, t.TotalYearAgo = append(t.Total, total[m.String()]), append(t.TotalYearAgo, total[m.YearAgo().String()])
		t.Counties, t.CountiesYearAgo = append(t.Counties, counties[m.String()]), append(t.CountiesYearAgo, counties[m.YearAgo().String()])
		t.Categories = append(t.Categories, categories[m.String()])
		for _, s := range score.Groups(depts[m.String()], sc) {
			if deptScores[s.Key] == nil {
				deptScores[s.Key] = make([]*float64, len(months))
			}
			deptScores[s.Key][i] = s.Total
		}
	}
	for d := range deptScores {
		t.Departments = append(t.Departments, d)
	}
	sort.Strings(t.Departments)
	for _, d := range t.Departments {
		t.Scores = append(t.Scores, deptScores[d])
	}
	return t, nil
}

// counties lists the counties seen in any month, sorted.
func (t *Trend) counties() []string {
	seen := map[string]bool{}
	for _, r := range append(append([]*metrics.Result(nil), t.Counties...), t.CountiesYearAgo...) {
		for _, g := range r.Groups {
			seen[g.Key] = true
		}
	}
	return sortedKeys(seen)
}

// categories lists the categories with valid calls in any month, sorted by volume.
func (t *Trend) categories() []string {
	vol := map[string]int64{}
	for _, r := range t.Categories {
		for _, g := range r.Groups {
			if g.Counts.ValidCalls > 0 {
				vol[g.Key] += g.Counts.ValidCalls
			}
		}
	}
	var out []string
	for k := range vol {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if vol[out[i]] != vol[out[j]] {
			return vol[out[i]] > vol[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// rateOf is the indicator's rate of the group key in r, or nil.
func rateOf(r *metrics.Result, key string, id domain.IndicatorID) *float64 {
	if r == nil {
		return nil
	}
	if g := r.Group(key); g != nil {
		return g.Indicators[id].Rate()
	}
	return nil
}

// doc is the trend report's sections, as both formats draw them: the charts are
// the page's, the tables (数据表) a sheet each in the workbook.
func (t *Trend) doc(title string) (*page, error) {
	p := &page{Title: title, Subtitle: t.subtitle()}
	x := monthLabels(t.Months)
	for _, section := range []func(*page, []string) error{t.overallSection, t.countySection, t.volumeSection, t.scoreSection} {
		if err := section(p, x); err != nil {
			return nil, err
		}
	}
	tables := t.tables()
	for i, sheet := range []string{"总体走势", "分县走势", "类别警情量", "单位月度得分"} {
		tables[i].Sheet, tables[i].Freeze = sheet, [2]int{1, 2}
	}
	tables[1].Freeze = [2]int{2, 2}
	p.add(&section{ID: "tables", Title: "数据表", Data: tables})
	t.Frame.sections(p)
	return p, nil
}

// overallSection is every indicator's months, with the months a year before.
func (t *Trend) overallSection(p *page, x []string) error {
	overall := p.add(&section{ID: "overall", Title: "总体走势", Notes: []string{"实线为各月数值，同色虚线为去年同月（同比）；空缺表示当月无分母。"}})
	for _, in := range metrics.Indicators {
		cur := lineSeries{Name: in.Name, Color: indicatorColor(in.ID)}
		yago := lineSeries{Name: in.Name + "（去年同期）", Color: indicatorColor(in.ID), Dashed: true}
		for i := range t.Months {
			cur.Values = append(cur.Values, pct100(rateOf(t.Total[i], "total", in.ID)))
			yago.Values = append(yago.Values, pct100(rateOf(t.TotalYearAgo[i], "total", in.ID)))
		}
		if err := p.chart(overall, in.Name, lineChart(indicatorLabel(in), "全部", x, []lineSeries{cur, yago}, "%"), false, 0); err != nil {
			return err
		}
	}
	return nil
}

// countySection is every indicator's months by county.
func (t *Trend) countySection(p *page, x []string) error {
	counties := t.counties()
	colors := keyColors(counties)
	byCounty := p.add(&section{ID: "counties", Title: "分县（市、区）走势", Notes: []string{"每个区县一种颜色，同色虚线为其去年同月；区县多于3个时去年同期线默认隐藏，点击图例中的“（去年同期）”即可显示。"}})
	for _, in := range metrics.Indicators {
		var lines []lineSeries
		for _, c := range counties {
			cur := lineSeries{Name: c, Color: colors[c]}
			yago := lineSeries{Name: c + "（去年同期）", Color: colors[c], Dashed: true, Hidden: len(counties) > 3}
			for i := range t.Months {
				cur.Values = append(cur.Values, pct100(rateOf(t.Counties[i], c, in.ID)))
				yago.Values = append(yago.Values, pct100(rateOf(t.CountiesYearAgo[i], c, in.ID)))
			}
			lines = append(lines, cur, yago)
		}
		if err := p.chart(byCounty, "分县"+in.Name, lineChart(indicatorLabel(in), "各区县", x, lines, "%"), false, 420); err != nil {
			return err
		}
	}
	return nil
}

// volumeSection is the months' calls, diversion and categories.
func (t *Trend) volumeSection(p *page, x []string) error {
	vol := p.add(&section{ID: "volume", Title: "警情量与分流"})
	var valid, nonpolice, diverted []*float64
	for i := range t.Months {
		c := t.Total[i].Total().Counts
		v, n, d := float64(c.ValidCalls), float64(c.NonpoliceCalls), float64(c.DivertedCalls)
		valid, nonpolice, diverted = append(valid, &v), append(nonpolice, &n), append(diverted, &d)
	}
	if err := p.chart(vol, "有效警情、非警务警情与已分流警情", bars("有效警情、非警务警情与已分流警情", "", x, []barSeries{
		{"有效警情", valid, palette[0]}, {"非警务警情", nonpolice, palette[3]}, {"已分流警情", diverted, indicatorColor(metrics.DiversionRatio)}}, false, ""), true, 0); err != nil {
		return err
	}
	var ratio, nonpoliceRatio []lineSeries
	for _, id := range []domain.IndicatorID{metrics.DiversionRatio, metrics.NonpoliceDiversionRatio} {
		in, _ := metrics.IndicatorByID(id)
		cur := lineSeries{Name: in.Name, Color: indicatorColor(id)}
		yago := lineSeries{Name: in.Name + "（去年同期）", Color: indicatorColor(id), Dashed: true}
		for i := range t.Months {
			cur.Values = append(cur.Values, pct100(rateOf(t.Total[i], "total", id)))
			yago.Values = append(yago.Values, pct100(rateOf(t.TotalYearAgo[i], "total", id)))
		}
		if id == metrics.DiversionRatio {
			ratio = []lineSeries{cur, yago}
		} else {
			nonpoliceRatio = []lineSeries{cur, yago}
		}
	}
	if err := p.chart(vol, "分流率", lineChart("分流率与非警务分流率", "", x, append(ratio, nonpoliceRatio...), "%"), true, 0); err != nil {
		return err
	}
	cats := t.categories()
	catColors := keyColors(cats)
	var stack []barSeries
	for _, c := range cats {
		s := barSeries{Name: c, Color: catColors[c]}
		for i := range t.Months {
			var v *float64
			if g := t.Categories[i].Group(c); g != nil {
				n := float64(g.Counts.ValidCalls)
				v = &n
			}
			s.Values = append(s.Values, v)
		}
		stack = append(stack, s)
	}
	if err := p.chart(vol, "各类别有效警情", bars("各类别有效警情", "按警情类别堆叠", x, stack, true, ""), true, 460); err != nil {
		return err
	}
	return nil
}

// scoreSection is the departments' monthly scores as a heatmap.
func (t *Trend) scoreSection(p *page, x []string) error {
	heat := p.add(&section{ID: "scores", Title: "单位×月份得分", Notes: []string{"颜色越深得分越高；空白为当月无有效工单或样本不足。"}})
	if len(t.Departments) > 0 {
		full, _ := t.Scoring.FullMarks().Float64()
		if err := p.chart(heat, "单位×月份得分", heatmap("单位×月份得分", "", x, t.Departments, t.Scores, 0, full), true, rowsHeight(len(t.Departments))+40); err != nil {
			return err
		}
	}
	return nil
}

// tables are the trend report's figures, in both formats: the months overall, by
// county, the valid calls by category, and the departments' monthly scores. The
// workbook gives each its sheet; the page lists them under 数据表.
func (t *Trend) tables() []*Table {
	withChanges := func(head ...string) []string {
		for _, in := range metrics.Indicators {
			head = append(head, in.Name, in.Name+"同比（百分点）")
		}
		return head
	}
	rates := func(g, y *metrics.Group) []Cell {
		var out []Cell
		for _, in := range metrics.Indicators {
			out = append(out, Rate(g.Indicators[in.ID], unmarked), Change(metrics.PointsChange(g.Indicators[in.ID], y.Indicators[in.ID]), 1))
		}
		return out
	}
	overall := &Table{Caption: "总体走势", Head: withChanges("月份", "警情数", "有效警情", "非警务警情", "已分流警情")}
	for i, m := range t.Months {
		g, y := t.Total[i].Total(), t.TotalYearAgo[i].Total()
		c := g.Counts
		overall.Rows = append(overall.Rows, append([]Cell{Text(m.String()), Count(c.Calls), Count(c.ValidCalls), Count(c.NonpoliceCalls), Count(c.DivertedCalls)}, rates(g, y)...))
	}
	counties := &Table{Caption: "分县走势", Head: withChanges("区县", "月份", "有效警情")}
	for _, c := range t.counties() {
		for i, m := range t.Months {
			if g := t.Counties[i].Group(c); g != nil {
				counties.Rows = append(counties.Rows, append([]Cell{Text(c), Text(m.String()), Count(g.Counts.ValidCalls)}, rates(g, t.CountiesYearAgo[i].Find(c))...))
			}
		}
	}
	cats := t.categories()
	categories := &Table{Caption: "各类别有效警情", Head: append([]string{"月份"}, cats...)}
	for i, m := range t.Months {
		row := []Cell{Text(m.String())}
		for _, c := range cats {
			row = append(row, Count(t.Categories[i].Find(c).Counts.ValidCalls))
		}
		categories.Rows = append(categories.Rows, row)
	}
	scores := &Table{Caption: "单位×月份得分", Head: append([]string{"单位"}, monthLabels(t.Months)...)}
	for i, d := range t.Departments {
		row := []Cell{Text(d)}
		for _, v := range t.Scores[i] {
			row = append(row, Fixed(v, 1))
		}
		scores.Rows = append(scores.Rows, row)
	}
	return []*Table{overall, counties, categories, scores}
}

// writeWorkbook sets the document properties and writes the workbook.
func writeWorkbook(f *excelize.File, w io.Writer, title, subject string, asOf time.Time) error {
	now := asOf.Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{Title: title, Subject: subject,
		Creator: "fenliu", Language: "zh-CN", Created: now, Modified: now}); err != nil {
		return err
	}
	// The first sheet (excelize's Sheet1, renamed) is the active and only selected
	// one from the start. SetActiveSheet(0) here would read every streamed sheet
	// back into memory to unselect it, and write it again (1.7 s of the 10 M
	// monthly's CPU).
	_, err := f.WriteTo(w)
	return err
}
