package main

import (
	"context"
	"fmt"
	"io"
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
	_, db, err := g.openConfigured(ctx, readOnly)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, queries.FilesList.SQL)
	if err != nil {
		return err
	}
	defer rows.Close()
	tw := newTable(out)
	tw.row("id", "file", "kind", "profile", "encoding", "status", "read", "inserted", "updated", "unchanged", "superseded", "rejected", "loaded at")
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
		tw.row(fmt.Sprint(id), name, kind, prof, enc, status, fmt.Sprint(read), fmt.Sprint(ins), fmt.Sprint(upd),
			fmt.Sprint(unch), fmt.Sprint(sup), fmt.Sprint(rej), at.Format("2006-01-02 15:04:05"))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(out, "no files loaded yet")
		return nil
	}
	tw.flush()
	return nil
}
