// Package score turns indicator rates into scores and ranks (SPEC §4).
package score

import (
	"fmt"
	"sort"
)

// Rule is the scoring of one indicator: weight w, target t and floor f.
type Rule struct {
	Weight float64 `yaml:"weight"`
	Target float64 `yaml:"target"`
	Floor  float64 `yaml:"floor"`
}

// Config is the scoring of SPEC §4.
type Config struct {
	MinOrders  int             `yaml:"min_orders"`
	Indicators map[string]Rule `yaml:"indicators"`
}

// DefaultConfig gives Shengzhou's five indicators, 100 points, and satisfaction
// reported with weight 0.
func DefaultConfig() Config {
	return Config{
		MinOrders: 5,
		Indicators: map[string]Rule{
			"sign_rate":         {Weight: 20, Target: 0.98, Floor: 0.80},
			"arrival_rate":      {Weight: 20, Target: 0.95, Floor: 0.70},
			"closure_rate":      {Weight: 20, Target: 0.95, Floor: 0.70},
			"resolution_rate":   {Weight: 25, Target: 0.90, Floor: 0.60},
			"repeat_rate":       {Weight: 15, Target: 0.02, Floor: 0.15},
			"satisfaction_rate": {Weight: 0, Target: 0.95, Floor: 0.80},
		},
	}
}

// Indicators that may be scored: the nine of SPEC §3.
var known = []string{"sign_rate", "arrival_rate", "closure_rate", "resolution_rate", "repeat_rate",
	"diversion_ratio", "nonpolice_diversion_ratio", "satisfaction_rate", "return_rate"}

// Validate checks weights ≥ 0, target ≠ floor, rates within [0, 1] and known ids.
func (c Config) Validate() error {
	if c.MinOrders < 0 {
		return fmt.Errorf("scoring.min_orders: must not be negative")
	}
	ids := make([]string, 0, len(c.Indicators))
	for id := range c.Indicators {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r := c.Indicators[id]
		ok := false
		for _, k := range known {
			ok = ok || k == id
		}
		switch {
		case !ok:
			return fmt.Errorf("scoring.indicators.%s: unknown indicator (known: %v)", id, known)
		case r.Weight < 0:
			return fmt.Errorf("scoring.indicators.%s.weight: must not be negative", id)
		case r.Target == r.Floor:
			return fmt.Errorf("scoring.indicators.%s: target and floor must differ", id)
		case r.Target < 0 || r.Target > 1 || r.Floor < 0 || r.Floor > 1:
			return fmt.Errorf("scoring.indicators.%s: target and floor are rates between 0 and 1", id)
		}
	}
	return nil
}
