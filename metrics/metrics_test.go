package metrics_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/etl"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/queries"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// loadFixture loads a folder of calls.csv, orders.csv and the two dictionaries.
func loadFixture(t testing.TB, dir string, files ...string) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := queries.Open(ctx, filepath.Join(t.TempDir(), "m.duckdb"), queries.Options{Threads: 2, MemoryLimit: "1GB", Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := etl.LoadDictionaries(ctx, db, filepath.Join(dir, "departments.csv"), filepath.Join(dir, "categories.csv")); err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		files = []string{"calls.csv", "orders.csv"}
	}
	loadFixtureInto(t, db, dir, files...)
	return db
}

// loadFixtureInto loads more files of a fixture folder into db.
func loadFixtureInto(t testing.TB, db *sql.DB, dir string, files ...string) {
	t.Helper()
	ctx := context.Background()
	for _, f := range files {
		acc, err := etl.Load(ctx, db, filepath.Join(dir, f), etl.Options{Secret: []byte("metrics-test-secret-0123"), Zone: shanghai,
			Now: time.Date(2030, 1, 1, 0, 0, 0, 0, shanghai), TempDir: t.TempDir()})
		if err != nil || acc.Rejected > 0 {
			t.Fatalf("load %s: %+v %v", f, acc, err)
		}
	}
	// After a load, as ingest does: the computations only read.
	if _, err := metrics.Refresh(ctx, db, metrics.DefaultConfig(), nil); err != nil {
		t.Fatal(err)
	}
}

func compute(t testing.TB, db *sql.DB, p, asOf string, by metrics.By) *metrics.Result {
	t.Helper()
	per, err := period.Parse(p)
	if err != nil {
		t.Fatal(err)
	}
	at, err := period.ParseAsOf(asOf)
	if err != nil {
		t.Fatal(err)
	}
	r, err := metrics.New(db, metrics.DefaultConfig(), nil).Compute(context.Background(), metrics.Query{Period: per, AsOf: at, By: by, Durations: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestDurationsOnlyWhenAsked: without Query.Durations every figure is the same
// and the durations are nil (a report shows none, and they cost half the
// orders' pass); with it, they are there.
func TestDurationsOnlyWhenAsked(t *testing.T) {
	db := loadFixture(t, "testdata/boundary")
	for _, by := range []metrics.By{metrics.ByTotal, metrics.ByDepartment, metrics.ByTown} {
		with := compute(t, db, "2024-05", "2024-06-20", by)
		per, _ := period.Parse("2024-05")
		at, _ := period.ParseAsOf("2024-06-20")
		without, err := metrics.New(db, metrics.DefaultConfig(), nil).Compute(context.Background(), metrics.Query{Period: per, AsOf: at, By: by})
		if err != nil {
			t.Fatal(err)
		}
		measured := false
		for i := range with.Groups {
			measured = measured || with.Groups[i].Durations.SignMedianMin != nil
			with.Groups[i].Durations = metrics.Durations{}
		}
		if !measured {
			t.Errorf("%s: no durations when asked", by)
		}
		if !reflect.DeepEqual(with, without) {
			t.Errorf("%s: without durations\n%+v\nwith them\n%+v", by, without, with)
		}
	}
}

type want map[domain.IndicatorID][3]float64 // indicator → num, den, pending

func check(t *testing.T, g *metrics.Group, w want) {
	t.Helper()
	if g == nil {
		t.Fatal("group missing")
	}
	for id, x := range w {
		got := g.Indicators[id]
		if got.Num != x[0] || float64(got.Den) != x[1] || float64(got.Pending) != x[2] {
			t.Errorf("%s %s = %v/%d pending %d, want %v/%v pending %v", g.Key, id, got.Num, got.Den, got.Pending, x[0], x[1], x[2])
		}
	}
}

// The boundary fixture (testdata/boundary) hits every boundary of SPEC §3 once; each
// expected figure below was derived by hand from the rows, order by order (see the
// comments), not computed by the code under test.
func TestBoundaryFixture(t *testing.T) {
	db := loadFixture(t, "testdata/boundary")

	t.Run("total_after_the_month", func(t *testing.T) {
		r := compute(t, db, "2024-05", "2024-06-20", metrics.ByTotal)
		if len(r.Groups) != 1 || r.Groups[0].Key != "total" {
			t.Fatalf("groups %+v", r.Groups)
		}
		g := &r.Groups[0]
		check(t, g, want{
			// 20 effective orders (O13 returned, O15 cancelled); fail: O02 signed at SLA+1s,
			// O04 signed 5m01s before dispatch, O07 never signed, O20 signed after T.
			"sign_rate": {16, 20, 0},
			// onsite: O05 (紧急 城区, exactly 5 min) ok; O06 (紧急 农村, 10m01s) and O07 (never) fail.
			"arrival_rate": {1, 3, 0},
			// O12 (疑难, due after T) pending; fail: O07 and O20 (overdue, not done),
			// O09 (done due+1s), O19 (closed before T but feedback after T).
			"closure_rate": {15, 19, 1},
			// done by T: 16; 已化解 13; O09 部分化解 and O10 未化解 count 0, O11 has no outcome.
			"resolution_rate": {13, 16, 4},
			// valid diverted calls of May: 10; repeated: C03 (exactly 7 days, +86 prefix),
			// C07 (same address key only), C19 (repeat in June). Not: C01 (exactly 30 min),
			// C05 (7 days + 1 s), C09 (masked phone), C13 (repeat call invalid).
			"repeat_rate": {3, 10, 0},
			// valid calls 17 (C11, C14 invalid), diverted 10 (C15's only order cancelled).
			"diversion_ratio": {10, 17, 0},
			// valid 非警务 15 (C15 刑事, C16 explicitly 警务; C12 unknown category → 非警务).
			"nonpolice_diversion_ratio": {9, 15, 0},
			// O14 满意, O17 基本满意 without revisit: num; O16 不满意; O18 revisited after T: pending.
			"satisfaction_rate": {2, 3, 17},
			// 21 not cancelled, O13 returned.
			"return_rate": {1, 21, 0},
		})
		c := g.Counts
		if c != (metrics.Counts{Calls: 19, ValidCalls: 17, NonpoliceCalls: 15, DivertedCalls: 10, Orders: 22,
			EffectiveOrders: 20, ReturnedOrders: 1, OverdueOrders: 3, OutOfOrder: 1, DoneNoOutcome: 1,
			UnknownDepartment: 1, UnknownCategory: 1}) {
			t.Errorf("counts %+v", c)
		}
		// Minutes to sign: 18 signed by T in order; O03 (−4 min) counts 0; the median is 10.
		if d := g.Durations; d.SignMedianMin == nil || *d.SignMedianMin != 10 {
			t.Errorf("sign median %v", d.SignMedianMin)
		}
	})

	t.Run("total_early", func(t *testing.T) {
		// As of 2024-05-20 00:00: orders and calls after T do not exist yet.
		r := compute(t, db, "2024-05", "2024-05-20", metrics.ByTotal)
		check(t, r.Group("total"), want{
			"sign_rate":         {13, 15, 0},
			"closure_rate":      {14, 15, 0},
			"satisfaction_rate": {2, 3, 12},
			// C09 and C13: windows still open and no repeat yet: pending.
			"repeat_rate":     {2, 4, 2},
			"diversion_ratio": {6, 13, 0},
		})
		if c := r.Group("total").Counts; c.Orders != 17 || c.Calls != 15 {
			t.Errorf("counts at T: %+v", c)
		}
	})

	t.Run("by_department", func(t *testing.T) {
		r := compute(t, db, "2024-05", "2024-06-20", metrics.ByDepartment)
		keys := []string{}
		for _, g := range r.Groups {
			keys = append(keys, g.Key+"/"+string(g.Kind))
		}
		wantKeys := []string{"住建局/职能部门", "市场监管局/职能部门", "枫桥镇社会治理中心/乡镇街道", "某某办公室/其他"}
		if len(keys) != len(wantKeys) {
			t.Fatalf("groups %v, want %v", keys, wantKeys)
		}
		for i := range keys {
			if keys[i] != wantKeys[i] {
				t.Errorf("group %d = %s, want %s", i, keys[i], wantKeys[i])
			}
		}
		// Aliases: O08 (市场监督管理局) and O12 (枫桥镇) are counted under their names.
		check(t, r.Group("市场监管局"), want{"sign_rate": {9, 11, 0}, "repeat_rate": {2, 6, 0}, "return_rate": {1, 12, 0}})
		check(t, r.Group("住建局"), want{"sign_rate": {4, 6, 0}, "repeat_rate": {0, 3, 0}, "arrival_rate": {1, 3, 0}})
		check(t, r.Group("枫桥镇社会治理中心"), want{"sign_rate": {2, 2, 0}, "repeat_rate": {1, 1, 0}, "closure_rate": {1, 1, 1}})
		// C11 is invalid: its department has no repeat population. Order-only grouping:
		// the call-based ratios are empty.
		check(t, r.Group("某某办公室"), want{"sign_rate": {1, 1, 0}, "repeat_rate": {0, 0, 0}, "diversion_ratio": {0, 0, 0}})
		if r.Group("市场监管局").Counts.Calls != 0 {
			t.Error("order-only grouping counted calls")
		}
	})

	t.Run("by_town", func(t *testing.T) {
		r := compute(t, db, "2024-05", "2024-06-20", metrics.ByTown)
		for key, w := range map[string][2]int64{"枫桥镇": {11, 9}, "府山街道": {8, 5}, "未知": {0, 8}} {
			g := r.Group(key)
			if g == nil || g.Counts.Calls != w[0] || g.Counts.Orders != w[1] {
				t.Errorf("%s: %+v, want %d calls %d orders", key, g, w[0], w[1])
			}
		}
	})

	t.Run("call_only_grouping", func(t *testing.T) {
		r := compute(t, db, "2024-05", "2024-06-20", metrics.ByPoliceStation)
		// 府山派出所: C09–C14 and C16; valid C09, C10, C12, C13, C16; diverted C09, C13, C16.
		g := r.Group("府山派出所")
		check(t, g, want{"sign_rate": {0, 0, 0}, "diversion_ratio": {3, 5, 0}})
		if g.Counts.Orders != 0 || g.Counts.Calls != 7 {
			t.Errorf("counts %+v", g.Counts)
		}
		if r.Group("未知") == nil {
			t.Error("C15 has no police station: it belongs to 未知")
		}
	})

	t.Run("empty_period_has_one_total_group", func(t *testing.T) {
		r := compute(t, db, "2023-01", "2024-06-20", metrics.ByTotal)
		if len(r.Groups) != 1 || r.Groups[0].Key != "total" || r.Groups[0].Indicators["sign_rate"].Rate() != nil {
			t.Errorf("groups %+v", r.Groups)
		}
		if r := compute(t, db, "2023-01", "2024-06-20", metrics.ByDepartment); len(r.Groups) != 0 {
			t.Errorf("by department in an empty period: %d groups", len(r.Groups))
		}
	})

	t.Run("rate_is_null_when_den_is_0", func(t *testing.T) {
		r := compute(t, db, "2024-05", "2024-06-20", metrics.ByDepartment)
		if r.Group("某某办公室").Indicators["repeat_rate"].Rate() != nil {
			t.Error("a rate with den 0 must be null")
		}
	})
}

// A call with several effective orders counts once per group of its orders for
// repeat_rate: twice to one department under two aliases is once; two
// departments of one kind are once for the kind.
func TestRepeatGroupsCountACallOncePerGroup(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"departments.csv", "categories.csv"} {
		b, _ := os.ReadFile(filepath.Join("testdata/boundary", f))
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "calls.csv"), []byte("警情编号,报警时间,报警电话,事发地址,所属区县,所属乡镇街道,管辖单位,警情类别,警情性质,是否有效\n"+
		"M1,2024-05-10 08:00:00,13800000001,诸暨市枫桥镇A路1号,诸暨市,枫桥镇,枫桥派出所,纠纷,,是\n"+
		"M2,2024-05-11 08:00:00,13800000002,诸暨市枫桥镇B路2号,诸暨市,枫桥镇,枫桥派出所,纠纷,,是\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "orders.csv"), []byte("工单编号,警情编号,来源,派单时间,承办单位,紧急程度,区域类型,是否需到场,难易程度,签收时间,到场时间,反馈时间,办结时间,工单状态,退回时间,化解结果,回访时间,回访结果\n"+
		"O1,M1,,2024-05-10 08:10:00,市场监管局,,,否,,,,,,,,,,\n"+
		"O2,M1,,2024-05-10 08:20:00,市场监督管理局,,,否,,,,,,,,,,\n"+
		"O3,M1,,2024-05-10 08:30:00,住建局,,,否,,,,,,,,,,\n"+
		"O4,M2,,2024-05-11 08:10:00,住建局,,,否,,,,,,,,,,\n"), 0o644)
	db := loadFixture(t, dir)
	pop := func(g *metrics.Group) int64 {
		r := g.Indicators[metrics.RepeatRate]
		return r.Den + r.Pending
	}
	byDept := compute(t, db, "2024-05", "2024-07-01", metrics.ByDepartment)
	for k, want := range map[string]int64{"市场监管局": 1, "住建局": 2} {
		if g := byDept.Group(k); g == nil || pop(g) != want {
			t.Errorf("%s: repeat_rate population %v, want %d", k, g, want)
		}
	}
	if g := compute(t, db, "2024-05", "2024-07-01", metrics.ByKind).Group("职能部门"); g == nil || pop(g) != 2 {
		t.Errorf("职能部门: repeat_rate population %v, want 2 (M1 once, M2)", g)
	}
	if g := compute(t, db, "2024-05", "2024-07-01", metrics.ByTotal).Group("total"); pop(g) != 2 {
		t.Errorf("total: repeat_rate population %d, want 2", pop(g))
	}
}

// TestCompareAtTheSameMaturity: on the hand-built fixture, May as of 5 June is set
// against April as of 5 May (four days after each end) and May 2023 as of 5 June
// 2023, or all at T when settled; April (one call against May's 19) and May 2023
// (no data) are not comparable, and say why.
func TestCompareAtTheSameMaturity(t *testing.T) {
	db := loadFixture(t, "testdata/boundary")
	s := metrics.New(db, metrics.DefaultConfig(), nil)
	may, _ := period.Parse("2024-05")
	asOf := time.Date(2024, 6, 5, 0, 0, 0, 0, time.UTC)
	c, err := s.Compare(context.Background(), metrics.Query{Period: may, AsOf: asOf, By: metrics.ByTotal})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Prev.AsOf.Equal(time.Date(2024, 5, 5, 0, 0, 0, 0, time.UTC)) || !c.YearAgo.AsOf.Equal(time.Date(2023, 6, 5, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("T′: %s and %s", c.Prev.AsOf, c.YearAgo.AsOf)
	}
	if c.PrevNote != "对比期警情1起，不足本期19起的一半" || c.YearAgoNote != "对比期无数据" {
		t.Errorf("notes %q, %q", c.PrevNote, c.YearAgoNote)
	}
	settled, err := s.Compare(context.Background(), metrics.Query{Period: may, AsOf: asOf, By: metrics.ByTotal, Compare: metrics.Settled})
	if err != nil {
		t.Fatal(err)
	}
	if !settled.Prev.AsOf.Equal(asOf) || !settled.YearAgo.AsOf.Equal(asOf) {
		t.Errorf("settled T′: %s and %s", settled.Prev.AsOf, settled.YearAgo.AsOf)
	}
	// The week of 20 May against the week before: comparable, as of a week earlier.
	w20, _ := period.Parse("2024-W20")
	wc, err := s.Compare(context.Background(), metrics.Query{Period: w20, AsOf: time.Date(2024, 5, 21, 9, 0, 0, 0, time.UTC), By: metrics.ByTotal})
	if err != nil {
		t.Fatal(err)
	}
	if !wc.Prev.AsOf.Equal(time.Date(2024, 5, 14, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("the week before as of %s", wc.Prev.AsOf)
	}
}
