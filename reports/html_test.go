package reports_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
	"github.com/fenliu/fenliu/reports"
)

// htmlReports renders every kind of report from the boundary fixture.
func htmlReports(t *testing.T) map[string]string {
	t.Helper()
	ctx := context.Background()
	db := boundaryDB(t)
	mc, sc := metrics.DefaultConfig(), score.DefaultConfig()
	asOf := time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)
	month, _ := period.Parse("2024-05")
	year, _ := period.Parse("2024")
	week, _ := period.Parse("2024-W21")
	out := map[string]string{}
	render := func(name string, write func(*bytes.Buffer) error) {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = b.String()
	}
	m, err := reports.Monthly(ctx, metrics.New(db, mc, nil), mc, sc, month, asOf)
	if err != nil {
		t.Fatal(err)
	}
	render("monthly", func(b *bytes.Buffer) error { return m.WriteHTML(b, "月度") })
	a, err := reports.Annual(ctx, metrics.New(db, mc, nil), mc, sc, year, asOf)
	if err != nil {
		t.Fatal(err)
	}
	render("annual", func(b *bytes.Buffer) error { return a.WriteHTML(b, "年度") })
	tr, err := reports.BuildTrend(ctx, metrics.New(db, mc, nil), mc, sc, month, asOf)
	if err != nil {
		t.Fatal(err)
	}
	render("trend", func(b *bytes.Buffer) error { return tr.WriteHTML(b, "趋势") })
	w, err := reports.BuildWeekly(ctx, metrics.New(db, mc, nil), mc, sc, week, asOf)
	if err != nil {
		t.Fatal(err)
	}
	render("weekly", func(b *bytes.Buffer) error { return w.WriteHTML(b, "每周") })
	return out
}

var (
	cspNonce  = regexp.MustCompile(`script-src 'nonce-([A-Za-z0-9_-]+)'`)
	scriptTag = regexp.MustCompile(`<script[^>]*>`)
	remoteRef = regexp.MustCompile(`(?i)(src|href|url)\s*[=(]\s*["']?\s*(https?:|//)`)
	chartDiv  = regexp.MustCompile(`<div class="chart[^"]*" id="(chart\d+)"`)
	drawCall  = regexp.MustCompile(`fenliu\.draw\("(chart\d+)", \{`)
)

// Every page is self-contained: one CSP with a nonce that every script carries,
// ECharts inlined, no reference to the network, one draw call per chart.
func TestHTMLSelfContained(t *testing.T) {
	lib, err := os.ReadFile(filepath.Join("assets", "echarts", "echarts.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	for name, page := range htmlReports(t) {
		if !strings.Contains(page, string(lib)) {
			t.Errorf("%s: ECharts not inlined whole", name)
		}
		page = strings.Replace(page, string(lib), "", 1) // its own code mentions src= and URLs
		m := cspNonce.FindStringSubmatch(page)
		if m == nil {
			t.Errorf("%s: no Content-Security-Policy with a script nonce", name)
			continue
		}
		for _, tag := range scriptTag.FindAllString(page, -1) {
			if tag != `<script nonce="`+m[1]+`">` {
				t.Errorf("%s: script tag %q without the page's nonce", name, tag)
			}
		}
		if strings.Contains(page, " src=") {
			t.Errorf("%s: an external resource (src=)", name)
		}
		if r := remoteRef.FindString(page); r != "" {
			t.Errorf("%s: a network reference %q", name, r)
		}
		if !strings.Contains(page, "echarts.init") {
			t.Errorf("%s: charts are not initialised", name)
		}
		divs, draws := chartDiv.FindAllStringSubmatch(page, -1), drawCall.FindAllStringSubmatch(page, -1)
		if len(divs) == 0 || len(divs) != len(draws) {
			t.Errorf("%s: %d chart containers, %d draw calls", name, len(divs), len(draws))
		}
		for i := range min(len(divs), len(draws)) {
			if divs[i][1] != draws[i][1] {
				t.Errorf("%s: container %s drawn as %s", name, divs[i][1], draws[i][1])
			}
		}
		for _, sec := range []string{"指标口径", "数据来源"} {
			if !strings.Contains(page, "<h2>"+sec+"</h2>") {
				t.Errorf("%s: no %s section", name, sec)
			}
		}
	}
}

// The fixture's formula-like free text is shown as text, escaped where needed.
func TestHTMLShowsFreeTextAsText(t *testing.T) {
	pages := htmlReports(t)
	for _, s := range []string{"=cmd|' /C calc'!A0", "@SUM(1)+2"} {
		if !strings.Contains(pages["monthly"], html.EscapeString(s)) {
			t.Errorf("monthly: %q not shown as text", s)
		}
	}
	// Two renders differ only in the nonce: a fresh one per page.
	again := htmlReports(t)["monthly"]
	n1, n2 := cspNonce.FindStringSubmatch(pages["monthly"])[1], cspNonce.FindStringSubmatch(again)[1]
	if n1 == n2 {
		t.Error("the same CSP nonce twice")
	}
	strip := func(s string) string {
		s = strings.ReplaceAll(s, cspNonce.FindStringSubmatch(s)[1], "NONCE")
		return regexp.MustCompile(`生成时间：[0-9: -]+`).ReplaceAllString(s, "")
	}
	if strip(pages["monthly"]) != strip(again) {
		t.Error("two renders of the same data differ beyond the nonce")
	}
}

// The vendored ECharts is the release the README names, unchanged.
func TestVendoredECharts(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("assets", "echarts", "echarts.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != "bf4a223524e40b77c304bec67e1222cf551f14880cf42c69dc046558e11c07b1" {
		t.Errorf("echarts.min.js sha256 %s: not the vendored 5.6.0 (update assets/echarts/README.md)", got)
	}
	if bytes.Contains(b, []byte("</script")) || bytes.Contains(b, []byte("<!--")) {
		t.Error("echarts.min.js cannot be inlined in a <script> element as is")
	}
	for _, f := range []string{"LICENSE", "NOTICE"} {
		if _, err := os.Stat(filepath.Join("assets", "echarts", f)); err != nil {
			t.Errorf("the licence file %s is missing: %v", f, err)
		}
	}
}

var (
	h2Tag    = regexp.MustCompile(`<h2>([^<]*)</h2>`)
	ariaTag  = regexp.MustCompile(`aria-label="([^"]*)"`)
	theadRow = regexp.MustCompile(`<thead><tr>(.*?)</tr></thead>`)
	thCell   = regexp.MustCompile(`<th>([^<]*)</th>`)
)

// The golden file pins each page's structure: sections, charts, table headers.
func TestHTMLStructureGolden(t *testing.T) {
	pages := htmlReports(t)
	var b strings.Builder
	for _, name := range []string{"monthly", "annual", "trend", "weekly"} {
		page := pages[name]
		fmt.Fprintf(&b, "== %s\n", name)
		for _, line := range strings.Split(page, "\n") {
			for _, m := range h2Tag.FindAllStringSubmatch(line, -1) {
				fmt.Fprintf(&b, "section %s\n", html.UnescapeString(m[1]))
			}
			for _, m := range ariaTag.FindAllStringSubmatch(line, -1) {
				fmt.Fprintf(&b, "  chart %s\n", html.UnescapeString(m[1]))
			}
			for _, m := range theadRow.FindAllStringSubmatch(line, -1) {
				var hs []string
				for _, h := range thCell.FindAllStringSubmatch(m[1], -1) {
					hs = append(hs, html.UnescapeString(h[1]))
				}
				fmt.Fprintf(&b, "  table %s\n", strings.Join(hs, "|"))
			}
		}
	}
	checkGolden(t, "html_structure.golden", "HTML structure", b.String())
}

// The index lists every report of the folder by kind (monthly, annual, trend,
// weekly), newest period first, each re-issued version above the one before, HTML
// and Excel side by side, in the configured zone, and ignores other files.
func TestIndex(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2024, 6, 5, 0, 30, 0, 0, time.UTC) // 08:30 in Shanghai
	for i, f := range []string{"2024-05_月度考评通报.xlsx", "2024-05_月度考评通报.html", "2024-W20_每周研判.html", "2024_年度考核.xlsx",
		"2024-04_月度考评通报.html", "2024-05_月度考评通报_v2.html", "notes.txt", ".fenliu-123"} {
		p := filepath.Join(dir, f)
		os.WriteFile(p, []byte("x"), 0o644)
		os.Chtimes(p, at.Add(time.Duration(i)*time.Minute), at.Add(time.Duration(i)*time.Minute))
	}
	var b bytes.Buffer
	if err := reports.WriteIndex(&b, dir, shanghai); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	order := []string{"2024-05_月度考评通报_v2.html", "2024-05_月度考评通报.html", "2024-05_月度考评通报.xlsx", "2024-04_月度考评通报.html",
		"2024_年度考核.xlsx", "2024-W20_每周研判.html"}
	last := -1
	for _, o := range order {
		i := strings.Index(page, ">"+o+"<")
		if i < 0 || i < last {
			t.Errorf("index: %s missing or out of order:\n%s", o, page)
		}
		last = i
	}
	for _, want := range []string{"第2版", "2024-06-05 08:31", "<caption>月度考评通报</caption>", "<caption>每周研判</caption>"} {
		if !strings.Contains(page, want) {
			t.Errorf("index lacks %q", want)
		}
	}
	if strings.Contains(page, "notes.txt") || strings.Contains(page, ".fenliu-") || strings.Contains(page, "echarts.init") {
		t.Error("index lists a file that is not a report, or inlines ECharts without charts")
	}
	if strings.Count(page, "<tr>") != 5+3 { // three tables' headers and five reports
		t.Errorf("index has %d rows, want 5 reports in 3 tables", strings.Count(page, "<tr>"))
	}
}

// TestReportVersions: a file name's version, and sameness up to the nonce.
func TestReportVersions(t *testing.T) {
	dir := t.TempDir()
	if v, _ := reports.LatestVersion(dir, "2024-05_月度考评通报"); v != 0 {
		t.Errorf("empty folder: version %d", v)
	}
	for _, f := range []string{"2024-05_月度考评通报.html", "2024-05_月度考评通报_v3.xlsx", "2024-05_月度考评通报_vx.html", "2024-06_月度考评通报_v9.html"} {
		os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644)
	}
	if v, _ := reports.LatestVersion(dir, "2024-05_月度考评通报"); v != 3 {
		t.Errorf("latest version %d, want 3", v)
	}
	if reports.VersionName("a", 1) != "a" || reports.VersionName("a", 2) != "a_v2" {
		t.Error("VersionName")
	}
	if !reports.SameReport([]byte(`<script nonce="abc">x</script>`), []byte(`<script nonce="xyz">x</script>`)) ||
		reports.SameReport([]byte(`<p>1</p>`), []byte(`<p>2</p>`)) {
		t.Error("SameReport")
	}
}

// The weekly and trend workbooks hold the same figures as their models.
func TestWeeklyAndTrendWorkbooks(t *testing.T) {
	ctx := context.Background()
	db := boundaryDB(t)
	mc, sc := metrics.DefaultConfig(), score.DefaultConfig()
	asOf := time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)
	week, _ := period.Parse("2024-W21")
	w, err := reports.BuildWeekly(ctx, metrics.New(db, mc, nil), mc, sc, week, asOf)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := w.WriteXLSX(&b, "每周研判"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows := func(sheet string) [][]string {
		r, err := f.GetRows(sheet)
		if err != nil {
			t.Fatalf("%s: %v", sheet, err)
		}
		return r
	}
	cats := rows("按警情类别")[2:]
	if len(cats) != len(w.B.Categories) || len(cats) == 0 {
		t.Fatalf("按警情类别: %d rows, want %d", len(cats), len(w.B.Categories))
	}
	for i, v := range w.B.Categories {
		if cats[i][0] != v.Key || cats[i][1] != fmt.Sprint(v.Week) || cats[i][2] != fmt.Sprint(v.Prev) {
			t.Errorf("按警情类别 row %d = %q, want %s %d %d", i, cats[i], v.Key, v.Week, v.Prev)
		}
	}
	carried, fresh := 0, 0
	for _, r := range w.B.Overdue {
		if r.Carried {
			carried++
		} else {
			fresh++
		}
	}
	for sheet, n := range map[string]int{"高频报警电话": len(w.B.Callers), "高频报警地址": len(w.B.Addresses), "重复报警": len(w.B.Repeats),
		"上期已列仍未办结": carried, "本周新增超期": fresh, "未签收工单": len(w.B.Unsigned)} {
		if got := len(rows(sheet)) - 2; got != n {
			t.Errorf("%s: %d rows, want %d", sheet, got, n)
		}
	}
	if carried+fresh == 0 || len(w.B.Repeats) == 0 {
		t.Errorf("the fixture's week has %d overdue orders and %d repeats: the test checks nothing", carried+fresh, len(w.B.Repeats))
	}

	month, _ := period.Parse("2024-05")
	tr, err := reports.BuildTrend(ctx, metrics.New(db, mc, nil), mc, sc, month, asOf)
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := tr.WriteXLSX(&b, "趋势分析"); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	overall, _ := g.GetRows("总体走势")
	if len(overall) != 2+24 || overall[2][0] != "2022-06" || overall[25][0] != "2024-05" {
		t.Fatalf("总体走势: %d rows from %q", len(overall), overall[2][0])
	}
	may := tr.Total[23].Groups[0]
	if overall[25][2] != fmt.Sprint(may.Counts.ValidCalls) {
		t.Errorf("2024-05 valid calls %s, want %d", overall[25][2], may.Counts.ValidCalls)
	}
	raw, _ := g.GetCellValue("总体走势", "F26", excelize.Options{RawCellValue: true})
	if want := may.Indicators[metrics.SignRate].Rate(); want == nil || !sameNumber(raw, want) {
		t.Errorf("2024-05 sign rate cell %s, want %v", raw, want)
	}
}
