package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/deliver"
	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/queries"
	"github.com/fenliu/fenliu/reports"
)

type deliverOptions struct {
	period string
	again  bool
}

func newDeliverCommand(g *globalOptions) *cobra.Command {
	var o deliverOptions
	cmd := &cobra.Command{
		Use:   "deliver monthly|annual|trend|weekly --period P [--again]",
		Short: "Deliver a written report to its recipients (outbox folders, mail, group robots)",
		Long: "Deliver the latest version of a written report to the recipients of the config's delivery section, each\n" +
			"getting its scope's files. What was delivered already is not sent again (--again sends it all again).\n" +
			"Every delivery is recorded; one that fails is tried again by the scheduler's next run.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDeliver(cmd.Context(), g, args[0], o, cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&o.period, "period", "", "the report's period, as written (2024-05, 2024, 2024-W20)")
	cmd.Flags().BoolVar(&o.again, "again", false, "send to every recipient again, also where it was delivered already")
	cmd.MarkFlagRequired("period")
	return cmd
}

func runDeliver(ctx context.Context, g *globalOptions, kind string, o deliverOptions, out io.Writer) error {
	c, err := loadConfig(g.config)
	if err != nil {
		return err
	}
	k, err := reports.KindNamed(kind)
	if err != nil {
		return usageError{err}
	}
	p, err := period.Parse(o.period)
	if err != nil {
		return usageError{fmt.Errorf("--period: %w", err)}
	}
	if len(c.Delivery.Recipients) == 0 {
		return fmt.Errorf("no recipients: add them under delivery.recipients in %s (see docs/operations.md)", configName(c))
	}
	manifest, err := manifestOf(c, k, p)
	if err != nil {
		return err
	}
	sum, err := deliverReport(ctx, g, c, manifest, o.again, out)
	if err != nil {
		return err
	}
	if sum.failed > 0 {
		return fmt.Errorf("%d of %d deliveries failed: recorded, and tried again on the scheduler's next run (fenliu jobs)", sum.failed, sum.sent+sum.failed)
	}
	return nil
}

func configName(c *config) string {
	if c.file == "" {
		return "the config"
	}
	return c.file
}

// manifestOf is the delivery manifest of the latest version of a written report.
func manifestOf(c *config, k reports.Kind, p period.Period) (string, error) {
	dir := c.path(c.Dirs.Reports)
	base := p.String() + "_" + k.Suffix
	latest, err := reports.LatestVersion(dir, base)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	path := deliver.ManifestPath(dir, reports.VersionName(base, max(latest, 1)))
	if _, err := os.Stat(path); latest == 0 || err != nil {
		return "", fmt.Errorf("no %s report for %s in %s: write it first (fenliu report %s --period %s)", k.Name, p, dir, k.Name, p)
	}
	return path, nil
}

// deliveryTally counts a run's deliveries.
type deliveryTally struct{ sent, failed int }

func (t deliveryTally) String() string {
	if t.failed == 0 {
		return fmt.Sprintf("%d delivered", t.sent)
	}
	return fmt.Sprintf("%d delivered, %d failed (tried again on the next run)", t.sent, t.failed)
}

// deliverReport delivers the report of a manifest to every recipient in its
// scope, but where it was delivered already (unless again), records each
// delivery and prints a line for each. The database is held only to read and
// to record, not while mail and robots are waited for.
func deliverReport(ctx context.Context, g *globalOptions, c *config, manifest string, again bool, out io.Writer) (deliveryTally, error) {
	m, err := deliver.ReadManifest(manifest)
	if err != nil {
		return deliveryTally{}, err
	}
	last, err := lastDeliveries(ctx, g, m.Key())
	if err != nil {
		return deliveryTally{}, err
	}
	sent := map[string]bool{}
	for _, d := range last {
		sent[d.recipient+"\x00"+d.channel] = d.status == "sent"
	}
	plan := deliver.Plan(c.Delivery, c.dir, m, func(recipient, channel string) bool {
		return again || !sent[recipient+"\x00"+channel]
	})
	if len(plan) == 0 {
		fmt.Fprintf(out, "%s: nothing to deliver (every recipient in scope has it; --again sends it again)\n", m.Title)
		return deliveryTally{}, nil
	}
	return sendAndRecord(ctx, g, c, manifest, plan, out)
}

// retryDeliveries tries again every delivery whose last try failed.
func retryDeliveries(ctx context.Context, g *globalOptions, c *config, out io.Writer) (deliveryTally, error) {
	last, err := lastDeliveries(ctx, g, "")
	if err != nil {
		return deliveryTally{}, err
	}
	failed := map[string]map[string]bool{} // manifest → recipient/channel
	for _, d := range last {
		if d.status == "failed" {
			if failed[d.manifest] == nil {
				failed[d.manifest] = map[string]bool{}
			}
			failed[d.manifest][d.recipient+"\x00"+d.channel] = true
		}
	}
	var total deliveryTally
	for manifest, which := range failed {
		m, err := deliver.ReadManifest(manifest)
		if err != nil { // the report was removed: nothing left to deliver
			fmt.Fprintf(out, "retry: %v\n", err)
			continue
		}
		plan := deliver.Plan(c.Delivery, c.dir, m, func(recipient, channel string) bool { return which[recipient+"\x00"+channel] })
		t, err := sendAndRecord(ctx, g, c, manifest, plan, out)
		total.sent, total.failed = total.sent+t.sent, total.failed+t.failed
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// lastDelivery is a recipient and channel's last delivery of a report.
type lastDelivery struct {
	report, manifest, recipient, channel, status, message string
	attempts                                              int
	at                                                    sql.NullTime
}

// lastDeliveries opens the database for the last delivery of each recipient
// and channel, of one report ("": of every report).
func lastDeliveries(ctx context.Context, g *globalOptions, report string) ([]lastDelivery, error) {
	_, db, err := g.openConfigured(ctx, create)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return readDeliveries(ctx, db, report)
}

// readDeliveries reads the last delivery of each recipient and channel.
func readDeliveries(ctx context.Context, db *sql.DB, report string) ([]lastDelivery, error) {
	rows, err := db.QueryContext(ctx, queries.DeliveryLast.SQL, report)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lastDelivery
	for rows.Next() {
		var d lastDelivery
		if err := rows.Scan(&d.report, &d.manifest, &d.recipient, &d.channel, &d.status, &d.attempts, &d.message, &d.at); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// sendAndRecord sends the deliveries, then records them all and prints a line each.
func sendAndRecord(ctx context.Context, g *globalOptions, c *config, manifest string, plan []deliver.Delivery, out io.Writer) (deliveryTally, error) {
	log := g.logger().With("component", "deliver")
	results := deliver.Send(ctx, plan, deliver.Options{Config: c.Delivery, BaseDir: c.dir, Now: g.now})
	_, db, err := g.openConfigured(ctx, create)
	if err != nil {
		return deliveryTally{}, err
	}
	defer db.Close()
	var t deliveryTally
	for _, r := range results {
		status, message := "sent", "to "+strings.Join(r.To, ", ")
		if r.Err != nil {
			status, message = "failed", r.Err.Error()
			t.failed++
			log.Error("delivery failed", "report", r.Report, "recipient", r.Recipient, "channel", r.Channel, "attempts", r.Attempts, "err", r.Err)
		} else {
			t.sent++
			log.Info("delivered", "report", r.Report, "recipient", r.Recipient, "channel", r.Channel, "files", len(r.Files))
		}
		at := domain.Wall(r.At.In(c.zone))
		if _, err := db.ExecContext(ctx, queries.DeliveryRecord.SQL, r.Report, manifest, r.Recipient, r.Channel, status, r.Attempts, message, at); err != nil {
			return t, err
		}
		fmt.Fprintf(out, "%s → %s by %s: %s (%d files, %d tries): %s\n", r.Report, r.Recipient, r.Channel, status, len(r.Files), r.Attempts, message)
	}
	return t, nil
}
