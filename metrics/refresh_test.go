package metrics_test

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fenliu/fenliu/etl"
	"github.com/fenliu/fenliu/etl/synth"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/queries"
)

// An incremental refresh leaves exactly what a full rebuild does. Random batches of
// calls and orders — samples of a generated city with overlaps, rows changed
// (another caller, address, category, validity, time, town; another call, status,
// department), the same id twice in a file, re-exports — are loaded in a random
// order into two stores: one refreshed as ingest does (an update of what the batch
// can have changed), the other rebuilt in full after each batch. After every batch
// every derived table, the settled figures (settled.go: the months the update
// touched counted again) and the figures by department and town must be the
// same.
func TestIncrementalRefreshIsAFullRebuild(t *testing.T) {
	dir, calls, orders := smallCity(t, 11)
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 99))
			inc, full := emptyStore(t, dir), emptyStore(t, dir)
			counts := map[metrics.Refreshed]int{}
			// The base: most of the city, loaded and built in full.
			batches := []string{
				writeBatch(t, "base_calls", calls, sample(rng, calls, 0.7), nil),
				writeBatch(t, "base_orders", orders, sample(rng, orders, 0.7), nil),
			}
			for i := 0; i < 12; i++ {
				if i%2 == 0 {
					batches = append(batches, writeBatch(t, fmt.Sprintf("calls_%d", i), calls, sample(rng, calls, 0.04+0.04*rng.Float64()),
						func(r []string) []string { return mutateCall(rng, calls, r) }))
				} else {
					batches = append(batches, writeBatch(t, fmt.Sprintf("orders_%d", i), orders, sample(rng, orders, 0.04+0.08*rng.Float64()),
						func(r []string) []string { return mutateOrder(rng, calls, orders, r) }))
				}
			}
			// Shuffle all but the base; re-export two batches later on.
			rest := batches[2:]
			rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
			batches = append(batches, rest[0], rest[3])
			for i, f := range batches {
				for _, db := range []*sql.DB{inc, full} {
					loadBatch(t, db, f)
				}
				how, err := metrics.Refresh(context.Background(), inc, metrics.DefaultConfig(), nil)
				if err != nil {
					t.Fatal(err)
				}
				counts[how]++
				if err := metrics.RebuildAll(context.Background(), full, metrics.DefaultConfig(), nil); err != nil {
					t.Fatal(err)
				}
				for _, table := range []string{"call_derived", "order_calls", "order_derived", "settled_ot", "settled_ct", "settled_months",
					"settled_late_orders", "settled_late_calls", "settled_late_order_calls"} {
					a, b := tableRows(t, inc, table), tableRows(t, full, table)
					if !reflect.DeepEqual(a, b) {
						t.Fatalf("after batch %d (%s, %s): %s differs from a full rebuild:\n%s", i, filepath.Base(f), how, table, diffRows(a, b))
					}
				}
				for _, by := range []metrics.By{metrics.ByDepartment, metrics.ByTown} {
					for _, p := range []string{"2024-02"} {
						a, b := compute(t, inc, p, "2024-02-20", by), compute(t, full, p, "2024-02-20", by)
						if !reflect.DeepEqual(a.Groups, b.Groups) {
							t.Fatalf("after batch %d (%s): the figures of %s by %s differ from a full rebuild's", i, filepath.Base(f), p, by)
						}
					}
				}
			}
			if counts[metrics.Updated] < 9 {
				t.Errorf("refreshes %v: want most batches updated, not rebuilt", counts)
			}
		})
	}
}

// TestRepeatHashCollisions: the next repeat candidates are matched on a 64-bit
// hash of key and category (derive/repeat_hash.sql) and, where two keys of the
// pairs found share a hash, again on the keys. With hashes made to collide on
// purpose — every key of a category alike, 61 buckets, one — every derived table
// equals the one built on DuckDB's hash, after a full rebuild and after the
// update of a later batch. Matched on such hashes alone, many calls would take
// another caller's call as their repeat: without the check on the keys this fails.
func TestRepeatHashCollisions(t *testing.T) {
	dir, calls, orders := smallCity(t, 5)
	rng := rand.New(rand.NewPCG(5, 7))
	batches := []string{
		writeBatch(t, "base_calls", calls, sample(rng, calls, 0.85), nil),
		writeBatch(t, "base_orders", orders, sample(rng, orders, 0.85), nil),
		writeBatch(t, "later_calls", calls, sample(rng, calls, 0.06), func(r []string) []string { return mutateCall(rng, calls, r) }),
	}
	// A repeat window of 60 days: the facts keep a next repeat only inside it, and
	// the small city has few calls of one key within the default 7 days.
	cfg := metrics.DefaultConfig()
	cfg.RepeatWindow = 60 * 24 * time.Hour
	build := func(t *testing.T) *sql.DB {
		db := emptyStore(t, dir)
		for i, f := range batches {
			loadBatch(t, db, f)
			if i == 0 {
				continue
			}
			how, err := metrics.Refresh(context.Background(), db, cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]metrics.Refreshed{true: metrics.Updated, false: metrics.Rebuilt}[i == 2]; how != want {
				t.Fatalf("batch %d: %s, want %s", i, how, want)
			}
		}
		return db
	}
	want := build(t)
	var repeats int
	if err := want.QueryRow(`SELECT count(next_repeat_at) FROM call_derived`).Scan(&repeats); err != nil || repeats < 20 {
		t.Fatalf("%d calls with a next repeat (%v): too few for collisions to matter", repeats, err)
	}
	for _, c := range []struct{ name, def string }{
		{"a category's keys alike", "hash(category)"},
		{"61 buckets", "hash(key, category) % 61"},
		{"one hash", "0::UBIGINT"},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer metrics.SetRepeatHash(c.def)()
			got := build(t)
			for _, table := range []string{"call_derived", "order_calls", "order_derived"} {
				if a, b := tableRows(t, got, table), tableRows(t, want, table); !reflect.DeepEqual(a, b) {
					t.Errorf("%s with colliding hashes differs:\n%s", table, diffRows(a, b))
				}
			}
		})
	}
}

// A load that changes a few rows is an update; a settings change, or a load that
// changes more than MaxUpdateShare of the rows, a full rebuild.
func TestRefreshChoosesUpdateOrRebuild(t *testing.T) {
	dir := generated(t)
	calls := readCSV(t, filepath.Join(dir, "calls.csv"))
	db := emptyStore(t, dir)
	ctx := context.Background()
	refresh := func(cfg metrics.Config) metrics.Refreshed {
		t.Helper()
		how, err := metrics.Refresh(ctx, db, cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		return how
	}
	rng := rand.New(rand.NewPCG(5, 5))
	loadBatch(t, db, filepath.Join(dir, "calls.csv"))
	if how := refresh(metrics.DefaultConfig()); how != metrics.Rebuilt {
		t.Errorf("the first load: %s, want rebuilt", how)
	}
	loadBatch(t, db, writeBatch(t, "few", calls, sample(rng, calls, 0.01), func(r []string) []string { return mutateCall(rng, calls, r) }))
	if how := refresh(metrics.DefaultConfig()); how != metrics.Updated {
		t.Errorf("a load of 1 %% of the calls: %s, want updated", how)
	}
	if how := refresh(metrics.DefaultConfig()); how != metrics.AlreadyFresh {
		t.Errorf("again: %s, want fresh", how)
	}
	loadBatch(t, db, filepath.Join(dir, "orders.csv")) // about a third more rows
	if how := refresh(metrics.DefaultConfig()); how != metrics.Rebuilt {
		t.Errorf("a load of more than %.0f %% of the rows: %s, want rebuilt", 100*metrics.MaxUpdateShare, how)
	}
	cfg := metrics.DefaultConfig()
	cfg.SignSLA["一般"] = 45 * time.Minute
	if how := refresh(cfg); how != metrics.Rebuilt {
		t.Errorf("another sign window: %s, want rebuilt", how)
	}
	// The facts keep a next repeat only inside the repeat window: another window
	// is another rule.
	cfg.RepeatWindow = 3 * 24 * time.Hour
	if how := refresh(cfg); how != metrics.Rebuilt {
		t.Errorf("another repeat window: %s, want rebuilt", how)
	}
	// Small loads are updates until, together since the last full rebuild, they
	// changed more than MaxUpdateShare of the rows: then the tables are rebuilt
	// (and sorted) again.
	var stored int64
	if err := db.QueryRow(`SELECT (SELECT count(*) FROM calls) + (SELECT count(*) FROM orders)`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	var since int64
	rebuilt := false
	for i := 0; i < 30 && !rebuilt; i++ {
		acc := loadBatch(t, db, writeBatch(t, fmt.Sprint("more_", i), calls, sample(rng, calls, 0.05), func(r []string) []string { return mutateCall(rng, calls, r) }))
		since += acc.Inserted + acc.Updated
		want := metrics.Updated
		if float64(since) > metrics.MaxUpdateShare*float64(stored) {
			want, rebuilt = metrics.Rebuilt, true
		}
		if how := refresh(cfg); how != want {
			t.Fatalf("after small loads that changed %d of %d rows since the last rebuild: %s, want %s", since, stored, how, want)
		}
	}
	if !rebuilt {
		t.Error("small loads never added up to a full rebuild")
	}
}

// smallCity generates two months of a city (3 000 calls) into a folder and
// returns it with the rows of its calls.csv and orders.csv.
func smallCity(t *testing.T, seed uint64) (dir string, calls, orders [][]string) {
	t.Helper()
	dir = t.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Calls: 3000, From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		To: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return dir, readCSV(t, filepath.Join(dir, "calls.csv")), readCSV(t, filepath.Join(dir, "orders.csv"))
}

func emptyStore(t *testing.T, dir string) *sql.DB {
	t.Helper()
	ctx := context.Background()
	db, err := queries.Open(ctx, filepath.Join(t.TempDir(), "r.duckdb"), queries.Options{Threads: 2, MemoryLimit: "1GB", Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := etl.LoadDictionaries(ctx, db, filepath.Join(dir, "departments.csv"), filepath.Join(dir, "categories.csv")); err != nil {
		t.Fatal(err)
	}
	return db
}

func loadBatch(t *testing.T, db *sql.DB, path string) etl.Accounting {
	t.Helper()
	acc, err := etl.Load(context.Background(), db, path, etl.Options{Secret: []byte("metrics-test-secret-0123"), Zone: shanghai,
		Now: time.Date(2030, 1, 1, 0, 0, 0, 0, shanghai), TempDir: t.TempDir()})
	if err != nil {
		t.Fatalf("load %s: %v", filepath.Base(path), err)
	}
	return acc
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// sample picks about share of the data rows (not the header), in random order,
// now and then one of them twice (the later copy wins within a file).
func sample(rng *rand.Rand, rows [][]string, share float64) []int {
	var picked []int
	for i := 1; i < len(rows); i++ {
		if rng.Float64() < share {
			picked = append(picked, i)
		}
	}
	rng.Shuffle(len(picked), func(i, j int) { picked[i], picked[j] = picked[j], picked[i] })
	if len(picked) > 2 && rng.IntN(2) == 0 {
		picked = append(picked, picked[0])
	}
	return picked
}

// writeBatch writes the picked rows under the header; mutate, when given, changes
// about a third of them.
func writeBatch(t *testing.T, name string, rows [][]string, picked []int, mutate func([]string) []string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(f)
	w.Write(rows[0])
	for n, i := range picked {
		r := append([]string(nil), rows[i]...)
		if mutate != nil && n%3 == 0 {
			r = mutate(r)
		}
		w.Write(r)
	}
	w.Flush()
	if err := errors.Join(w.Error(), f.Close()); err != nil {
		t.Fatal(err)
	}
	return path
}

// column finds a header's column.
func column(rows [][]string, name string) int {
	for i, h := range rows[0] {
		if h == name {
			return i
		}
	}
	panic("no column " + name)
}

// mutateCall gives a call another caller, address, category, validity, time or
// town — most often one taken from another call, so that repeats appear and vanish.
func mutateCall(rng *rand.Rand, calls [][]string, r []string) []string {
	other := calls[1+rng.IntN(len(calls)-1)]
	switch rng.IntN(6) {
	case 0:
		c := column(calls, "报警电话")
		r[c] = other[c]
	case 1:
		c := column(calls, "事发地址")
		r[c] = other[c]
	case 2:
		c := column(calls, "警情类别")
		r[c] = other[c]
		r[column(calls, "警情细类")] = other[column(calls, "警情细类")]
	case 3:
		c := column(calls, "是否有效")
		if r[c] == "是" {
			r[c] = "否"
		} else {
			r[c] = "是"
		}
	case 4:
		c := column(calls, "报警时间")
		at, err := time.Parse("2006-01-02 15:04:05", r[c])
		if err == nil {
			r[c] = at.Add(time.Duration(rng.IntN(48)-24) * time.Hour).Format("2006-01-02 15:04:05")
		}
	default:
		c := column(calls, "所属乡镇街道")
		r[c] = other[c]
	}
	return r
}

// mutateOrder moves an order to another call, gives it another status or
// department, or takes its call away.
func mutateOrder(rng *rand.Rand, calls, orders [][]string, r []string) []string {
	switch rng.IntN(5) {
	case 0, 1:
		r[column(orders, "警情编号")] = calls[1+rng.IntN(len(calls)-1)][column(calls, "警情编号")]
	case 2:
		r[column(orders, "工单状态")] = []string{"已退回", "已撤销", "已办结", "处置中"}[rng.IntN(4)]
	case 3:
		c := column(orders, "承办单位")
		r[c] = orders[1+rng.IntN(len(orders)-1)][c]
	default:
		r[column(orders, "警情编号")] = ""
	}
	return r
}

// tableRows reads a table in a stable order, as text, its columns by name.
func tableRows(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	var list string
	if err := db.QueryRow(`SELECT string_agg(column_name, ', ' ORDER BY column_name) FROM information_schema.columns WHERE table_name = ?`,
		table).Scan(&list); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(fmt.Sprintf(`SELECT %s FROM %s ORDER BY ALL`, list, table))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		v := make([]any, len(cols))
		p := make([]any, len(cols))
		for i := range v {
			p[i] = &v[i]
		}
		if err := rows.Scan(p...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, c := range cols {
			fmt.Fprintf(&b, "%s=%v ", c, v[i])
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// diffRows shows the first rows found on one side only.
func diffRows(a, b []string) string {
	in := func(xs []string) map[string]int {
		m := map[string]int{}
		for _, x := range xs {
			m[x]++
		}
		return m
	}
	ma, mb := in(a), in(b)
	var out []string
	for _, x := range a {
		if mb[x] == 0 && len(out) < 5 {
			out = append(out, "updated only: "+x)
		}
	}
	for _, x := range b {
		if ma[x] == 0 && len(out) < 10 {
			out = append(out, "rebuilt only: "+x)
		}
	}
	return fmt.Sprintf("%d rows vs %d\n%s", len(a), len(b), strings.Join(out, "\n"))
}

// TestUpdateReadsWholeRepeatWindows: call_derived keeps a next repeat only inside
// the repeat window, so an update reads a window, not the year — but the whole
// window, both ways. A changed call keeps the next repeat it has days later
// (the candidates reach a window past the last call in scope), and a new call
// becomes the next repeat of a call days before it (the scope reaches a window
// back). Each is more than three days away, and the facts equal a full rebuild.
func TestUpdateReadsWholeRepeatWindows(t *testing.T) {
	dir, calls, orders := smallCity(t, 9)
	ctx := context.Background()
	cfg := metrics.DefaultConfig()
	base := []string{writeBatch(t, "calls", calls, sample(rand.New(rand.NewPCG(1, 1)), calls, 1), nil),
		writeBatch(t, "orders", orders, sample(rand.New(rand.NewPCG(1, 1)), orders, 1), nil)}
	db := emptyStore(t, dir)
	for _, f := range base {
		loadBatch(t, db, f)
	}
	if how, err := metrics.Refresh(ctx, db, cfg, nil); err != nil || how != metrics.Rebuilt {
		t.Fatalf("first refresh: %s, %v", how, err)
	}
	// x: the latest call whose next repeat is more than three days after it; y: the
	// latest call in the repeat population without one, at least a window before
	// the data's end.
	var x, y string
	var yAt time.Time
	if err := db.QueryRow(`SELECT call_id FROM call_derived WHERE next_repeat_at > received_at + INTERVAL 3 DAY
			ORDER BY received_at DESC LIMIT 1`).Scan(&x); err != nil {
		t.Fatalf("no call with a next repeat more than three days after it: %v", err)
	}
	if err := db.QueryRow(`SELECT d.call_id, d.received_at FROM call_derived d JOIN calls c USING (call_id)
			WHERE d.valid AND d.effective_orders > 0 AND d.next_repeat_at IS NULL AND c.caller_key IS NOT NULL
			  AND d.received_at < (SELECT max(received_at) FROM calls) - INTERVAL 8 DAY
			ORDER BY d.received_at DESC LIMIT 1`).Scan(&y, &yAt); err != nil {
		t.Fatalf("no call without a next repeat: %v", err)
	}
	id, at, town := column(calls, "警情编号"), column(calls, "报警时间"), column(calls, "所属乡镇街道")
	var rows [][]string
	for _, r := range calls[1:] {
		switch r[id] {
		case x: // changed in what its facts do not read
			r = append([]string(nil), r...)
			r[town] += "（更正）"
			rows = append(rows, r)
		case y: // called again five days later: a new call
			r = append([]string(nil), r...)
			r[id] += "-again"
			r[at] = yAt.Add(5 * 24 * time.Hour).Format("2006-01-02 15:04:05")
			rows = append(rows, r)
		}
	}
	if len(rows) != 2 {
		t.Fatalf("found %d of the two calls in the export", len(rows))
	}
	// One update each, so that x is the last call in its update's scope.
	var later []string
	for i := range rows {
		f := writeBatch(t, fmt.Sprintf("later%d", i), append([][]string{calls[0]}, rows...), []int{1 + i}, nil)
		loadBatch(t, db, f)
		if how, err := metrics.Refresh(ctx, db, cfg, nil); err != nil || how != metrics.Updated {
			t.Fatalf("refresh after later call %d: %s, %v", i, how, err)
		}
		later = append(later, f)
	}
	want := emptyStore(t, dir)
	for _, f := range append(base, later...) {
		loadBatch(t, want, f)
	}
	if _, err := metrics.Refresh(ctx, want, cfg, nil); err != nil {
		t.Fatal(err)
	}
	var repeated int
	if err := db.QueryRow(`SELECT count(*) FROM call_derived WHERE call_id = ? AND next_repeat_at IS NOT NULL`, y).Scan(&repeated); err != nil || repeated != 1 {
		t.Errorf("%s has no next repeat after the new call five days later (%v)", y, err)
	}
	for _, table := range []string{"call_derived", "order_calls", "order_derived"} {
		if a, b := tableRows(t, db, table), tableRows(t, want, table); !reflect.DeepEqual(a, b) {
			t.Errorf("%s after the update differs from a full rebuild:\n%s", table, diffRows(a, b))
		}
	}
}
