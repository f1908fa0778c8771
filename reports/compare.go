package reports

import (
	"fmt"
	"strconv"

	"github.com/fenliu/fenliu/metrics"
)

// Honest comparisons (issue 13): a figure with many pending members is marked
// 暂定; an earlier period is taken at the same maturity as the current one (or
// settled, when asked), and one with much less data is 不可比, with the reason.

// notComparable is what a change cell says of an earlier period that cannot be
// compared.
const notComparable = "不可比"

// changeCell is a change against an earlier period, or 不可比 when its note says
// that period cannot be compared.
func changeCell(v *float64, places int, note string) Cell {
	if note != "" {
		return Text(notComparable)
	}
	return Change(v, places)
}

// ratio is num/den with what is pending and exempted, and 暂定 when the pending
// share makes the figure provisional.
func (fr *Frame) ratio(r metrics.Ratio) Cell {
	c := Ratio(r)
	if fr.provisional(r) {
		c.Text += "暂定"
	}
	return c
}

// pendingCell is a figure's pending count, with 暂定 when it makes it provisional.
func (fr *Frame) pendingCell(r metrics.Ratio) Cell {
	if fr.provisional(r) {
		return Cell{Kind: KindRatio, Text: strconv.FormatInt(r.Pending, 10) + "（暂定）"} // right-aligned, as the counts
	}
	return Count(r.Pending)
}

func (fr *Frame) provisional(r metrics.Ratio) bool {
	return r.Provisional(fr.Indicators.ProvisionalShare)
}

// compareNotes say how the earlier periods were taken and which cannot be
// compared, for the overview and 指标口径.
func (fr *Frame) compareNotes(word string) []string {
	c := fr.Compared
	if c == nil || c.Prev == nil {
		return nil
	}
	var out []string
	stamp := func(r *metrics.Result) string { return r.AsOf.Format("2006-01-02 15:04") }
	if c.Mode == metrics.Settled {
		out = append(out, fmt.Sprintf("%s、同比按已结算口径比较：对比期与本期统计时点相同（%s）。", word, stamp(c.Current)))
	} else {
		out = append(out, fmt.Sprintf("%s、同比按相同成熟度比较：对比期取其期末后与本期相同时长的统计时点（上期 %s，去年同期 %s），时限未届满的记录同样计为待定；fenliu report --compare settled 按已结算口径比较。",
			word, stamp(c.Prev), stamp(c.YearAgo)))
	}
	if c.PrevNote != "" {
		out = append(out, fmt.Sprintf("%s不可比：%s。", word, c.PrevNote))
	}
	if c.YearAgoNote != "" {
		out = append(out, "同比不可比："+c.YearAgoNote+"。")
	}
	out = append(out, fmt.Sprintf("待定记录超过该指标统计对象 %s 的，比率标注“暂定”。", fractionText(fr.Indicators.ProvisionalShare)))
	return out
}
