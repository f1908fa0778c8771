// Package alerts finds what the committee and the units should hear about before
// the month's scorecard (预警): units whose month-to-date weighted indicator is
// below the floor on enough orders, orders whose closure falls due within a day
// and are not done (催办), and the call spikes of SPEC §5 in the week so far.
//
// Each warning has a key and a state: the caller sends a warning only when its
// key is new or its state changed since it was last sent, so the same warning is
// not sent twice for the same state.
package alerts

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
)

// Config is the alerts section of fenliu.yaml: which rules are on.
type Config struct {
	// BelowFloor: units whose month-to-date weighted indicator is below its floor
	// with at least scoring.min_orders in its base.
	BelowFloor bool `yaml:"below_floor"`
	// DueWithin: orders open whose closure is due within this (0: off).
	DueWithin time.Duration `yaml:"due_within"`
	// Spikes: the categories and towns whose calls spike in the week so far.
	Spikes bool `yaml:"spikes"`
}

// DefaultConfig has every rule on, chasing the orders due within a day.
func DefaultConfig() Config {
	return Config{BelowFloor: true, DueWithin: 24 * time.Hour, Spikes: true}
}

// Validate refuses a negative window.
func (c Config) Validate() error {
	if c.DueWithin < 0 {
		return fmt.Errorf("alerts.due_within %s: want 0 (off) or a positive duration such as 24h", c.DueWithin)
	}
	return nil
}

// The rules.
const (
	RuleBelowFloor = "below_floor"
	RuleDueSoon    = "due_soon"
	RuleSpike      = "spike"
)

// An Alert is one warning.
type Alert struct {
	Rule string
	// Department and Town are whom it concerns ("" when none: a spike of a
	// category concerns the whole jurisdiction).
	Department, Town string
	// Key identifies the warning across runs; State is what it says now: the
	// same key and state is not sent twice.
	Key, State string
	Text       string // one line in Chinese
}

// Source is what the warnings are computed from (a metrics.Store).
type Source interface {
	Compute(ctx context.Context, q metrics.Query) (*metrics.Result, error)
	Weekly(ctx context.Context, week period.Period, asOf time.Time, minDen int64) (*metrics.Briefing, error)
	DueSoon(ctx context.Context, asOf time.Time, within time.Duration) ([]metrics.OverdueOrder, error)
}

var _ Source = (*metrics.Store)(nil)

// Find computes the warnings at T under the rules of c, scored by sc.
func Find(ctx context.Context, src Source, c Config, sc score.Config, asOf time.Time) ([]Alert, error) {
	var out []Alert
	if c.BelowFloor {
		month := period.Of(period.Month, asOf)
		for _, by := range []metrics.By{metrics.ByDepartment, metrics.ByTown} {
			res, err := src.Compute(ctx, metrics.Query{Period: month, AsOf: asOf, By: by})
			if err != nil {
				return nil, err
			}
			out = append(out, belowFloor(res, sc, string(by), month)...)
		}
	}
	if c.DueWithin > 0 {
		orders, err := src.DueSoon(ctx, asOf, c.DueWithin)
		if err != nil {
			return nil, err
		}
		for _, o := range orders {
			left := o.DueAt.Sub(asOf)
			out = append(out, Alert{Rule: RuleDueSoon, Department: o.Department, Town: o.Town,
				Key:   RuleDueSoon + "/" + o.OrderID,
				State: o.DueAt.Format(time.DateTime), // a new due time (an extension) is news
				Text: fmt.Sprintf("%s：工单 %s（%s，派单 %s）将于 %s 到期，剩余 %s，尚未办结", o.Department, o.OrderID, townOr(o.Town),
					o.DispatchedAt.Format("01-02 15:04"), o.DueAt.Format("01-02 15:04"), timeLeft(left))})
		}
	}
	if c.Spikes {
		week := period.Of(period.Week, asOf)
		b, err := src.Weekly(ctx, week, asOf, int64(sc.MinOrders))
		if err != nil {
			return nil, err
		}
		for _, v := range b.Categories {
			if v.Spike {
				out = append(out, spike(v, "", "警情类别", week))
			}
		}
		for _, v := range b.Towns {
			if v.Spike {
				out = append(out, spike(v, "town", "乡镇街道", week))
			}
		}
	}
	return out, nil
}

func belowFloor(res *metrics.Result, sc score.Config, by string, month period.Period) []Alert {
	var out []Alert
	for _, g := range res.Groups {
		for _, in := range metrics.Indicators {
			rule, ok := sc.Indicators[in.ID]
			if !ok || rule.Weight == 0 {
				continue
			}
			x := g.Indicators[in.ID]
			rate := x.Rate()
			if rate == nil || x.Den < int64(sc.MinOrders) || !rule.Below(*rate, in.LowerBetter) {
				continue
			}
			a := Alert{Rule: RuleBelowFloor, Department: g.Key}
			if by == string(metrics.ByTown) {
				a = Alert{Rule: RuleBelowFloor, Town: g.Key}
			}
			a.Key, a.State = RuleBelowFloor+"/"+month.String()+"/"+by+"/"+g.Key+"/"+string(in.ID), "below"
			a.Text = fmt.Sprintf("%s：本月以来%s %s（%s/%d），低于底线值 %s", g.Key, in.Name, pct(*rate),
				strconv.FormatFloat(x.Num, 'f', -1, 64), x.Den, pct(rule.Floor))
			out = append(out, a)
		}
	}
	return out
}

func spike(v metrics.Volume, by, what string, week period.Period) Alert {
	town := ""
	if by == "town" {
		town = v.Key
	}
	return Alert{Rule: RuleSpike, Town: town,
		Key:   RuleSpike + "/" + week.String() + "/" + what + "/" + v.Key,
		State: "spike",
		Text:  fmt.Sprintf("%s %s：本周至今 %d 起，前4周平均每周 %s 起", what, v.Key, v.Week, strconv.FormatFloat(v.Mean, 'f', 1, 64))}
}

func pct(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }

func townOr(t string) string {
	if t == "" {
		return "乡镇街道不详"
	}
	return t
}

// timeLeft writes the time left to a due time to the minute, in the words the
// explanations use (metrics.Span): 5小时30分, 1天3小时, 40分.
func timeLeft(d time.Duration) string { return metrics.Span(d.Round(time.Minute)) }

// Heading names each rule's part of a warning message.
var Heading = map[string]string{
	RuleBelowFloor: "本月以来低于底线值的单位",
	RuleDueSoon:    "即将到期未办结的工单（请督促办理）",
	RuleSpike:      "本周警情异常增长",
}

// Text writes warnings as a message: its title line, then each rule's part
// (一、二、…) with its lines, in the rules' order.
func Text(title string, as []Alert) string {
	var b strings.Builder
	b.WriteString(title + "\n")
	n := 0
	for _, rule := range []string{RuleBelowFloor, RuleDueSoon, RuleSpike} {
		var lines []string
		for _, a := range as {
			if a.Rule == rule {
				lines = append(lines, a.Text)
			}
		}
		if len(lines) == 0 {
			continue
		}
		n++
		sort.Strings(lines)
		fmt.Fprintf(&b, "%s、%s（%d 条）\n", numeral(n), Heading[rule], len(lines))
		for _, l := range lines {
			b.WriteString("  " + l + "\n")
		}
	}
	return b.String()
}

func numeral(n int) string {
	return [...]string{"", "一", "二", "三", "四", "五"}[min(n, 5)]
}

// Title is a warning message's title at T.
func Title(jurisdiction string, asOf time.Time) string {
	return fmt.Sprintf("%s非警务警情分流处置预警（截至%d年%d月%d日%d时）", jurisdiction, asOf.Year(), asOf.Month(), asOf.Day(), asOf.Hour())
}
