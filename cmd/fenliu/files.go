package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/queries"
)

func newFilesCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "files",
		Short: "List the loaded files with their row accounting",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFiles(cmd.Context(), g, cmd.OutOrStdout())
		},
	}
}

func runFiles(ctx context.Context, g *globalOptions, out io.Writer) error {
	_, db, err := g.openConfigured(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, queries.FilesList)
	if err != nil {
		return err
	}
	defer rows.Close()
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "id\tfile\tkind\tprofile\tencoding\tstatus\tread\tinserted\tupdated\tunchanged\tsuperseded\trejected\tloaded at\t")
	n := 0
	for rows.Next() {
		var id int
		var name, kind, prof, enc, status string
		var read, ins, upd, unch, sup, rej int64
		var at time.Time
		if err := rows.Scan(&id, &name, &kind, &prof, &enc, &status, &read, &ins, &upd, &unch, &sup, &rej, &at); err != nil {
			return err
		}
		n++
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", id, name, kind, prof, enc, status,
			read, ins, upd, unch, sup, rej, at.Format("2006-01-02 15:04:05"))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(out, "no files loaded yet")
		return nil
	}
	return tw.Flush()
}
