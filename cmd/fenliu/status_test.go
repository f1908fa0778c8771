package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// status summarises an installation on one screen, before anything ran and
// after; it reads only.
func TestStatus(t *testing.T) {
	dir := install(t)
	out, errs, code := fenliu(t, dir, "status")
	if code != 0 {
		t.Fatalf("status on a new installation: exit %d %s", code, errs)
	}
	mustContain(t, "new", out, "not created yet", "inbox    never run; next ", "monthly  none yet", "0 waiting", "failed", "0 files", "deliveries: 0 recipients")
	if _, err := os.Stat(filepath.Join(dir, "fenliu.duckdb")); err == nil {
		t.Error("status created the database")
	}

	data, _ := os.ReadFile(repoFile(t, "etl", "testdata", "calls_rules.csv"))
	os.WriteFile(filepath.Join(dir, "inbox", "calls.csv"), data, 0o644)
	os.WriteFile(filepath.Join(dir, "inbox", "bad.csv"), []byte("不是,导出\n1,2\n"), 0o644)
	fenliu(t, dir, "schedule", "--once")
	fenliu(t, dir, "schedule", "--once")
	os.WriteFile(filepath.Join(dir, "inbox", "orders.xlsx"), []byte("PK\x03\x04"), 0o644)
	os.WriteFile(filepath.Join(dir, "inbox", "~$orders.xlsx"), []byte("owner"), 0o644)
	out, errs, code = fenliu(t, dir, "status")
	if code != 0 {
		t.Fatalf("status: exit %d %s", code, errs)
	}
	mustContain(t, "after runs", out,
		"data:      5 calls (2024-05-01 08:30 to 2024-05-02 10:00), 0 orders", "last load: ", "calls.csv",
		"inbox    ", " ok; last success ", "monthly  ", "_月度考评通报",
		"1 waiting", "orders.xlsx (4 B): locked: open in another program",
		"1 files", "bad.csv: ", "missing required columns")
	if strings.Contains(out, "~$orders.xlsx") {
		t.Errorf("the lock file is listed as waiting:\n%s", out)
	}
}
