package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/etl"
	"github.com/fenliu/fenliu/queries"
	"github.com/fenliu/fenliu/reports"
)

func newStatusCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Summarise the installation: database, last load, last reports, the inbox, failed files, deliveries, next runs",
		Long: "What IT staff check each morning, on one screen: the database and its size, the data it holds and the last load,\n" +
			"each scheduled job's last run and next run, files waiting in the inbox and why, files that failed and why,\n" +
			"deliveries waiting to be tried again. Reads only; works while the scheduler runs.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatus(cmd.Context(), g, cmd.OutOrStdout())
		},
	}
}

func runStatus(ctx context.Context, g *globalOptions, out io.Writer) error {
	c, err := loadConfig(g.config)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(out)
	defer w.Flush()
	now := g.now().In(c.zone)
	fmt.Fprintf(w, "fenliu status at %s (%s)\n", now.Format("2006-01-02 15:04:05"), c.TimeZone)
	fmt.Fprintf(w, "config:    %s\n", cmp.Or(c.file, "built-in defaults"))

	dbPath := c.path(c.DB)
	if g.db != "" {
		dbPath = g.db
	}
	size := fileSize(dbPath) + fileSize(dbPath+".wal")
	lastRuns := map[string][4]string{}
	var failedDeliveries []lastDelivery
	switch st, err := os.Stat(dbPath); {
	case err != nil:
		fmt.Fprintf(w, "database:  %s: not created yet (fenliu ingest or schedule creates it)\n", dbPath)
	default:
		fmt.Fprintf(w, "database:  %s, %s (modified %s)\n", dbPath, humanBytes(size), st.ModTime().In(c.zone).Format("2006-01-02 15:04"))
		_, db, err := g.openConfigured(ctx, readOnly)
		switch {
		case errors.Is(err, queries.ErrLocked):
			fmt.Fprintf(w, "           in use by another process (the scheduler at work?): its figures are not shown; try again in a moment\n")
		case errors.Is(err, queries.ErrOutdated):
			fmt.Fprintf(w, "           written by an older fenliu: the next load or scheduled run migrates it; its figures are not shown\n")
		case err != nil:
			fmt.Fprintf(w, "           cannot be read: %v\n", err)
		}
		if err != nil {
			break
		}
		defer db.Close()
		var calls, orders int64
		var first, last, loadedAt, loadedName string
		if err := db.QueryRowContext(ctx, queries.Status.SQL).Scan(&calls, &orders, &first, &last, &loadedAt, &loadedName); err != nil {
			return err
		}
		fmt.Fprintf(w, "data:      %d calls (%s to %s), %d orders\n", calls, cmp.Or(first, "—"), cmp.Or(last, "—"), orders)
		fmt.Fprintf(w, "last load: %s\n", cmp.Or(strings.TrimSpace(loadedAt+" "+loadedName), "none yet"))
		rows, err := db.QueryContext(ctx, queries.JobLastRuns.SQL)
		if err != nil {
			return err
		}
		for rows.Next() {
			var job string
			var r [4]string
			if err := rows.Scan(&job, &r[0], &r[1], &r[2], &r[3]); err != nil {
				rows.Close()
				return err
			}
			lastRuns[job] = r
		}
		rows.Close()
		deliveries, err := readDeliveries(ctx, db, "")
		if err != nil {
			return err
		}
		for _, d := range deliveries {
			if d.status == "failed" {
				failedDeliveries = append(failedDeliveries, d)
			}
		}
	}

	fmt.Fprintln(w, "\njobs (last run; last success; next run):")
	for _, job := range jobNames {
		spec := jobSpec(c, job)
		next := "—"
		if s, err := cron.ParseStandard(spec); err == nil {
			next = s.Next(now).Format("2006-01-02 15:04")
		}
		r, ok := lastRuns[job]
		switch {
		case !ok && job == "deliver":
			fmt.Fprintf(w, "  %-8s nothing retried yet; next %s\n", job, next)
		case !ok && job == "alerts":
			fmt.Fprintf(w, "  %-8s no warning sent yet; next %s\n", job, next)
		case !ok:
			fmt.Fprintf(w, "  %-8s never run; next %s\n", job, next)
		default:
			fmt.Fprintf(w, "  %-8s %s %s; last success %s; next %s\n", job, r[0], r[1], cmp.Or(r[3], "never"), next)
			if r[1] == "failed" {
				fmt.Fprintf(w, "           %s\n", r[2])
			}
		}
	}

	reportsDir := c.path(c.Dirs.Reports)
	fmt.Fprintf(w, "\nreports %s (the latest of each kind):\n", reportsDir)
	for _, k := range reports.Kinds {
		name, at := "", time.Time{}
		for _, f := range listDir(reportsDir, func(n string) bool { return strings.Contains(n, "_"+k.Suffix) && strings.HasSuffix(n, ".xlsx") }) {
			if st, err := os.Stat(filepath.Join(reportsDir, f)); err == nil && st.ModTime().After(at) {
				name, at = f, st.ModTime()
			}
		}
		if name == "" {
			fmt.Fprintf(w, "  %-8s none yet\n", k.Name)
			continue
		}
		fmt.Fprintf(w, "  %-8s %s (written %s)\n", k.Name, name, at.In(c.zone).Format("2006-01-02 15:04"))
	}

	inbox := c.path(c.Dirs.Inbox)
	waiting := listDir(inbox, func(name string) bool {
		return !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "~$")
	})
	fmt.Fprintf(w, "\ninbox %s: %d waiting\n", inbox, len(waiting))
	for _, name := range waiting {
		why := etl.Blocked(inbox, name)
		if why == "" {
			why = "loaded by the next inbox run once it has stopped changing"
		}
		fmt.Fprintf(w, "  %s (%s): %s\n", name, humanBytes(fileSize(filepath.Join(inbox, name))), why)
	}
	failedDir := c.path(c.Dirs.Failed)
	failed := listDir(failedDir, func(name string) bool {
		return !strings.HasSuffix(name, ".reason.txt") && !strings.HasPrefix(name, ".")
	})
	fmt.Fprintf(w, "\nfailed %s: %d files\n", failedDir, len(failed))
	for _, name := range failed {
		fmt.Fprintf(w, "  %s: %s\n", name, firstLine(filepath.Join(failedDir, name+".reason.txt")))
	}
	fmt.Fprintf(w, "\ndeliveries: %d recipients", len(c.Delivery.Recipients))
	if len(failedDeliveries) == 0 {
		fmt.Fprintln(w, "; none waiting to be tried again")
	} else {
		fmt.Fprintf(w, "; %d failed, tried again on the next run:\n", len(failedDeliveries))
		for _, d := range failedDeliveries {
			at := ""
			if d.at.Valid {
				at = domain.Local(d.at.Time, c.zone).Format("2006-01-02 15:04")
			}
			fmt.Fprintf(w, "  %s → %s by %s (%s, %d tries): %s\n", d.report, d.recipient, d.channel, at, d.attempts, d.message)
		}
	}
	return nil
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// listDir lists the files of a folder that keep passes, by name.
func listDir(dir string, keep func(string) bool) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if !e.IsDir() && keep(e.Name()) {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// firstLine is a reason file's first line: why the file failed.
func firstLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "no reason file"
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return line
}
