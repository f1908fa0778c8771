package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/etl"
	"github.com/fenliu/fenliu/etl/profile"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/queries"
)

type ingestOptions struct {
	kind       string
	profile    string
	json       bool
	check      bool
	reload     bool
	rejectsOut string
}

func newIngestCommand(g *globalOptions, check bool) *cobra.Command {
	o := ingestOptions{check: check}
	use, short := "ingest", "Load exports into the database, each file in one transaction"
	if check {
		use, short = "check", "Validate exports exactly as ingest would, loading nothing"
	}
	cmd := &cobra.Command{
		Use:   use + " [--kind calls|orders] [--profile NAME] [--json] FILE...",
		Short: short,
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIngest(cmd.Context(), g, o, args, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.kind, "kind", "", "calls or orders (default: detected from the headers)")
	f.StringVar(&o.profile, "profile", "", "mapping profile: a built-in or configured name, or a YAML file (default: the first that fits)")
	f.BoolVar(&o.json, "json", false, "print the accounting as one JSON array")
	if check {
		f.StringVar(&o.rejectsOut, "rejects-out", "", "write every rejected row to this CSV (UTF-8 with BOM, opens in Excel)")
	} else {
		f.BoolVar(&o.reload, "reload", false, "load files again although the same bytes were loaded before (after fixing a profile): their earlier rejects are replaced")
	}
	return cmd
}

func runIngest(ctx context.Context, g *globalOptions, o ingestOptions, files []string, out io.Writer) error {
	switch o.kind {
	case "", "calls", "orders":
	default:
		return usageError{fmt.Errorf("--kind %q: want calls or orders", o.kind)}
	}
	c, err := loadConfig(g.config)
	if err != nil {
		return err
	}
	profiles, err := c.profiles()
	if err != nil {
		return usageError{err}
	}
	var chosen *profile.Profile
	if o.profile != "" {
		if chosen, err = pickProfile(profiles, o.profile); err != nil {
			return usageError{err}
		}
	}
	secret, err := c.secret(g.allowOpenSecret)
	if err != nil {
		return err
	}
	db, cleanup, err := g.openForLoad(ctx, c, o.check)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := c.loadDictionaries(ctx, db); err != nil {
		return err
	}
	opts := etl.Options{Kind: profile.Kind(o.kind), Profile: chosen, Profiles: profiles, Secret: secret,
		Zone: c.zone, Now: g.now(), DryRun: o.check, Reload: o.reload, TempDir: c.Dirs.Temp, Logger: g.logger()}
	accs, failed := loadAll(ctx, db, files, opts, out, !o.json)
	if !o.check && failed < len(files) {
		// Rebuild the per-call facts now, so that the first report is fast.
		if _, err := metrics.Refresh(ctx, db, c.Indicators, g.logger()); err != nil {
			return err
		}
	}
	if o.rejectsOut != "" {
		if err := writeCheckRejects(o.rejectsOut, accs); err != nil {
			return err
		}
		if !o.json {
			fmt.Fprintf(out, "wrote the rejected rows to %s\n", o.rejectsOut)
		}
	}
	if o.json {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(accs); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files not loaded", failed, len(files))
	}
	return nil
}

// loadAll loads each file, printing one summary per file unless quiet, and returns
// the accountings and the number of files that failed.
func loadAll(ctx context.Context, db *sql.DB, files []string, opts etl.Options, out io.Writer, text bool) ([]etl.Accounting, int) {
	accs := []etl.Accounting{}
	failed := 0
	for _, f := range files {
		p := newProgress(out, filepath.Base(f), 0)
		opts.Progress = func(n int64) { p.update(n) }
		acc, err := etl.Load(ctx, db, f, opts)
		p.done()
		if err != nil {
			failed++
			var re *etl.RefusedError
			if !errors.As(err, &re) {
				acc.Status, acc.Message = etl.StatusRefused, err.Error()
			}
		}
		accs = append(accs, acc)
		if text {
			printAccounting(out, acc)
		}
	}
	return accs, failed
}

// openForLoad opens the database for ingest, creating it if needed. A check of a
// database that does not exist yet checks against an empty one of its own, which
// is removed after: check writes nothing.
func (g *globalOptions) openForLoad(ctx context.Context, c *config, check bool) (*sql.DB, func(), error) {
	if !check {
		db, err := g.open(ctx, c, create)
		if err != nil {
			return nil, nil, err
		}
		return db, func() { db.Close() }, nil
	}
	db, err := g.open(ctx, c, readWrite) // check runs the load's transaction and rolls it back
	if err == nil {
		return db, func() { db.Close() }, nil
	}
	if !errors.Is(err, queries.ErrNoDatabase) {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp(c.Dirs.Temp, "fenliu-check-")
	if err != nil {
		return nil, nil, err
	}
	db, err = openAt(ctx, c, filepath.Join(dir, "check.duckdb"), create)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return db, func() { db.Close(); os.RemoveAll(dir) }, nil
}

// maxShownRejects is how many rejected rows check prints per file; --rejects-out
// writes them all.
const maxShownRejects = 20

func printAccounting(w io.Writer, a etl.Accounting) {
	switch a.Status {
	case etl.StatusRefused:
		fmt.Fprintf(w, "%s: refused: %s\n", a.File, a.Message)
		return
	case etl.StatusSkipped:
		fmt.Fprintf(w, "%s: skipped: %s\n", a.File, a.Message)
		return
	}
	fmt.Fprintf(w, "%s: %s %s (profile %s, %s): read %d = inserted %d + updated %d + unchanged %d + superseded %d + rejected %d\n",
		a.File, a.Status, a.Kind, a.Profile, a.Encoding, a.Read, a.Inserted, a.Updated, a.Unchanged, a.Superseded, a.Rejected)
	if a.DateOnly > 0 {
		fmt.Fprintf(w, "  %d rows give a date without a time (read as 00:00:00)\n", a.DateOnly)
	}
	if a.Merged > 0 {
		fmt.Fprintf(w, "  %d rows took values from merged cells (filled as the sheet shows them)\n", a.Merged)
	}
	if a.Message != "" {
		fmt.Fprintf(w, "  %s\n", a.Message)
	}
	if len(a.Rejects) > 0 {
		t := newTable(w)
		t.row(rejectHeader[1], rejectHeader[2], rejectHeader[4], rejectHeader[5])
		for i, r := range a.Rejects {
			if i == maxShownRejects {
				break
			}
			t.row(fmt.Sprint(r.Line), r.FieldZh, r.Value, r.ReasonZh)
		}
		t.flush()
		if n := len(a.Rejects); n > maxShownRejects {
			fmt.Fprintf(w, "  … and %d more rejected rows (--rejects-out FILE writes them all)\n", n-maxShownRejects)
		}
	}
}

// writeCheckRejects writes the rejected rows of a check to a CSV.
func writeCheckRejects(path string, accs []etl.Accounting) error {
	w, err := createCSV(path)
	if err != nil {
		return err
	}
	w.write(rejectHeader...)
	for _, a := range accs {
		for _, r := range a.Rejects {
			w.write(filepath.Base(a.File), fmt.Sprint(r.Line), r.FieldZh, r.Field, r.Value, r.ReasonZh)
		}
	}
	return w.close()
}
