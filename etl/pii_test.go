package etl

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fenliu/fenliu/etl/pii"
	"github.com/fenliu/fenliu/etl/synth"
	"github.com/fenliu/fenliu/queries"
)

// No raw phone number exists anywhere in the database: not in any table's values,
// not in the ledger, and not in the bytes of the database file.
func TestNoRawPhoneNumberInTheDatabase(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Calls: 3000, From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		To: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Seed: 7}); err != nil {
		t.Fatal(err)
	}
	// Every phone-shaped number in the exports: the 报警电话 column and free text.
	phoneRun := regexp.MustCompile(`1[3-9][0-9]{9}`)
	numbers := map[string]bool{}
	for _, f := range []string{filepath.Join(dir, "calls.csv"), "testdata/calls_rules.csv"} {
		b, _ := os.ReadFile(f)
		for _, m := range phoneRun.FindAllString(string(b), -1) {
			numbers[m] = true
		}
	}
	if len(numbers) < 100 {
		t.Fatalf("only %d numbers found in the exports: the test would prove little", len(numbers))
	}
	dbPath := filepath.Join(t.TempDir(), "pii.duckdb")
	db, err := queries.Open(context.Background(), dbPath, queries.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{filepath.Join(dir, "calls.csv"), filepath.Join(dir, "orders.csv"), "testdata/calls_rules.csv"} {
		load(t, db, f, opts(t))
	}
	// A phone typed into a time column lands in the ledger masked.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("警情编号,报警时间,警情类别\nJX,13912345678,纠纷\n"), 0o644)
	numbers["13912345678"] = true
	if acc := load(t, db, bad, opts(t)); acc.Rejected != 1 {
		t.Fatalf("bad.csv: %+v", acc)
	}

	values := 0
	for _, table := range dump(t, db, testSQL(t, "tables.sql")) {
		name := strings.TrimSuffix(strings.TrimPrefix(table, "table_name="), "|")
		for _, row := range dump(t, db, "SELECT * FROM "+name) {
			values++
			for _, m := range phoneRun.FindAllString(row, -1) {
				if numbers[m] || numbers[strings.TrimPrefix(m, "86")] {
					t.Fatalf("table %s holds the raw number %s…: %s", name, m[:3], pii.MaskText(row))
				}
			}
		}
	}
	if values < 3000 {
		t.Fatalf("scanned only %d rows", values)
	}
	db.Close()
	b, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	for n := range numbers {
		if bytes.Contains(b, []byte(n)) {
			t.Fatalf("the database file holds the bytes of a raw number %s****", n[:3])
		}
	}
}
