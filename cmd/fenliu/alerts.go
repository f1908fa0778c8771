package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/alerts"
	"github.com/fenliu/fenliu/deliver"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/queries"
)

type alertsOptions struct {
	asOf string
	send bool
}

func newAlertsCommand(g *globalOptions) *cobra.Command {
	var o alertsOptions
	cmd := &cobra.Command{
		Use:   "alerts [--as-of T] [--send]",
		Short: "Show the warnings (预警) at T: units below the floor this month, orders due soon, spikes this week",
		Long: "Find the warnings of the config's alerts section at T: units whose month-to-date weighted indicator is below\n" +
			"the floor (with at least scoring.min_orders), orders open whose closure falls due within alerts.due_within,\n" +
			"and the spikes of SPEC §5 in the week so far. Each is marked new or sent before. --send delivers the new\n" +
			"ones to the recipients (the committee all, a unit its own) and records them: a warning is not sent twice\n" +
			"for the same state. The schedule's alerts job does the same.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAlerts(cmd.Context(), g, o, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&o.asOf, "as-of", "", "as-of time T: 2024-06-20 or 2024-06-20 08:30[:00] (default: now)")
	cmd.Flags().BoolVar(&o.send, "send", false, "deliver the new warnings and record them")
	return cmd
}

func runAlerts(ctx context.Context, g *globalOptions, o alertsOptions, out io.Writer) error {
	c, err := loadConfig(g.config)
	if err != nil {
		return err
	}
	t := wallNow(g, c)
	if o.asOf != "" {
		if t, err = period.ParseAsOf(o.asOf); err != nil {
			return usageError{err}
		}
	}
	if o.send && len(c.Delivery.Recipients) == 0 {
		return fmt.Errorf("--send: no recipients: add them under delivery.recipients in %s (see docs/operations.md)", configName(c))
	}
	found, sent, err := findAlerts(ctx, g, c, t)
	if err != nil {
		return err
	}
	fresh := newAlerts(found, sent)
	title := alerts.Title(c.Bulletin.Jurisdiction, t)
	fmt.Fprintf(out, "%s: %d warnings, %d new\n", title, len(found), len(fresh))
	isNew := map[string]bool{}
	for _, a := range fresh {
		isNew[a.Key] = true
	}
	for _, a := range found {
		mark := "sent before"
		if isNew[a.Key] {
			mark = "new"
		}
		fmt.Fprintf(out, "  [%s] %s\n", mark, a.Text)
	}
	if !o.send {
		return nil
	}
	t2, err := sendAlerts(ctx, g, c, t, found, fresh, out)
	if err != nil {
		return err
	}
	if t2.failed > 0 {
		return fmt.Errorf("%d of %d deliveries failed: recorded, and tried again on the scheduler's next run", t2.failed, t2.sent+t2.failed)
	}
	return nil
}

// findAlerts computes the warnings at t and reads which were sent in which state.
func findAlerts(ctx context.Context, g *globalOptions, c *config, t time.Time) ([]alerts.Alert, map[string]string, error) {
	db, err := g.openFigures(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	found, err := alerts.Find(ctx, metrics.New(db, c.Indicators, g.logger()), c.Alerts, c.Scoring, t)
	if err != nil {
		return nil, nil, err
	}
	rows, err := db.QueryContext(ctx, queries.AlertsSent.SQL)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	sent := map[string]string{}
	for rows.Next() {
		var key, state string
		if err := rows.Scan(&key, &state); err != nil {
			return nil, nil, err
		}
		sent[key] = state
	}
	return found, sent, rows.Err()
}

// newAlerts are the warnings not sent before in their present state.
func newAlerts(found []alerts.Alert, sent map[string]string) []alerts.Alert {
	var out []alerts.Alert
	for _, a := range found {
		if sent[a.Key] != a.State {
			out = append(out, a)
		}
	}
	return out
}

// sendAlerts writes the new warnings as a message for the committee and one per
// unit concerned, delivers them like a report, and records what was sent; a
// warning no longer found is forgotten, so that it is sent again if it returns.
func sendAlerts(ctx context.Context, g *globalOptions, c *config, t time.Time, found, fresh []alerts.Alert, out io.Writer) (deliveryTally, error) {
	var tally deliveryTally
	if len(fresh) > 0 {
		stamp := t.Format("2006-01-02_1504")
		dir := filepath.Join(c.path(c.Dirs.Reports), "alerts", stamp)
		title := alerts.Title(c.Bulletin.Jurisdiction, t)
		m := &deliver.Manifest{Kind: "alerts", Period: stamp, Version: 1, Title: title, Summary: alerts.Text(title, fresh), AsOf: t, Dir: dir}
		write := func(rel, text string) error {
			path := filepath.Join(dir, rel)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			return writeFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, text); return err })
		}
		name := "预警_" + stamp + ".txt"
		if err := write(name, m.Summary); err != nil {
			return tally, err
		}
		m.Files = []string{name}
		// One message per unit concerned, with its warnings only.
		units := map[[2]string][]alerts.Alert{}
		for _, a := range fresh {
			if a.Department != "" {
				units[[2]string{deliver.Department, a.Department}] = append(units[[2]string{deliver.Department, a.Department}], a)
			}
			if a.Town != "" {
				units[[2]string{deliver.Town, a.Town}] = append(units[[2]string{deliver.Town, a.Town}], a)
			}
		}
		keys := make([][2]string, 0, len(units))
		for k := range units {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
		for _, k := range keys {
			text := alerts.Text(title+" · "+k[1], units[k])
			rel := filepath.Join("units", deliver.SafeName(k[1]), "预警_"+stamp+"_"+deliver.SafeName(k[1])+".txt")
			if err := write(rel, text); err != nil {
				return tally, err
			}
			m.Units = append(m.Units, deliver.UnitFiles{Unit: k[1], By: k[0], Summary: text, Files: []string{rel}})
		}
		manifest, err := deliver.WriteManifest(m, "预警")
		if err != nil {
			return tally, err
		}
		if tally, err = deliverReport(ctx, g, c, manifest, false, out); err != nil {
			return tally, err
		}
	}
	_, db, err := g.openConfigured(ctx, create)
	if err != nil {
		return tally, err
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return tally, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, queries.AlertsForget.SQL); err != nil {
		return tally, err
	}
	for _, a := range found {
		if _, err := tx.ExecContext(ctx, queries.AlertsRecord.SQL, a.Key, a.State, t); err != nil {
			return tally, err
		}
	}
	return tally, tx.Commit()
}
