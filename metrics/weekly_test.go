package metrics_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
)

func TestIsSpike(t *testing.T) {
	for _, c := range []struct {
		x    int64
		m    float64
		want bool
	}{
		{12, 2, true},     // rise 5, z 7.1
		{13, 8, false},    // rise 0.63 but z 1.8
		{140, 100, false}, // z 4 but rise 0.4
		{150, 100, true},  // rise 0.5 exactly, z 5
		{10, 0, true},     // nothing before: unbounded
		{9, 0, false},     // fewer than 10 calls
		{9, 1, false},     // rise 8, z 8, but 9 calls
		{10, 1, true},
		{34, 16, true},  // z (34−16)/4 = 4.5, rise 1.125
		{27, 16, false}, // z 2.75
	} {
		if got := metrics.IsSpike(c.x, c.m); got != c.want {
			t.Errorf("IsSpike(%d, %v) = %v, want %v", c.x, c.m, got, c.want)
		}
	}
}

// weeklyFixture writes a fixture for the briefing of 2024-W20 (13–19 May 2024)
// whose every expected figure is stated in TestWeekly. Calls fall on the Tuesday
// of each week, 10 minutes apart, each with its own number and address unless set.
func weeklyFixture(t *testing.T) string {
	dir := t.TempDir()
	for _, f := range []string{"departments.csv", "categories.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata/boundary", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	var calls strings.Builder
	calls.WriteString("警情编号,报警时间,报警电话,事发地址,所属区县,所属乡镇街道,管辖单位,警情类别,警情性质,是否有效\n")
	w16 := time.Date(2024, 4, 15, 0, 0, 0, 0, time.UTC)
	n := 0
	call := func(at time.Time, phone, addr, town, cat, valid string) {
		n++
		if phone == "" {
			phone = fmt.Sprintf("137%08d", n)
		}
		if addr == "" {
			addr = fmt.Sprintf("诸暨市%s测试路%d号", town, n)
		}
		fmt.Fprintf(&calls, "W%05d,%s,%s,%s,诸暨市,%s,枫桥派出所,%s,,%s\n", n, at.Format("2006-01-02 15:04:05"), phone, addr, town, cat, valid)
	}
	for _, c := range []struct {
		cat, town string
		weeks     [5]int
	}{
		{"纠纷", "枫桥镇", [5]int{2, 2, 2, 2, 12}},
		{"求助", "枫桥镇", [5]int{8, 8, 8, 8, 13}},
		{"投诉", "店口镇", [5]int{0, 0, 0, 0, 10}},
		{"噪音", "枫桥镇", [5]int{1, 1, 1, 1, 9}},
		{"刑事", "枫桥镇", [5]int{100, 100, 100, 100, 140}},
	} {
		for w, k := range c.weeks {
			for i := 0; i < k; i++ {
				at := w16.AddDate(0, 0, 7*w+1).Add(time.Duration(i) * 10 * time.Minute)
				phone, addr := "", ""
				switch {
				case c.cat == "纠纷" && w == 4 && i < 3:
					phone = "13900000001"
				case c.cat == "纠纷" && w == 4 && i < 5, c.cat == "纠纷" && w == 3 && i == 0:
					phone = "13900000002" // 2 calls in the week, 1 the week before: not listed
				case c.cat == "投诉" && w == 4 && i < 4:
					addr = "诸暨市店口镇X路9号"
				}
				call(at, phone, addr, c.town, c.cat, "是")
			}
		}
	}
	call(w16.AddDate(0, 0, 29), "13900000001", "", "枫桥镇", "纠纷", "否") // invalid: a 4th call, not in volumes
	os.WriteFile(filepath.Join(dir, "calls.csv"), []byte(calls.String()), 0o644)

	var orders strings.Builder
	orders.WriteString("工单编号,警情编号,来源,派单时间,承办单位,紧急程度,区域类型,是否需到场,难易程度,签收时间,到场时间,反馈时间,办结时间,工单状态,退回时间,化解结果,回访时间,回访结果\n")
	order := func(id, at, dept, onsite, signed, arrived, feedback, status string) {
		fmt.Fprintf(&orders, "%s,,,%s,%s,,,%s,,%s,%s,%s,,%s,,,,\n", id, at, dept, onsite, signed, arrived, feedback, status)
	}
	// Backlog (15 days to close; T = 20 May 08:00, the previous briefing 13 May 08:00).
	order("A", "2024-04-01 08:00:00", "住建局", "否", "2024-04-01 08:10:00", "", "", "")                    // due 16 Apr: carried
	order("B", "2024-05-01 08:00:00", "住建局", "否", "2024-05-01 08:10:00", "", "", "")                    // due 16 May: new
	order("C", "2024-04-10 08:00:00", "住建局", "否", "2024-04-10 08:10:00", "", "2024-05-15 08:00:00", "") // done since
	order("D", "2024-04-05 08:00:00", "住建局", "否", "2024-04-05 08:10:00", "", "2024-05-01 08:00:00", "") // done before
	order("E", "2024-05-10 08:00:00", "住建局", "否", "2024-05-10 08:10:00", "", "", "")                    // due 25 May
	order("F", "2024-04-02 08:00:00", "住建局", "否", "", "", "", "已退回")                                    // not effective
	order("K", "2024-04-03 08:00:00", "住建局", "否", "2024-04-03 08:10:00", "", "2024-05-25 08:00:00", "") // done after T: carried
	// The week: unsigned past the deadline (G; H signed only after T); J done unsigned.
	order("G", "2024-05-14 09:00:00", "枫桥镇社会治理中心", "否", "", "", "", "")
	order("H", "2024-05-15 09:00:00", "枫桥镇社会治理中心", "否", "2024-05-21 09:00:00", "", "", "")
	order("J", "2024-05-16 09:00:00", "枫桥镇社会治理中心", "否", "", "", "2024-05-17 09:00:00", "")
	// 市场监管局 signs 4 of 5 in time; 住建局 signs 6 of 6 and arrives 5 of 6 in time.
	for i := 0; i < 5; i++ {
		at := time.Date(2024, 5, 14+i, 10, 0, 0, 0, time.UTC)
		sign := at.Add(20 * time.Minute)
		if i == 4 {
			sign = at.Add(40 * time.Minute)
		}
		order(fmt.Sprintf("X%d", i), at.Format("2006-01-02 15:04:05"), "市场监管局", "否", sign.Format("2006-01-02 15:04:05"), "",
			at.Add(24*time.Hour).Format("2006-01-02 15:04:05"), "")
	}
	for i := 0; i < 6; i++ {
		at := time.Date(2024, 5, 13+i, 11, 0, 0, 0, time.UTC)
		arrive := at.Add(20 * time.Minute)
		if i == 5 {
			arrive = at.Add(70 * time.Minute)
		}
		order(fmt.Sprintf("Y%d", i), at.Format("2006-01-02 15:04:05"), "住建局", "是", at.Add(10*time.Minute).Format("2006-01-02 15:04:05"),
			arrive.Format("2006-01-02 15:04:05"), at.Add(24*time.Hour).Format("2006-01-02 15:04:05"), "")
	}
	os.WriteFile(filepath.Join(dir, "orders.csv"), []byte(orders.String()), 0o644)
	return dir
}

func TestWeekly(t *testing.T) {
	db := loadFixture(t, weeklyFixture(t))
	week, _ := period.Parse("2024-W20")
	asOf := time.Date(2024, 5, 20, 8, 0, 0, 0, time.UTC)
	b, err := metrics.New(db, metrics.DefaultConfig(), nil).Weekly(context.Background(), week, asOf, 5)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Overview.Current.Groups[0].Counts.ValidCalls; got != 184 {
		t.Errorf("valid calls in the week = %d, want 12+13+10+9+140", got)
	}
	if got := b.Overview.Prev.Groups[0].Counts.ValidCalls; got != 111 {
		t.Errorf("valid calls the week before = %d, want 111", got)
	}
	if b.Mean4.ValidCalls != 111 {
		t.Errorf("4-week mean of valid calls = %d, want 111", b.Mean4.ValidCalls)
	}
	type vol struct {
		week  int64
		mean  float64
		spike bool
	}
	check := func(name string, got []metrics.Volume, want map[string]vol, order []string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %d rows, want %d", name, len(got), len(want))
		}
		for i, v := range got {
			w, ok := want[v.Key]
			if !ok || v.Week != w.week || v.Mean != w.mean || v.Spike != w.spike {
				t.Errorf("%s %s: week %d mean %v spike %v, want %+v", name, v.Key, v.Week, v.Mean, v.Spike, w)
			}
			if i < len(order) && v.Key != order[i] {
				t.Errorf("%s row %d = %s, want %s (spikes first, then by volume)", name, i, v.Key, order[i])
			}
		}
	}
	check("categories", b.Categories, map[string]vol{
		"纠纷": {12, 2, true}, "求助": {13, 8, false}, "投诉": {10, 0, true}, "噪音": {9, 1, false}, "刑事": {140, 100, false},
	}, []string{"纠纷", "投诉", "刑事", "求助", "噪音"})
	// 枫桥镇: 111 a week before, 174 now: rise 0.57, z 5.98.
	check("towns", b.Towns, map[string]vol{"枫桥镇": {174, 111, true}, "店口镇": {10, 0, true}}, []string{"枫桥镇", "店口镇"})
	if b.Categories[0].Rise == nil || *b.Categories[0].Rise != 5 || b.Categories[1].Rise != nil {
		t.Errorf("rise of 纠纷 = %v (want 5), of 投诉 = %v (want nil: nothing before)", b.Categories[0].Rise, b.Categories[1].Rise)
	}

	if len(b.Callers) != 1 || b.Callers[0].Caller != "139****0001" || b.Callers[0].Calls != 4 || b.Callers[0].ValidCalls != 3 || b.Callers[0].Categories != "纠纷" {
		t.Errorf("frequent callers = %+v, want one: 139****0001 with 4 calls, 3 valid, 纠纷", b.Callers)
	}
	if strings.Contains(fmt.Sprintf("%+v", b.Callers), "13900000001") {
		t.Errorf("a raw number in the callers list: %+v", b.Callers)
	}
	if len(b.Addresses) != 1 || b.Addresses[0].Address != "诸暨市店口镇X路9号" || b.Addresses[0].Calls != 4 || b.Addresses[0].Callers != 4 {
		t.Errorf("frequent addresses = %+v, want 诸暨市店口镇X路9号 with 4 calls from 4 callers", b.Addresses)
	}

	var overdue []string
	for _, r := range b.Overdue {
		overdue = append(overdue, fmt.Sprint(r.OrderID, " ", r.DaysOver, " ", r.Carried))
	}
	if want := []string{"A 34 true", "K 32 true", "B 4 false"}; fmt.Sprint(overdue) != fmt.Sprint(want) {
		t.Errorf("overdue (id, days over, carried) = %q, want %q", overdue, want)
	}
	if b.FollowupDone != 1 {
		t.Errorf("previous briefing's overdue done since = %d, want 1 (C)", b.FollowupDone)
	}
	var unsigned []string
	for _, r := range b.Unsigned {
		unsigned = append(unsigned, fmt.Sprint(r.OrderID, " ", r.HoursOver))
	}
	if want := []string{"G 142.5", "H 118.5"}; fmt.Sprint(unsigned) != fmt.Sprint(want) {
		t.Errorf("unsigned (id, hours over) = %q, want %q", unsigned, want)
	}

	rates := func(l []metrics.DeptRate) string {
		var s []string
		for _, d := range l {
			s = append(s, fmt.Sprintf("%s %v/%d", d.Department, d.Ratio.Num, d.Ratio.Den))
		}
		return strings.Join(s, ", ")
	}
	// 枫桥镇社会治理中心 has 0/3 but fewer than 5 orders: left out.
	if got, want := rates(b.LowestSign), "市场监管局 4/5, 住建局 6/6"; got != want {
		t.Errorf("lowest sign rates = %s, want %s", got, want)
	}
	if got, want := rates(b.LowestArrival), "住建局 5/6"; got != want {
		t.Errorf("lowest arrival rates = %s, want %s", got, want)
	}
	if _, err := metrics.New(db, metrics.DefaultConfig(), nil).Weekly(context.Background(), period.OfMonth(2024, 5), asOf, 5); err == nil {
		t.Error("a weekly briefing of a month: no error")
	}
}
