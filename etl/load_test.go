package etl

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fenliu/fenliu/etl/profile"
	"github.com/fenliu/fenliu/queries"
)

var (
	shanghai, _ = time.LoadLocation("Asia/Shanghai")
	testSecret  = []byte("etl-test-secret-0123456789")
	loadTime    = time.Date(2024, 6, 20, 9, 0, 0, 0, shanghai)
)

func openDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := queries.Open(context.Background(), filepath.Join(t.TempDir(), "test.duckdb"), queries.Options{Threads: 2, MemoryLimit: "1GB", Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func opts(t testing.TB) Options {
	return Options{Secret: testSecret, Zone: shanghai, Now: loadTime, TempDir: t.TempDir()}
}

func load(t testing.TB, db *sql.DB, path string, o Options) Accounting {
	t.Helper()
	acc, err := Load(context.Background(), db, path, o)
	if err != nil {
		t.Fatalf("Load(%s): %v", filepath.Base(path), err)
	}
	if !acc.Balanced() {
		t.Fatalf("accounting does not add up: %+v", acc)
	}
	return acc
}

func testSQL(t testing.TB, name string) string {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dump returns every row of a query as text, for comparing whole tables.
func dump(t testing.TB, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, v := range vals {
			if tm, ok := v.(time.Time); ok {
				v = tm.Format("2006-01-02 15:04:05")
			}
			fmt.Fprintf(&b, "%s=%v|", cols[i], v)
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func counts(acc Accounting) [6]int64 {
	return [6]int64{acc.Read, acc.Inserted, acc.Updated, acc.Unchanged, acc.Superseded, acc.Rejected}
}

func TestLoadCallsRulesAndLedger(t *testing.T) {
	db := openDB(t)
	acc := load(t, db, "testdata/calls_rules.csv", opts(t))
	if acc.Kind != "calls" || acc.Profile != "default" || acc.Encoding != "utf-8" || acc.Status != StatusLoaded {
		t.Errorf("accounting %+v", acc)
	}
	// 13 records: 5 ids inserted, J001 twice (1 superseded), 7 rejected.
	if got, want := counts(acc), [6]int64{13, 5, 0, 0, 1, 7}; got != want {
		t.Errorf("read/inserted/updated/unchanged/superseded/rejected = %v, want %v", got, want)
	}
	if acc.DateOnly != 1 {
		t.Errorf("date-only rows %d, want 1", acc.DateOnly)
	}
	ledger := dump(t, db, testSQL(t, "ledger.sql"))
	want := []struct {
		line         int
		field, value string
		reasonPrefix string
		zh           string // field_zh and reason_zh, as the staff read them
	}{
		{6, "received_at", "昨天上午", "bad timestamp", "field_zh=报警时间|reason_zh=时间无法识别：请写成 2024-05-01 08:00:00 这样的形式"},
		{7, "call_id", "", "required field is empty", "field_zh=警情编号|reason_zh=必填项为空：请在导出文件中填写|"},
		{8, "received_at", "1999-12-31 23:59:59", "timestamp out of range", "field_zh=报警时间|reason_zh=时间超出范围：应在 2000-01-01 至导入时刻后一天之间|"},
		{9, "nature", "警察", "value not allowed: want one of 警务 非警务", "reason_zh=取值不在允许范围内：应为以下之一：警务、非警务|"},
		{10, "valid", "有", "bad yes/no value", "reason_zh=是否值无法识别：应为 是/否、Y/N、1/0、true/false 或 yes/no|"},
		{13, "category", "", "required field is empty", "reason_zh=必填项为空：请在导出文件中填写|"},
		{17, "(row)", "J011,2024-05-02 10:00,,地址,诸暨市,枫桥镇", "row cannot be read: the row has 6 fields, the header 11", "field_zh=整行|reason_zh=该行无法读取：该行有 6 个字段，表头有 11 个"},
	}
	if len(ledger) != len(want) {
		t.Fatalf("ledger has %d entries, want %d:\n%s", len(ledger), len(want), strings.Join(ledger, "\n"))
	}
	for i, w := range want {
		prefix := fmt.Sprintf("file=calls_rules.csv|line=%d|field=%s|value=%s|reason=%s", w.line, w.field, w.value, w.reasonPrefix)
		if !strings.HasPrefix(ledger[i], prefix) || !strings.Contains(ledger[i], w.zh) {
			t.Errorf("ledger[%d] = %s\nwant prefix %s and %s", i, ledger[i], prefix, w.zh)
		}
	}

	calls := dump(t, db, testSQL(t, "dump_calls.sql"))
	if len(calls) != 5 {
		t.Fatalf("%d calls stored, want 5", len(calls))
	}
	checks := []struct {
		row  int
		want []string
	}{
		// The last J001 row counts (positional), with its own time and nature.
		{0, []string{"call_id=J001|", "received_at=2024-05-01 08:30:00|", "caller_masked=138****5678|", "nature=非警务|", "valid=true|", "summary=邻居吵架（更正）|"}},
		// +86 and spaces removed; the same address key as J001; the number in the summary masked.
		{1, []string{"call_id=J002|", "received_at=2024-05-01 09:05:00|", "caller_masked=139****4321|", "address_key=诸暨市枫桥镇枫源村1号|", "summary=两行的摘要\n回电139****4321|"}},
		// Empty 是否有效: true; empty nature stays null for the dictionary.
		{2, []string{"call_id=J003|", "received_at=2024-05-01 10:00:00|", "caller_key=<nil>|", "nature=<nil>|", "valid=true|"}},
		// Full-width id folded; a date alone is midnight and noted.
		{3, []string{"call_id=J008|", "received_at=2024-05-02 00:00:00|", "valid=false|", "date_only=received_at|"}},
		// Masked in the export: a mask, no key.
		{4, []string{"call_id=J010|", "caller_key=<nil>|", "caller_masked=138****1234|"}},
	}
	for _, c := range checks {
		for _, w := range c.want {
			if !strings.Contains(calls[c.row], w) {
				t.Errorf("call row %d lacks %q:\n%s", c.row, w, calls[c.row])
			}
		}
	}
	if strings.Split(calls[0], "caller_key=")[1][:64] != strings.Split(dump(t, db, testSQL(t, "dump_calls.sql"))[0], "caller_key=")[1][:64] {
		t.Error("caller key not stable")
	}
}

func TestLoadSameFileTwiceIsANoOp(t *testing.T) {
	db := openDB(t)
	load(t, db, "testdata/calls_rules.csv", opts(t))
	before := dump(t, db, testSQL(t, "dump_calls.sql"))
	acc := load(t, db, "testdata/calls_rules.csv", opts(t))
	if acc.Status != StatusSkipped || counts(acc) != [6]int64{} || !strings.Contains(acc.Message, "calls_rules.csv") {
		t.Errorf("second load: %+v, want skipped with all counts 0", acc)
	}
	if after := dump(t, db, testSQL(t, "dump_calls.sql")); !reflect.DeepEqual(before, after) {
		t.Error("the second load changed the table")
	}
	if n := len(dump(t, db, testSQL(t, "ledger.sql"))); n != 7 {
		t.Errorf("ledger has %d entries after the no-op, want 7", n)
	}
}

func TestCheckWritesNothing(t *testing.T) {
	db := openDB(t)
	o := opts(t)
	o.DryRun = true
	acc := load(t, db, "testdata/calls_rules.csv", o)
	if got, want := counts(acc), [6]int64{13, 5, 0, 0, 1, 7}; got != want {
		t.Errorf("check accounting %v, want %v (the same as ingest)", got, want)
	}
	if !strings.HasPrefix(acc.Message, "checked: nothing was written") {
		t.Errorf("message %q", acc.Message)
	}
	for _, q := range []string{"dump_calls.sql", "ledger.sql"} {
		if rows := dump(t, db, testSQL(t, q)); len(rows) != 0 {
			t.Errorf("%s: %d rows after check", q, len(rows))
		}
	}
	// A check does not make the file "already loaded".
	if acc := load(t, db, "testdata/calls_rules.csv", opts(t)); acc.Status != StatusLoaded || acc.Inserted != 5 {
		t.Errorf("ingest after check: %+v", acc)
	}
}

func TestOrdersPrecedenceAndAccounting(t *testing.T) {
	db := openDB(t)
	steps := []struct {
		file string
		want [6]int64
	}{
		{"orders_v1.csv", [6]int64{3, 3, 0, 0, 0, 0}},
		// O1, O2 progressed: updated; O3 is an older state: unchanged; O4 new.
		{"orders_v2.csv", [6]int64{4, 1, 2, 1, 0, 0}},
		// O1 identical; O4 ties on last_event_at with more fields: updated; O6 new;
		// O5 (特急) and O7 (no 派单时间) rejected.
		{"orders_v3.csv", [6]int64{5, 1, 1, 1, 0, 2}},
	}
	for _, s := range steps {
		acc := load(t, db, filepath.Join("testdata", s.file), opts(t))
		if acc.Kind != "orders" || counts(acc) != s.want {
			t.Errorf("%s: %v (kind %s), want %v", s.file, counts(acc), acc.Kind, s.want)
		}
	}
	orders := dump(t, db, testSQL(t, "dump_orders.sql"))
	want := [][]string{
		{"order_id=O1|", "status=已签收|", "signed_at=2024-05-01 08:20:00|", "last_event_at=2024-05-01 08:20:00|", "source=110|", "priority=一般|", "area_type=城区|", "onsite_required=true|", "difficulty=一般|"},
		{"order_id=O2|", "status=已办结|", "priority=紧急|", "outcome=部分化解|", "last_event_at=2024-05-02 09:00:00|"},
		{"order_id=O3|", "status=已办结|", "closed_at=2024-05-03 11:00:00|", "outcome=已化解|"},
		{"order_id=O4|", "status=已退回|", "call_id=<nil>|", "department=某某办公室|", "nonnull=5|"},
		{"order_id=O6|", "status=已撤销|"},
	}
	if len(orders) != len(want) {
		t.Fatalf("%d orders, want %d:\n%s", len(orders), len(want), strings.Join(orders, "\n"))
	}
	for i, w := range want {
		for _, s := range w {
			if !strings.Contains(orders[i], s) {
				t.Errorf("order %d lacks %q:\n%s", i, s, orders[i])
			}
		}
	}
}

// Loading the same set of files in any order gives the same table (SPEC §2.5).
func TestOrdersAnyLoadOrder(t *testing.T) {
	files := []string{"orders_v1.csv", "orders_v2.csv", "orders_v3.csv"}
	perms := [][]int{{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
	var first []string
	for _, p := range perms {
		db := openDB(t)
		for _, i := range p {
			load(t, db, filepath.Join("testdata", files[i]), opts(t))
		}
		got := dump(t, db, testSQL(t, "dump_orders.sql"))
		if first == nil {
			first = got
			continue
		}
		if !reflect.DeepEqual(first, got) {
			t.Errorf("load order %v gives a different table:\n%s\nwant\n%s", p, strings.Join(got, "\n"), strings.Join(first, "\n"))
		}
	}
}

func TestStatusDerivation(t *testing.T) {
	const h = "工单编号,派单时间,承办单位,签收时间,到场时间,反馈时间,办结时间,退回时间,工单状态\n"
	rows := []struct {
		row, want string
	}{
		{"A,2024-05-01 08:00,x,,,,,,", "待签收"},
		{"B,2024-05-01 08:00,x,2024-05-01 08:01,,,,,", "已签收"},
		{"C,2024-05-01 08:00,x,2024-05-01 08:01,2024-05-01 08:10,,,,", "处置中"},
		{"D,2024-05-01 08:00,x,,,2024-05-02 08:00,,,", "已办结"},
		{"E,2024-05-01 08:00,x,,,,2024-05-02 08:00,,", "已办结"},
		{"F,2024-05-01 08:00,x,2024-05-01 08:01,,2024-05-02 08:00,,2024-05-01 09:00,", "已退回"},
		{"G,2024-05-01 08:00,x,,,,,,已撤销", "已撤销"},
		// An explicit status wins over the timestamps.
		{"H,2024-05-01 08:00,x,2024-05-01 08:01,,,2024-05-02 08:00,,处置中", "处置中"},
	}
	var b strings.Builder
	b.WriteString(h)
	for _, r := range rows {
		b.WriteString(r.row + "\n")
	}
	p := filepath.Join(t.TempDir(), "status.csv")
	os.WriteFile(p, []byte(b.String()), 0o644)
	db := openDB(t)
	load(t, db, p, opts(t))
	got := dump(t, db, testSQL(t, "dump_orders.sql"))
	for i, r := range rows {
		if !strings.Contains(got[i], "status="+r.want+"|") {
			t.Errorf("%s: %s, want status %s", r.row, got[i], r.want)
		}
	}
}

func TestRefusedFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	tests := []struct {
		name, path string
		o          func(*Options)
		want       string
	}{
		{"missing_columns", write("m.csv", "警情编号,报警时间,地址\nJ1,2024-05-01 08:00,x\n"), nil,
			`missing required columns category (警情类别 / 警情类型); headers found: "警情编号", "报警时间", "地址"`},
		{"header_only", write("h.csv", "警情编号,报警时间,警情类别\n"), nil, "a header but no rows"},
		{"wrong_delimiter", write("d.csv", "警情编号;报警时间;警情类别\nJ1;2024-05-01 08:00;纠纷\n"), nil, `set delimiter: ";" in a mapping profile`},
		{"no_such_file", filepath.Join(dir, "nope.csv"), nil, "no such file"},
		{"single_50mb_line", write("big.csv", strings.Repeat("警情编号x", 50<<20/13)), nil, "… (20164920 characters)"},
		{"wrong_kind", write("k.csv", "警情编号,报警时间,警情类别\nJ1,2024-05-01 08:00,纠纷\n"),
			func(o *Options) { o.Kind = profile.Orders }, "does not fit these headers as orders"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := openDB(t)
			o := opts(t)
			if tc.o != nil {
				tc.o(&o)
			}
			acc, err := Load(context.Background(), db, tc.path, o)
			var re *RefusedError
			if !errors.As(err, &re) || acc.Status != StatusRefused || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Load = %+v, %v; want refused mentioning %q", acc, err, tc.want)
			}
			if len(err.Error()) > 4000 {
				t.Errorf("the message is %d bytes long: it must stay readable", len(err.Error()))
			}
			if n := len(dump(t, db, testSQL(t, "dump_calls.sql"))); n != 0 {
				t.Errorf("%d calls loaded from a refused file", n)
			}
		})
	}
}

// TestAllNewRowsLoadAsTheGeneralPath: a file whose rows are all new is inserted
// straight from the staging file (insert_all_*.sql); the same rows with an id
// given twice (the earlier row superseded) go through the general path, which
// picks the chosen rows. Both tables are the same.
func TestAllNewRowsLoadAsTheGeneralPath(t *testing.T) {
	for _, kind := range []struct{ file, dump string }{
		{"../metrics/testdata/boundary/calls.csv", "dump_calls.sql"}, {"testdata/orders_v1.csv", "dump_orders.sql"},
	} {
		src, err := os.ReadFile(kind.file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitAfter(string(src), "\n")
		// The first data row again, changed (a later column emptied), before the
		// rows: superseded by the original, which comes after it.
		changed := lines[1][:strings.LastIndexByte(strings.TrimRight(lines[1], "\r\n"), ',')+1] + "\n"
		twice := filepath.Join(t.TempDir(), filepath.Base(kind.file))
		if err := os.WriteFile(twice, []byte(lines[0]+changed+strings.Join(lines[1:], "")), 0o644); err != nil {
			t.Fatal(err)
		}
		fast, general := openDB(t), openDB(t)
		a := load(t, fast, kind.file, opts(t))
		b := load(t, general, twice, opts(t))
		if a.Superseded != 0 || a.Inserted != a.Read-a.Rejected || b.Superseded != 1 {
			t.Fatalf("%s: the paths were not taken: %+v, %+v", kind.file, a, b)
		}
		if got, want := dump(t, general, testSQL(t, kind.dump)), dump(t, fast, testSQL(t, kind.dump)); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the general path gives\n%s\nthe direct one\n%s", kind.file, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
