package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/etl/synth"
	"github.com/fenliu/fenliu/metrics/period"
)

type demoOptions struct {
	dir   string
	calls int
}

func newDemoCommand(g *globalOptions) *cobra.Command {
	var o demoOptions
	cmd := &cobra.Command{
		Use:   "demo [--dir DIR]",
		Short: "Generate two years of realistic data, load it and show what fenliu does",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDemo(cmd.Context(), g, o, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&o.dir, "dir", "fenliu-demo", "folder for the demo installation (created)")
	cmd.Flags().IntVar(&o.calls, "calls", 200000, "calls to generate over the two years")
	return cmd
}

// runDemo sets up an installation in o.dir, generates two years of exports ending
// today, loads them, and prints the accounting and the paths.
func runDemo(ctx context.Context, g *globalOptions, o demoOptions, out io.Writer) error {
	if err := runInit(o.dir, io.Discard); err != nil {
		return err
	}
	now := g.now()
	to := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	from := time.Date(now.Year()-2, now.Month(), 1, 0, 0, 0, 0, time.UTC)
	exports := filepath.Join(o.dir, "exports")
	fmt.Fprintf(out, "generating %d calls from %s to %s in %s …\n", o.calls, from.Format("2006-01-02"), to.Format("2006-01-02"), exports)
	p := newProgress(out, "gen", int64(o.calls))
	st, err := synth.Generate(exports, synth.Options{Calls: o.calls, From: from, To: to, Seed: 20240501,
		Progress: func(n int) { p.update(int64(n)) }})
	p.done()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d calls and %d orders\n", st.Calls, st.Orders)
	dg := *g
	dg.config = filepath.Join(o.dir, "fenliu.yaml")
	dg.db = ""
	err = runIngest(ctx, &dg, ingestOptions{}, []string{filepath.Join(exports, "calls.csv"), filepath.Join(exports, "orders.csv")}, out)
	if err != nil {
		return err
	}
	fmt.Fprintln(out)
	if err := runFiles(ctx, &dg, out); err != nil {
		return err
	}
	last := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0).Format("2006-01")
	fmt.Fprintf(out, "\nthe latest full month, by county (fenliu metrics --period %s --by county --compare):\n", last)
	if err := runMetrics(ctx, &dg, metricsOptions{period: last, by: "county", format: "table", compare: true}, out); err != nil {
		return err
	}
	fmt.Fprintln(out)
	year := fmt.Sprint(now.Year() - 1)
	week := period.Of(period.Week, now).Prev().String()
	var written [][]string
	for _, r := range []struct{ kind, period string }{{"monthly", last}, {"annual", year}, {"weekly", week}, {"trend", last}} {
		paths, err := runReport(ctx, &dg, r.kind, reportOptions{period: r.period, format: "xlsx,html"}, io.Discard)
		if err != nil {
			return err
		}
		for _, p := range paths {
			written = append(written, []string{r.kind, r.period, p})
		}
	}
	fmt.Fprintln(out, "reports (fenliu report KIND --period P):")
	tw := newTable(out)
	tw.max = 4096 // our own paths: never cut
	tw.row("report", "period", "file")
	for _, w := range written {
		tw.row(w...)
	}
	tw.flush()
	abs, _ := filepath.Abs(o.dir)
	fmt.Fprintf(out, "\ndemo installation: %s\n  config:   %s\n  database: %s\n  exports:  %s\n  reports:  %s (open index.html)\n", abs,
		filepath.Join(abs, "fenliu.yaml"), filepath.Join(abs, "fenliu.duckdb"), filepath.Join(abs, "exports"), filepath.Join(abs, "reports"))
	fmt.Fprintf(out, "try: go run ./cmd/fenliu --config %s metrics --period %s --by department\n", filepath.Join(o.dir, "fenliu.yaml"), last)
	return nil
}
