package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Every embedded .sql file backs exactly one named statement.
func TestEveryFileIsUsed(t *testing.T) {
	migrations() // schema files are loaded when a database is opened
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !used[p] {
			t.Errorf("%s is embedded but backs no statement", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Every statement prepares against a freshly migrated database, and every file
// opens with a comment that says what it does.
func TestStatementsPrepare(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, filepath.Join(dir, "q.duckdb"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx) // temp tables live on one connection
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	setup, _ := os.ReadFile("testdata/empty_stage.sql")
	if _, err := conn.ExecContext(ctx, strings.ReplaceAll(string(setup), "__DIR__", dir)); err != nil {
		t.Fatal(err)
	}
	// The statements that read the temp table inc need it to exist first.
	for _, st := range []Statement{LastCalls, ClassifyCalls} {
		if _, err := conn.ExecContext(ctx, st.SQL, filepath.Join(dir, "calls.parquet")); err != nil {
			t.Fatalf("%s: %v", st.Name, err)
		}
	}
	stmts := map[string]string{
		"find_file": FindFile.SQL, "next_file_id": NextFileID.SQL, "count": Count.SQL, "delete_calls": DeleteCalls.SQL,
		"insert_calls": InsertCalls.SQL, "insert_rejects": InsertRejects.SQL, "insert_file": InsertFile.SQL,
		"rejects_list": RejectsList.SQL, "files_list": FilesList.SQL, "dict_department": DictDepartment.SQL,
		"dict_category": DictCategory.SQL, "table_counts": TableCounts.SQL, "replace_file": ReplaceFile.SQL, "replace_rejects": ReplaceRejects.SQL,
		"rejects_of_file": RejectsOfFile.SQL, "file_names": FileNamed.SQL,
	}
	for name, q := range stmts {
		if !strings.HasPrefix(q, "-- "+name) {
			t.Errorf("%s does not open with its name and purpose", name)
		}
		st, err := conn.PrepareContext(ctx, q)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		st.Close()
	}
	for _, st := range []Statement{LastOrders, ClassifyOrders} {
		if _, err := conn.ExecContext(ctx, st.SQL, filepath.Join(dir, "orders.parquet")); err != nil {
			t.Fatalf("%s: %v", st.Name, err)
		}
	}
	for name, q := range map[string]string{"delete_orders": DeleteOrders.SQL, "insert_orders": InsertOrders.SQL} {
		if st, err := conn.PrepareContext(ctx, q); err != nil {
			t.Errorf("%s: %v", name, err)
		} else {
			st.Close()
		}
	}
}

// The indicator statements run on an empty database, and every per-indicator query
// prepares against the facts they build.
func TestIndicatorStatements(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "i.duckdb"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	args := []any{}
	for _, n := range []string{"skew", "same_incident", "repeat_window"} {
		args = append(args, sql.Named(n, int64(60)))
	}
	at := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	args = append(args, sql.Named("start", at), sql.Named("end", at.AddDate(0, 1, 0)), sql.Named("asof", at.AddDate(0, 2, 0)),
		sql.Named("orders", true), sql.Named("calls", true), sql.Named("durations", true), sql.Named("partial_credit", 0.0))
	// Two slots (the month by department, its weeks' months by town), the rest unused.
	for i, g := range []any{"department", "town", nil, nil, nil, nil, nil, nil} {
		n := fmt.Sprintf("w%d_", i+1)
		var start, end any
		if g != nil {
			start, end = at, at.AddDate(0, 1, 0)
		}
		args = append(args, sql.Named(n+"grp", g), sql.Named(n+"split", i == 1), sql.Named(n+"start", start), sql.Named(n+"end", end))
	}
	if _, err := conn.ExecContext(ctx, Params.SQL, args...); err != nil {
		t.Fatalf("params: %v", err)
	}
	if _, err := conn.ExecContext(ctx, Keys.SQL); err != nil {
		t.Fatalf("keys: %v", err)
	}
	if _, err := conn.ExecContext(ctx, Dictionaries.SQL); err != nil {
		t.Fatalf("dictionaries: %v", err)
	}
	if _, err := conn.ExecContext(ctx, Exemptions.SQL); err != nil {
		t.Fatalf("exemptions: %v", err)
	}
	for _, r := range []struct {
		st   Statement
		args []any
	}{{Rules, nil}, {RuleStatus, []any{"已办结", true, false, false}}, {RuleSLA, []any{"一般", "城区", int64(1800), int64(1800)}},
		{RuleClosure, []any{"一般", 15}}} {
		if _, err := conn.ExecContext(ctx, r.st.SQL, r.args...); err != nil {
			t.Fatalf("%s: %v", r.st.Name, err)
		}
	}
	// The derived facts in full, then updated for the rows of loads after file 0.
	for _, r := range []struct {
		st   Statement
		args []any
	}{{RepeatHash, nil}, {DeriveScopeAll, nil}, {DeriveRepeats, nil}, {DeriveFacts, nil}, {FullCallDerived, nil}, {FullOrderCalls, nil},
		{FullOrderDerived, nil}, {DeriveCovered, []any{0}}, {DeriveScopeChanged, nil}, {DeriveRepeats, nil}, {DeriveFacts, nil},
		{UpdateCallDerived, nil}, {UpdateOrderCalls, nil}, {UpdateOrderDerived, nil}, {DropDerive, nil}} {
		if _, err := conn.ExecContext(ctx, r.st.SQL, r.args...); err != nil {
			t.Fatalf("%s: %v", r.st.Name, err)
		}
	}
	for _, s := range []struct {
		name, q string
		args    []any
	}{{"sources", Sources.SQL, nil}, {"order_facts", WithSlots(OrderFacts, []bool{true, true}).SQL, nil}, {"call_facts", WithSlots(CallFacts, []bool{false, true}).SQL, nil},
		{"repeat_table", RepeatTable.SQL, nil},
		{"repeat_groups", RepeatGroups.SQL, []any{1, "department", true, at, at.AddDate(0, 1, 0)}},
		{"order_totals", WithSlots(OrderTotals, []bool{true, true}).SQL, nil}, {"call_totals", WithSlots(CallTotals, []bool{false, true}).SQL, nil}} {
		if _, err := conn.ExecContext(ctx, s.q, s.args...); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
	}
	all := map[string]string{"counts": Counts.SQL, "durations": Durations.SQL, "group_kinds": GroupKinds.SQL}
	for id, q := range Indicators {
		all[id] = q.SQL
	}
	if len(Indicators) != 9 {
		t.Errorf("%d indicator queries, want the 9 of SPEC §3", len(Indicators))
	}
	for name, q := range all {
		if !strings.HasPrefix(q, "-- "+name) {
			t.Errorf("%s does not open with its name and purpose", name)
		}
		rows, err := conn.QueryContext(ctx, q)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if rows.Next() {
			t.Errorf("%s: a row from an empty database", name)
		}
		rows.Close()
	}
	// With one slot in use, no filter on the groups' keys may reach the facts: it
	// would join every record with params in a nested loop (1.7 s of 2.2 s for a
	// year of 9 M calls).
	for _, st := range []Statement{WithSlots(OrderFacts, []bool{false, true}), WithSlots(CallFacts, []bool{false, true})} {
		if _, err := conn.ExecContext(ctx, st.SQL); err != nil {
			t.Fatalf("%s: %v", st.Name, err)
		}
	}
	for _, st := range []Statement{WithSlots(OrderTotals, []bool{false, true}), WithSlots(CallTotals, []bool{false, true})} {
		_, sel, _ := strings.Cut(st.SQL, " AS\nSELECT ")
		var kind, plan string
		if err := conn.QueryRowContext(ctx, "EXPLAIN SELECT "+sel).Scan(&kind, &plan); err != nil {
			t.Fatalf("%s: %v", st.Name, err)
		}
		if strings.Contains(plan, "BLOCKWISE_NL_JOIN") {
			t.Errorf("%s for one slot joins the facts with params in a nested loop:\n%s", st.Name, plan)
		}
	}
	if _, err := conn.ExecContext(ctx, DropFacts.SQL); err != nil {
		t.Errorf("drop: %v", err)
	}
}

// WithSlots writes the slots in use: the facts' key and month columns for each
// (NULL columns for the others), the totals' grouping sets of those alone, a plain
// GROUP BY for one, and a key labelled with the slot of its set.
func TestWithSlots(t *testing.T) {
	facts := WithSlots(CallFacts, []bool{true, false, true}).SQL
	for _, want := range []string{
		"slot_key(p.a1, p.b1, c.received_at, call_key(p.g1, ", "slot_month(p.s1, c.received_at) AS m1,",
		"NULL::VARCHAR AS k2, NULL::TIMESTAMP AS m2,",
		"slot_key(p.a3, p.b3, c.received_at, call_key(p.g3, ", "slot_month(p.s3, c.received_at) AS m3,",
	} {
		if !strings.Contains(facts, want) {
			t.Errorf("facts of slots 1 and 3 lack %q", want)
		}
	}
	if strings.Contains(facts, "/*slot*/") || strings.Contains(facts, "#") || strings.Contains(facts, "k4") {
		t.Errorf("facts of 3 slots:\n%s", facts)
	}
	one := WithSlots(OrderTotals, []bool{false, true}).SQL
	if !strings.Contains(one, "SELECT '2#' || slot_label(m2, k2) AS k,") || !strings.Contains(one, "GROUP BY k2, m2;") {
		t.Errorf("one slot in use:\n%s", one)
	}
	three := WithSlots(CallTotals, []bool{true, false, true, true}).SQL
	if !strings.Contains(three, "GROUPING SETS ((k1, m1), (k3, m3), (k4, m4))") ||
		!strings.Contains(three, "CASE WHEN grouping(k1) = 0 THEN '1#' || slot_label(m1, k1) WHEN grouping(k3) = 0 THEN '3#' || slot_label(m3, k3) "+
			"WHEN grouping(k4) = 0 THEN '4#' || slot_label(m4, k4) END AS k") {
		t.Errorf("three slots in use:\n%s", three)
	}
	for _, in := range [][]bool{nil, make([]bool, MaxSlots+1)} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%d slots written", len(in))
				}
			}()
			WithSlots(OrderTotals, in)
		}()
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("slots written into a statement without any")
			}
		}()
		WithSlots(Counts, []bool{true})
	}()
}

// Migrations apply once: opening again keeps the data and the version.
func TestMigrationsApplyOnce(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "m.duckdb")
	for i := 0; i < 2; i++ {
		db, err := Open(ctx, p, Options{Create: i == 0})
		if err != nil {
			t.Fatal(err)
		}
		var v int
		if err := db.QueryRow(migrationVersion.SQL).Scan(&v); err != nil || v != len(migrations()) {
			t.Errorf("open %d: version %d, %v; want %d", i, v, err, len(migrations()))
		}
		db.Close()
	}
}

// Extension auto-install and auto-load are off: a function from a non-built-in
// extension fails at once instead of reaching for the network.
func TestNoExtensionDownload(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "x.duckdb"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(readXLSXProbe, "x.xlsx")
	if err == nil || !strings.Contains(err.Error(), "excel") {
		t.Errorf("read_xlsx: %v, want a catalog error naming the excel extension", err)
	}
	if err != nil && strings.Contains(strings.ToLower(err.Error()), "http") {
		t.Errorf("tried the network: %v", err)
	}
}

var readXLSXProbe = func() string {
	b, _ := os.ReadFile("testdata/read_xlsx.sql")
	return string(b)
}()

// The memory limit is the process's budget: DuckDB's buffer manager gets
// DuckDBShare of it, in DuckDB's units (GB and MB powers of 1000, GiB of 1024).
func TestMemoryLimitIsTheBudget(t *testing.T) {
	for _, c := range []struct{ budget, duckdb string }{
		{"2GB", "1.4 GiB"},     // 1.6e9 bytes
		{"1GiB", "818.2 MiB"},  // 858 993 459 bytes, whole MB: 858e6
		{"512MB", "390.0 MiB"}, // 409.6e6, whole MB: 409e6
		{"10 gb", "7.4 GiB"},   // 8e9
	} {
		db, err := Open(context.Background(), filepath.Join(t.TempDir(), "m.duckdb"), Options{Create: true, MemoryLimit: c.budget})
		if err != nil {
			t.Fatalf("%s: %v", c.budget, err)
		}
		var got string
		if err := db.QueryRow("SELECT current_setting('memory_limit')").Scan(&got); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if got != c.duckdb {
			t.Errorf("budget %s: DuckDB's memory_limit %s, want %s", c.budget, got, c.duckdb)
		}
	}
	if _, err := Open(context.Background(), filepath.Join(t.TempDir(), "m.duckdb"), Options{Create: true, MemoryLimit: "lots"}); err == nil ||
		!strings.Contains(err.Error(), `"lots"`) {
		t.Errorf("a budget of lots: %v", err)
	}
}

func TestLockedError(t *testing.T) {
	err := openError("/d/fenliu.duckdb", errors.New(`IO Error: Could not set lock on file "/d/fenliu.duckdb": Conflicting lock is held in /usr/bin/fenliu (PID 4242). See also …`))
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("%v is not a LockedError", err)
	}
	if want := "database /d/fenliu.duckdb is in use by another process (held by PID 4242, /usr/bin/fenliu)"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("%q, want prefix %q", err, want)
	}
}

// Open refuses a missing file unless it may create one, and any file that is not
// a DuckDB database (issue 10, items 11 and 19): DuckDB would read a CSV path as an
// in-memory CSV, create a mistyped path with its folders, and ask to install the
// sqlite extension for a SQLite file.
func TestOpenRefusesWhatIsNoDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path string
		create     bool
		want       string
	}{
		{"missing", filepath.Join(dir, "typo.duckdb"), false, "does not exist"},
		{"missing_folder", filepath.Join(dir, "nonexistent", "dir", "x.duckdb"), true, "the folder"},
		{"csv", write("calls.csv", []byte("警情编号,报警时间\nJ1,2024-05-01\n")), true, "a text file (a CSV export?)"},
		{"sqlite", write("x.db", append([]byte("SQLite format 3\x00"), make([]byte, 100)...)), false, "a SQLite database"},
		{"xlsx", write("x.xlsx", []byte("PK\x03\x04rest of a zip")), false, "an export"},
		{"empty_read", write("empty.duckdb", nil), false, "the file is empty"},
		{"folder", dir, false, "a folder"},
		// duckdb-go would fail with "invalid URL escape", open another file, or
		// drop every setting (read-only among them) after the '#'.
		{"percent", filepath.Join(dir, "100%zz.duckdb"), true, "reads its path as a URL"},
		{"question_mark", filepath.Join(dir, "why?.duckdb"), true, "reads its path as a URL"},
		{"hash", filepath.Join(dir, "no#1.duckdb"), true, "reads its path as a URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db, err := Open(ctx, tc.path, Options{Create: tc.create})
			if err == nil {
				db.Close()
				t.Fatal("opened")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want %q", err, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "nonexistent")); !os.IsNotExist(err) {
		t.Error("a folder was created for a database that could not be")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "calls.csv")); !strings.HasPrefix(string(b), "警情编号") {
		t.Error("the CSV was changed")
	}
}
