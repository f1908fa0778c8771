package source

import (
	"context"
	"io"
	"os"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// parquetReader turns each Parquet row into text cells so that it goes through the
// same parsing and rejects as CSV. A timestamp without a time zone is written as
// wall-clock text; one with a zone keeps its offset (and is converted on parsing).
// Row n of the data is reported as line n+1, as in a CSV with a header line.
type parquetReader struct {
	head
	f     *os.File
	rr    pqarrow.RecordReader
	batch arrow.RecordBatch
	row   int
	line  int
}

func openParquet(path string) (Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	pf, err := file.NewParquetReader(f)
	if err != nil {
		f.Close()
		return nil, refuse("the Parquet file cannot be read: %v", err)
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 16384}, memory.DefaultAllocator)
	if err != nil {
		f.Close()
		return nil, refuse("the Parquet file cannot be read: %v", err)
	}
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
	if err != nil {
		f.Close()
		return nil, refuse("the Parquet file cannot be read: %v", err)
	}
	p := &parquetReader{f: f, rr: rr, line: 1}
	var names []string
	for _, fl := range rr.Schema().Fields() {
		names = append(names, fl.Name)
	}
	// The column names are the header; there is no title row to look past.
	p.rows = []Record{{Fields: names, Line: 1}}
	p.use(0)
	return p, nil
}

func (p *parquetReader) Head() []Record   { return p.rows }
func (p *parquetReader) UseHeader(i int)  { p.use(i) }
func (p *parquetReader) Header() []string { return p.header }
func (p *parquetReader) Format() string   { return "parquet" }
func (p *parquetReader) Encoding() string { return "parquet" }
func (p *parquetReader) Serials() bool    { return false }

func (p *parquetReader) Close() error {
	p.rr.Release()
	return p.f.Close()
}

func (p *parquetReader) Next() (Record, error) {
	for p.batch == nil || p.row >= int(p.batch.NumRows()) {
		if !p.rr.Next() {
			if err := p.rr.Err(); err != nil && err != io.EOF {
				return Record{}, refuse("the Parquet file cannot be read after line %d: %v", p.line, err)
			}
			return Record{}, io.EOF
		}
		p.batch = p.rr.RecordBatch()
		p.row = 0
	}
	rec := make([]string, p.batch.NumCols())
	for c := range rec {
		rec[c] = cell(p.batch.Column(c), p.row)
	}
	p.row++
	p.line++
	if blank(rec) {
		return p.Next()
	}
	return Record{Fields: rec, Line: p.line}, nil
}

func cell(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return ""
	}
	switch a := a.(type) {
	case *array.String:
		return a.Value(i)
	case *array.LargeString:
		return a.Value(i)
	case *array.Timestamp:
		tt := a.DataType().(*arrow.TimestampType)
		t := a.Value(i).ToTime(tt.Unit)
		if tt.TimeZone == "" {
			return t.UTC().Format("2006-01-02T15:04:05.999999999")
		}
		return t.Format(time.RFC3339Nano)
	case *array.Date32:
		return a.Value(i).ToTime().Format("2006-01-02")
	}
	return a.ValueStr(i)
}
