// Package domain is the vocabulary of fenliu, declared once: the enumerated
// values of the exports (SPEC §2) with their Chinese names, the department kinds
// that make the peer groups, the indicator ids of SPEC §3, what makes an order
// effective, and how a time becomes the naive local wall time that every table
// stores. Loading, the indicators and the reports all read it from here; the SQL
// reads the same rules from the table it binds (see queries/derive).
//
// It is a leaf: it imports the standard library only.
package domain

import "time"

// Priority is an order's 紧急程度; empty in an export means Normal.
type Priority string

// The priorities.
const (
	Urgent Priority = "紧急"
	Normal Priority = "一般"
)

// Priorities lists the priorities, as the SLA tables are keyed.
var Priorities = []Priority{Urgent, Normal}

// AreaType is an order's 区域类型; empty means City.
type AreaType string

// The area types.
const (
	City     AreaType = "城区"
	Township AreaType = "集镇"
	Rural    AreaType = "农村"
)

// AreaTypes lists the area types.
var AreaTypes = []AreaType{City, Township, Rural}

// Difficulty is an order's 难易程度; empty means Ordinary.
type Difficulty string

// The difficulties.
const (
	Easy     Difficulty = "简易"
	Ordinary Difficulty = "一般"
	Hard     Difficulty = "疑难"
)

// Difficulties lists the difficulties.
var Difficulties = []Difficulty{Easy, Ordinary, Hard}

// Status is an order's 工单状态 (SPEC §2.2).
type Status string

// The statuses.
const (
	StatusPending   Status = "待签收"
	StatusSigned    Status = "已签收"
	StatusHandling  Status = "处置中"
	StatusDone      Status = "已办结"
	StatusReturned  Status = "已退回"
	StatusCancelled Status = "已撤销"
)

// Statuses lists the statuses in the order of an order's life.
var Statuses = []Status{StatusPending, StatusSigned, StatusHandling, StatusDone, StatusReturned, StatusCancelled}

// Effective reports whether an order of this status counts in the indicators
// (SPEC §2.5): every status but 已退回 and 已撤销.
func Effective(s Status) bool { return s != StatusReturned && s != StatusCancelled }

// Outcome is an order's 化解结果.
type Outcome string

// The outcomes.
const (
	Resolved          Outcome = "已化解"
	PartiallyResolved Outcome = "部分化解"
	Unresolved        Outcome = "未化解"
)

// Outcomes lists the outcomes.
var Outcomes = []Outcome{Resolved, PartiallyResolved, Unresolved}

// Satisfaction is an order's 回访结果.
type Satisfaction string

// The satisfaction answers.
const (
	Satisfied       Satisfaction = "满意"
	FairlySatisfied Satisfaction = "基本满意"
	Dissatisfied    Satisfaction = "不满意"
)

// Satisfactions lists the answers.
var Satisfactions = []Satisfaction{Satisfied, FairlySatisfied, Dissatisfied}

// Nature is a call's 警情性质.
type Nature string

// The natures.
const (
	Police    Nature = "警务"
	NonPolice Nature = "非警务"
)

// Natures lists the natures.
var Natures = []Nature{Police, NonPolice}

// DeptKind is a department's kind (SPEC §2.3): departments are ranked only within
// their kind, their peer group.
type DeptKind string

// The department kinds.
const (
	Functional DeptKind = "职能部门"
	TownCentre DeptKind = "乡镇街道"
	Village    DeptKind = "村社区"
	OtherKind  DeptKind = "其他" // also the peer group of departments not in the dictionary
)

// DeptKinds lists the kinds in the order reports show them.
var DeptKinds = []DeptKind{Functional, TownCentre, Village, OtherKind}

// AllUnits is the one peer group of a grouping without kinds (towns, counties).
const AllUnits DeptKind = "全部"

// KindOrder is a peer group's place in reports: the kinds in order, then AllUnits,
// then anything else.
func KindOrder(k DeptKind) int {
	for i, x := range DeptKinds {
		if k == x {
			return i
		}
	}
	if k == AllUnits {
		return len(DeptKinds)
	}
	return 99
}

// IndicatorID is an indicator's id of SPEC §3, the same in Go, SQL, JSON and file
// names.
type IndicatorID string

// The indicator ids.
const (
	SignRate                IndicatorID = "sign_rate"
	ArrivalRate             IndicatorID = "arrival_rate"
	ClosureRate             IndicatorID = "closure_rate"
	ResolutionRate          IndicatorID = "resolution_rate"
	RepeatRate              IndicatorID = "repeat_rate"
	DiversionRatio          IndicatorID = "diversion_ratio"
	NonpoliceDiversionRatio IndicatorID = "nonpolice_diversion_ratio"
	SatisfactionRate        IndicatorID = "satisfaction_rate"
	ReturnRate              IndicatorID = "return_rate"
)

// IndicatorIDs lists the indicators in the SPEC's order.
var IndicatorIDs = []IndicatorID{SignRate, ArrivalRate, ClosureRate, ResolutionRate, RepeatRate,
	DiversionRatio, NonpoliceDiversionRatio, SatisfactionRate, ReturnRate}

var indicatorNames = map[IndicatorID]string{
	SignRate: "签收率", ArrivalRate: "按时到点率", ClosureRate: "办结反馈率", ResolutionRate: "事项化解率",
	RepeatRate: "重复报警率", DiversionRatio: "分流率", NonpoliceDiversionRatio: "非警务分流率",
	SatisfactionRate: "回访满意率", ReturnRate: "退单率",
}

// Name is the indicator's Chinese name, as reports and ledgers write it; "" for an
// unknown id.
func (id IndicatorID) Name() string { return indicatorNames[id] }

// Known reports whether the id is one of SPEC §3.
func (id IndicatorID) Known() bool { _, ok := indicatorNames[id]; return ok }

// LowerBetter reports an indicator that is better when lower (重复报警率, 退单率).
func (id IndicatorID) LowerBetter() bool { return id == RepeatRate || id == ReturnRate }

// IndicatorNamed reads an indicator by its id or its Chinese name (签收率); false
// when s is neither.
func IndicatorNamed(s string) (IndicatorID, bool) {
	for _, id := range IndicatorIDs {
		if string(id) == s || id.Name() == s {
			return id, true
		}
	}
	return "", false
}

// Wall is t's wall clock in its own location, labelled UTC, to the microsecond:
// the naive local time that fenliu stores (DuckDB TIMESTAMP, microseconds) and
// compares. Convert t to the configured zone first to get that zone's wall clock;
// an as-of time or a load time is to the second (truncate t before).
func Wall(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1000*1000, time.UTC)
}

// Names returns enumerated values as their strings, for parsers and messages.
func Names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// Local is the instant that a stored wall time stands for in zone: Wall's inverse.
func Local(wall time.Time, zone *time.Location) time.Time {
	return time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), zone)
}
