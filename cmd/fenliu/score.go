package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/score"
)

type scoreOptions struct {
	period, asOf, by, format string
}

func newScoreCommand(g *globalOptions) *cobra.Command {
	var o scoreOptions
	cmd := &cobra.Command{
		Use:   "score --period P [--as-of T] [--by department|town|county] [--format table|csv|json]",
		Short: "Score and rank departments, towns or counties (SPEC §4)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScore(cmd.Context(), g, o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.period, "period", "", "2024, 2024-Q2, 2024-05, 2024-W20 or 2024-05-01 (required)")
	f.StringVar(&o.asOf, "as-of", "", "as-of time T (default: now)")
	f.StringVar(&o.by, "by", "department", "department, town or county")
	f.StringVar(&o.format, "format", "table", "table, csv or json")
	cmd.MarkFlagRequired("period")
	return cmd
}

func runScore(ctx context.Context, g *globalOptions, o scoreOptions, out io.Writer) error {
	switch o.by {
	case "department", "town", "county":
	default:
		return usageError{fmt.Errorf("--by %q: want department, town or county", o.by)}
	}
	c, q, db, err := g.openQuery(ctx, o.format, o.period, o.asOf, o.by)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := metrics.New(db, c.Indicators, g.logger()).Compute(ctx, q)
	if err != nil {
		return err
	}
	scores := score.Groups(res, c.Scoring)
	byRank(res, scores)
	weighted := c.Scoring.Weighted()
	switch o.format {
	case "json":
		return score.Document(res, scores).WriteJSON(out)
	case "csv":
		return writeCSV(out, score.CSV(res, scores, c.Scoring))
	}
	byKey := map[string]score.Score{}
	for _, s := range scores {
		byKey[s.Key] = s
	}
	fmt.Fprintf(out, "%s 考评得分（统计时点 %s，分组：%s，满分 %s）\n", res.Period.Label(), res.AsOf.Format("2006-01-02 15:04:05"), res.By, c.Scoring.FullMarksText())
	header := []string{"分组", "类别"}
	for _, in := range weighted {
		header = append(header, in.Name, "得分")
	}
	rows := [][]string{append(header, "总分", "排名")}
	for _, grp := range res.Groups {
		s := byKey[grp.Key]
		row := []string{grp.Key, string(s.Kind)}
		for _, in := range weighted {
			x := grp.Indicators[in.ID]
			row = append(row, ratioText(x), dash(optFloat(s.Parts[in.ID], 2)))
		}
		rank := "样本不足"
		if s.Rank != nil {
			rank = strconv.Itoa(*s.Rank)
		}
		rows = append(rows, append(row, dash(optFloat(s.Total, 2)), rank))
	}
	printAligned(out, rows)
	return nil
}

// byRank orders the groups and their scores for reading, in every format: peer
// group, then rank (the unranked last), then key.
func byRank(res *metrics.Result, scores []score.Score) {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := scores[idx[i]], scores[idx[j]]
		if a.Kind != b.Kind {
			return domain.KindOrder(a.Kind) < domain.KindOrder(b.Kind)
		}
		switch {
		case a.Rank != nil && b.Rank != nil && *a.Rank != *b.Rank:
			return *a.Rank < *b.Rank
		case (a.Rank == nil) != (b.Rank == nil):
			return a.Rank != nil
		}
		return a.Key < b.Key
	})
	groups, sorted := make([]metrics.Group, len(idx)), make([]score.Score, len(idx))
	for i, k := range idx {
		groups[i], sorted[i] = res.Groups[k], scores[k]
	}
	copy(res.Groups, groups)
	copy(scores, sorted)
}

func optFloat(p *float64, digits int) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', digits, 64)
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
