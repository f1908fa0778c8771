package synth

import (
	"bufio"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// WriteGBK writes GB18030 copies (calls.gbk.csv, orders.gbk.csv) of the UTF-8
// exports in dir, as many Chinese government systems export them.
func WriteGBK(dir string) error {
	for _, n := range []string{"calls", "orders"} {
		in, err := os.Open(filepath.Join(dir, n+".csv"))
		if err != nil {
			return err
		}
		out, err := os.Create(filepath.Join(dir, n+".gbk.csv"))
		if err != nil {
			in.Close()
			return err
		}
		w := transform.NewWriter(out, simplifiedchinese.GB18030.NewEncoder())
		_, err = io.Copy(w, bufio.NewReaderSize(in, 1<<20))
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		in.Close()
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// WriteXLSX writes calls.xlsx and orders.xlsx from the CSV exports in dir. As in
// real exports, one timestamp column mixes text dates (odd rows) and date serials
// in numeric cells (even rows). Meant for small files: XLSX is slow to read.
func WriteXLSX(dir string) error {
	for _, n := range []string{"calls", "orders"} {
		if err := csvToXLSX(filepath.Join(dir, n+".csv"), filepath.Join(dir, n+".xlsx")); err != nil {
			return err
		}
	}
	return nil
}

func csvToXLSX(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	r := csv.NewReader(bufio.NewReader(in))
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: strPtr("yyyy-mm-dd hh:mm:ss")})
	if err != nil {
		return err
	}
	var header []string
	for row := 1; ; row++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if row == 1 {
			header = append([]string(nil), rec...)
		}
		cells := make([]any, len(rec))
		for i, v := range rec {
			cells[i] = v
			if row > 1 && row%2 == 0 && strings.HasSuffix(header[i], "时间") && v != "" {
				if t, err := time.Parse(layout, v); err == nil {
					serial := float64(t.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC))) / float64(24*time.Hour)
					cells[i] = excelize.Cell{Value: serial, StyleID: dateStyle}
				}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(to)
}

func strPtr(s string) *string { return &s }
