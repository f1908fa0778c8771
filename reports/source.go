package reports

import (
	"context"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
)

// Source is where a report reads its figures: a *metrics.Store over a database,
// or a fake in tests. Reports never query a store themselves.
type Source interface {
	Compute(ctx context.Context, q metrics.Query) (*metrics.Result, error)
	// ComputeMonths is Compute for each month of q.Period, in one pass.
	ComputeMonths(ctx context.Context, q metrics.Query) ([]*metrics.Result, error)
	// ComputeAll is Compute (or with Months, ComputeMonths) for each want at one
	// T, the wants counted together: what a report reads at one T, in one pass.
	ComputeAll(ctx context.Context, asOf time.Time, wants []metrics.Want) ([][]*metrics.Result, error)
	// CompareTo compares q with its earlier periods; cur is q's result when it
	// was already counted, else nil.
	CompareTo(ctx context.Context, q metrics.Query, cur *metrics.Result) (*metrics.Comparison, error)
	Weekly(ctx context.Context, week period.Period, asOf time.Time, minDen int64) (*metrics.Briefing, error)
	Lists(ctx context.Context, p period.Period, asOf time.Time) (*metrics.Lists, error)
	// Detail explains the indicators for every group of a query: what a
	// scorecard's cells link to (limit members per group, 0: all).
	Detail(ctx context.Context, q metrics.Query, ids []domain.IndicatorID, limit int) (*metrics.Detail, error)
	Coverage(ctx context.Context) ([]metrics.File, error)
}

var _ Source = (*metrics.Store)(nil)
