package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/queries"
)

// The weekly briefing's thresholds (SPEC §5).
const (
	SpikeRise     = 0.5 // at least 50 % above the mean of the 4 weeks before
	SpikeMinCalls = 10  // and at least 10 calls in the week
	SpikeMinZ     = 3.0 // and z = (x − m)/√m ≥ 3
	FrequentCalls = 3   // a caller or address with at least 3 calls in the week
	LowestShown   = 5   // departments listed with the lowest sign and arrival rates
)

// Volume is one category's or town's valid calls in the briefing's week, the week
// before, and the mean of the four weeks before it.
type Volume struct {
	Key        string
	Week, Prev int64
	Weeks      [4]int64 // the four weeks before, oldest first (Weeks[3] == Prev)
	Mean       float64  // m: the mean of Weeks
	Rise       *float64 // (x − m)/m; nil when m is 0
	Z          *float64 // (x − m)/√m; nil when m is 0
	Spike      bool
}

// IsSpike applies SPEC §5's three tests. A key with no calls in the four weeks
// before (m = 0) is a spike when it has at least SpikeMinCalls: its rise and z
// are unbounded.
func IsSpike(x int64, m float64) bool {
	if x < SpikeMinCalls {
		return false
	}
	if m == 0 {
		return true
	}
	return (float64(x)-m)/m >= SpikeRise && (float64(x)-m)/math.Sqrt(m) >= SpikeMinZ
}

// DeptRate is one department's rate in the briefing's week.
type DeptRate struct {
	Department string
	Ratio      Ratio
}

// Briefing holds the analyses of the weekly research meeting (每周研判) for one
// ISO week at as-of time T.
type Briefing struct {
	Week period.Period
	AsOf time.Time
	// The week, the week before and a year before, by total.
	Overview *Comparison
	// Mean of the four weeks before the week, by total.
	Mean4 Counts
	// Valid calls by category and by town, spikes first, then by volume.
	Categories, Towns []Volume
	// Callers and addresses with at least FrequentCalls calls in the week.
	Callers   []FrequentCaller
	Addresses []FrequentAddress
	// Orders overdue at T, whenever dispatched (Carried: listed by the previous
	// briefing a week earlier and still open); how many of the previous
	// briefing's were done since.
	Overdue      []OverdueOrder
	FollowupDone int64
	// Orders dispatched in the week, past the sign deadline and not signed at T.
	Unsigned []UnsignedOrder
	// The week's repeated calls.
	Repeats []RepeatCall
	// Departments with the lowest sign and arrival rates in the week (den at least
	// minDen), lowest first.
	LowestSign, LowestArrival []DeptRate
	// Departments by the week, for the rates above.
	Departments *Result
}

// Weekly computes the briefing of an ISO week at asOf. Departments with a
// denominator below minDen are left out of the lowest-rate lists (the scorecard's
// min_orders: too few orders to judge).
func (s *Store) Weekly(ctx context.Context, week period.Period, asOf time.Time, minDen int64) (*Briefing, error) {
	db := s.db
	if week.Kind != period.Week {
		return nil, fmt.Errorf("metrics: weekly briefing for %s: want an ISO week", week)
	}
	asOf = wall(asOf)
	b := &Briefing{Week: week, AsOf: asOf}
	var err error
	if b.Overview, err = s.Compare(ctx, Query{Period: week, AsOf: asOf, By: ByTotal}); err != nil {
		return nil, err
	}
	var sum Counts
	for i := 1; i <= 4; i++ {
		p := period.Of(period.Week, week.Start.AddDate(0, 0, -7*i))
		var r *Result
		if r = b.Overview.Month(p); r == nil {
			if r, err = s.Compute(ctx, Query{Period: p, AsOf: asOf, By: ByTotal}); err != nil {
				return nil, err
			}
		}
		c := r.Groups[0].Counts
		sum.Calls += c.Calls
		sum.ValidCalls += c.ValidCalls
		sum.NonpoliceCalls += c.NonpoliceCalls
		sum.DivertedCalls += c.DivertedCalls
		sum.Orders += c.Orders
		sum.EffectiveOrders += c.EffectiveOrders
		sum.ReturnedOrders += c.ReturnedOrders
		sum.OverdueOrders += c.OverdueOrders
	}
	b.Mean4 = Counts{Calls: sum.Calls / 4, ValidCalls: sum.ValidCalls / 4, NonpoliceCalls: sum.NonpoliceCalls / 4,
		DivertedCalls: sum.DivertedCalls / 4, Orders: sum.Orders / 4, EffectiveOrders: sum.EffectiveOrders / 4,
		ReturnedOrders: sum.ReturnedOrders / 4, OverdueOrders: sum.OverdueOrders / 4}
	if b.Categories, b.Towns, err = s.volumes(ctx, week, asOf); err != nil {
		return nil, err
	}
	start, end, at := sql.Named("start", week.Start), sql.Named("end", week.End), sql.Named("asof", asOf)
	prev := sql.Named("prev", asOf.AddDate(0, 0, -7))
	least := sql.Named("min", FrequentCalls)
	if b.Callers, err = list(ctx, s, queries.WeeklyFrequentCallers, []any{start, end, at, least},
		func(r *sql.Rows, c *FrequentCaller) error {
			return r.Scan(&c.Caller, &c.Calls, &c.ValidCalls, &c.Categories, &c.Towns, &c.FirstAt, &c.LastAt)
		}); err != nil {
		return nil, err
	}
	if b.Addresses, err = list(ctx, s, queries.WeeklyFrequentAddresses, []any{start, end, at, least},
		func(r *sql.Rows, a *FrequentAddress) error {
			return r.Scan(&a.Address, &a.Calls, &a.ValidCalls, &a.Callers, &a.Categories, &a.Town, &a.FirstAt, &a.LastAt)
		}); err != nil {
		return nil, err
	}
	if b.Overdue, err = list(ctx, s, queries.WeeklyOverdueOpen, []any{at, prev},
		func(r *sql.Rows, o *OverdueOrder) error { return scanOverdue(r, o, true) }); err != nil {
		return nil, err
	}
	if b.Unsigned, err = list(ctx, s, queries.WeeklyUnsigned, []any{start, end, at},
		func(r *sql.Rows, o *UnsignedOrder) error {
			var status string
			err := r.Scan(&o.OrderID, &o.CallID, &o.Department, &o.Town, &o.DispatchedAt, &o.SignBy, &status, &o.HoursOver)
			o.Status = domain.Status(status)
			return err
		}); err != nil {
		return nil, err
	}
	if b.Repeats, err = s.Repeats(ctx, week, asOf); err != nil {
		return nil, err
	}
	if err := db.QueryRowContext(ctx, queries.WeeklyFollowupDone.SQL, at, prev).Scan(&b.FollowupDone); err != nil {
		return nil, fmt.Errorf("metrics: weekly follow-up: %w", err)
	}
	if b.Departments, err = s.Compute(ctx, Query{Period: week, AsOf: asOf, By: ByDepartment}); err != nil {
		return nil, err
	}
	b.LowestSign = lowest(b.Departments, SignRate, minDen)
	b.LowestArrival = lowest(b.Departments, ArrivalRate, minDen)
	return b, nil
}

// volumes reads the five weeks' valid calls by category and town and marks spikes.
func (s *Store) volumes(ctx context.Context, week period.Period, asOf time.Time) (cats, towns []Volume, err error) {
	defer s.timed(queries.WeeklyVolumes, time.Now())
	rows, err := s.db.QueryContext(ctx, queries.WeeklyVolumes.SQL, sql.Named("start", week.Start.AddDate(0, 0, -28)),
		sql.Named("end", week.End), sql.Named("asof", asOf))
	if err != nil {
		return nil, nil, fmt.Errorf("metrics: weekly volumes: %w", err)
	}
	defer rows.Close()
	byDim := map[string]map[string]*Volume{"category": {}, "town": {}}
	for rows.Next() {
		var dim, k string
		var w int
		var n int64
		if err := rows.Scan(&dim, &k, &w, &n); err != nil {
			return nil, nil, err
		}
		v := byDim[dim][k]
		if v == nil {
			v = &Volume{Key: k}
			byDim[dim][k] = v
		}
		if w == 4 {
			v.Week = n
		} else {
			v.Weeks[w] = n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	list := func(m map[string]*Volume) []Volume {
		out := make([]Volume, 0, len(m))
		for _, v := range m {
			v.Prev = v.Weeks[3]
			v.Mean = float64(v.Weeks[0]+v.Weeks[1]+v.Weeks[2]+v.Weeks[3]) / 4
			if v.Mean > 0 {
				rise := (float64(v.Week) - v.Mean) / v.Mean
				z := (float64(v.Week) - v.Mean) / math.Sqrt(v.Mean)
				v.Rise, v.Z = &rise, &z
			}
			v.Spike = IsSpike(v.Week, v.Mean)
			out = append(out, *v)
		}
		sort.Slice(out, func(i, j int) bool {
			a, b := out[i], out[j]
			if a.Spike != b.Spike {
				return a.Spike
			}
			if a.Week != b.Week {
				return a.Week > b.Week
			}
			return a.Key < b.Key
		})
		return out
	}
	return list(byDim["category"]), list(byDim["town"]), nil
}

// lowest returns the LowestShown departments with the lowest rate of the
// indicator among those with a denominator of at least minDen.
func lowest(r *Result, id domain.IndicatorID, minDen int64) []DeptRate {
	var out []DeptRate
	for _, g := range r.Groups {
		if x := g.Indicators[id]; x.Den > 0 && x.Den >= minDen {
			out = append(out, DeptRate{Department: g.Key, Ratio: x})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := *out[i].Ratio.Rate(), *out[j].Ratio.Rate()
		if a != b {
			return a < b
		}
		return out[i].Department < out[j].Department
	})
	if len(out) > LowestShown {
		out = out[:LowestShown]
	}
	return out
}
