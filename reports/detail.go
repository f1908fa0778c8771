package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
)

// The records behind the scored cells (SPEC §9 in a report). On the page every
// scored rate links to a folded list of the unit's records that count against
// it, under 明细; the workbook has a sheet per weighted indicator listing those
// records for the units below the floor. Both read metrics.Detail, which takes
// the states from the same scan as `fenliu explain`.

// htmlDetailLimit is how many records of one unit and indicator the page lists.
const htmlDetailLimit = 50

// detailScope is one score table's groups and their detail.
type detailScope struct {
	id, unit, by string // the anchor prefix, the unit's word, the grouping for explain
	rows, prev   []Row  // the period's and the period before's
	detail       *metrics.Detail
}

func (sc *Scorecard) scopes() []detailScope {
	return []detailScope{
		{"departments", "单位", string(metrics.ByDepartment), sc.Departments, sc.PrevDepartments, sc.DeptDetail},
		{"towns", "乡镇街道", string(metrics.ByTown), sc.Towns, sc.PrevTowns, sc.TownDetail},
	}
}

// detailAnchor is the page anchor of one unit's list for one indicator.
func detailAnchor(scope string, row int, id domain.IndicatorID) string {
	return "d-" + scope + "-" + strconv.Itoa(row) + "-" + string(id)
}

// lowerBetterWords name num and den of the indicators where lower is better.
var lowerBetterWords = map[domain.IndicatorID][2]string{domain.RepeatRate: {"重复报警", "未重复报警"}, domain.ReturnRate: {"已退回", "未退回"}}

// stateLabel is a state as a unit reads it on an indicator.
func stateLabel(id domain.IndicatorID, st metrics.State) string {
	switch st {
	case metrics.StatePartial:
		return "部分化解"
	case metrics.StatePending:
		return "待定"
	case metrics.StateExempt:
		return "核减"
	}
	if l, ok := lowerBetterWords[id]; ok {
		if st == metrics.StateNum {
			return l[0]
		}
		return l[1]
	}
	if st == metrics.StateNum {
		return "达标"
	}
	return "未达标"
}

// firstTime is the time a member's record starts from: dispatch or receipt.
func firstTime(m metrics.Member) string {
	for _, n := range []string{"dispatched_at", "received_at"} {
		if t, ok := m.Times[n]; ok {
			return t.Format("2006-01-02 15:04")
		}
	}
	return ""
}

// stateCounts says how many of a list's members stand in each state against the unit.
func stateCounts(id domain.IndicatorID, l *metrics.DetailList) string {
	var parts []string
	for _, st := range l.Against {
		if n := l.States[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", stateLabel(id, st), n))
		}
	}
	return strings.Join(parts, "，")
}

// detailHTML adds 明细: for each unit and weighted indicator with records
// against it, a folded list that the unit's rate cell links to.
func (sc *Scorecard) detailHTML(p *page) error {
	var tables []*Table
	for _, s := range sc.scopes() {
		for i, r := range s.rows {
			for _, in := range sc.weighted() {
				l := s.detail.List(in.ID, r.Group.Key)
				if l.Listable() == 0 {
					continue
				}
				x := r.Group.Indicators[in.ID]
				rate := "—"
				if v := x.Rate(); v != nil {
					rate = strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
				}
				t := &Table{ID: detailAnchor(s.id, i, in.ID), Fold: true, Head: []string{"编号", "状态", "说明", "派单/报警时间"},
					Caption: fmt.Sprintf("%s · %s %s（%s）：%s", r.Group.Key, in.Name, rate, Ratio(x).Text, stateCounts(in.ID, l))}
				head, err := l.Head(htmlDetailLimit)
				if err != nil {
					return err
				}
				for _, m := range head {
					t.Rows = append(t.Rows, []Cell{Text(m.ID), Text(stateLabel(in.ID, m.State)), Text(m.Reason), Text(firstTime(m))})
				}
				if n := l.Listable(); n > int64(len(t.Rows)) {
					t.More = fmt.Sprintf("共 %d 条，此处列出前 %d 条；完整清单：fenliu explain --period %s --as-of %s --indicator %s --by %s --key %s",
						n, len(t.Rows), sc.Period, sc.AsOf.Format("2006-01-02T15:04:05"), in.ID, s.by, r.Group.Key)
				}
				tables = append(tables, t)
			}
		}
	}
	if len(tables) == 0 {
		return nil
	}
	p.add(&section{ID: "detail", Title: "明细", Notes: []string{
		"各单位计入不利方向的记录（未达标、部分化解、待定、核减；重复报警率为重复报警、待定、核减），点击考评表中的比率可直接打开；状态与说明和 fenliu explain 同一口径。"},
		Data: tables})
	return nil
}

// detailSheets adds, for each weighted indicator, a workbook sheet listing the
// records that count against each unit below the floor — not the exempted —
// capped per unit unless the report was built with FullDetail. The rows are
// streamed from the detail as the sheet is written: a full year's are never
// held.
func (sc *Scorecard) detailSheets(p *page) {
	type unitList struct {
		key, unit string
		l         *metrics.DetailList
	}
	var tables []*Table
	for _, in := range sc.weighted() {
		t := &Table{Head: []string{"单位", "口径", "编号", "状态", "说明", "派单/报警时间"}, List: in.Name + "明细"}
		var units []unitList
		for _, s := range sc.scopes() {
			for _, r := range s.rows {
				if sc.mark(r.Group.Indicators[in.ID], in.ID) != belowFloor {
					continue
				}
				if l := s.detail.List(in.ID, r.Group.Key); l != nil {
					t.Total += l.Listable() - l.States[metrics.StateExempt]
					t.StreamLen += listedAgainst(l)
					units = append(units, unitList{r.Group.Key, s.unit, l})
				}
			}
		}
		t.Stream = func(yield func([]Cell) error) error {
			for _, u := range units {
				err := u.l.Each(func(m metrics.Member) error {
					if m.State == metrics.StateExempt {
						return nil
					}
					return yield([]Cell{Text(u.key), Text(u.unit), Text(m.ID), Text(stateLabel(in.ID, m.State)), Text(m.Reason), Text(firstTime(m))})
				})
				if err != nil {
					return err
				}
			}
			return nil
		}
		tables = append(tables, t)
	}
	p.add(&section{ID: "detail-sheets", Title: "明细", BookOnly: true, Data: tables})
}

// listedAgainst is how many of a list's members a sheet lists: those listed,
// not the exempted.
func listedAgainst(l *metrics.DetailList) int64 {
	var n int64
	for _, st := range l.Against {
		if st != metrics.StateExempt {
			n += l.Listed(st)
		}
	}
	return n
}
