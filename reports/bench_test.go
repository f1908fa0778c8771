package reports_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
	"github.com/fenliu/fenliu/reports"
)

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkWriteLongLists writes a scorecard whose overdue and repeat lists hold
// 200 000 rows each (StreamWriter): time per workbook and its size.
func BenchmarkWriteLongLists(b *testing.B) {
	p, _ := period.Parse("2024-05")
	empty := &metrics.Result{Period: p}
	sc := &reports.Scorecard{Frame: reports.Frame{Period: p, AsOf: time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC),
		Indicators: metrics.DefaultConfig(), Scoring: score.DefaultConfig()},
		Overview: &metrics.Comparison{Current: empty, Prev: empty, YearAgo: empty}}
	for i := 0; i < 200000; i++ {
		sc.Overdue = append(sc.Overdue, []string{fmt.Sprintf("GD2024%08d", i), fmt.Sprintf("J2024%08d", i), "市场监管局", "枫桥镇",
			"2024-05-01 08:00:00", "2024-05-16 08:00:00", "处置中", "35.0"})
		sc.Repeats = append(sc.Repeats, []string{fmt.Sprintf("J2024%08d", i), "2024-05-01 08:00:00", "138****5678",
			"诸暨市枫桥镇枫源村人民路12号", "纠纷", "枫桥镇", "2024-05-03 09:00:00"})
	}
	b.ResetTimer()
	var size int64
	for i := 0; i < b.N; i++ {
		w := &countingWriter{}
		if err := sc.WriteXLSX(w, "benchmark"); err != nil {
			b.Fatal(err)
		}
		size = w.n
	}
	b.ReportMetric(float64(size)/(1<<20), "MiB")
}
