package etl

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fenliu/fenliu/etl/synth"
	"github.com/fenliu/fenliu/queries"
)

// benchCalls is the size of the generated export for the load benchmarks; set
// FENLIU_BENCH_CALLS for a larger run (the .ci/bench script uses 1 M).
func benchCalls() int {
	if n := os.Getenv("FENLIU_BENCH_CALLS"); n != "" {
		var v int
		for _, r := range n {
			v = v*10 + int(r-'0')
		}
		return v
	}
	return 200000
}

func benchExport(b *testing.B) string {
	dir := b.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Calls: benchCalls(), From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		To: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Seed: 11}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkLoadCalls is a full Load of a generated calls.csv into a new database.
// Compare with BenchmarkRawReadCSV: DuckDB reading the same file, all as text.
func BenchmarkLoadCalls(b *testing.B) {
	benchLoad(b, "calls.csv")
}

func BenchmarkLoadOrders(b *testing.B) {
	benchLoad(b, "orders.csv")
}

func benchLoad(b *testing.B, name string) {
	path := filepath.Join(benchExport(b), name)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := openDB(b)
		b.StartTimer()
		o := opts(b)
		o.Now = time.Date(2025, 1, 2, 0, 0, 0, 0, shanghai) // after the generated year
		if os.Getenv("FENLIU_BENCH_DEBUG") != "" {
			o.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		}
		acc, err := Load(context.Background(), db, path, o)
		if err != nil {
			b.Fatal(err)
		}
		if acc.Rejected > acc.Read/100 {
			b.Fatalf("%d of %d rows rejected: the benchmark would measure the ledger", acc.Rejected, acc.Read)
		}
		b.ReportMetric(float64(acc.Read)/b.Elapsed().Seconds()*float64(i+1), "rows/s")
	}
}

// BenchmarkRawReadCSV is the reference: DuckDB's own CSV reader loading the same
// file into a table, every column as text, with no checks at all.
func BenchmarkRawReadCSV(b *testing.B) {
	path := filepath.Join(benchExport(b), "calls.csv")
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	q, err := os.ReadFile("testdata/raw_read_csv.sql")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := queries.Open(context.Background(), filepath.Join(b.TempDir(), "raw.duckdb"), queries.Options{Threads: 2, MemoryLimit: "1GB", Create: true})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := db.Exec(string(q), path); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}
