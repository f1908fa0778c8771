package score

import (
	"math/big"
	"sort"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
)

// Score is one group's score (SPEC §4, §8). Total is nil only when no weighted
// indicator has den > 0. A part is nil when its indicator dropped out (den = 0);
// indicators of weight 0 have no part. Insufficient groups (样本不足) are not ranked.
type Score struct {
	Key          string
	Kind         domain.DeptKind // peer group: the department kind; domain.AllUnits for towns and counties
	Total        *float64
	Parts        map[domain.IndicatorID]*float64
	Insufficient bool
	Ranked       bool
	Rank         *int
	exact        *big.Rat
}

// Groups scores and ranks every group of a metrics result. Scores are computed
// exactly from num/den and rounded half up to 2 places; ranks compare the rounded
// totals, competition style (1, 2, 2, 4), within the peer group.
func Groups(res *metrics.Result, cfg Config) []Score {
	weight := cfg.FullMarks()
	out := make([]Score, 0, len(res.Groups))
	for _, g := range res.Groups {
		s := Score{Key: g.Key, Kind: g.Kind, Parts: map[domain.IndicatorID]*float64{}}
		if res.By != metrics.ByDepartment {
			s.Kind = domain.AllUnits
		} else if s.Kind == "" {
			s.Kind = domain.OtherKind
		}
		available := new(big.Rat)
		raw := map[domain.IndicatorID]*big.Rat{}
		for _, in := range metrics.Indicators {
			r, ok := cfg.Indicators[in.ID]
			if !ok || r.Weight <= 0 {
				continue
			}
			x := g.Indicators[in.ID]
			if x.Den == 0 {
				s.Parts[in.ID] = nil
				continue
			}
			available.Add(available, rat(r.Weight))
			raw[in.ID] = part(x.Rat(), r, in.LowerBetter)
		}
		if available.Sign() > 0 {
			scale := new(big.Rat).Quo(weight, available)
			total := new(big.Rat)
			for id, p := range raw {
				p.Mul(p, scale)
				total.Add(total, p)
				v := metrics.RoundHalfUp(p, 2)
				s.Parts[id] = &v
			}
			t := metrics.RoundHalfUp(total, 2)
			s.Total, s.exact = &t, total
		}
		half := new(big.Rat).Quo(weight, big.NewRat(2, 1))
		s.Insufficient = g.Counts.EffectiveOrders < int64(cfg.MinOrders) || available.Cmp(half) < 0
		s.Ranked = !s.Insufficient && s.Total != nil
		out = append(out, s)
	}
	Rank(out)
	return out
}

// part is w · clamp((r − f)/(t − f), 0, 1), or for a lower-is-better indicator
// w · clamp((f − r)/(f − t), 0, 1), exactly.
func part(r *big.Rat, rule Rule, lowerBetter bool) *big.Rat {
	t, f := rat(rule.Target), rat(rule.Floor)
	var x *big.Rat
	if lowerBetter {
		x = new(big.Rat).Quo(new(big.Rat).Sub(f, r), new(big.Rat).Sub(f, t))
	} else {
		x = new(big.Rat).Quo(new(big.Rat).Sub(r, f), new(big.Rat).Sub(t, f))
	}
	switch {
	case x.Sign() < 0:
		x.SetInt64(0)
	case x.Cmp(big.NewRat(1, 1)) > 0:
		x.SetInt64(1)
	}
	return x.Mul(x, rat(rule.Weight))
}

// rat reads a configured decimal as written (0.98 is 98/100, not the nearest binary
// fraction), so that a rate exactly at target scores the full weight.
func rat(v float64) *big.Rat {
	r, ok := new(big.Rat).SetString(formatDecimal(v))
	if !ok {
		return new(big.Rat).SetFloat64(v)
	}
	return r
}

func formatDecimal(v float64) string { return big.NewFloat(v).Text('g', 15) }

// Rank sets Rank on the ranked scores: within each peer group (Kind), by total
// rounded to 2 places, descending, competition style: equal totals share a rank
// and the next rank skips (1, 2, 2, 4).
func Rank(scores []Score) {
	byKind := map[domain.DeptKind][]int{}
	for i, s := range scores {
		s.Rank = nil
		scores[i] = s
		if s.Ranked {
			byKind[s.Kind] = append(byKind[s.Kind], i)
		}
	}
	for _, idx := range byKind {
		sort.SliceStable(idx, func(a, b int) bool { return *scores[idx[a]].Total > *scores[idx[b]].Total })
		for pos, i := range idx {
			r := pos + 1
			if pos > 0 && *scores[idx[pos-1]].Total == *scores[i].Total {
				r = *scores[idx[pos-1]].Rank
			}
			scores[i].Rank = &r
		}
	}
}
