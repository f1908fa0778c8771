package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// boundaryInstall is an installation loaded with metrics/testdata/boundary.
func boundaryInstall(t *testing.T) string {
	dir := install(t)
	fx := repoFile(t, "metrics", "testdata", "boundary")
	for _, n := range []string{"departments.csv", "categories.csv"} {
		b, _ := os.ReadFile(filepath.Join(fx, n))
		os.WriteFile(filepath.Join(dir, n), b, 0o644)
	}
	if _, errs, code := fenliu(t, dir, "ingest", filepath.Join(fx, "calls.csv"), filepath.Join(fx, "orders.csv")); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	return dir
}

func TestMetricsCommand(t *testing.T) {
	dir := boundaryInstall(t)
	out, errs, code := fenliu(t, dir, "metrics", "--period", "2024-05", "--as-of", "2024-06-20", "--by", "department", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Period map[string]string `json:"period"`
		AsOf   string            `json:"as_of"`
		By     string            `json:"by"`
		Groups []struct {
			Key        string                    `json:"key"`
			Kind       string                    `json:"kind"`
			Indicators map[string]map[string]any `json:"indicators"`
			Counts     map[string]int64          `json:"counts"`
		} `json:"groups"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Period["kind"] != "month" || doc.Period["start"] != "2024-05-01T00:00:00" || doc.Period["end"] != "2024-06-01T00:00:00" ||
		doc.AsOf != "2024-06-20T00:00:00" || doc.By != "department" {
		t.Errorf("header %+v %s %s", doc.Period, doc.AsOf, doc.By)
	}
	keys := []string{}
	for _, g := range doc.Groups {
		keys = append(keys, g.Key)
		if len(g.Indicators) != 9 {
			t.Errorf("%s has %d indicators, want all 9", g.Key, len(g.Indicators))
		}
		for id, x := range g.Indicators {
			for _, f := range []string{"num", "den", "rate", "pending"} {
				if _, ok := x[f]; !ok {
					t.Errorf("%s %s lacks %s", g.Key, id, f)
				}
			}
			if x["den"].(float64) == 0 && x["rate"] != nil {
				t.Errorf("%s %s: rate %v with den 0", g.Key, id, x["rate"])
			}
		}
		for _, c := range []string{"calls", "valid_calls", "nonpolice_calls", "diverted_calls", "orders", "effective_orders", "returned_orders", "overdue_orders"} {
			if _, ok := g.Counts[c]; !ok {
				t.Errorf("%s lacks count %s", g.Key, c)
			}
		}
	}
	if !sort.StringsAreSorted(keys) || len(keys) != 4 {
		t.Errorf("groups %v: want 4, sorted by key", keys)
	}
	// 市场监管局 signed 9 of 11: 0.8182 (rounded half up to 4 places).
	for _, g := range doc.Groups {
		if g.Key == "市场监管局" {
			if s := g.Indicators["sign_rate"]; s["num"] != 9.0 || s["den"] != 11.0 || s["rate"] != 0.8182 || g.Kind != "职能部门" {
				t.Errorf("市场监管局 sign_rate %v kind %s", s, g.Kind)
			}
		}
	}

	out, _, code = fenliu(t, dir, "metrics", "--period", "2024-05", "--as-of", "2024-06-20", "--compare")
	if code != 0 {
		t.Fatal("table with --compare failed")
	}
	mustContain(t, "table", out, "2024年5月", "签收率", "80.0% 16/20", "78.9% 15/19 待1", "环比（百分点，对比 2024年4月）", "同比（百分点，对比 2023年5月）")
	out, _, _ = fenliu(t, dir, "metrics", "--period", "2024-05", "--as-of", "2024-06-20", "--format", "csv")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[0], "\uFEFFkey,kind,sign_rate_num,sign_rate_den,sign_rate_pending,sign_rate_exempt,sign_rate_rate") ||
		!strings.HasPrefix(lines[1], "total,,16,20,0,0,0.8000") {
		t.Errorf("csv:\n%s", out)
	}

	for _, args := range [][]string{
		{"metrics", "--period", "2024-13"},
		{"metrics", "--period", "2024-05", "--by", "street"},
		{"metrics", "--period", "2024-05", "--format", "xml"},
		{"metrics", "--period", "2024-05", "--as-of", "June"},
		{"metrics"},
	} {
		if _, errs, code := fenliu(t, dir, args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errs)
		}
	}
}

// Scores on the boundary fixture, derived by hand (SPEC §4 defaults).
func TestScoreCommand(t *testing.T) {
	dir := boundaryInstall(t)
	out, errs, code := fenliu(t, dir, "score", "--period", "2024-05", "--as-of", "2024-06-20", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Groups []struct {
			Key   string `json:"key"`
			Kind  string `json:"kind"`
			Score struct {
				Total  *float64            `json:"total"`
				Parts  map[string]*float64 `json:"parts"`
				Ranked bool                `json:"ranked"`
				Rank   *int                `json:"rank"`
			} `json:"score"`
			Indicators map[string]any `json:"indicators"`
		} `json:"groups"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	// Read in rank order within the peer group, not by name: 市场监管局 (1st)
	// before 住建局 (2nd), the unranked after both.
	if len(doc.Groups) < 3 || doc.Groups[0].Key != "市场监管局" || doc.Groups[1].Key != "住建局" || doc.Groups[2].Score.Rank != nil {
		t.Errorf("score is not in rank order: %s", out)
	}
	if table, _, _ := fenliu(t, dir, "score", "--period", "2024-05", "--as-of", "2024-06-20"); strings.Index(table, "市场监管局") > strings.Index(table, "住建局") {
		t.Errorf("score table is not in rank order:\n%s", table)
	}
	got := map[string]string{}
	for _, g := range doc.Groups {
		s := g.Score
		rank := "null"
		if s.Rank != nil {
			rank = fmt.Sprint(*s.Rank)
		}
		total := "null"
		if s.Total != nil {
			total = fmt.Sprintf("%.2f", *s.Total)
		}
		got[g.Key] = fmt.Sprintf("%s %s ranked=%v rank=%s", g.Kind, total, s.Ranked, rank)
		if len(g.Indicators) != 9 {
			t.Errorf("%s: %d indicators", g.Key, len(g.Indicators))
		}
		if _, listed := s.Parts["satisfaction_rate"]; listed {
			t.Errorf("%s: weight-0 satisfaction_rate listed in parts", g.Key)
		}
		if g.Key == "市场监管局" {
			// sign 9/11 → 200/99, closure 9/11 → 104/11, resolution 9/10 → 25, repeat 2/6 → 0;
			// arrival has den 0 and drops out: × 100/80.
			for id, want := range map[string]string{"sign_rate": "2.53", "closure_rate": "11.82", "resolution_rate": "31.25", "repeat_rate": "0.00"} {
				if p := s.Parts[id]; p == nil || fmt.Sprintf("%.2f", *p) != want {
					t.Errorf("市场监管局 %s part %v, want %s", id, p, want)
				}
			}
			if p, ok := s.Parts["arrival_rate"]; !ok || p != nil {
				t.Errorf("arrival_rate part %v, want null (dropped)", p)
			}
		}
	}
	want := map[string]string{
		"市场监管局":     "职能部门 45.59 ranked=true rank=1",
		"住建局":       "职能部门 15.00 ranked=true rank=2",     // only repeat_rate (0/3) scores
		"枫桥镇社会治理中心": "乡镇街道 81.25 ranked=false rank=null", // (20+20+25+0 for C19 repeated) × 100/80; 2 effective orders < 5: 样本不足
		"某某办公室":     "其他 100.00 ranked=false rank=null",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s, want %s", k, got[k], w)
		}
	}
	out, _, _ = fenliu(t, dir, "score", "--period", "2024-05", "--as-of", "2024-06-20")
	mustContain(t, "table", out, "考评得分", "45.59", "样本不足")
	if _, _, code := fenliu(t, dir, "score", "--period", "2024-05", "--by", "category"); code != 2 {
		t.Errorf("--by category: exit %d, want 2", code)
	}
}

func TestReportCommand(t *testing.T) {
	dir := boundaryInstall(t)
	out, errs, code := fenliu(t, dir, "report", "monthly", "--period", "2024-05", "--as-of", "2024-06-20")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	path := filepath.Join(dir, "reports", "2024-05_月度考评通报.xlsx")
	mustContain(t, "stdout", out, path)
	mustContain(t, "stdout", out, strings.TrimSuffix(path, "xlsx")+"html") // both formats by default
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o644 || st.Size() < 5000 {
		t.Fatalf("workbook %v %v", st, err)
	}
	if _, _, code := fenliu(t, dir, "report", "annual", "--period", "2024", "--as-of", "2025-01-20", "--out", filepath.Join(dir, "y")); code != 0 {
		t.Error("annual report failed")
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "y", "2024_年度考核.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The annual workbook adds the department × month table; 市场监管局 has orders in May only.
	rows, err := f.GetRows("月度得分")
	if err != nil || len(rows) < 3 {
		t.Fatalf("月度得分: %v %v", rows, err)
	}
	found := false
	for _, r := range rows {
		if len(r) > 6 && r[0] == "市场监管局" {
			found = true
			if r[2] != "—" || r[6] == "—" {
				t.Errorf("市场监管局 months %v: January empty, May scored", r[2:14])
			}
		}
	}
	if !found {
		t.Error("市场监管局 missing from 月度得分")
	}
	// Every kind in both formats, and the index lists each, newest first.
	reps := filepath.Join(dir, "all")
	for _, r := range [][]string{{"monthly", "2024-05"}, {"annual", "2024"}, {"trend", "2024-05"}, {"weekly", "2024-W20"}} {
		if _, errs, code := fenliu(t, dir, "report", r[0], "--period", r[1], "--as-of", "2024-06-20", "--out", reps, "--format", "xlsx,html"); code != 0 {
			t.Fatalf("report %v: %s", r, errs)
		}
		time.Sleep(20 * time.Millisecond) // distinct modification times
	}
	index, err := os.ReadFile(filepath.Join(reps, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"2024-05_月度考评通报", "2024_年度考核", "2024-05_趋势分析", "2024-W20_每周研判"} // by kind
	last := -1
	for _, n := range names {
		for _, ext := range []string{".html", ".xlsx"} {
			if _, err := os.Stat(filepath.Join(reps, n+ext)); err != nil {
				t.Error(err)
			}
		}
		i := strings.Index(string(index), ">"+n+".html<")
		if i < 0 || i < last {
			t.Errorf("index.html: %s missing or out of order (by kind)", n)
		}
		last = i
	}
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"report", "monthly", "--period", "2024"}, 2},
		{[]string{"report", "annual", "--period", "2024-05"}, 2},
		{[]string{"report", "quarterly", "--period", "2024-Q1"}, 2},
		{[]string{"report", "weekly", "--period", "2024-05"}, 2},
		{[]string{"report", "trend", "--period", "2024-W20"}, 2},
		{[]string{"report", "monthly", "--period", "2024-05", "--format", "docx"}, 2},
	} {
		if _, errs, code := fenliu(t, dir, c.args...); code != c.code {
			t.Errorf("%v: exit %d (%s), want %d", c.args, code, errs, c.code)
		}
	}
}

// TestReportReissue: a report run again at the same T and on the same data is the
// same report (left untouched, no new version); one that differs — a later T — is
// written beside the first as _v2, and the index lists both.
func TestReportReissue(t *testing.T) {
	dir := boundaryInstall(t)
	out := filepath.Join(dir, "reports")
	run := func(asOf string) string {
		o, errs, code := fenliu(t, dir, "report", "monthly", "--period", "2024-05", "--as-of", asOf)
		if code != 0 {
			t.Fatalf("report: exit %d %s", code, errs)
		}
		return o
	}
	run("2024-06-20")
	first, err := os.ReadFile(filepath.Join(out, "2024-05_月度考评通报.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if o := run("2024-06-20"); strings.Contains(o, "_v2") {
		t.Errorf("the same report again made a new version:\n%s", o)
	}
	if o := run("2024-06-25"); !strings.Contains(o, "2024-05_月度考评通报_v2.xlsx") || !strings.Contains(o, "2024-05_月度考评通报_v2.html") {
		t.Errorf("a changed report did not become _v2:\n%s", o)
	}
	kept, err := os.ReadFile(filepath.Join(out, "2024-05_月度考评通报.xlsx"))
	if err != nil || !bytes.Equal(kept, first) {
		t.Errorf("the first issue was not kept as it was (%v)", err)
	}
	index, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(index), "第2版") || !strings.Contains(string(index), "第1版") {
		t.Errorf("the index does not list both versions")
	}
}

// TestReportPerUnit: `report monthly --per town` writes a feedback sheet per town
// in both formats under <period>/units/<town>/, beside the scorecard; a unit whose
// name is not a file name is written under a safe one.
func TestReportPerUnit(t *testing.T) {
	dir := boundaryInstall(t)
	out, errs, code := fenliu(t, dir, "report", "monthly", "--period", "2024-05", "--as-of", "2024-06-20", "--per", "department")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "feedback sheets (反馈单)") {
		t.Errorf("output:\n%s", out)
	}
	for _, unit := range []string{"市场监管局", "住建局"} {
		for _, ext := range []string{".xlsx", ".html"} {
			p := filepath.Join(dir, "reports", "2024-05", "units", unit, "2024-05_"+unit+"_反馈单"+ext)
			if _, err := os.Stat(p); err != nil {
				t.Error(err)
			}
		}
	}
	// The full detail behind the sheets waited in the temp folder, and nothing of it is left.
	if left, _ := filepath.Glob(filepath.Join(dir, "tmp", "fenliu-spool-*")); len(left) > 0 {
		t.Errorf("the detail's spool left %v", left)
	}
	if _, _, code := fenliu(t, dir, "report", "weekly", "--period", "2024-W20", "--per", "town"); code != exitUsage {
		t.Errorf("--per with a weekly report: exit %d, want %d", code, exitUsage)
	}
	if _, _, code := fenliu(t, dir, "report", "monthly", "--period", "2024-05", "--per", "county"); code != exitUsage {
		t.Errorf("--per county: exit %d, want %d", code, exitUsage)
	}
}
