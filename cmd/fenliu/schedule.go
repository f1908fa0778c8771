package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/fenliu/fenliu/domain"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/etl"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/queries"
	"github.com/fenliu/fenliu/reports"
)

type scheduleOptions struct{ once bool }

func newScheduleCommand(g *globalOptions) *cobra.Command {
	var o scheduleOptions
	cmd := &cobra.Command{
		Use:   "schedule [--once]",
		Short: "Run the scheduled jobs: load the inbox, write the weekly, monthly and annual reports",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSchedule(cmd.Context(), g, o, cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&o.once, "once", false, "run what is due once and exit (for a systemd timer or system cron)")
	return cmd
}

// scheduler runs the jobs of SPEC §6. Each job opens the database, works, closes it
// (so that a command run by hand in between can open it), and is recorded in the
// job history.
type scheduler struct {
	g   *globalOptions
	c   *config
	log *slog.Logger
	out io.Writer // a line per job
	// mu runs one job at a time: jobs share the database (DuckDB refuses two
	// concurrent schema writes, such as two rebuilds of the derived facts), and a
	// report must not be computed from a half-applied load.
	mu sync.Mutex
}

// jobNames are the scheduled jobs; deliver tries again the deliveries that
// failed, on the inbox's cadence.
var jobNames = []string{"inbox", "weekly", "monthly", "annual", "alerts", "deliver"}

func (s *scheduler) spec(job string) string {
	return jobSpec(s.c, job)
}

func jobSpec(c *config, job string) string {
	return map[string]string{"inbox": c.Schedule.Inbox, "weekly": c.Schedule.Weekly, "monthly": c.Schedule.Monthly,
		"annual": c.Schedule.Annual, "alerts": c.Schedule.Alerts, "deliver": c.Schedule.Inbox}[job]
}

// cronLogger routes robfig/cron's logging through slog.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}

func runSchedule(ctx context.Context, g *globalOptions, o scheduleOptions, out io.Writer) error {
	c, err := loadConfig(g.config)
	if err != nil {
		return err
	}
	s := &scheduler{g: g, c: c, log: g.logger().With("component", "schedule"), out: out}
	// Jobs run on a context that SIGTERM does not cancel: a load finishes its file.
	jobCtx := context.WithoutCancel(ctx)
	if o.once {
		var failed []string
		for _, job := range jobNames {
			due, err := s.due(jobCtx, job)
			if err != nil {
				return err
			}
			if due && s.run(jobCtx, job).status == "failed" {
				failed = append(failed, job)
			}
		}
		if len(failed) > 0 {
			// Recorded in the job history, and retried on the next run.
			return fmt.Errorf("job failed: %s (see fenliu jobs)", strings.Join(failed, ", "))
		}
		return nil
	}
	lg := cronLogger{s.log}
	cr := cron.New(cron.WithLocation(c.zone), cron.WithLogger(lg),
		cron.WithChain(cron.Recover(lg), cron.SkipIfStillRunning(lg)))
	for _, job := range jobNames {
		job := job
		if _, err := cr.AddFunc(s.spec(job), func() { s.run(jobCtx, job) }); err != nil { // a failure waits for the next tick
			return usageError{fmt.Errorf("schedule.%s: %w", job, err)}
		}
	}
	s.log.Info("started", "inbox", c.Schedule.Inbox, "weekly", c.Schedule.Weekly, "monthly", c.Schedule.Monthly, "annual", c.Schedule.Annual)
	cr.Start()
	<-ctx.Done()
	s.log.Info("stopping: waiting for the running job")
	<-cr.Stop().Done()
	s.log.Info("stopped")
	return nil
}

// due reports whether a job should run now under --once: the inbox always; a report
// when its schedule fired since its last success (catching up a run missed while
// the machine was down), or when it never succeeded.
func (s *scheduler) due(ctx context.Context, job string) (bool, error) {
	if job == "inbox" || job == "deliver" {
		return true, nil
	}
	_, db, err := s.g.openConfigured(ctx, create)
	if err != nil {
		return false, err
	}
	defer db.Close()
	var last sql.NullTime
	if err := db.QueryRowContext(ctx, queries.JobLastSuccess.SQL, job).Scan(&last); err != nil {
		return false, err
	}
	if !last.Valid {
		return true, nil
	}
	sched, err := cron.ParseStandard(s.spec(job))
	if err != nil {
		return false, err
	}
	now := s.g.now().In(s.c.zone)
	lastLocal := domain.Local(last.Time, s.c.zone)
	return !sched.Next(lastLocal).After(now), nil
}

// jobResult is what a job reports for the history.
type jobResult struct {
	status, message string
	files           int
	rows, rejected  int64
}

// run runs one job, recovering a panic, records the run and returns its result.
func (s *scheduler) run(ctx context.Context, job string) jobResult {
	s.mu.Lock()
	defer s.mu.Unlock()
	start := s.wall()
	var res jobResult
	func() {
		defer func() {
			if p := recover(); p != nil {
				res = jobResult{status: "failed", message: fmt.Sprintf("panic: %v", p)}
			}
		}()
		var err error
		res, err = s.do(ctx, job)
		if err != nil {
			msg := err.Error()
			if res.message != "" {
				msg = res.message + ": " + msg
			}
			res = jobResult{status: "failed", message: msg, files: res.files, rows: res.rows, rejected: res.rejected}
		}
	}()
	if res.status == "idle" { // nothing to do (no failed delivery to retry): not worth a record
		return res
	}
	if res.status == "failed" {
		s.log.Error("job failed", "job", job, "err", res.message)
	} else {
		s.log.Info("job done", "job", job, "status", res.status, "message", res.message)
	}
	// One line a job for whoever watches: what ran, and what came of it.
	fmt.Fprintf(s.out, "%s %s: %s: %s\n", s.wall().Format("2006-01-02 15:04:05"), job, res.status, res.message)
	// A command run by hand may hold the database for a moment: wait for it (up to
	// a minute) rather than lose the record.
	var db *sql.DB
	var err error
	for wait := 0; wait < 300; wait++ {
		if _, db, err = s.g.openConfigured(ctx, create); !errors.Is(err, queries.ErrLocked) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		s.log.Error("job not recorded", "job", job, "err", err)
		return res
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, queries.JobRecord.SQL, job, start, s.wall(), res.status, res.message, res.files, res.rows, res.rejected); err != nil {
		s.log.Error("job not recorded", "job", job, "err", err)
	}
	return res
}

func (s *scheduler) wall() time.Time {
	n := s.g.now().In(s.c.zone)
	return domain.Wall(n)
}

func (s *scheduler) do(ctx context.Context, job string) (jobResult, error) {
	now := s.wall()
	switch job {
	case "inbox":
		return s.inbox(ctx)
	case "weekly":
		p := period.Of(period.Week, now).Prev()
		return s.report(ctx, "weekly", p)
	case "monthly":
		p := period.Of(period.Month, now).Prev()
		return s.report(ctx, "monthly", p)
	case "annual":
		p := period.Of(period.Year, now).Prev()
		return s.report(ctx, "annual", p)
	case "alerts":
		if len(s.c.Delivery.Recipients) == 0 {
			return jobResult{status: "ok", message: "no recipients to warn (delivery.recipients)"}, nil
		}
		found, sent, err := findAlerts(ctx, s.g, s.c, now)
		if err != nil {
			return jobResult{}, err
		}
		fresh := newAlerts(found, sent)
		t, err := sendAlerts(ctx, s.g, s.c, now, found, fresh, io.Discard)
		if err != nil {
			return jobResult{}, err
		}
		if len(fresh) == 0 { // recorded all the same: the job is not due again until its next time
			return jobResult{status: "ok", message: fmt.Sprintf("no new warnings (%d in force, sent before)", len(found))}, nil
		}
		res := jobResult{status: "ok", message: fmt.Sprintf("%d new warnings of %d: %s", len(fresh), len(found), t), files: t.sent}
		if t.failed > 0 {
			res.status = "failed"
		}
		return res, nil
	case "deliver":
		t, err := retryDeliveries(ctx, s.g, s.c, io.Discard)
		if err != nil {
			return jobResult{}, err
		}
		if t.sent+t.failed == 0 {
			return jobResult{status: "idle"}, nil
		}
		res := jobResult{status: "ok", message: "retried: " + t.String(), files: t.sent}
		if t.failed > 0 {
			res.status = "failed"
		}
		return res, nil
	}
	return jobResult{}, errors.New("unknown job " + job)
}

func (s *scheduler) report(ctx context.Context, kind string, p period.Period) (jobResult, error) {
	k, err := reports.KindNamed(kind)
	if err != nil {
		return jobResult{}, err
	}
	var opts []reports.Option
	if per := s.c.Schedule.PerUnit; per != "" && (kind == "monthly" || kind == "annual") {
		opts = append(opts, reports.FullDetail(), reports.PerUnit(metrics.By(per)))
	}
	paths, err := writeReport(ctx, s.g, s.c, k, p, s.wall().Truncate(time.Second), []string{"xlsx", "html"}, s.c.path(s.c.Dirs.Reports), io.Discard, opts...)
	if err != nil {
		return jobResult{}, err
	}
	res := jobResult{status: "ok", message: fmt.Sprintf("wrote %d files (%s)", len(paths), filepath.Base(paths[0])), files: len(paths)}
	if len(s.c.Delivery.Recipients) == 0 {
		return res, nil
	}
	// Delivered as soon as written. A delivery that fails does not fail the
	// report: it is recorded, and the deliver job tries it again.
	manifest, err := manifestOf(s.c, k, p)
	if err != nil {
		return res, err
	}
	t, err := deliverReport(ctx, s.g, s.c, manifest, false, io.Discard)
	if err != nil {
		return res, fmt.Errorf("written, but not delivered: %w", err)
	}
	res.message += "; " + t.String()
	return res, nil
}

// inboxResult says what a scan did, file by file: each load with its rows and
// rejects (and the command that lists them), the failed, each waiting file and
// why.
func inboxResult(res etl.InboxResult, failedDir string) jobResult {
	r := jobResult{status: "ok", files: len(res.Loaded) + len(res.Failed)}
	var parts []string
	if len(res.Loaded) > 0 {
		var loads []string
		for _, a := range res.Loaded {
			r.rows += a.Read
			r.rejected += a.Rejected
			name := filepath.Base(a.File)
			switch {
			case a.Status == etl.StatusSkipped:
				loads = append(loads, name+": skipped, loaded before")
			case a.Rejected > 0:
				loads = append(loads, fmt.Sprintf("%s: %d rows, %d rejected (fenliu rejects --file %s)", name, a.Read, a.Rejected, name))
			default:
				loads = append(loads, fmt.Sprintf("%s: %d rows", name, a.Read))
			}
		}
		parts = append(parts, fmt.Sprintf("%d loaded (%s)", len(res.Loaded), strings.Join(loads, "; ")))
	}
	if len(res.Failed) > 0 {
		parts = append(parts, fmt.Sprintf("%d failed (%s: see %s and its .reason.txt)", len(res.Failed), strings.Join(res.Failed, ", "), failedDir))
	}
	if len(res.Waiting) > 0 {
		var waits []string
		for _, w := range res.Waiting {
			waits = append(waits, w.Name+": "+w.Reason)
		}
		parts = append(parts, fmt.Sprintf("%d waiting (%s)", len(res.Waiting), strings.Join(waits, "; ")))
	}
	if len(parts) == 0 {
		parts = append(parts, "empty: no file to load")
	}
	r.message = strings.Join(parts, ", ")
	return r
}

func (s *scheduler) inbox(ctx context.Context) (jobResult, error) {
	c, db, err := s.g.openConfigured(ctx, create)
	if err != nil {
		return jobResult{}, err
	}
	defer db.Close()
	if err := c.loadDictionaries(ctx, db); err != nil {
		return jobResult{}, err
	}
	profiles, err := c.profiles()
	if err != nil {
		return jobResult{}, err
	}
	secret, err := c.secret(s.g.allowOpenSecret)
	if err != nil {
		return jobResult{}, err
	}
	in := etl.Inbox{Dir: c.path(c.Dirs.Inbox), Archive: c.path(c.Dirs.Archive), Failed: c.path(c.Dirs.Failed)}
	res, err := etl.ScanInbox(ctx, db, in, etl.Options{Profiles: profiles, Secret: secret, Zone: c.zone, Now: s.g.now(),
		TempDir: c.Dirs.Temp, Logger: s.log})
	r := inboxResult(res, c.Dirs.Failed)
	for _, w := range res.Waiting {
		level := slog.LevelInfo
		if w.Reason != etl.WaitNew && w.Reason != etl.WaitGrowing { // it will not load by waiting: someone must act
			level = slog.LevelWarn
		}
		s.log.Log(ctx, level, "file waiting in the inbox", "file", w.Name, "reason", w.Reason)
	}
	if err != nil {
		return r, err
	}
	if len(res.Loaded) > 0 {
		if _, err := metrics.Refresh(ctx, db, c.Indicators, s.log); err != nil {
			return r, err
		}
	}
	return r, nil
}
