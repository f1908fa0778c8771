package reports

import (
	"strings"
	"time"

	"github.com/fenliu/fenliu/metrics"
)

// The detail lists as tables of both formats, made here from the typed rows of
// package metrics and nowhere else: a column's header and its value are written
// side by side.

// The time layouts of the lists: the scorecard's to the second, the briefing's
// to the minute.
const (
	secondLayout = "2006-01-02 15:04:05"
	minuteLayout = "2006-01-02 15:04"
)

// overdueList is the overdue orders; the briefing's are split by Carried.
func overdueList(l []metrics.OverdueOrder, layout string, keep func(metrics.OverdueOrder) bool) *Table {
	t := &Table{Head: []string{"工单编号", "警情编号", "承办单位", "乡镇街道", "派单时间", "办结时限", "状态", "超期天数"}}
	for _, o := range l {
		if keep == nil || keep(o) {
			t.Rows = append(t.Rows, []Cell{Text(o.OrderID), Text(o.CallID), Text(o.Department), Text(o.Town), Text(o.DispatchedAt.Format(layout)),
				Text(o.DueAt.Format(layout)), Text(string(o.Status)), Number(o.DaysOver)})
		}
	}
	return t
}

// exemptionsList is the scorecard's 核减明细.
func exemptionsList(l []metrics.Exemption) *Table {
	t := &Table{Head: []string{"核减编号", "类型", "记录编号", "单位", "核减指标", "核减理由", "审批人", "审批时间"}}
	for _, e := range l {
		kind, names := "工单", make([]string, len(e.Indicators))
		if e.Kind == "call" {
			kind = "警情"
		}
		for i, id := range e.Indicators {
			names[i] = id.Name()
		}
		t.Rows = append(t.Rows, []Cell{Count(e.ID), Text(kind), Text(e.RecordID), Text(e.Unit), Text(strings.Join(names, "、")),
			Text(e.Reason), Text(e.Approver), Text(e.ApprovedAt.Format(secondLayout))})
	}
	return t
}

func repeatsList(l []metrics.RepeatCall) *Table {
	t := &Table{Head: []string{"警情编号", "报警时间", "报警电话（脱敏）", "事发地址", "警情类别", "乡镇街道", "再次报警时间", "简要警情"}}
	for _, c := range l {
		t.Rows = append(t.Rows, []Cell{Text(c.CallID), Text(c.ReceivedAt.Format(secondLayout)), Text(c.Caller), Text(c.Address), Text(c.Category),
			Text(c.Town), Text(c.RepeatAt.Format(secondLayout)), Text(c.Summary)})
	}
	return t
}

func callersList(l []metrics.FrequentCaller) *Table {
	t := &Table{Head: []string{"报警电话（脱敏）", "报警次数", "有效警情", "警情类别", "乡镇街道", "首次报警", "最近报警"}}
	for _, c := range l {
		t.Rows = append(t.Rows, []Cell{Text(c.Caller), Count(c.Calls), Count(c.ValidCalls), Text(c.Categories), Text(c.Towns),
			Text(c.FirstAt.Format(minuteLayout)), Text(c.LastAt.Format(minuteLayout))})
	}
	return t
}

func addressesList(l []metrics.FrequentAddress) *Table {
	t := &Table{Head: []string{"事发地址", "报警次数", "有效警情", "报警人数", "警情类别", "乡镇街道", "首次报警", "最近报警"}}
	for _, a := range l {
		t.Rows = append(t.Rows, []Cell{Text(a.Address), Count(a.Calls), Count(a.ValidCalls), Count(a.Callers), Text(a.Categories), Text(a.Town),
			Text(a.FirstAt.Format(minuteLayout)), Text(a.LastAt.Format(minuteLayout))})
	}
	return t
}

func unsignedList(l []metrics.UnsignedOrder) *Table {
	t := &Table{Head: []string{"工单编号", "警情编号", "承办单位", "乡镇街道", "派单时间", "签收时限", "状态", "超时小时"}}
	for _, o := range l {
		t.Rows = append(t.Rows, []Cell{Text(o.OrderID), Text(o.CallID), Text(o.Department), Text(o.Town), Text(o.DispatchedAt.Format(minuteLayout)),
			Text(o.SignBy.Format(minuteLayout)), Text(string(o.Status)), Number(o.HoursOver)})
	}
	return t
}

func rejectsList(l []metrics.FileRejects) *Table {
	t := &Table{Head: []string{"数据文件", "读取行数", "拒收行数", "主要拒收原因"}}
	for _, f := range l {
		t.Rows = append(t.Rows, []Cell{Text(f.Name), Count(f.Read), Count(f.Rejected), Text(f.TopReason)})
	}
	return t
}

func namesList(what string, l []metrics.NameCount) *Table {
	t := &Table{Head: []string{what, "数量"}}
	for _, n := range l {
		t.Rows = append(t.Rows, []Cell{Text(n.Name), Count(n.N)})
	}
	return t
}

// loadedAt is how a load time shows.
func loadedAt(t time.Time) string { return t.Format(secondLayout) }
