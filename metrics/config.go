package metrics

import (
	"fmt"
	"time"

	"github.com/fenliu/fenliu/domain"
)

// Config holds the settings of the indicators (SPEC §3). DefaultConfig gives the
// SPEC's defaults.
type Config struct {
	Skew          time.Duration                                         `yaml:"skew"`
	SignSLA       map[domain.Priority]time.Duration                     `yaml:"sign_sla"`    // by priority
	ArrivalSLA    map[domain.Priority]map[domain.AreaType]time.Duration `yaml:"arrival_sla"` // by priority, area type
	ClosureDays   map[domain.Difficulty]int                             `yaml:"closure_days"`
	SameIncident  time.Duration                                         `yaml:"same_incident"`
	RepeatWindow  time.Duration                                         `yaml:"repeat_window"`
	PartialCredit float64                                               `yaml:"partial_credit"`
	// ProvisionalShare: a figure whose pending members are more than this share
	// of its population (den + pending) is provisional (暂定) in every report.
	ProvisionalShare float64 `yaml:"provisional_share"`
}

// DefaultConfig returns the defaults of SPEC §3 (Zhuji's emergency standard, Taizhou's
// closure days).
func DefaultConfig() Config {
	return Config{
		Skew:    5 * time.Minute,
		SignSLA: map[domain.Priority]time.Duration{domain.Urgent: 5 * time.Minute, domain.Normal: 30 * time.Minute},
		ArrivalSLA: map[domain.Priority]map[domain.AreaType]time.Duration{
			domain.Urgent: {domain.City: 5 * time.Minute, domain.Township: 5 * time.Minute, domain.Rural: 10 * time.Minute},
			domain.Normal: {domain.City: 30 * time.Minute, domain.Township: 30 * time.Minute, domain.Rural: 60 * time.Minute},
		},
		ClosureDays:      map[domain.Difficulty]int{domain.Easy: 7, domain.Ordinary: 15, domain.Hard: 30},
		SameIncident:     30 * time.Minute,
		RepeatWindow:     7 * 24 * time.Hour,
		PartialCredit:    0,
		ProvisionalShare: 0.05,
	}
}

// Validate checks that every priority, area type and difficulty has a positive
// setting and that the windows make sense. Errors name the key.
func (c Config) Validate() error {
	for _, p := range domain.Priorities {
		if c.SignSLA[p] <= 0 {
			return fmt.Errorf("indicators.sign_sla.%s: must be a positive duration such as 30m", p)
		}
		for _, a := range domain.AreaTypes {
			if c.ArrivalSLA[p][a] <= 0 {
				return fmt.Errorf("indicators.arrival_sla.%s.%s: must be a positive duration such as 30m", p, a)
			}
		}
	}
	for _, d := range domain.Difficulties {
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
	case c.ProvisionalShare < 0 || c.ProvisionalShare > 1:
		return fmt.Errorf("indicators.provisional_share: must be between 0 and 1")
	}
	return nil
}
