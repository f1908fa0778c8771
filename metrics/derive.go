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

// deriveVersion changes when the derived tables change shape (queries/derive), so
// that facts built by an older fenliu are rebuilt.
const deriveVersion = 2

// settingsKey is the text of every setting the derived facts depend on.
func settingsKey(cfg Config) string {
	a := cfg.ArrivalSLA
	return fmt.Sprintf("v%d skew=%d sign=%d,%d arrival=%d,%d,%d,%d,%d,%d closure=%d,%d,%d same_incident=%d",
		deriveVersion, seconds(cfg.Skew), seconds(cfg.SignSLA[domain.Urgent]), seconds(cfg.SignSLA[domain.Normal]),
		seconds(a[domain.Urgent][domain.City]), seconds(a[domain.Urgent][domain.Township]), seconds(a[domain.Urgent][domain.Rural]),
		seconds(a[domain.Normal][domain.City]), seconds(a[domain.Normal][domain.Township]), seconds(a[domain.Normal][domain.Rural]),
		cfg.ClosureDays[domain.Easy], cfg.ClosureDays[domain.Ordinary], cfg.ClosureDays[domain.Hard], seconds(cfg.SameIncident))
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

// fingerprint returns what the derived facts should have been built from, and what
// they were built from ("" when never).
func fingerprint(ctx context.Context, db *sql.DB, cfg Config) (want, have string, err error) {
	var h sql.NullString
	if err := db.QueryRowContext(ctx, queries.DerivedFingerprint.SQL, settingsKey(cfg)).Scan(&want, &h); err != nil {
		return "", "", fmt.Errorf("metrics: fingerprint: %w", err)
	}
	return want, h.String, nil
}

// Fresh reports whether the derived facts follow the loads and the settings in
// force. It only reads.
func (s *Store) Fresh(ctx context.Context) (bool, error) {
	want, have, err := fingerprint(ctx, s.db, s.cfg)
	return err == nil && want == have, err
}

// Refresh rebuilds the facts that do not depend on the period or T (per call: first
// dispatch and next repeat candidate; per order: windows, due date, done_at,
// out-of-order, its call's town and county) when the loads or the settings changed
// since they were built. It writes, and is called at the boundaries where writing
// belongs: after a load, and when a store is opened stale; the computations only
// read, and refuse stale facts (ErrStale). It reports whether it rebuilt.
// log takes each step's time at debug level (nil: discard).
func Refresh(ctx context.Context, db *sql.DB, cfg Config, log *slog.Logger) (bool, error) {
	s := New(db, cfg, log)
	want, have, err := fingerprint(ctx, db, cfg)
	if err != nil {
		return false, err
	}
	if have == want {
		return false, nil
	}
	conn, err := db.Conn(ctx) // params is a temp table: one connection
	if err != nil {
		return false, err
	}
	defer conn.Close()
	defer conn.ExecContext(context.WithoutCancel(ctx), queries.DropFacts.SQL)
	var zero time.Time
	if _, err := conn.ExecContext(ctx, queries.Params.SQL, paramArgs(cfg, zero, zero, zero, ByTotal)...); err != nil {
		return false, fmt.Errorf("metrics: params: %w", err)
	}
	if err := bindRules(ctx, conn, cfg); err != nil {
		return false, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	for _, step := range []struct {
		st   queries.Statement
		args []any
	}{
		{queries.RebuildCalls, []any{seconds(cfg.SameIncident)}},
		{queries.RebuildOrders, nil},
		{queries.RebuildOrderFacts, nil},
		{queries.RecordDerived, []any{want}},
	} {
		start := time.Now()
		if _, err := tx.ExecContext(ctx, step.st.SQL, step.args...); err != nil {
			return false, fmt.Errorf("metrics: rebuild: %s: %w", step.st.Name, err)
		}
		s.timed(step.st, start)
	}
	return true, tx.Commit()
}
