package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/reports"
)

type explainOptions struct {
	period, asOf, by, format, indicator, key, states, out string
}

func newExplainCommand(g *globalOptions) *cobra.Command {
	var o explainOptions
	cmd := &cobra.Command{
		Use:   "explain --period P [--as-of T] --indicator ID [--by G] [--key K] [--state S] [--format table|csv|json] [-o FILE]",
		Short: "List the records behind a figure: every member of an indicator's population with its state and reason (SPEC §9)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExplain(cmd.Context(), g, o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.period, "period", "", "2024, 2024-Q2, 2024-05, 2024-W20 or 2024-05-01 (required)")
	f.StringVar(&o.asOf, "as-of", "", "as-of time T (default: now)")
	f.StringVar(&o.indicator, "indicator", "", "the indicator: an id of SPEC §3 or its Chinese name (required)")
	f.StringVar(&o.by, "by", "total", "grouping, as for metrics")
	f.StringVar(&o.key, "key", "", "one group of the grouping (default: every group)")
	f.StringVar(&o.states, "state", "", "only these states, comma-separated: num, partial, den, pending, exempt")
	f.StringVar(&o.format, "format", "table", "table, csv, json or xlsx (xlsx needs -o)")
	f.StringVarP(&o.out, "output", "o", "", "write to this file instead of standard output")
	cmd.MarkFlagRequired("period")
	cmd.MarkFlagRequired("indicator")
	return cmd
}

// indicatorNamed reads an indicator id or its Chinese name.
func indicatorNamed(s string) (domain.IndicatorID, error) {
	if id, ok := domain.IndicatorNamed(s); ok {
		return id, nil
	}
	return "", fmt.Errorf("--indicator %q: want one of %s (or its Chinese name)", s, strings.Join(domain.Names(domain.IndicatorIDs), ", "))
}

func runExplain(ctx context.Context, g *globalOptions, o explainOptions, out io.Writer) error {
	id, err := indicatorNamed(strings.TrimSpace(o.indicator))
	if err != nil {
		return usageError{err}
	}
	var keep []metrics.State
	for _, s := range strings.Split(o.states, ",") {
		switch st := metrics.State(strings.TrimSpace(s)); st {
		case "":
		case metrics.StateNum, metrics.StatePartial, metrics.StateDen, metrics.StatePending, metrics.StateExempt:
			keep = append(keep, st)
		default:
			return usageError{fmt.Errorf("--state %q: want num, partial, den, pending or exempt", s)}
		}
	}
	format := o.format
	if format == "xlsx" {
		if o.out == "" {
			return usageError{fmt.Errorf("--format xlsx: give the workbook's path with -o")}
		}
		format = "table" // the flags shared with metrics know no xlsx
	}
	c, q, db, err := g.openQuery(ctx, format, o.period, o.asOf, o.by)
	if err != nil {
		return err
	}
	defer db.Close()
	if o.out != "" && o.format != "xlsx" {
		f, err := os.Create(o.out)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	// Every format streams: a year of a province is millions of rows. The
	// workbook's columns are known only at the end, so its rows wait in a spool.
	var row func(metrics.Member) error
	var end func() error
	var t *table
	n := 0
	switch o.format {
	case "xlsx":
		// The members wait beside DuckDB's spills (the config's temp folder); the
		// workbook's columns are the times some member carries.
		sp, err := metrics.NewMemberSpool(c.Dirs.Temp)
		if err != nil {
			return err
		}
		defer sp.Close()
		times := map[string]bool{}
		row = func(m metrics.Member) error {
			for name := range m.Times {
				times[name] = true
			}
			return sp.Add(m)
		}
		end = func() error {
			title := fmt.Sprintf("%s %s 明细", q.Period.Label(), id.Name())
			if o.key != "" {
				title += "（" + o.key + "）"
			}
			rows := reports.ExplainRows{Indicator: id, Times: times, N: sp.Len(), Each: sp.Each}
			return writeFileAtomic(o.out, func(w io.Writer) error { return reports.WriteExplainXLSX(w, title, rows, q.AsOf) })
		}
	case "json":
		js, err := metrics.NewExplainStream(out, q, id, o.key)
		if err != nil {
			return err
		}
		row, end = js.Row, js.Close
	case "csv":
		bw := bufio.NewWriterSize(out, 64<<10)
		c := newCSV(bw)
		c.write(metrics.ExplainCSVHeader...)
		row = func(m metrics.Member) error { c.write(metrics.MemberCSV(m)...); return nil }
		end = func() error {
			if err := c.close(); err != nil {
				return err
			}
			return bw.Flush()
		}
	default:
		t = newTable(out)
		t.row("编号", "分组", "状态", "说明")
		row = func(m metrics.Member) error { t.row(m.ID, m.Key, string(m.State), m.Reason); return nil }
		end = func() error {
			fmt.Fprintf(out, "%s %s（统计时点 %s，分组：%s）：%d 条\n", q.Period.Label(), id.Name(), q.AsOf.Format("2006-01-02 15:04:05"), q.By, n)
			t.flush()
			return nil
		}
	}
	// The rows are written on a goroutine of their own, in batches, while the scan
	// reads on: formatting a member costs about what reading it does.
	batches, written := make(chan []metrics.Member, 4), make(chan error, 1)
	go func() {
		var err error
		for b := range batches {
			for _, m := range b {
				if err == nil {
					err = row(m)
				}
			}
		}
		written <- err
	}()
	var batch []metrics.Member
	err = metrics.New(db, c.Indicators, g.logger()).ExplainEach(ctx, q, id, o.key, func(m metrics.Member) error {
		if keep != nil && !slices.Contains(keep, m.State) { // --state filters after grouping
			return nil
		}
		n++
		if batch = append(batch, m); len(batch) == 1024 {
			batches <- batch
			batch = nil
		}
		return nil
	})
	if batch != nil {
		batches <- batch
	}
	close(batches)
	if werr := <-written; err == nil {
		err = werr
	}
	if err != nil {
		return err
	}
	return end()
}
