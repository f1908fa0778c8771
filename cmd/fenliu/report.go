package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/etl"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/reports"
)

type reportOptions struct {
	period, asOf, out, format string
}

func newReportCommand(g *globalOptions) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report monthly|annual|trend|weekly --period P [--as-of T] [--out DIR] [--format xlsx,html]",
		Short: "Write a report (monthly scorecard, annual assessment, trend, weekly briefing) as Excel and HTML",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := runReport(cmd.Context(), g, args[0], o, cmd.OutOrStdout())
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.period, "period", "", "monthly: a month (2024-05); annual: a year (2024); trend: a month (the 24 months ending with it) or a year; weekly: an ISO week (2024-W20) (required)")
	f.StringVar(&o.asOf, "as-of", "", "as-of time T (default: now)")
	f.StringVar(&o.out, "out", "", "output folder (default: the config's reports folder)")
	f.StringVar(&o.format, "format", "xlsx,html", "xlsx, html or both, comma-separated")
	cmd.MarkFlagRequired("period")
	return cmd
}

// reportKinds: each kind's file-name suffix, title suffix and the period kinds it takes.
var reportKinds = map[string]struct {
	suffix, title string
	periods       []period.Kind
	want          string
}{
	"monthly": {"月度考评通报", "非警务警情分流处置考评通报", []period.Kind{period.Month}, "a month such as 2024-05"},
	"annual":  {"年度考核", "度非警务警情分流处置考核", []period.Kind{period.Year}, "a year such as 2024"},
	"trend":   {"趋势分析", "非警务警情分流处置趋势分析", []period.Kind{period.Month, period.Year}, "a month such as 2024-05 (the 24 months ending with it) or a year"},
	"weekly":  {"每周研判", "非警务警情每周研判", []period.Kind{period.Week}, "an ISO week such as 2024-W20"},
}

// report is something that writes itself in either format.
type report interface {
	WriteXLSX(io.Writer, string) error
	WriteHTML(io.Writer, string) error
}

// runReport computes one report and writes it in each format, then rewrites the
// folder's index.html. It returns the paths written.
func runReport(ctx context.Context, g *globalOptions, kind string, o reportOptions, out io.Writer) ([]string, error) {
	k, ok := reportKinds[kind]
	if !ok {
		return nil, usageError{fmt.Errorf("report %q: want monthly, annual, trend or weekly", kind)}
	}
	var formats []string
	for _, f := range strings.Split(o.format, ",") {
		switch f = strings.TrimSpace(f); f {
		case "xlsx", "html":
			formats = append(formats, f)
		default:
			return nil, usageError{fmt.Errorf("--format %q: want xlsx, html or xlsx,html", o.format)}
		}
	}
	c, err := loadConfig(g.config)
	if err != nil {
		return nil, err
	}
	q, err := metricsQuery(g, c, o.period, o.asOf, "total")
	if err != nil {
		return nil, err
	}
	if !slices.Contains(k.periods, q.Period.Kind) {
		return nil, usageError{fmt.Errorf("report %s --period %q: want %s", kind, o.period, k.want)}
	}
	db, err := g.openFigures(ctx, c)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	// Progress on a terminal: each report is a known number of indicator computations.
	steps := map[string]int64{"monthly": 17, "annual": 32, "weekly": 7}[kind]
	if kind == "trend" {
		months, _ := reports.TrendMonths(q.Period)
		steps = int64(4*len(months) + 24) // total and county over the months and a year before, category, department
	}
	pr := newProgress(out, "report "+kind, steps)
	pr.unit = "computations"
	var n int64
	ctx = metrics.WithProgress(ctx, func() { n++; pr.update(n) })
	var r report
	switch kind {
	case "monthly":
		r, err = reports.Monthly(ctx, db, c.Indicators, c.Scoring, q.Period, q.AsOf)
	case "annual":
		r, err = reports.Annual(ctx, db, c.Indicators, c.Scoring, q.Period, q.AsOf)
	case "trend":
		r, err = reports.BuildTrend(ctx, db, c.Indicators, c.Scoring, q.Period, q.AsOf)
	case "weekly":
		r, err = reports.BuildWeekly(ctx, db, c.Indicators, c.Scoring, q.Period, q.AsOf)
	}
	pr.done()
	if err != nil {
		return nil, err
	}
	dir := o.out
	if dir == "" {
		dir = c.path(c.Dirs.Reports)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := etl.RemoveStale(dir, reportTempPrefix); err != nil { // left by a killed report
		return nil, err
	}
	title := q.Period.Label() + k.title
	var paths []string
	for _, f := range formats {
		path := filepath.Join(dir, q.Period.String()+"_"+k.suffix+"."+f)
		write := r.WriteXLSX
		if f == "html" {
			write = r.WriteHTML
		}
		if err := writeFileAtomic(path, func(w io.Writer) error { return write(w, title) }); err != nil {
			return paths, err
		}
		fmt.Fprintf(out, "wrote %s\n", path)
		paths = append(paths, path)
	}
	if err := writeFileAtomic(filepath.Join(dir, "index.html"), func(w io.Writer) error { return reports.WriteIndex(w, dir) }); err != nil {
		return paths, fmt.Errorf("index.html: %w", err)
	}
	return paths, nil
}

// reportTempPrefix begins the name of a report being written, followed by the
// writing process's PID, so that the next run can remove what a killed one left.
const reportTempPrefix = ".fenliu-"

// writeFileAtomic writes through a temporary file in the same folder and renames it
// into place (mode 0644), so a reader never sees half a report.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), fmt.Sprintf("%s%d-*", reportTempPrefix, os.Getpid()))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
