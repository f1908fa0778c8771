package main

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadingNeverWrites: metrics and report run while another process holds the
// database read-only, and leave its bytes as they were; a store whose derived facts
// do not follow the settings is rebuilt once, with a word on stderr (issue 11).
func TestReadingNeverWrites(t *testing.T) {
	dir := boundaryInstall(t)
	db := filepath.Join(dir, "fenliu.duckdb")
	sum := func() [32]byte {
		b, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		return sha256.Sum256(b)
	}
	before := sum()
	holdReadOnly(t, db)
	for _, args := range [][]string{
		{"metrics", "--period", "2024-05", "--as-of", "2024-06-20", "--by", "department"},
		{"score", "--period", "2024-05", "--as-of", "2024-06-20"},
		{"report", "monthly", "--period", "2024-05", "--as-of", "2024-06-20"},
		{"report", "weekly", "--period", "2024-W21", "--as-of", "2024-06-20"},
		{"rejects"},
		{"files"},
		{"explain", "--period", "2024-05", "--as-of", "2024-06-20", "--indicator", "签收率"},
		{"exempt", "list", "--all"},
		{"status"},
		{"jobs"},
	} {
		_, errs, code := fenliu(t, dir, args...)
		if code != 0 || strings.Contains(errs, "rebuilt") {
			t.Errorf("%v beside a reader: exit %d %s", args, code, errs)
		}
	}
	// A second writer beside the reader is refused whole, with a message; the
	// exemption is not half-recorded.
	_, errs, code := fenliu(t, dir, "exempt", "add", "--order", "O02", "--reason", "错派", "--approved-by", "张三", "--at", "2024-06-10")
	if code != exitFailed || errs == "" {
		t.Errorf("exempt add beside a reader: exit %d %q", code, errs)
	}
	t.Logf("exempt add beside a reader: %s", strings.TrimSpace(errs))
	if out, _, _ := fenliu(t, dir, "exempt", "list", "--format", "json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("a refused add left an exemption: %s", out)
	}
	if sum() != before {
		t.Error("reading changed the database file")
	}
}

// TestStaleStoreRebuiltOnceAndSaid: after a settings change, the first reading
// command rebuilds the derived facts and says so; the next one does not.
func TestStaleStoreRebuiltOnceAndSaid(t *testing.T) {
	dir := boundaryInstall(t)
	cfg, _ := os.ReadFile(filepath.Join(dir, "fenliu.yaml"))
	os.WriteFile(filepath.Join(dir, "fenliu.yaml"), []byte(strings.Replace(string(cfg), "same_incident: 30m", "same_incident: 3h", 1)), 0o644)
	args := []string{"metrics", "--period", "2024-05", "--as-of", "2024-06-20"}
	_, errs, code := fenliu(t, dir, args...)
	if code != 0 || !strings.Contains(errs, "brought up to date before reading") {
		t.Fatalf("first read after the change: exit %d %q", code, errs)
	}
	if _, errs, _ := fenliu(t, dir, args...); strings.Contains(errs, "rebuilt") {
		t.Errorf("rebuilt twice: %q", errs)
	}
}
