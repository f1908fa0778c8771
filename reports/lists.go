package reports

import (
	"strconv"
	"time"

	"github.com/fenliu/fenliu/metrics"
)

// A list is a detail list as both formats show it: the header, which columns
// are numbers, and the rows as text. It is made here, from the typed rows of
// package metrics, and nowhere else: a column's header, its value and whether it
// is a number are written side by side.
type list struct {
	header  []string
	numeric map[int]bool
	rows    [][]string
}

// The time layouts of the lists: the scorecard's to the second, the briefing's
// to the minute.
const (
	secondLayout = "2006-01-02 15:04:05"
	minuteLayout = "2006-01-02 15:04"
)

func decimal(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
func count(n int64) string     { return strconv.FormatInt(n, 10) }

// overdueList is the overdue orders; the briefing's are split by Carried.
func overdueList(l []metrics.OverdueOrder, layout string, keep func(metrics.OverdueOrder) bool) list {
	t := list{header: []string{"工单编号", "警情编号", "承办单位", "乡镇街道", "派单时间", "办结时限", "状态", "超期天数"}, numeric: map[int]bool{7: true}}
	for _, o := range l {
		if keep == nil || keep(o) {
			t.rows = append(t.rows, []string{o.OrderID, o.CallID, o.Department, o.Town, o.DispatchedAt.Format(layout),
				o.DueAt.Format(layout), string(o.Status), decimal(o.DaysOver)})
		}
	}
	return t
}

func repeatsList(l []metrics.RepeatCall) list {
	t := list{header: []string{"警情编号", "报警时间", "报警电话（脱敏）", "事发地址", "警情类别", "乡镇街道", "再次报警时间", "简要警情"}}
	for _, c := range l {
		t.rows = append(t.rows, []string{c.CallID, c.ReceivedAt.Format(secondLayout), c.Caller, c.Address, c.Category, c.Town,
			c.RepeatAt.Format(secondLayout), c.Summary})
	}
	return t
}

func callersList(l []metrics.FrequentCaller) list {
	t := list{header: []string{"报警电话（脱敏）", "报警次数", "有效警情", "警情类别", "乡镇街道", "首次报警", "最近报警"}, numeric: map[int]bool{1: true, 2: true}}
	for _, c := range l {
		t.rows = append(t.rows, []string{c.Caller, count(c.Calls), count(c.ValidCalls), c.Categories, c.Towns,
			c.FirstAt.Format(minuteLayout), c.LastAt.Format(minuteLayout)})
	}
	return t
}

func addressesList(l []metrics.FrequentAddress) list {
	t := list{header: []string{"事发地址", "报警次数", "有效警情", "报警人数", "警情类别", "乡镇街道", "首次报警", "最近报警"}, numeric: map[int]bool{1: true, 2: true, 3: true}}
	for _, a := range l {
		t.rows = append(t.rows, []string{a.Address, count(a.Calls), count(a.ValidCalls), count(a.Callers), a.Categories, a.Town,
			a.FirstAt.Format(minuteLayout), a.LastAt.Format(minuteLayout)})
	}
	return t
}

func unsignedList(l []metrics.UnsignedOrder) list {
	t := list{header: []string{"工单编号", "警情编号", "承办单位", "乡镇街道", "派单时间", "签收时限", "状态", "超时小时"}, numeric: map[int]bool{7: true}}
	for _, o := range l {
		t.rows = append(t.rows, []string{o.OrderID, o.CallID, o.Department, o.Town, o.DispatchedAt.Format(minuteLayout),
			o.SignBy.Format(minuteLayout), string(o.Status), decimal(o.HoursOver)})
	}
	return t
}

func rejectsList(l []metrics.FileRejects) list {
	t := list{header: []string{"数据文件", "读取行数", "拒收行数", "主要拒收原因"}, numeric: map[int]bool{1: true, 2: true}}
	for _, f := range l {
		t.rows = append(t.rows, []string{f.Name, count(f.Read), count(f.Rejected), f.TopReason})
	}
	return t
}

func namesList(what string, l []metrics.NameCount) list {
	t := list{header: []string{what, "数量"}, numeric: map[int]bool{1: true}}
	for _, n := range l {
		t.rows = append(t.rows, []string{n.Name, count(n.N)})
	}
	return t
}

// loadedAt is how a load time shows.
func loadedAt(t time.Time) string { return t.Format(secondLayout) }
