package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// progress prints a one-line status (count, rate, ETA) to a terminal, at most a few
// times a second, and nothing when stdout is not a terminal (logs, pipes, cron).
type progress struct {
	w     io.Writer
	what  string
	unit  string // what is counted: rows unless set
	total int64  // 0: unknown, no ETA
	start time.Time
	last  time.Time
	on    bool
}

func newProgress(out io.Writer, what string, total int64) *progress {
	f, ok := out.(*os.File)
	return &progress{w: os.Stderr, what: what, unit: "rows", total: total, start: time.Now(), on: ok && term.IsTerminal(int(f.Fd()))}
}

func (p *progress) update(n int64) {
	if !p.on {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < 250*time.Millisecond {
		return
	}
	p.last = now
	el := now.Sub(p.start).Seconds()
	rate := float64(n) / max(el, 1e-9)
	line := fmt.Sprintf("\r%s: %d %s, %.1f %s/s", p.what, n, p.unit, rate, p.unit)
	if p.total > 0 {
		line = fmt.Sprintf("\r%s: %d of %d %s, %.1f %s/s", p.what, n, p.total, p.unit, rate, p.unit)
	}
	if p.total > 0 && rate > 0 && n < p.total {
		line += fmt.Sprintf(", ETA %s", time.Duration(float64(p.total-n)/rate*float64(time.Second)).Round(time.Second))
	}
	fmt.Fprint(p.w, line+"   ")
}

func (p *progress) done() {
	if p.on && !p.last.IsZero() {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
