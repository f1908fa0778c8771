package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fenliu/fenliu/etl"
)

// The command-level cases of issue 10: each failed before its fix.

// TestDatabasePathsThatMakeNoSense: only the commands that load may create a
// database, and nothing that is not one is opened (items 11, 19).
func TestDatabasePathsThatMakeNoSense(t *testing.T) {
	dir := install(t)
	csvPath := filepath.Join(dir, "calls.csv")
	os.WriteFile(csvPath, []byte("警情编号,报警时间,警情类别\nJ1,2024-05-01 08:00:00,纠纷\n"), 0o644)
	sqlite := filepath.Join(dir, "old.db")
	os.WriteFile(sqlite, append([]byte("SQLite format 3\x00"), make([]byte, 200)...), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"ingest_into_a_csv", []string{"--db", csvPath, "ingest", csvPath}, 1, "is not a fenliu database (a DuckDB file): it is a text file"},
		{"metrics_on_a_typo", []string{"--db", filepath.Join(dir, "fenliu.duckbd"), "metrics", "--period", "2024-05"}, 1, "does not exist"},
		{"rejects_on_a_typo", []string{"--db", filepath.Join(dir, "typo.duckdb"), "rejects"}, 1, "does not exist"},
		{"ingest_into_a_missing_folder", []string{"--db", "/nonexistent/dir/x.duckdb", "ingest", csvPath}, 1, "the folder /nonexistent/dir does not exist"},
		{"sqlite", []string{"--db", sqlite, "files"}, 1, "it is a SQLite database"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := fenliu(t, dir, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.want) || strings.Contains(errs, "INSTALL") {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tc.code, tc.want)
			}
		})
	}
	for _, p := range []string{filepath.Join(dir, "fenliu.duckbd"), filepath.Join(dir, "typo.duckdb"), "/nonexistent"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was created", p)
		}
	}
	if b, _ := os.ReadFile(csvPath); !strings.HasPrefix(string(b), "警情编号") {
		t.Error("the CSV given as --db was changed")
	}
	// check on an installation that has loaded nothing yet: it checks, and creates
	// no database.
	out, errs, code := fenliu(t, dir, "check", csvPath)
	if code != 0 || !strings.Contains(out, "inserted 1") {
		t.Errorf("check before the first load: exit %d %s %s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "fenliu.duckdb")); err == nil {
		t.Error("check created the database")
	}
}

// TestSettingsThatMakeNoSense are refused with exit 2 and the key named (item 12).
func TestSettingsThatMakeNoSense(t *testing.T) {
	dir := install(t)
	cfg, _ := os.ReadFile(filepath.Join(dir, "fenliu.yaml"))
	tests := []struct {
		name, from, to, want string
	}{
		{"target_below_floor", "target: 0.98, floor: 0.80", "target: 0.70, floor: 0.80", "scoring.indicators.sign_rate: target 0.7 is below floor 0.8"},
		{"lower_better_target_above_floor", "target: 0.02, floor: 0.15", "target: 0.20, floor: 0.15", "scoring.indicators.repeat_rate: target 0.2 is above floor 0.15"},
		{"empty_time_zone", "time_zone: Asia/Shanghai", `time_zone: ""`, "time_zone: empty"},
		{"negative_threads", "threads: 0", "threads: -3", "duckdb.threads -3"},
		{"memory_limit_words", "memory_limit: 2GB", "memory_limit: lots", `duckdb.memory_limit "lots"`},
		{"memory_limit_bytes", "memory_limit: 2GB", "memory_limit: 512b", `duckdb.memory_limit "512b"`},
		{"empty_secret_file", "secret_file: secret.key", `secret_file: ""`, "secret_file: empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(string(cfg), tc.from) {
				t.Fatalf("the init config has no %q", tc.from)
			}
			os.WriteFile(filepath.Join(dir, "fenliu.yaml"), []byte(strings.Replace(string(cfg), tc.from, tc.to, 1)), 0o644)
			_, errs, code := fenliu(t, dir, "score", "--period", "2024-05")
			if code != 2 || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tc.want)
			}
		})
	}
	// Every weight 0.
	zero := string(cfg)
	for _, w := range []string{"weight: 20", "weight: 25", "weight: 15"} {
		zero = strings.ReplaceAll(zero, w, "weight: 0")
	}
	os.WriteFile(filepath.Join(dir, "fenliu.yaml"), []byte(zero), 0o644)
	if _, errs, code := fenliu(t, dir, "score", "--period", "2024-05"); code != 2 || !strings.Contains(errs, "every weight is 0") {
		t.Errorf("all weights 0: exit %d %s", code, errs)
	}
	os.WriteFile(filepath.Join(dir, "fenliu.yaml"), cfg, 0o644)

	// The secret: too short from the environment; a file others can read.
	calls := repoFile(t, "etl", "testdata", "calls_rules.csv")
	cmd := command(t, dir, "check", calls)
	cmd.Env = append(cmd.Env, "FENLIU_SECRET=abc")
	if out, err := cmd.CombinedOutput(); cmd.ProcessState.ExitCode() != 2 || !strings.Contains(string(out), "FENLIU_SECRET is too short") {
		t.Errorf("FENLIU_SECRET=abc: %v %s", err, out)
	}
	os.Chmod(filepath.Join(dir, "secret.key"), 0o644)
	if _, errs, code := fenliu(t, dir, "check", calls); code != 2 || !strings.Contains(errs, "can be read by other users (mode 0644)") {
		t.Errorf("open secret: exit %d %s", code, errs)
	}
	if _, errs, code := fenliu(t, dir, "--allow-open-secret", "check", calls); code != 0 {
		t.Errorf("--allow-open-secret: exit %d %s", code, errs)
	}
}

// TestFullMarksFromTheWeights: 满分 is the sum of the weights wherever it is shown.
func TestFullMarksFromTheWeights(t *testing.T) {
	dir := boundaryInstall(t)
	cfg, _ := os.ReadFile(filepath.Join(dir, "fenliu.yaml"))
	os.WriteFile(filepath.Join(dir, "fenliu.yaml"), []byte(strings.Replace(string(cfg), "weight: 25", "weight: 15", 1)), 0o644)
	out, errs, code := fenliu(t, dir, "score", "--period", "2024-05", "--as-of", "2024-06-20", "--by", "department")
	if code != 0 || !strings.Contains(out, "满分 90）") {
		t.Errorf("exit %d %s\n%s", code, errs, out)
	}
}

// TestOutputsSafeToOpen: every CSV is guarded against formulas and has a BOM;
// terminal tables show no control characters and no endless cells (items 13, 14).
func TestOutputsSafeToOpen(t *testing.T) {
	dir := install(t)
	long := strings.Repeat("很长的单位名称", 500)
	orders := "工单编号,警情编号,派单时间,承办单位\n" +
		"G1,,2024-05-01 08:00:00,\"=HYPERLINK(\"\"http://x\"\")\"\n" +
		"G2,,2024-05-01 09:00:00,+1+2\n" +
		"G3,,2024-05-01 10:00:00,\x1b]0;pwned\x07\x1b[2J清屏局\n" +
		"G4,,2024-05-01 11:00:00," + long + "\n"
	p := filepath.Join(dir, "orders.csv")
	os.WriteFile(p, []byte(orders), 0o644)
	if _, errs, code := fenliu(t, dir, "ingest", p); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	for _, c := range []string{"metrics", "score"} {
		out, errs, code := fenliu(t, dir, c, "--period", "2024-05", "--as-of", "2024-06-20", "--by", "department", "--format", "csv")
		if code != 0 || !strings.HasPrefix(out, "\uFEFF") {
			t.Fatalf("%s csv: exit %d %s, BOM %v", c, code, errs, strings.HasPrefix(out, "\uFEFF"))
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]bool{}
		for _, r := range recs[1:] {
			keys[r[0]] = true
		}
		if !keys[`'=HYPERLINK("http://x")`] || !keys["'+1+2"] || !keys[long] {
			t.Errorf("%s csv: want the formulas guarded and the long name whole; %d keys", c, len(keys))
		}
		for _, r := range recs[1:] {
			for _, v := range r[1:] {
				if strings.HasPrefix(v, "'") {
					t.Errorf("%s csv: a figure was guarded: %q", c, v)
				}
			}
		}
	}
	for _, c := range []string{"metrics", "score"} {
		out, _, _ := fenliu(t, dir, c, "--period", "2024-05", "--as-of", "2024-06-20", "--by", "department")
		if strings.ContainsAny(out, "\x1b\x07") {
			t.Errorf("%s table passes control characters: %q", c, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if displayWidth(line) > 1000 {
				t.Errorf("%s table has a line %d columns wide", c, displayWidth(line))
			}
		}
		mustContain(t, c+" table", out, "\uFFFD]0;pwned\uFFFD\uFFFD[2J清屏局", "单位名称很…  ")
	}
}

// TestCheckListsItsRejectsAndReload: check prints its own rejects (it keeps no
// ledger), --rejects-out writes them, and ingest --reload loads a file again after
// the profile was fixed (item 10); rejects --file of an unknown file fails (17).
func TestCheckListsItsRejectsAndReload(t *testing.T) {
	dir := install(t)
	p := filepath.Join(dir, "calls.csv")
	os.WriteFile(p, []byte("警情编号,报警时间,警情类别\nJ1,05/01/2024 08:00,纠纷\nJ2,05/01/2024 09:00,求助\n"), 0o644)
	out, errs, code := fenliu(t, dir, "check", "--rejects-out", filepath.Join(dir, "r.csv"), p)
	if code != 0 {
		t.Fatalf("check: %s", errs)
	}
	mustContain(t, "check", out, "2     报警时间  05/01/2024 08:00  时间无法识别", "time_layouts", "wrote the rejected rows to")
	if strings.Contains(out, "fenliu rejects") {
		t.Errorf("check points at a ledger it did not write:\n%s", out)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "r.csv"))
	if !strings.HasPrefix(string(b), "\uFEFF文件,行号,字段,字段代码,值,原因\ncalls.csv,2,报警时间,received_at,05/01/2024 08:00,时间无法识别") {
		t.Errorf("--rejects-out:\n%s", b)
	}
	fenliu(t, dir, "ingest", p)
	os.MkdirAll(filepath.Join(dir, "profiles"), 0o755)
	os.WriteFile(filepath.Join(dir, "profiles", "us.yaml"), []byte("name: us\ntime_layouts: [\"01/02/2006 15:04\"]\nfields:\n  call_id: [警情编号]\n  received_at: [报警时间]\n  category: [警情类别]\n"), 0o644)
	out, errs, code = fenliu(t, dir, "ingest", "--json", "--reload", "--profile", "profiles/us.yaml", p)
	var accs []etl.Accounting
	if err := json.Unmarshal([]byte(out), &accs); err != nil || code != 0 || accs[0].Inserted != 2 || accs[0].Rejected != 0 || accs[0].Replaced == 0 {
		t.Fatalf("reload: exit %d %v %s %s", code, err, out, errs)
	}
	if out, _, _ := fenliu(t, dir, "rejects", "--file", "calls.csv"); !strings.Contains(out, "no rejected rows") {
		t.Errorf("rejects after the reload:\n%s", out)
	}
	if _, errs, code := fenliu(t, dir, "rejects", "--file", "nosuch.csv"); code != 1 || !strings.Contains(errs, `no file named "nosuch.csv" was loaded`) {
		t.Errorf("rejects --file nosuch.csv: exit %d %s", code, errs)
	}
}

// TestStaleReportTempFilesRemoved: a killed report's hidden temp file is removed
// by the next report (item 15).
func TestStaleReportTempFilesRemoved(t *testing.T) {
	dir := boundaryInstall(t)
	reports := filepath.Join(dir, "reports")
	os.MkdirAll(reports, 0o755)
	dead := filepath.Join(reports, ".fenliu-999999999-123")
	legacy := filepath.Join(reports, ".fenliu-4242")
	os.WriteFile(dead, []byte("half a workbook"), 0o644)
	os.WriteFile(legacy, []byte("half a page"), 0o644)
	if _, errs, code := fenliu(t, dir, "report", "monthly", "--period", "2024-05", "--as-of", "2024-06-20", "--format", "xlsx"); code != 0 {
		t.Fatalf("report: %s", errs)
	}
	for _, p := range []string{dead, legacy} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s is still there", p)
		}
	}
}

// TestScheduleOnceFailureExits1: a failed job is recorded and retried, and
// --once says so with its exit status (item 16).
func TestScheduleOnceFailureExits1(t *testing.T) {
	dir := install(t)
	os.Remove(filepath.Join(dir, "departments.csv")) // the inbox job cannot load the dictionaries
	_, errs, code := fenliu(t, dir, "schedule", "--once")
	if code != 1 || !strings.Contains(errs, "job failed: inbox") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if jobs := jobsOutput(t, dir); !strings.Contains(jobs, "failed") {
		t.Errorf("the failure was not recorded:\n%s", jobs)
	}
}
