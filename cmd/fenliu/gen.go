package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/etl/synth"
)

type genOptions struct {
	out      string
	calls    int
	from, to string
	seed     uint64
	gbk      bool
	xlsx     bool
}

func newGenCommand(g *globalOptions) *cobra.Command {
	var o genOptions
	cmd := &cobra.Command{
		Use:   "gen --out DIR [--calls N] [--from DATE] [--to DATE] [--seed N]",
		Short: "Write deterministic synthetic exports (calls.csv, orders.csv, dictionaries)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGen(o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "output folder (required)")
	f.IntVar(&o.calls, "calls", 10000, "number of calls")
	f.StringVar(&o.from, "from", "2024-01-01", "first day (YYYY-MM-DD)")
	f.StringVar(&o.to, "to", "2025-01-01", "day after the last (YYYY-MM-DD); also the export time")
	f.Uint64Var(&o.seed, "seed", 1, "random seed: the same seed gives the same files")
	f.BoolVar(&o.gbk, "gbk", false, "also write GB18030 copies (*.gbk.csv)")
	f.BoolVar(&o.xlsx, "xlsx", false, "also write XLSX copies (slow above 100k rows)")
	cmd.MarkFlagRequired("out")
	return cmd
}

func runGen(o genOptions, out io.Writer) error {
	from, err := time.Parse("2006-01-02", o.from)
	if err != nil {
		return usageError{fmt.Errorf("--from %q: want YYYY-MM-DD", o.from)}
	}
	to, err := time.Parse("2006-01-02", o.to)
	if err != nil {
		return usageError{fmt.Errorf("--to %q: want YYYY-MM-DD", o.to)}
	}
	if !to.After(from) || o.calls < 0 {
		return usageError{fmt.Errorf("want --to after --from and --calls ≥ 0")}
	}
	p := newProgress(out, "gen", int64(o.calls))
	st, err := synth.Generate(o.out, synth.Options{Calls: o.calls, From: from, To: to, Seed: o.seed,
		Progress: func(n int) { p.update(int64(n)) }})
	p.done()
	if err != nil {
		return err
	}
	if o.gbk {
		if err := synth.WriteGBK(o.out); err != nil {
			return err
		}
	}
	if o.xlsx {
		if err := synth.WriteXLSX(o.out); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "wrote %d calls and %d orders to %s (calls.csv, orders.csv, departments.csv, categories.csv)\n", st.Calls, st.Orders, o.out)
	return nil
}
