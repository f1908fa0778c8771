package reports

import (
	"strconv"

	"github.com/fenliu/fenliu/metrics"
)

// The report model: tables of typed cells that both formats draw, each in its
// own way — a workbook cell with a number format and a fill, a page cell with its
// text and class. A table is built once; the workbook and the page render it.

// CellKind says what a cell holds, and so how each format shows it.
type CellKind int

// The cell kinds.
const (
	KindText    CellKind = iota // text; never a formula in a workbook
	KindCount                   // an integer count
	KindNumber                  // a number as written (a weight: 20, 12.5)
	KindPercent                 // a fraction shown as a percentage with one decimal
)

// A Cell is one value of a table. Null cells show —.
type Cell struct {
	Kind  CellKind
	Text  string
	Value float64
	Null  bool
	Mark  mark // a rate's judgement against floor and target
}

// Text, Count, Number and Percent make cells.
func Text(s string) Cell            { return Cell{Kind: KindText, Text: s} }
func Count(n int64) Cell            { return Cell{Kind: KindCount, Value: float64(n)} }
func Number(v float64) Cell         { return Cell{Kind: KindNumber, Value: v} }
func Percent(fraction float64) Cell { return Cell{Kind: KindPercent, Value: fraction} }

// Rate is a rate's cell: null when den is 0, else the fraction with its judgement.
func Rate(r metrics.Ratio, m mark) Cell {
	p := r.Rate()
	if p == nil {
		return Cell{Kind: KindPercent, Null: true}
	}
	return Cell{Kind: KindPercent, Value: *p, Mark: m}
}

// A Table is a header and rows of cells, drawn alike in both formats.
type Table struct {
	Caption string
	Head    []string
	Rows    [][]Cell
	Empty   string // what the page says when there are no rows ("": nothing)
}

// html renders a table for the page.
func (t *Table) html() table {
	out := table{Caption: t.Caption, Head: t.Head}
	for _, r := range t.Rows {
		row := make([]cell, len(r))
		for i, c := range r {
			row[i] = c.html()
		}
		out.Rows = append(out.Rows, row)
	}
	if len(t.Rows) == 0 {
		out.More = t.Empty
	}
	return out
}

func (c Cell) html() cell {
	if c.Null {
		return cell{Text: "—", Class: "num muted"}
	}
	mark := [...]string{unmarked: "", belowFloor: " red", atTarget: " green"}[c.Mark]
	switch c.Kind {
	case KindCount:
		return cell{Text: strconv.FormatInt(int64(c.Value), 10), Class: "num"}
	case KindNumber:
		return cell{Text: trimFloat(c.Value), Class: "num"}
	case KindPercent:
		return cell{Text: strconv.FormatFloat(c.Value*100, 'f', 1, 64) + "%", Class: "num" + mark}
	}
	return textCell(c.Text)
}

// xlsx gives a cell's value and style for the workbook.
func (c Cell) xlsx(st styles) (any, int) {
	if c.Null {
		return "—", st.text
	}
	switch c.Kind {
	case KindCount:
		return c.Value, st.num
	case KindNumber:
		return c.Value, st.number
	case KindPercent:
		return c.Value, [...]int{unmarked: st.pct, belowFloor: st.redPct, atTarget: st.greenPct}[c.Mark]
	}
	return c.Text, st.text
}

// table writes a table on the sheet: its caption (if any), its header row, then
// its rows.
func (s *sheet) table(st styles, t *Table) error {
	if t.Caption != "" {
		if err := s.put(0, []any{t.Caption}); err != nil {
			return err
		}
	}
	head := make([]any, len(t.Head))
	for i, h := range t.Head {
		head[i] = h
	}
	if err := s.put(st.header, head); err != nil {
		return err
	}
	for _, r := range t.Rows {
		vals, styles := make([]any, len(r)), make([]int, len(r))
		for i, c := range r {
			vals[i], styles[i] = c.xlsx(st)
		}
		if err := s.put(st.text, vals, styles...); err != nil {
			return err
		}
	}
	return nil
}
