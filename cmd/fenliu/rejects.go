package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/queries"
)

// rejectHeader heads a list of rejected rows (the rejects table and CSVs): the
// field by its Chinese header, then its English id (what a profile maps), the
// reason in Chinese.
var rejectHeader = []string{"文件", "行号", "字段", "字段代码", "值", "原因"}

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
	_, db, err := g.openConfigured(ctx, readOnly)
	if err != nil {
		return err
	}
	defer db.Close()
	if o.file != "" {
		var n int
		if err := db.QueryRowContext(ctx, queries.FileNamed.SQL, o.file).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("no file named %q was loaded (fenliu files lists them; give the base name)", o.file)
		}
	}
	rows, err := db.QueryContext(ctx, queries.RejectsList.SQL, o.file)
	if err != nil {
		return err
	}
	defer rows.Close()
	var write func(...string)
	var finish func() error
	n := 0
	if o.out != "" {
		w, err := createCSV(o.out)
		if err != nil {
			return err
		}
		write = w.write
		finish = func() error {
			if err := w.close(); err != nil {
				return err
			}
			fmt.Fprintf(out, "wrote %d rejected rows to %s\n", n, o.out)
			return nil
		}
	} else {
		t := newTable(out)
		write = t.row
		finish = func() error {
			if n == 0 {
				fmt.Fprintln(out, "no rejected rows")
				return nil
			}
			t.flush()
			return nil
		}
	}
	write(rejectHeader...)
	for rows.Next() {
		var file, field, fieldZh, value, reason string
		var line int64
		if err := rows.Scan(&file, &line, &field, &fieldZh, &value, &reason); err != nil {
			return err
		}
		n++
		write(file, fmt.Sprint(line), fieldZh, field, value, reason)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return finish()
}
