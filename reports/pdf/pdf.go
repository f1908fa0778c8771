// Package pdf prints a report's HTML page as a print-ready PDF with the Chromium
// found on the machine (issue 13): A4 landscape, a header with the title and the
// period and a footer with the page number on every page, charts drawn at print
// size, table rows never cut. Nothing is fetched: the page is self-contained and
// the browser runs with networking off.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ErrNoBrowser is returned when no Chromium is found.
var ErrNoBrowser = errors.New("no Chromium found to print the PDF: install Debian's chromium (apt-get install chromium), or set FENLIU_CHROMIUM to the browser's path")

// Browser finds the Chromium to print with: $FENLIU_CHROMIUM, else chromium,
// chromium-browser, google-chrome or google-chrome-stable on the PATH.
func Browser() (string, error) {
	if p := os.Getenv("FENLIU_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("FENLIU_CHROMIUM=%s: %w", p, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoBrowser
}

// Print prints the HTML page at src to a PDF written to dst, with header and
// footer text head (the title and period) on every page.
func Print(ctx context.Context, browser, src, dst, head string) error {
	abs, err := filepath.Abs(src)
	if err != nil {
		return err
	}
	alloc, cancel := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(browser), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.Flag("disable-background-networking", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-extensions", true), chromedp.Flag("disable-sync", true), chromedp.WindowSize(1366, 900))
	defer cancel()
	tab, cancel := chromedp.NewContext(alloc)
	defer cancel()
	tab, cancel = context.WithTimeout(tab, 2*time.Minute)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate((&url.URL{Scheme: "file", Path: abs}).String())); err != nil {
		return fmt.Errorf("pdf: open %s: %w", src, err)
	}
	// The charts draw on load; the page resizes them for print media itself. Wait
	// until every chart is drawn (the answer of a single look was not read, so a
	// busy machine could print a page whose charts were not all there yet).
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`typeof fenliu === "undefined" || fenliu.count() >= document.querySelectorAll(".chart").length`,
		chromedp.WithPollingTimeout(time.Minute))); err != nil {
		return fmt.Errorf("pdf: %s: the charts were not drawn: %w", src, err)
	}
	text := html.EscapeString(head)
	style := `font-size:8px;font-family:'Noto Sans CJK SC','WenQuanYi Zen Hei',sans-serif;width:100%;margin:0 10mm;color:#555;`
	b, err := chromedp.Run(tab, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFLandscape(),
		chromedp.PDFMargins(0.55, 0.4, 0.55, 0.4), func(p *page.PrintToPDFParams) {
			on := true
			p.PrintBackground, p.DisplayHeaderFooter = &on, &on
			p.HeaderTemplate = `<div style="` + style + `text-align:left;">` + text + `</div>`
			p.FooterTemplate = `<div style="` + style + `text-align:center;">第 <span class="pageNumber"></span> 页，共 <span class="totalPages"></span> 页</div>`
		}))
	if err != nil {
		return fmt.Errorf("pdf: print %s: %w", src, err)
	}
	return os.WriteFile(dst, b, 0o644)
}
