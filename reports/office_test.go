package reports_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
	"github.com/fenliu/fenliu/reports"
)

// A printed page of a workbook, as LibreOffice prints it: the sheet its running
// header names, its text (without white space) and the median height of its
// words in points (13.0 is 10 pt text at 100 %).
type printedPage struct {
	sheet  string
	head   string // the running header
	text   string
	height float64
}

// minWordHeight is the median word height of a page whose table text prints at
// 8 pt (10 pt cells at 80 %).
const minWordHeight = 10.4

// printWorkbooks converts workbooks to PDF with LibreOffice, in one run, and
// reads back each one's pages. The fonts are set up as on the readers' machines
// (testdata/fonts.conf); .ci/run installs LibreOffice and the fonts, elsewhere
// the test is skipped when they are absent.
func printWorkbooks(t *testing.T, books map[string][]byte) map[string][]printedPage {
	t.Helper()
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
	fonts, _ := filepath.Abs(filepath.Join("testdata", "fonts.conf"))
	dir := t.TempDir()
	args := []string{"--headless", "--norestore", "-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--convert-to", "pdf", "--outdir", dir}
	for name, b := range books {
		p := filepath.Join(dir, name+".xlsx")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	cmd := exec.Command(soffice, args...)
	cmd.Env = append(os.Environ(), "FONTCONFIG_FILE="+fonts)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	word := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>`)
	out := map[string][]printedPage{}
	for name := range books {
		bbox, err := exec.Command(pdftotext, "-bbox", filepath.Join(dir, name+".pdf"), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", name, err)
		}
		for _, pg := range strings.Split(string(bbox), "<page ")[1:] {
			var p printedPage
			var heights []float64
			headX := -1.0
			for _, m := range word.FindAllStringSubmatch(pg, -1) {
				x, _ := strconv.ParseFloat(m[1], 64)
				y0, _ := strconv.ParseFloat(m[2], 64)
				y1, _ := strconv.ParseFloat(m[3], 64)
				text := strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`).Replace(m[4])
				if y1 < 36 { // the running header, inside the top margin: the sheet's name is its last word
					if x > headX {
						headX, p.sheet = x, text
					}
					p.head += text
					continue
				}
				heights = append(heights, y1-y0)
				p.text += text
			}
			sort.Float64s(heights)
			if len(heights) > 0 {
				p.height = heights[len(heights)/2]
			}
			out[name] = append(out[name], p)
		}
	}
	return out
}

// columns are a sheet's first and last column headers (of its first table) and
// whether it is fitted to one page wide: a fitted table has both on every page;
// a wider one prints across pages at 100 % with its first column repeated.
type columns struct {
	first, last string
	fitted      bool
}

func headers(t *testing.T, b []byte) map[string]columns {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]columns{}
	for _, sh := range f.GetSheetList() {
		panes, _ := f.GetPanes(sh)
		rows, _ := f.GetRows(sh)
		at := panes.YSplit // the frozen rows end with the header
		if at == 0 || at > len(rows) || len(rows[at-1]) < 2 {
			continue
		}
		row := rows[at-1]
		first, last := row[0], row[len(row)-1]
		if first == "" || last == "" {
			continue
		}
		pl, _ := f.GetPageLayout(sh)
		props, _ := f.GetSheetProps(sh)
		fitted := pl.FitToWidth != nil && *pl.FitToWidth == 1 && props.FitToPage != nil && *props.FitToPage
		if !fitted && pl.AdjustTo != nil && *pl.AdjustTo != 100 {
			t.Errorf("%s: neither fitted to the width nor printed at 100 %%", sh)
		}
		out[sh] = columns{first, last, fitted}
	}
	return out
}

// checkPrinted holds a printed workbook to the print rules: every page carries
// the report's title and 第 n 页，共 m 页, its text prints at 8 pt or more, and no
// table is split sideways (its first and last column on every page of its sheet).
func checkPrinted(t *testing.T, name, title string, pages []printedPage, heads map[string]columns, minPages, maxPages int) {
	t.Helper()
	if len(pages) < minPages || len(pages) > maxPages {
		t.Errorf("%s: %d printed pages, want %d–%d", name, len(pages), minPages, maxPages)
	}
	number := regexp.MustCompile(`第\d+页，共\d+页`)
	for i, p := range pages {
		where := fmt.Sprintf("%s page %d (%s)", name, i+1, p.sheet)
		if !strings.Contains(p.head, title) || !number.MatchString(p.text) {
			t.Errorf("%s lacks the running title or the page number: %s | %.200s", where, p.head, p.text)
		}
		if p.height < minWordHeight {
			t.Errorf("%s prints its text at %.1f pt, under 8 pt", where, p.height/1.3)
		}
		// The first column's header on every page, and on a fitted sheet the
		// last's: by their characters, since a header wraps within its cell and
		// pdftotext interleaves the lines of neighbouring cells.
		has := func(col string) bool {
			for _, r := range col {
				if !strings.ContainsRune(p.text, r) && !unicode.IsSpace(r) {
					return false
				}
			}
			return true
		}
		if h, ok := heads[p.sheet]; ok {
			if !has(h.first) {
				t.Errorf("%s lacks its first column %q: not repeated on every page", where, h.first)
			}
			if h.fitted && !has(h.last) {
				t.Errorf("%s lacks the column %q: the table is split across pages", where, h.last)
			}
		}
	}
}

// Every workbook of every kind, and a feedback sheet, prints legibly on A4 with
// its running title and page numbers, no table split sideways, within bounds.
func TestLibreOfficePrintsEveryWorkbook(t *testing.T) {
	db := boundaryDB(t)
	ctx := context.Background()
	src := metrics.New(db, metrics.DefaultConfig(), nil)
	asOf := time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)
	periods := map[string]string{"monthly": "2024-05", "annual": "2024", "trend": "2024-05", "weekly": "2024-W20"}
	bounds := map[string][2]int{"monthly": {12, 40}, "annual": {12, 60}, "trend": {4, 30}, "weekly": {3, 20}, "feedback": {2, 12}}
	books, titles := map[string][]byte{}, map[string]string{}
	var monthly *reports.Scorecard
	for _, k := range reports.Kinds {
		p, _ := period.Parse(periods[k.Name])
		r, err := k.Build(ctx, src, metrics.DefaultConfig(), score.DefaultConfig(), p, asOf)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		titles[k.Name] = k.TitleOf(p)
		if err := r.WriteXLSX(&buf, titles[k.Name]); err != nil {
			t.Fatal(err)
		}
		books[k.Name] = buf.Bytes()
		if sc, ok := r.(*reports.Scorecard); ok && k.Name == "monthly" {
			monthly = sc
		}
	}
	fbs, err := reports.Feedbacks(ctx, src, monthly, metrics.ByDepartment)
	if err != nil || len(fbs) == 0 {
		t.Fatalf("feedback sheets: %v", err)
	}
	var buf bytes.Buffer
	titles["feedback"] = reports.FeedbackTitle(monthly.Period, fbs[0].Unit)
	if err := fbs[0].WriteXLSX(&buf, titles["feedback"]); err != nil {
		t.Fatal(err)
	}
	books["feedback"] = buf.Bytes()

	printed := printWorkbooks(t, books)
	for name, pages := range printed {
		checkPrinted(t, name, titles[name], pages, headers(t, books[name]), bounds[name][0], bounds[name][1])
	}
	for _, want := range []string{"非警务警情分流处置考评通报", "市场监管局", "签收率"} {
		found := false
		for _, p := range printed["monthly"] {
			found = found || strings.Contains(p.text, want)
		}
		if !found {
			t.Errorf("the monthly PDF lacks %q", want)
		}
	}
}

// manyUnits serves a city of 50 departments (30 functional, 20 town centres) and
// 30 towns, with made-up figures of a plausible month: each rate between a third
// of the way below the floor and a fifth beyond the target, so that about one
// unit in five is below the floor on each weighted indicator.
type manyUnits struct{ fakeSource }

func plausibleGroup(key string, kind domain.DeptKind, seed int64) metrics.Group {
	g := fakeGroup(key, kind, seed)
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	for _, in := range metrics.Indicators {
		rule, ok := score.DefaultConfig().Indicators[in.ID]
		if !ok || rule.Weight == 0 {
			continue
		}
		den := 30 + rng.Int64N(60)
		rate := rule.Floor + (rule.Target-rule.Floor)*(rng.Float64()*1.5-0.3)
		rate = min(1, max(0, rate))
		g.Indicators[in.ID] = metrics.Ratio{Num: math.Round(rate * float64(den)), Den: den, Pending: rng.Int64N(2)}
	}
	return g
}

func (m manyUnits) Compute(ctx context.Context, q metrics.Query) (*metrics.Result, error) {
	r := &metrics.Result{Period: q.Period, AsOf: q.AsOf, By: q.By}
	switch q.By {
	case metrics.ByDepartment:
		for i := 0; i < 50; i++ {
			kind, name := domain.Functional, fmt.Sprintf("第%d职能部门管理局", i+1)
			if i >= 30 {
				kind, name = domain.TownCentre, fmt.Sprintf("第%d镇社会治理中心", i-29)
			}
			r.Groups = append(r.Groups, plausibleGroup(name, kind, int64(q.Period.Start.Month())*100+int64(i)))
		}
	case metrics.ByTotal:
		return m.fakeSource.Compute(ctx, q)
	default:
		for i := 0; i < 30; i++ {
			r.Groups = append(r.Groups, plausibleGroup(fmt.Sprintf("第%d镇", i+1), "", int64(q.Period.Start.Month())*100+50+int64(i)))
		}
	}
	return r, nil
}

func (m manyUnits) ComputeMonths(ctx context.Context, q metrics.Query) ([]*metrics.Result, error) {
	return eachMonth(ctx, q, m.Compute)
}

func (m manyUnits) ComputeAll(ctx context.Context, asOf time.Time, wants []metrics.Want) ([][]*metrics.Result, error) {
	return eachWant(ctx, asOf, wants, m.Compute)
}

func (m manyUnits) CompareTo(ctx context.Context, q metrics.Query, _ *metrics.Result) (*metrics.Comparison, error) {
	return m.Compare(ctx, q)
}

func (m manyUnits) Compare(ctx context.Context, q metrics.Query) (*metrics.Comparison, error) {
	cur, _ := m.Compute(ctx, q)
	pq := q
	pq.Period = q.Period.Prev()
	prev, _ := m.Compute(ctx, pq)
	return &metrics.Comparison{Current: cur, Prev: prev, YearAgo: prev}, nil
}

// The monthly scorecard's main part — 通报, 总览 and the two score tables — prints
// on at most 6 A4 pages for 50 departments and 30 towns, at 8 pt or more.
func TestMainPartOfFiftyUnitsPrintsOnSixPages(t *testing.T) {
	p, _ := period.Parse("2024-05")
	sc, err := reports.Monthly(context.Background(), manyUnits{}, metrics.DefaultConfig(), score.DefaultConfig(), p, time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(sc.Departments) != 50 || len(sc.Towns) != 30 {
		t.Fatalf("%d departments, %d towns", len(sc.Departments), len(sc.Towns))
	}
	var buf bytes.Buffer
	title := "2024年5月非警务警情分流处置考评通报"
	if err := sc.WriteXLSX(&buf, title); err != nil {
		t.Fatal(err)
	}
	if keep := os.Getenv("FENLIU_KEEP"); keep != "" {
		os.WriteFile(keep, buf.Bytes(), 0o644)
	}
	pages := printWorkbooks(t, map[string][]byte{"monthly": buf.Bytes()})["monthly"]
	checkPrinted(t, "monthly", title, pages, headers(t, buf.Bytes()), 6, 80)
	main := map[string]int{}
	for _, p := range pages {
		switch p.sheet {
		case reports.SheetBulletin, reports.SheetOverview, reports.SheetDepartments, reports.SheetTowns:
			main[p.sheet]++
		}
	}
	total := main[reports.SheetBulletin] + main[reports.SheetOverview] + main[reports.SheetDepartments] + main[reports.SheetTowns]
	if total > 6 || main[reports.SheetDepartments] == 0 || main[reports.SheetTowns] == 0 {
		t.Errorf("the main part prints on %d pages (%v), want at most 6", total, main)
	}
	t.Logf("main part: %v", main)
}
