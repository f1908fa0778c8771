package metrics_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
)

// TestSettledIsCounted: a computation that reads settled months (their settled
// figures, plus their late records counted at T) gives exactly what counting
// every month from the records gives — at T before, at and after the months'
// cuts and the exemptions' times, for wants split by month or added up (a year,
// a quarter; a week and a day, which read none), for wants
// that start before the data, with
// exemptions approved and revoked early and late, after an exemption added
// without a refresh (its month is counted again), and after the dictionaries
// changed (nothing settled is read until the next refresh).
func TestSettledIsCounted(t *testing.T) {
	db := loadFixture(t, generated(t)) // 2024-01 to 2024-06
	ctx := context.Background()
	// Exemptions approved before their month's cut, after it, and revoked.
	if _, err := db.ExecContext(ctx, `
		INSERT INTO exemptions SELECT row_number() OVER (), 'order', order_id, ['sign_rate', 'closure_rate', 'satisfaction_rate'], '错派', '张三',
			TIMESTAMP '2024-02-01', NULL, NULL, NULL FROM orders USING SAMPLE 40 ROWS (reservoir, 7);
		INSERT INTO exemptions SELECT 100 + row_number() OVER (), 'order', order_id, ['arrival_rate', 'resolution_rate'], '不可抗力', '张三',
			TIMESTAMP '2024-05-10', TIMESTAMP '2024-06-02', '王五', '复核' FROM orders USING SAMPLE 40 ROWS (reservoir, 9);
		INSERT INTO exemptions SELECT 200 + row_number() OVER (), 'call', call_id, ['repeat_rate', 'diversion_ratio', 'nonpolice_diversion_ratio'], '重复', '李四',
			TIMESTAMP '2024-04-20', NULL, NULL, NULL FROM calls USING SAMPLE 60 ROWS (reservoir, 8)`); err != nil {
		t.Fatal(err)
	}
	// Calls given a second order by another department long after the first: late
	// through that order alone (repeat_groups counts the call under its department
	// from its dispatch on).
	if _, err := db.ExecContext(ctx, `INSERT INTO orders SELECT * REPLACE (order_id || '-2' AS order_id,
			(SELECT max(department) FROM orders) AS department,
			dispatched_at + INTERVAL 75 DAY AS dispatched_at, signed_at + INTERVAL 75 DAY AS signed_at,
			arrived_at + INTERVAL 75 DAY AS arrived_at, feedback_at + INTERVAL 75 DAY AS feedback_at,
			closed_at + INTERVAL 75 DAY AS closed_at, revisited_at + INTERVAL 75 DAY AS revisited_at)
		FROM orders WHERE call_id IN (SELECT call_id FROM order_calls WHERE call_received_at < TIMESTAMP '2024-03-01' ORDER BY call_id LIMIT 30)`); err != nil {
		t.Fatal(err)
	}
	if err := metrics.RebuildAll(ctx, db, metrics.DefaultConfig(), nil); err != nil {
		t.Fatal(err)
	}
	var lateOrders, lateCalls int
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM settled_late_orders), (SELECT count(*) FROM settled_late_calls)`).Scan(&lateOrders, &lateCalls); err != nil {
		t.Fatal(err)
	}
	var lateByOrders int
	if err := db.QueryRow(`SELECT count(*) FROM settled_late_calls
		WHERE greatest(received_at + INTERVAL 7 DAY, first_dispatch_at) < date_trunc('month', received_at) + INTERVAL 2 MONTH
			AND call_id NOT IN (SELECT record_id FROM exemptions)`).Scan(&lateByOrders); err != nil {
		t.Fatal(err)
	}
	t.Logf("late: %d orders, %d calls (%d through a later order only)", lateOrders, lateCalls, lateByOrders)
	if lateOrders == 0 || lateCalls == 0 || lateByOrders == 0 {
		t.Fatalf("late orders %d, calls %d: the late records are not exercised", lateOrders, lateCalls)
	}
	store := metrics.New(db, metrics.DefaultConfig(), nil)
	month := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	at := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02 15:04:05", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	var wants []metrics.Want
	for _, by := range metrics.SettledGroupings() {
		wants = append(wants,
			metrics.Want{Period: period.Period{Kind: period.Month, Start: month(2024, 1), End: month(2024, 7)}, By: by, Months: true},
			metrics.Want{Period: period.Period{Kind: period.Month, Start: month(2023, 10), End: month(2024, 4)}, By: by, Months: true},
			metrics.Want{Period: period.Period{Kind: period.Year, Start: month(2024, 1), End: month(2025, 1)}, By: by},
			metrics.Want{Period: period.Period{Kind: period.Quarter, Start: month(2024, 1), End: month(2024, 4)}, By: by})
	}
	wants = append(wants, metrics.Want{Period: period.OfMonth(2024, 5), By: metrics.ByDepartment},
		metrics.Want{Period: period.Period{Kind: period.Week, Start: time.Date(2024, 2, 26, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)}, By: metrics.ByTown},
		metrics.Want{Period: period.Period{Kind: period.Day, Start: month(2024, 3), End: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)}, By: metrics.ByTotal})
	check := func(label string, asOfs []time.Time, minSettled int) {
		t.Helper()
		read := 0
		for _, asOf := range asOfs {
			n, err := store.SettledMonthsAt(ctx, asOf, month(2024, 1))
			if err != nil {
				t.Fatal(err)
			}
			read += n
			got, err := store.ComputeAll(ctx, asOf, wants)
			if err != nil {
				t.Fatal(err)
			}
			restore := metrics.ReadSettled(false)
			want, err := store.ComputeAll(ctx, asOf, wants)
			restore()
			if err != nil {
				t.Fatal(err)
			}
			for i := range wants {
				if !reflect.DeepEqual(got[i], want[i]) {
					for j := range got[i] {
						if !reflect.DeepEqual(got[i][j], want[i][j]) {
							t.Fatalf("%s, T %s, %s %s: settled and counted differ:\n%+v\n%+v", label, asOf, wants[i].By, want[i][j].Period,
								got[i][j].Groups, want[i][j].Groups)
						}
					}
					t.Fatalf("%s, T %s, %s: settled and counted differ", label, asOf, wants[i].By)
				}
			}
		}
		if read < minSettled {
			t.Fatalf("%s: %d months read settled, want at least %d: the comparison proves little", label, read, minSettled)
		}
	}
	// Just before and at January's cut; April's exemptions; a revocation; past
	// every cut but June's; past all.
	asOfs := []time.Time{at("2024-02-29 23:59:59"), at("2024-03-01 00:00:00"), at("2024-05-10 00:00:00"),
		at("2024-06-02 00:00:00"), at("2024-08-01 00:00:00"), at("2025-01-01 00:00:00")}
	check("after the refresh", asOfs, 20)

	// An exemption added without a refresh: its month is counted, not read.
	if _, err := db.ExecContext(ctx, `INSERT INTO exemptions SELECT 900, 'order', order_id, ['sign_rate'], '错派', '张三', TIMESTAMP '2024-03-05', NULL, NULL, NULL
		FROM orders WHERE dispatched_at >= TIMESTAMP '2024-02-01' ORDER BY order_id LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	n, err := store.SettledMonthsAt(ctx, at("2024-08-01 00:00:00"), month(2024, 1))
	if err != nil {
		t.Fatal(err)
	}
	if n != 11 { // every month of the year but the exempted order's
		t.Errorf("after an exemption: %d months read settled, want 11", n)
	}
	check("after an exemption, not refreshed", asOfs, 20)
	if _, err := metrics.Refresh(ctx, db, metrics.DefaultConfig(), nil); err != nil {
		t.Fatal(err)
	}
	check("after an exemption, refreshed", asOfs, 20)

	// Other dictionaries: nothing settled is read until the next refresh.
	if _, err := db.ExecContext(ctx, `UPDATE dict_departments SET kind = '其他' WHERE name IN (SELECT name FROM dict_departments ORDER BY name LIMIT 3)`); err != nil {
		t.Fatal(err)
	}
	check("other dictionaries, not refreshed", asOfs, 0)
	if n, err := store.SettledMonthsAt(ctx, at("2025-01-01 00:00:00"), month(2024, 1)); err != nil || n != 0 {
		t.Errorf("other dictionaries: %d months read settled (%v), want none", n, err)
	}
	if _, err := metrics.Refresh(ctx, db, metrics.DefaultConfig(), nil); err != nil {
		t.Fatal(err)
	}
	check("other dictionaries, refreshed", asOfs, 20)
}

// TestSettledFollowsAnUpdate: an update counts again the months whose figures its
// rows can change. Small loads, each confined to a month or two of a half year —
// calls without orders given another category, orders without calls given
// another status, a call moved to another month, an order moved to another month
// or to a call of another month, a new call that makes an unchanged call of the
// month before a repeat — leave the settled figures and late records exactly as
// counting them all anew does.
func TestSettledFollowsAnUpdate(t *testing.T) {
	dir := generated(t) // 2024-01 to 2024-06
	calls, orders := readCSV(t, filepath.Join(dir, "calls.csv")), readCSV(t, filepath.Join(dir, "orders.csv"))
	ctx := context.Background()
	inc, full := emptyStore(t, dir), emptyStore(t, dir)
	for _, db := range []*sql.DB{inc, full} {
		loadBatch(t, db, filepath.Join(dir, "calls.csv"))
		loadBatch(t, db, filepath.Join(dir, "orders.csv"))
		if _, err := metrics.Refresh(ctx, db, metrics.DefaultConfig(), nil); err != nil {
			t.Fatal(err)
		}
	}
	callAt, callID, category, valid := column(calls, "报警时间"), column(calls, "警情编号"), column(calls, "警情类别"), column(calls, "是否有效")
	orderAt, orderCall, status := column(orders, "派单时间"), column(orders, "警情编号"), column(orders, "工单状态")
	withOrders := map[string]bool{}
	for _, r := range orders[1:] {
		withOrders[r[orderCall]] = true
	}
	// pick: the first n rows of a month that keep.
	pick := func(rows [][]string, at int, month string, n int, keep func([]string) bool) []int {
		var out []int
		for i := 1; i < len(rows) && len(out) < n; i++ {
			if strings.HasPrefix(rows[i][at], month) && keep(rows[i]) {
				out = append(out, i)
			}
		}
		if len(out) < n {
			t.Fatalf("%d rows of %s, want %d", len(out), month, n)
		}
		return out
	}
	set := func(col int, v string) func([]string) []string {
		return func(r []string) []string { r[col] = v; return r }
	}
	january := calls[pick(calls, callAt, "2024-01", 1, func([]string) bool { return true })[0]][callID]
	batches := []string{
		writeBatch(t, "march_calls", calls, pick(calls, callAt, "2024-03", 4, func(r []string) bool { return !withOrders[r[callID]] }),
			set(category, calls[1][category]+"X")),
		writeBatch(t, "april_orders", orders, pick(orders, orderAt, "2024-04", 4, func(r []string) bool { return r[orderCall] == "" }),
			set(status, "已退回")),
		writeBatch(t, "february_call_to_may", calls, pick(calls, callAt, "2024-02", 1, func(r []string) bool { return !withOrders[r[callID]] }),
			set(callAt, "2024-05-15 10:00:00")),
		writeBatch(t, "may_order_to_june", orders, pick(orders, orderAt, "2024-05", 1, func(r []string) bool { return r[orderCall] == "" }),
			set(orderAt, "2024-06-10 10:00:00")),
		writeBatch(t, "june_order_to_january", orders, pick(orders, orderAt, "2024-06", 1, func(r []string) bool { return r[orderCall] != "" }),
			set(orderCall, january)),
		// A new call in April, two days after a diverted call of the end of March
		// with the same caller and category: the March call is now repeated, its
		// month's figures change, though no row of March changed.
		writeBatch(t, "april_repeats_march", calls, pick(calls, callAt, "2024-03-3", 1, func(r []string) bool {
			return withOrders[r[callID]] && r[valid] == "是"
		}), func(r []string) []string {
			at, err := time.Parse("2006-01-02 15:04:05", r[callAt])
			if err != nil {
				t.Fatal(err)
			}
			r[callID] += "R"
			r[callAt] = at.AddDate(0, 0, 2).Format("2006-01-02 15:04:05")
			return r
		}),
	}
	for _, f := range batches {
		for _, db := range []*sql.DB{inc, full} {
			loadBatch(t, db, f)
		}
		how, err := metrics.Refresh(ctx, inc, metrics.DefaultConfig(), nil)
		if err != nil || how != metrics.Updated {
			t.Fatalf("%s: refreshed %s (%v), want updated", filepath.Base(f), how, err)
		}
		if err := metrics.RebuildAll(ctx, full, metrics.DefaultConfig(), nil); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"settled_ot", "settled_ct", "settled_months", "settled_late_orders", "settled_late_calls", "settled_late_order_calls"} {
			a, b := tableRows(t, inc, table), tableRows(t, full, table)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("after %s: %s differs from counting anew:\n%s", filepath.Base(f), table, diffRows(a, b))
			}
		}
	}
}
