package main

import (
	"context"
	"fmt"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The payloads of issue 5: each must show as text and run nothing.
const (
	xssScript = "</script><script>alert(1)</script>"
	xssImg    = "<img src=x onerror=alert(1)>"
	xssFunc   = "__f__(function(){alert(1)})()__f__"
)

// poisonedInstall generates 18 months of exports, writes the three payloads into
// department, kind, category, county, town, address and summary values (exports
// and dictionaries alike), loads them and returns the installation.
func poisonedInstall(t *testing.T) string {
	dir := install(t)
	ex := filepath.Join(dir, "exports")
	if _, errs, code := fenliu(t, dir, "gen", "--out", ex, "--calls", "12000", "--from", "2023-01-01", "--to", "2024-06-20", "--seed", "5"); code != 0 {
		t.Fatalf("gen: %s", errs)
	}
	repl := strings.NewReplacer(
		"市场监管局", "市场监管局"+xssScript, // department: table cells, axis labels
		"纠纷", "纠纷"+xssFunc, // category: series names, axis labels, tables
		"新昌县", "新昌县"+xssScript, // county: series names
		"枫桥镇", "枫桥镇"+xssImg, // town: axis labels, tables
		"人民路", "人民路"+xssImg, // address: lists
		"请求处置", "请求处置"+xssScript, // summary: the repeat calls list
	)
	for _, f := range []string{"calls.csv", "orders.csv", "departments.csv", "categories.csv"} {
		b, err := os.ReadFile(filepath.Join(ex, f))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if f == "calls.csv" { // a spike of 纠纷 in 2024-W20, from one caller and one address
			var extra strings.Builder
			for i := 0; i < 45; i++ {
				fmt.Fprintf(&extra, "JX%05d,2024-05-15 %02d:%02d:00,139%08d,诸暨市枫桥镇人民路1号,诸暨市,枫桥镇,枫源村,枫桥派出所,纠纷,邻里纠纷,,是,已处置,报警人称请求处置。\n",
					i, 8+i/6, i%6*10, i%3)
			}
			s += extra.String()
		}
		s = repl.Replace(s)
		dst := filepath.Join(ex, f)
		if strings.HasPrefix(f, "d") || strings.HasPrefix(f, "categories") {
			dst = filepath.Join(dir, f) // the config's dictionaries
		}
		if err := os.WriteFile(dst, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, errs, code := fenliu(t, dir, "ingest", filepath.Join(ex, "calls.csv"), filepath.Join(ex, "orders.csv")); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	return dir
}

// chromium finds Debian's chromium; CI must have it (.ci/run installs it).
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed (.ci/run installs Debian's chromium)")
	}
	t.Skip("chromium not installed")
	return ""
}

// pageReport is what one page did in the browser.
type pageReport struct {
	Charts, Drawn   int
	Text            string // document.body.innerText
	Options         string // every chart's option, as JSON
	Images, Scripts int    // <img> elements; <script> elements without a nonce
	ScrollWidth     int
	Pwned           bool
}

func TestReportsInChromium(t *testing.T) {
	exe := chromium(t)
	dir := poisonedInstall(t)
	out := filepath.Join(dir, "reports")
	for _, r := range [][]string{{"monthly", "2024-05"}, {"annual", "2023"}, {"trend", "2024-05"}, {"weekly", "2024-W20"}} {
		if _, errs, code := fenliu(t, dir, "report", r[0], "--period", r[1], "--as-of", "2024-06-20", "--format", "html,xlsx"); code != 0 {
			t.Fatalf("report %v: %s", r, errs)
		}
	}
	pages := map[string][]string{ // page → payloads that must show as text in it
		"2024-05_月度考评通报.html": {"市场监管局" + xssScript, "枫桥镇" + xssImg, "新昌县" + xssScript},
		"2023_年度考核.html":      {"市场监管局" + xssScript},
		"2024-05_趋势分析.html":   {"市场监管局" + xssScript},
		"2024-W20_每周研判.html":  {"纠纷" + xssFunc, "枫桥镇" + xssImg, "人民路" + xssImg, "请求处置" + xssScript},
		"index.html":          {"2024-W20_每周研判.html"},
	}
	// Payloads that must be chart data (titles, series names, axis labels).
	inCharts := map[string][]string{
		"2024-05_月度考评通报.html": {"市场监管局" + xssScript, "新昌县" + xssScript},
		"2024-05_趋势分析.html":   {"纠纷" + xssFunc, "新昌县" + xssScript + "（去年同期）", "市场监管局" + xssScript},
		"2024-W20_每周研判.html":  {"纠纷" + xssFunc + "：近5周有效警情", "枫桥镇" + xssImg},
	}
	attrURL := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:|//)`)
	for name := range pages {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		html := string(b)
		for _, bad := range []string{xssScript, xssImg} {
			if strings.Contains(html, bad) {
				t.Errorf("%s holds %q unescaped", name, bad)
			}
		}
		if m := attrURL.FindString(html); m != "" {
			t.Errorf("%s references the network: %q", name, m)
		}
	}

	alloc, cancel := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(1366, 768), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-extensions", true))
	defer cancel()
	browser, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	shots := t.TempDir()
	for name, texts := range pages {
		t.Run(name, func(t *testing.T) {
			tab, cancel := chromedp.NewContext(browser)
			defer cancel()
			url := "file://" + filepath.Join(out, name)
			var mu sync.Mutex
			var problems []string
			note := func(s string) { mu.Lock(); problems = append(problems, s); mu.Unlock() }
			err := chromedp.Listen(tab, func(ev any) {
				switch e := ev.(type) {
				case *runtime.EventExceptionThrown:
					note("exception: " + e.ExceptionDetails.Text)
				case *runtime.EventConsoleAPICalled:
					if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
						note("console " + string(e.Type))
					}
				case *cdplog.EventEntryAdded:
					if e.Entry.Level == cdplog.EntryLevelError || e.Entry.Level == cdplog.EntryLevelWarning {
						note("log " + string(e.Entry.Level) + ": " + e.Entry.Text)
					}
				case *network.EventRequestWillBeSent:
					if u, err := neturl.PathUnescape(e.Request.URL); err != nil || u != url {
						note("request: " + e.Request.URL)
					}
				case *page.EventJavascriptDialogOpening:
					note("dialog: " + e.Message)
					go chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			for _, enable := range []func() error{
				func() error { _, err := chromedp.Call(tab, runtime.Enable, cdp.Empty{}); return err },
				func() error { _, err := chromedp.Call(tab, cdplog.Enable, cdp.Empty{}); return err },
				func() error { _, err := chromedp.Call(tab, network.Enable, network.EnableParams{}); return err },
			} {
				if err := enable(); err != nil {
					t.Fatal(err)
				}
			}
			// A guard against a hung browser, not a timing: the annual's page takes
			// 25 s alone here and went past 60 s once on a loaded machine.
			tctx, cancel := context.WithTimeout(tab, 3*time.Minute)
			defer cancel()
			if err := chromedp.Do(tctx, chromedp.Navigate(url)); err != nil {
				t.Fatal(err)
			}
			probe := pageProbe
			if name == "index.html" {
				probe = indexProbe
			}
			rep, err := chromedp.Run(tctx, chromedp.Evaluate[pageReport](probe))
			if err != nil {
				t.Fatalf("probe: %v", err)
			}
			if name == "2024-05_月度考评通报.html" {
				// Each peer group's score table fits a 1366 px screen: no sideways scroll.
				wide, err := chromedp.Run(tctx, chromedp.Evaluate[string](
					`[...document.querySelectorAll('table.score')].filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth).map(t => t.parentElement.scrollWidth).join(",")`))
				if err != nil || wide != "" {
					t.Errorf("score tables wider than the screen: %q %v", wide, err)
				}
				// A scored rate opens the unit's records (明细): the folded list it links to
				// opens and comes into view.
				if _, err := chromedp.Run(tctx, chromedp.Evaluate[bool](`document.querySelector('#departments td a[href^="#d-"]').click(), true`)); err != nil {
					t.Fatalf("click: %v", err)
				}
				time.Sleep(300 * time.Millisecond) // the fragment's navigation is a task of its own
				got, err := chromedp.Run(tctx, chromedp.Evaluate[string](linkProbe))
				if err != nil || got != "ok" {
					t.Errorf("a scored cell's link: %q %v", got, err)
				}
				if err := chromedp.Do(tctx, chromedp.Navigate(url)); err != nil {
					t.Fatal(err)
				}
			}
			shot, err := chromedp.Run(tctx, chromedp.FullScreenshot(80))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			pdf, err := chromedp.Run(tctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFLandscape(), chromedp.PDFPrintBackground()))
			if err != nil {
				t.Fatalf("print: %v", err)
			}
			mu.Lock()
			for _, p := range problems {
				t.Errorf("%s: %s", name, p)
			}
			mu.Unlock()
			if name != "index.html" && (rep.Charts < 3 || rep.Drawn != rep.Charts) {
				t.Errorf("%s: %d of %d charts drawn on a canvas", name, rep.Drawn, rep.Charts)
			}
			if rep.Images != 0 || rep.Scripts != 0 || rep.Pwned {
				t.Errorf("%s: %d <img>, %d scripts without the nonce: markup was injected", name, rep.Images, rep.Scripts)
			}
			if rep.ScrollWidth > 1366 {
				t.Errorf("%s: %d px wide, wider than a 1366×768 screen", name, rep.ScrollWidth)
			}
			for _, s := range texts {
				if !strings.Contains(rep.Text, s) {
					t.Errorf("%s: the text %q is not shown", name, s)
				}
			}
			for _, s := range inCharts[name] {
				if !strings.Contains(rep.Options, s) { // JSON.stringify escapes only quotes and backslashes
					t.Errorf("%s: no chart carries %q as a label", name, s)
				}
			}
			if !strings.Contains(rep.Text, "指标口径") && name != "index.html" {
				t.Errorf("%s: no 指标口径 section", name)
			}
			path := filepath.Join(shots, strings.TrimSuffix(name, ".html")+".png")
			if err := os.WriteFile(path, shot, 0o644); err != nil {
				t.Fatal(err)
			}
			if min := map[bool]int{true: 10_000, false: 100_000}[name == "index.html"]; len(shot) < min {
				t.Errorf("%s: screenshot %d bytes, want at least %d", name, len(shot), min)
			}
			if len(pdf) < 10_000 || !strings.HasPrefix(string(pdf), "%PDF") {
				t.Errorf("%s: printed PDF of %d bytes", name, len(pdf))
			}
		})
	}
}

// linkProbe checks where the page went after a click on a scored cell's link.
const linkProbe = `(() => {
	const t = document.getElementById(location.hash.slice(1)), d = t && t.closest('details');
	if (!d) return "no list " + location.hash;
	if (!d.open) return "closed";
	const top = d.getBoundingClientRect().top;
	return top >= 0 && top < innerHeight ? "ok" : "off screen at " + top;
})()`

// pageProbe reports what a report page did: every chart container must hold a
// canvas with ink on it; the options show the labels as data.
const pageProbe = `(() => {
	const charts = [...document.querySelectorAll('.chart')];
	const drawn = charts.filter(el => {
		const c = el.querySelector('canvas');
		if (!c || c.width === 0 || c.height === 0) return false;
		const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
		let ink = 0;
		for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++;
		return ink > 2000;
	});
	return {Charts: charts.length, Drawn: drawn.length, Text: document.body.innerText,
		Options: JSON.stringify(charts.map(el => echarts.getInstanceByDom(el).getOption())),
		Images: document.querySelectorAll('img').length,
		Scripts: document.querySelectorAll('script:not([nonce])').length,
		ScrollWidth: document.documentElement.scrollWidth,
		Pwned: document.title === 'PWNED'};
})()`

// indexProbe is pageProbe for the index page, which has no charts.
const indexProbe = `({Text: document.body.innerText, Images: document.querySelectorAll('img').length,
	Scripts: document.querySelectorAll('script:not([nonce])').length,
	ScrollWidth: document.documentElement.scrollWidth})`

// TestReportPDF: `report --format pdf` prints the page with the machine's
// Chromium: A4 landscape, the title on the first page, a header with the title and
// a footer 第 n 页，共 N 页 on every page; run again unchanged, it is not re-issued.
// Without a browser it says so and exits 1, having written nothing.
func TestReportPDF(t *testing.T) {
	chromium(t)
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is not installed (.ci/run installs poppler-utils)")
	}
	dir := boundaryInstall(t)
	out, errs, code := fenliu(t, dir, "report", "monthly", "--period", "2024-05", "--as-of", "2024-06-20", "--format", "pdf")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	path := filepath.Join(dir, "reports", "2024-05_月度考评通报.pdf")
	if !strings.Contains(out, path) {
		t.Errorf("output does not name the PDF:\n%s", out)
	}
	info, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(info)
	if m == nil || !strings.Contains(string(info), "A4") || !strings.Contains(string(info), "841.") {
		t.Fatalf("pdfinfo:\n%s", info)
	}
	pages, _ := strconv.Atoi(string(m[1]))
	if pages < 3 || pages > 40 {
		t.Errorf("%d pages", pages)
	}
	for p := 1; p <= pages; p++ {
		text, err := exec.Command("pdftotext", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p), path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{fmt.Sprintf("第 %d 页，共 %d 页", p, pages), "2024年5月非警务警情分流处置考评通报 · 统计时点 2024-06-20 00:00"} {
			if !strings.Contains(string(text), want) {
				t.Errorf("page %d lacks %q", p, want)
			}
		}
		if p == 1 && !strings.Contains(string(text), "一、总体情况") {
			t.Error("page 1 does not open with the 通报")
		}
	}
	if out, _, _ := fenliu(t, dir, "report", "monthly", "--period", "2024-05", "--as-of", "2024-06-20", "--format", "pdf"); !strings.Contains(out, "unchanged") {
		t.Errorf("the same PDF again was re-issued:\n%s", out)
	}

	cmd := command(t, dir, "report", "monthly", "--period", "2024-05", "--as-of", "2024-06-21", "--format", "pdf")
	cmd.Env = append(cmd.Env, "PATH=/nonexistent", "FENLIU_CHROMIUM=")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err = cmd.Run()
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(stderr.String(), "no Chromium found") {
		t.Errorf("without a browser: exit %d %v: %s", code, err, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", "2024-05_月度考评通报_v2.pdf")); err == nil {
		t.Error("a PDF was written without a browser")
	}
}
