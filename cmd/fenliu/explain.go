package main

import (
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
	members, err := metrics.New(db, c.Indicators, g.logger()).Explain(ctx, q, id, o.key)
	if err != nil {
		return err
	}
	if keep != nil { // --state filters after grouping
		members = slices.DeleteFunc(members, func(m metrics.Member) bool { return !slices.Contains(keep, m.State) })
	}
	if o.out != "" && o.format != "xlsx" {
		f, err := os.Create(o.out)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	doc := metrics.NewExplainDoc(q, id, o.key, members)
	title := fmt.Sprintf("%s %s 明细", q.Period.Label(), id.Name())
	if o.key != "" {
		title += "（" + o.key + "）"
	}
	switch o.format {
	case "xlsx":
		return writeFileAtomic(o.out, func(w io.Writer) error { return reports.WriteExplainXLSX(w, title, doc, q.AsOf) })
	case "json":
		return doc.WriteJSON(out)
	case "csv":
		return writeCSV(out, doc.CSV())
	}
	fmt.Fprintf(out, "%s %s（统计时点 %s，分组：%s）：%d 条\n", q.Period.Label(), id.Name(), q.AsOf.Format("2006-01-02 15:04:05"), q.By, len(members))
	t := newTable(out)
	t.row("编号", "分组", "状态", "说明")
	for _, m := range doc.Rows {
		t.row(m.ID, m.Key, string(m.State), m.Reason)
	}
	t.flush()
	return nil
}
