package reports

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
)

// Scorecard is the monthly (or annual) scorecard: the overview with its
// comparisons, the department and town tables with scores and ranks, and what is
// needed to read them (settings in force, data coverage).
type Scorecard struct {
	Frame
	documented
	Overview    *metrics.Comparison // by total
	Departments []Row
	Towns       []Row
	// Diversion by county, town and police station (分流情况).
	Counties, Stations *metrics.Result
	TownResult         *metrics.Result
	// Detail lists: overdue orders and repeated calls (callers masked).
	Overdue []metrics.OverdueOrder
	Repeats []metrics.RepeatCall
	// Data quality: rejects per file, unknown departments and categories.
	RejectsByFile                         []metrics.FileRejects
	UnknownDepartments, UnknownCategories []metrics.NameCount
	// Exemptions in force at T on the period's records (核减明细).
	Exemptions []metrics.Exemption
	// The records behind each scored cell (明细), by department and by town.
	DeptDetail, TownDetail *metrics.Detail
	// The period before, scored at the same T: the rank changes.
	PrevDepartments, PrevTowns []Row
	// The 通报's header block (SPEC §12).
	Header Header
	// Annual assessment only: per department, the score of each month of the year
	// and last year's annual total.
	MonthlyScores map[string][]*float64 // key → 12 months
	LastYear      map[string]*float64
	// Trend: the total of the 12 months ending with the period's last month, for
	// the 12-month indicator lines.
	Trend []*metrics.Result
}

// Frame is what every report carries (SPEC §5): its period and as-of time, the
// settings in force and the loads behind it.
type Frame struct {
	Period     period.Period
	AsOf       time.Time
	Indicators metrics.Config
	Scoring    score.Config
	Coverage   []metrics.File
	// ExemptionsInForce is how many exemptions (核减) are in force at T, for the
	// 指标口径 note; nil where a report does not read it.
	ExemptionsInForce *int64
	// Compared: how the earlier periods were taken (nil: the report compares none).
	Compared *metrics.Comparison
}

// newFrame reads the coverage of a report.
func newFrame(ctx context.Context, src Source, mc metrics.Config, sc score.Config, p period.Period, asOf time.Time) (Frame, error) {
	fr := Frame{Period: p, AsOf: asOf, Indicators: mc, Scoring: sc}
	var err error
	fr.Coverage, err = src.Coverage(ctx)
	return fr, err
}

// Row is one scored group.
type Row struct {
	Group metrics.Group
	Score score.Score
}

// ranks are the ranks of a period's rows, by peer group and key: where each unit
// stood among its peers (the rank changes of the tables, the 通报, the 反馈单).
type ranks map[[2]string]int

func ranksOf(rows []Row) ranks {
	out := ranks{}
	for _, r := range rows {
		if r.Score.Rank != nil {
			out[[2]string{string(r.Score.Kind), r.Group.Key}] = *r.Score.Rank
		}
	}
	return out
}

// of is r's rank in the rows ranked, and whether it had one there.
func (rk ranks) of(r Row) (int, bool) {
	v, ok := rk[[2]string{string(r.Score.Kind), r.Group.Key}]
	return v, ok
}

// peerGroups splits rows (sorted by peer group) into their peer groups, in order.
func peerGroups(rows []Row) ([]domain.DeptKind, map[domain.DeptKind][]Row) {
	var kinds []domain.DeptKind
	byKind := map[domain.DeptKind][]Row{}
	for _, r := range rows {
		if byKind[r.Score.Kind] == nil {
			kinds = append(kinds, r.Score.Kind)
		}
		byKind[r.Score.Kind] = append(byKind[r.Score.Kind], r)
	}
	return kinds, byKind
}

// Monthly computes the scorecard of one period (a month, or a year for the annual
// assessment) at as-of time asOf.
func Monthly(ctx context.Context, src Source, mc metrics.Config, sc score.Config, p period.Period, asOf time.Time, opts ...Option) (*Scorecard, error) {
	s, _, err := scorecard(ctx, src, mc, sc, p, asOf, nil, opts...)
	return s, err
}

// scorecard builds the scorecard of p. Its figures at T are one ComputeAll (the
// period by total, department, town, county and police station, and the 12
// months by total: one pass for a year, two for a month, as metrics.passes
// decides), those of the period before at its T′ another (departments and towns,
// for the rank changes); the wants now are counted with the first, and their
// results returned in order (the annual's).
func scorecard(ctx context.Context, src Source, mc metrics.Config, sc score.Config, p period.Period, asOf time.Time,
	now []metrics.Want, opts ...Option) (*Scorecard, [][]*metrics.Result, error) {
	o := buildOptions(opts)
	fr, err := newFrame(ctx, src, mc, sc, p, asOf)
	if err != nil {
		return nil, nil, err
	}
	s := &Scorecard{Frame: fr, Header: o.header}
	s.documented = documented{s.doc, p.Label() + " 非警务警情分流考评", asOf}
	at := append([]metrics.Want{{Period: p, By: metrics.ByTotal}, {Period: p, By: metrics.ByDepartment}, {Period: p, By: metrics.ByTown},
		{Period: p, By: metrics.ByCounty}, {Period: p, By: metrics.ByPoliceStation},
		{Period: twelveMonths(p), By: metrics.ByTotal, Months: true}}, now...)
	rs, err := src.ComputeAll(ctx, asOf, at)
	if err != nil {
		return nil, nil, err
	}
	prs, err := src.ComputeAll(ctx, mc.MatureAsOf(o.compare, p, p.Prev(), asOf),
		[]metrics.Want{{Period: p.Prev(), By: metrics.ByDepartment}, {Period: p.Prev(), By: metrics.ByTown}})
	if err != nil {
		return nil, nil, err
	}
	if s.Overview, err = src.CompareTo(ctx, metrics.Query{Period: p, AsOf: asOf, By: metrics.ByTotal, Compare: o.compare}, rs[0][0]); err != nil {
		return nil, nil, err
	}
	s.Compared = s.Overview
	s.TownResult = rs[2][0]
	for _, t := range []struct {
		res, prev  *metrics.Result
		rows, prow *[]Row
	}{{rs[1][0], prs[0][0], &s.Departments, &s.PrevDepartments}, {rs[2][0], prs[1][0], &s.Towns, &s.PrevTowns}} {
		scores := score.Groups(t.res, sc)
		for i, g := range t.res.Groups {
			*t.rows = append(*t.rows, Row{Group: g, Score: scores[i]})
		}
		sortRows(*t.rows)
		for i, x := range score.Groups(t.prev, sc) {
			*t.prow = append(*t.prow, Row{Group: t.prev.Groups[i], Score: x})
		}
	}
	s.Counties, s.Stations, s.Trend = rs[3][0], rs[4][0], rs[5]
	lists, err := src.Lists(ctx, p, asOf)
	if err != nil {
		return nil, nil, err
	}
	s.Overdue, s.Repeats, s.RejectsByFile = lists.Overdue, lists.Repeats, lists.RejectsByFile
	s.UnknownDepartments, s.UnknownCategories = lists.UnknownDepartments, lists.UnknownCategories
	s.Exemptions, s.ExemptionsInForce = lists.Exemptions, &lists.ExemptionsInForce
	limit := DetailLimit
	if o.fullDetail {
		limit = 0
	}
	var ids []domain.IndicatorID
	for _, in := range s.weighted() {
		ids = append(ids, in.ID)
	}
	if s.DeptDetail, err = src.Detail(ctx, metrics.Query{Period: p, AsOf: asOf, By: metrics.ByDepartment}, ids, limit); err != nil {
		return nil, nil, err
	}
	if s.TownDetail, err = src.Detail(ctx, metrics.Query{Period: p, AsOf: asOf, By: metrics.ByTown}, ids, limit); err != nil {
		s.DeptDetail.Close()
		return nil, nil, err
	}
	return s, rs[len(rs)-len(now):], nil
}

// Close releases what the scorecard's full detail spooled to disk: its lists,
// and those of the feedback sheets built from it, cannot be read after.
func (s *Scorecard) Close() error {
	return errors.Join(s.DeptDetail.Close(), s.TownDetail.Close())
}

// twelveMonths is the span of the 12 months ending with p's last month.
func twelveMonths(p period.Period) period.Period {
	last := period.Of(period.Month, p.End.AddDate(0, 0, -1))
	return period.Period{Kind: period.Month, Start: last.Start.AddDate(0, -11, 0), End: last.End}
}

// Annual is the annual assessment: Monthly over the year, plus each department's
// score in every month of the year (counted in the scorecard's pass at T) and
// last year's annual total.
func Annual(ctx context.Context, src Source, mc metrics.Config, sc score.Config, year period.Period, asOf time.Time, opts ...Option) (*Scorecard, error) {
	s, now, err := scorecard(ctx, src, mc, sc, year, asOf, []metrics.Want{{Period: year, By: metrics.ByDepartment, Months: true}}, opts...)
	if err != nil {
		return nil, err
	}
	s.MonthlyScores, s.LastYear = map[string][]*float64{}, map[string]*float64{}
	for m, res := range now[0] {
		for _, x := range score.Groups(res, sc) {
			if s.MonthlyScores[x.Key] == nil {
				s.MonthlyScores[x.Key] = make([]*float64, 12)
			}
			s.MonthlyScores[x.Key][m] = x.Total
		}
	}
	// A year's period before is the year before, at the same T′: its departments'
	// scores are the scorecard's own, for the rank changes.
	for _, r := range s.PrevDepartments {
		s.LastYear[r.Group.Key] = r.Score.Total
	}
	return s, nil
}

// sortRows orders a table for reading: peer group, then rank (unranked last), then key.
func sortRows(rows []Row) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Score.Kind != b.Score.Kind {
			return domain.KindOrder(a.Score.Kind) < domain.KindOrder(b.Score.Kind)
		}
		switch {
		case a.Score.Rank != nil && b.Score.Rank != nil && *a.Score.Rank != *b.Score.Rank:
			return *a.Score.Rank < *b.Score.Rank
		case (a.Score.Rank == nil) != (b.Score.Rank == nil):
			return a.Score.Rank != nil
		}
		return a.Group.Key < b.Group.Key
	})
}
