package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/queries"
)

func newJobsCommand(g *globalOptions) *cobra.Command {
	var n int
	cmd := &cobra.Command{
		Use:   "jobs [-n N]",
		Short: "Show the history of the scheduled jobs, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runJobs(cmd.Context(), g, n, cmd.OutOrStdout())
		},
	}
	cmd.Flags().IntVarP(&n, "number", "n", 50, "how many runs")
	return cmd
}

func runJobs(ctx context.Context, g *globalOptions, n int, out io.Writer) error {
	_, db, err := g.openConfigured(ctx, readOnly)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, queries.JobList.SQL, n)
	if err != nil {
		return err
	}
	defer rows.Close()
	tw := newTable(out)
	tw.max = 2000 // the message is what IT staff read: whole (it is the last column)
	tw.row("job", "started", "ended", "status", "files", "rows", "rejected", "message")
	count := 0
	for rows.Next() {
		var job, start, end, status, msg string
		var files, nrows, rejected int64
		if err := rows.Scan(&job, &start, &end, &status, &msg, &files, &nrows, &rejected); err != nil {
			return err
		}
		count++
		tw.row(job, start, end, status, fmt.Sprint(files), fmt.Sprint(nrows), fmt.Sprint(rejected), msg)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if count == 0 {
		fmt.Fprintln(out, "no job has run yet")
		return nil
	}
	tw.flush()
	return nil
}
