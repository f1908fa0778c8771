package reports

import (
	"io"
	"strings"
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

// WriteExplainXLSX writes an explain list (SPEC §9) as a one-sheet, print-ready
// workbook: the members of an indicator's population with their states and
// reasons, and a column for each time the states were decided on.
func WriteExplainXLSX(w io.Writer, title string, d *metrics.ExplainDoc, asOf time.Time) error {
	var times []string
	t := &Table{Head: []string{"编号", "分组", "状态", "说明"}}
	for _, x := range explainTimes {
		for _, r := range d.Rows {
			if _, ok := r.Times[x.name]; ok {
				times = append(times, x.name)
				t.Head = append(t.Head, x.label)
				break
			}
		}
	}
	for _, r := range d.Rows { // states in the words of the scorecards' 明细: 核减 too, and 重复报警 for the repeat rate
		row := []Cell{Text(r.ID), Text(r.Key), Text(stateLabel(domain.IndicatorID(d.Indicator), r.State)), Text(r.Reason)}
		for _, n := range times {
			row = append(row, Text(strings.Replace(r.Times[n], "T", " ", 1)))
		}
		t.Rows = append(t.Rows, row)
	}
	p := &page{Title: title}
	p.add(&section{ID: "members", Title: "明细", Data: []*Table{t}, Sheet: "明细", SheetTitle: title, Freeze: [2]int{1, 2}})
	return p.writeXLSX(w, title, asOf)
}
