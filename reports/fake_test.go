package reports_test

import (
	"bytes"
	"context"
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

// fakeSource serves made-up figures: reports are built and written with no
// database at all.
type fakeSource struct{}

func fakeGroup(key string, kind domain.DeptKind, seed int64) metrics.Group {
	g := metrics.Group{Key: key, Kind: kind, Indicators: map[domain.IndicatorID]metrics.Ratio{}}
	for i, in := range metrics.Indicators {
		g.Indicators[in.ID] = metrics.Ratio{Num: float64(seed + int64(i)), Den: seed + 10, Pending: 1}
	}
	g.Counts = metrics.Counts{Calls: 40 + seed, ValidCalls: 35 + seed, NonpoliceCalls: 30, DivertedCalls: 20, Orders: 25, EffectiveOrders: 22, ReturnedOrders: 1, OverdueOrders: 2}
	return g
}

func (fakeSource) Compute(_ context.Context, q metrics.Query) (*metrics.Result, error) {
	r := &metrics.Result{Period: q.Period, AsOf: q.AsOf, By: q.By}
	switch q.By {
	case metrics.ByTotal:
		r.Groups = []metrics.Group{fakeGroup("total", "", 50)}
	case metrics.ByDepartment:
		r.Groups = []metrics.Group{fakeGroup("住建局", domain.Functional, 8), fakeGroup("市场监管局", domain.Functional, 9), fakeGroup("枫桥镇社会治理中心", domain.TownCentre, 7)}
	default:
		r.Groups = []metrics.Group{fakeGroup("枫桥镇", "", 6), fakeGroup("店口镇", "", 9)}
	}
	return r, nil
}

func (f fakeSource) ComputeMonths(ctx context.Context, q metrics.Query) ([]*metrics.Result, error) {
	return eachMonth(ctx, q, f.Compute)
}

// eachMonth is ComputeMonths for a fake: Compute month by month.
func eachMonth(ctx context.Context, q metrics.Query, compute func(context.Context, metrics.Query) (*metrics.Result, error)) ([]*metrics.Result, error) {
	var out []*metrics.Result
	for t := q.Period.Start; t.Before(q.Period.End); t = t.AddDate(0, 1, 0) {
		mq := q
		mq.Period = period.OfMonth(t.Year(), t.Month())
		r, err := compute(ctx, mq)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (f fakeSource) ComputeAll(ctx context.Context, asOf time.Time, wants []metrics.Want) ([][]*metrics.Result, error) {
	return eachWant(ctx, asOf, wants, f.Compute)
}

// eachWant is ComputeAll for a fake: Compute (or, by month, ComputeMonths) want by want.
func eachWant(ctx context.Context, asOf time.Time, wants []metrics.Want, compute func(context.Context, metrics.Query) (*metrics.Result, error)) ([][]*metrics.Result, error) {
	var out [][]*metrics.Result
	for _, w := range wants {
		q := metrics.Query{Period: w.Period, AsOf: asOf, By: w.By}
		if w.Months {
			rs, err := eachMonth(ctx, q, compute)
			if err != nil {
				return nil, err
			}
			out = append(out, rs)
			continue
		}
		r, err := compute(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, []*metrics.Result{r})
	}
	return out, nil
}

func (f fakeSource) CompareTo(ctx context.Context, q metrics.Query, _ *metrics.Result) (*metrics.Comparison, error) {
	return f.Compare(ctx, q)
}

func (f fakeSource) Compare(ctx context.Context, q metrics.Query) (*metrics.Comparison, error) {
	cur, _ := f.Compute(ctx, q)
	pq, yq := q, q
	pq.Period, yq.Period = q.Period.Prev(), q.Period.YearAgo()
	prev, _ := f.Compute(ctx, pq)
	yago, _ := f.Compute(ctx, yq)
	return &metrics.Comparison{Current: cur, Prev: prev, YearAgo: yago}, nil
}

func (f fakeSource) Weekly(ctx context.Context, week period.Period, asOf time.Time, _ int64) (*metrics.Briefing, error) {
	ov, _ := f.Compare(ctx, metrics.Query{Period: week, AsOf: asOf, By: metrics.ByTotal})
	depts, _ := f.Compute(ctx, metrics.Query{Period: week, AsOf: asOf, By: metrics.ByDepartment})
	at := week.Start.Add(9 * time.Hour)
	return &metrics.Briefing{Week: week, AsOf: asOf, Overview: ov, Departments: depts,
		Categories: []metrics.Volume{{Key: "纠纷", Week: 30, Prev: 5, Weeks: [4]int64{5, 5, 5, 5}, Mean: 5, Spike: true}},
		Towns:      []metrics.Volume{{Key: "枫桥镇", Week: 12, Prev: 10, Weeks: [4]int64{10, 10, 10, 10}, Mean: 10}},
		Callers:    []metrics.FrequentCaller{{Caller: "139****0001", Calls: 4, ValidCalls: 3, Categories: "纠纷", Towns: "枫桥镇", FirstAt: at, LastAt: at}},
		Addresses:  []metrics.FrequentAddress{{Address: "X路9号", Calls: 4, ValidCalls: 4, Callers: 4, Categories: "纠纷", Town: "枫桥镇", FirstAt: at, LastAt: at}},
		Overdue:    []metrics.OverdueOrder{{OrderID: "A", Department: "住建局", DispatchedAt: at, DueAt: at, Status: domain.StatusHandling, DaysOver: 3, Carried: true}},
		Unsigned:   []metrics.UnsignedOrder{{OrderID: "G", Department: "住建局", DispatchedAt: at, SignBy: at, Status: domain.StatusPending, HoursOver: 5}},
		Repeats:    []metrics.RepeatCall{{CallID: "C1", ReceivedAt: at, Caller: "138****0002", Category: "纠纷", RepeatAt: at}},
		LowestSign: []metrics.DeptRate{{Department: "住建局", Ratio: metrics.Ratio{Num: 4, Den: 5}}},
	}, nil
}

func (fakeSource) Lists(_ context.Context, p period.Period, _ time.Time) (*metrics.Lists, error) {
	at := p.Start.Add(8 * time.Hour)
	return &metrics.Lists{
		Overdue:            []metrics.OverdueOrder{{OrderID: "O1", Department: "住建局", DispatchedAt: at, DueAt: at, Status: domain.StatusHandling, DaysOver: 2.5}},
		Repeats:            []metrics.RepeatCall{{CallID: "C1", ReceivedAt: at, Caller: "138****0002", Category: "纠纷", RepeatAt: at}},
		RejectsByFile:      []metrics.FileRejects{{Name: "calls.csv", Read: 10, Rejected: 1, TopReason: "received_at：bad timestamp"}},
		UnknownDepartments: []metrics.NameCount{{Name: "某某办公室", N: 2}},
		Exemptions: []metrics.Exemption{{ID: 1, Kind: "order", RecordID: "O1", Unit: "住建局",
			Indicators: []domain.IndicatorID{domain.SignRate}, Reason: "错派", Approver: "张三", ApprovedAt: at}},
		ExemptionsInForce: 1,
	}, nil
}

// Detail: one unit's sign records against it, whatever the query.
func (fakeSource) Detail(_ context.Context, q metrics.Query, ids []domain.IndicatorID, limit int) (*metrics.Detail, error) {
	at := q.Period.Start.Add(8 * time.Hour)
	d := &metrics.Detail{Limit: limit, Lists: map[domain.IndicatorID]map[string]*metrics.DetailList{}}
	for _, id := range ids {
		d.Lists[id] = map[string]*metrics.DetailList{}
	}
	d.Lists[domain.SignRate]["住建局"] = metrics.ListOf(domain.SignRate, []metrics.Member{{ID: "O1", Key: "住建局", State: metrics.StateDen,
		Reason: "签收用时 42分12秒，超过签收时限 30分钟", Times: map[string]time.Time{"dispatched_at": at}}})
	return d, nil
}

func (fakeSource) Coverage(context.Context) ([]metrics.File, error) {
	return []metrics.File{{Name: "calls.csv", Kind: "calls", Profile: "default", Read: 10, Inserted: 9, Rejected: 1,
		LoadedAt: time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)}}, nil
}

// TestEveryKindFromAFakeSource builds every report kind from made-up figures, in
// milliseconds and without DuckDB, checks that its Kind's Steps is exactly the
// calls it makes on its Source, and writes both formats.
func TestEveryKindFromAFakeSource(t *testing.T) {
	periods := map[string]string{"monthly": "2024-05", "annual": "2024", "trend": "2024-05", "weekly": "2024-W20"}
	asOf := time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)
	for _, k := range reports.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			p, err := period.Parse(periods[k.Name])
			if err != nil {
				t.Fatal(err)
			}
			calls := 0
			r, err := k.Build(context.Background(), reports.Counted(fakeSource{}, func() { calls++ }), metrics.DefaultConfig(), score.DefaultConfig(), p, asOf)
			if err != nil {
				t.Fatal(err)
			}
			if calls != k.Steps(p) {
				t.Errorf("%s made %d calls on its source, its Steps say %d", k.Name, calls, k.Steps(p))
			}
			var page, book bytes.Buffer
			if err := r.WriteHTML(&page, p.Label()+k.Title); err != nil {
				t.Fatal(err)
			}
			if err := r.WriteXLSX(&book, p.Label()+k.Title); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(page.String(), "住建局") || !strings.Contains(page.String(), p.Label()+k.Title) {
				t.Errorf("the page lacks the figures' units or its title")
			}
			f, err := excelize.OpenReader(&book)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			found := false
			for _, sh := range f.GetSheetList() {
				rows, _ := f.GetRows(sh)
				for _, row := range rows {
					found = found || strings.Contains(strings.Join(row, "|"), "住建局")
				}
			}
			if !found {
				t.Errorf("the workbook (%v) does not name the units", f.GetSheetList())
			}
		})
	}
}
