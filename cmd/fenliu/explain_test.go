package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestExplainCommand: the SPEC §9 JSON shape, rows that add up to the metrics of
// the same query, the state filter, a formula-safe CSV, and usage errors.
func TestExplainCommand(t *testing.T) {
	dir := boundaryInstall(t)
	q := []string{"--period", "2024-05", "--as-of", "2024-06-20", "--by", "department"}
	out, errs, code := fenliu(t, dir, append([]string{"explain", "--indicator", "签收率", "--format", "json"}, q...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Period    map[string]string `json:"period"`
		AsOf      string            `json:"as_of"`
		Indicator string            `json:"indicator"`
		By        string            `json:"by"`
		Key       *string           `json:"key"`
		Rows      []struct {
			ID, Key, State, Reason string
			Times                  map[string]string
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Indicator != "sign_rate" || doc.By != "department" || doc.Key != nil || doc.AsOf != "2024-06-20T00:00:00" || doc.Period["kind"] != "month" || len(doc.Rows) == 0 {
		t.Fatalf("header %+v", doc)
	}
	mout, _, _ := fenliu(t, dir, append([]string{"metrics", "--format", "json"}, q...)...)
	var m struct {
		Groups []struct {
			Key        string
			Indicators map[string]struct{ Num, Den, Pending float64 }
		}
	}
	json.Unmarshal([]byte(mout), &m)
	for _, g := range m.Groups {
		x := g.Indicators["sign_rate"]
		var num, den, pending float64
		for _, r := range doc.Rows {
			if r.Key != g.Key {
				continue
			}
			switch r.State {
			case "num":
				num++
				den++
			case "den":
				den++
			case "pending":
				pending++
			}
			if r.Times["dispatched_at"] == "" || r.Reason == "" {
				t.Errorf("%s: no dispatched_at or reason", r.ID)
			}
		}
		if num != x.Num || den != x.Den || pending != x.Pending {
			t.Errorf("%s: explain %v/%v pending %v, metrics %v/%v pending %v", g.Key, num, den, pending, x.Num, x.Den, x.Pending)
		}
	}
	out, _, _ = fenliu(t, dir, append([]string{"explain", "--indicator", "sign_rate", "--key", "市场监管局", "--state", "den", "--format", "csv"}, q...)...)
	if !strings.HasPrefix(out, "\uFEFFid,key,state,reason,times\n") {
		t.Errorf("csv header: %q", out[:min(len(out), 60)])
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		if !strings.Contains(line, ",市场监管局,den,") {
			t.Errorf("--key/--state not applied: %s", line)
		}
	}
	book := filepath.Join(dir, "明细.xlsx")
	if _, errs, code := fenliu(t, dir, append([]string{"explain", "--indicator", "sign_rate", "--format", "xlsx", "-o", book}, q...)...); code != 0 {
		t.Fatalf("xlsx: %s", errs)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("明细")
	f.Close()
	if len(rows) != 2+len(doc.Rows) || rows[1][0] != "编号" {
		t.Errorf("workbook: %d rows (want %d), header %v", len(rows), 2+len(doc.Rows), rows[1])
	}
	for _, args := range [][]string{{"explain", "--period", "2024-05", "--indicator", "nope"}, {"explain", "--period", "2024-05", "--indicator", "sign_rate", "--format", "xlsx"}, {"explain", "--period", "2024-05", "--indicator", "sign_rate", "--state", "late"}, {"explain", "--period", "2024-05"}} {
		if _, _, code := fenliu(t, dir, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
