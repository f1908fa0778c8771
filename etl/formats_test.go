package etl

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// records reads a CSV fixture as records (the header first).
func records(t *testing.T, path string) [][]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func toXLSX(t *testing.T, recs [][]string, serials bool) string {
	f := excelize.NewFile()
	for i, rec := range recs {
		row := make([]any, len(rec))
		for j, v := range rec {
			row[j] = v
			// In half the rows, a 报警时间 written as a date serial in a numeric cell.
			if serials && i > 0 && i%2 == 0 && recs[0][j] == "报警时间" {
				if tm, err := time.Parse("2006-01-02 15:04:05", v); err == nil {
					row[j] = tm.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
				}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "calls.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func toParquet(t *testing.T, recs [][]string) string {
	var fields []arrow.Field
	for _, h := range recs[0] {
		fields = append(fields, arrow.Field{Name: h, Type: arrow.BinaryTypes.String, Nullable: true})
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for _, rec := range recs[1:] {
		for j := range fields {
			if j < len(rec) && rec[j] != "" {
				b.Field(j).(*array.StringBuilder).Append(rec[j])
			} else {
				b.Field(j).AppendNull()
			}
		}
	}
	batch := b.NewRecordBatch()
	defer batch.Release()
	p := filepath.Join(t.TempDir(), "calls.parquet")
	f, _ := os.Create(p)
	w, err := pqarrow.NewFileWriter(schema, f, nil, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(batch); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// The same rows give the same calls table in every input format and encoding.
func TestFormatsGiveTheSameTable(t *testing.T) {
	const fixture = "testdata/calls_rules.csv"
	raw, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "calls.gbk.csv"), gbk, 0o644)
	os.WriteFile(filepath.Join(dir, "calls.bom.csv"), append([]byte{0xEF, 0xBB, 0xBF}, raw...), 0o644)
	recs := records(t, fixture)

	db := openDB(t)
	load(t, db, fixture, opts(t))
	want := dump(t, db, testSQL(t, "dump_calls.sql"))

	tests := []struct {
		name, path, encoding string
	}{
		{"gb18030", filepath.Join(dir, "calls.gbk.csv"), "gb18030"},
		{"utf8_bom", filepath.Join(dir, "calls.bom.csv"), "utf-8-bom"},
		{"xlsx_text", toXLSX(t, recs, false), "xlsx"},
		{"xlsx_serials", toXLSX(t, recs, true), "xlsx"},
		{"parquet", toParquet(t, recs), "parquet"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := openDB(t)
			acc := load(t, db, tc.path, opts(t))
			if acc.Encoding != tc.encoding || acc.Inserted != 5 || acc.Superseded != 1 || acc.Rejected != 7 {
				t.Errorf("accounting %+v", acc)
			}
			got := dump(t, db, testSQL(t, "dump_calls.sql"))
			if !reflect.DeepEqual(got, want) {
				t.Errorf("table differs from the UTF-8 CSV load:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
