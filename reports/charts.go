package reports

import (
	"math"
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
)

// Colours. The palette holds no red and no green: those two mean "below the floor"
// and "at the target" and nothing else. Each indicator keeps its colour in every
// chart of every report (indicatorColor); other series take palette colours in the
// sorted order of their keys.
var palette = []string{"#1f4e9c", "#e08a00", "#6a3d9a", "#0098b3", "#8c564b", "#d45087",
	"#4a6fa5", "#b8860b", "#7f7f7f", "#17becf", "#bc80bd", "#2f4554"}

const (
	colorRed     = "#c62828"
	colorGreen   = "#2e7d32"
	colorNeutral = "#4a6fa5"
)

// indicatorColor is the indicator's colour, the same in every report.
func indicatorColor(id domain.IndicatorID) string {
	for i, in := range metrics.Indicators {
		if in.ID == id {
			return palette[i%len(palette)]
		}
	}
	return colorNeutral
}

// keyColors gives each key a palette colour in sorted order.
func keyColors(keys []string) map[string]string {
	s := append([]string(nil), keys...)
	sort.Strings(s)
	m := map[string]string{}
	for i, k := range s {
		m[k] = palette[i%len(palette)]
	}
	return m
}

// value is a chart value rounded to 2 places: "-" (ECharts' gap) for nil.
func value(v *float64) any {
	if v == nil {
		return "-"
	}
	return math.Round(*v*100) / 100
}

func pct100(v *float64) *float64 {
	if v == nil {
		return nil
	}
	x := *v * 100
	return &x
}

// finish validates a go-echarts chart and returns its option object.
func finish(c interface {
	Validate()
	JSON() map[string]any
}) map[string]any {
	c.Validate()
	o := c.JSON()
	delete(o, "toolbox") // no toolbox: nothing to save or switch in a printed report
	return o
}

var (
	yes = opts.Bool(true)
	no  = opts.Bool(false)
)

func title(t, sub string) charts.GlobalOpts {
	return charts.WithTitleOpts(opts.Title{Title: t, Subtitle: sub, TitleStyle: &opts.TextStyle{FontSize: 14}})
}

func legend() charts.GlobalOpts {
	return charts.WithLegendOpts(opts.Legend{Show: yes, Type: "scroll", Bottom: "0", Left: "center"})
}

func noLegend() charts.GlobalOpts { return charts.WithLegendOpts(opts.Legend{Show: no}) }

// grid leaves room for the title above and the legend (if any) below.
func grid(withLegend bool) charts.GlobalOpts {
	bottom := "10"
	if withLegend {
		bottom = "36"
	}
	return charts.WithGridOpts(opts.Grid{Left: "12", Right: "36", Top: "56", Bottom: bottom, ContainLabel: yes})
}

// lineSeries is one line: values in display units, nil for none.
type lineSeries struct {
	Name   string
	Values []*float64
	Color  string
	Dashed bool // the 同比 line of a series: the same colour, dashed
	Hidden bool // off until its legend entry is clicked
}

// lineChart draws trends over x; unit is appended to the y axis labels ("%" or "").
func lineChart(t, sub string, x []string, series []lineSeries, unit string) map[string]any {
	c := charts.NewLine()
	selected := map[string]bool{}
	for _, s := range series {
		if s.Hidden {
			selected[s.Name] = false
		}
	}
	c.SetGlobalOptions(title(t, sub), grid(true),
		charts.WithLegendOpts(opts.Legend{Show: yes, Type: "scroll", Bottom: "0", Left: "center", Selected: selected}),
		charts.WithTooltipOpts(opts.Tooltip{Show: yes, Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: &opts.AxisLabel{HideOverlap: yes}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Scale: yes, AxisLabel: &opts.AxisLabel{Formatter: types.FuncStr("{value}" + unit)}}))
	c.SetXAxis(x)
	for _, s := range series {
		data := make([]opts.LineData, len(s.Values))
		for i, v := range s.Values {
			data[i] = opts.LineData{Value: value(v)}
		}
		style := opts.LineStyle{Color: s.Color, Width: 2}
		if s.Dashed {
			style.Type, style.Width, style.Opacity = "dashed", 1.5, opts.Float(0.75)
		}
		c.AddSeries(s.Name, data, charts.WithLineStyleOpts(style), charts.WithItemStyleOpts(opts.ItemStyle{Color: s.Color}),
			charts.WithLineChartOpts(opts.LineChart{Symbol: "circle", SymbolSize: 4, ConnectNulls: no}))
	}
	return finish(c)
}

// barItem is one bar of a ranking; Color "" takes the chart's colour.
type barItem struct {
	Name  string
	Value *float64
	Color string
}

// rankBars draws a ranking as horizontal bars, the first item on top.
func rankBars(t, sub string, items []barItem, unit, color string) map[string]any {
	c := charts.NewBar()
	names := make([]string, len(items))
	data := make([]opts.BarData, len(items))
	for i, it := range items {
		names[i] = it.Name
		data[i] = opts.BarData{Value: value(it.Value)}
		if it.Color != "" {
			data[i].ItemStyle = &opts.ItemStyle{Color: it.Color}
		}
	}
	c.SetGlobalOptions(title(t, sub), noLegend(), grid(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: yes, Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", AxisLabel: &opts.AxisLabel{Formatter: types.FuncStr("{value}" + unit)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: names, Inverse: yes,
			AxisLabel: &opts.AxisLabel{Interval: "0", Width: 160, Overflow: "truncate"}}))
	c.AddSeries(t, data, charts.WithItemStyleOpts(opts.ItemStyle{Color: color}),
		charts.WithLabelOpts(opts.Label{Show: yes, Position: "right", Formatter: "{c}" + unit}))
	c.XYReversal()
	o := finish(c)
	// XYReversal swaps the axes built so far; the category axis must carry the names.
	o["yAxis"] = []opts.YAxis{{Type: "category", Data: names, Inverse: yes, AxisLabel: &opts.AxisLabel{Interval: "0", Width: 160, Overflow: "truncate"}}}
	o["xAxis"] = []opts.XAxis{{Type: "value", AxisLabel: &opts.AxisLabel{Formatter: types.FuncStr("{value}" + unit)}}}
	return o
}

// barSeries is one series of grouped or stacked bars.
type barSeries struct {
	Name   string
	Values []*float64
	Color  string
}

// bars draws vertical bars over x, stacked when stack is set.
func bars(t, sub string, x []string, series []barSeries, stack bool, unit string) map[string]any {
	c := charts.NewBar()
	c.SetGlobalOptions(title(t, sub), legend(), grid(true),
		charts.WithTooltipOpts(opts.Tooltip{Show: yes, Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: &opts.AxisLabel{Interval: "auto", HideOverlap: yes}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", AxisLabel: &opts.AxisLabel{Formatter: types.FuncStr("{value}" + unit)}}))
	c.SetXAxis(x)
	for _, s := range series {
		data := make([]opts.BarData, len(s.Values))
		for i, v := range s.Values {
			data[i] = opts.BarData{Value: value(v)}
		}
		bo := opts.BarChart{}
		if stack {
			bo.Stack = "total"
		}
		c.AddSeries(s.Name, data, charts.WithItemStyleOpts(opts.ItemStyle{Color: s.Color}), charts.WithBarChartOpts(bo))
	}
	return finish(c)
}

// heatmap draws a y × x table of values (nil: empty cell) on a single-hue scale.
func heatmap(t, sub string, x, y []string, values [][]*float64, min, max float64) map[string]any {
	c := charts.NewHeatMap()
	var data []opts.HeatMapData
	for i := range y {
		for j := range x {
			if v := values[i][j]; v != nil {
				data = append(data, opts.HeatMapData{Value: [3]any{j, i, *v}})
			}
		}
	}
	c.SetGlobalOptions(title(t, sub), noLegend(), grid(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: yes, Trigger: "item"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: x, SplitArea: &opts.SplitArea{Show: yes}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: y, Inverse: yes, SplitArea: &opts.SplitArea{Show: yes},
			AxisLabel: &opts.AxisLabel{Interval: "0", Width: 160, Overflow: "truncate"}}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: yes, Min: float32(min), Max: float32(max), Orient: "horizontal",
			Left: "center", Bottom: "0", InRange: &opts.VisualMapInRange{Color: []string{"#eef3fb", "#9ab8e0", "#1f4e9c"}}}))
	c.SetXAxis(x)
	c.AddSeries(t, data, charts.WithLabelOpts(opts.Label{Show: yes, Formatter: "{@[2]}"}))
	o := finish(c)
	o["grid"] = []opts.Grid{{Left: "12", Right: "24", Top: "56", Bottom: "60", ContainLabel: yes}}
	return o
}

// rateColor is red below the floor, green at the target, else the given colour.
func rateColor(r metrics.Ratio, id domain.IndicatorID, fr *Frame, otherwise string) string {
	return [...]string{unmarked: otherwise, belowFloor: colorRed, atTarget: colorGreen}[fr.mark(r, id)]
}
