package source

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// workbookOf writes s into a workbook in every way a cell can hold it — a shared
// string, an inline string (the stream writer), beside a number, a boolean and
// a formula's cached text — with a gap column and a gap row.
func workbookOf(t testing.TB, s string) []byte {
	f := excelize.NewFile()
	defer f.Close()
	f.SetCellStr("Sheet1", "A1", s)
	f.SetCellValue("Sheet1", "B1", 123.25)
	f.SetCellValue("Sheet1", "C1", true)
	f.SetCellStr("Sheet1", "E1", s+s)
	f.SetCellStr("Sheet1", "B3", "x"+s)
	f.SetCellFormula("Sheet1", "C3", `"a"&"b"`)
	f.NewSheet("流")
	sw, err := f.NewStreamWriter("流")
	if err != nil {
		t.Fatal(err)
	}
	sw.SetRow("A1", []any{s, 7, false, nil, s})
	sw.SetRow("A4", []any{nil, s})
	sw.Flush()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Skip("excelize cannot write it:", err)
	}
	return buf.Bytes()
}

// excelizeRows reads a sheet as the reader did before: excelize's row iterator,
// raw values, trailing empty cells dropped, blank rows left out.
func excelizeRows(t testing.TB, path, sheet string) map[int][]string {
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int][]string{}
	for n := 1; rows.Next(); n++ {
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		for len(cols) > 0 && cols[len(cols)-1] == "" {
			cols = cols[:len(cols)-1]
		}
		if !blank(cols) { // as the reader leaves blank rows out
			out[n] = cols
		}
	}
	return out
}

func scannerRows(t testing.TB, path, sheet string) map[int][]string {
	r, err := Open(path, Options{Sheet: sheet})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out := map[int][]string{}
	for _, rec := range r.Head() {
		out[rec.Line] = rec.Fields
	}
	for {
		rec, err := r.Next()
		if err != nil {
			break
		}
		out[rec.Line] = rec.Fields
	}
	return out
}

// The sheet scanner reads every cell as excelize does.
func FuzzSheetScannerAgreesWithExcelize(f *testing.F) {
	for _, s := range []string{"纠纷", "a&b<c>d\"e'f", "_x0008_", "_x005F_x0008_", "line\r\nnext\rthird\n", " lead and trail ", "😀 emoji", "=1+2", "0.1", "", "&amp;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Skip()
		}
		path := filepath.Join(t.TempDir(), "f.xlsx")
		os.WriteFile(path, workbookOf(t, s), 0o644)
		for _, sheet := range []string{"Sheet1", "流"} {
			want, got := excelizeRows(t, path, sheet), scannerRows(t, path, sheet)
			if len(want) != len(got) {
				t.Fatalf("%s %q: %d rows, excelize %d: %v vs %v", sheet, s, len(got), len(want), got, want)
			}
			for n, w := range want {
				if strings.Join(got[n], "\x00") != strings.Join(w, "\x00") {
					t.Errorf("%s %q row %d: %q, excelize %q", sheet, s, n, got[n], w)
				}
			}
		}
	})
}

// A worksheet written by hand, with what Office writes and excelize does not:
// rich text runs, phonetic runs, rows and cells without r, a namespace prefix,
// entities and a '>' in an attribute.
func TestSheetScannerReadsWhatOfficeWrites(t *testing.T) {
	sheet := `<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="2" spans="1:3"><x:c r="A2" t="s"><x:v>1</x:v></x:c><x:c t="inlineStr"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:rPr/><x:t xml:space="preserve"> 文本</x:t></x:r><x:rPh><x:t>ふ</x:t></x:rPh></x:is></x:c><x:c r="D2" s="3" t="str" o="a>b"><x:f>A1&amp;"x"</x:f><x:v>&lt;算&gt;&#x4E00;&#20108;</x:v></x:c></x:row>
<x:row><x:c><x:v>45000.5</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row>
<x:row r="9"/>
</x:sheetData><x:mergeCells count="0"/></x:worksheet>`
	shared := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>零</t></si><si><r><t>一</t></r><r><t>二_x000D_</t></r><rPh><t>いち</t></rPh></si></sst>`
	strs, err := readSharedStrings(strings.NewReader(shared), 10)
	if err != nil || len(strs) != 2 || strs[0] != "零" || strs[1] != "一二\r" {
		t.Fatalf("shared strings %q %v", strs, err)
	}
	s := newSheetScanner(strings.NewReader(sheet), strs)
	want := []struct {
		n     int
		cells []string
	}{{2, []string{"一二\r", "富 文本", "", "<算>一二"}}, {3, []string{"45000.5", "1", "#N/A"}}, {9, nil}}
	for _, w := range want {
		n, cells, err := s.Next()
		if err != nil || n != w.n || strings.Join(cells, "|") != strings.Join(w.cells, "|") {
			t.Fatalf("row %d: %d %q %v, want %q", w.n, n, cells, err, w.cells)
		}
	}
	if _, _, err := s.Next(); err == nil || err.Error() != "EOF" {
		t.Errorf("after the last row: %v", err)
	}
	// Broken sheets are errors naming the row, never wrong values.
	for name, bad := range map[string]string{
		"truncated":      sheet[:200],
		"rows backwards": `<sheetData><row r="5"><c><v>1</v></c></row><row r="3"><c><v>2</v></c></row></sheetData>`,
		"bad string":     `<sheetData><row r="1"><c t="s"><v>9</v></c></row></sheetData>`,
		"bare ampersand": `<sheetData><row r="1"><c><v>a & b</v></c></row></sheetData>`,
		"cells back":     `<sheetData><row r="1"><c r="C1"><v>1</v></c><c r="A1"><v>2</v></c></row></sheetData>`,
	} {
		s := newSheetScanner(strings.NewReader(bad), strs)
		var err error
		for err == nil {
			_, _, err = s.Next()
		}
		if err.Error() == "EOF" {
			t.Errorf("%s: read to the end without an error", name)
		}
	}
}

// Any bytes as a worksheet: an error or rows, never a panic or a hang.
func FuzzSheetScanner(f *testing.F) {
	f.Add([]byte(`<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c t="inlineStr"><is><t>a&amp;b</t></is></c></row></sheetData>`))
	f.Add([]byte(`<sheetData><row><c><v>1</v></c></row><row r="1048577"/></sheetData>`))
	f.Add([]byte(`<sheetData><row r="1"><c r="XFE1"><v>1</v></c></row>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := newSheetScanner(bytes.NewReader(b), []string{"零"})
		for i := 0; i <= len(b); i++ { // each row takes at least one byte
			n, cells, err := s.Next()
			if err != nil {
				return
			}
			if n < 1 || n > 1<<20 || len(cells) > 16384 {
				t.Fatalf("row %d with %d cells", n, len(cells))
			}
		}
		t.Fatal("more rows than bytes")
	})
}

// benchWorkbook writes a workbook of n rows of a call export: ids, times as text,
// Chinese text as shared strings, numbers.
func benchWorkbook(b *testing.B, n int) string {
	f := excelize.NewFile()
	sw, _ := f.NewStreamWriter("Sheet1")
	sw.SetRow("A1", []any{"警情编号", "报警时间", "报警电话", "事发地址", "所属区县", "所属乡镇街道", "所属村社区", "管辖派出所", "警情类别", "警情性质", "是否有效警情", "简要警情"})
	for i := 0; i < n; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, []any{"J2024" + strings.Repeat("0", 6) + string(rune('0'+i%10)), 45300.5 + float64(i)/1000, "138****0001",
			"诸暨市枫桥镇枫溪路" + string(rune('0'+i%10)) + "号", "诸暨市", "枫桥镇", "枫溪村", "枫桥派出所", "纠纷", "非警务", "是", "报警人称邻里纠纷，请求处置。"})
	}
	sw.Flush()
	path := filepath.Join(b.TempDir(), "calls.xlsx")
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkXLSXRows reads 50 000 rows with the sheet scanner and, in the same
// run, with excelize's row iterator (the reference): compare rows/s.
func BenchmarkXLSXRows(b *testing.B) {
	path := benchWorkbook(b, 50000)
	b.Run("scanner", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			r, err := Open(path, Options{})
			if err != nil {
				b.Fatal(err)
			}
			n := 1 // the header; Next gives the rows after it
			for ; ; n++ {
				if _, err := r.Next(); err != nil {
					break
				}
			}
			r.Close()
			if n != 50001 {
				b.Fatalf("%d rows", n)
			}
		}
		b.ReportMetric(50001*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("excelize", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
			if err != nil {
				b.Fatal(err)
			}
			rows, _ := f.Rows("Sheet1")
			n := 0
			for ; rows.Next(); n++ {
				rows.Columns()
			}
			f.Close()
			if n != 50001 {
				b.Fatalf("%d rows", n)
			}
		}
		b.ReportMetric(50001*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

func BenchmarkXLSXMerges(b *testing.B) {
	path := benchWorkbook(b, 50000)
	for i := 0; i < b.N; i++ {
		z, _ := zip.OpenReader(path)
		sheets, _ := workbookSheets(&z.Reader)
		if _, err := sheetMerges(sheets[0].part, "Sheet1", 1<<30); err != nil {
			b.Fatal(err)
		}
		z.Close()
	}
}

// The real public workbooks beside the repository (written by Office, with shared
// strings and styles) read as excelize reads them, sheet by sheet, row by row.
func TestSheetScannerAgreesOnRealWorkbooks(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "realdata", "*", "*.xlsx"))
	if len(paths) == 0 {
		t.Skip("../shared/realdata is not beside the repository")
	}
	for _, path := range paths {
		f, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		f.Close()
		for _, sheet := range sheets {
			want, got := excelizeRows(t, path, sheet), scannerRows(t, path, sheet)
			if len(want) != len(got) {
				t.Errorf("%s %s: %d rows, excelize %d", filepath.Base(path), sheet, len(got), len(want))
				continue
			}
			for n, w := range want {
				if strings.Join(got[n], "\x00") != strings.Join(w, "\x00") {
					t.Errorf("%s %s row %d: %q, excelize %q", filepath.Base(path), sheet, n, got[n], w)
					break
				}
			}
		}
	}
}
