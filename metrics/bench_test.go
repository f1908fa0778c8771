package metrics_test

import (
	"context"
	"database/sql"
	"os"
	"testing"
	"time"

	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/queries"
)

// benchDB opens the database named by FENLIU_BENCH_DB (for example 10 M calls of 2024
// loaded by `fenliu gen` + `fenliu ingest`: .ci/bench-metrics does it); without it the
// benchmarks use the 20 k-call generated fixture.
func benchDB(b *testing.B) *sql.DB {
	path := os.Getenv("FENLIU_BENCH_DB")
	if path == "" {
		return loadFixture(b, generatedB(b))
	}
	db, err := queries.Open(context.Background(), path, queries.Options{Threads: 2, MemoryLimit: "4GB"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func benchCompute(b *testing.B, p string, by metrics.By) {
	db := benchDB(b)
	per, _ := period.Parse(p)
	q := metrics.Query{Period: per, AsOf: time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC), By: by}
	ref, _ := os.ReadFile("testdata/scan_reference.sql")
	b.ResetTimer()
	var refTime time.Duration
	for i := 0; i < b.N; i++ {
		if _, err := metrics.New(db, metrics.DefaultConfig(), nil).Compute(context.Background(), q); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		start := time.Now()
		var x, y sql.NullInt64
		if err := db.QueryRow(string(ref), per.Start, per.End).Scan(&x, &y); err != nil {
			b.Fatal(err)
		}
		refTime += time.Since(start)
		b.StartTimer()
	}
	b.ReportMetric(float64(refTime.Milliseconds())/float64(b.N), "scan-ms/op")
}

func BenchmarkComputeMonthByDepartment(b *testing.B) {
	benchCompute(b, "2024-05", metrics.ByDepartment)
}
func BenchmarkComputeYearByDepartment(b *testing.B) { benchCompute(b, "2024", metrics.ByDepartment) }
func BenchmarkComputeMonthByCounty(b *testing.B)    { benchCompute(b, "2024-05", metrics.ByCounty) }
