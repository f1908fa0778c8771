package reports

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
)

// Report is a built report: it writes itself as a workbook or as a page.
type Report interface {
	WriteXLSX(w io.Writer, title string) error
	WriteHTML(w io.Writer, title string) error
}

// Kind is one kind of report: its name on the command line, its file name and
// title, the periods it takes and how it is built.
type Kind struct {
	Name    string        // monthly, annual, trend, weekly
	Suffix  string        // the file name: <period>_<Suffix>.xlsx
	Title   string        // after the period's label: 2024年5月 + Title
	Periods []period.Kind // the periods it is made for
	Want    string        // those periods, as a usage message says them
	Build   func(ctx context.Context, src Source, mc metrics.Config, sc score.Config, p period.Period, asOf time.Time, opts ...Option) (Report, error)
	// Steps is how many calls Build makes on its Source for p: the total of a
	// progress display (a test holds it to what Build does).
	Steps func(p period.Period) int
	// Label names what the report covers, before Title: 2024年5月, or the
	// trend's 2022年6月至2024年5月. nil: p.Label().
	Label func(p period.Period) string
}

// TitleOf is the report's title for p: its label and Title.
func (k Kind) TitleOf(p period.Period) string {
	if k.Label != nil {
		return k.Label(p) + k.Title
	}
	return p.Label() + k.Title
}

// scorecardSteps: the coverage; the figures at T in one pass (total, departments,
// towns, counties, stations, the 12 months; the annual's 12 months by
// department too); departments and towns of the period before, for the rank
// changes, in another; the overview's comparison; the lists; the detail of
// departments and of towns.
func scorecardSteps(period.Period) int {
	return 1 + 1 + 1 + 1 + 1 + 2
}

// Option changes how a report is built.
type Option func(*options)

type options struct {
	fullDetail bool
	header     Header
	compare    metrics.CompareMode
	per        metrics.By
}

// PerUnit asks for a feedback sheet (反馈单) per department or town beside a
// monthly or annual report; the caller writes them (Feedbacks).
func PerUnit(by metrics.By) Option { return func(o *options) { o.per = by } }

// PerUnitOf is the grouping PerUnit set among opts, or "".
func PerUnitOf(opts ...Option) metrics.By { return buildOptions(opts).per }

// WithCompare sets at which T the earlier periods are compared (环比, 同比, rank
// changes): the same maturity (the default) or settled (`report --compare settled`).
func WithCompare(m metrics.CompareMode) Option { return func(o *options) { o.compare = m } }

// WithHeader sets the 通报's header block (the config's bulletin section).
func WithHeader(h Header) Option { return func(o *options) { o.header = h } }

// FullDetail lists every member in a scorecard's 明细 sheets rather than the
// first DetailLimit of each unit and indicator (`report --full-detail`).
func FullDetail() Option { return func(o *options) { o.fullDetail = true } }

// DetailLimit is how many records of each unit and indicator a scorecard's 明细
// lists by default.
const DetailLimit = 200

func buildOptions(opts []Option) options {
	o := options{header: DefaultHeader()}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// Kinds lists the report kinds of SPEC §5.
var Kinds = []Kind{
	{Name: "monthly", Suffix: "月度考评通报", Title: "非警务警情分流处置考评通报", Periods: []period.Kind{period.Month}, Want: "a month such as 2024-05",
		Build: func(ctx context.Context, src Source, mc metrics.Config, sc score.Config, p period.Period, asOf time.Time, opts ...Option) (Report, error) {
			return Monthly(ctx, src, mc, sc, p, asOf, opts...)
		}, Steps: scorecardSteps},
	{Name: "annual", Suffix: "年度考核", Title: "度非警务警情分流处置考核", Periods: []period.Kind{period.Year}, Want: "a year such as 2024",
		Build: func(ctx context.Context, src Source, mc metrics.Config, sc score.Config, p period.Period, asOf time.Time, opts ...Option) (Report, error) {
			return Annual(ctx, src, mc, sc, p, asOf, opts...)
		}, Steps: scorecardSteps},
	{Name: "trend", Suffix: "趋势分析", Title: "非警务警情分流处置趋势分析", Periods: []period.Kind{period.Month, period.Year},
		Want: "a month such as 2024-05 (the 24 months ending with it) or a year",
		Build: func(ctx context.Context, src Source, mc metrics.Config, sc score.Config, p period.Period, asOf time.Time, _ ...Option) (Report, error) {
			return BuildTrend(ctx, src, mc, sc, p, asOf)
		}, Steps: func(p period.Period) int {
			return 1 + 1 // total, county, category and department over the months (and the year before) in one pass; coverage
		}, Label: TrendLabel},
	{Name: "weekly", Suffix: "每周研判", Title: "非警务警情每周研判", Periods: []period.Kind{period.Week}, Want: "an ISO week such as 2024-W20",
		Build: func(ctx context.Context, src Source, mc metrics.Config, sc score.Config, p period.Period, asOf time.Time, opts ...Option) (Report, error) {
			return BuildWeekly(ctx, src, mc, sc, p, asOf, opts...)
		}, Steps: func(period.Period) int { return 2 }},
}

// KindNamed returns the kind of report with the name.
func KindNamed(name string) (Kind, error) {
	for _, k := range Kinds {
		if k.Name == name {
			return k, nil
		}
	}
	return Kind{}, fmt.Errorf("report %q: want monthly, annual, trend or weekly", name)
}

// Counted wraps a Source and calls tick after each of its calls: a report's
// progress, counted against its Kind's Steps.
func Counted(src Source, tick func()) Source { return counted{src, tick} }

type counted struct {
	src  Source
	tick func()
}

func (c counted) Compute(ctx context.Context, q metrics.Query) (*metrics.Result, error) {
	defer c.tick()
	return c.src.Compute(ctx, q)
}

func (c counted) ComputeMonths(ctx context.Context, q metrics.Query) ([]*metrics.Result, error) {
	defer c.tick()
	return c.src.ComputeMonths(ctx, q)
}

func (c counted) ComputeAll(ctx context.Context, asOf time.Time, wants []metrics.Want) ([][]*metrics.Result, error) {
	defer c.tick()
	return c.src.ComputeAll(ctx, asOf, wants)
}

func (c counted) CompareTo(ctx context.Context, q metrics.Query, cur *metrics.Result) (*metrics.Comparison, error) {
	defer c.tick()
	return c.src.CompareTo(ctx, q, cur)
}

func (c counted) Weekly(ctx context.Context, week period.Period, asOf time.Time, minDen int64) (*metrics.Briefing, error) {
	defer c.tick()
	return c.src.Weekly(ctx, week, asOf, minDen)
}

func (c counted) Lists(ctx context.Context, p period.Period, asOf time.Time) (*metrics.Lists, error) {
	defer c.tick()
	return c.src.Lists(ctx, p, asOf)
}

func (c counted) Detail(ctx context.Context, q metrics.Query, ids []domain.IndicatorID, limit int) (*metrics.Detail, error) {
	defer c.tick()
	return c.src.Detail(ctx, q, ids, limit)
}

func (c counted) Coverage(ctx context.Context) ([]metrics.File, error) {
	defer c.tick()
	return c.src.Coverage(ctx)
}
