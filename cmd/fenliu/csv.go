package main

import (
	"encoding/csv"
	"io"
	"os"
	"strconv"
	"strings"
)

// csvWriter writes every CSV the product writes: UTF-8 with a BOM (so that Excel
// reads the Chinese), and no cell that a spreadsheet would run as a formula.
type csvWriter struct {
	f *os.File // nil when writing to a stream owned by the caller
	w *csv.Writer
}

// newCSV writes a CSV with a BOM to w.
func newCSV(w io.Writer) *csvWriter {
	io.WriteString(w, "\uFEFF")
	return &csvWriter{w: csv.NewWriter(w)}
}

// createCSV creates a CSV file.
func createCSV(path string) (*csvWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	c := newCSV(f)
	c.f = f
	return c, nil
}

func (c *csvWriter) write(cells ...string) {
	row := make([]string, len(cells))
	for i, s := range cells {
		row[i] = spreadsheetSafe(s)
	}
	c.w.Write(row)
}

// writeCSV writes records as a CSV to a stream.
func writeCSV(w io.Writer, records [][]string) error {
	c := newCSV(w)
	for _, r := range records {
		c.write(r...)
	}
	return c.close()
}

// close flushes the CSV (and closes its file) and returns the first error.
func (c *csvWriter) close() error {
	c.w.Flush()
	err := c.w.Error()
	if c.f != nil {
		if cerr := c.f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// spreadsheetSafe keeps a spreadsheet from reading a value as a formula: a text
// value starting with = + - @, a tab or a carriage return gets a leading
// apostrophe (OWASP's CSV-injection advice). Numbers, negative ones included,
// stay numbers.
func spreadsheetSafe(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}
