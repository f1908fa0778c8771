package reports_test

import (
	"bytes"
	"context"
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

// TestFeedbackSheets: every unit's feedback sheet (反馈单), by department and by
// town, holds its own records and none of another unit's: no other unit's name,
// no record that counts for another unit only — in the page and in every cell of
// the workbook.
func TestFeedbackSheets(t *testing.T) {
	db := boundaryDB(t)
	ctx := context.Background()
	src := metrics.New(db, metrics.DefaultConfig(), nil)
	may, _ := period.Parse("2024-05")
	asOf := time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)
	sc, err := reports.Monthly(ctx, src, metrics.DefaultConfig(), score.DefaultConfig(), may, asOf, reports.FullDetail())
	if err != nil {
		t.Fatal(err)
	}
	for _, by := range []metrics.By{metrics.ByDepartment, metrics.ByTown} {
		// Whose is each record: every member of every indicator, by its group.
		owners := map[string]map[string]bool{}
		for _, in := range metrics.Indicators {
			members, err := src.Explain(ctx, metrics.Query{Period: may, AsOf: asOf, By: by}, in.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range members {
				if owners[m.ID] == nil {
					owners[m.ID] = map[string]bool{}
				}
				owners[m.ID][m.Key] = true
			}
		}
		sheets, err := reports.Feedbacks(ctx, src, sc, by)
		if err != nil {
			t.Fatal(err)
		}
		if len(sheets) < 3 {
			t.Fatalf("%s: %d sheets", by, len(sheets))
		}
		for _, f := range sheets {
			text := feedbackText(t, f)
			for _, other := range sheets {
				if other.Unit != f.Unit && !strings.Contains(f.Unit, other.Unit) && strings.Contains(text, other.Unit) {
					t.Errorf("%s %s's sheet names %s", by, f.Unit, other.Unit)
				}
			}
			own := 0
			for id, keys := range owners {
				if !regexp.MustCompile(`(^|[^A-Za-z0-9])` + regexp.QuoteMeta(id) + `([^A-Za-z0-9]|$)`).MatchString(text) {
					continue
				}
				if !keys[f.Unit] {
					t.Errorf("%s %s's sheet shows %s, a record of %v", by, f.Unit, id, keys)
				}
				own++
			}
			if listed := countListed(f); listed > 0 && own == 0 {
				t.Errorf("%s %s's sheet lists %d records but shows none of its ids", by, f.Unit, listed)
			}
		}
	}
}

func countListed(f *reports.Feedback) int {
	n := 0
	for _, l := range f.Detail {
		if l != nil {
			for _, st := range l.Against {
				n += int(l.Listed(st))
			}
		}
	}
	return n
}

// feedbackText is everything a feedback sheet shows: its page and every cell of
// every sheet of its workbook.
func feedbackText(t *testing.T, f *reports.Feedback) string {
	t.Helper()
	var page, book bytes.Buffer
	if err := f.WriteHTML(&page, "反馈单"); err != nil {
		t.Fatal(err)
	}
	if err := f.WriteXLSX(&book, "反馈单"); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&book)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var b strings.Builder
	b.WriteString(page.String())
	for _, sh := range x.GetSheetList() {
		rows, _ := x.GetRows(sh)
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return b.String()
}
