package metrics

import (
	"fmt"
	"time"
)

// Config holds the settings of the indicators (SPEC §3). DefaultConfig gives the
// SPEC's defaults.
type Config struct {
	Skew          time.Duration                       `yaml:"skew"`
	SignSLA       map[string]time.Duration            `yaml:"sign_sla"`    // by priority
	ArrivalSLA    map[string]map[string]time.Duration `yaml:"arrival_sla"` // by priority, area type
	ClosureDays   map[string]int                      `yaml:"closure_days"`
	SameIncident  time.Duration                       `yaml:"same_incident"`
	RepeatWindow  time.Duration                       `yaml:"repeat_window"`
	PartialCredit float64                             `yaml:"partial_credit"`
}

// DefaultConfig returns the defaults of SPEC §3 (Zhuji's emergency standard, Taizhou's
// closure days).
func DefaultConfig() Config {
	return Config{
		Skew:    5 * time.Minute,
		SignSLA: map[string]time.Duration{"紧急": 5 * time.Minute, "一般": 30 * time.Minute},
		ArrivalSLA: map[string]map[string]time.Duration{
			"紧急": {"城区": 5 * time.Minute, "集镇": 5 * time.Minute, "农村": 10 * time.Minute},
			"一般": {"城区": 30 * time.Minute, "集镇": 30 * time.Minute, "农村": 60 * time.Minute},
		},
		ClosureDays:   map[string]int{"简易": 7, "一般": 15, "疑难": 30},
		SameIncident:  30 * time.Minute,
		RepeatWindow:  7 * 24 * time.Hour,
		PartialCredit: 0,
	}
}

// Validate checks that every priority, area type and difficulty has a positive
// setting and that the windows make sense. Errors name the key.
func (c Config) Validate() error {
	for _, p := range []string{"紧急", "一般"} {
		if c.SignSLA[p] <= 0 {
			return fmt.Errorf("indicators.sign_sla.%s: must be a positive duration such as 30m", p)
		}
		for _, a := range []string{"城区", "集镇", "农村"} {
			if c.ArrivalSLA[p][a] <= 0 {
				return fmt.Errorf("indicators.arrival_sla.%s.%s: must be a positive duration such as 30m", p, a)
			}
		}
	}
	for _, d := range []string{"简易", "一般", "疑难"} {
		if c.ClosureDays[d] <= 0 {
			return fmt.Errorf("indicators.closure_days.%s: must be a positive number of days", d)
		}
	}
	switch {
	case c.Skew < 0:
		return fmt.Errorf("indicators.skew: must not be negative")
	case c.SameIncident < 0:
		return fmt.Errorf("indicators.same_incident: must not be negative")
	case c.RepeatWindow <= c.SameIncident:
		return fmt.Errorf("indicators.repeat_window: must be longer than same_incident")
	case c.PartialCredit < 0 || c.PartialCredit > 1:
		return fmt.Errorf("indicators.partial_credit: must be between 0 and 1")
	}
	return nil
}
