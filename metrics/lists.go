package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/queries"
)

// The detail lists beside the figures: each row scanned once into a typed value
// here, where the query's columns are known. Times are wall clock.

// OverdueOrder is an effective order not done at T although due.
type OverdueOrder struct {
	OrderID, CallID, Department, Town string
	DispatchedAt, DueAt               time.Time
	Status                            domain.Status
	DaysOver                          float64 // days past due at T, one decimal
	// Carried (weekly briefing): already overdue a week before T, so listed by the
	// previous briefing and still open.
	Carried bool
}

// RepeatCall is a valid diverted call of the period that was repeated by T.
type RepeatCall struct {
	CallID                           string
	ReceivedAt                       time.Time
	Caller                           string // masked
	Address, Category, Town, Summary string
	RepeatAt                         time.Time // the first repeat
}

// FrequentCaller is a caller (shown masked) with at least FrequentCalls calls in
// the week.
type FrequentCaller struct {
	Caller            string
	Calls, ValidCalls int64
	Categories, Towns string // 、-separated
	FirstAt, LastAt   time.Time
}

// FrequentAddress is an address with at least FrequentCalls calls in the week.
type FrequentAddress struct {
	Address                    string
	Calls, ValidCalls, Callers int64
	Categories, Town           string
	FirstAt, LastAt            time.Time
}

// UnsignedOrder is an order of the week past its sign deadline, unsigned and not
// done at T.
type UnsignedOrder struct {
	OrderID, CallID, Department, Town string
	DispatchedAt, SignBy              time.Time
	Status                            domain.Status
	HoursOver                         float64
}

// File is one load behind the figures (data coverage).
type File struct {
	Name, Kind, Profile                                      string
	Read, Inserted, Updated, Unchanged, Superseded, Rejected int64
	LoadedAt                                                 time.Time
}

// FileRejects is one file's rejected rows and the commonest reason.
type FileRejects struct {
	Name           string
	Read, Rejected int64
	TopReason      string // "field：reason", or ""
}

// NameCount is a name and how often it occurs (unknown departments, categories).
type NameCount struct {
	Name string
	N    int64
}

// list scans every row of a statement with scan.
func list[T any](ctx context.Context, s *Store, st queries.Statement, args []any, scan func(*sql.Rows, *T) error) ([]T, error) {
	defer s.timed(st, time.Now())
	name := st.Name
	rows, err := s.db.QueryContext(ctx, st.SQL, args...)
	if err != nil {
		return nil, fmt.Errorf("metrics: %s: %w", name, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, fmt.Errorf("metrics: %s: %w", name, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("metrics: %s: %w", name, err)
	}
	return out, nil
}

func periodArgs(p period.Period, asOf time.Time) []any {
	return []any{sql.Named("start", p.Start), sql.Named("end", p.End), sql.Named("asof", wall(asOf))}
}

func scanOverdue(r *sql.Rows, o *OverdueOrder, carried bool) error {
	var status string
	dst := []any{&o.OrderID, &o.CallID, &o.Department, &o.Town, &o.DispatchedAt, &o.DueAt, &status, &o.DaysOver}
	if carried {
		dst = append(dst, &o.Carried)
	}
	err := r.Scan(dst...)
	o.Status = domain.Status(status)
	return err
}

// Overdue lists the effective orders dispatched in P that are due and not done at
// T, most overdue first.
func (s *Store) Overdue(ctx context.Context, p period.Period, asOf time.Time) ([]OverdueOrder, error) {
	return list(ctx, s, queries.Overdue, periodArgs(p, asOf), func(r *sql.Rows, o *OverdueOrder) error {
		return scanOverdue(r, o, false)
	})
}

// DueSoon lists the effective orders open at T whose closure falls due after T
// and within the window: the orders to chase (催办) before they are overdue,
// soonest first. DaysOver is negative: the days left.
func (s *Store) DueSoon(ctx context.Context, asOf time.Time, within time.Duration) ([]OverdueOrder, error) {
	args := []any{sql.Named("asof", wall(asOf)), sql.Named("until", wall(asOf).Add(within))}
	return list(ctx, s, queries.DueSoon, args, func(r *sql.Rows, o *OverdueOrder) error {
		return scanOverdue(r, o, false)
	})
}

// Repeats lists the valid diverted calls of P repeated by T (repeat_rate's num).
func (s *Store) Repeats(ctx context.Context, p period.Period, asOf time.Time) ([]RepeatCall, error) {
	args := append(periodArgs(p, asOf), sql.Named("window", seconds(s.cfg.RepeatWindow)))
	return list(ctx, s, queries.Repeats, args, func(r *sql.Rows, c *RepeatCall) error {
		return r.Scan(&c.CallID, &c.ReceivedAt, &c.Caller, &c.Address, &c.Category, &c.Town, &c.RepeatAt, &c.Summary)
	})
}

// Coverage lists every load behind the figures.
func (s *Store) Coverage(ctx context.Context) ([]File, error) {
	return list(ctx, s, queries.Coverage, nil, func(r *sql.Rows, f *File) error {
		return r.Scan(&f.Name, &f.Kind, &f.Profile, &f.Read, &f.Inserted, &f.Updated, &f.Unchanged, &f.Superseded, &f.Rejected, &f.LoadedAt)
	})
}

// RejectsByFile lists every load's rejected rows with the commonest reason.
func (s *Store) RejectsByFile(ctx context.Context) ([]FileRejects, error) {
	return list(ctx, s, queries.RejectsByFile, nil, func(r *sql.Rows, f *FileRejects) error {
		return r.Scan(&f.Name, &f.Read, &f.Rejected, &f.TopReason)
	})
}

func nameCounts(ctx context.Context, s *Store, st queries.Statement, p period.Period, asOf time.Time) ([]NameCount, error) {
	return list(ctx, s, st, periodArgs(p, asOf), func(r *sql.Rows, n *NameCount) error {
		return r.Scan(&n.Name, &n.N)
	})
}

// UnknownDepartments lists the departments of P's orders that the dictionary
// does not know, with their order counts.
func (s *Store) UnknownDepartments(ctx context.Context, p period.Period, asOf time.Time) ([]NameCount, error) {
	return nameCounts(ctx, s, queries.UnknownDepartments, p, asOf)
}

// UnknownCategories lists the categories of P's calls that the dictionary does not
// know, with their call counts.
func (s *Store) UnknownCategories(ctx context.Context, p period.Period, asOf time.Time) ([]NameCount, error) {
	return nameCounts(ctx, s, queries.UnknownCategories, p, asOf)
}

// Exemption is an exemption (核减) in force at T on a record of the period, with
// the record's unit: an order's department, a call's town.
type Exemption struct {
	ID               int64
	Kind             string // order | call
	RecordID, Unit   string
	Indicators       []domain.IndicatorID
	Reason, Approver string
	ApprovedAt       time.Time
}

// Exemptions lists the exemptions in force at T on the records of P.
func (s *Store) Exemptions(ctx context.Context, p period.Period, asOf time.Time) ([]Exemption, error) {
	return list(ctx, s, queries.ReportExemptions, periodArgs(p, asOf), func(r *sql.Rows, e *Exemption) error {
		var inds string
		if err := r.Scan(&e.ID, &e.Kind, &e.RecordID, &e.Unit, &inds, &e.Reason, &e.Approver, &e.ApprovedAt); err != nil {
			return err
		}
		for _, id := range strings.Split(inds, ",") {
			e.Indicators = append(e.Indicators, domain.IndicatorID(id))
		}
		return nil
	})
}

// ExemptionsInForce counts the exemptions in force at T, on records of any period.
func (s *Store) ExemptionsInForce(ctx context.Context, asOf time.Time) (int64, error) {
	defer s.timed(queries.ExemptionsInForce, time.Now())
	var n int64
	if err := s.db.QueryRowContext(ctx, queries.ExemptionsInForce.SQL, sql.Named("asof", wall(asOf))).Scan(&n); err != nil {
		return 0, fmt.Errorf("metrics: %s: %w", queries.ExemptionsInForce.Name, err)
	}
	return n, nil
}

// Lists are the detail lists of a scorecard for period P at T.
type Lists struct {
	Overdue                               []OverdueOrder
	Repeats                               []RepeatCall
	RejectsByFile                         []FileRejects
	UnknownDepartments, UnknownCategories []NameCount
	// Exemptions in force at T on P's records, and the count in force at T on
	// records of any period.
	Exemptions        []Exemption
	ExemptionsInForce int64
}

// Lists reads every detail list of a scorecard.
func (s *Store) Lists(ctx context.Context, p period.Period, asOf time.Time) (*Lists, error) {
	l := &Lists{}
	var err error
	if l.Overdue, err = s.Overdue(ctx, p, asOf); err != nil {
		return nil, err
	}
	if l.Repeats, err = s.Repeats(ctx, p, asOf); err != nil {
		return nil, err
	}
	if l.RejectsByFile, err = s.RejectsByFile(ctx); err != nil {
		return nil, err
	}
	if l.UnknownDepartments, err = s.UnknownDepartments(ctx, p, asOf); err != nil {
		return nil, err
	}
	if l.UnknownCategories, err = s.UnknownCategories(ctx, p, asOf); err != nil {
		return nil, err
	}
	if l.Exemptions, err = s.Exemptions(ctx, p, asOf); err != nil {
		return nil, err
	}
	if l.ExemptionsInForce, err = s.ExemptionsInForce(ctx, asOf); err != nil {
		return nil, err
	}
	return l, nil
}
