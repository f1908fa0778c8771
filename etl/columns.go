package etl

import (
	"os"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/etl/pii"
	"github.com/fenliu/fenliu/etl/profile"
)

type colType int

const (
	cText colType = iota
	cTime
	cBool
	cInt
)

type column struct {
	name string
	typ  colType
}

// The staging columns, in the order of the Parquet file the loader writes. They
// match the tables of queries/schema (plus seq), which the SQL reads by name.
var (
	callColumns = []column{
		{"seq", cInt}, {"line", cInt}, {"call_id", cText}, {"received_at", cTime},
		{"caller_key", cText}, {"caller_masked", cText}, {"address", cText}, {"address_key", cText},
		{"county", cText}, {"town", cText}, {"village", cText}, {"police_station", cText},
		{"category", cText}, {"subcategory", cText}, {"nature", cText}, {"valid", cBool},
		{"disposition", cText}, {"summary", cText}, {"date_only", cText},
	}
	orderColumns  = orderCols()
	rejectColumns = []column{{"line", cInt}, {"field", cText}, {"value", cText}, {"reason", cText}, {"field_zh", cText}, {"reason_zh", cText}}
)

func orderCols() []column {
	cs := []column{{"seq", cInt}, {"line", cInt}}
	for _, f := range profile.OrderFields {
		t := cText
		switch f.Type {
		case profile.Timestamp:
			t = cTime
		case profile.Bool:
			t = cBool
		}
		cs = append(cs, column{f.Name, t})
	}
	return append(cs, column{"last_event_at", cTime}, column{"nonnull", cInt}, column{"date_only", cText})
}

func fieldIndex(fs []profile.Field, name string) int {
	for i, f := range fs {
		if f.Name == name {
			return i
		}
	}
	panic("etl: no field " + name)
}

var (
	cPhone   = fieldIndex(profile.CallFields, "caller_phone")
	cAddress = fieldIndex(profile.CallFields, "address")
	cValid   = fieldIndex(profile.CallFields, "valid")

	oSource   = fieldIndex(profile.OrderFields, "source")
	oPriority = fieldIndex(profile.OrderFields, "priority")
	oArea     = fieldIndex(profile.OrderFields, "area_type")
	oOnsite   = fieldIndex(profile.OrderFields, "onsite_required")
	oDiff     = fieldIndex(profile.OrderFields, "difficulty")
	oStatus   = fieldIndex(profile.OrderFields, "status")
	oSigned   = fieldIndex(profile.OrderFields, "signed_at")
	oArrived  = fieldIndex(profile.OrderFields, "arrived_at")
	oFeedback = fieldIndex(profile.OrderFields, "feedback_at")
	oClosed   = fieldIndex(profile.OrderFields, "closed_at")
	oReturned = fieldIndex(profile.OrderFields, "returned_at")
	// lifecycle timestamps that make last_event_at (SPEC §8)
	oLifecycle = []int{fieldIndex(profile.OrderFields, "dispatched_at"), oSigned, oArrived, oFeedback,
		oClosed, oReturned, fieldIndex(profile.OrderFields, "revisited_at")}
)

func text(s string) value { return value{s: s, null: s == ""} }

// emit turns the parsed fields of p.in into the staging columns of out.
func (p *rowParser) emit(out []value, seq int64, line int) {
	out[0] = value{i: seq}
	out[1] = value{i: int64(line)}
	dateOnly := text(strings.Join(p.dateOnl, ","))
	if p.kind == profile.Calls {
		in := p.in
		c := p.keyer.Caller(in[cPhone].s)
		if in[cValid].null {
			in[cValid] = value{b: true}
		}
		o := out[2:]
		copy(o, in[:cPhone])
		o[cPhone], o[cPhone+1] = text(c.Key), text(c.Masked)
		o[cAddress+1] = in[cAddress]
		o[cAddress+2] = text(pii.AddressKey(in[cAddress].s))
		copy(o[cAddress+3:], in[cAddress+1:])
		out[len(out)-1] = dateOnly
		return
	}
	in := p.in
	nonnull := 0
	for _, ok := range p.present {
		if ok {
			nonnull++
		}
	}
	last := in[oLifecycle[0]].t
	for _, i := range oLifecycle[1:] {
		if !in[i].null && in[i].t.After(last) {
			last = in[i].t
		}
	}
	def := func(i int, v value) {
		if in[i].null {
			in[i] = v
		}
	}
	def(oSource, text("110"))
	def(oPriority, text(string(domain.Normal)))
	def(oArea, text(string(domain.City)))
	def(oOnsite, value{b: true})
	def(oDiff, text(string(domain.Ordinary)))
	if in[oStatus].null {
		in[oStatus] = text(deriveStatus(in))
	}
	copy(out[2:], in)
	n := len(out)
	out[n-3] = value{t: last}
	out[n-2] = value{i: int64(nonnull)}
	out[n-1] = dateOnly
}

// deriveStatus implements SPEC §2.5 for an empty status.
func deriveStatus(in []value) string {
	s := domain.StatusPending
	switch {
	case !in[oReturned].null:
		s = domain.StatusReturned
	case !in[oClosed].null || !in[oFeedback].null:
		s = domain.StatusDone
	case !in[oArrived].null:
		s = domain.StatusHandling
	case !in[oSigned].null:
		s = domain.StatusSigned
	}
	return string(s)
}

// A parquetSink encodes Arrow batches into one Parquet file on its own goroutine.
// Batches may come from several builders, in any order: every staged row carries
// its position (seq) and line.
type parquetSink struct {
	schema *arrow.Schema
	f      *os.File
	fw     *pqarrow.FileWriter
	batch  chan arrow.RecordBatch
	done   chan error
}

var tsType = &arrow.TimestampType{Unit: arrow.Microsecond} // no zone: DuckDB TIMESTAMP

func schemaOf(cols []column) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		var t arrow.DataType
		switch c.typ {
		case cText:
			t = arrow.BinaryTypes.String
		case cTime:
			t = tsType
		case cBool:
			t = arrow.FixedWidthTypes.Boolean
		case cInt:
			t = arrow.PrimitiveTypes.Int64
		}
		fields[i] = arrow.Field{Name: c.name, Type: t, Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

func newParquetSink(path string, cols []column) (*parquetSink, error) {
	schema := schemaOf(cols)
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	// A staging file lives for seconds: no compression, no dictionaries, no stats.
	props := parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Uncompressed),
		parquet.WithDictionaryDefault(false),
		parquet.WithStats(false),
		parquet.WithMaxRowGroupLength(256*1024),
	)
	fw, err := pqarrow.NewFileWriter(schema, f, props, pqarrow.DefaultWriterProps())
	if err != nil {
		f.Close()
		return nil, err
	}
	s := &parquetSink{schema: schema, f: f, fw: fw, batch: make(chan arrow.RecordBatch, 2), done: make(chan error, 1)}
	go func() {
		var err error
		for rec := range s.batch {
			if err == nil {
				// A row group a batch, written as it comes: WriteBuffered held a
				// 256 k-row group in buffers grown by reallocation (a fifth of
				// the parse's CPU at 1 M calls).
				err = s.fw.Write(rec)
			}
			rec.Release()
		}
		s.done <- err
	}()
	return s, nil
}

// put hands a batch to the encoder, which releases it.
func (s *parquetSink) put(rec arrow.RecordBatch) {
	if rec.NumRows() == 0 {
		rec.Release()
		return
	}
	s.batch <- rec
}

// close waits for the encoder and finishes the file.
func (s *parquetSink) close() error {
	close(s.batch)
	err := <-s.done
	if cerr := s.fw.Close(); err == nil {
		err = cerr
	}
	s.f.Close() // pqarrow may have closed it already
	return err
}

// rowBuilder builds one Arrow batch of rows of a column set.
type rowBuilder struct {
	cols []column
	b    *array.RecordBuilder
}

func newRowBuilder(s *parquetSink, cols []column) *rowBuilder {
	return &rowBuilder{cols: cols, b: array.NewRecordBuilder(memory.DefaultAllocator, s.schema)}
}

func (w *rowBuilder) add(vals []value) {
	for i, c := range w.cols {
		v := vals[i]
		fb := w.b.Field(i)
		if v.null {
			fb.AppendNull()
			continue
		}
		switch c.typ {
		case cText:
			fb.(*array.StringBuilder).Append(v.s)
		case cTime:
			fb.(*array.TimestampBuilder).Append(arrow.Timestamp(v.t.UnixMicro()))
		case cBool:
			fb.(*array.BooleanBuilder).Append(v.b)
		case cInt:
			fb.(*array.Int64Builder).Append(v.i)
		}
	}
}

// take returns the rows added so far as a batch and starts a new one.
func (w *rowBuilder) take() arrow.RecordBatch { return w.b.NewRecordBatch() }

func (w *rowBuilder) release() { w.b.Release() }
