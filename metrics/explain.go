package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/queries"
)

// State is how a member of an indicator's population stands at T (SPEC §9).
type State string

// The states. A member is in den (num, partial or den), or pending; exempt comes
// with exemptions (SPEC §10).
const (
	StateNum     State = "num"
	StatePartial State = "partial" // resolution_rate: 部分化解
	StateDen     State = "den"
	StatePending State = "pending"
	StateExempt  State = "exempt" // under an exemption (核减) in force at T
)

// Member is one record of an indicator's eligible population, as explain lists it.
type Member struct {
	ID     string               `json:"id"`
	Key    string               `json:"key"`
	State  State                `json:"state"`
	Reason string               `json:"reason"`
	Times  map[string]time.Time `json:"times"`
}

// Explain lists the eligible population of one indicator for the query's period,
// T and grouping — in group key (or every group when key is ""), sorted by key
// and id — with the state of each member, a reason a department can check, and
// the times the state was decided on. The memberships are the columns the
// indicator's figures count (queries/indicators/order_facts.sql, call_facts.sql,
// explain/repeat_groups.sql): the rows add up to Compute's num, den and pending.
func (s *Store) Explain(ctx context.Context, q Query, id domain.IndicatorID, key string) ([]Member, error) {
	var out []Member
	err := s.ExplainEach(ctx, q, id, key, func(m Member) error { out = append(out, m); return nil })
	return out, err
}

// ExplainEach is Explain calling fn with each member as it is read, in the same
// order, holding none: a year of a province streams in constant memory. An error
// from fn ends the scan and is returned.
func (s *Store) ExplainEach(ctx context.Context, q Query, id domain.IndicatorID, key string, fn func(Member) error) error {
	return s.explain(ctx, q, []domain.IndicatorID{id}, key, false, 0, func(_ domain.IndicatorID, _ string, _ State, _ int64, m func() Member) error {
		return fn(m())
	})
}

// memberSink takes the members explain reads: each one's indicator, group key and
// state, and member to build the whole member (its reason and times) — only
// when it is kept: a scorecard's detail counts far more members than it lists.
// n is how many members it stands for in a count of states: 1, except for a
// detail of at most limit members per state (explain's limit > 0), where the
// orders that stand alike on every indicator come as their first limit by id, the
// first carrying the number of them all and the others 0.
type memberSink func(id domain.IndicatorID, key string, st State, n int64, member func() Member) error

// explain calls sink with every member of each indicator's population, on one
// preparation of the facts: the order indicators from one scan of the orders,
// the call indicators from one of the calls.
// explain streams the members of the indicators ids; against keeps only those
// that may stand against their group (a unit's detail), filtered in SQL before
// they cross into Go.
func (s *Store) explain(ctx context.Context, q Query, ids []domain.IndicatorID, key string, against bool, limit int, sink memberSink) error {
	var orders, calls []domain.IndicatorID
	groups := false
	for _, id := range ids {
		in, ok := IndicatorByID(id)
		switch {
		case !ok:
			return fmt.Errorf("metrics: no indicator %q", id)
		case in.Orders:
			orders = append(orders, id)
		case id == RepeatRate && orderOnly(q.By):
			groups = true
		default:
			calls = append(calls, id)
		}
	}
	conn, err := s.prepare(ctx, q)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer conn.ExecContext(context.WithoutCancel(ctx), queries.DropFacts.SQL)
	asof := wall(q.AsOf)
	ex, err := s.exemptionsInForce(ctx, conn, asof)
	if err != nil {
		return err
	}
	if len(orders) > 0 {
		if err := s.explainOrders(ctx, conn, orders, key, against, limit, asof, ex, sink); err != nil {
			return err
		}
	}
	if groups {
		if err := s.explainRepeatGroups(ctx, conn, key, against, limit, ex, sink); err != nil {
			return err
		}
	}
	if len(calls) > 0 {
		return s.explainCalls(ctx, conn, calls, key, against, limit, asof, ex, sink)
	}
	return nil
}

// orderOnly reports a grouping of orders only (SPEC §8).
func orderOnly(b By) bool {
	return b == ByDepartment || b == ByKind || b == ByLinkCategory || b == BySource
}

// callOnly reports a grouping of calls only: the orders have no key under it.
func callOnly(b By) bool {
	return b == ByPoliceStation || b == ByCategory || b == ByNature
}

// takesOrders and takesCalls report a grouping that has a key for the orders, for
// the calls: the slots of a pass that count them (queries.WithSlots, params.sql's
// takes_orders and takes_calls).
func takesOrders(b By) bool { return !callOnly(b) }
func takesCalls(b By) bool  { return !orderOnly(b) }

// prepare builds, on one connection, the facts of a query that Compute counts:
// the parameters, the dictionaries and the order and call facts.
func (s *Store) prepare(ctx context.Context, q Query) (*sql.Conn, error) {
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
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.exec(ctx, conn, queries.Params, paramArgs(s.cfg, q.Period.Start, q.Period.End, wall(q.AsOf), q.By)...); err != nil {
		conn.Close()
		return nil, err
	}
	for _, st := range []queries.Statement{queries.Sources, queries.Keys, queries.Exemptions, queries.Dictionaries,
		queries.WithSlots(queries.OrderFacts, []bool{takesOrders(q.By)}), queries.WithSlots(queries.CallFacts, []bool{takesCalls(q.By)})} {
		if err := s.exec(ctx, conn, st); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return conn, nil
}

// orderFact is one row of explain/orders.sql.
type orderFact struct {
	id, key                                                  string
	eff, signDen, signNum, arrPop, arrDen, arrNum            bool
	closeDen, closeNum, resDen                               bool
	resNum                                                   float64
	satDen, satNum, retDen, retNum                           bool
	dispatched, earliest                                     time.Time
	signed, signEnd, arrived, arrivalEnd, done, due, revisit sql.NullTime
	outcome                                                  int
	satKnown, satOK, cancelled, onsite                       bool
	ex                                                       [6]bool // exempted from orderIndicators[i] at T
}

// orderIndicators are the indicators of the orders, in explain/orders.sql's order.
var orderIndicators = [6]domain.IndicatorID{SignRate, ArrivalRate, ClosureRate, ResolutionRate, SatisfactionRate, ReturnRate}

// exempt reports an exemption of the order from indicator id in force at T.
func (f *orderFact) exempt(id domain.IndicatorID) bool {
	i := slices.Index(orderIndicators[:], id)
	return i >= 0 && f.ex[i]
}

// members defines a kind of member on conn (def: order_members, call_members or
// repeat_group_members) and picks the statement that reads it: every member
// (all, each row n = 1), or with limit > 0 the first limit of each set that stands
// alike (alike, with limit its last argument; n the set's size on its first row,
// 0 on the others).
func (s *Store) members(ctx context.Context, conn *sql.Conn, def, all, alike queries.Statement, args []any, limit int) (queries.Statement, []any, error) {
	if err := s.exec(ctx, conn, def); err != nil {
		return queries.Statement{}, nil, err
	}
	if limit > 0 {
		return alike, append(args, limit), nil
	}
	return all, args, nil
}

func (s *Store) explainOrders(ctx context.Context, conn *sql.Conn, ids []domain.IndicatorID, key string, against bool, limit int, asof time.Time, ex inForce, sink memberSink) error {
	args := []any{key, !against}
	for _, id := range orderIndicators {
		args = append(args, slices.Contains(ids, id))
	}
	st, args, err := s.members(ctx, conn, queries.ExplainOrderMembers, queries.ExplainOrders, queries.ExplainOrdersAlike, args, limit)
	if err != nil {
		return err
	}
	return s.scanArgs(ctx, conn, st, args, func(r *sql.Rows) error {
		var f orderFact
		var signEnd, arrivalEnd, due sql.NullTime
		var n int64
		if err := r.Scan(&f.id, &f.key, &f.eff, &f.signDen, &f.signNum, &f.arrPop, &f.arrDen, &f.arrNum, &f.closeDen, &f.closeNum,
			&f.resDen, &f.resNum, &f.satDen, &f.satNum, &f.retDen, &f.retNum, &f.dispatched, &f.earliest, &f.signed, &signEnd,
			&f.arrived, &arrivalEnd, &f.done, &due, &f.revisit, &f.outcome, &f.satKnown, &f.satOK, &f.cancelled, &f.onsite,
			&f.ex[0], &f.ex[1], &f.ex[2], &f.ex[3], &f.ex[4], &f.ex[5], &n); err != nil {
			return err
		}
		f.signEnd, f.arrivalEnd, f.due = signEnd, arrivalEnd, due
		for _, id := range ids {
			st, ok := orderState(id, &f)
			if !ok {
				continue
			}
			member := func() Member {
				m := orderMember(id, &f, st, asof, s.cfg.PartialCredit)
				if st == StateExempt { // the exemption is the reason
					m.Reason = ex.reason("order", m.ID, id)
				}
				return m
			}
			if err := sink(id, f.key, st, n, member); err != nil {
				return err
			}
		}
		return nil
	})
}

// orderState gives an order's state for one indicator at T (exempt when an
// exemption is in force), or false when the order is not in the indicator's
// population: the memberships explain/orders.sql reads, the totals' columns.
func orderState(id domain.IndicatorID, f *orderFact) (State, bool) {
	state := func(num, den bool) State {
		switch {
		case num:
			return StateNum
		case den:
			return StateDen
		}
		return StatePending
	}
	var st State
	switch id {
	case SignRate:
		st = state(f.signNum, f.signDen)
	case ArrivalRate:
		st = state(f.arrNum, f.arrDen)
	case ClosureRate:
		st = state(f.closeNum, f.closeDen)
	case ResolutionRate:
		st = state(f.resNum == 1, f.resDen)
		if f.resDen && f.outcome == 2 && !f.done.Time.Before(f.earliest) {
			st = StatePartial
		}
	case SatisfactionRate:
		st = state(f.satNum, f.satDen)
	case ReturnRate:
		st = state(f.retNum, true)
	default:
		return "", false
	}
	switch {
	case id == ArrivalRate && !f.arrPop,
		id == ReturnRate && !f.retDen && !f.exempt(ReturnRate), // ret_den leaves the exempted out; they are members still
		id != ArrivalRate && id != ReturnRate && !f.eff:
		return "", false
	case f.exempt(id):
		return StateExempt, true
	}
	return st, true
}

// orderMember is an order as a member of indicator id's population in state st
// (orderState's): the times the state was decided on and the reason.
func orderMember(id domain.IndicatorID, f *orderFact, st State, asof time.Time, credit float64) Member {
	m := Member{ID: f.id, Key: f.key, State: st, Times: map[string]time.Time{"dispatched_at": f.dispatched}}
	put := func(name string, t sql.NullTime) {
		if t.Valid {
			m.Times[name] = t.Time
		}
	}
	switch id {
	case SignRate:
		put("signed_at", f.signed)
		put("sign_end", f.signEnd)
		m.Reason = windowReason("签收", st, f.dispatched, f.earliest, f.signed, f.signEnd, asof)
	case ArrivalRate:
		put("arrived_at", f.arrived)
		put("arrival_end", f.arrivalEnd)
		m.Reason = windowReason("到场", st, f.dispatched, f.earliest, f.arrived, f.arrivalEnd, asof)
	case ClosureRate:
		put("done_at", f.done)
		put("due_at", f.due)
		m.Reason = closureReason(st, *f, asof)
	case ResolutionRate:
		put("done_at", f.done)
		m.Reason = resolutionReason(st, *f, asof, credit)
	case SatisfactionRate:
		put("revisited_at", f.revisit)
		m.Reason = satisfactionReason(st, *f, asof)
	case ReturnRate:
		m.Reason = map[State]string{StateNum: "工单已退回", StateDen: "工单未退回"}[st]
	}
	return m
}

// windowReason explains a sign or arrival state: the time taken against the
// window, or that the window has passed or not.
func windowReason(what string, st State, dispatched, earliest time.Time, at, end sql.NullTime, asof time.Time) string {
	limit := end.Time.Sub(dispatched)
	switch {
	case st == StatePending:
		return fmt.Sprintf("时限未到（截至 %s 已派 %s，时限 %s）", stamp(asof), Span(asof.Sub(dispatched)), Span(limit))
	case at.Valid && at.Time.Before(earliest):
		return fmt.Sprintf("%s时间 %s 早于派单时间，时间顺序异常", what, stamp(at.Time))
	case at.Valid && st == StateNum:
		return fmt.Sprintf("%s用时 %s，未超过时限 %s", what, Span(at.Time.Sub(dispatched)), Span(limit))
	case at.Valid:
		return fmt.Sprintf("%s用时 %s，超过时限 %s", what, Span(at.Time.Sub(dispatched)), Span(limit))
	}
	return fmt.Sprintf("截至 %s 未%s，时限 %s 已过（%s）", stamp(asof), what, Span(limit), stamp(end.Time))
}

func closureReason(st State, f orderFact, asof time.Time) string {
	switch {
	case st == StatePending:
		return fmt.Sprintf("未到办结时限（%s）", stamp(f.due.Time))
	case f.done.Valid && f.done.Time.Before(f.earliest):
		return fmt.Sprintf("办结时间 %s 早于派单时间，时间顺序异常", stamp(f.done.Time))
	case f.done.Valid && st == StateNum:
		return fmt.Sprintf("办结 %s，未超过办结时限 %s", stamp(f.done.Time), stamp(f.due.Time))
	case f.done.Valid:
		return fmt.Sprintf("办结 %s，逾期 %s", stamp(f.done.Time), Span(f.done.Time.Sub(f.due.Time)))
	}
	return fmt.Sprintf("截至 %s 未办结，已超过办结时限 %s", stamp(asof), stamp(f.due.Time))
}

func resolutionReason(st State, f orderFact, asof time.Time, credit float64) string {
	switch {
	case st == StatePending:
		return fmt.Sprintf("截至 %s 尚未办结", stamp(asof))
	case f.done.Time.Before(f.earliest):
		return fmt.Sprintf("办结时间 %s 早于派单时间，时间顺序异常", stamp(f.done.Time))
	case st == StateNum:
		return "化解结果：已化解"
	case st == StatePartial:
		return "化解结果：部分化解（折算 " + strconv.FormatFloat(credit, 'f', -1, 64) + "）"
	case f.outcome == 0:
		return "已办结，无化解结果（按未化解计）"
	}
	return "化解结果：未化解"
}

func satisfactionReason(st State, f orderFact, asof time.Time) string {
	switch {
	case st == StatePending && f.satKnown:
		return fmt.Sprintf("回访时间 %s 在统计时点 %s 之后", stamp(f.revisit.Time), stamp(asof))
	case st == StatePending:
		return "尚无回访结果"
	case f.revisit.Valid && f.revisit.Time.Before(f.earliest):
		return fmt.Sprintf("回访时间 %s 早于派单时间，时间顺序异常", stamp(f.revisit.Time))
	case st == StateNum:
		return "回访结果：满意或基本满意"
	}
	return "回访结果：不满意"
}

// explainCalls reads the call members (explain/call_members.sql); with limit > 0
// the first limit of each set of calls alike, as explainOrders does.
func (s *Store) explainCalls(ctx context.Context, conn *sql.Conn, ids []domain.IndicatorID, key string, against bool, limit int, asof time.Time, ex inForce, sink memberSink) error {
	args := []any{key, !against}
	for _, id := range []domain.IndicatorID{DiversionRatio, NonpoliceDiversionRatio, RepeatRate} {
		args = append(args, slices.Contains(ids, id))
	}
	st, args, err := s.members(ctx, conn, queries.ExplainCallMembers, queries.ExplainCalls, queries.ExplainCallsAlike, args, limit)
	if err != nil {
		return err
	}
	return s.scanArgs(ctx, conn, st, args, func(r *sql.Rows) error {
		var id0, key0 string
		var valid, nonpolice, diverted, pop, den, num bool
		var received time.Time
		var first, next sql.NullTime
		var windowEnd time.Time
		var exRep, exDiv, exNP bool
		var n int64
		if err := r.Scan(&id0, &key0, &valid, &nonpolice, &diverted, &pop, &den, &num, &received, &first, &next, &windowEnd, &exRep, &exDiv, &exNP, &n); err != nil {
			return err
		}
		for _, id := range ids {
			m := Member{ID: id0, Key: key0, Times: map[string]time.Time{"received_at": received}}
			switch id {
			case DiversionRatio, NonpoliceDiversionRatio:
				if !valid || (id == NonpoliceDiversionRatio && !nonpolice) {
					continue
				}
				m.State, m.Reason = StateDen, fmt.Sprintf("截至 %s 未分流（无有效联动工单）", stamp(asof))
				if diverted {
					m.Times["first_dispatch_at"] = first.Time
					m.State, m.Reason = StateNum, fmt.Sprintf("已分流（首次派单 %s）", stamp(first.Time))
				}
			case RepeatRate:
				if !pop {
					continue
				}
				m.State, m.Reason = repeatState(num, den, next, windowEnd, m.Times)
			default:
				continue
			}
			if (id == RepeatRate && exRep) || (id == DiversionRatio && exDiv) || (id == NonpoliceDiversionRatio && exNP) {
				m.State, m.Reason = StateExempt, ex.reason("call", m.ID, id)
			}
			if err := sink(id, m.Key, m.State, n, func() Member { return m }); err != nil {
				return err
			}
		}
		return nil
	})
}

// explainRepeatGroups reads repeat_rate's members under an order-only grouping
// (explain/repeat_group_members.sql); with limit > 0 the first limit of each set
// alike.
func (s *Store) explainRepeatGroups(ctx context.Context, conn *sql.Conn, key string, against bool, limit int, ex inForce, sink memberSink) error {
	st, args, err := s.members(ctx, conn, queries.ExplainGroupMembers, queries.ExplainRepeatGroups, queries.ExplainGroupsAlike, []any{key, !against}, limit)
	if err != nil {
		return err
	}
	return s.scanArgs(ctx, conn, st, args, func(r *sql.Rows) error {
		var m Member
		var den, num, exempt bool
		var received, windowEnd time.Time
		var next sql.NullTime
		var n int64
		if err := r.Scan(&m.ID, &m.Key, &den, &num, &received, &next, &windowEnd, &exempt, &n); err != nil {
			return err
		}
		m.Times = map[string]time.Time{"received_at": received}
		m.State, m.Reason = repeatState(num, den, next, windowEnd, m.Times)
		if exempt {
			m.State, m.Reason = StateExempt, ex.reason("call", m.ID, RepeatRate)
		}
		return sink(RepeatRate, m.Key, m.State, n, func() Member { return m })
	})
}

// repeatState explains a repeat_rate member: repeated, not repeated within the
// window, or the window still open.
func repeatState(num, den bool, next sql.NullTime, windowEnd time.Time, times map[string]time.Time) (State, string) {
	times["window_end"] = windowEnd
	switch {
	case num:
		times["repeated_at"] = next.Time
		return StateNum, fmt.Sprintf("重复报警窗口内同一电话或地址同类再次报警（%s）", stamp(next.Time))
	case den:
		return StateDen, fmt.Sprintf("重复报警窗口（至 %s）内未再报警", stamp(windowEnd))
	}
	return StatePending, fmt.Sprintf("重复报警窗口未结束（至 %s）", stamp(windowEnd))
}

// inForce holds the exemptions in force at T, by record, for explain's reasons.
type inForce map[string][]exemptionText

type exemptionText struct {
	indicators []string
	reason, by string
	approvedAt time.Time
}

func (s *Store) exemptionsInForce(ctx context.Context, conn *sql.Conn, asof time.Time) (inForce, error) {
	out := inForce{}
	err := s.scanArgs(ctx, conn, queries.ExemptInForce, []any{asof}, func(r *sql.Rows) error {
		var kind, id string
		var inds []any
		var e exemptionText
		if err := r.Scan(&kind, &id, &inds, &e.reason, &e.by, &e.approvedAt); err != nil {
			return err
		}
		for _, i := range inds {
			e.indicators = append(e.indicators, fmt.Sprint(i))
		}
		out[kind+"\x00"+id] = append(out[kind+"\x00"+id], e)
		return nil
	})
	return out, err
}

// reason is an exempted member's reason: the first exemption in force for the
// indicator, with who approved it and when.
func (f inForce) reason(kind, id string, ind domain.IndicatorID) string {
	for _, e := range f[kind+"\x00"+id] {
		for _, i := range e.indicators {
			if i == string(ind) {
				return fmt.Sprintf("核减：%s（审批人 %s，%s）", e.reason, e.by, e.approvedAt.Format("2006-01-02"))
			}
		}
	}
	return "核减"
}

// scanArgs runs a query with arguments on conn and calls row for each row.
func (s *Store) scanArgs(ctx context.Context, conn *sql.Conn, st queries.Statement, args []any, row func(*sql.Rows) error) error {
	n, start := 0, time.Now()
	defer func() {
		s.log.Debug("statement", "component", "metrics", "name", st.Name, "took", time.Since(start), "rows", n)
	}()
	rows, err := conn.QueryContext(ctx, st.SQL, args...)
	if err != nil {
		return fmt.Errorf("metrics: %s: %w", st.Name, err)
	}
	defer rows.Close()
	for ; rows.Next(); n++ {
		if err := row(rows); err != nil {
			return fmt.Errorf("metrics: %s: %w", st.Name, err)
		}
	}
	return rows.Err()
}

// stamp writes a time to the minute, or to the second when it has seconds: a
// boundary a second past a window must be seen.
func stamp(t time.Time) string {
	if t.Second() != 0 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04")
}

// Span writes a duration as a person reads it: 42分12秒, 3小时5分, 7天, 2天4小时.
func Span(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Second)
	days, hours := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	mins, secs := int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	var b strings.Builder
	switch {
	case days > 0:
		fmt.Fprintf(&b, "%d天", days)
		if hours > 0 {
			fmt.Fprintf(&b, "%d小时", hours)
		}
	case hours > 0:
		fmt.Fprintf(&b, "%d小时", hours)
		if mins > 0 {
			fmt.Fprintf(&b, "%d分", mins)
		}
	case mins > 0:
		fmt.Fprintf(&b, "%d分", mins)
		if secs > 0 {
			fmt.Fprintf(&b, "%d秒", secs)
		}
	default:
		fmt.Fprintf(&b, "%d秒", secs)
	}
	return b.String()
}
