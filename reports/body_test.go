package reports

import (
	"bytes"
	"strings"
	"testing"
)

// renderTable renders a page holding one table, its rows drawn by bodyHTML or
// (fast false) by the template's own row loop.
func renderTable(t *testing.T, rows [][]cell, fast bool) string {
	t.Helper()
	tb := table{Caption: "明细", Head: []string{"编号", "说明"}, Rows: rows}
	if fast {
		tb.Body = bodyHTML(rows)
	}
	p := &page{Title: "t", Nonce: "n", Sections: []*section{{ID: "s", Title: "s", Tables: []table{tb}}}}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, p); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// FuzzBodyHTMLIsTheTemplates: a table's rows drawn by bodyHTML are byte for byte
// what html/template draws, whatever the text and classes hold.
func FuzzBodyHTMLIsTheTemplates(f *testing.F) {
	for _, s := range []string{"GD2024<script>alert(1)</script>", `a "b" & 'c' + d`, "签收用时 31分44秒，超过时限 30分", "\x00\xff\xfe", "&#x2028;\u2028", "--><!--"} {
		f.Add(s, "text")
	}
	f.Add("99.5%", `num" onclick="x`)
	f.Fuzz(func(t *testing.T, text, class string) {
		rows := [][]cell{{{Text: text, Class: class}, {Text: strings.ToUpper(text)}}, {{Text: "", Class: ""}, {Text: text, Class: "num red"}}}
		if bodyHTML(rows) == "" {
			t.Fatal("no body for rows without links")
		}
		if fast, slow := renderTable(t, rows, true), renderTable(t, rows, false); fast != slow {
			t.Errorf("bodyHTML differs from the template:\n%s\n%s", fast, slow)
		}
	})
}

// TestBodyHTMLLeavesLinksToTheTemplate: a table with a link is drawn by the
// template, whose URL filter stops a javascript: href.
func TestBodyHTMLLeavesLinksToTheTemplate(t *testing.T) {
	rows := [][]cell{{{Text: "a"}}, {{Text: "b", Href: "javascript:alert(1)"}}}
	if bodyHTML(rows) != "" {
		t.Fatal("bodyHTML drew a table with a link")
	}
	if got := renderTable(t, rows, true); strings.Contains(got, "javascript:") {
		t.Errorf("unsafe link drawn: %s", got)
	}
}
