package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The one-command main job: demo sets up an installation, loads two years and
// writes every report in both formats, then lists them.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	out, errs, code := fenliu(t, dir, "demo", "--dir", "d", "--calls", "20000")
	if code != 0 {
		t.Fatalf("demo: exit %d: %s", code, errs)
	}
	reports, _ := filepath.Glob(filepath.Join(dir, "d", "reports", "*"))
	kinds := map[string]int{}
	for _, r := range reports {
		if strings.HasPrefix(filepath.Base(r), ".") { // a report's delivery manifest, hidden
			continue
		}
		st, err := os.Stat(r)
		if err != nil || st.Size() < 3000 {
			t.Errorf("%s: %v %v", r, st, err)
		}
		base := filepath.Base(r)
		if base == "index.html" {
			continue
		}
		_, kind, _ := strings.Cut(strings.TrimSuffix(base, filepath.Ext(base)), "_")
		kinds[kind+filepath.Ext(base)]++
		mustContain(t, "demo output", out, base) // the summary names every file
	}
	for _, k := range []string{"月度考评通报", "年度考核", "每周研判", "趋势分析"} {
		if kinds[k+".xlsx"] != 1 || kinds[k+".html"] != 1 {
			t.Errorf("%s: %d workbooks and %d pages, want one of each", k, kinds[k+".xlsx"], kinds[k+".html"])
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "d", "reports", "index.html")); err != nil {
		t.Error(err)
	}
	mustContain(t, "demo output", out, "loaded", "open index.html", "report  ")
	if strings.Contains(errs, "computations") {
		t.Error("progress written although stderr is not a terminal")
	}
}
