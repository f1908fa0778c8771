package reports

import (
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// WriteIndex writes the index page of a reports folder: every report there (HTML
// and Excel side by side), newest first by modification time.
func WriteIndex(w io.Writer, dir string) error {
	list, err := listReports(dir)
	if err != nil {
		return err
	}
	p := &page{Title: "非警务警情分流处置报表目录", Subtitle: "本目录下的全部报表，最新的在前；网页版可离线打开，Excel 版用于存档和再加工。"}
	s := p.add(&section{ID: "reports", Title: "报表"})
	t := table{Head: []string{"报表", "统计期", "网页版", "Excel 版", "生成时间"}}
	for _, r := range list {
		row := []cell{textCell(r.kind), textCell(r.period), textCell("—"), textCell("—"), {Text: r.mod.Format("2006-01-02 15:04"), Class: "num"}}
		if r.html != "" {
			row[2] = cell{Text: r.html, Href: r.html}
		}
		if r.xlsx != "" {
			row[3] = cell{Text: r.xlsx, Href: r.xlsx}
		}
		t.Rows = append(t.Rows, row)
	}
	if len(list) == 0 {
		t.More = "尚无报表。"
	}
	s.Tables = append(s.Tables, t)
	return p.render(w)
}

// indexEntry is one report of the folder: its formats and when it was written.
type indexEntry struct {
	base, period, kind string
	html, xlsx         string
	mod                time.Time
}

// listReports lists the reports in dir, newest first.
func listReports(dir string) ([]*indexEntry, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	byBase := map[string]*indexEntry{}
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		if e.IsDir() || strings.HasPrefix(name, ".") || name == "index.html" || (ext != ".html" && ext != ".xlsx") {
			continue
		}
		base := strings.TrimSuffix(name, ext)
		per, kind, ok := strings.Cut(base, "_")
		if !ok {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		r := byBase[base]
		if r == nil {
			r = &indexEntry{base: base, period: per, kind: kind}
			byBase[base] = r
		}
		if ext == ".html" {
			r.html = name
		} else {
			r.xlsx = name
		}
		if info.ModTime().After(r.mod) {
			r.mod = info.ModTime()
		}
	}
	var list []*indexEntry
	for _, r := range byBase {
		list = append(list, r)
	}
	sort.Slice(list, func(i, j int) bool {
		if !list[i].mod.Equal(list[j].mod) {
			return list[i].mod.After(list[j].mod)
		}
		return list[i].base > list[j].base
	})
	return list, nil
}
