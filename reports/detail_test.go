package reports_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
	"github.com/fenliu/fenliu/reports"
)

// TestScorecardDetail: the records behind each scored cell. Each unit's detail
// counts add up to its figures; every rate with records against it links to a
// folded list on the page that exists; the workbook's 明细 sheets list
// only the units below the floor, and say how many they left out when capped.
func TestScorecardDetail(t *testing.T) {
	db := boundaryDB(t)
	ctx := context.Background()
	p, _ := period.Parse("2024-05")
	asOf := time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)
	src := metrics.New(db, metrics.DefaultConfig(), nil)
	sc, err := reports.Monthly(ctx, src, metrics.DefaultConfig(), score.DefaultConfig(), p, asOf, reports.FullDetail())
	if err != nil {
		t.Fatal(err)
	}
	weighted := 0
	for _, in := range metrics.Indicators {
		if score.DefaultConfig().Indicators[in.ID].Weight > 0 {
			weighted++
		}
	}
	listed := 0
	for _, scope := range []struct {
		rows   []reports.Row
		detail *metrics.Detail
	}{{sc.Departments, sc.DeptDetail}, {sc.Towns, sc.TownDetail}} {
		if got := len(scope.detail.Lists); got != weighted {
			t.Fatalf("detail of %d indicators, want the %d weighted", got, weighted)
		}
		for _, r := range scope.rows {
			for id := range scope.detail.Lists {
				x, l := r.Group.Indicators[id], scope.detail.List(id, r.Group.Key)
				in, _ := metrics.IndicatorByID(id)
				// The counts against the unit, from the figures (no partial credit
				// here: num counts whole members): higher-is-better, the den not in
				// num; lower-is-better, the num; both, the pending and the exempted.
				against := x.Den - int64(x.Num)
				if in.LowerBetter {
					against = int64(x.Num)
				}
				if l == nil {
					if against+x.Pending+x.Exempt != 0 {
						t.Errorf("%s %s: no detail for %+v", r.Group.Key, id, x)
					}
					continue
				}
				st := l.States
				bad := st[metrics.StatePartial] + st[metrics.StateDen]
				if in.LowerBetter {
					bad = st[metrics.StateNum]
				}
				if bad != against || st[metrics.StatePending] != x.Pending || st[metrics.StateExempt] != x.Exempt || l.Listable() != against+x.Pending+x.Exempt {
					t.Errorf("%s %s: states %v, figures %+v", r.Group.Key, id, st, x)
				}
				members, err := l.Head(0)
				if err != nil {
					t.Fatal(err)
				}
				if int64(len(members)) != l.Listable() { // full detail: every one listed
					t.Errorf("%s %s: %d listed of %d", r.Group.Key, id, len(members), l.Listable())
				}
				for _, m := range members {
					if m.Key != r.Group.Key || !inStates(m.State, l.Against) {
						t.Errorf("%s %s: member %+v", r.Group.Key, id, m)
					}
				}
				listed += len(members)
			}
		}
	}
	if listed == 0 {
		t.Fatal("the fixture has no records against any unit")
	}

	// The page: every link from a cell goes to a folded list that names the unit.
	var page bytes.Buffer
	if err := sc.WriteHTML(&page, "考评"); err != nil {
		t.Fatal(err)
	}
	html := page.String()
	links := regexp.MustCompile(`<td class="[^"]*"><a href="#(d-[a-z]+-\d+-[a-z_]+)">`).FindAllStringSubmatch(html, -1)
	if len(links) == 0 {
		t.Fatal("no scored cell links to its records")
	}
	for _, l := range links {
		m := regexp.MustCompile(`<details class="detail"><summary>([^<]*)</summary>\s*<div class="table-wrap" id="` + l[1] + `">`).FindStringSubmatch(html)
		if m == nil {
			t.Errorf("link #%s goes nowhere", l[1])
		}
	}

	// The workbook: 明细 sheets hold only units below the floor, their records not exempted.
	f := open(t, sc)
	for _, in := range metrics.Indicators {
		if score.DefaultConfig().Indicators[in.ID].Weight == 0 {
			continue
		}
		rows, err := f.GetRows(in.Name + "明细")
		if err != nil {
			t.Fatalf("%s: %v", in.Name, err)
		}
		below := map[string]bool{}
		for _, r := range append(append([]reports.Row{}, sc.Departments...), sc.Towns...) {
			if rate := r.Group.Indicators[in.ID].Rate(); rate != nil {
				rule := score.DefaultConfig().Indicators[in.ID]
				below[r.Group.Key] = below[r.Group.Key] || (in.LowerBetter && *rate > rule.Floor) || (!in.LowerBetter && *rate < rule.Floor)
			}
		}
		for _, r := range rows[2:] {
			if !below[r[0]] {
				t.Errorf("%s明细: %s is not below the floor", in.Name, r[0])
			}
			if r[3] == "核减" {
				t.Errorf("%s明细: an exempted record %v", in.Name, r)
			}
		}
	}

	// Capped: a unit's list holds at most the limit, and the title says how many in all.
	capped, err := src.Detail(ctx, metrics.Query{Period: p, AsOf: asOf, By: metrics.ByDepartment}, []domain.IndicatorID{metrics.ResolutionRate}, 1)
	if err != nil {
		t.Fatal(err)
	}
	for key, l := range capped.Lists[metrics.ResolutionRate] {
		full := sc.DeptDetail.List(metrics.ResolutionRate, key)
		got, err := l.Head(0)
		if err != nil {
			t.Fatal(err)
		}
		first, err := full.Head(1)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) > 1 || (l.Listable() > 0 && len(got) != 1) || l.Listable() != full.Listable() {
			t.Errorf("%s capped at 1: %d members of %d (full %d)", key, len(got), l.Listable(), full.Listable())
		}
		if len(got) == 1 && got[0].ID != first[0].ID {
			t.Errorf("%s capped: first %s, want %s", key, got[0].ID, first[0].ID)
		}
	}
	sc1, err := reports.Monthly(ctx, limitOne{src}, metrics.DefaultConfig(), score.DefaultConfig(), p, asOf)
	if err != nil {
		t.Fatal(err)
	}
	f1 := open(t, sc1)
	name := metrics.ResolutionRate.Name() + "明细"
	rows, err := f1.GetRows(name)
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	for _, r := range append(append([]reports.Row{}, sc.Departments...), sc.Towns...) {
		if x := r.Group.Indicators[metrics.ResolutionRate]; x.Rate() != nil && *x.Rate() < score.DefaultConfig().Indicators[metrics.ResolutionRate].Floor {
			l := sc.DeptDetail.List(metrics.ResolutionRate, r.Group.Key)
			if !contains(sc.Departments, r) {
				l = sc.TownDetail.List(metrics.ResolutionRate, r.Group.Key)
			}
			want += l.Listable() - l.States[metrics.StateExempt]
		}
	}
	if title := fmt.Sprintf("列出 %d 条，共 %d 条", len(rows)-2, want); len(rows)-2 >= int(want) || !strings.Contains(rows[0][0], title) {
		t.Errorf("capped sheet's title %q, want %q", rows[0][0], title)
	}
}

// limitOne asks for one record per unit and indicator, whatever the report asks.
type limitOne struct{ *metrics.Store }

func (l limitOne) Detail(ctx context.Context, q metrics.Query, ids []domain.IndicatorID, _ int) (*metrics.Detail, error) {
	return l.Store.Detail(ctx, q, ids, 1)
}

func contains(rows []reports.Row, r reports.Row) bool {
	for _, x := range rows {
		if x.Group.Key == r.Group.Key {
			return true
		}
	}
	return false
}

// open writes a scorecard's workbook and reads it back.
func open(t *testing.T, sc *reports.Scorecard) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := sc.WriteXLSX(&buf, "考评"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func inStates(s metrics.State, in []metrics.State) bool {
	for _, x := range in {
		if x == s {
			return true
		}
	}
	return false
}

// TestExplainWorkbookStates: the explain workbook names every state in words,
// 核减 included, and the repeat rate's num as 重复报警 (not 达标).
func TestExplainWorkbookStates(t *testing.T) {
	at := time.Date(2024, 5, 3, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		id    domain.IndicatorID
		state metrics.State
		want  string
	}{{domain.SignRate, metrics.StateExempt, "核减"}, {domain.SignRate, metrics.StateNum, "达标"}, {domain.RepeatRate, metrics.StateNum, "重复报警"},
		{domain.SignRate, metrics.StatePending, "待定"}, {domain.ResolutionRate, metrics.StatePartial, "部分化解"}} {
		list := explainRows(c.id, []metrics.Member{{ID: "O1", Key: "total", State: c.state, Reason: "r", Times: map[string]time.Time{"dispatched_at": at}}})
		var b bytes.Buffer
		if err := reports.WriteExplainXLSX(&b, "明细", list, at); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("明细")
		f.Close()
		if len(rows) < 3 || rows[2][2] != c.want {
			t.Errorf("%s %s: %v, want %s", c.id, c.state, rows, c.want)
		}
	}
}

// explainRows is an explain list of members as cmd/fenliu hands it to the
// workbook (from its spool): their times, how many, and each in order.
func explainRows(id domain.IndicatorID, ms []metrics.Member) reports.ExplainRows {
	times := map[string]bool{}
	for _, m := range ms {
		for n := range m.Times {
			times[n] = true
		}
	}
	return reports.ExplainRows{Indicator: id, Times: times, N: int64(len(ms)), Each: func(yield func(metrics.Member) error) error {
		for _, m := range ms {
			if err := yield(m); err != nil {
				return err
			}
		}
		return nil
	}}
}

// An explain workbook is streamed and cut at a worksheet's last row (here
// lowered to 3), its title saying how many members the list has and where they
// all are; the columns are the times its members carry.
func TestExplainWorkbookCutAtTheSheetsLastRow(t *testing.T) {
	at := time.Date(2024, 5, 3, 9, 0, 0, 0, time.UTC)
	var ms []metrics.Member
	for i := range 5 {
		ms = append(ms, metrics.Member{ID: fmt.Sprintf("O%d", i), Key: "住建局", State: metrics.StateDen, Reason: "r",
			Times: map[string]time.Time{"dispatched_at": at, "signed_at": at.Add(time.Hour)}})
	}
	for _, c := range []struct {
		cap, rows int
		title     []string
	}{{3, 3, []string{"列出 3 条，共 5 条", "fenliu explain --format csv"}}, {10, 5, []string{"（5 条）"}}} {
		restore := reports.SetMaxListRows(c.cap)
		var b bytes.Buffer
		err := reports.WriteExplainXLSX(&b, "明细", explainRows(domain.SignRate, ms), at)
		restore()
		if err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("明细")
		sheets := f.GetSheetList()
		f.Close()
		if len(sheets) != 1 {
			t.Errorf("cap %d: sheets %v, want 明细 alone", c.cap, sheets)
		}
		if len(rows) != c.rows+2 {
			t.Fatalf("cap %d: %d rows, want the title, the header and %d", c.cap, len(rows), c.rows)
		}
		if !strings.HasPrefix(rows[0][0], "明细（") { // the list's own title, not the report's · the list's name
			t.Errorf("cap %d: title %q", c.cap, rows[0][0])
		}
		for _, want := range c.title {
			if !strings.Contains(rows[0][0], want) {
				t.Errorf("cap %d: title %q does not say %q", c.cap, rows[0][0], want)
			}
		}
		if want := []string{"编号", "分组", "状态", "说明", "派单时间", "签收时间"}; !reflect.DeepEqual(rows[1], want) {
			t.Errorf("cap %d: header %v, want %v", c.cap, rows[1], want)
		}
		if got := rows[len(rows)-1]; got[0] != fmt.Sprintf("O%d", c.rows-1) || got[2] != "未达标" || got[5] != "2024-05-03 10:00:00" {
			t.Errorf("cap %d: last row %v", c.cap, got)
		}
	}
}
