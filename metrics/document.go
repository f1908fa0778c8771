package metrics

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics/period"
)

// The machine-readable shapes of SPEC §7: what `metrics --format json|csv` print and
// other tools read. `score` adds a kind and a score to each group (package score
// fills Group.Kind and Group.Score).

// Document is the JSON of one computation, with its comparisons when there are.
type Document struct {
	Period  PeriodDoc  `json:"period"`
	AsOf    string     `json:"as_of"`
	By      string     `json:"by"`
	Prev    *PeriodDoc `json:"mom_period,omitempty"`
	YearAgo *PeriodDoc `json:"yoy_period,omitempty"`
	// The as-of times of the earlier periods (same maturity, or T when settled)
	// and why one is not comparable ("" when it is).
	PrevAsOf    string      `json:"mom_as_of,omitempty"`
	YearAgoAsOf string      `json:"yoy_as_of,omitempty"`
	PrevNote    string      `json:"mom_not_comparable,omitempty"`
	YearAgoNote string      `json:"yoy_not_comparable,omitempty"`
	Groups      []GroupDoc  `json:"groups"`
	cmp         *Comparison // for the CSV's changes
}

// PeriodDoc is a period as JSON: its kind and [start, end) in local time.
type PeriodDoc struct {
	Kind  string `json:"kind"`
	Start string `json:"start"`
	End   string `json:"end"`
}

// GroupDoc is one group: every indicator, the counts and durations, the changes
// when compared, and (score) the peer group and the score.
type GroupDoc struct {
	Key        string                          `json:"key"`
	Kind       domain.DeptKind                 `json:"kind,omitempty"`
	Indicators map[domain.IndicatorID]RatioDoc `json:"indicators"`
	Counts     Counts                          `json:"counts"`
	Durations  Durations                       `json:"durations"`
	MoM        *ChangeDoc                      `json:"mom,omitempty"`
	YoY        *ChangeDoc                      `json:"yoy,omitempty"`
	Score      *ScoreDoc                       `json:"score,omitempty"`
}

// RatioDoc is one indicator: num, den, the rate rounded half up to 4 places (null
// when den is 0) and pending.
type RatioDoc struct {
	Num     float64  `json:"num"`
	Den     int64    `json:"den"`
	Rate    *float64 `json:"rate"`
	Pending int64    `json:"pending"`
	Exempt  int64    `json:"exempt"`
}

// ChangeDoc is a group's change against an earlier period: rates in percentage
// points, counts in percent; null where either side is undefined.
type ChangeDoc struct {
	Indicators map[domain.IndicatorID]*float64 `json:"indicators"`
	Counts     map[string]*float64             `json:"counts"`
}

// ScoreDoc is a group's score (SPEC §7 score --format json).
type ScoreDoc struct {
	Total  *float64                        `json:"total"`
	Parts  map[domain.IndicatorID]*float64 `json:"parts"`
	Ranked bool                            `json:"ranked"`
	Rank   *int                            `json:"rank"`
}

const isoLocal = "2006-01-02T15:04:05"

func periodDoc(p period.Period) PeriodDoc {
	return PeriodDoc{Kind: string(p.Kind), Start: p.Start.Format(isoLocal), End: p.End.Format(isoLocal)}
}

// Rate4 is num/den rounded half up to 4 places (SPEC §8), or nil.
func Rate4(r Ratio) *float64 {
	rat := r.Rat()
	if rat == nil {
		return nil
	}
	v := RoundHalfUp(rat, 4)
	return &v
}

// CountNames are the JSON and CSV names of the counts of SPEC §7, in order.
var CountNames = []string{"calls", "valid_calls", "nonpolice_calls", "diverted_calls", "orders", "effective_orders", "returned_orders", "overdue_orders"}

// CountLabels are the counts' Chinese names, in CountNames' order.
var CountLabels = []string{"警情数", "有效警情", "非警务警情", "已分流警情", "工单数", "有效工单", "退回工单", "超期工单"}

// Values are the counts of SPEC §7 in CountNames' order.
func (c Counts) Values() []int64 {
	return []int64{c.Calls, c.ValidCalls, c.NonpoliceCalls, c.DivertedCalls, c.Orders, c.EffectiveOrders, c.ReturnedOrders, c.OverdueOrders}
}

// NewDocument is the SPEC §7 shape of a comparison (Prev and YearAgo may be nil).
func NewDocument(cmp *Comparison) *Document {
	r := cmp.Current
	d := &Document{Period: periodDoc(r.Period), AsOf: r.AsOf.Format(isoLocal), By: string(r.By), Groups: []GroupDoc{}, cmp: cmp}
	if cmp.Prev != nil {
		p, y := periodDoc(cmp.Prev.Period), periodDoc(cmp.YearAgo.Period)
		d.Prev, d.YearAgo = &p, &y
		d.PrevAsOf, d.YearAgoAsOf = wall(cmp.Prev.AsOf).Format(isoLocal), wall(cmp.YearAgo.AsOf).Format(isoLocal)
		d.PrevNote, d.YearAgoNote = cmp.PrevNote, cmp.YearAgoNote
	}
	for _, g := range r.Groups {
		gd := GroupDoc{Key: g.Key, Kind: g.Kind, Indicators: map[domain.IndicatorID]RatioDoc{}, Counts: g.Counts, Durations: g.Durations}
		for _, in := range Indicators {
			x := g.Indicators[in.ID]
			gd.Indicators[in.ID] = RatioDoc{Num: x.Num, Den: x.Den, Rate: Rate4(x), Pending: x.Pending, Exempt: x.Exempt}
		}
		if cmp.Prev != nil {
			gd.MoM, gd.YoY = Change(g, cmp.Prev.Group(g.Key)), Change(g, cmp.YearAgo.Group(g.Key))
		}
		d.Groups = append(d.Groups, gd)
	}
	return d
}

// Change compares a group with the same group of an earlier result (absent: every
// change is nil).
func Change(g Group, prev *Group) *ChangeDoc {
	c := &ChangeDoc{Indicators: map[domain.IndicatorID]*float64{}, Counts: map[string]*float64{}}
	if prev == nil {
		prev = &Group{}
	}
	for _, in := range Indicators {
		c.Indicators[in.ID] = PointsChange(g.Indicators[in.ID], prev.Indicators[in.ID])
	}
	cur, old := g.Counts.Values(), prev.Counts.Values()
	for i, n := range CountNames {
		c.Counts[n] = PercentChange(cur[i], old[i])
	}
	return c
}

// WriteJSON writes the document, indented.
func (d *Document) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// CSV is the document as CSV records, the header first: per group its key and
// kind, each indicator's num, den, pending, exempt and rate (and with comparisons its
// changes in points), then the counts.
func (d *Document) CSV() [][]string {
	compared := d.cmp != nil && d.cmp.Prev != nil
	header := []string{"key", "kind"}
	for _, in := range Indicators {
		id := string(in.ID)
		header = append(header, id+"_num", id+"_den", id+"_pending", id+"_exempt", id+"_rate")
		if compared {
			header = append(header, id+"_mom_pp", id+"_yoy_pp")
		}
	}
	out := [][]string{append(header, CountNames...)}
	for _, g := range d.Groups {
		row := []string{g.Key, string(g.Kind)}
		for _, in := range Indicators {
			x := g.Indicators[in.ID]
			row = append(row, strconv.FormatFloat(x.Num, 'f', -1, 64), fmt.Sprint(x.Den), fmt.Sprint(x.Pending), fmt.Sprint(x.Exempt), fixed(x.Rate, 4))
			if compared {
				row = append(row, fixed(g.MoM.Indicators[in.ID], 2), fixed(g.YoY.Indicators[in.ID], 2))
			}
		}
		for _, n := range g.Counts.Values() {
			row = append(row, fmt.Sprint(n))
		}
		out = append(out, row)
	}
	return out
}

// fixed formats a value to places decimals, "" when nil.
func fixed(p *float64, places int) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', places, 64)
}

// ExplainDoc is the SPEC §9 JSON of `explain`: the members of one indicator's
// population with their states, reasons and times.
type ExplainDoc struct {
	Period    PeriodDoc   `json:"period"`
	AsOf      string      `json:"as_of"`
	Indicator string      `json:"indicator"`
	By        string      `json:"by"`
	Key       *string     `json:"key"` // the --key given, or null (every group)
	Rows      []MemberDoc `json:"rows"`
}

// MemberDoc is one member: times in local wall time (2024-05-01T08:00:00).
type MemberDoc struct {
	ID     string            `json:"id"`
	Key    string            `json:"key"`
	State  State             `json:"state"`
	Reason string            `json:"reason"`
	Times  map[string]string `json:"times"`
}

// NewExplainDoc is the SPEC §9 shape of an explain list.
func NewExplainDoc(q Query, id domain.IndicatorID, key string, members []Member) *ExplainDoc {
	d := explainHead(q, id, key)
	for _, m := range members {
		d.Rows = append(d.Rows, NewMemberDoc(m))
	}
	return d
}

func explainHead(q Query, id domain.IndicatorID, key string) *ExplainDoc {
	d := &ExplainDoc{Period: periodDoc(q.Period), AsOf: wall(q.AsOf).Format(isoLocal), Indicator: string(id), By: string(q.By), Rows: []MemberDoc{}}
	if key != "" {
		d.Key = &key
	}
	return d
}

// NewMemberDoc is one member as JSON: its times in local wall time.
func NewMemberDoc(m Member) MemberDoc {
	md := MemberDoc{ID: m.ID, Key: m.Key, State: m.State, Reason: m.Reason, Times: make(map[string]string, len(m.Times))}
	for name, t := range m.Times {
		md.Times[name] = t.Format(isoLocal)
	}
	return md
}

// WriteJSON writes the explain list, indented.
func (d *ExplainDoc) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// ExplainCSVHeader is the header of an explain list as CSV.
var ExplainCSVHeader = []string{"id", "key", "state", "reason", "times"}

// CSV is the explain list as CSV records, the header first.
func (d *ExplainDoc) CSV() [][]string {
	out := [][]string{ExplainCSVHeader}
	for _, r := range d.Rows {
		out = append(out, r.CSV())
	}
	return out
}

// CSV is one member as a CSV record; the times as "name=time" pairs in name order.
func (r MemberDoc) CSV() []string {
	return []string{r.ID, r.Key, string(r.State), r.Reason, TimesText(r.Times)}
}

// MemberCSV is NewMemberDoc(m).CSV() without the document in between (a year of
// a province is millions of rows).
func MemberCSV(m Member) []string {
	names := make([]string, 0, len(m.Times))
	for n := range m.Times {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(n)
		b.WriteByte('=')
		b.WriteString(m.Times[n].Format("2006-01-02 15:04:05"))
	}
	return []string{m.ID, m.Key, string(m.State), m.Reason, b.String()}
}

// ExplainStream writes the JSON of WriteJSON as the members come, holding none:
// the head, each row, then the end (Close).
type ExplainStream struct {
	w    *bufio.Writer
	rows int
}

// NewExplainStream writes the head of an explain list's JSON.
func NewExplainStream(w io.Writer, q Query, id domain.IndicatorID, key string) (*ExplainStream, error) {
	head, err := json.MarshalIndent(explainHead(q, id, key), "", "  ")
	if err != nil {
		return nil, err
	}
	// The head ends with `"rows": []` and the closing brace: open the array instead.
	head = bytes.TrimSuffix(head, []byte("[]\n}"))
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head)
	bw.WriteByte('[')
	return &ExplainStream{w: bw}, nil
}

// Row writes one member.
func (e *ExplainStream) Row(m Member) error {
	b, err := json.MarshalIndent(NewMemberDoc(m), "    ", "  ")
	if err != nil {
		return err
	}
	if e.rows > 0 {
		e.w.WriteByte(',')
	}
	e.rows++
	e.w.WriteString("\n    ")
	_, err = e.w.Write(b)
	return err
}

// Close ends the array and the document and flushes.
func (e *ExplainStream) Close() error {
	if e.rows > 0 {
		e.w.WriteString("\n  ")
	}
	e.w.WriteString("]\n}\n")
	return e.w.Flush()
}

// TimesText writes named times as "name=time; …" in name order.
func TimesText(times map[string]string) string {
	names := make([]string, 0, len(times))
	for n := range times {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + "=" + strings.Replace(times[n], "T", " ", 1)
	}
	return strings.Join(parts, "; ")
}
