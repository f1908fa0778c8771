package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/queries"
)

// By is a grouping of SPEC §7: a closed list, bound as a parameter in the SQL.
type By string

// The groupings.
const (
	ByTotal         By = "total"
	ByDepartment    By = "department"
	ByKind          By = "kind"
	ByTown          By = "town"
	ByCounty        By = "county"
	ByPoliceStation By = "police_station"
	ByCategory      By = "category"
	ByNature        By = "nature"
	ByLinkCategory  By = "link_category"
	BySource        By = "source"
)

// Groupings lists every grouping.
var Groupings = []By{ByTotal, ByDepartment, ByKind, ByTown, ByCounty, ByPoliceStation, ByCategory, ByNature, ByLinkCategory, BySource}

// ParseBy checks a grouping name.
func ParseBy(s string) (By, error) {
	for _, b := range Groupings {
		if string(b) == s {
			return b, nil
		}
	}
	return "", fmt.Errorf("grouping %q: want one of total, department, kind, town, county, police_station, category, nature, link_category, source", s)
}

// Query says what to compute: a period, the as-of time T (wall clock) and a grouping.
type Query struct {
	Period period.Period
	AsOf   time.Time
	By     By
	// Compare is the T of the earlier periods of Store.Compare: same maturity
	// (the default) or settled.
	Compare CompareMode
	// Durations asks for the medians and 90th percentiles too (Group.Durations;
	// else nil). Only `fenliu metrics` shows them, and their sorts are about half
	// the cost of the orders' pass.
	Durations bool
}

// Ratio is one indicator of one group: num/den with the pending count. Num is a
// count, except for resolution_rate with a partial credit, where 部分化解 adds a
// fraction.
type Ratio struct {
	Num     float64 `json:"num"`
	Den     int64   `json:"den"`
	Pending int64   `json:"pending"`
	Exempt  int64   `json:"exempt"` // members under an exemption (核减) in force at T
}

// Rate is num/den, or nil when den is 0 (shown as —, never 0 % or 100 %).
func (r Ratio) Rate() *float64 {
	if r.Den == 0 {
		return nil
	}
	v := r.Num / float64(r.Den)
	return &v
}

// Provisional reports a figure whose pending members are more than share of its
// population (den + pending): it will still move (暂定).
func (r Ratio) Provisional(share float64) bool {
	return r.Pending > 0 && float64(r.Pending) > share*float64(r.Den+r.Pending)
}

// Rat is the exact fraction num/den (nil when den is 0), for scoring.
func (r Ratio) Rat() *big.Rat {
	if r.Den == 0 {
		return nil
	}
	n := new(big.Rat)
	n.SetFloat64(r.Num)
	return n.Quo(n, new(big.Rat).SetInt64(r.Den))
}

// Counts are the per-group counts of SPEC §3 and §8, and data-quality counts.
type Counts struct {
	Calls             int64 `json:"calls"`
	ValidCalls        int64 `json:"valid_calls"`
	NonpoliceCalls    int64 `json:"nonpolice_calls"`
	DivertedCalls     int64 `json:"diverted_calls"`
	Orders            int64 `json:"orders"`
	EffectiveOrders   int64 `json:"effective_orders"`
	ReturnedOrders    int64 `json:"returned_orders"`
	OverdueOrders     int64 `json:"overdue_orders"`
	OutOfOrder        int64 `json:"out_of_order"`
	DoneNoOutcome     int64 `json:"done_no_outcome"`
	UnknownDepartment int64 `json:"unknown_department"`
	UnknownCategory   int64 `json:"unknown_category"`
}

// Durations are medians and 90th percentiles; nil when there is nothing to measure.
type Durations struct {
	SignMedianMin   *float64 `json:"sign_median_min"`
	SignP90Min      *float64 `json:"sign_p90_min"`
	ArriveMedianMin *float64 `json:"arrive_median_min"`
	ArriveP90Min    *float64 `json:"arrive_p90_min"`
	DoneMedianDays  *float64 `json:"done_median_days"`
	DoneP90Days     *float64 `json:"done_p90_days"`
}

// Group is one group's figures. Kind is the department kind (peer group) for the
// department grouping, else empty.
type Group struct {
	Key        string
	Kind       domain.DeptKind
	Indicators map[domain.IndicatorID]Ratio
	Counts     Counts
	Durations  Durations
}

// Result is one computation.
type Result struct {
	Period period.Period
	AsOf   time.Time
	By     By
	Groups []Group // sorted by key
}

// Find returns the group with the key, or an empty group (every indicator 0/0,
// every count 0) when there is none: for a table, an absent group is an empty one.
func (r *Result) Find(key string) *Group {
	if r != nil {
		if g := r.Group(key); g != nil {
			return g
		}
	}
	return &Group{Key: key, Indicators: map[domain.IndicatorID]Ratio{}}
}

// Total is the one group of a result by total (or the first group), or an empty
// group.
func (r *Result) Total() *Group {
	if r != nil && len(r.Groups) > 0 {
		return &r.Groups[0]
	}
	return r.Find(string(ByTotal))
}

// Group returns the group with the key, or nil.
func (r *Result) Group(key string) *Group {
	for i := range r.Groups {
		if r.Groups[i].Key == key {
			return &r.Groups[i]
		}
	}
	return nil
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }

// Compute computes every indicator, count and duration of SPEC §3 for one query.
// It only reads (a read-only store will do): its temp tables live on one
// connection and are dropped after. Stale derived facts are refused with
// ErrStale.
func (s *Store) Compute(ctx context.Context, q Query) (*Result, error) {
	return s.compute(ctx, q, false)
}

// ComputeMonths gives, for each month of q.Period in order, what Compute gives for
// that month at the same T — in one pass over the period's facts, each group key
// prefixed with its records' month, rather than one pass a month. The annual's
// twelve months and the trend's 24 (and the year before) are read this way.
func (s *Store) ComputeMonths(ctx context.Context, q Query) ([]*Result, error) {
	res, err := s.compute(ctx, q, true)
	if err != nil {
		return nil, err
	}
	return SplitMonths(res)
}

// SplitMonths turns a result whose keys are prefixed with a month (2024-05|水利局)
// into a result per month of its period, in order; a month without records has a
// result without groups (with the empty total group, for the total grouping).
func SplitMonths(res *Result) ([]*Result, error) {
	var out []*Result
	at := map[string]*Result{}
	for t := res.Period.Start; t.Before(res.Period.End); t = t.AddDate(0, 1, 0) {
		m := period.OfMonth(t.Year(), t.Month())
		r := &Result{Period: m, AsOf: res.AsOf, By: res.By}
		out, at[m.String()] = append(out, r), r
	}
	for _, g := range res.Groups {
		month, key, ok := strings.Cut(g.Key, "|")
		r := at[month]
		if !ok || r == nil {
			return nil, fmt.Errorf("metrics: group %q is not of a month of %s", g.Key, res.Period)
		}
		g.Key = key
		r.Groups = append(r.Groups, g)
	}
	if res.By == ByTotal {
		for _, r := range out {
			if len(r.Groups) == 0 {
				r.Groups = []Group{emptyGroup("total")}
			}
		}
	}
	return out, nil
}

// emptyGroup is a group with no records: every indicator present, all zero.
func emptyGroup(k string) Group {
	g := Group{Key: k, Indicators: map[domain.IndicatorID]Ratio{}}
	for _, in := range Indicators {
		g.Indicators[in.ID] = Ratio{}
	}
	return g
}

func (s *Store) compute(ctx context.Context, q Query, split bool) (*Result, error) {
	db, cfg := s.db, s.cfg
	if q.AsOf.IsZero() {
		return nil, fmt.Errorf("metrics: as-of time is required")
	}
	if _, err := ParseBy(string(q.By)); err != nil {
		return nil, err
	}
	if fresh, err := s.Fresh(ctx); err != nil {
		return nil, err
	} else if !fresh {
		return nil, ErrStale
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer conn.ExecContext(context.WithoutCancel(ctx), queries.DropFacts.SQL)
	asof := wall(q.AsOf)
	if err := s.exec(ctx, conn, queries.Params, splitArgs(cfg, q.Period.Start, q.Period.End, asof, q.By, split, q.Durations)...); err != nil {
		return nil, err
	}
	for _, st := range []queries.Statement{queries.Exemptions, queries.Dictionaries, queries.OrderFacts, queries.CallFacts,
		queries.RepeatGroups, queries.OrderTotals, queries.CallTotals} {
		if err := s.exec(ctx, conn, st); err != nil {
			return nil, err
		}
	}
	groups := map[string]*Group{}
	get := func(k string) *Group {
		g, ok := groups[k]
		if !ok {
			e := emptyGroup(k)
			g = &e
			groups[k] = g
		}
		return g
	}
	for _, in := range Indicators {
		err := s.scan(ctx, conn, queries.Indicators[string(in.ID)], func(rows *sql.Rows) error {
			var k string
			var r Ratio
			if err := rows.Scan(&k, &r.Num, &r.Den, &r.Pending, &r.Exempt); err != nil {
				return err
			}
			if r.Den > 0 || r.Pending > 0 || r.Exempt > 0 {
				get(k).Indicators[in.ID] = r
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("metrics: %s: %w", in.ID, err)
		}
	}
	err = s.scan(ctx, conn, queries.Counts, func(rows *sql.Rows) error {
		var k string
		var c Counts
		if err := rows.Scan(&k, &c.Calls, &c.ValidCalls, &c.NonpoliceCalls, &c.DivertedCalls, &c.Orders,
			&c.EffectiveOrders, &c.ReturnedOrders, &c.OverdueOrders, &c.OutOfOrder, &c.DoneNoOutcome,
			&c.UnknownDepartment, &c.UnknownCategory); err != nil {
			return err
		}
		get(k).Counts = c
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("metrics: counts: %w", err)
	}
	err = s.scan(ctx, conn, queries.Durations, func(rows *sql.Rows) error {
		var k string
		var d Durations
		if err := rows.Scan(&k, &d.SignMedianMin, &d.SignP90Min, &d.ArriveMedianMin, &d.ArriveP90Min,
			&d.DoneMedianDays, &d.DoneP90Days); err != nil {
			return err
		}
		get(k).Durations = d
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("metrics: durations: %w", err)
	}
	if q.By == ByDepartment {
		err = s.scan(ctx, conn, queries.GroupKinds, func(rows *sql.Rows) error {
			var k, kind string
			if err := rows.Scan(&k, &kind); err != nil {
				return err
			}
			get(k).Kind = domain.DeptKind(kind)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("metrics: kinds: %w", err)
		}
	}
	if q.By == ByTotal && !split {
		get("total") // SPEC §7: with --by total there is one group, even for an empty period
	}
	res := &Result{Period: q.Period, AsOf: asof, By: q.By}
	for _, g := range groups {
		res.Groups = append(res.Groups, *g)
	}
	sort.Slice(res.Groups, func(i, j int) bool { return res.Groups[i].Key < res.Groups[j].Key })
	return res, nil
}

// paramArgs binds the named parameters of queries/indicators/params.sql.
func paramArgs(cfg Config, start, end, asof time.Time, by By) []any {
	return splitArgs(cfg, start, end, asof, by, false, false)
}

// splitArgs binds them with the group keys split by month or not, and the
// durations computed or not.
func splitArgs(cfg Config, start, end, asof time.Time, by By, split, durations bool) []any {
	return []any{
		sql.Named("start", start), sql.Named("end", end), sql.Named("asof", asof),
		sql.Named("grp", string(by)), sql.Named("split", split), sql.Named("durations", durations), sql.Named("skew", seconds(cfg.Skew)),
		sql.Named("same_incident", seconds(cfg.SameIncident)),
		sql.Named("repeat_window", seconds(cfg.RepeatWindow)), sql.Named("partial_credit", cfg.PartialCredit),
	}
}

// exec runs a statement on conn, naming it in its error and in the debug log.
func (s *Store) exec(ctx context.Context, conn *sql.Conn, st queries.Statement, args ...any) error {
	defer s.timed(st, time.Now())
	if _, err := conn.ExecContext(ctx, st.SQL, args...); err != nil {
		return fmt.Errorf("metrics: %s: %w", st.Name, err)
	}
	return nil
}

// timed logs how long a statement took, at debug level.
func (s *Store) timed(st queries.Statement, start time.Time) {
	s.log.Debug("statement", "component", "metrics", "name", st.Name, "took", time.Since(start))
}

// scan runs a query on conn and calls row for each row.
func (s *Store) scan(ctx context.Context, conn *sql.Conn, st queries.Statement, row func(*sql.Rows) error) error {
	defer s.timed(st, time.Now())
	rows, err := conn.QueryContext(ctx, st.SQL)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// wall drops the location of t, keeping its wall clock (fenliu's naive timestamps).
func wall(t time.Time) time.Time { return domain.Wall(t) }
