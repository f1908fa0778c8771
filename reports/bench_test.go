package reports_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
	"github.com/fenliu/fenliu/reports"
)

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// longLists serves the fake figures with overdue and repeat lists of n rows each.
type longLists struct {
	fakeSource
	n int
}

func (l longLists) Lists(_ context.Context, p period.Period, _ time.Time) (*metrics.Lists, error) {
	at := p.Start.Add(8 * time.Hour)
	out := &metrics.Lists{}
	for i := 0; i < l.n; i++ {
		out.Overdue = append(out.Overdue, metrics.OverdueOrder{OrderID: fmt.Sprintf("GD2024%08d", i), CallID: fmt.Sprintf("J2024%08d", i),
			Department: "市场监管局", Town: "枫桥镇", DispatchedAt: at, DueAt: at.AddDate(0, 0, 15), Status: domain.StatusHandling, DaysOver: 35})
		out.Repeats = append(out.Repeats, metrics.RepeatCall{CallID: fmt.Sprintf("J2024%08d", i), ReceivedAt: at, Caller: "138****5678",
			Address: "诸暨市枫桥镇枫源村人民路12号", Category: "纠纷", Town: "枫桥镇", RepeatAt: at.Add(49 * time.Hour)})
	}
	return out, nil
}

// BenchmarkWriteLongLists writes a scorecard whose overdue and repeat lists hold
// 200 000 rows each (StreamWriter): time per workbook and its size.
func BenchmarkWriteLongLists(b *testing.B) {
	p, _ := period.Parse("2024-05")
	sc, err := reports.Monthly(context.Background(), longLists{n: 200000}, metrics.DefaultConfig(), score.DefaultConfig(), p,
		time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC))
	if err != nil {
		b.Fatal(err)
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
