package etl

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fenliu/fenliu/etl/synth"
	"github.com/fenliu/fenliu/queries"
)

// A load's classification holds no incoming row in a join unless its id is
// already stored, and compares those in a statement DuckDB can spill: a year of
// new calls into a store of four years ran out of memory when the whole rows
// of the file were the build side of a join with the stored calls. Here the
// same at a small scale under a small memory limit: a new year of calls and
// orders, then a re-export of the first year (every row unchanged).
func TestLargeLoadsWithinASmallMemoryLimit(t *testing.T) {
	// 300 000 calls a year under 128MB: the old classification ran out of
	// memory on the second year's calls.
	const n, limit = 300_000, "128MB"
	dir := t.TempDir()
	for _, y := range []int{2022, 2023} {
		from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		if _, err := synth.Generate(filepath.Join(dir, strconv.Itoa(y)), synth.Options{Calls: n, From: from, To: from.AddDate(1, 0, 0), Seed: uint64(y)}); err != nil {
			t.Fatal(err)
		}
	}
	db, err := queries.Open(context.Background(), filepath.Join(dir, "m.duckdb"), queries.Options{Threads: 2, MemoryLimit: limit, Create: true, TempDir: filepath.Join(dir, "spill")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, f := range []string{"2022/calls.csv", "2022/orders.csv", "2023/calls.csv", "2023/orders.csv"} {
		if acc := load(t, db, filepath.Join(dir, f), opts(t)); acc.Inserted != acc.Read {
			t.Fatalf("%s: %+v", f, acc)
		}
	}
	// The first year again, as new bytes: every row stored already and the same.
	src, err := os.ReadFile(filepath.Join(dir, "2022", "calls.csv"))
	if err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(dir, "again.csv")
	if err := os.WriteFile(again, []byte(strings.ReplaceAll(string(src), "\n", "\r\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	if acc := load(t, db, again, opts(t)); acc.Unchanged != acc.Read || acc.Read != int64(n) {
		t.Fatalf("re-export: %+v", acc)
	}
}
