package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"sort"
	"strconv"
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
	rs, err := s.computeAll(ctx, q.AsOf, []Want{{Period: q.Period, By: q.By}}, q.Durations)
	if err != nil {
		return nil, err
	}
	return rs[0][0], nil
}

// ComputeMonths gives, for each month of q.Period in order, what Compute gives for
// that month at the same T — in one pass over the period's facts, each group key
// prefixed with its records' month, rather than one pass a month.
func (s *Store) ComputeMonths(ctx context.Context, q Query) ([]*Result, error) {
	rs, err := s.computeAll(ctx, q.AsOf, []Want{{Period: q.Period, By: q.By, Months: true}}, q.Durations)
	if err != nil {
		return nil, err
	}
	return rs[0], nil
}

// A Want is one computation of ComputeAll: what Compute gives for Period and By,
// or with Months what ComputeMonths gives.
type Want struct {
	Period period.Period
	By     By
	Months bool
}

// ComputeAll gives each want's results at T = asOf — one Result, or with Months
// one a month — equal to what Compute and ComputeMonths give, without the
// durations: wants of about the same span are counted together (passes),
// queries.MaxSlots at a time, in one pass over the facts of their span (each
// grouping one set of a GROUPING SETS, its keys prefixed with its slot) rather
// than a pass each. A report reads its groupings this way: the annual's year by
// total, department, town, county and police station and its 12 months are one
// pass, not six. The whole months of a want that are settled and cut by T are
// read from the settled figures, their late records counted at T (settled.go).
func (s *Store) ComputeAll(ctx context.Context, asOf time.Time, wants []Want) ([][]*Result, error) {
	return s.computeAll(ctx, asOf, wants, false)
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

// computeAll counts the wants a pass for each group that passes makes.
func (s *Store) computeAll(ctx context.Context, asOf time.Time, wants []Want, durations bool) ([][]*Result, error) {
	if asOf.IsZero() {
		return nil, fmt.Errorf("metrics: as-of time is required")
	}
	if len(wants) == 0 {
		return nil, nil
	}
	for _, w := range wants {
		if _, err := ParseBy(string(w.By)); err != nil {
			return nil, err
		}
		if !w.Period.End.After(w.Period.Start) {
			return nil, fmt.Errorf("metrics: empty period %s", w.Period)
		}
	}
	if fresh, err := s.Fresh(ctx); err != nil {
		return nil, err
	} else if !fresh {
		return nil, ErrStale
	}
	live := wants
	if !durations { // the settled figures have no durations
		var err error
		if live, err = s.settledWants(ctx, wall(asOf), wants); err != nil {
			return nil, err
		}
	}
	out := make([][]*Result, len(wants))
	for _, idx := range passes(live) {
		ws, asked := make([]Want, len(idx)), make([]Want, len(idx))
		for j, i := range idx {
			ws[j], asked[j] = live[i], wants[i]
		}
		rs, err := s.pass(ctx, wall(asOf), ws, asked, durations)
		if err != nil {
			return nil, err
		}
		for j, i := range idx {
			out[i] = rs[j]
		}
	}
	return out, nil
}

// passes groups the wants (by index) into passes, queries.MaxSlots at most to a
// pass, in the order of their first want. A pass scans the facts of its whole
// span and counts each record once per slot, inside the slot's period or not: a
// want shares a pass only when every want of it covers at least half the pass's
// span. The monthly's month in five groupings beside its 12-month trend counted
// the year's 9 M calls six times (the month apart: 0.3–0.5 s less at 10 M calls);
// the trend's 24 months beside the 36 of its year-ago comparison stay one pass.
func passes(wants []Want) [][]int {
	type pass struct {
		start, end time.Time
		idx        []int
	}
	covers := func(w Want, start, end time.Time) bool {
		return 2*w.Period.End.Sub(w.Period.Start) >= end.Sub(start)
	}
	var ps []*pass
	for i, w := range wants {
		joined := false
		for _, p := range ps {
			if len(p.idx) == queries.MaxSlots {
				continue
			}
			start, end := p.start, p.end
			if w.Period.Start.Before(start) {
				start = w.Period.Start
			}
			if w.Period.End.After(end) {
				end = w.Period.End
			}
			ok := covers(w, start, end)
			for _, j := range p.idx {
				ok = ok && covers(wants[j], start, end)
			}
			if ok {
				p.start, p.end, p.idx = start, end, append(p.idx, i)
				joined = true
				break
			}
		}
		if !joined {
			ps = append(ps, &pass{w.Period.Start, w.Period.End, []int{i}})
		}
	}
	out := make([][]int, len(ps))
	for i, p := range ps {
		out[i] = p.idx
	}
	return out
}

// pass counts up to queries.MaxSlots wants in one pass over the facts of their
// span. wants[i] is what is counted, from the records; asked[i] what was asked
// for: the months of asked[i] before wants[i]'s are read from the settled
// figures (settled.go).
func (s *Store) pass(ctx context.Context, asof time.Time, wants, asked []Want, durations bool) ([][]*Result, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer conn.ExecContext(context.WithoutCancel(ctx), queries.DropFacts.SQL)
	if err := s.totals(ctx, conn, asof, wants, durations, queries.Sources); err != nil {
		return nil, err
	}
	if err := s.addSettled(ctx, conn, asof, wants, asked); err != nil {
		return nil, err
	}
	kinds := false
	for _, w := range wants {
		kinds = kinds || w.By == ByDepartment
	}
	groups := map[string]*Group{} // by slot-prefixed key
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
	if durations {
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
	}
	if kinds {
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
	res := make([]*Result, len(wants))
	for i, w := range asked {
		res[i] = &Result{Period: w.Period, AsOf: asof, By: w.By}
		if w.By == ByTotal && !w.Months {
			get(strconv.Itoa(i+1) + "#total") // SPEC §7: with --by total there is one group, even for an empty period
		}
	}
	for k, g := range groups {
		slot, key, ok := strings.Cut(k, "#")
		i, err := strconv.Atoi(slot)
		if !ok || err != nil || i < 1 || i > len(wants) {
			return nil, fmt.Errorf("metrics: group %q is of no slot", k)
		}
		g.Key = key
		if wants[i-1].By != ByDepartment {
			g.Kind = ""
		}
		res[i-1].Groups = append(res[i-1].Groups, *g)
	}
	out := make([][]*Result, len(wants))
	for i, r := range res {
		sort.Slice(r.Groups, func(a, b int) bool { return r.Groups[a].Key < r.Groups[b].Key })
		if !wants[i].Months {
			out[i] = []*Result{r}
		} else if out[i], err = SplitMonths(r); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// totals makes the totals ot and ct of the wants on x (a connection or a
// transaction, whose temp tables they are): params, the facts of the derived rows
// that sources names (indicators/sources.sql: all of them) and the repeat groups,
// then one pass over the facts of the wants' span.
func (s *Store) totals(ctx context.Context, x execer, asof time.Time, wants []Want, durations bool, sources queries.Statement) error {
	if err := s.exec(ctx, x, queries.Params, slotArgs(s.cfg, asof, wants, durations)...); err != nil {
		return err
	}
	orders, calls := slotsOf(wants, takesOrders), slotsOf(wants, takesCalls)
	for _, st := range []queries.Statement{sources, queries.Keys, queries.Exemptions, queries.Dictionaries,
		queries.WithSlots(queries.OrderFacts, orders), queries.WithSlots(queries.CallFacts, calls), queries.RepeatTable} {
		if err := s.exec(ctx, x, st); err != nil {
			return err
		}
	}
	for i, w := range wants {
		if orderOnly(w.By) {
			if err := s.exec(ctx, x, queries.RepeatGroups, i+1, string(w.By), w.Months, w.Period.Start, w.Period.End); err != nil {
				return err
			}
		}
	}
	for _, st := range []queries.Statement{queries.WithSlots(queries.OrderTotals, orders), queries.WithSlots(queries.CallTotals, calls)} {
		if err := s.exec(ctx, x, st); err != nil {
			return err
		}
	}
	return nil
}

// execer is what runs statements: a connection, or a transaction on one.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// slotsOf says which slots of a pass over the wants count a kind of records: those
// whose grouping takes them.
func slotsOf(wants []Want, takes func(By) bool) []bool {
	in := make([]bool, len(wants))
	for i, w := range wants {
		in[i] = takes(w.By)
	}
	return in
}

// paramArgs binds the named parameters of queries/indicators/params.sql for one
// grouping (slot 1: explain's).
func paramArgs(cfg Config, start, end, asof time.Time, by By) []any {
	return slotArgs(cfg, asof, []Want{{Period: period.Period{Start: start, End: end}, By: by}}, false)
}

// slotArgs binds them for the wants, each in its slot, the rest unused.
func slotArgs(cfg Config, asof time.Time, wants []Want, durations bool) []any {
	start, end := wants[0].Period.Start, wants[0].Period.End
	orders, calls := false, false
	args := []any{}
	for i := range queries.MaxSlots {
		n := strconv.Itoa(i + 1)
		if i >= len(wants) {
			args = append(args, sql.Named("w"+n+"_grp", nil), sql.Named("w"+n+"_split", nil),
				sql.Named("w"+n+"_start", nil), sql.Named("w"+n+"_end", nil))
			continue
		}
		w := wants[i]
		if w.Period.Start.Before(start) {
			start = w.Period.Start
		}
		if w.Period.End.After(end) {
			end = w.Period.End
		}
		orders, calls = orders || takesOrders(w.By), calls || takesCalls(w.By)
		args = append(args, sql.Named("w"+n+"_grp", string(w.By)), sql.Named("w"+n+"_split", w.Months),
			sql.Named("w"+n+"_start", w.Period.Start), sql.Named("w"+n+"_end", w.Period.End))
	}
	return append(args,
		sql.Named("start", start), sql.Named("end", end), sql.Named("asof", asof),
		sql.Named("orders", orders), sql.Named("calls", calls), sql.Named("durations", durations),
		sql.Named("skew", seconds(cfg.Skew)), sql.Named("same_incident", seconds(cfg.SameIncident)),
		sql.Named("repeat_window", seconds(cfg.RepeatWindow)), sql.Named("partial_credit", cfg.PartialCredit))
}

// exec runs a statement on conn, naming it in its error and in the debug log.
func (s *Store) exec(ctx context.Context, x execer, st queries.Statement, args ...any) error {
	defer s.timed(st, time.Now())
	if _, err := x.ExecContext(ctx, st.SQL, args...); err != nil {
		return fmt.Errorf("metrics: %s: %w", st.Name, err)
	}
	return nil
}

// timed logs how long a statement took, at debug level.
func (s *Store) timed(st queries.Statement, start time.Time) {
	s.log.Debug("statement", "component", "metrics", "name", st.Name, "took", time.Since(start))
}

// scan runs a query on conn and calls row for each row.
func (s *Store) scan(ctx context.Context, x execer, st queries.Statement, row func(*sql.Rows) error) error {
	defer s.timed(st, time.Now())
	rows, err := x.QueryContext(ctx, st.SQL)
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
