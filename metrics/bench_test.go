package metrics_test

import (
	"context"
	"database/sql"
	"fmt"
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

// scanReference times DuckDB's scan of the same columns for the period: the raw
// work every benchmark here is a ratio against.
func scanReference(b *testing.B, db *sql.DB, per period.Period) time.Duration {
	ref, err := os.ReadFile("testdata/scan_reference.sql")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	var x, y sql.NullInt64
	if err := db.QueryRow(string(ref), per.Start, per.End).Scan(&x, &y); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// BenchmarkExplainYearByDepartment: explain one indicator for a year by
// department, one department (the one with most orders), as `fenliu explain
// --period 2024 --by department --key K` does; against DuckDB's scan.
func BenchmarkExplainYearByDepartment(b *testing.B) {
	db := benchDB(b)
	per, _ := period.Parse("2024")
	q := metrics.Query{Period: per, AsOf: time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC), By: metrics.ByDepartment}
	var key string
	if err := db.QueryRow("SELECT department FROM orders GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").Scan(&key); err != nil {
		b.Fatal(err)
	}
	s := metrics.New(db, metrics.DefaultConfig(), nil)
	var ref time.Duration
	rows := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, err := s.Explain(context.Background(), q, metrics.SignRate, key)
		if err != nil {
			b.Fatal(err)
		}
		rows = len(m)
		b.StopTimer()
		ref += scanReference(b, db, per)
		b.StartTimer()
	}
	b.ReportMetric(float64(ref.Milliseconds())/float64(b.N), "scan-ms/op")
	b.ReportMetric(float64(rows), "members")
}

// BenchmarkComputeWithExemptions: the year's figures by department with 10 000
// exemptions in force against the same without any, paired run by run. The
// exemptions (approved by "fenliu-bench") are removed again when it ends.
func BenchmarkComputeWithExemptions(b *testing.B) {
	db := benchDB(b)
	per, _ := period.Parse("2024")
	q := metrics.Query{Period: per, AsOf: time.Date(2025, 1, 20, 0, 0, 0, 0, time.UTC), By: metrics.ByDepartment}
	clear := func() {
		if _, err := db.Exec("DELETE FROM exemptions WHERE approved_by = 'fenliu-bench'"); err != nil {
			b.Fatal(err)
		}
	}
	add := func() {
		if _, err := db.Exec(`INSERT INTO exemptions
			SELECT 1000000000 + row_number() OVER (), 'order', order_id, ['sign_rate', 'closure_rate'], '错派', 'fenliu-bench', TIMESTAMP '2024-12-31 09:00', NULL, NULL, NULL
			FROM (SELECT order_id FROM orders WHERE dispatched_at >= $1 AND dispatched_at < $2 ORDER BY hash(order_id) LIMIT 10000)`, per.Start, per.End); err != nil {
			b.Fatal(err)
		}
	}
	clear()
	b.Cleanup(clear)
	s := metrics.New(db, metrics.DefaultConfig(), nil)
	compute := func() time.Duration {
		start := time.Now()
		if _, err := s.Compute(context.Background(), q); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	var with, without, ref time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		clear()
		without += compute()
		add()
		ref += scanReference(b, db, per)
		b.StartTimer()
		with += compute()
	}
	b.ReportMetric(float64(without.Milliseconds())/float64(b.N), "without-ms/op")
	b.ReportMetric(float64(ref.Milliseconds())/float64(b.N), "scan-ms/op")
	b.ReportMetric(float64(with)/float64(without), "with/without")
}

// BenchmarkScanReference times DuckDB scanning the columns the indicators read
// (testdata/scan_reference.sql) over the ranges the reports read: a month, the
// 12 months a scorecard's trend covers, the 24 months of the trend report.
// FENLIU_BENCH_YEAR names the year (default 2024); .ci/bench-scale runs it
// beside the reports.
func BenchmarkScanReference(b *testing.B) {
	db := benchDB(b)
	year := 2024
	if y := os.Getenv("FENLIU_BENCH_YEAR"); y != "" {
		if _, err := fmt.Sscan(y, &year); err != nil {
			b.Fatal(err)
		}
	}
	end := time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, r := range []struct {
		name   string
		months int
	}{{"month", 1}, {"12_months", 12}, {"24_months", 24}} {
		per := period.Period{Kind: period.Month, Start: end.AddDate(0, -r.months, 0), End: end}
		b.Run(r.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				scanReference(b, db, per)
			}
		})
	}
}
