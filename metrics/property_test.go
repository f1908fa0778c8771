package metrics_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/etl"
	"github.com/fenliu/fenliu/etl/synth"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
)

func generated(t *testing.T) string { return generatedB(t) }

func generatedB(t testing.TB) string {
	dir := t.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Calls: 20000, From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		To: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC), Seed: 42}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Properties on generated data: num ≤ den; a rate is null exactly when den is 0;
// for every order indicator, den + pending is the eligible population and does not
// depend on T once T is after the period (repeat_rate's is not, SPEC §8); the
// departments' order counts add up to the total.
func TestProperties(t *testing.T) {
	db := loadFixture(t, generated(t))
	orderIDs := []domain.IndicatorID{"sign_rate", "closure_rate", "resolution_rate", "satisfaction_rate", "arrival_rate"}
	var first map[domain.IndicatorID]int64
	for _, asOf := range []string{"2024-04-01", "2024-04-09 12:00", "2024-05-01", "2024-07-01"} {
		r := compute(t, db, "2024-03", asOf, metrics.ByTotal)
		g := r.Group("total")
		for id, x := range g.Indicators {
			if x.Num > float64(x.Den) || x.Num < 0 || x.Pending < 0 {
				t.Errorf("as of %s: %s = %v/%d pending %d", asOf, id, x.Num, x.Den, x.Pending)
			}
			if (x.Rate() == nil) != (x.Den == 0) {
				t.Errorf("%s: rate %v with den %d", id, x.Rate(), x.Den)
			}
		}
		pop := map[domain.IndicatorID]int64{}
		for _, id := range orderIDs {
			pop[id] = g.Indicators[id].Den + g.Indicators[id].Pending
		}
		if pop["sign_rate"] != g.Counts.EffectiveOrders {
			t.Errorf("as of %s: sign den+pending %d, effective orders %d", asOf, pop["sign_rate"], g.Counts.EffectiveOrders)
		}
		if first == nil {
			first = pop
		} else if !reflect.DeepEqual(pop, first) {
			t.Errorf("as of %s: populations %v, at the first T %v", asOf, pop, first)
		}
		if asOf == "2024-07-01" {
			// Long after the month every window has ended: nothing is pending but
			// what is genuinely unknown (no satisfaction recorded).
			for _, id := range []domain.IndicatorID{"sign_rate", "arrival_rate", "closure_rate", "repeat_rate"} {
				if p := g.Indicators[id].Pending; p != 0 {
					t.Errorf("%s pending %d three months after the period", id, p)
				}
			}
		}
	}
	total := compute(t, db, "2024-03", "2024-05-01", metrics.ByTotal).Group("total")
	var orders, eff int64
	var sign metrics.Ratio
	for _, g := range compute(t, db, "2024-03", "2024-05-01", metrics.ByDepartment).Groups {
		orders += g.Counts.Orders
		eff += g.Counts.EffectiveOrders
		sign.Num += g.Indicators["sign_rate"].Num
		sign.Den += g.Indicators["sign_rate"].Den
	}
	if orders != total.Counts.Orders || eff != total.Counts.EffectiveOrders || sign.Num != total.Indicators["sign_rate"].Num || sign.Den != total.Indicators["sign_rate"].Den {
		t.Errorf("departments add up to %d orders, %d effective, sign %v/%d; total %+v", orders, eff, sign.Num, sign.Den, total.Counts)
	}
	if total.Counts.Orders < 500 {
		t.Fatalf("only %d orders in the month: the properties prove little", total.Counts.Orders)
	}
}

// The same files loaded in another order give the same figures.
func TestLoadOrderDoesNotMatter(t *testing.T) {
	dir := generated(t)
	a := loadFixture(t, dir, "calls.csv", "orders.csv")
	b := loadFixture(t, dir, "orders.csv", "calls.csv")
	for _, by := range []metrics.By{metrics.ByTotal, metrics.ByDepartment, metrics.ByTown} {
		ra, rb := compute(t, a, "2024-04", "2024-06-01", by), compute(t, b, "2024-04", "2024-06-01", by)
		if !reflect.DeepEqual(ra.Groups, rb.Groups) {
			t.Errorf("by %s: results differ with the load order", by)
		}
	}
}

func TestPartialCreditAndCompare(t *testing.T) {
	db := loadFixture(t, "testdata/boundary")
	cfg := metrics.DefaultConfig()
	cfg.PartialCredit = 0.5
	p, _ := period.Parse("2024-05")
	at := time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)
	r, err := metrics.New(db, cfg, nil).Compute(context.Background(), metrics.Query{Period: p, AsOf: at, By: metrics.ByTotal})
	if err != nil {
		t.Fatal(err)
	}
	// O09 部分化解 now adds 0.5.
	if got := r.Group("total").Indicators["resolution_rate"]; got.Num != 13.5 || got.Den != 16 {
		t.Errorf("resolution with partial credit 0.5: %+v", got)
	}
	cmp, err := metrics.New(db, metrics.DefaultConfig(), nil).Compare(context.Background(), metrics.Query{Period: p, AsOf: at, By: metrics.ByTotal})
	if err != nil {
		t.Fatal(err)
	}
	if cmp.Prev.Period.String() != "2024-04" || cmp.YearAgo.Period.String() != "2023-05" {
		t.Errorf("compared with %s and %s", cmp.Prev.Period, cmp.YearAgo.Period)
	}
	// April has one call (C21) and no orders: sign_rate has no previous rate.
	prev := cmp.Prev.Group("total")
	if prev == nil || prev.Counts.Calls != 1 {
		t.Fatalf("April: %+v", prev)
	}
	if d := metrics.PointsChange(cmp.Current.Group("total").Indicators["sign_rate"], prev.Indicators["sign_rate"]); d != nil {
		t.Errorf("sign_rate change against an empty month: %v, want none", *d)
	}
	if d := metrics.PercentChange(19, prev.Counts.Calls); d == nil || *d != 1800 {
		t.Errorf("calls change %v, want +1800 %%", d)
	}
	if d := metrics.PointsChange(metrics.Ratio{Num: 9, Den: 10}, metrics.Ratio{Num: 8, Den: 10}); d == nil || *d < 9.999 || *d > 10.001 {
		t.Errorf("90%% vs 80%%: %v, want +10 points", d)
	}
}

// A later load changes the figures: the derived per-call facts follow the loads
// and the repeat settings.
func TestDerivedFactsFollowLoadsAndSettings(t *testing.T) {
	db := loadFixture(t, "testdata/boundary", "calls.csv")
	before := compute(t, db, "2024-05", "2024-06-20", metrics.ByTotal).Group("total")
	if x := before.Indicators["diversion_ratio"]; x.Num != 0 || x.Den != 17 {
		t.Fatalf("calls only: diversion %+v", x)
	}
	loadFixtureInto(t, db, "testdata/boundary", "orders.csv")
	after := compute(t, db, "2024-05", "2024-06-20", metrics.ByTotal).Group("total")
	if x := after.Indicators["diversion_ratio"]; x.Num != 10 || x.Den != 17 {
		t.Errorf("after loading the orders: diversion %+v, want 10/17", x)
	}
	// A re-export with nothing new (the same rows, other bytes) changes neither
	// table: the facts need no rebuild, and stay fresh.
	ctx := context.Background()
	orders, _ := os.ReadFile("testdata/boundary/orders.csv")
	again := filepath.Join(t.TempDir(), "orders_again.csv")
	os.WriteFile(again, append(orders, '\n'), 0o644)
	acc, err := etl.Load(ctx, db, again, etl.Options{Secret: []byte("metrics-test-secret-0123"), Zone: shanghai,
		Now: time.Date(2030, 1, 1, 0, 0, 0, 0, shanghai), TempDir: t.TempDir()})
	if err != nil || acc.Inserted+acc.Updated != 0 || acc.Unchanged == 0 {
		t.Fatalf("re-export: %+v %v", acc, err)
	}
	if how, err := metrics.Refresh(ctx, db, metrics.DefaultConfig(), nil); err != nil || how != metrics.AlreadyFresh {
		t.Errorf("a load that changed nothing refreshed the facts: %v %v", how, err)
	}
	if fresh, _ := metrics.New(db, metrics.DefaultConfig(), nil).Fresh(ctx); !fresh {
		t.Error("the facts are stale after a load that changed nothing")
	}
	// same_incident of 3 hours: C07's repeat two hours later is now the same incident.
	cfg := metrics.DefaultConfig()
	cfg.SameIncident = 3 * time.Hour
	p, _ := period.Parse("2024-05")
	q := metrics.Query{Period: p, AsOf: time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC), By: metrics.ByTotal}
	// A computation only reads: under other settings it refuses the facts built
	// for the old ones, until they are refreshed.
	if _, err := metrics.New(db, cfg, nil).Compute(context.Background(), q); !errors.Is(err, metrics.ErrStale) {
		t.Fatalf("settings changed: %v, want ErrStale", err)
	}
	if how, err := metrics.Refresh(ctx, db, cfg, nil); err != nil || how != metrics.Rebuilt {
		t.Fatalf("refresh after a settings change: %v %v, want a full rebuild", how, err)
	}
	r, err := metrics.New(db, cfg, nil).Compute(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	if x := r.Group("total").Indicators["repeat_rate"]; x.Num != 2 || x.Den != 10 {
		t.Errorf("same_incident 3h: repeat %+v, want 2/10", x)
	}
}

// ComputeMonths gives, month by month, exactly what Compute gives for each month
// at the same T, in every grouping — with exemptions in force, on a half-year of
// generated data read at a T inside the last month.
func TestComputeMonthsIsComputeEachMonth(t *testing.T) {
	db := loadFixture(t, generated(t))
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `INSERT INTO exemptions SELECT row_number() OVER (), 'order', order_id, ['sign_rate', 'closure_rate'], '错派', '张三', TIMESTAMP '2024-01-01', NULL, NULL, NULL
		FROM orders USING SAMPLE 50 ROWS (reservoir, 7)`); err != nil {
		t.Fatal(err)
	}
	store := metrics.New(db, metrics.DefaultConfig(), nil)
	asOf := time.Date(2024, 6, 20, 9, 0, 0, 0, time.UTC)
	half := period.Period{Kind: period.Month, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)}
	for _, by := range metrics.Groupings {
		months, err := store.ComputeMonths(ctx, metrics.Query{Period: half, AsOf: asOf, By: by})
		if err != nil {
			t.Fatal(err)
		}
		if len(months) != 6 {
			t.Fatalf("%s: %d months", by, len(months))
		}
		for i, got := range months {
			m := period.OfMonth(2024, time.Month(i+1))
			want, err := store.Compute(ctx, metrics.Query{Period: m, AsOf: asOf, By: by})
			if err != nil {
				t.Fatal(err)
			}
			if got.Period != m || !reflect.DeepEqual(got.Groups, want.Groups) {
				t.Errorf("%s %s: one pass and a pass a month differ:\n%+v\n%+v", by, m, got.Groups, want.Groups)
			}
		}
	}
}

// TestComputeAllIsComputeEach: wants counted together (every grouping, over a
// month and over half a year by month; 20 wants, so three passes of up to
// queries.MaxSlots) give what each gives alone, exemptions in force.
func TestComputeAllIsComputeEach(t *testing.T) {
	db := loadFixture(t, generated(t))
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `INSERT INTO exemptions SELECT row_number() OVER (), 'order', order_id, ['sign_rate', 'closure_rate'], '错派', '张三', TIMESTAMP '2024-01-01', NULL, NULL, NULL
		FROM orders USING SAMPLE 50 ROWS (reservoir, 7);
		INSERT INTO exemptions SELECT 100 + row_number() OVER (), 'call', call_id, ['repeat_rate', 'diversion_ratio'], '重复', '李四', TIMESTAMP '2024-01-01', NULL, NULL, NULL
		FROM calls USING SAMPLE 50 ROWS (reservoir, 8)`); err != nil {
		t.Fatal(err)
	}
	store := metrics.New(db, metrics.DefaultConfig(), nil)
	asOf := time.Date(2024, 6, 20, 9, 0, 0, 0, time.UTC)
	may := period.OfMonth(2024, 5)
	half := period.Period{Kind: period.Month, Start: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)}
	var wants []metrics.Want
	for _, by := range metrics.Groupings {
		wants = append(wants, metrics.Want{Period: may, By: by}, metrics.Want{Period: half, By: by, Months: true})
	}
	all, err := store.ComputeAll(ctx, asOf, wants)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(wants) {
		t.Fatalf("%d results for %d wants", len(all), len(wants))
	}
	for i, w := range wants {
		var alone []*metrics.Result
		if w.Months {
			alone, err = store.ComputeMonths(ctx, metrics.Query{Period: w.Period, AsOf: asOf, By: w.By})
		} else {
			var r *metrics.Result
			r, err = store.Compute(ctx, metrics.Query{Period: w.Period, AsOf: asOf, By: w.By})
			alone = []*metrics.Result{r}
		}
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(all[i], alone) {
			t.Errorf("%s %s (months %v): together and alone differ:\n%+v\n%+v", w.By, w.Period, w.Months, all[i][0].Groups, alone[0].Groups)
		}
		if len(alone[0].Groups) == 0 {
			t.Errorf("%s %s: no groups: the comparison proves nothing", w.By, w.Period)
		}
	}
}
