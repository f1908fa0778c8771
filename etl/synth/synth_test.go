package synth

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func generate(t *testing.T, calls int, seed uint64) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := Generate(dir, Options{Calls: calls, From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		To: time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC), Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func read(t *testing.T, path string) []map[string]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	return rows
}

func TestDeterministic(t *testing.T) {
	a, b, c := generate(t, 5000, 1), generate(t, 5000, 1), generate(t, 5000, 2)
	for _, n := range []string{"calls.csv", "orders.csv", "departments.csv"} {
		x, _ := os.ReadFile(filepath.Join(a, n))
		y, _ := os.ReadFile(filepath.Join(b, n))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", n)
		}
	}
	x, _ := os.ReadFile(filepath.Join(a, "calls.csv"))
	z, _ := os.ReadFile(filepath.Join(c, "calls.csv"))
	if bytes.Equal(x, z) {
		t.Error("another seed gave the same calls")
	}
}

// The shares the seeds describe: 60–90 % non-police calls, 20–40 % diverted, and
// the SLA rates between 70 % and 99 %.
func TestRealisticShares(t *testing.T) {
	dir := generate(t, 30000, 5)
	calls := read(t, filepath.Join(dir, "calls.csv"))
	orders := read(t, filepath.Join(dir, "orders.csv"))
	if len(calls) != 30000 {
		t.Fatalf("%d calls", len(calls))
	}
	nature := map[string]string{}
	for _, c := range categories {
		nature[c.name] = c.nature
	}
	nonPolice, ordered := 0, map[string]bool{}
	for _, c := range calls {
		if nature[c["警情类别"]] != "警务" {
			nonPolice++
		}
	}
	var signed, signedInSLA, due, doneInTime, repeats, arrived, arrivedInSLA int
	layout := "2006-01-02 15:04:05"
	for _, o := range orders {
		if o["警情编号"] != "" {
			ordered[o["警情编号"]] = true
		}
		d, _ := time.Parse(layout, o["派单时间"])
		if s, err := time.Parse(layout, o["签收时间"]); err == nil {
			signed++
			sla := 30 * time.Minute
			if o["紧急程度"] == "紧急" {
				sla = 5 * time.Minute
			}
			if s.Sub(d) <= sla && s.Sub(d) >= -5*time.Minute {
				signedInSLA++
			}
		}
		if a, err := time.Parse(layout, o["到场时间"]); err == nil {
			arrived++
			sla := 30 * time.Minute
			if o["紧急程度"] == "紧急" {
				sla = 5 * time.Minute
			}
			if o["区域类型"] == "农村" {
				sla *= 2
			}
			if a.Sub(d) <= sla {
				arrivedInSLA++
			}
		}
		if f, err := time.Parse(layout, o["反馈时间"]); err == nil {
			due++
			days := map[string]int{"简易": 7, "一般": 15, "疑难": 30}[o["难易程度"]]
			if f.Sub(d) <= time.Duration(days)*24*time.Hour {
				doneInTime++
			}
		}
	}
	phones := map[string]int{}
	for _, c := range calls {
		if p := c["报警电话"]; len(p) == 11 {
			phones[p]++
			if phones[p] == 2 {
				repeats++
			}
		}
	}
	share := func(n, d int) float64 { return float64(n) / float64(d) }
	checks := []struct {
		name   string
		v      float64
		lo, hi float64
	}{
		{"non-police share", share(nonPolice, len(calls)), 0.60, 0.90},
		{"diverted share", share(len(ordered), len(calls)), 0.20, 0.40},
		{"signed within SLA", share(signedInSLA, signed), 0.70, 0.99},
		{"feedback within closure days", share(doneInTime, due), 0.70, 0.99},
		{"arrived within SLA", share(arrivedInSLA, arrived), 0.70, 0.99},
	}
	for _, c := range checks {
		if c.v < c.lo || c.v > c.hi {
			t.Errorf("%s = %.3f, want %.2f–%.2f", c.name, c.v, c.lo, c.hi)
		}
	}
	if repeats < 100 {
		t.Errorf("only %d callers call twice or more: repeat calls are too rare", repeats)
	}
	hotline := 0
	for _, o := range orders {
		if o["来源"] == "12345" {
			hotline++
		}
	}
	if hotline == 0 {
		t.Error("no 12345 orders without a call")
	}
}
