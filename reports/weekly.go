package reports

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
)

// Weekly is the briefing of the weekly research meeting (每周研判).
type Weekly struct {
	Frame
	documented
	B      *metrics.Briefing
	Header Header // the 通报's header block
}

// BuildWeekly computes the briefing of an ISO week at asOf.
func BuildWeekly(ctx context.Context, src Source, mc metrics.Config, sc score.Config, week period.Period, asOf time.Time, opts ...Option) (*Weekly, error) {
	b, err := src.Weekly(ctx, week, asOf, int64(sc.MinOrders))
	if err != nil {
		return nil, err
	}
	fr, err := newFrame(ctx, src, mc, sc, week, b.AsOf)
	if err != nil {
		return nil, err
	}
	w := &Weekly{Frame: fr, B: b, Header: buildOptions(opts).header}
	w.Compared = b.Overview
	w.documented = documented{w.doc, week.Label() + " 非警务警情每周研判", b.AsOf}
	return w, nil
}

// split returns the overdue backlog listed by the previous briefing (still open)
// and the orders overdue since.
func (w *Weekly) split() (carried, fresh *Table) {
	return overdueList(w.B.Overdue, minuteLayout, func(o metrics.OverdueOrder) bool { return o.Carried }),
		overdueList(w.B.Overdue, minuteLayout, func(o metrics.OverdueOrder) bool { return !o.Carried })
}

// overviewTables are the week against the week before and the mean of the four
// weeks before: the counts, then every indicator.
func (w *Weekly) overviewTables() []*Table {
	b := w.B
	cur, prev := b.Overview.Current.Total(), b.Overview.Prev.Total()
	counts := &Table{Head: []string{"数量", "本周", "上周", "环比（%）", "前4周均值", "较均值（%）"}}
	mean := b.Mean4.Values()
	for i, l := range metrics.CountLabels {
		c, pr := cur.Counts.Values()[i], prev.Counts.Values()[i]
		counts.Rows = append(counts.Rows, []Cell{Text(l), Count(c), Count(pr), changeCell(metrics.PercentChange(c, pr), 1, b.Overview.PrevNote),
			Count(mean[i]), Change(metrics.PercentChange(c, mean[i]), 1)})
	}
	rates := &Table{Head: []string{"指标", "本周", "分子/分母", "上周", "环比（百分点）"}}
	for _, in := range metrics.Indicators {
		x := cur.Indicators[in.ID]
		rates.Rows = append(rates.Rows, []Cell{Text(indicatorLabel(in)), Rate(x, unmarked), w.ratio(x), Rate(prev.Indicators[in.ID], unmarked),
			changeCell(metrics.PointsChange(x, prev.Indicators[in.ID]), 1, b.Overview.PrevNote)})
	}
	return []*Table{counts, rates}
}

// volumeTable is the week's valid calls by category or town against the weeks
// before, spikes first.
func volumeTable(name string, vols []metrics.Volume) *Table {
	t := &Table{Head: []string{name, "本周", "上周", "环比（%）", "前4周均值", "较均值升幅（%）", "z 值", "异常升高"}, Empty: "无。"}
	for _, v := range vols {
		t.Rows = append(t.Rows, []Cell{Text(v.Key), Count(v.Week), Count(v.Prev), Change(metrics.PercentChange(v.Week, v.Prev), 1),
			Fixed(&v.Mean, 1), Change(pct100(v.Rise), 1), Fixed(v.Z, 2), Flag(v.Spike, "是")})
	}
	return t
}

// lowestTables are the departments with the lowest sign and arrival rates.
func (w *Weekly) lowestTables() []*Table {
	var out []*Table
	for _, l := range []struct {
		id   domain.IndicatorID
		list []metrics.DeptRate
	}{{metrics.SignRate, w.B.LowestSign}, {metrics.ArrivalRate, w.B.LowestArrival}} {
		in, _ := metrics.IndicatorByID(l.id)
		t := &Table{Caption: in.Name + "最低", Head: []string{"单位", in.Name, "分子/分母"}, Empty: "无符合条件的单位。"}
		for _, d := range l.list {
			t.Rows = append(t.Rows, []Cell{Text(d.Department), Rate(d.Ratio, w.mark(d.Ratio, l.id)), w.ratio(d.Ratio)})
		}
		out = append(out, t)
	}
	return out
}

// doc is the briefing's sections, as both formats draw them.
func (w *Weekly) doc(title string) (*page, error) {
	b := w.B
	p := &page{Title: title, Subtitle: w.subtitle()}
	p.add(bulletinSection(w.bulletin()))
	p.add(&section{ID: "overview", Title: "本周概况", Notes: append([]string{fmt.Sprintf(
		"本周（%s 至 %s）与上周、前4周均值对比。异常升高：本周不少于 %d 起，较前4周均值升幅不低于 %.0f%%，且 z = (本周 − 均值)/√均值 ≥ %.0f。",
		b.Week.Start.Format("01-02"), b.Week.End.AddDate(0, 0, -1).Format("01-02"), metrics.SpikeMinCalls, metrics.SpikeRise*100, metrics.SpikeMinZ)}, w.compareNotes("环比")...),
		Data: w.overviewTables(), Sheet: "本周概况", SheetTitle: title, SheetNotes: []string{w.periodNote()}, Freeze: [2]int{1, 0}})
	for _, d := range []struct {
		id, name string
		vols     []metrics.Volume
	}{{"categories", "警情类别", b.Categories}, {"towns", "乡镇街道", b.Towns}} {
		if err := w.volumeSection(p, d.id, d.name, d.vols); err != nil {
			return nil, err
		}
	}
	w.listSections(p)
	if err := w.lowestSection(p); err != nil {
		return nil, err
	}
	w.Frame.sections(p)
	return p, nil
}

// volumeSection is the week's calls by category or town: the spikes named, the
// week against the mean as bars, each spike's five weeks as a line, the table.
func (w *Weekly) volumeSection(p *page, id, name string, vols []metrics.Volume) error {
	b := w.B
	s := p.add(&section{ID: id, Title: "按" + name, Data: []*Table{volumeTable(name, vols)}, Sheet: "按" + name, Freeze: [2]int{1, 2}})
	var spikes []string
	for _, v := range vols {
		if v.Spike {
			spikes = append(spikes, v.Key)
		}
	}
	if len(spikes) > 0 {
		s.Notes = append(s.Notes, fmt.Sprintf("异常升高 %d 个：%s。", len(spikes), joinNonEmpty("、", spikes...)))
	} else {
		s.Notes = append(s.Notes, "本周无异常升高。")
	}
	top := vols
	if len(top) > 15 {
		top = top[:15]
	}
	var x []string
	var week, avg []*float64
	for _, v := range top {
		n, m := float64(v.Week), v.Mean
		x, week, avg = append(x, v.Key), append(week, &n), append(avg, &m)
	}
	if len(x) > 0 {
		if err := p.chart(s, name+"本周与前4周均值", bars("本周与前4周均值（按"+name+"）", "异常升高的排在最前", x,
			[]barSeries{{"本周", week, palette[0]}, {"前4周均值", avg, palette[8]}}, false, ""), true, 0); err != nil {
			return err
		}
	}
	// Each spike's five weeks, so the meeting sees how it built up.
	var weeks []string
	for i := 4; i >= 0; i-- {
		weeks = append(weeks, period.Of(period.Week, b.Week.Start.AddDate(0, 0, -7*i)).String())
	}
	shown := 0
	for _, v := range vols {
		if !v.Spike || shown == 6 {
			continue
		}
		shown++
		var vals []*float64
		for _, n := range append(v.Weeks[:], v.Week) {
			x := float64(n)
			vals = append(vals, &x)
		}
		t := v.Key + "：近5周有效警情"
		if err := p.chart(s, t, lineChart(t, "异常升高", weeks, []lineSeries{{Name: v.Key, Values: vals, Color: palette[0]}}, ""), false, 0); err != nil {
			return err
		}
	}

	return nil
}

// listSections are the briefing's lists: frequent callers and addresses, repeats,
// the overdue backlog with its follow-up, and unsigned orders.
func (w *Weekly) listSections(p *page) {
	b := w.B
	named := func(t *Table, caption, sheet string) *Table {
		t.Caption, t.List = caption, sheet
		return t
	}
	p.add(&section{ID: "frequent", Title: "高频报警", Notes: []string{fmt.Sprintf("本周报警不少于 %d 次的电话（已脱敏）和地址，含无效警情：电话 %d 个，地址 %d 个。",
		metrics.FrequentCalls, len(b.Callers), len(b.Addresses))},
		Data: []*Table{named(callersList(b.Callers), "高频报警电话", "高频报警电话"), named(addressesList(b.Addresses), "高频报警地址", "高频报警地址")}})
	p.add(&section{ID: "repeats", Title: SheetRepeats, Notes: []string{fmt.Sprintf("本周已分流、在重复报警窗口内又有同一电话或地址、同一类别再次报警的警情：%d 起。", len(b.Repeats))},
		Data: []*Table{named(repeatsList(b.Repeats), "", SheetRepeats)}})
	carried, fresh := w.split()
	p.add(&section{ID: "overdue", Title: "超期与未签收工单", Notes: []string{
		fmt.Sprintf("跟踪督办：上期研判（%s）已列超期工单中，仍未办结 %d 件，本周已办结 %d 件；本周新增超期 %d 件；本周派发、超过签收时限仍未签收 %d 件。",
			b.AsOf.AddDate(0, 0, -7).Format("2006-01-02 15:04"), len(carried.Rows), b.FollowupDone, len(fresh.Rows), len(b.Unsigned)),
		"超期工单不限派单周：统计时点已过办结时限仍未办结的全部有效工单。"},
		Data: []*Table{named(carried, "上期已列、仍未办结", "上期已列仍未办结"), named(fresh, "本周新增超期", "本周新增超期"),
			named(unsignedList(b.Unsigned), "本周派发、超过签收时限仍未签收", "未签收工单")}})
}

// lowestSection is the departments with the lowest sign and arrival rates.
func (w *Weekly) lowestSection(p *page) error {
	b := w.B
	low := p.add(&section{ID: "lowest", Title: "签收率、按时到点率最低的单位", Key: true, Notes: []string{fmt.Sprintf(
		"本周分母不少于 %d 件的单位中最低的 %d 个。", w.Scoring.MinOrders, metrics.LowestShown)},
		Data: w.lowestTables(), Sheet: "最低签收到点", SheetTitle: p.Title + " · 签收率、按时到点率最低的单位",
		SheetNotes: []string{"上期研判已列超期工单中本周已办结：" + strconv.FormatInt(b.FollowupDone, 10) + " 件"}, Freeze: [2]int{0, 3}})
	for _, l := range []struct {
		id   domain.IndicatorID
		list []metrics.DeptRate
	}{{metrics.SignRate, b.LowestSign}, {metrics.ArrivalRate, b.LowestArrival}} {
		in, _ := metrics.IndicatorByID(l.id)
		var items []barItem
		for _, d := range l.list {
			items = append(items, barItem{Name: d.Department, Value: pct100(d.Ratio.Rate()), Color: rateColor(d.Ratio, l.id, &w.Frame, indicatorColor(l.id))})
		}
		if len(items) > 0 {
			if err := p.chart(low, in.Name+"最低", rankBars(in.Name+"最低的单位", "", items, "%", indicatorColor(l.id)), false, 0); err != nil {
				return err
			}
		}
	}
	return nil
}
