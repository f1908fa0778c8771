package source

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
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

// readAll reads every record of a file.
func readAll(t *testing.T, path string, o Options) (Reader, []Record) {
	t.Helper()
	r, err := Open(path, o)
	if err != nil {
		t.Fatalf("Open(%s): %v", filepath.Base(path), err)
	}
	t.Cleanup(func() { r.Close() })
	var recs []Record
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return r, recs
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		rec.Fields = append([]string(nil), rec.Fields...)
		recs = append(recs, rec)
	}
}

func write(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const sample = "警情编号,报警时间,简要警情\n" +
	"J1,2024-05-01 08:00:00,普通\n" +
	"J2,2024-05-01 09:00:00,\"两行\n的摘要\"\n" +
	"\n" +
	",,\n" +
	"J3,2024-05-01 10:00:00,\"带\"\"引号\"\"\"\n"

func TestCSVLinesAndEncodings(t *testing.T) {
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, enc string
		data      []byte
	}{
		{"utf8", "utf-8", []byte(sample)},
		{"utf8_bom", "utf-8-bom", append([]byte{0xEF, 0xBB, 0xBF}, sample...)},
		{"gb18030", "gb18030", gbk},
		{"crlf", "utf-8", []byte(strings.ReplaceAll(sample, "\n", "\r\n"))},
	}
	wantLines := []int{2, 3, 7}
	wantSummary := []string{"普通", "两行\n的摘要", `带"引号"`}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, recs := readAll(t, write(t, "calls.csv", tc.data), Options{})
			if r.Encoding() != tc.enc {
				t.Errorf("encoding %s, want %s", r.Encoding(), tc.enc)
			}
			if h := r.Header(); h[0] != "警情编号" || len(h) != 3 {
				t.Errorf("header %q", h)
			}
			if len(recs) != 3 {
				t.Fatalf("got %d records, want 3 (blank lines are not rows)", len(recs))
			}
			for i, rec := range recs {
				if rec.Line != wantLines[i] || rec.Err != "" {
					t.Errorf("record %d: line %d err %q, want line %d", i, rec.Line, rec.Err, wantLines[i])
				}
				if got := strings.ReplaceAll(rec.Fields[2], "\r\n", "\n"); got != wantSummary[i] {
					t.Errorf("record %d summary %q, want %q", i, got, wantSummary[i])
				}
			}
		})
	}
}

func TestCSVBadRowsDoNotStopTheFile(t *testing.T) {
	gbkBad := append([]byte("a,b\n"), 0xD6, 0xD0, ',', 0x81, 0x30, '\n')
	gbkBad = append(gbkBad, []byte("ok,ok\n")...)
	// A file long enough that the first 64 KiB are valid UTF-8, with a stray GBK
	// byte pair later: that row is rejected, the others load.
	utfBad := "a,b\n" + strings.Repeat("正常,行\n", 10000) + "坏\xd6\xd0,x\nok,ok\n"
	tests := []struct {
		name     string
		data     []byte
		wantErrs map[int]string // line → substring of the reason
		wantRecs int
	}{
		{"bare_quote", []byte("a,b\nx,y\"z\nok,ok\n"), map[int]string{2: `a " appears`}, 2},
		{"invalid_utf8", []byte(utfBad), map[int]string{10002: "not valid UTF-8"}, 10002},
		{"invalid_gb18030", gbkBad, map[int]string{2: "not valid GB18030"}, 2},
		// An unclosed quote costs its own line only: reading goes on at the next.
		{"unclosed_quote", []byte("a,b\nok,ok\nx,\"never closed\nmore,rows\nlast,row\n"), map[int]string{3: "not closed"}, 4},
		{"unclosed_quote_bounded", []byte("a,b\nx,\"open\n" + strings.Repeat("ok,ok\n", 150)), map[int]string{2: "not closed"}, 151},
		{"nul_byte", []byte("a,b\nok,ok\nx\x00y,z\nok,ok\n"), map[int]string{3: "NUL"}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, recs := readAll(t, write(t, "f.csv", tc.data), Options{})
			if len(recs) != tc.wantRecs {
				t.Fatalf("got %d records, want %d", len(recs), tc.wantRecs)
			}
			errs := 0
			for _, r := range recs {
				if r.Err == "" {
					continue
				}
				errs++
				want, ok := tc.wantErrs[r.Line]
				if !ok || !strings.Contains(r.Err, want) {
					t.Errorf("line %d: error %q, want one containing %q at line(s) %v", r.Line, r.Err, want, tc.wantErrs)
				}
			}
			if errs != len(tc.wantErrs) {
				t.Errorf("%d bad records, want %d", errs, len(tc.wantErrs))
			}
		})
	}
}

func TestXLSX(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"警情编号", "报警时间"},
		{"J1", "2019/4/25 9:32:09"},
		{"J2", 43563.359259259261},
		{nil, nil},
		{"J3", "2024-05-01 08:00:00"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	f.NewSheet("第二页")
	f.SetCellValue("第二页", "A1", "工单编号")
	f.SetCellValue("第二页", "A2", "G1")
	p := filepath.Join(t.TempDir(), "calls.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	r, recs := readAll(t, p, Options{})
	if !r.Serials() || r.Format() != "xlsx" {
		t.Errorf("Serials %v format %s", r.Serials(), r.Format())
	}
	if len(recs) != 3 || recs[0].Line != 2 || recs[1].Line != 3 || recs[2].Line != 5 {
		t.Fatalf("records %+v, want lines 2, 3, 5", recs)
	}
	if recs[0].Fields[1] != "2019/4/25 9:32:09" || !strings.HasPrefix(recs[1].Fields[1], "43563.359259259") {
		t.Errorf("cells %q %q: want the text date and the raw serial", recs[0].Fields[1], recs[1].Fields[1])
	}
	r2, recs2 := readAll(t, p, Options{Sheet: "第二页"})
	if r2.Header()[0] != "工单编号" || len(recs2) != 1 {
		t.Errorf("configured sheet: header %q, %d records", r2.Header(), len(recs2))
	}
	if _, err := Open(p, Options{Sheet: "nope"}); err == nil || !strings.Contains(err.Error(), "第二页") {
		t.Errorf("missing sheet: %v, want the list of sheets", err)
	}
}

func TestParquet(t *testing.T) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "警情编号", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "报警时间", Type: &arrow.TimestampType{Unit: arrow.Microsecond}, Nullable: true},
		{Name: "utc", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "n", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	at := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"J1", "J2"}, nil)
	b.Field(1).(*array.TimestampBuilder).AppendValues([]arrow.Timestamp{arrow.Timestamp(at.UnixMicro()), 0}, []bool{true, false})
	b.Field(2).(*array.TimestampBuilder).AppendValues([]arrow.Timestamp{arrow.Timestamp(at.UnixMicro()), 0}, []bool{true, false})
	b.Field(3).(*array.Int64Builder).AppendValues([]int64{7, 8}, nil)
	rec := b.NewRecordBatch()
	defer rec.Release()
	p := filepath.Join(t.TempDir(), "calls.parquet")
	f, _ := os.Create(p)
	w, err := pqarrow.NewFileWriter(schema, f, nil, pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	w.Close()
	r, recs := readAll(t, p, Options{})
	if r.Format() != "parquet" || r.Header()[1] != "报警时间" {
		t.Fatalf("format %s header %q", r.Format(), r.Header())
	}
	want := [][]string{{"J1", "2024-05-01T08:00:00", "2024-05-01T08:00:00Z", "7"}, {"J2", "", "", "8"}}
	for i, rec := range recs {
		if strings.Join(rec.Fields, "|") != strings.Join(want[i], "|") || rec.Line != i+2 {
			t.Errorf("row %d: %q line %d, want %q line %d", i, rec.Fields, rec.Line, want[i], i+2)
		}
	}
}

func TestHostileFilesAreRefused(t *testing.T) {
	valid := func() []byte {
		f := excelize.NewFile()
		f.SetCellValue("Sheet1", "A1", "警情编号")
		var buf bytes.Buffer
		f.WriteTo(&buf)
		return buf.Bytes()
	}()
	bomb := func() []byte {
		var buf bytes.Buffer
		z := zip.NewWriter(&buf)
		wb, _ := z.Create("xl/workbook.xml")
		wb.Write([]byte(`<workbook><sheets><sheet name="Sheet1" sheetId="1"/></sheets></workbook>`))
		w, _ := z.Create("xl/worksheets/sheet1.xml")
		w.Write(bytes.Repeat([]byte(" "), 40<<20))
		z.Close()
		return buf.Bytes()
	}()
	tests := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"empty", "a.csv", nil, "empty"},
		{"binary", "a.csv", []byte("PK\x00\x00\x00garbage\x00\x01\x02"), "binary"},
		{"legacy_xls", "a.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, "Excel 97-2003"},
		{"html_as_xls", "a.xls", []byte("<html><table><tr><td>警情编号</td></tr></table></html>"), "HTML page"},
		{"truncated_xlsx", "a.xlsx", valid[:len(valid)/2], "not a valid XLSX"},
		{"zip_bomb", "a.xlsx", bomb, "unpacks to more than 10 MiB"},
		{"utf16", "a.csv", []byte{0xFF, 0xFE, 'a', 0}, "UTF-16"},
		{"bad_parquet", "a.parquet", []byte("not parquet"), "no Parquet signature"},
		{"header_unreadable", "a.csv", []byte("\"a,b\n"), "header row cannot be read"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Open(write(t, tc.file, tc.data), Options{MaxUnzip: 10 << 20})
			if err == nil {
				r.Close()
				t.Fatalf("accepted")
			}
			if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want ErrRefused mentioning %q", err, tc.want)
			}
		})
	}
}

func FuzzSource(f *testing.F) {
	for _, s := range []string{sample, "a,b\nx,y\"z\nok\n", "a\n\"\n", "a;b;c\n1;2;3\n", "h\n\xff\xfe\n", "a,b\rx,\"y\rz\"\r", "a,b\n\"open\nx,y\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.csv")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Open(p, Options{})
		if err != nil {
			if !errors.Is(err, ErrRefused) {
				t.Fatalf("Open: %v is not a refusal", err)
			}
			return
		}
		defer r.Close()
		// Properties: line numbers strictly increase and never pass the number of
		// lines in the file; every record is either fields or an error.
		lines := max(bytes.Count(data, []byte("\n")), bytes.Count(data, []byte("\r"))) + 1
		last := 1
		for {
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			if rec.Line <= last || rec.Line > lines {
				t.Fatalf("line %d after %d (file has %d lines)", rec.Line, last, lines)
			}
			if rec.Err == "" && len(rec.Fields) == 0 {
				t.Fatalf("line %d: no fields and no error", rec.Line)
			}
			last = rec.Line
		}
	})
}

// TestEncodingFromTheWholeFile: the encoding is decided by the header and the
// file's own lines, not its first 64 KiB, and one line that is not text in it is
// one rejected row wherever it stands (issue 10, item 5).
func TestEncodingFromTheWholeFile(t *testing.T) {
	gb := func(s string) []byte {
		b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	asciiRows := "id,name\n" + strings.Repeat("A1,plain ascii row\n", 5000) // > 64 KiB of ASCII
	tests := []struct {
		name     string
		data     []byte
		enc      string
		wantErrs map[int]string
		wantText map[int]string // line → second field
	}{
		{"gbk_after_ascii_rows", append([]byte(asciiRows), gb("B1,纠纷求助\nB2,噪音扰民\n")...), "gb18030",
			nil, map[int]string{5002: "纠纷求助", 5003: "噪音扰民"}},
		{"invalid_utf8_near_top", []byte("警情编号,摘要\nJ1,坏\xff字\nJ2,正常的行\n"), "utf-8",
			map[int]string{2: "not valid UTF-8"}, map[int]string{3: "正常的行"}},
		{"gbk_line_near_top_of_utf8", append(append([]byte("id,name\nJ1,正常的行\n"), gb("J2,这一行是国标码\n")...), "J3,又一行正常的\nJ4,还有一行正常\n"...), "utf-8",
			map[int]string{3: "not valid UTF-8"}, map[int]string{2: "正常的行", 5: "还有一行正常"}},
		{"utf8_line_in_gbk_file", append(append(gb("警情编号,摘要\nJ1,国标码的一行\n"), "J2,这是一行统一码文本\n"...), gb("J3,又是国标码\n")...), "gb18030",
			map[int]string{3: "UTF-8 text in a GBK"}, map[int]string{2: "国标码的一行", 4: "又是国标码"}},
		{"cr_only_lines", []byte("警情编号,摘要\rJ1,第一行\rJ2,\"两\r行\"\rJ3,第三行\r"), "utf-8",
			nil, map[int]string{2: "第一行", 3: "两\n行", 5: "第三行"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, recs := readAll(t, write(t, "f.csv", tc.data), Options{})
			if r.Encoding() != tc.enc {
				t.Errorf("encoding %s, want %s", r.Encoding(), tc.enc)
			}
			errs := 0
			for _, rec := range recs {
				if rec.Err != "" {
					errs++
					if want, ok := tc.wantErrs[rec.Line]; !ok || !strings.Contains(rec.Err, want) {
						t.Errorf("line %d: error %q, want %v", rec.Line, rec.Err, tc.wantErrs)
					}
					continue
				}
				if want, ok := tc.wantText[rec.Line]; ok && rec.Fields[1] != want {
					t.Errorf("line %d: %q, want %q", rec.Line, rec.Fields[1], want)
				}
				delete(tc.wantText, rec.Line)
			}
			if errs != len(tc.wantErrs) || len(tc.wantText) != 0 {
				t.Errorf("%d bad rows (want %d); rows not found: %v", errs, len(tc.wantErrs), tc.wantText)
			}
		})
	}
}

// TestXLSXMergedCellsAndHead: merged ranges give every cell their value, and the
// rows above the header are offered as header candidates (issue 10, items 8, 9).
func TestXLSXMergedCellsAndHead(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "封面")
	f.SetCellValue("封面", "A1", "2024年5月警情明细（封面）")
	f.NewSheet("数据")
	rows := [][]any{
		{"2024年5月警情明细"},
		{"警情编号", "时间", nil, "摘要"},
		{nil, "报警时间", "类别", nil},
		{"J1", "2024-05-01 08:00:00", "纠纷", "一"},
		{"J2", "2024-05-01 09:00:00", nil, "二"},
		{"J3", "2024-05-01 10:00:00", nil, "三"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		f.SetSheetRow("数据", cell, &r)
	}
	for _, m := range [][2]string{{"A1", "D1"}, {"A2", "A3"}, {"B2", "C2"}, {"D2", "D3"}, {"C4", "C6"}} {
		if err := f.MergeCell("数据", m[0], m[1]); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "calls.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	r, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	sr, ok := r.(SheetReader)
	if !ok || sr.Sheet() != "封面" || len(sr.Sheets()) != 2 {
		t.Fatalf("sheets: %v", r)
	}
	if err := sr.UseSheet("数据"); err != nil {
		t.Fatal(err)
	}
	head := r.Head()
	if len(head) != 6 || strings.Join(head[2].Fields, "|") != "警情编号|报警时间|类别|摘要" {
		t.Fatalf("head %+v: want row 3 to read 警情编号|报警时间|类别|摘要 (merged from above)", head)
	}
	r.UseHeader(2)
	var cats []string
	merged := 0
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		cats = append(cats, rec.Fields[2])
		if rec.Merged {
			merged++
		}
	}
	if strings.Join(cats, ",") != "纠纷,纠纷,纠纷" || merged != 2 {
		t.Errorf("categories %v with %d merged rows: want 纠纷 three times, 2 rows filled", cats, merged)
	}
}

// TestZipThatIsNotAWorkbook: say what the file is (issue 10, item 19).
func TestZipThatIsNotAWorkbook(t *testing.T) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, _ := z.Create("calls.csv")
	w.Write([]byte("警情编号\nJ1\n"))
	z.Close()
	_, err := Open(write(t, "export.xlsx", buf.Bytes()), Options{})
	if err == nil || !strings.Contains(err.Error(), "ZIP archive holding calls.csv, not an XLSX workbook") {
		t.Errorf("error %v", err)
	}
}
