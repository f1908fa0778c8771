package reports_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A real office suite opens the workbook: LibreOffice converts it to PDF headless,
// and the Chinese title and a department name are in the PDF's text. .ci/run
// installs LibreOffice; elsewhere the test is skipped when it is absent.
func TestLibreOfficeOpensTheWorkbook(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("soffice is not installed: .ci/run must install libreoffice-calc-nogui")
		}
		t.Skip("LibreOffice not installed")
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed")
	}
	f, _ := workbook(t)
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "scorecard.xlsx")
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, xlsx)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	text, err := exec.Command(pdftotext, filepath.Join(dir, "scorecard.pdf"), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"非警务警情分流处置考评通报", "市场监管局", "签收率"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	// Every printed page carries the report's title and the sheet in its header
	// and 第 n 页 in its footer; the workbook prints on a bounded number of pages.
	pages := strings.Split(strings.TrimRight(string(text), "\f"), "\f")
	if len(pages) < 8 || len(pages) > 30 {
		t.Errorf("%d printed pages", len(pages))
	}
	for i, p := range pages {
		if !strings.Contains(p, "2024年5月非警务警情分流处置考评通报") || !regexp.MustCompile(`第 \d+ 页，共 \d+ 页`).MatchString(p) {
			t.Errorf("printed page %d lacks the running title or the page number:\n%.200s", i+1, p)
		}
	}
}
