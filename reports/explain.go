package reports

import (
	"io"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
)

// explainTimes names the times of an explain list's members, in the order of a
// record's life.
var explainTimes = []struct{ name, label string }{
	{"received_at", "报警时间"}, {"dispatched_at", "派单时间"}, {"first_dispatch_at", "首次派单"},
	{"signed_at", "签收时间"}, {"sign_end", "签收时限"}, {"arrived_at", "到场时间"}, {"arrival_end", "到场时限"},
	{"done_at", "办结时间"}, {"due_at", "办结时限"}, {"revisited_at", "回访时间"},
	{"repeated_at", "再次报警"}, {"window_end", "重复窗口截止"},
}

// ExplainRows is an explain list as its workbook reads it: the times its
// members carry, how many members there are, and Each, which yields them in
// order and may be called more than once (the first rows size the columns).
type ExplainRows struct {
	Indicator domain.IndicatorID
	Times     map[string]bool
	N         int64
	Each      func(yield func(metrics.Member) error) error
}

// WriteExplainXLSX writes an explain list (SPEC §9) as a one-sheet, print-ready
// workbook: the members of an indicator's population with their states and
// reasons, and a column for each time the states were decided on. The sheet is
// streamed (a province's year is millions of members) and cut at a worksheet's
// last row, its title saying so.
func WriteExplainXLSX(w io.Writer, title string, r ExplainRows, asOf time.Time) error {
	var times []string
	t := &Table{Head: []string{"编号", "分组", "状态", "说明"}, List: "明细", ListTitle: title, Total: r.N, StreamLen: r.N}
	for _, x := range explainTimes {
		if r.Times[x.name] {
			times = append(times, x.name)
			t.Head = append(t.Head, x.label)
		}
	}
	t.Stream = func(yield func([]Cell) error) error {
		return r.Each(func(m metrics.Member) error {
			// States in the words of the scorecards' 明细: 核减 too, and 重复报警 for the repeat rate.
			row := []Cell{Text(m.ID), Text(m.Key), Text(stateLabel(r.Indicator, m.State)), Text(m.Reason)}
			for _, n := range times {
				at := ""
				if t, ok := m.Times[n]; ok {
					at = t.Format(secondLayout) // as explain's CSV writes it (metrics.MemberCSV)
				}
				row = append(row, Text(at))
			}
			return yield(row)
		})
	}
	p := &page{Title: title}
	p.add(&section{ID: "members", Title: "明细", Data: []*Table{t}})
	return p.writeXLSX(w, title, asOf)
}
