package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
)

type metricsOptions struct {
	period  string
	asOf    string
	by      string
	format  string
	compare bool
}

func newMetricsCommand(g *globalOptions) *cobra.Command {
	var o metricsOptions
	cmd := &cobra.Command{
		Use:   "metrics --period P [--as-of T] [--by G] [--format table|csv|json] [--compare]",
		Short: "Compute every indicator of SPEC §3 for a period, as of a time, by a grouping",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMetrics(cmd.Context(), g, o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.period, "period", "", "2024, 2024-Q2, 2024-05, 2024-W20 or 2024-05-01 (required)")
	f.StringVar(&o.asOf, "as-of", "", "as-of time T: 2024-06-20 or 2024-06-20 08:30[:00] (default: now)")
	f.StringVar(&o.by, "by", "total", "grouping: total, department, kind, town, county, police_station, category, nature, link_category, source")
	f.StringVar(&o.format, "format", "table", "table, csv or json")
	f.BoolVar(&o.compare, "compare", false, "add 环比 (previous period) and 同比 (a year earlier), at the same as-of time")
	cmd.MarkFlagRequired("period")
	return cmd
}

// metricsQuery checks the common flags of metrics and score.
func metricsQuery(g *globalOptions, c *config, p, asOf, by string) (metrics.Query, error) {
	per, err := period.Parse(p)
	if err != nil {
		return metrics.Query{}, usageError{err}
	}
	b, err := metrics.ParseBy(by)
	if err != nil {
		return metrics.Query{}, usageError{err}
	}
	var t time.Time
	if asOf == "" {
		now := g.now().In(c.zone)
		t = time.Date(now.Year(), now.Month(), now.Day(), now.Hour(), now.Minute(), now.Second(), 0, time.UTC)
	} else if t, err = period.ParseAsOf(asOf); err != nil {
		return metrics.Query{}, usageError{err}
	}
	return metrics.Query{Period: per, AsOf: t, By: b}, nil
}

func runMetrics(ctx context.Context, g *globalOptions, o metricsOptions, out io.Writer) error {
	c, q, db, err := g.openQuery(ctx, o.format, o.period, o.asOf, o.by)
	if err != nil {
		return err
	}
	defer db.Close()
	cmp := &metrics.Comparison{}
	if o.compare {
		if cmp, err = metrics.Compare(ctx, db, c.Indicators, q); err != nil {
			return err
		}
	} else if cmp.Current, err = metrics.Compute(ctx, db, c.Indicators, q); err != nil {
		return err
	}
	switch o.format {
	case "json":
		return writeMetricsJSON(out, cmp)
	case "csv":
		return writeMetricsCSV(out, cmp)
	}
	return writeMetricsTable(out, cmp)
}

// rate4 is num/den rounded half up to 4 places (SPEC §8), or nil.
func rate4(r metrics.Ratio) *float64 {
	rat := r.Rat()
	if rat == nil {
		return nil
	}
	v := metrics.RoundHalfUp(rat, 4)
	return &v
}

type jsonRatio struct {
	Num     float64  `json:"num"`
	Den     int64    `json:"den"`
	Rate    *float64 `json:"rate"`
	Pending int64    `json:"pending"`
}

type jsonChange struct {
	Indicators map[string]*float64 `json:"indicators"` // percentage points
	Counts     map[string]*float64 `json:"counts"`     // percent
}

type jsonGroup struct {
	Key        string               `json:"key"`
	Kind       string               `json:"kind,omitempty"`
	Indicators map[string]jsonRatio `json:"indicators"`
	Counts     metrics.Counts       `json:"counts"`
	Durations  metrics.Durations    `json:"durations"`
	MoM        *jsonChange          `json:"mom,omitempty"`
	YoY        *jsonChange          `json:"yoy,omitempty"`
	Score      *jsonScore           `json:"score,omitempty"`
}

type jsonScore struct {
	Total  *float64            `json:"total"`
	Parts  map[string]*float64 `json:"parts"`
	Ranked bool                `json:"ranked"`
	Rank   *int                `json:"rank"`
}

type jsonPeriod struct {
	Kind  string `json:"kind"`
	Start string `json:"start"`
	End   string `json:"end"`
}

const isoLocal = "2006-01-02T15:04:05"

func jsonPeriodOf(p period.Period) jsonPeriod {
	return jsonPeriod{Kind: string(p.Kind), Start: p.Start.Format(isoLocal), End: p.End.Format(isoLocal)}
}

func writeMetricsJSON(w io.Writer, cmp *metrics.Comparison) error { return writeJSON(w, cmp, nil) }

// writeJSON prints the SPEC §7 metrics shape; with scores, each group also gets its
// kind and score (the score --format json shape).
func writeJSON(w io.Writer, cmp *metrics.Comparison, scores map[string]score.Score) error {
	r := cmp.Current
	doc := struct {
		Period  jsonPeriod  `json:"period"`
		AsOf    string      `json:"as_of"`
		By      string      `json:"by"`
		Prev    *jsonPeriod `json:"mom_period,omitempty"`
		YearAgo *jsonPeriod `json:"yoy_period,omitempty"`
		Groups  []jsonGroup `json:"groups"`
	}{Period: jsonPeriodOf(r.Period), AsOf: r.AsOf.Format(isoLocal), By: string(r.By), Groups: []jsonGroup{}}
	if cmp.Prev != nil {
		p, y := jsonPeriodOf(cmp.Prev.Period), jsonPeriodOf(cmp.YearAgo.Period)
		doc.Prev, doc.YearAgo = &p, &y
	}
	for _, g := range r.Groups {
		jg := jsonGroup{Key: g.Key, Kind: g.Kind, Indicators: map[string]jsonRatio{}, Counts: g.Counts, Durations: g.Durations}
		for _, in := range metrics.Indicators {
			x := g.Indicators[in.ID]
			jg.Indicators[in.ID] = jsonRatio{Num: x.Num, Den: x.Den, Rate: rate4(x), Pending: x.Pending}
		}
		if cmp.Prev != nil {
			jg.MoM, jg.YoY = change(g, cmp.Prev.Group(g.Key)), change(g, cmp.YearAgo.Group(g.Key))
		}
		if sc, ok := scores[g.Key]; ok {
			jg.Kind = sc.Kind
			jg.Score = &jsonScore{Total: sc.Total, Parts: sc.Parts, Ranked: sc.Ranked, Rank: sc.Rank}
		}
		doc.Groups = append(doc.Groups, jg)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func countsOf(c metrics.Counts) []int64 {
	return []int64{c.Calls, c.ValidCalls, c.NonpoliceCalls, c.DivertedCalls, c.Orders, c.EffectiveOrders, c.ReturnedOrders, c.OverdueOrders}
}

var countNames = []string{"calls", "valid_calls", "nonpolice_calls", "diverted_calls", "orders", "effective_orders", "returned_orders", "overdue_orders"}
var countLabels = []string{"警情数", "有效警情", "非警务警情", "已分流警情", "工单数", "有效工单", "退回工单", "超期工单"}

// change compares a group with the same group of an earlier result (absent: all nil).
func change(g metrics.Group, prev *metrics.Group) *jsonChange {
	c := &jsonChange{Indicators: map[string]*float64{}, Counts: map[string]*float64{}}
	if prev == nil {
		prev = &metrics.Group{}
	}
	for _, in := range metrics.Indicators {
		c.Indicators[in.ID] = metrics.PointsChange(g.Indicators[in.ID], prev.Indicators[in.ID])
	}
	cur, old := countsOf(g.Counts), countsOf(prev.Counts)
	for i, n := range countNames {
		c.Counts[n] = metrics.PercentChange(cur[i], old[i])
	}
	return c
}

func formatNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func writeMetricsCSV(w io.Writer, cmp *metrics.Comparison) error {
	cw := newCSV(w)
	header := []string{"key", "kind"}
	for _, in := range metrics.Indicators {
		header = append(header, in.ID+"_num", in.ID+"_den", in.ID+"_pending", in.ID+"_rate")
		if cmp.Prev != nil {
			header = append(header, in.ID+"_mom_pp", in.ID+"_yoy_pp")
		}
	}
	header = append(header, countNames...)
	cw.write(header...)
	opt := func(p *float64, digits int) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', digits, 64)
	}
	for _, g := range cmp.Current.Groups {
		row := []string{g.Key, g.Kind}
		for _, in := range metrics.Indicators {
			x := g.Indicators[in.ID]
			row = append(row, formatNum(x.Num), fmt.Sprint(x.Den), fmt.Sprint(x.Pending), opt(rate4(x), 4))
			if cmp.Prev != nil {
				row = append(row, opt(change(g, cmp.Prev.Group(g.Key)).Indicators[in.ID], 2),
					opt(change(g, cmp.YearAgo.Group(g.Key)).Indicators[in.ID], 2))
			}
		}
		for _, n := range countsOf(g.Counts) {
			row = append(row, fmt.Sprint(n))
		}
		cw.write(row...)
	}
	return cw.close()
}

// percent formats a rate with one decimal, or — when undefined.
func percent(p *float64) string {
	if p == nil {
		return "—"
	}
	return strconv.FormatFloat(*p*100, 'f', 1, 64) + "%"
}

func points(p *float64) string {
	if p == nil {
		return "—"
	}
	v := math.Round(*p*10) / 10
	if v == 0 {
		v = 0 // no "-0.0"
	}
	return fmt.Sprintf("%+.1f", v)
}

func writeMetricsTable(w io.Writer, cmp *metrics.Comparison) error {
	r := cmp.Current
	fmt.Fprintf(w, "%s（%s 至 %s），统计时点 %s，分组：%s\n", r.Period.Label(), r.Period.Start.Format("2006-01-02"),
		r.Period.End.AddDate(0, 0, -1).Format("2006-01-02"), r.AsOf.Format("2006-01-02 15:04:05"), r.By)
	header := []string{"分组"}
	for _, in := range metrics.Indicators {
		header = append(header, in.Name)
	}
	header = append(header, countLabels...)
	rows := [][]string{header}
	for _, g := range r.Groups {
		row := []string{g.Key}
		for _, in := range metrics.Indicators {
			x := g.Indicators[in.ID]
			cell := percent(x.Rate()) + " " + formatNum(x.Num) + "/" + fmt.Sprint(x.Den)
			if x.Pending > 0 {
				cell += " 待" + fmt.Sprint(x.Pending)
			}
			row = append(row, cell)
		}
		for _, n := range countsOf(g.Counts) {
			row = append(row, fmt.Sprint(n))
		}
		rows = append(rows, row)
	}
	printAligned(w, rows)
	if cmp.Prev == nil {
		return nil
	}
	for _, part := range []struct {
		title string
		prev  *metrics.Result
	}{{"环比（百分点，对比 " + cmp.Prev.Period.Label() + "）", cmp.Prev}, {"同比（百分点，对比 " + cmp.YearAgo.Period.Label() + "）", cmp.YearAgo}} {
		fmt.Fprintf(w, "\n%s\n", part.title)
		rows := [][]string{header[:len(metrics.Indicators)+1]}
		for _, g := range r.Groups {
			ch := change(g, part.prev.Group(g.Key))
			row := []string{g.Key}
			for _, in := range metrics.Indicators {
				row = append(row, points(ch.Indicators[in.ID]))
			}
			rows = append(rows, row)
		}
		printAligned(w, rows)
	}
	return nil
}

// printAligned prints rows in columns aligned for CJK text: the first column left,
// the others right.
func printAligned(w io.Writer, rows [][]string) {
	t := newTable(w)
	t.right = true
	for _, r := range rows {
		t.row(r...)
	}
	t.flush()
}
