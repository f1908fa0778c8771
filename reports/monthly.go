package reports

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
	"github.com/fenliu/fenliu/queries"
)

// Scorecard is the monthly (or annual) scorecard: the overview with its
// comparisons, the department and town tables with scores and ranks, and what is
// needed to read them (settings in force, data coverage).
type Scorecard struct {
	Period      period.Period
	AsOf        time.Time
	Overview    *metrics.Comparison // by total
	Departments []Row
	Towns       []Row
	Indicators  metrics.Config
	Scoring     score.Config
	Coverage    []File
}

// Row is one scored group.
type Row struct {
	Group metrics.Group
	Score score.Score
}

// File is one load behind the report.
type File struct {
	Name, Kind, Profile                                      string
	Read, Inserted, Updated, Unchanged, Superseded, Rejected int64
	LoadedAt                                                 string
}

// Monthly computes the scorecard of one period (a month, or a year for the annual
// assessment) at as-of time asOf.
func Monthly(ctx context.Context, db *sql.DB, mc metrics.Config, sc score.Config, p period.Period, asOf time.Time) (*Scorecard, error) {
	s := &Scorecard{Period: p, AsOf: asOf, Indicators: mc, Scoring: sc}
	var err error
	if s.Overview, err = metrics.Compare(ctx, db, mc, metrics.Query{Period: p, AsOf: asOf, By: metrics.ByTotal}); err != nil {
		return nil, err
	}
	for _, t := range []struct {
		by   metrics.By
		rows *[]Row
	}{{metrics.ByDepartment, &s.Departments}, {metrics.ByTown, &s.Towns}} {
		res, err := metrics.Compute(ctx, db, mc, metrics.Query{Period: p, AsOf: asOf, By: t.by})
		if err != nil {
			return nil, err
		}
		scores := score.Groups(res, sc)
		for i, g := range res.Groups {
			*t.rows = append(*t.rows, Row{Group: g, Score: scores[i]})
		}
		sortRows(*t.rows)
	}
	rows, err := db.QueryContext(ctx, queries.Coverage)
	if err != nil {
		return nil, fmt.Errorf("reports: coverage: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f File
		if err := rows.Scan(&f.Name, &f.Kind, &f.Profile, &f.Read, &f.Inserted, &f.Updated, &f.Unchanged, &f.Superseded, &f.Rejected, &f.LoadedAt); err != nil {
			return nil, err
		}
		s.Coverage = append(s.Coverage, f)
	}
	return s, rows.Err()
}

// sortRows orders a table for reading: peer group, then rank (unranked last), then key.
func sortRows(rows []Row) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Score.Kind != b.Score.Kind {
			return kindOrder(a.Score.Kind) < kindOrder(b.Score.Kind)
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

func kindOrder(k string) int {
	for i, x := range []string{"职能部门", "乡镇街道", "村社区", "其他", score.PeerAll} {
		if k == x {
			return i
		}
	}
	return 99
}
