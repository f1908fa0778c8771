package reports_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
	"github.com/fenliu/fenliu/reports"
)

var (
	// Dates and period names are the report's frame, not figures: 2024年5月20日8时30分,
	// 2024年第20周, 2024年度.
	datesRe  = regexp.MustCompile(`\d{4}年(\d{1,2}月(\d{1,2}日(\d{1,2}时(\d{1,2}分)?)?)?|第\d{1,2}周|度)?|\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?|\d{4}-W\d{2}|\d{4}-\d{2}`)
	numberRe = regexp.MustCompile(`\d[\d,]*(\.\d+)?`)
)

// numbers are the absolute values of the numbers written in s, dates left out.
func numbers(s string) []float64 {
	var out []float64
	for _, m := range numberRe.FindAllString(datesRe.ReplaceAllString(s, " "), -1) {
		v, err := strconv.ParseFloat(strings.ReplaceAll(m, ",", ""), 64)
		if err == nil {
			out = append(out, math.Abs(v))
		}
	}
	return out
}

// checkNumbersShown fails for every number of the 通报's body that the report
// does not show elsewhere (SPEC §12: every number in the text is one the report
// shows).
func checkNumbersShown(t *testing.T, r reports.Report) *reports.Bulletin {
	t.Helper()
	b, shown, err := reports.Shown(r)
	if err != nil {
		t.Fatal(err)
	}
	if b == nil {
		t.Fatal("the report has no 通报")
	}
	have := map[float64]bool{}
	for _, s := range shown {
		for _, v := range numbers(s) {
			have[math.Round(v*1000)/1000] = true
		}
	}
	checked := 0
	for _, p := range b.Parts {
		for _, para := range p.Paragraphs {
			for _, v := range numbers(para) {
				checked++
				if !have[math.Round(v*1000)/1000] {
					t.Errorf("the 通报 writes %v, which the report does not show: %s", v, para)
				}
			}
		}
	}
	if checked == 0 && len(b.Parts) > 1 {
		t.Error("the 通报 has no numbers")
	}
	return b
}

// TestBulletinGolden: the 通报 of the hand-built fixture's May 2024, monthly and
// annual, word for word; every number in it is shown elsewhere in the report.
func TestBulletinGolden(t *testing.T) {
	db := boundaryDB(t)
	ctx := context.Background()
	asOf := time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)
	h := reports.Header{Issuer: "中共诸暨市委政法委员会", Number: "诸政法〔{year}〕{month}号", AnnualNumber: "诸政法〔{year}〕考字1号", Jurisdiction: "全市",
		Recipients: "各镇乡（街道），市级有关单位", CopyTo: "市委办公室"}
	var got strings.Builder
	for _, k := range []struct{ kind, p string }{{"monthly", "2024-05"}, {"annual", "2024"}} {
		kind, _ := reports.KindNamed(k.kind)
		p, _ := period.Parse(k.p)
		r, err := kind.Build(ctx, metrics.New(db, metrics.DefaultConfig(), nil), metrics.DefaultConfig(), score.DefaultConfig(), p, asOf, reports.WithHeader(h))
		if err != nil {
			t.Fatal(err)
		}
		b := checkNumbersShown(t, r)
		got.WriteString("== " + k.kind + " " + k.p + "\n" + b.Text())
	}
	path := filepath.Join("testdata", "bulletin.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got.String() {
		t.Errorf("the 通报 changed (go test ./reports -run TestBulletinGolden -update to accept):\n%s", got.String())
	}
}

// shaped serves the fake figures reshaped by a function of the query.
type shaped struct {
	fakeSource
	shape func(q metrics.Query, g []metrics.Group) []metrics.Group
}

func (s shaped) Compute(ctx context.Context, q metrics.Query) (*metrics.Result, error) {
	r, _ := s.fakeSource.Compute(ctx, q)
	r.Groups = s.shape(q, r.Groups)
	return r, nil
}

func (s shaped) ComputeMonths(ctx context.Context, q metrics.Query) ([]*metrics.Result, error) {
	return eachMonth(ctx, q, s.Compute)
}

func (s shaped) ComputeAll(ctx context.Context, asOf time.Time, wants []metrics.Want) ([][]*metrics.Result, error) {
	return eachWant(ctx, asOf, wants, s.Compute)
}

func (s shaped) CompareTo(ctx context.Context, q metrics.Query, _ *metrics.Result) (*metrics.Comparison, error) {
	return s.Compare(ctx, q)
}

func (s shaped) Compare(ctx context.Context, q metrics.Query) (*metrics.Comparison, error) {
	cur, _ := s.Compute(ctx, q)
	pq, yq := q, q
	pq.Period, yq.Period = q.Period.Prev(), q.Period.YearAgo()
	prev, _ := s.Compute(ctx, pq)
	yago, _ := s.Compute(ctx, yq)
	return &metrics.Comparison{Current: cur, Prev: prev, YearAgo: yago}, nil
}

// rates sets every indicator of every group to num/den.
func rates(num float64, den int64) func(metrics.Query, []metrics.Group) []metrics.Group {
	return func(_ metrics.Query, gs []metrics.Group) []metrics.Group {
		for _, g := range gs {
			for id := range g.Indicators {
				g.Indicators[id] = metrics.Ratio{Num: num, Den: den}
			}
		}
		return gs
	}
}

// TestBulletinEdges: no data, one unit, every unit below the floor, no change,
// nothing to count — each says so in words, and still writes only numbers the
// report shows.
func TestBulletinEdges(t *testing.T) {
	month, _ := period.Parse("2024-05")
	asOf := time.Date(2024, 6, 5, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		shape func(metrics.Query, []metrics.Group) []metrics.Group
		want  []string
		not   []string
	}{
		{"no data", func(metrics.Query, []metrics.Group) []metrics.Group { return nil },
			[]string{"无警情和联动工单数据，本期不作考评"}, []string{"考评排名"}},
		{"one unit", func(q metrics.Query, gs []metrics.Group) []metrics.Group {
			if q.By == metrics.ByDepartment {
				return gs[:1]
			}
			if q.By == metrics.ByTown {
				return nil
			}
			return gs
		}, []string{"职能部门中仅住建局（"}, nil},
		{"all below the floor", func(q metrics.Query, gs []metrics.Group) []metrics.Group {
			for _, g := range gs {
				for _, in := range metrics.Indicators {
					g.Indicators[in.ID] = metrics.Ratio{Num: map[bool]float64{true: 9, false: 1}[in.LowerBetter], Den: 10}
				}
			}
			return gs
		}, []string{"签收率低于底线值80%的有住建局（10.0%）、市场监管局（10.0%）、枫桥镇社会治理中心（10.0%）、", "重复报警率高于底线值15%的有"}, nil},
		{"no change", nil, []string{"环比持平", "同比持平"}, []string{"上升", "下降"}},
		{"nothing to count", rates(0, 0), []string{"签收率无可计算的记录，不计算", "各考核指标均无单位越过底线值"}, []string{"环比上升", "环比下降", "环比持平"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var src reports.Source = fakeSource{}
			if c.shape != nil {
				src = shaped{shape: c.shape}
			}
			sc, err := reports.Monthly(context.Background(), src, metrics.DefaultConfig(), score.DefaultConfig(), month, asOf)
			if err != nil {
				t.Fatal(err)
			}
			text := checkNumbersShown(t, sc).Text()
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("lacks %q:\n%s", w, text)
				}
			}
			for _, w := range c.not {
				if strings.Contains(text, w) {
					t.Errorf("says %q:\n%s", w, text)
				}
			}
		})
	}
}

// TestWords: the register of the figures in prose and in the tables: signed
// changes, no −0.0, durations in words.
func TestWords(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{reports.Thousands(12345), "12,345"}, {reports.Thousands(999), "999"}, {reports.Thousands(1000000), "1,000,000"},
		{reports.PointsText(ptr(1.24)), "上升1.2个百分点"}, {reports.PointsText(ptr(-0.76)), "下降0.8个百分点"},
		{reports.PointsText(ptr(0.04)), "持平"}, {reports.PointsText(ptr(-0.04)), "持平"}, {reports.PointsText(nil), "不计算"},
		{reports.ChineseNumeral(3), "三"}, {reports.ChineseNumeral(12), "十二"}, {reports.ChineseNumeral(20), "二十"},
		{reports.JoinNames([]string{"甲", "乙", "丙"}), "甲、乙和丙"},
		{reports.PercentText(metrics.Ratio{Num: 963, Den: 1000}), "96.3%"}, {reports.PercentText(metrics.Ratio{}), "不计算"},
		{reports.DurationText(5 * time.Minute), "5分钟"}, {reports.DurationText(168 * time.Hour), "7天"},
		{reports.DurationText(90 * time.Minute), "1小时30分钟"}, {reports.DurationText(84 * time.Hour), "3天12小时"},
		{reports.CellText(reports.Change(ptr(1.24), 1)), "+1.2"}, {reports.CellText(reports.Change(ptr(-0.76), 1)), "−0.8"},
		{reports.CellText(reports.Change(ptr(-0.04), 1)), "0.0"}, {reports.CellText(reports.Fixed(ptr(-0.004), 2)), "0.00"},
		{reports.CellText(reports.Change(nil, 1)), "—"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	h := reports.Header{Number: "诸政法〔{year}〕{month}号", WeeklyNumber: "研判〔{year}〕第{week}期"}
	for p, want := range map[string]string{"2024-05": "诸政法〔2024〕5号", "2024-W09": "研判〔2024〕第9期", "2024": ""} {
		if got := reports.HeaderNumber(h, p); got != want {
			t.Errorf("文号 of %s: %q, want %q", p, got, want)
		}
	}
}

func ptr(v float64) *float64 { return &v }

// TestWeeklyBulletin: the weekly 通报 of the hand-built fixture, word for word,
// every number shown elsewhere in the briefing.
func TestWeeklyBulletin(t *testing.T) {
	db := boundaryDB(t)
	week, _ := period.Parse("2024-W20")
	w, err := reports.BuildWeekly(context.Background(), metrics.New(db, metrics.DefaultConfig(), nil), metrics.DefaultConfig(), score.DefaultConfig(),
		week, time.Date(2024, 5, 21, 9, 0, 0, 0, time.UTC), reports.WithHeader(reports.Header{Issuer: "中共诸暨市委政法委员会", WeeklyNumber: "研判〔{year}〕第{week}期", Jurisdiction: "全市", Recipients: "各成员单位"}))
	if err != nil {
		t.Fatal(err)
	}
	got := checkNumbersShown(t, w).Text()
	// The fake briefing has spikes, frequent callers, overdue and unsigned orders.
	fake, err := reports.BuildWeekly(context.Background(), fakeSource{}, metrics.DefaultConfig(), score.DefaultConfig(), week, time.Date(2024, 5, 21, 9, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if text := checkNumbersShown(t, fake).Text(); !strings.Contains(text, "异常升高：") || !strings.Contains(text, "高频报警电话1个") || !strings.Contains(text, "签收率最低的单位：住建局（80.0%）") {
		t.Errorf("the fake briefing's 通报:\n%s", text)
	}
	path := filepath.Join("testdata", "bulletin_weekly.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("the weekly 通报 changed (-update to accept):\n%s", got)
	}
}

// TestTrendNamesItsRange: the trend report's title and header say the months it
// covers, not the one month it is named by.
func TestTrendNamesItsRange(t *testing.T) {
	month, _ := period.Parse("2024-05")
	kind, _ := reports.KindNamed("trend")
	if got := kind.TitleOf(month); got != "2022年6月至2024年5月非警务警情分流处置趋势分析" {
		t.Errorf("title %q", got)
	}
	tr, err := reports.BuildTrend(context.Background(), fakeSource{}, metrics.DefaultConfig(), score.DefaultConfig(), month, time.Date(2024, 6, 5, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var page strings.Builder
	if err := tr.WriteHTML(&page, kind.TitleOf(month)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), "统计期：2022年6月至2024年5月（2022-06-01 至 2024-05-31，24 个月）") {
		t.Error("the trend page's header does not name its 24 months")
	}
}
