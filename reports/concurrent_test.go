package reports_test

import (
	"bytes"
	"context"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/fenliu/fenliu/metrics"
	"github.com/fenliu/fenliu/metrics/period"
	"github.com/fenliu/fenliu/metrics/score"
	"github.com/fenliu/fenliu/reports"
)

// fenliu report draws the workbook and the page of one report at the same time:
// each writer lays the report out on its own and only reads the model, so the page
// drawn beside the workbook is the page drawn alone (run with -race to see the
// writers share nothing they write).
func TestWritersRunTogether(t *testing.T) {
	db := boundaryDB(t)
	ctx := context.Background()
	src := metrics.New(db, metrics.DefaultConfig(), nil)
	asOf := time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)
	periods := map[string]string{"monthly": "2024-05", "annual": "2024", "trend": "2024-05", "weekly": "2024-W20"}
	for _, k := range reports.Kinds {
		p, _ := period.Parse(periods[k.Name])
		r, err := k.Build(ctx, src, metrics.DefaultConfig(), score.DefaultConfig(), p, asOf)
		if err != nil {
			t.Fatal(err)
		}
		title := k.TitleOf(p)
		var alone bytes.Buffer
		if err := r.WriteHTML(&alone, title); err != nil {
			t.Fatal(err)
		}
		var page, book bytes.Buffer
		var wg sync.WaitGroup
		var errPage, errBook error
		wg.Add(2)
		go func() { defer wg.Done(); errPage = r.WriteHTML(&page, title) }()
		go func() { defer wg.Done(); errBook = r.WriteXLSX(&book, title) }()
		wg.Wait()
		if errPage != nil || errBook != nil {
			t.Fatalf("%s: %v %v", k.Name, errPage, errBook)
		}
		// Equal but for the page's fresh CSP nonce.
		nonce := regexp.MustCompile(`nonce(="|-)[A-Za-z0-9_-]*`)
		if !bytes.Equal(nonce.ReplaceAll(page.Bytes(), nil), nonce.ReplaceAll(alone.Bytes(), nil)) {
			t.Errorf("%s: the page drawn beside the workbook differs from the page drawn alone", k.Name)
		}
		if book.Len() == 0 {
			t.Errorf("%s: empty workbook", k.Name)
		}
	}
}
