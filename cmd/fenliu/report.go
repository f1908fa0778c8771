package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/fenliu/fenliu/deliver"
	"github.com/fenliu/fenliu/etl"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/reports"
	"github.com/fenliu/fenliu/reports/pdf"
)

type reportOptions struct {
	period, asOf, out, format, compare, per string
	fullDetail                              bool
}

func newReportCommand(g *globalOptions) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report monthly|annual|trend|weekly --period P [--as-of T] [--out DIR] [--format xlsx,html]",
		Short: "Write a report (monthly scorecard, annual assessment, trend, weekly briefing) as Excel and HTML",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			_, err := runReport(cmd.Context(), g, args[0], o, cmd.OutOrStdout())
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.period, "period", "", "monthly: a month (2024-05); annual: a year (2024); trend: a month (the 24 months ending with it) or a year; weekly: an ISO week (2024-W20) (required)")
	f.StringVar(&o.asOf, "as-of", "", "as-of time T (default: now)")
	f.StringVar(&o.out, "out", "", "output folder (default: the config's reports folder)")
	f.StringVar(&o.format, "format", "xlsx,html", "xlsx, html, pdf (the page printed by the machine's Chromium), comma-separated")
	f.StringVar(&o.compare, "compare", "maturity", "环比/同比 and rank changes: maturity (each earlier period as long after its end as T is after the period's) or settled (all at T)")
	f.StringVar(&o.per, "per", "", "monthly and annual: also write one feedback sheet (反馈单) per department or town, into <out>/<period>/units/<unit>/")
	f.BoolVar(&o.fullDetail, "full-detail", false, fmt.Sprintf("monthly and annual: list every record in the 明细 sheets, not the first %d of each unit and indicator", reports.DetailLimit))
	cmd.MarkFlagRequired("period")
	return cmd
}

// runReport computes one report and writes it in each format, then rewrites the
// folder's index.html. It returns the paths written.
func runReport(ctx context.Context, g *globalOptions, kind string, o reportOptions, out io.Writer) ([]string, error) {
	k, err := reports.KindNamed(kind)
	if err != nil {
		return nil, usageError{err}
	}
	var formats []string
	for _, f := range strings.Split(o.format, ",") {
		switch f = strings.TrimSpace(f); f {
		case "xlsx", "html", "pdf":
			formats = append(formats, f)
		default:
			return nil, usageError{fmt.Errorf("--format %q: want xlsx, html, pdf or several, comma-separated", o.format)}
		}
	}
	c, err := loadConfig(g.config)
	if err != nil {
		return nil, err
	}
	q, err := metricsQuery(g, c, o.period, o.asOf, "total")
	if err != nil {
		return nil, err
	}
	if !slices.Contains(k.Periods, q.Period.Kind) {
		return nil, usageError{fmt.Errorf("report %s --period %q: want %s", kind, o.period, k.Want)}
	}
	dir := o.out
	if dir == "" {
		dir = c.path(c.Dirs.Reports)
	}
	mode, err := metrics.ParseCompareMode(o.compare)
	if err != nil {
		return nil, usageError{err}
	}
	opts := []reports.Option{reports.WithCompare(mode)}
	switch o.per {
	case "":
	case "department", "town":
		if k.Name != "monthly" && k.Name != "annual" {
			return nil, usageError{fmt.Errorf("--per: feedback sheets are written with the monthly and annual reports, not %s", k.Name)}
		}
		opts = append(opts, reports.FullDetail(), reports.PerUnit(metrics.By(o.per))) // a unit's sheet lists all its records
	default:
		return nil, usageError{fmt.Errorf("--per %q: want department or town", o.per)}
	}
	if o.fullDetail {
		opts = append(opts, reports.FullDetail())
	}
	return writeReport(ctx, g, c, k, q.Period, q.AsOf, formats, dir, out, opts...)
}

// writeReport builds a report of kind k for period p as of asOf and writes it in
// each format into dir, then rewrites the folder's index.html; it says what it
// wrote on out and returns the paths. The report command and the scheduler's
// report jobs both call it.
func writeReport(ctx context.Context, g *globalOptions, c *config, k reports.Kind, p period.Period, asOf time.Time,
	formats []string, dir string, out io.Writer, opts ...reports.Option) ([]string, error) {
	var browser string
	if slices.Contains(formats, "pdf") { // before any work: no browser, no report
		var err error
		if browser, err = pdf.Browser(); err != nil {
			return nil, err
		}
	}
	db, err := g.openFigures(ctx, c)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	// Progress on a terminal: the report's calls on its figures, out of its steps.
	pr := newProgress(out, "report "+k.Name, int64(k.Steps(p)))
	pr.unit = "steps"
	var n int64
	// A full detail waits on disk beside DuckDB's spills (the config's temp folder).
	src := reports.Counted(metrics.New(db, c.Indicators, g.logger()).WithTempDir(c.Dirs.Temp), func() { n++; pr.update(n) })
	r, err := k.Build(ctx, src, c.Indicators, c.Scoring, p, asOf, append([]reports.Option{reports.WithHeader(c.Bulletin)}, opts...)...)
	pr.done()
	if err != nil {
		return nil, err
	}
	if cl, ok := r.(io.Closer); ok {
		defer cl.Close()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := etl.RemoveStale(dir, reportTempPrefix); err != nil { // left by a killed report
		return nil, err
	}
	title := k.TitleOf(p)
	// Each format goes to a temporary file first; then the report takes its name:
	// a report issued before under that name and different now is kept, and the
	// new one is its next version (_v2, _v3 …).
	temps := map[string]string{}
	defer func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}()
	// The workbook and the page are drawn from the same model at the same time
	// (each lays the report out on its own): about a third of a report's time.
	var drawn errgroup.Group
	var mu sync.Mutex
	for _, f := range formats {
		switch f {
		case "xlsx", "html":
			write := r.WriteXLSX
			if f == "html" {
				write = r.WriteHTML
			}
			drawn.Go(func() error {
				tmp, err := writeTemp(dir, func(w io.Writer) error { return write(w, title) })
				mu.Lock()
				defer mu.Unlock()
				if tmp != "" {
					temps[f] = tmp
				}
				return err
			})
		}
	}
	if err := drawn.Wait(); err != nil {
		return nil, err
	}
	if slices.Contains(formats, "pdf") { // the page, printed
		page := temps["html"]
		if page == "" {
			if page, err = writeTemp(dir, func(w io.Writer) error { return r.WriteHTML(w, title) }); err != nil {
				return nil, err
			}
			defer os.Remove(page)
		}
		tmp, err := writeTemp(dir, func(io.Writer) error { return nil })
		if err != nil {
			return nil, err
		}
		temps["pdf"] = tmp
		// Chromium opens a page by its name: give the temporary page one ending in .html.
		named := page + ".html"
		if err := os.Link(page, named); err != nil {
			return nil, err
		}
		defer os.Remove(named)
		if err := pdf.Print(ctx, browser, named, tmp, title+" · 统计时点 "+asOf.Format("2006-01-02 15:04")); err != nil {
			return nil, err
		}
	}
	base := p.String() + "_" + k.Suffix
	version, same, err := reportVersion(dir, base, temps)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range formats {
		path := filepath.Join(dir, reports.VersionName(base, version)+"."+f)
		paths = append(paths, path)
		if same { // issued already, as it is: left untouched
			fmt.Fprintf(out, "unchanged %s\n", path)
			continue
		}
		if err := os.Rename(temps[f], path); err != nil {
			return paths, err
		}
		delete(temps, f)
		fmt.Fprintf(out, "wrote %s\n", path)
	}
	name := reports.VersionName(base, version)
	m := &deliver.Manifest{Kind: k.Name, Period: p.String(), Version: version, Title: title, AsOf: asOf, Dir: dir}
	if s, ok := r.(interface{ Summary() string }); ok {
		m.Summary = s.Summary()
	}
	for _, path := range paths {
		m.Files = append(m.Files, filepath.Base(path))
	}
	if per := reports.PerUnitOf(opts...); per != "" {
		sc, ok := r.(*reports.Scorecard)
		if !ok {
			return paths, fmt.Errorf("--per: %s has no units", k.Name)
		}
		units, err := writeFeedbacks(ctx, metrics.New(db, c.Indicators, g.logger()), sc, per, formats, filepath.Join(dir, p.String(), "units"), out)
		for _, u := range units {
			for i, f := range u.Files {
				paths = append(paths, f)
				u.Files[i], _ = filepath.Rel(dir, f)
			}
			m.Units = append(m.Units, u)
		}
		if err != nil {
			return paths, err
		}
	}
	// What a delivery of this report needs, beside it (deliver reads it back).
	if _, err := deliver.WriteManifest(m, name); err != nil {
		return paths, fmt.Errorf("delivery manifest: %w", err)
	}
	if err := writeFileAtomic(filepath.Join(dir, "index.html"), func(w io.Writer) error { return reports.WriteIndex(w, dir, c.zone) }); err != nil {
		return paths, fmt.Errorf("index.html: %w", err)
	}
	return paths, nil
}

// writeFeedbacks writes the feedback sheet of every unit, in the formats asked
// but PDF, each in units/<unit>/ under dir; it says how many it wrote.
func writeFeedbacks(ctx context.Context, src reports.Source, sc *reports.Scorecard, by metrics.By, formats []string, dir string, out io.Writer) ([]deliver.UnitFiles, error) {
	sheets, err := reports.Feedbacks(ctx, src, sc, by)
	if err != nil {
		return nil, err
	}
	var units []deliver.UnitFiles
	for _, f := range sheets {
		unitDir := filepath.Join(dir, deliver.SafeName(f.Unit))
		if err := os.MkdirAll(unitDir, 0o755); err != nil {
			return units, err
		}
		units = append(units, deliver.UnitFiles{Unit: f.Unit, By: string(by), Summary: f.Summary()})
		u := &units[len(units)-1]
		title := reports.FeedbackTitle(sc.Period, f.Unit)
		for _, format := range formats {
			write := f.WriteXLSX
			switch format {
			case "html":
				write = f.WriteHTML
			case "pdf":
				continue
			}
			path := filepath.Join(unitDir, sc.Period.String()+"_"+deliver.SafeName(f.Unit)+"_反馈单."+format)
			if err := writeFileAtomic(path, func(w io.Writer) error { return write(w, title) }); err != nil {
				return units, err
			}
			u.Files = append(u.Files, path)
		}
	}
	fmt.Fprintf(out, "wrote %d feedback sheets (反馈单) in %s\n", len(sheets), dir)
	return units, nil
}

// reportTempPrefix begins the name of a report being written, followed by the
// writing process's PID, so that the next run can remove what a killed one left.
const reportTempPrefix = ".fenliu-"

// writeFileAtomic writes through a temporary file in the same folder and renames it
// into place (mode 0644), so a reader never sees half a report.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := writeTemp(filepath.Dir(path), write)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	return os.Rename(tmp, path)
}

// writeTemp writes a new file of mode 0644 under a temporary name in dir and
// returns its path; on error nothing is left.
func writeTemp(dir string, write func(io.Writer) error) (string, error) {
	tmp, err := os.CreateTemp(dir, fmt.Sprintf("%s%d-*", reportTempPrefix, os.Getpid()))
	if err != nil {
		return "", err
	}
	err = write(tmp)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return tmp.Name(), nil
}

// reportVersion is the version a report written now takes, and whether it is the
// latest issued under base as it stands (every format written the same: a re-run
// that changes nothing) — then nothing is written; else the next version; 1 when
// none was issued.
func reportVersion(dir, base string, temps map[string]string) (int, bool, error) {
	latest, err := reports.LatestVersion(dir, base)
	if err != nil || latest == 0 {
		return 1, false, err
	}
	for f, tmp := range temps {
		old, err := os.ReadFile(filepath.Join(dir, reports.VersionName(base, latest)+"."+f))
		if errors.Is(err, os.ErrNotExist) {
			return latest + 1, false, nil
		}
		if err != nil {
			return 0, false, err
		}
		now, err := os.ReadFile(tmp)
		if err != nil {
			return 0, false, err
		}
		if !reports.SameReport(old, now) {
			return latest + 1, false, nil
		}
	}
	return latest, true, nil
}
