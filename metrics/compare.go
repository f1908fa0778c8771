package metrics

import (
	"context"
	"math/big"

	"github.com/fenliu/fenliu/metrics/period"
)

// Comparison holds a result with the results of the preceding period (环比, month
// on month) and of the same period a year earlier (同比), all at the same as-of
// time T.
type Comparison struct {
	Current, Prev, YearAgo *Result
}

// Compare computes q and its two comparison periods.
func (s *Store) Compare(ctx context.Context, q Query) (*Comparison, error) {
	cur, err := s.Compute(ctx, q)
	if err != nil {
		return nil, err
	}
	pq, yq := q, q
	pq.Period, yq.Period = q.Period.Prev(), q.Period.YearAgo()
	prev, err := s.Compute(ctx, pq)
	if err != nil {
		return nil, err
	}
	yago, err := s.Compute(ctx, yq)
	if err != nil {
		return nil, err
	}
	return &Comparison{Current: cur, Prev: prev, YearAgo: yago}, nil
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
