// Package score turns indicator rates into scores and ranks (SPEC §4).
package score

import (
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
)

// Rule is the scoring of one indicator: weight w, target t and floor f.
type Rule struct {
	Weight float64 `yaml:"weight"`
	Target float64 `yaml:"target"`
	Floor  float64 `yaml:"floor"`
}

// Below reports a rate below the floor (above it when lower is better): the
// judgement the reports colour red and the warnings raise.
func (r Rule) Below(rate float64, lowerBetter bool) bool {
	if lowerBetter {
		return rate > r.Floor
	}
	return rate < r.Floor
}

// AtTarget reports a rate at or beyond the target.
func (r Rule) AtTarget(rate float64, lowerBetter bool) bool {
	if lowerBetter {
		return rate <= r.Target
	}
	return rate >= r.Target
}

// Config is the scoring of SPEC §4.
type Config struct {
	MinOrders  int                         `yaml:"min_orders"`
	Indicators map[domain.IndicatorID]Rule `yaml:"indicators"`
}

// DefaultConfig gives Shengzhou's five indicators, 100 points, and satisfaction
// reported with weight 0.
func DefaultConfig() Config {
	return Config{
		MinOrders: 5,
		Indicators: map[domain.IndicatorID]Rule{
			"sign_rate":         {Weight: 20, Target: 0.98, Floor: 0.80},
			"arrival_rate":      {Weight: 20, Target: 0.95, Floor: 0.70},
			"closure_rate":      {Weight: 20, Target: 0.95, Floor: 0.70},
			"resolution_rate":   {Weight: 25, Target: 0.90, Floor: 0.60},
			"repeat_rate":       {Weight: 15, Target: 0.02, Floor: 0.15},
			"satisfaction_rate": {Weight: 0, Target: 0.95, Floor: 0.80},
		},
	}
}

// Validate checks the scoring: known indicators, weights ≥ 0 and at least one
// positive, rates within [0, 1], and the target on the good side of the floor
// (above it, or below it for a lower-is-better indicator). Errors name the key.
func (c Config) Validate() error {
	if c.MinOrders < 0 {
		return fmt.Errorf("scoring.min_orders: must not be negative")
	}
	ids := make([]domain.IndicatorID, 0, len(c.Indicators))
	for id := range c.Indicators {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var known []domain.IndicatorID
	for _, in := range metrics.Indicators {
		known = append(known, in.ID)
	}
	for _, id := range ids {
		r := c.Indicators[id]
		in, ok := metrics.IndicatorByID(id)
		switch {
		case !ok:
			return fmt.Errorf("scoring.indicators.%s: unknown indicator (known: %v)", id, known)
		case r.Weight < 0:
			return fmt.Errorf("scoring.indicators.%s.weight: must not be negative", id)
		case r.Target == r.Floor:
			return fmt.Errorf("scoring.indicators.%s: target and floor must differ", id)
		case r.Target < 0 || r.Target > 1 || r.Floor < 0 || r.Floor > 1:
			return fmt.Errorf("scoring.indicators.%s: target and floor are rates between 0 and 1", id)
		case !in.LowerBetter && r.Target < r.Floor:
			return fmt.Errorf("scoring.indicators.%s: target %v is below floor %v, but %s is better when higher: the target is the rate to reach, the floor the worst acceptable", id, r.Target, r.Floor, in.Name)
		case in.LowerBetter && r.Target > r.Floor:
			return fmt.Errorf("scoring.indicators.%s: target %v is above floor %v, but %s is better when lower: the target must be below the floor", id, r.Target, r.Floor, in.Name)
		}
	}
	if c.FullMarks().Sign() == 0 {
		return fmt.Errorf("scoring.indicators: every weight is 0; give at least one indicator a weight")
	}
	return nil
}

// FullMarks is the total of the positive weights (满分): what a group scores with
// every weighted indicator at target. It is the one place the total is made;
// scores scale to it and reports print it.
func (c Config) FullMarks() *big.Rat {
	total := new(big.Rat)
	for _, in := range metrics.Indicators {
		if r, ok := c.Indicators[in.ID]; ok && r.Weight > 0 {
			total.Add(total, rat(r.Weight))
		}
	}
	return total
}

// FullMarksText is FullMarks as reports print it: "100", "92.5".
func (c Config) FullMarksText() string {
	return strings.TrimSuffix(strings.TrimRight(c.FullMarks().FloatString(2), "0"), ".")
}

// Weighted lists the indicators with a positive weight, in the SPEC's order: the
// indicators a score is made of.
func (c Config) Weighted() []metrics.Indicator {
	var out []metrics.Indicator
	for _, in := range metrics.Indicators {
		if r, ok := c.Indicators[in.ID]; ok && r.Weight > 0 {
			out = append(out, in)
		}
	}
	return out
}
