package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
)

type metricsOptions struct {
	period  string
	asOf    string
	by      string
	format  string
	compare bool
	settled bool
}

func newMetricsCommand(g *globalOptions) *cobra.Command {
	var o metricsOptions
	cmd := &cobra.Command{
		Use:   "metrics --period P [--as-of T] [--by G] [--format table|csv|json] [--compare]",
		Short: "Compute every indicator of SPEC §3 for a period, as of a time, by a grouping",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMetrics(cmd.Context(), g, o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.period, "period", "", "2024, 2024-Q2, 2024-05, 2024-W20 or 2024-05-01 (required)")
	f.StringVar(&o.asOf, "as-of", "", "as-of time T: 2024-06-20 or 2024-06-20 08:30[:00] (default: now)")
	f.StringVar(&o.by, "by", "total", "grouping: total, department, kind, town, county, police_station, category, nature, link_category, source")
	f.StringVar(&o.format, "format", "table", "table, csv or json")
	f.BoolVar(&o.compare, "compare", false, "add 环比 (previous period) and 同比 (a year earlier), each as it stood as long after its end as T is after the period's")
	f.BoolVar(&o.settled, "settled", false, "with --compare: take the earlier periods at T (settled) instead")
	cmd.MarkFlagRequired("period")
	return cmd
}

// metricsQuery checks the common flags of metrics and score.
func metricsQuery(g *globalOptions, c *config, p, asOf, by string) (metrics.Query, error) {
	per, err := period.Parse(p)
	if err != nil {
		return metrics.Query{}, usageError{err}
	}
	b, err := metrics.ParseBy(by)
	if err != nil {
		return metrics.Query{}, usageError{err}
	}
	var t time.Time
	if asOf == "" {
		t = wallNow(g, c)
	} else if t, err = period.ParseAsOf(asOf); err != nil {
		return metrics.Query{}, usageError{err}
	}
	return metrics.Query{Period: per, AsOf: t, By: b}, nil
}

func runMetrics(ctx context.Context, g *globalOptions, o metricsOptions, out io.Writer) error {
	c, q, db, err := g.openQuery(ctx, o.format, o.period, o.asOf, o.by)
	if err != nil {
		return err
	}
	defer db.Close()
	cmp := &metrics.Comparison{}
	q.Durations = true // the one command that shows them
	if o.settled {
		q.Compare = metrics.Settled
	}
	if o.compare {
		if cmp, err = metrics.New(db, c.Indicators, g.logger()).Compare(ctx, q); err != nil {
			return err
		}
	} else if cmp.Current, err = metrics.New(db, c.Indicators, g.logger()).Compute(ctx, q); err != nil {
		return err
	}
	switch o.format {
	case "json":
		return writeMetricsJSON(out, cmp)
	case "csv":
		return writeMetricsCSV(out, cmp)
	}
	return writeMetricsTable(out, cmp)
}

func writeMetricsJSON(w io.Writer, cmp *metrics.Comparison) error {
	return metrics.NewDocument(cmp).WriteJSON(w)
}

func writeMetricsCSV(w io.Writer, cmp *metrics.Comparison) error {
	return writeCSV(w, metrics.NewDocument(cmp).CSV())
}

func formatNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// percent formats a rate with one decimal, or — when undefined.
func percent(p *float64) string {
	if p == nil {
		return "—"
	}
	return strconv.FormatFloat(*p*100, 'f', 1, 64) + "%"
}

func points(p *float64) string {
	if p == nil {
		return "—"
	}
	v := math.Round(*p*10) / 10
	if v == 0 {
		v = 0 // no "-0.0"
	}
	return fmt.Sprintf("%+.1f", v)
}

func writeMetricsTable(w io.Writer, cmp *metrics.Comparison) error {
	r := cmp.Current
	fmt.Fprintf(w, "%s（%s 至 %s），统计时点 %s，分组：%s\n", r.Period.Label(), r.Period.Start.Format("2006-01-02"),
		r.Period.End.AddDate(0, 0, -1).Format("2006-01-02"), r.AsOf.Format("2006-01-02 15:04:05"), r.By)
	header := []string{"分组"}
	for _, in := range metrics.Indicators {
		header = append(header, in.Name)
	}
	header = append(header, metrics.CountLabels...)
	rows := [][]string{header}
	for _, g := range r.Groups {
		row := []string{g.Key}
		for _, in := range metrics.Indicators {
			x := g.Indicators[in.ID]
			row = append(row, ratioText(x))
		}
		for _, n := range g.Counts.Values() {
			row = append(row, fmt.Sprint(n))
		}
		rows = append(rows, row)
	}
	printAligned(w, rows)
	if cmp.Prev == nil {
		return nil
	}
	for _, part := range []struct {
		title string
		prev  *metrics.Result
	}{{"环比（百分点，对比 " + cmp.Prev.Period.Label() + "）", cmp.Prev}, {"同比（百分点，对比 " + cmp.YearAgo.Period.Label() + "）", cmp.YearAgo}} {
		fmt.Fprintf(w, "\n%s\n", part.title)
		rows := [][]string{header[:len(metrics.Indicators)+1]}
		for _, g := range r.Groups {
			ch := metrics.Change(g, part.prev.Group(g.Key))
			row := []string{g.Key}
			for _, in := range metrics.Indicators {
				row = append(row, points(ch.Indicators[in.ID]))
			}
			rows = append(rows, row)
		}
		printAligned(w, rows)
	}
	return nil
}

// printAligned prints rows in columns aligned for CJK text: the first column left,
// the others right.
func printAligned(w io.Writer, rows [][]string) {
	t := newTable(w)
	t.right = true
	for _, r := range rows {
		t.row(r...)
	}
	t.flush()
}

// ratioText is a figure in a terminal table: rate, num/den, what is pending (待)
// and what is exempted (减, 核减).
func ratioText(x metrics.Ratio) string {
	cell := percent(x.Rate()) + " " + formatNum(x.Num) + "/" + fmt.Sprint(x.Den)
	if x.Pending > 0 {
		cell += " 待" + fmt.Sprint(x.Pending)
	}
	if x.Exempt > 0 {
		cell += " 减" + fmt.Sprint(x.Exempt)
	}
	return cell
}
