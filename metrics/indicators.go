package metrics

import "github.com/fenliu/fenliu/domain"

// Indicator describes one indicator of SPEC §3: its id and name come from
// package domain, its definition (口径) is written here.
type Indicator struct {
	ID          domain.IndicatorID
	Name        string // Chinese name, as in reports
	LowerBetter bool
	Orders      bool   // computed over orders (else over calls)
	Definition  string // 口径, in Chinese, for reports
}

// The indicator ids, as metrics names them.
const (
	SignRate                = domain.SignRate
	ArrivalRate             = domain.ArrivalRate
	ClosureRate             = domain.ClosureRate
	ResolutionRate          = domain.ResolutionRate
	RepeatRate              = domain.RepeatRate
	DiversionRatio          = domain.DiversionRatio
	NonpoliceDiversionRatio = domain.NonpoliceDiversionRatio
	SatisfactionRate        = domain.SatisfactionRate
	ReturnRate              = domain.ReturnRate
)

// Indicators lists the nine indicators in the SPEC's order.
var Indicators = []Indicator{
	{SignRate, SignRate.Name(), SignRate.LowerBetter(), true, "统计期内派发的有效工单中，截至统计时点已签收或签收时限已届满的为分母；签收时间距派单时间在签收时限内（允许时钟误差）的为分子。"},
	{ArrivalRate, ArrivalRate.Name(), ArrivalRate.LowerBetter(), true, "统计期内派发、需到场的有效工单中，截至统计时点已到场或到场时限已届满的为分母；在到场时限内到场的为分子。时限按紧急程度和区域类型确定。"},
	{ClosureRate, ClosureRate.Name(), ClosureRate.LowerBetter(), true, "统计期内派发的有效工单中，截至统计时点已办结（以反馈时间为准，无反馈取办结时间）或已到期的为分母；在办结时限内办结的为分子。"},
	{ResolutionRate, ResolutionRate.Name(), ResolutionRate.LowerBetter(), true, "统计期内派发、截至统计时点已办结的有效工单为分母；化解结果为“已化解”的为分子（“部分化解”按设定折算，无化解结果计0）。"},
	{RepeatRate, RepeatRate.Name(), RepeatRate.LowerBetter(), false, "统计期内已分流的有效警情中，截至统计时点重复报警窗口已届满或已出现重复报警的为分母；同一报警电话或同一地址、同一类别，在同一事件间隔之后、重复窗口之内再次有效报警的为分子。越低越好。"},
	{DiversionRatio, DiversionRatio.Name(), DiversionRatio.LowerBetter(), false, "统计期内有效警情为分母；截至统计时点已派发有效联动工单的为分子。"},
	{NonpoliceDiversionRatio, NonpoliceDiversionRatio.Name(), NonpoliceDiversionRatio.LowerBetter(), false, "统计期内有效非警务警情为分母；截至统计时点已派发有效联动工单的为分子。"},
	{SatisfactionRate, SatisfactionRate.Name(), SatisfactionRate.LowerBetter(), true, "统计期内派发的有效工单中，截至统计时点已回访并有回访结果的为分母；“满意”或“基本满意”的为分子。"},
	{ReturnRate, ReturnRate.Name(), ReturnRate.LowerBetter(), true, "统计期内派发且未撤销的工单为分母；状态为“已退回”的为分子。"},
}

// IndicatorByID returns the indicator with the id, and whether it exists.
func IndicatorByID(id domain.IndicatorID) (Indicator, bool) {
	for _, i := range Indicators {
		if i.ID == id {
			return i, true
		}
	}
	return Indicator{}, false
}
