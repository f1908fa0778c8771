package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os/user"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/exempt"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
)

// newExemptCommand is `fenliu exempt`: record, revoke and list the decided
// appeals (核减, SPEC §10). Figures apply them as of T; nothing is ever deleted.
func newExemptCommand(g *globalOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "exempt",
		Short: "Record, revoke and list exemptions (核减): decided appeals that take a record out of an indicator's base (SPEC §10)",
	}
	cmd.AddCommand(newExemptAddCommand(g), newExemptImportCommand(g), newExemptRevokeCommand(g), newExemptListCommand(g), newExemptTemplateCommand())
	for _, c := range cmd.Commands() {
		wrapArgs(c)
	}
	return cmd
}

type exemptAddOptions struct {
	order, call, indicators, reason, approvedBy, at string
}

func newExemptAddCommand(g *globalOptions) *cobra.Command {
	var o exemptAddOptions
	cmd := &cobra.Command{
		Use:   "add (--order ID | --call ID) --reason R --approved-by NAME [--indicators LIST] [--at T]",
		Short: "Record an exemption on one order or call",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExemptAdd(cmd.Context(), g, o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.order, "order", "", "the work order's id")
	f.StringVar(&o.call, "call", "", "the call's id")
	f.StringVar(&o.indicators, "indicators", "all", "indicators, ids or Chinese names separated by commas or 、 (default: all of the record's kind)")
	f.StringVar(&o.reason, "reason", "", "why the record is exempted (required)")
	f.StringVar(&o.approvedBy, "approved-by", "", "who approved it (required)")
	f.StringVar(&o.at, "at", "", "when it was approved: figures as of T apply it from then (default: now)")
	cmd.MarkFlagRequired("reason")
	cmd.MarkFlagRequired("approved-by")
	cmd.MarkFlagsMutuallyExclusive("order", "call")
	cmd.MarkFlagsOneRequired("order", "call")
	return cmd
}

// wallNow is the clock as a wall time in the exports' zone, as times are stored.
func wallNow(g *globalOptions, c *config) time.Time {
	return domain.Wall(g.now().In(c.zone).Truncate(time.Second))
}

// whenOrNow reads a --at flag: a time as --as-of takes it, or now (a wall time).
func whenOrNow(now time.Time, flag, s string) (time.Time, error) {
	if s == "" {
		return now, nil
	}
	t, err := period.ParseAsOf(s)
	if err != nil {
		return time.Time{}, usageError{fmt.Errorf("--%s: %w", flag, err)}
	}
	return t, nil
}

// operator names who ran the command, for the audit trail.
func operator() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

func runExemptAdd(ctx context.Context, g *globalOptions, o exemptAddOptions, out io.Writer) error {
	e := exempt.Exemption{Kind: exempt.Order, RecordID: o.order, Reason: o.reason, ApprovedBy: o.approvedBy}
	if o.call != "" {
		e.Kind, e.RecordID = exempt.Call, o.call
	}
	var err error
	if e.Indicators, err = exempt.ParseIndicators(e.Kind, o.indicators); err != nil {
		return usageError{err}
	}
	c, db, err := g.openConfigured(ctx, readWrite)
	if err != nil {
		return err
	}
	defer db.Close()
	now := wallNow(g, c)
	if e.ApprovedAt, err = whenOrNow(now, "at", o.at); err != nil {
		return err
	}
	id, err := exempt.Add(ctx, db, e, now, operator())
	if err != nil {
		return err
	}
	g.resettle(ctx, db, c)
	fmt.Fprintf(out, "核减 #%d：%s %s，指标 %s，自 %s 起生效\n", id, kindName(e.Kind), e.RecordID,
		chineseNames(e.Indicators), e.ApprovedAt.Format("2006-01-02 15:04:05"))
	return nil
}

// resettle counts again the settled figures of the months whose exemptions just
// changed (metrics.Refresh): until then the reports count those months from the
// records, which is exact but slower, so a failure here is a warning, not an
// error — the exemption is recorded.
func (g *globalOptions) resettle(ctx context.Context, db *sql.DB, c *config) {
	if _, err := metrics.Refresh(ctx, db, c.Indicators, g.logger()); err != nil {
		g.logger().Warn("the settled figures were not counted again; the next load will", "err", err)
	}
}

// chineseNames joins the indicators' Chinese names with 、.
func chineseNames(ids []domain.IndicatorID) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = id.Name()
	}
	return strings.Join(names, "、")
}

func kindName(k exempt.Kind) string {
	if k == exempt.Call {
		return "警情"
	}
	return "工单"
}

type exemptRevokeOptions struct {
	by, reason, at string
}

func newExemptRevokeCommand(g *globalOptions) *cobra.Command {
	var o exemptRevokeOptions
	cmd := &cobra.Command{
		Use:   "revoke ID --by NAME --reason R [--at T]",
		Short: "Revoke an exemption: figures as of T at or after the revocation no longer apply it; it stays on record",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usageError{fmt.Errorf("exemption id %q: want the number `exempt list` shows", args[0])}
			}
			c, db, err := g.openConfigured(cmd.Context(), readWrite)
			if err != nil {
				return err
			}
			defer db.Close()
			now := wallNow(g, c)
			at, err := whenOrNow(now, "at", o.at)
			if err != nil {
				return err
			}
			if err := exempt.Revoke(cmd.Context(), db, id, at, o.by, o.reason, now, operator()); err != nil {
				return err
			}
			g.resettle(cmd.Context(), db, c)
			fmt.Fprintf(cmd.OutOrStdout(), "核减 #%d 已于 %s 撤销\n", id, at.Format("2006-01-02 15:04:05"))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.by, "by", "", "who revoked it (required)")
	f.StringVar(&o.reason, "reason", "", "why (required)")
	f.StringVar(&o.at, "at", "", "when the revocation takes effect (default: now)")
	cmd.MarkFlagRequired("by")
	cmd.MarkFlagRequired("reason")
	return cmd
}

type exemptListOptions struct {
	all    bool
	audit  bool
	format string
}

func newExemptListCommand(g *globalOptions) *cobra.Command {
	var o exemptListOptions
	cmd := &cobra.Command{
		Use:   "list [--all] [--audit] [--format table|csv|json]",
		Short: "List the exemptions in force (with --all the revoked ones too; with --audit the audit trail)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExemptList(cmd.Context(), g, o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.all, "all", false, "the revoked exemptions too")
	f.BoolVar(&o.audit, "audit", false, "the audit trail instead: every add, import and revocation")
	f.StringVar(&o.format, "format", "table", "table, csv or json")
	return cmd
}

// exemptionRow is an exemption as list shows it.
type exemptionRow struct {
	ID           int64    `json:"id"`
	Kind         string   `json:"kind"`
	RecordID     string   `json:"record_id"`
	Indicators   []string `json:"indicators"`
	Reason       string   `json:"reason"`
	ApprovedBy   string   `json:"approved_by"`
	ApprovedAt   string   `json:"approved_at"`
	RevokedAt    *string  `json:"revoked_at"`
	RevokedBy    string   `json:"revoked_by,omitempty"`
	RevokeReason string   `json:"revoke_reason,omitempty"`
}

func runExemptList(ctx context.Context, g *globalOptions, o exemptListOptions, out io.Writer) error {
	switch o.format {
	case "table", "csv", "json":
	default:
		return usageError{fmt.Errorf("--format %q: want table, csv or json", o.format)}
	}
	_, db, err := g.openConfigured(ctx, readOnly)
	if err != nil {
		return err
	}
	defer db.Close()
	if o.audit {
		return listAudit(ctx, db, o.format, out)
	}
	list, err := exempt.List(ctx, db, o.all)
	if err != nil {
		return err
	}
	const stamp = "2006-01-02T15:04:05"
	rows := make([]exemptionRow, len(list))
	for i, e := range list {
		r := exemptionRow{ID: e.ID, Kind: string(e.Kind), RecordID: e.RecordID, Reason: e.Reason, ApprovedBy: e.ApprovedBy,
			ApprovedAt: e.ApprovedAt.Format(stamp), RevokedBy: e.RevokedBy, RevokeReason: e.RevokeReason, Indicators: []string{}}
		for _, id := range e.Indicators {
			r.Indicators = append(r.Indicators, string(id))
		}
		if e.RevokedAt != nil {
			s := e.RevokedAt.Format(stamp)
			r.RevokedAt = &s
		}
		rows[i] = r
	}
	switch o.format {
	case "json":
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	case "csv":
		recs := [][]string{{"id", "kind", "record_id", "indicators", "reason", "approved_by", "approved_at", "revoked_at", "revoked_by", "revoke_reason"}}
		for _, r := range rows {
			rev := ""
			if r.RevokedAt != nil {
				rev = *r.RevokedAt
			}
			recs = append(recs, []string{fmt.Sprint(r.ID), r.Kind, r.RecordID, strings.Join(r.Indicators, ","), r.Reason, r.ApprovedBy, r.ApprovedAt, rev, r.RevokedBy, r.RevokeReason})
		}
		return writeCSV(out, recs)
	}
	t := newTable(out)
	t.row("编号", "类型", "记录", "指标", "理由", "审批人", "生效时间", "撤销")
	for i, r := range rows {
		rev := ""
		if r.RevokedAt != nil {
			rev = list[i].RevokedAt.Format("2006-01-02 15:04") + " " + r.RevokedBy + "：" + r.RevokeReason
		}
		t.row(fmt.Sprint(r.ID), kindName(exempt.Kind(r.Kind)), r.RecordID, chineseNames(list[i].Indicators),
			r.Reason, r.ApprovedBy, list[i].ApprovedAt.Format("2006-01-02 15:04"), rev)
	}
	t.flush()
	if o.all { // SPEC §10: list --all shows the audit trail
		fmt.Fprintln(out, "\n审计记录：")
		return listAudit(ctx, db, "table", out)
	}
	return nil
}

// listAudit writes the audit trail, oldest first.
func listAudit(ctx context.Context, db *sql.DB, format string, out io.Writer) error {
	trail, err := exempt.Audit(ctx, db)
	if err != nil {
		return err
	}
	recs := [][]string{{"logged_at", "action", "exemption_id", "who", "file", "line", "detail"}}
	for _, a := range trail {
		line := ""
		if a.Line > 0 {
			line = fmt.Sprint(a.Line)
		}
		recs = append(recs, []string{a.At.Format("2006-01-02T15:04:05"), a.Action, fmt.Sprint(a.ExemptionID), a.Who, a.File, line, a.Detail})
	}
	switch format {
	case "json":
		type entry struct {
			LoggedAt    string `json:"logged_at"`
			Action      string `json:"action"`
			ExemptionID int64  `json:"exemption_id"`
			Who         string `json:"who"`
			File        string `json:"file,omitempty"`
			Line        int    `json:"line,omitempty"`
			Detail      string `json:"detail"`
		}
		es := make([]entry, len(trail))
		for i, a := range trail {
			es[i] = entry{recs[i+1][0], a.Action, a.ExemptionID, a.Who, a.File, a.Line, a.Detail}
		}
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(es)
	case "csv":
		return writeCSV(out, recs)
	}
	t := newTable(out)
	t.row("时间", "操作", "核减编号", "操作人", "文件", "行", "内容")
	for _, r := range recs[1:] {
		t.row(r...)
	}
	t.flush()
	return nil
}

func newExemptImportCommand(g *globalOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import FILE [--json]",
		Short: "Record the exemptions of an appeal ledger (CSV UTF-8/GBK or XLSX: 工单编号/警情编号, 核减指标, 核减理由, 审批人, 审批时间, 撤销时间, 撤销人, 撤销理由)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, db, err := g.openConfigured(cmd.Context(), readWrite)
			if err != nil {
				return err
			}
			defer db.Close()
			res, err := exempt.Import(cmd.Context(), db, args[0], c.zone, wallNow(g, c), operator())
			if err != nil {
				return err
			}
			g.resettle(cmd.Context(), db, c) // a ledger may revoke as well as add; nothing changed costs a look
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(res)
			}
			fmt.Fprintf(out, "%s：读入 %d 行 = 新增 %d + 未变 %d + 拒收 %d\n", res.File, res.Read, res.Added, res.Unchanged, res.Rejected)
			if len(res.Rejects) > 0 {
				t := newTable(out)
				t.row("行", "字段", "值", "原因")
				for _, r := range res.Rejects {
					t.row(fmt.Sprint(r.Line), r.FieldZh, r.Value, r.ReasonZh)
				}
				t.flush()
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "write the accounting as one JSON object")
	return cmd
}

func newExemptTemplateCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "template -o 核减台账.xlsx",
		Short: "Write an empty appeal ledger for exempt import: the headers, a drop-down of indicator names, and a sheet explaining each column with an example",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := writeFileAtomic(out, exempt.WriteTemplate); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "核减台账.xlsx", "the workbook to write")
	return cmd
}
