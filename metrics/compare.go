package metrics

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/queries"
)

// Comparison holds a result with the results of the preceding period (环比, month
// on month) and of the same period a year earlier (同比). By default each earlier
// period is taken as it stood as long after its end as T is after the current
// period's end (same maturity), so that a month with open windows is not set
// against a settled one; Query.Compare = Settled takes them all at T. An earlier
// period with much less data than the current is not comparable: its note says
// why, and its changes are not shown.
type Comparison struct {
	Current, Prev, YearAgo *Result
	Mode                   CompareMode
	PrevNote, YearAgoNote  string // "" when comparable; else why not (不可比)
}

// CompareMode says at which T the earlier periods of a comparison are taken.
type CompareMode string

// The comparison modes.
const (
	SameMaturity CompareMode = ""        // the default: the same time after their end as T is after the period's
	Settled      CompareMode = "settled" // every period at T
)

// ParseCompareMode reads a --compare value: maturity (the default) or settled.
func ParseCompareMode(s string) (CompareMode, error) {
	switch s {
	case "", "maturity":
		return SameMaturity, nil
	case "settled":
		return Settled, nil
	}
	return "", fmt.Errorf("--compare %q: want maturity or settled", s)
}

// Longest is the longest window an indicator waits on (the longest closure SLA,
// arrival and sign windows, the repeat window, plus the clock skew): once T is that
// far past a period's end, every figure of it has settled.
func (c Config) Longest() time.Duration {
	var d time.Duration
	for _, days := range c.ClosureDays {
		d = max(d, time.Duration(days)*24*time.Hour)
	}
	for _, v := range c.SignSLA {
		d = max(d, v)
	}
	for _, m := range c.ArrivalSLA {
		for _, v := range m {
			d = max(d, v)
		}
	}
	return max(d, c.RepeatWindow) + c.Skew
}

// MatureAsOf is T′, the as-of time of an earlier period compared with p at T:
// T′ = earlier.end + (T − p.end), as long after its end as T is after p's; T
// itself once T is past p's end by the longest window (both have settled) or in
// Settled mode.
func (c Config) MatureAsOf(mode CompareMode, p, earlier period.Period, asOf time.Time) time.Time {
	t := wall(asOf)
	after := t.Sub(p.End)
	if mode == Settled || after >= c.Longest() {
		return asOf
	}
	return earlier.End.Add(after)
}

// Compare computes q and its two comparison periods.
func (s *Store) Compare(ctx context.Context, q Query) (*Comparison, error) {
	return s.CompareTo(ctx, q, nil)
}

// CompareTo is Compare for a current result already counted: cur is q's (as
// ComputeAll gave it beside other groupings), or nil to count it.
func (s *Store) CompareTo(ctx context.Context, q Query, cur *Result) (*Comparison, error) {
	if cur == nil {
		var err error
		if cur, err = s.Compute(ctx, q); err != nil {
			return nil, err
		}
	}
	out := &Comparison{Current: cur, Mode: q.Compare}
	curExtent, err := s.extent(ctx, q.Period, q.AsOf)
	if err != nil {
		return nil, err
	}
	for _, e := range []struct {
		p    period.Period
		res  **Result
		note *string
	}{{q.Period.Prev(), &out.Prev, &out.PrevNote}, {q.Period.YearAgo(), &out.YearAgo, &out.YearAgoNote}} {
		eq := q
		eq.Period, eq.AsOf = e.p, s.cfg.MatureAsOf(q.Compare, q.Period, e.p, q.AsOf)
		if *e.res, err = s.Compute(ctx, eq); err != nil {
			return nil, err
		}
		x, err := s.extent(ctx, e.p, eq.AsOf)
		if err != nil {
			return nil, err
		}
		*e.note = curExtent.comparable(x)
	}
	return out, nil
}

// extent is how much data a period holds up to T: calls, orders, days with calls,
// and the days of the period up to T.
type extent struct {
	calls, orders, days int64
	length              float64 // days of the period up to T
}

func (s *Store) extent(ctx context.Context, p period.Period, asOf time.Time) (extent, error) {
	var e extent
	t := wall(asOf)
	if err := s.db.QueryRowContext(ctx, queries.DataExtent.SQL, p.Start, p.End, t).Scan(&e.calls, &e.orders, &e.days); err != nil {
		return e, fmt.Errorf("metrics: %s: %w", queries.DataExtent.Name, err)
	}
	end := p.End
	if t.Before(end) {
		end = t
	}
	e.length = max(end.Sub(p.Start).Hours()/24, 0)
	return e, nil
}

// comparable says why an earlier period cannot be set against the current one,
// or "": it has fewer than half the current calls or orders, or data on a smaller
// share of its days (less 10 %).
func (cur extent) comparable(prev extent) string {
	switch {
	case cur.calls == 0 && cur.orders == 0:
		return ""
	case prev.calls == 0 && prev.orders == 0:
		return "对比期无数据"
	case prev.calls*2 < cur.calls:
		return fmt.Sprintf("对比期警情%d起，不足本期%d起的一半", prev.calls, cur.calls)
	case prev.orders*2 < cur.orders:
		return fmt.Sprintf("对比期工单%d件，不足本期%d件的一半", prev.orders, cur.orders)
	case cur.length > 0 && prev.length > 0 && float64(prev.days)/prev.length < 0.9*float64(cur.days)/cur.length:
		return fmt.Sprintf("对比期有数据的仅%d天，本期%d天", prev.days, cur.days)
	}
	return ""
}

// PointsChange is the change of a rate in percentage points (百分点): nil when either
// rate is undefined.
func PointsChange(cur, prev Ratio) *float64 {
	c, p := cur.Rate(), prev.Rate()
	if c == nil || p == nil {
		return nil
	}
	v := (*c - *p) * 100
	return &v
}

// PercentChange is the change of a count in percent: nil when the earlier count is 0.
func PercentChange(cur, prev int64) *float64 {
	if prev == 0 {
		return nil
	}
	v := float64(cur-prev) / float64(prev) * 100
	return &v
}

// RoundHalfUp rounds the exact fraction r to places decimals, halves away from zero
// for positive values (SPEC §8: JSON rates to 4 places, scores to 2).
func RoundHalfUp(r *big.Rat, places int) float64 {
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil))
	x := new(big.Rat).Mul(r, scale)
	x.Add(x, big.NewRat(1, 2))
	q := new(big.Int).Quo(x.Num(), x.Denom()) // floor for x ≥ 0
	if x.Sign() < 0 && new(big.Int).Mul(q, x.Denom()).Cmp(x.Num()) != 0 {
		q.Sub(q, big.NewInt(1))
	}
	f, _ := new(big.Rat).Quo(new(big.Rat).SetInt(q), scale).Float64()
	return f
}

// Month returns the comparison's result for period p if it holds one, else nil.
func (c *Comparison) Month(p period.Period) *Result {
	for _, r := range []*Result{c.Current, c.Prev, c.YearAgo} {
		if r != nil && r.Period == p {
			return r
		}
	}
	return nil
}
