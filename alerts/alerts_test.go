package alerts

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
)

// figures serves made-up month-to-date figures, orders due soon and a week's volumes.
type figures struct {
	queries []metrics.Query
	week    period.Period
	within  time.Duration
}

func (f *figures) Compute(_ context.Context, q metrics.Query) (*metrics.Result, error) {
	f.queries = append(f.queries, q)
	g := func(key string, sign, repeat metrics.Ratio) metrics.Group {
		return metrics.Group{Key: key, Indicators: map[domain.IndicatorID]metrics.Ratio{domain.SignRate: sign, domain.RepeatRate: repeat}}
	}
	r := &metrics.Result{Period: q.Period, AsOf: q.AsOf, By: q.By}
	if q.By == metrics.ByDepartment {
		r.Groups = []metrics.Group{
			g("水利局", metrics.Ratio{Num: 18, Den: 25}, metrics.Ratio{Num: 1, Den: 20}), // sign 72 % < 80 %: warned
			g("住建局", metrics.Ratio{Num: 3, Den: 4}, metrics.Ratio{Num: 0, Den: 20}),   // 75 % on 4 orders: too few
			g("商务局", metrics.Ratio{Num: 20, Den: 20}, metrics.Ratio{Num: 4, Den: 20}), // repeat 20 % > 15 % (lower is better): warned
			g("司法局", metrics.Ratio{Num: 16, Den: 20}, metrics.Ratio{Num: 3, Den: 20}), // exactly at both floors: not below
		}
	} else {
		r.Groups = []metrics.Group{g("枫桥镇", metrics.Ratio{Num: 5, Den: 10}, metrics.Ratio{})}
	}
	return r, nil
}

func (f *figures) Weekly(_ context.Context, week period.Period, asOf time.Time, _ int64) (*metrics.Briefing, error) {
	f.week = week
	return &metrics.Briefing{Week: week, AsOf: asOf,
		Categories: []metrics.Volume{{Key: "纠纷", Week: 30, Mean: 5, Spike: true}, {Key: "求助", Week: 6, Mean: 5}},
		Towns:      []metrics.Volume{{Key: "店口镇", Week: 12, Mean: 2.5, Spike: true}}}, nil
}

func (f *figures) DueSoon(_ context.Context, asOf time.Time, within time.Duration) ([]metrics.OverdueOrder, error) {
	f.within = within
	return []metrics.OverdueOrder{{OrderID: "GD1", Department: "水利局", Town: "枫桥镇",
		DispatchedAt: asOf.AddDate(0, 0, -14), DueAt: asOf.Add(5*time.Hour + 30*time.Minute), Status: domain.StatusHandling}}, nil
}

func TestFind(t *testing.T) {
	asOf := time.Date(2024, 5, 15, 9, 0, 0, 0, time.UTC)
	f := &figures{}
	as, err := Find(context.Background(), f, DefaultConfig(), score.DefaultConfig(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.queries) != 2 || f.queries[0].Period.String() != "2024-05" || !f.queries[0].AsOf.Equal(asOf) || f.week.String() != "2024-W20" || f.within != 24*time.Hour {
		t.Errorf("asked for %+v, week %s, within %s", f.queries, f.week, f.within)
	}
	want := []struct{ rule, dept, town, key, text string }{
		{RuleBelowFloor, "水利局", "", "below_floor/2024-05/department/水利局/sign_rate", "水利局：本月以来签收率 72.0%（18/25），低于底线值 80.0%"},
		{RuleBelowFloor, "商务局", "", "below_floor/2024-05/department/商务局/repeat_rate", "商务局：本月以来重复报警率 20.0%（4/20），低于底线值 15.0%"},
		{RuleBelowFloor, "", "枫桥镇", "below_floor/2024-05/town/枫桥镇/sign_rate", "枫桥镇：本月以来签收率 50.0%（5/10）"},
		{RuleDueSoon, "水利局", "枫桥镇", "due_soon/GD1", "水利局：工单 GD1（枫桥镇，派单 05-01 09:00）将于 05-15 14:30 到期，剩余 5小时30分，尚未办结"},
		{RuleSpike, "", "", "spike/2024-W20/警情类别/纠纷", "警情类别 纠纷：本周至今 30 起，前4周平均每周 5.0 起"},
		{RuleSpike, "", "店口镇", "spike/2024-W20/乡镇街道/店口镇", "乡镇街道 店口镇：本周至今 12 起"},
	}
	if len(as) != len(want) {
		t.Fatalf("%d warnings, want %d: %+v", len(as), len(want), as)
	}
	for i, w := range want {
		a := as[i]
		if a.Rule != w.rule || a.Department != w.dept || a.Town != w.town || a.Key != w.key || !strings.HasPrefix(a.Text, w.text) || a.State == "" {
			t.Errorf("warning %d: %+v\nwant %+v", i, a, w)
		}
	}
	// Off: no rule, no question asked.
	f = &figures{}
	if as, _ := Find(context.Background(), f, Config{}, score.DefaultConfig(), asOf); len(as) != 0 || len(f.queries) != 0 || f.within != 0 {
		t.Errorf("every rule off: %v", as)
	}
	text := Text(Title("全市", asOf), as[:4])
	for _, w := range []string{"全市非警务警情分流处置预警（截至2024年5月15日9时）", "一、本月以来低于底线值的单位（3 条）", "二、即将到期未办结的工单（请督促办理）（1 条）", "  水利局：工单 GD1"} {
		if !strings.Contains(text, w) {
			t.Errorf("text lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "三、") {
		t.Errorf("a part without warnings:\n%s", text)
	}
}

func TestTimeLeft(t *testing.T) {
	for d, want := range map[time.Duration]string{30 * time.Second: "1分", 40 * time.Minute: "40分", 5*time.Hour + 59*time.Minute: "5小时59分", 27 * time.Hour: "1天3小时"} {
		if got := timeLeft(d); got != want {
			t.Errorf("%s: %s, want %s", d, got, want)
		}
	}
}
