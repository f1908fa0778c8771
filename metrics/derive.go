package metrics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/queries"
)

// deriveVersion changes when the derived tables change shape or rule
// (queries/derive), so that facts built by an older fenliu are rebuilt. 3: the
// next repeat kept only inside the repeat window.
const deriveVersion = 3

// settingsKey is the text of every setting the derived facts depend on.
func settingsKey(cfg Config) string {
	a := cfg.ArrivalSLA
	return fmt.Sprintf("v%d skew=%d sign=%d,%d arrival=%d,%d,%d,%d,%d,%d closure=%d,%d,%d same_incident=%d repeat_window=%d",
		deriveVersion, seconds(cfg.Skew), seconds(cfg.SignSLA[domain.Urgent]), seconds(cfg.SignSLA[domain.Normal]),
		seconds(a[domain.Urgent][domain.City]), seconds(a[domain.Urgent][domain.Township]), seconds(a[domain.Urgent][domain.Rural]),
		seconds(a[domain.Normal][domain.City]), seconds(a[domain.Normal][domain.Township]), seconds(a[domain.Normal][domain.Rural]),
		cfg.ClosureDays[domain.Easy], cfg.ClosureDays[domain.Ordinary], cfg.ClosureDays[domain.Hard], seconds(cfg.SameIncident), seconds(cfg.RepeatWindow))
}

// bindRules fills the rules tables of queries/derive/rules.sql on conn: what makes
// an order effective (domain.Effective), and the windows and closure days in force.
// The derived facts read these rules from there and nowhere else.
func bindRules(ctx context.Context, conn *sql.Conn, cfg Config) error {
	exec := func(st queries.Statement, args ...any) error {
		if _, err := conn.ExecContext(ctx, st.SQL, args...); err != nil {
			return fmt.Errorf("metrics: %s: %w", st.Name, err)
		}
		return nil
	}
	if err := exec(queries.Rules); err != nil {
		return err
	}
	for _, s := range domain.Statuses {
		if err := exec(queries.RuleStatus, string(s), domain.Effective(s), s == domain.StatusReturned, s == domain.StatusCancelled); err != nil {
			return err
		}
	}
	for _, p := range domain.Priorities {
		for _, a := range domain.AreaTypes {
			if err := exec(queries.RuleSLA, string(p), string(a), seconds(cfg.SignSLA[p]), seconds(cfg.ArrivalSLA[p][a])); err != nil {
				return err
			}
		}
	}
	for _, d := range domain.Difficulties {
		if err := exec(queries.RuleClosure, string(d), cfg.ClosureDays[d]); err != nil {
			return err
		}
	}
	return nil
}

// ErrStale is returned by the computations when the derived facts were built from
// other loads or other settings than those in force: Refresh them first (a write,
// done after every load and when a store is opened stale).
var ErrStale = errors.New("metrics: the derived facts are stale (loads or settings changed since they were built): refresh them first")

// derivedState is what the derived facts should be built from and what they were.
type derivedState struct {
	want, have   string // fingerprints: equal when fresh
	wantSettings string // the settings in force
	settings     string // the settings they were built under ("" before 0011)
	covered      int64  // the last changing load they cover
	loads        int64  // how many changing loads they cover
	appended     int64  // rows updates appended since the last full rebuild
	newLoads     int64  // changing loads after covered
	newRows      int64  // rows those loads inserted or updated
	rows         int64  // calls and orders stored
	allLoads     int64  // changing loads in all
	lastLoad     int64  // the last changing load
}

func readDerivedState(ctx context.Context, db *sql.DB, cfg Config) (derivedState, error) {
	var d derivedState
	var have, settings sql.NullString
	var covered, loads sql.NullInt64
	err := db.QueryRowContext(ctx, queries.DerivedFingerprint.SQL, settingsKey(cfg)).Scan(&d.want, &have, &settings, &covered,
		&loads, &d.appended, &d.newLoads, &d.newRows, &d.rows, &d.allLoads, &d.lastLoad)
	if err != nil {
		return d, fmt.Errorf("metrics: fingerprint: %w", err)
	}
	d.have, d.settings, d.covered, d.loads = have.String, settings.String, covered.Int64, loads.Int64
	d.wantSettings = settingsKey(cfg)
	if !covered.Valid {
		d.loads = -1 // built before the covered loads were recorded: never incremental
	}
	return d, nil
}

// Refreshed says how Refresh brought the derived facts up to date.
type Refreshed int

const (
	// AlreadyFresh: they followed the loads and the settings; nothing was written.
	AlreadyFresh Refreshed = iota
	// Updated: only the rows that the loads since the last refresh can have
	// changed were rebuilt.
	Updated
	// Rebuilt: every derived table was rebuilt.
	Rebuilt
)

func (r Refreshed) String() string {
	return [...]string{"fresh", "updated", "rebuilt"}[r]
}

// MaxUpdateShare is the share of the stored rows above which the loads since the
// last full rebuild rebuild the derived facts in full instead of updating them: a
// large update costs about what a rebuild does, and updates append their rows
// unsorted, so that a table read by period slowly loses the order that lets a
// period skip the rest; a rebuild sorts it again. At a day's export of 40 000 rows
// into 14 M, that is a rebuild every two or three months.
const MaxUpdateShare = 0.2

// plan decides how to bring the facts up to date: incrementally only when they
// were built under the same settings and every changing load since then came after
// the last one they cover (file ids grow with each load, so rows with a larger
// file_id are exactly the rows those loads wrote).
func (d derivedState) plan() Refreshed {
	switch {
	case d.want == d.have:
		return AlreadyFresh
	case d.settings == d.wantSettings && d.loads >= 0 && d.loads+d.newLoads == d.allLoads &&
		float64(d.appended+d.newRows) <= MaxUpdateShare*float64(d.rows):
		return Updated
	}
	return Rebuilt
}

// Fresh reports whether the derived facts follow the loads and the settings in
// force. It only reads.
func (s *Store) Fresh(ctx context.Context) (bool, error) {
	d, err := readDerivedState(ctx, s.db, s.cfg)
	return err == nil && d.want == d.have, err
}

// Refresh brings up to date the facts that do not depend on the period or T (per
// call: first dispatch and next repeat candidate; per order: windows, due date,
// done_at, out-of-order, its call's town and county) when the loads or the settings
// changed since they were built. After loads under the same settings it rebuilds
// only the rows those loads can have changed (queries/derive/scope_changed.sql);
// after a settings change, or once the loads since the last full rebuild changed
// more than MaxUpdateShare of the rows, everything. An update is one transaction:
// a process killed mid-way leaves the facts as they were, stale, and the next
// Refresh updates them again. A rebuild forgets first what they were built from
// and then rebuilds a table a transaction: one killed mid-way is done again in
// full.
// It writes, and is called at the boundaries where writing belongs: after a load,
// and when a store is opened stale; the computations only read, and refuse stale
// facts (ErrStale). log takes each step's time at debug level (nil: discard).
func Refresh(ctx context.Context, db *sql.DB, cfg Config, log *slog.Logger) (Refreshed, error) {
	return refresh(ctx, db, cfg, log, false)
}

// RebuildAll rebuilds every derived table, whatever their state: what Refresh
// must come to, for tests and for repairing a store by hand.
func RebuildAll(ctx context.Context, db *sql.DB, cfg Config, log *slog.Logger) error {
	_, err := refresh(ctx, db, cfg, log, true)
	return err
}

// repeatHash defines the macro the repeat candidates are matched on
// (derive/repeat_hash.sql); tests put colliding ones in its place.
var repeatHash = queries.RepeatHash

func refresh(ctx context.Context, db *sql.DB, cfg Config, log *slog.Logger, all bool) (Refreshed, error) {
	s := New(db, cfg, log)
	d, err := readDerivedState(ctx, db, cfg)
	if err != nil {
		return AlreadyFresh, err
	}
	how := d.plan()
	if all {
		how = Rebuilt
	}
	conn, err := db.Conn(ctx) // params and the scope are temp: one connection
	if err != nil {
		return how, err
	}
	defer conn.Close()
	defer conn.ExecContext(context.WithoutCancel(ctx), queries.DropFacts.SQL+queries.DropDerive.SQL+queries.DropSettled.SQL)
	if _, err := conn.ExecContext(ctx, queries.SettledViews.SQL); err != nil {
		return how, fmt.Errorf("metrics: %s: %w", queries.SettledViews.Name, err)
	}
	if how == AlreadyFresh { // the settled figures may still be behind (exemptions, dictionaries)
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return how, err
		}
		if err := s.settle(ctx, tx, false, d.have, d.have); err != nil {
			tx.Rollback()
			return how, err
		}
		return how, tx.Commit()
	}
	var zero time.Time
	if _, err := conn.ExecContext(ctx, queries.Params.SQL, paramArgs(cfg, zero, zero, zero, ByTotal)...); err != nil {
		return how, fmt.Errorf("metrics: params: %w", err)
	}
	if err := bindRules(ctx, conn, cfg); err != nil {
		return how, err
	}
	if _, err := conn.ExecContext(ctx, repeatHash.SQL); err != nil {
		return how, fmt.Errorf("metrics: %s: %w", repeatHash.Name, err)
	}
	type step struct {
		st   queries.Statement
		args []any
		run  func(tx *sql.Tx) error // instead of st
	}
	appended := int64(0)
	if how == Updated {
		appended = d.appended + d.newRows
	}
	record := step{queries.RecordDerived, []any{d.want, settingsKey(cfg), d.lastLoad, d.allLoads, appended}, nil}
	// An update is one transaction. A full rebuild is a transaction a table, after
	// one that forgets what the facts were built from (derive/forget.sql): a
	// transaction holding every new table of a 30 M-call store ran out of memory.
	// The settled figures follow in the same transaction as the facts they are
	// counted from: the months an update touched, or all after a rebuild.
	settle := step{run: func(tx *sql.Tx) error { return s.settle(ctx, tx, how == Rebuilt, d.have, d.want) }}
	txs := [][]step{{{queries.DeriveCovered, []any{d.covered}, nil}, {queries.DeriveScopeChanged, nil, nil}, {queries.SettledBefore, nil, nil},
		{queries.DeriveRepeats, nil, nil}, {queries.DeriveFacts, nil, nil}, {queries.UpdateCallDerived, nil, nil}, {queries.UpdateOrderCalls, nil, nil},
		{queries.UpdateOrderDerived, nil, nil}, {queries.SettledTouched, nil, nil}, settle, record}}
	if how == Rebuilt {
		txs = [][]step{{{queries.ForgetDerived, nil, nil}, {queries.DeriveScopeAll, nil, nil}, {queries.DeriveRepeats, nil, nil}, {queries.DeriveFacts, nil, nil}},
			{{queries.FullCallDerived, nil, nil}}, {{queries.FullOrderCalls, nil, nil}}, {{queries.FullOrderDerived, nil, nil}}, {settle, record}}
	}
	begin := time.Now()
	for _, steps := range txs {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return how, err
		}
		for _, step := range steps {
			if step.run != nil {
				if err := step.run(tx); err != nil {
					tx.Rollback()
					return how, fmt.Errorf("metrics: %s derived facts: %w", how, err)
				}
				continue
			}
			start := time.Now()
			if _, err := tx.ExecContext(ctx, step.st.SQL, step.args...); err != nil {
				tx.Rollback()
				return how, fmt.Errorf("metrics: %s derived facts: %s: %w", how, step.st.Name, err)
			}
			s.timed(step.st, start)
		}
		if err := tx.Commit(); err != nil {
			return how, err
		}
	}
	s.log.Debug("derived facts", "component", "metrics", "how", how.String(), "rows_loaded", d.newRows, "took", time.Since(begin))
	return how, nil
}
