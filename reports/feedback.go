package reports

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
)

// The per-unit feedback sheet (反馈单, SPEC §12): one unit's figures and score
// against its peer group's median and best, its rank and the change since the
// period before, its 12-month trend, the records of every weighted indicator in
// state den or pending (what to improve or to appeal), its overdue orders and its
// exemptions. It holds only that unit's rows: no other unit's name, id or record
// (tested), the peer group only as a median and a best value.

// Feedback is one unit's feedback sheet.
type Feedback struct {
	Frame
	documented
	Unit   string
	Scope  string // 部门 or 乡镇街道
	Row    Row
	Peers  int // units ranked in its peer group
	Median map[domain.IndicatorID]*float64
	Best   map[domain.IndicatorID]*float64
	// MedianTotal and BestTotal are the peer group's total scores.
	MedianTotal, BestTotal *float64
	PrevRank               *int
	Trend                  []TrendPoint
	Detail                 map[domain.IndicatorID]*metrics.DetailList
	Overdue                []metrics.OverdueOrder
	Exemptions             []metrics.Exemption
	weighted               []metrics.Indicator
}

// TrendPoint is one month of a unit's trend: its group (zero when it had no
// records) and its score.
type TrendPoint struct {
	Month period.Period
	Group metrics.Group
	Score score.Score
}

// Feedbacks builds the feedback sheet of every unit of a scorecard, by department
// or by town, computing the 12 months ending with the period's last month.
func Feedbacks(ctx context.Context, src Source, sc *Scorecard, by metrics.By) ([]*Feedback, error) {
	rows, prev, detail, scope := sc.Departments, sc.PrevDepartments, sc.DeptDetail, "部门"
	if by == metrics.ByTown {
		rows, prev, detail, scope = sc.Towns, sc.PrevTowns, sc.TownDetail, "乡镇街道"
	} else if by != metrics.ByDepartment {
		return nil, fmt.Errorf("reports: feedback sheets are per department or per town, not %s", by)
	}
	// The 12 months, each scored by the same rules.
	trend := map[string][]TrendPoint{}
	months, err := src.ComputeMonths(ctx, metrics.Query{Period: twelveMonths(sc.Period), AsOf: sc.AsOf, By: by})
	if err != nil {
		return nil, err
	}
	for _, res := range months {
		mp := res.Period
		scores := score.Groups(res, sc.Scoring)
		seen := map[string]bool{}
		for i, g := range res.Groups {
			trend[g.Key] = append(trend[g.Key], TrendPoint{Month: mp, Group: g, Score: scores[i]})
			seen[g.Key] = true
		}
		for _, r := range rows {
			if !seen[r.Group.Key] {
				trend[r.Group.Key] = append(trend[r.Group.Key], TrendPoint{Month: mp})
			}
		}
	}
	prevRank := ranksOf(prev)
	var out []*Feedback
	for _, r := range rows {
		f := &Feedback{Frame: sc.Frame, Unit: r.Group.Key, Scope: scope, Row: r, Median: map[domain.IndicatorID]*float64{},
			Best:  map[domain.IndicatorID]*float64{},
			Trend: trend[r.Group.Key], Detail: map[domain.IndicatorID]*metrics.DetailList{}, weighted: sc.weighted()}
		if was, ok := prevRank.of(r); ok {
			f.PrevRank = &was
		}
		f.Frame.ExemptionsInForce, f.Frame.Compared = nil, nil // the committee's counts, not the unit's
		var peers []Row
		for _, p := range rows {
			if p.Score.Kind == r.Score.Kind && p.Score.Ranked {
				peers = append(peers, p)
			}
		}
		f.Peers = len(peers)
		for _, in := range f.weighted {
			var rates []float64
			for _, p := range peers {
				if v := p.Group.Indicators[in.ID].Rate(); v != nil {
					rates = append(rates, *v)
				}
			}
			f.Median[in.ID], f.Best[in.ID] = median(rates), best(rates, in.LowerBetter)
			f.Detail[in.ID] = detail.List(in.ID, r.Group.Key)
		}
		var totals []float64
		for _, p := range peers {
			if p.Score.Total != nil {
				totals = append(totals, *p.Score.Total)
			}
		}
		f.MedianTotal, f.BestTotal = median(totals), best(totals, false)
		for _, o := range sc.Overdue {
			if (by == metrics.ByDepartment && o.Department == r.Group.Key) || (by == metrics.ByTown && o.Town == r.Group.Key) {
				f.Overdue = append(f.Overdue, o)
			}
		}
		for _, e := range sc.Exemptions {
			if e.Unit == r.Group.Key {
				f.Exemptions = append(f.Exemptions, e)
			}
		}
		f.documented = documented{f.doc, sc.Period.Label() + " 考评反馈单 " + r.Group.Key, sc.AsOf}
		out = append(out, f)
	}
	return out, nil
}

func median(v []float64) *float64 {
	if len(v) == 0 {
		return nil
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return &m
}

func best(v []float64, lowerBetter bool) *float64 {
	if len(v) == 0 {
		return nil
	}
	b := v[0]
	for _, x := range v[1:] {
		if (lowerBetter && x < b) || (!lowerBetter && x > b) {
			b = x
		}
	}
	return &b
}

// FeedbackTitle is a feedback sheet's title.
func FeedbackTitle(p period.Period, unit string) string {
	return p.Label() + "非警务警情分流处置考评反馈单（" + unit + "）"
}

// rankText is the unit's rank in one phrase: 在全部职能部门中排第 1 名（共 17 个），
// 上期第 3 名，↑2; or 样本不足，不参与排名.
func (f *Feedback) rankText() string {
	r := f.Row
	if r.Score.Rank == nil {
		return "样本不足，不参与排名"
	}
	rank := fmt.Sprintf("在%s中排第 %d 名（共 %d 个）", kindNote(r.Score.Kind), *r.Score.Rank, f.Peers)
	if f.PrevRank != nil {
		rank += "，上期第 " + fmt.Sprint(*f.PrevRank) + " 名，" + rankMove(*f.PrevRank-*r.Score.Rank)
	}
	return rank
}

// Summary is the sheet in one sentence, for the message that delivers it: the
// unit, the period, its total and its rank.
func (f *Feedback) Summary() string {
	total := "无得分"
	if t := f.Row.Score.Total; t != nil {
		total = "考评总分 " + strconv.FormatFloat(*t, 'f', 2, 64) + " 分"
	}
	return fmt.Sprintf("%s%s%s，%s。", f.Unit, f.Period.Label(), total, f.rankText())
}

// doc is the feedback sheet's sections, as both formats draw them.
func (f *Feedback) doc(title string) (*page, error) {
	p := &page{Title: title, Subtitle: f.subtitle()}
	r := f.Row
	rank := f.rankText()
	res := &Table{Head: []string{"指标", "分子/分母", "本单位", "得分", "同类中位数", "同类最好", "目标值", "底线值"}}
	for _, in := range f.weighted {
		x, rule := r.Group.Indicators[in.ID], f.Scoring.Indicators[in.ID]
		res.Rows = append(res.Rows, []Cell{Text(indicatorLabel(in)), f.ratio(x), Rate(x, f.mark(x, in.ID)), Fixed(r.Score.Parts[in.ID], 2),
			pctCell(f.Median[in.ID]), pctCell(f.Best[in.ID]), Percent(rule.Target), Percent(rule.Floor)})
	}
	res.Rows = append(res.Rows, []Cell{Text("总分"), Text(""), Text(""), Fixed(r.Score.Total, 2), Fixed(f.MedianTotal, 2), Fixed(f.BestTotal, 2), Text(""), Text("")})
	p.add(&section{ID: "result", Title: "考评结果", Key: true, Notes: []string{
		fmt.Sprintf("%s：%s，%s。同类单位的中位数和最好值只列数值。", f.Scope, f.Unit, rank)},
		Data: []*Table{res}, Sheet: "考评结果", SheetTitle: title, SheetNotes: []string{f.periodNote()}, Freeze: [2]int{1, 3}})

	trend := &Table{Head: []string{"月份"}}
	for _, in := range f.weighted {
		trend.Head = append(trend.Head, in.Name)
	}
	trend.Head = append(trend.Head, "总分")
	for _, t := range f.Trend {
		row := []Cell{Text(t.Month.String())}
		for _, in := range f.weighted {
			x := t.Group.Indicators[in.ID]
			row = append(row, Rate(x, f.mark(x, in.ID)))
		}
		trend.Rows = append(trend.Rows, append(row, Fixed(t.Score.Total, 2)))
	}
	p.add(&section{ID: "trend", Title: "近12个月", Data: []*Table{trend}, Sheet: "近12个月", Freeze: [2]int{1, 2}})

	var lists []*Table
	for _, in := range f.weighted {
		l := f.Detail[in.ID]
		t := &Table{Caption: in.Name, Head: []string{"编号", "状态", "说明", "派单/报警时间"}, List: in.Name + "明细", Empty: "无。"}
		if l != nil { // streamed from the detail: a unit's year of records is not held
			t.Total, t.StreamLen = l.Listable()-l.States[metrics.StateExempt], listedAgainst(l)
			t.Stream = func(yield func([]Cell) error) error {
				return l.Each(func(m metrics.Member) error {
					if m.State == metrics.StateExempt {
						return nil
					}
					return yield([]Cell{Text(m.ID), Text(stateLabel(in.ID, m.State)), Text(m.Reason), Text(firstTime(m))})
				})
			}
		}
		lists = append(lists, t)
	}
	p.add(&section{ID: "detail", Title: "未达标与待定记录", Notes: []string{
		"各考核指标中计入不利方向的记录（未达标、部分化解、待定；重复报警率为重复报警、待定），用于核查整改；对不应由本单位承担的记录，可按核减程序申诉。"},
		Data: lists})
	overdue := overdueList(f.Overdue, secondLayout, nil)
	overdue.List, overdue.Caption = SheetOverdue, "超期未办结工单"
	ex := exemptionsList(f.Exemptions)
	ex.List, ex.Caption = SheetExemptions, "核减"
	p.add(&section{ID: "overdue", Title: "超期工单与核减", Data: []*Table{overdue, ex}})
	f.Frame.sections(p)
	return p, nil
}

// pctCell is a fraction shown as a percentage, or —.
func pctCell(v *float64) Cell {
	if v == nil {
		return Cell{Kind: KindPercent, Null: true}
	}
	return Percent(*v)
}

// kindNote names a peer group for the sheet.
func kindNote(k domain.DeptKind) string {
	if k == domain.AllUnits {
		return "全部乡镇（街道）"
	}
	return "全部" + strings.TrimSpace(string(k))
}
