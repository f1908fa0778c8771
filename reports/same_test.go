package reports_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"

	"github.com/fenliu/fenliu/reports"
)

// zipOf writes parts (name, body pairs, in order) as a zip.
func zipOf(t *testing.T, parts ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for i := 0; i < len(parts); i += 2 {
		w, err := z.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(parts[i+1]))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// SameReport compares workbooks part by part: the parts' order and the order of
// [Content_Types].xml's entries do not matter; any byte of a part does, even
// past the first block.
func TestSameReportWorkbooks(t *testing.T) {
	const types = "[Content_Types].xml"
	big := strings.Repeat("明细行", 100000) // several 64 KB blocks
	base := zipOf(t, types, `<Default Extension="xml"/><Override PartName="/a"/>`, "xl/a.xml", "<a/>", "xl/big.xml", big)
	for _, tc := range []struct {
		name  string
		other []byte
		same  bool
	}{
		{"itself", base, true},
		{"parts reordered", zipOf(t, "xl/big.xml", big, types, `<Default Extension="xml"/><Override PartName="/a"/>`, "xl/a.xml", "<a/>"), true},
		{"content types reordered", zipOf(t, types, `<Override PartName="/a"/><Default Extension="xml"/>`, "xl/a.xml", "<a/>", "xl/big.xml", big), true},
		{"a byte late in a part", zipOf(t, types, `<Default Extension="xml"/><Override PartName="/a"/>`, "xl/a.xml", "<a/>", "xl/big.xml", big[:len(big)-3]+"表"), false},
		{"a part shorter", zipOf(t, types, `<Default Extension="xml"/><Override PartName="/a"/>`, "xl/a.xml", "<a/>", "xl/big.xml", big[:len(big)-3]), false},
		{"a part missing", zipOf(t, types, `<Default Extension="xml"/><Override PartName="/a"/>`, "xl/big.xml", big), false},
		{"a part renamed", zipOf(t, types, `<Default Extension="xml"/><Override PartName="/a"/>`, "xl/b.xml", "<a/>", "xl/big.xml", big), false},
		{"a content type more", zipOf(t, types, `<Default Extension="xml"/><Override PartName="/a"/><Override PartName="/b"/>`, "xl/a.xml", "<a/>", "xl/big.xml", big), false},
		{"a page", []byte("<p>1</p>"), false},
	} {
		if got := reports.SameReport(base, tc.other); got != tc.same {
			t.Errorf("%s: same %v, want %v", tc.name, got, tc.same)
		}
		if got := reports.SameReport(tc.other, base); got != tc.same {
			t.Errorf("%s (swapped): same %v, want %v", tc.name, got, tc.same)
		}
	}
}
