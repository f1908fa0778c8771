package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fenliu/fenliu/etl"
)

func TestIngestJSONAndExitCodes(t *testing.T) {
	dir := install(t)
	rules := repoFile(t, "etl", "testdata", "calls_rules.csv")
	missing := filepath.Join(dir, "missing.csv")
	os.WriteFile(missing, []byte("警情编号,地址\nJ1,x\n"), 0o644)

	// check: the same accounting, nothing written.
	out, _, code := fenliu(t, dir, "check", "--json", rules)
	var accs []etl.Accounting
	if err := json.Unmarshal([]byte(out), &accs); err != nil || code != 0 {
		t.Fatalf("check --json: exit %d, %v\n%s", code, err, out)
	}
	if a := accs[0]; a.Status != "loaded" || a.Inserted != 5 || a.Rejected != 7 || !strings.HasPrefix(a.Message, "checked") {
		t.Errorf("check: %+v", a)
	}
	// check writes nothing: not even the database, on an installation with none yet.
	if _, err := os.Stat(filepath.Join(dir, "fenliu.duckdb")); err == nil {
		t.Error("check created the database")
	}

	// ingest: rows rejected but the file loaded → exit 0; a refused file → exit 1,
	// after the other files were loaded.
	out, errs, code := fenliu(t, dir, "ingest", "--json", rules, missing)
	if code != 1 || !strings.Contains(errs, "1 of 2 files not loaded") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	var raw []map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	keys := []string{"file", "sha256", "kind", "profile", "encoding", "status", "message", "read", "inserted", "updated", "unchanged", "superseded", "rejected"}
	for _, k := range keys {
		if _, ok := raw[0][k]; !ok {
			t.Errorf("--json object lacks %q", k)
		}
	}
	if raw[0]["status"] != "loaded" || raw[0]["read"] != 13.0 || raw[1]["status"] != "refused" {
		t.Errorf("accounting %v", raw)
	}
	mustContain(t, "refusal", raw[1]["message"].(string), "missing required columns", `"警情编号", "地址"`)

	// The same file again: skipped, exit 0.
	out, _, code = fenliu(t, dir, "ingest", rules)
	if code != 0 || !strings.Contains(out, "skipped: same bytes as calls_rules.csv") {
		t.Errorf("second ingest: exit %d\n%s", code, out)
	}

	// The ledger, as a table and as a CSV that Excel opens.
	out, _, _ = fenliu(t, dir, "rejects", "--file", "calls_rules.csv")
	mustContain(t, "rejects", out, "文件", "原因", "报警时间  received_at  昨天上午", "必填项为空：请在导出文件中填写")
	if strings.Contains(out, "required field is empty") {
		t.Errorf("the rejects table shows English reasons:\n%s", out)
	}
	csvPath := filepath.Join(dir, "rejects.csv")
	if _, _, code := fenliu(t, dir, "rejects", "-o", csvPath); code != 0 {
		t.Fatal("rejects -o failed")
	}
	b, _ := os.ReadFile(csvPath)
	if !strings.HasPrefix(string(b), "\uFEFF文件,行号,字段,字段代码,值,原因\n") || strings.Count(string(b), "\n") != 8 {
		t.Errorf("rejects CSV:\n%s", b)
	}

	// Bad usage: exit 2.
	for _, args := range [][]string{
		{"ingest", "--kind", "cases", rules},
		{"ingest"},
		{"ingest", "--nope", rules},
		{"ingest", "--profile", "nope", rules},
	} {
		if _, errs, code := fenliu(t, dir, args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errs)
		}
	}
}

func TestIngestWithoutSecretFails(t *testing.T) {
	dir := install(t)
	os.Remove(filepath.Join(dir, "secret.key"))
	_, errs, code := fenliu(t, dir, "ingest", repoFile(t, "etl", "testdata", "calls_rules.csv"))
	if code != 1 || !strings.Contains(errs, "run `fenliu init` or set FENLIU_SECRET") {
		t.Errorf("exit %d: %s", code, errs)
	}
}

func TestUserProfileFromConfig(t *testing.T) {
	nyc := repoFile(t, "..", "shared", "realdata", "nyc-311-sample-1k", "311_Service_Requests.csv")
	if _, err := os.Stat(nyc); err != nil {
		t.Skip("real data not available")
	}
	dir := install(t)
	b, _ := os.ReadFile(repoFile(t, "testdata", "profiles", "nyc311.yaml"))
	os.MkdirAll(filepath.Join(dir, "profiles"), 0o755)
	os.WriteFile(filepath.Join(dir, "profiles", "nyc311.yaml"), b, 0o644)
	cfg, _ := os.ReadFile(filepath.Join(dir, "fenliu.yaml"))
	cfg = []byte(strings.Replace(string(cfg), "profiles: []", "profiles: [profiles/*.yaml]", 1))
	os.WriteFile(filepath.Join(dir, "fenliu.yaml"), cfg, 0o644)
	out, errs, code := fenliu(t, dir, "ingest", nyc)
	if code != 0 || !strings.Contains(out, "loaded orders (profile nyc311, utf-8): read 1000 = inserted 1000") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}
