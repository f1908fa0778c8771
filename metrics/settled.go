package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/queries"
)

// Settled figures. A record's membership of every indicator is decided by
// comparing a few of its times with T (a time after T has not happened): once T
// is past the latest of them, its states no longer change with T. Most records of
// a month are past that point a month after the month ends (its cut,
// settled_cut in settled/views.sql); the few that are not — done or revisited
// late, given an order late, exempted late — are its late records
// (settled/late.sql). Refresh counts each month's other records once, at a T
// after every time (settledAsOf), for the groupings the reports ask month by
// month (settledGroupings), and keeps those totals with copies of the late
// records (schema/0013_settled.sql). ComputeAll, for a want of those groupings
// that starts on a month, reads its whole months cut by its T from there (split
// by month or added up), counts their late records at T, adds the two (every
// total is a count or a sum), and counts from the records only the months after.
// The scorecard's 12-month trend is then its last month or two and some
// thousand late records, not a year of records.
//
// They are exact, not estimated: the totals are those order_totals.sql and
// call_totals.sql make from the same facts, and the settled months are read only
//   - under the settings and dictionaries they were counted under,
//   - while they follow the derived facts as they are (a refresh counts again, in
//     the same transaction, the months whose derived rows it replaced),
//   - while the month's records' exemptions are those they were counted with (an
//     exemption added or revoked since has its month counted at T, until the
//     next refresh counts it anew),
//   - and at a T at or after the month's cut.
// Otherwise the month is counted from the records, as before.
// TestSettledIsCounted holds the two equal; TestSettledFollowsAnUpdate and
// TestIncrementalRefreshIsAFullRebuild hold an update's settled figures equal to
// counting them anew.

// settledGroupings are the groupings kept settled: those the reports ask over
// many months (the scorecard's and annual's trends, the trend report, the
// annual's year by each grouping of its tables). A want of another grouping is
// counted from the records over its whole span: the annual's year by police
// station alone took 1.2 s at 10 M calls before it was settled.
var settledGroupings = []By{ByTotal, ByDepartment, ByTown, ByCounty, ByCategory, ByPoliceStation}

// settledVersion changes when the settled figures change shape or rule.
const settledVersion = 2

// settledAsOf is the T the settled figures are counted at: after every time.
var settledAsOf = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// readSettled lets tests count every month from the records.
var readSettled = true

// settledKey is the text of every setting the settled figures depend on: the
// derived facts' and the ones the indicators apply at T.
func settledKey(cfg Config) string {
	return fmt.Sprintf("settled v%d %s window=%d credit=%v groupings=%s",
		settledVersion, settingsKey(cfg), seconds(cfg.RepeatWindow), cfg.PartialCredit, settledNames())
}

// settledNames lists the settled groupings, comma separated: in the fingerprint,
// and for settled/span.sql, which names each slot's grouping.
func settledNames() string {
	gs := make([]string, len(settledGroupings))
	for i, g := range settledGroupings {
		gs[i] = string(g)
	}
	return strings.Join(gs, ",")
}

func (s *Store) settledWants(ctx context.Context, asof time.Time, wants []Want) ([]Want, error) {
	some := false
	for _, w := range wants {
		some = some || slices.Contains(settledGroupings, w.By)
	}
	if !some || !readSettled {
		return wants, nil
	}
	usable, err := s.settledMonths(ctx, asof)
	if err != nil {
		return nil, err
	}
	live := make([]Want, len(wants))
	for i, w := range wants {
		live[i] = w
		t := w.Period.Start
		if !slices.Contains(settledGroupings, w.By) || t != period.OfMonth(t.Year(), t.Month()).Start {
			continue
		}
		for next := t.AddDate(0, 1, 0); !next.After(w.Period.End) && usable(t); next = t.AddDate(0, 1, 0) {
			t = next
		}
		live[i].Period.Start = t
	}
	return live, nil
}

// settledMonths reads which months are settled and cut by T, or have no records
// (outside the first and last month of the facts).
func (s *Store) settledMonths(ctx context.Context, asof time.Time) (func(time.Time) bool, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	defer conn.ExecContext(context.WithoutCancel(ctx), queries.DropSettled.SQL)
	if err := s.exec(ctx, conn, queries.SettledViews); err != nil {
		return nil, err
	}
	defer s.timed(queries.SettledUsable, time.Now())
	rows, err := conn.QueryContext(ctx, queries.SettledUsable.SQL, settledKey(s.cfg), asof)
	if err != nil {
		return nil, fmt.Errorf("metrics: %s: %w", queries.SettledUsable.Name, err)
	}
	defer rows.Close()
	usable, valid := map[time.Time]bool{}, false
	var first, last sql.NullTime
	for rows.Next() {
		var m sql.NullTime
		if err := rows.Scan(&m, &first, &last); err != nil {
			return nil, err
		}
		valid = true
		if m.Valid {
			usable[m.Time] = true
		}
	}
	return func(m time.Time) bool {
		return valid && (usable[m] || !first.Valid || m.Before(first.Time) || m.After(last.Time))
	}, rows.Err()
}

// settle counts again, on tx, the settled figures that no longer follow the
// facts: all of them when full, or when they were counted under other settings or
// dictionaries or from other derived facts than had (those the refresh started
// from); else the months the refresh touched (settled/touched.sql) and those
// whose exemptions changed. Then it records them as following the derived facts
// now (derived). The temp views of settled/views.sql must be on tx's connection.
func (s *Store) settle(ctx context.Context, tx *sql.Tx, full bool, had, derived string) error {
	var have, want, from sql.NullString
	if err := tx.QueryRowContext(ctx, queries.SettledState.SQL, settledKey(s.cfg)).Scan(&have, &want, &from); err != nil {
		return fmt.Errorf("metrics: %s: %w", queries.SettledState.Name, err)
	}
	full = full || have != want || from.String != had
	var months []time.Time
	defer func() { s.log.Debug("settled figures", "component", "metrics", "full", full, "months", len(months)) }()
	var first, last sql.NullTime
	if err := tx.QueryRowContext(ctx, queries.SettledExtent.SQL).Scan(&first, &last); err != nil {
		return fmt.Errorf("metrics: %s: %w", queries.SettledExtent.Name, err)
	}
	if full {
		for t := first.Time; first.Valid && !t.After(last.Time); t = t.AddDate(0, 1, 0) {
			months = append(months, t)
		}
		if len(months) == 0 { // an empty store: one empty month makes the tables' shape
			months = []time.Time{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
		}
	} else {
		err := s.scan(ctx, tx, queries.SettledChanged, func(rows *sql.Rows) error {
			var m time.Time
			err := rows.Scan(&m)
			months = append(months, m)
			return err
		})
		if err != nil {
			return fmt.Errorf("metrics: %s: %w", queries.SettledChanged.Name, err)
		}
		if len(months) == 0 && from.String == derived {
			return nil // nothing changed: nothing to write
		}
	}
	if full {
		if err := s.exec(ctx, tx, queries.SettledResetLate); err != nil {
			return err
		}
	}
	for i, run := range monthRuns(months) {
		p := period.Period{Kind: period.Month, Start: run[0], End: run[1]}
		if err := s.exec(ctx, tx, queries.SettledSpan, p.Start, p.End, settledNames(), seconds(s.cfg.RepeatWindow)); err != nil {
			return err
		}
		if err := s.exec(ctx, tx, queries.SettledLate); err != nil {
			return err
		}
		wants := make([]Want, len(settledGroupings))
		for j, g := range settledGroupings {
			wants[j] = Want{Period: p, By: g, Months: true}
		}
		if err := s.totals(ctx, tx, settledAsOf, wants, false, queries.SettledSources); err != nil {
			return err
		}
		if full && i == 0 {
			if err := s.exec(ctx, tx, queries.SettledReset); err != nil {
				return err
			}
		}
		if err := s.exec(ctx, tx, queries.SettledStore); err != nil {
			return err
		}
	}
	return s.exec(ctx, tx, queries.SettledRecord, want.String, derived, first, last)
}

// monthRuns cuts sorted month starts into runs of consecutive months, each
// [first, after last).
func monthRuns(months []time.Time) [][2]time.Time {
	var runs [][2]time.Time
	for _, m := range months {
		if n := len(runs); n > 0 && !m.After(runs[n-1][1]) {
			if next := m.AddDate(0, 1, 0); next.After(runs[n-1][1]) {
				runs[n-1][1] = next
			}
			continue
		}
		runs = append(runs, [2]time.Time{m, m.AddDate(0, 1, 0)})
	}
	return runs
}

// addSettled completes the totals ot and ct of a pass whose wants start after
// the settled months asked for (settledWants): it counts those months' late
// records at T, reads their settled figures, and adds both to what was counted
// from the records, group by group (settled/merge.sql).
func (s *Store) addSettled(ctx context.Context, conn *sql.Conn, asof time.Time, wants, asked []Want) error {
	late := make([]Want, len(wants))
	some := false
	for i, w := range wants {
		late[i] = Want{Period: period.Period{Kind: w.Period.Kind, Start: w.Period.End, End: w.Period.End}, By: w.By, Months: w.Months}
		if a := asked[i].Period.Start; a.Before(w.Period.Start) {
			late[i].Period.Start, late[i].Period.End = a, w.Period.Start
			some = true
		}
	}
	if !some {
		return nil
	}
	if err := s.exec(ctx, conn, queries.SettledKeep); err != nil {
		return err
	}
	if err := s.totals(ctx, conn, asof, late, false, queries.LateSources); err != nil {
		return err
	}
	for i, w := range late {
		if !w.Period.End.After(w.Period.Start) {
			continue
		}
		for _, st := range []queries.Statement{queries.SettledReadOT, queries.SettledReadCT} {
			if err := s.exec(ctx, conn, st, strconv.Itoa(i+1), string(w.By), w.Period.Start, w.Period.End, w.Months); err != nil {
				return err
			}
		}
	}
	return s.exec(ctx, conn, queries.SettledMerge)
}
