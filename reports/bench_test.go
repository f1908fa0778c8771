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
		at := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
		sc.Overdue = append(sc.Overdue, metrics.OverdueOrder{OrderID: fmt.Sprintf("GD2024%08d", i), CallID: fmt.Sprintf("J2024%08d", i),
			Department: "市场监管局", Town: "枫桥镇", DispatchedAt: at, DueAt: at.AddDate(0, 0, 15), Status: "处置中", DaysOver: 35})
		sc.Repeats = append(sc.Repeats, metrics.RepeatCall{CallID: fmt.Sprintf("J2024%08d", i), ReceivedAt: at, Caller: "138****5678",
			Address: "诸暨市枫桥镇枫源村人民路12号", Category: "纠纷", Town: "枫桥镇", RepeatAt: at.Add(49 * time.Hour)})
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
