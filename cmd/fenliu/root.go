package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/etl"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/queries"
)

// globalOptions are the flags every command takes.
type globalOptions struct {
	config  string
	db      string
	logJSON bool
	debug   bool
	// allowOpenSecret accepts a secret file that other users can read.
	allowOpenSecret bool
	// now is the clock; tests replace it.
	now func() time.Time
}

func newRootCommand() *cobra.Command {
	g := &globalOptions{now: time.Now}
	root := &cobra.Command{
		Use:           "fenliu",
		Short:         "Scorecards and briefings for non-police call diversion (非警务警情分流)",
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.PersistentFlags().StringVar(&g.config, "config", "", "config file (default $FENLIU_CONFIG, else ./fenliu.yaml, else built-in defaults)")
	root.PersistentFlags().StringVar(&g.db, "db", "", "database file (overrides the config's db)")
	root.PersistentFlags().BoolVar(&g.logJSON, "log-json", false, "write logs as JSON lines")
	root.PersistentFlags().BoolVar(&g.debug, "debug", false, "log each SQL statement's name and time (stderr)")
	root.PersistentFlags().BoolVar(&g.allowOpenSecret, "allow-open-secret", false, "use a secret file that other users can read (refused by default)")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newInitCommand(g),
		newGenCommand(g),
		newIngestCommand(g, false),
		newIngestCommand(g, true),
		newRejectsCommand(g),
		newFilesCommand(g),
		newDemoCommand(g),
		newMetricsCommand(g),
		newScoreCommand(g),
		newExplainCommand(g),
		newExemptCommand(g),
		newReportCommand(g),
		newDeliverCommand(g),
		newAlertsCommand(g),
		newScheduleCommand(g),
		newJobsCommand(g),
		newStatusCommand(g),
	)
	for _, c := range root.Commands() {
		wrapArgs(c)
	}
	return root
}

// wrapArgs turns cobra's argument errors into usage errors (exit 2).
func wrapArgs(c *cobra.Command) {
	if c.Args == nil {
		return
	}
	orig := c.Args
	c.Args = func(cmd *cobra.Command, args []string) error {
		if err := orig(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// logger writes to stderr: text (warnings and errors), or JSON with --log-json
// (from info); --debug adds each SQL statement's name and time.
func (g *globalOptions) logger() *slog.Logger {
	if g.logJSON {
		level := slog.LevelInfo
		if g.debug {
			level = slog.LevelDebug
		}
		return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	}
	level := slog.LevelWarn
	if g.debug {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// access is how a command opens the database.
type access int

const (
	// readOnly: the command only reads (metrics, score, report, rejects, files,
	// jobs). Several such commands may run at once.
	readOnly access = iota
	// readWrite: the command writes to an existing database.
	readWrite
	// create: the command loads data and may create the database (ingest,
	// schedule, demo through them), in a folder that exists.
	create
)

// openConfigured loads the config and opens the database it names.
func (g *globalOptions) openConfigured(ctx context.Context, mode access) (*config, *sql.DB, error) {
	c, err := loadConfig(g.config)
	if err != nil {
		return nil, nil, err
	}
	db, err := g.open(ctx, c, mode)
	return c, db, err
}

// open opens the database of a loaded config (--db overrides it).
func (g *globalOptions) open(ctx context.Context, c *config, mode access) (*sql.DB, error) {
	if g.db != "" {
		c.DB = g.db
	} else {
		c.DB = c.path(c.DB)
	}
	tmp := "" // without a config file: DuckDB's default (<db>.tmp) and the system temp folder
	if c.file != "" {
		tmp = c.path(c.Dirs.Temp)
		if err := os.MkdirAll(tmp, 0o755); err != nil {
			return nil, err
		}
	}
	c.Dirs.Temp = tmp
	return openAt(ctx, c, c.DB, mode)
}

// openAt opens a database at path with the config's DuckDB settings and removes
// what killed loads left in the temp folder.
func openAt(ctx context.Context, c *config, path string, mode access) (*sql.DB, error) {
	tmp := c.Dirs.Temp
	db, err := queries.Open(ctx, path, queries.Options{MemoryLimit: c.DuckDB.MemoryLimit, Threads: c.DuckDB.Threads, TempDir: tmp,
		Create: mode == create, ReadOnly: mode == readOnly})
	if err != nil {
		return nil, err
	}
	if err := etl.RemoveStale(tmp, etl.StagingPrefix); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openFigures opens the database read-only for a command that computes figures.
// A store that misses a migration, or whose derived facts do not follow its loads
// and the settings in force, is brought up to date first, read-write — the one
// write a reading command does, and it says so on stderr.
func (g *globalOptions) openFigures(ctx context.Context, c *config) (*sql.DB, error) {
	db, err := g.open(ctx, c, readOnly)
	fresh := false
	if err == nil {
		if fresh, err = metrics.New(db, c.Indicators, nil).Fresh(ctx); err != nil || !fresh {
			db.Close()
		}
	}
	switch {
	case err != nil && !errors.Is(err, queries.ErrOutdated):
		return nil, err
	case fresh:
		return db, nil
	}
	start := time.Now()
	rw, err := openAt(ctx, c, c.DB, readWrite) // migrates
	if err != nil {
		return nil, err
	}
	how, err := metrics.Refresh(ctx, rw, c.Indicators, g.logger())
	rw.Close()
	if err != nil {
		return nil, err
	}
	g.logger().Warn("the derived facts did not follow the loads or the settings in force: brought up to date before reading",
		"how", how.String(), "took", time.Since(start).Round(time.Millisecond))
	return openAt(ctx, c, c.DB, readOnly)
}

// openQuery checks the flags that metrics and score share, then opens the database.
func (g *globalOptions) openQuery(ctx context.Context, format, p, asOf, by string) (*config, metrics.Query, *sql.DB, error) {
	switch format {
	case "table", "csv", "json":
	default:
		return nil, metrics.Query{}, nil, usageError{fmt.Errorf("--format %q: want table, csv or json", format)}
	}
	c, err := loadConfig(g.config)
	if err != nil {
		return nil, metrics.Query{}, nil, err
	}
	q, err := metricsQuery(g, c, p, asOf, by)
	if err != nil {
		return nil, metrics.Query{}, nil, err
	}
	db, err := g.openFigures(ctx, c)
	return c, q, db, err
}
