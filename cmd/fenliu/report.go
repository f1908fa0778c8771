package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/reports"
)

type reportOptions struct {
	period, asOf, out, format string
}

func newReportCommand(g *globalOptions) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report monthly|annual|trend|weekly --period P [--as-of T] [--out DIR] [--format xlsx]",
		Short: "Write a report: the monthly scorecard or the annual assessment as an Excel workbook",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReport(cmd.Context(), g, args[0], o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.period, "period", "", "the month (monthly: 2024-05) or the year (annual: 2024) (required)")
	f.StringVar(&o.asOf, "as-of", "", "as-of time T (default: now)")
	f.StringVar(&o.out, "out", "", "output folder (default: the config's reports folder)")
	f.StringVar(&o.format, "format", "xlsx", "xlsx (html: not built yet)")
	cmd.MarkFlagRequired("period")
	return cmd
}

func runReport(ctx context.Context, g *globalOptions, kind string, o reportOptions, out io.Writer) error {
	var title, suffix string
	switch kind {
	case "monthly", "annual":
	case "trend", "weekly":
		return fmt.Errorf("report %s: not built yet (the monthly and annual workbooks are)", kind)
	default:
		return usageError{fmt.Errorf("report %q: want monthly, annual, trend or weekly", kind)}
	}
	for _, f := range strings.Split(o.format, ",") {
		switch f {
		case "xlsx":
		case "html":
			return fmt.Errorf("--format html: the HTML reports are not built yet; use --format xlsx")
		default:
			return usageError{fmt.Errorf("--format %q: want xlsx", o.format)}
		}
	}
	c, err := loadConfig(g.config)
	if err != nil {
		return err
	}
	q, err := metricsQuery(g, c, o.period, o.asOf, "total")
	if err != nil {
		return err
	}
	switch {
	case kind == "monthly" && q.Period.Kind != period.Month:
		return usageError{fmt.Errorf("report monthly --period %q: want a month such as 2024-05", o.period)}
	case kind == "annual" && q.Period.Kind != period.Year:
		return usageError{fmt.Errorf("report annual --period %q: want a year such as 2024", o.period)}
	}
	if kind == "monthly" {
		title, suffix = q.Period.Label()+"非警务警情分流处置考评通报", "月度考评通报"
	} else {
		title, suffix = q.Period.Label()+"度非警务警情分流处置考核", "年度考核"
	}
	db, err := g.open(ctx, c)
	if err != nil {
		return err
	}
	defer db.Close()
	build := reports.Monthly
	if kind == "annual" {
		build = reports.Annual
	}
	sc, err := build(ctx, db, c.Indicators, c.Scoring, q.Period, q.AsOf)
	if err != nil {
		return err
	}
	dir := o.out
	if dir == "" {
		dir = c.path(c.Dirs.Reports)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, q.Period.String()+"_"+suffix+".xlsx")
	if err := writeFileAtomic(path, func(w io.Writer) error { return sc.WriteXLSX(w, title) }); err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %s\n", path)
	return nil
}

// writeFileAtomic writes through a temporary file in the same folder and renames it
// into place (mode 0644), so a reader never sees half a report.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".fenliu-*")
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
