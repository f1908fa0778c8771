package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	for _, c := range []struct {
		unit  string
		total int64
		n     int64
		want  []string
	}{
		{"computations", 120, 60, []string{"report trend: 60 of 120 computations", "6.0 computations/s", "ETA 10s"}},
		{"rows", 0, 500, []string{"report trend: 500 rows, 50.0 rows/s"}},
	} {
		var b bytes.Buffer
		p := &progress{w: &b, what: "report trend", unit: c.unit, total: c.total, start: time.Now().Add(-10 * time.Second), on: true}
		p.update(c.n)
		for _, w := range c.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("progress %q lacks %q", b.String(), w)
			}
		}
		if c.total == 0 && strings.Contains(b.String(), "ETA") {
			t.Errorf("an ETA without a total: %q", b.String())
		}
		p.done()
		if !strings.HasSuffix(b.String(), "\r\033[K") {
			t.Errorf("done does not clear the line: %q", b.String())
		}
	}
	// Not a terminal (a pipe, a log file): silent.
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	if p := newProgress(w, "gen", 10); p.on {
		t.Error("progress on for a pipe")
	}
}
