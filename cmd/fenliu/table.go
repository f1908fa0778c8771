package main

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// maxCell is the widest a terminal table cell may be, in columns; a longer value
// is cut with an ellipsis.
const maxCell = 60

// A table prints rows in columns aligned for a terminal, East Asian wide
// characters counting two columns. Every cell goes through cell first: data
// reaches the terminal without control characters and at a bounded width.
type table struct {
	w     io.Writer
	rows  [][]string
	right bool // align every column but the first to the right
	max   int  // widest cell in columns; 0: maxCell
}

func newTable(w io.Writer) *table { return &table{w: w} }

func (t *table) row(cells ...string) {
	r := make([]string, len(cells))
	for i, c := range cells {
		r[i] = cell(c, cmp.Or(t.max, maxCell))
	}
	t.rows = append(t.rows, r)
}

func (t *table) flush() {
	widths := map[int]int{}
	cellWidths := make([][]int, len(t.rows)) // each cell's width, measured once
	for j, r := range t.rows {
		cellWidths[j] = make([]int, len(r))
		for i, c := range r {
			cellWidths[j][i] = displayWidth(c)
			widths[i] = max(widths[i], cellWidths[j][i])
		}
	}
	w := bufio.NewWriter(t.w) // one write per line would be a system call per row
	defer w.Flush()
	for j, r := range t.rows {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-cellWidths[j][i])
			switch {
			case i == 0:
				b.WriteString(c + pad)
			case t.right:
				b.WriteString("  " + pad + c)
			default:
				b.WriteString("  " + c + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	t.rows = nil
}

// cell makes a value safe to print on a terminal: line breaks and tabs become
// spaces, other control and format characters (ESC, BEL, bidi overrides) become
// U+FFFD, and a value wider than limit columns is cut with an ellipsis.
func cell(s string, limit int) string {
	if len(s) <= limit && printableASCII(s) { // most ids and times: nothing to do
		return s
	}
	clean := strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r):
			return '\uFFFD'
		}
		return r
	}, s)
	if displayWidth(clean) <= limit {
		return clean
	}
	var b strings.Builder
	n := 0
	for _, r := range clean {
		w := runeWidth(r)
		if n+w > limit-1 {
			break
		}
		b.WriteRune(r)
		n += w
	}
	return b.String() + "…"
}

// displayWidth counts East Asian wide and full-width characters as two columns.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// printableASCII reports a string of printable ASCII only.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func runeWidth(r rune) int {
	if r < 0x1100 { // no wide character comes before Hangul Jamo
		return 1
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}
