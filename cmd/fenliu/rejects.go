package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/queries"
)

type rejectsOptions struct {
	file string
	out  string
}

func newRejectsCommand(g *globalOptions) *cobra.Command {
	var o rejectsOptions
	cmd := &cobra.Command{
		Use:   "rejects [--file NAME] [-o FILE.csv]",
		Short: "List rejected rows: file, line, field, value and the reason",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRejects(cmd.Context(), g, o, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&o.file, "file", "", "only this file (its base name, as ingest printed it)")
	cmd.Flags().StringVarP(&o.out, "output", "o", "", "write a CSV (UTF-8 with BOM, opens in Excel) instead of a table")
	return cmd
}

func runRejects(ctx context.Context, g *globalOptions, o rejectsOptions, out io.Writer) error {
	_, db, err := g.openConfigured(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, queries.RejectsList, o.file)
	if err != nil {
		return err
	}
	defer rows.Close()
	var write func([]string) error
	var finish func() error
	n := 0
	if o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			return err
		}
		defer f.Close()
		f.WriteString("\uFEFF")
		w := csv.NewWriter(f)
		write = func(r []string) error {
			r[3] = spreadsheetSafe(r[3])
			return w.Write(r)
		}
		finish = func() error {
			w.Flush()
			if err := w.Error(); err != nil {
				return err
			}
			fmt.Fprintf(out, "wrote %d rejected rows to %s\n", n, o.out)
			return f.Close()
		}
	} else {
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		write = func(r []string) error {
			_, err := fmt.Fprintln(tw, strings.Join(r, "\t"))
			return err
		}
		finish = func() error {
			if n == 0 {
				fmt.Fprintln(out, "no rejected rows")
				return nil
			}
			return tw.Flush()
		}
	}
	if err := write([]string{"file", "line", "field", "value", "reason"}); err != nil {
		return err
	}
	for rows.Next() {
		var file, field, value, reason string
		var line int64
		if err := rows.Scan(&file, &line, &field, &value, &reason); err != nil {
			return err
		}
		n++
		if err := write([]string{file, fmt.Sprint(line), field, value, reason}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return finish()
}

// spreadsheetSafe keeps a spreadsheet from reading a value as a formula: a value
// starting with = + - @ gets a leading apostrophe (OWASP's CSV-injection advice).
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}
