package reports

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// VersionName is a report's file name, without extension, in its version: the
// first issue is base itself, the later ones base_v2, base_v3 ….
func VersionName(base string, version int) string {
	if version <= 1 {
		return base
	}
	return base + "_v" + strconv.Itoa(version)
}

// splitVersion reads a file base name as a report's base and version.
func splitVersion(name string) (string, int) {
	if i := strings.LastIndex(name, "_v"); i > 0 {
		if v, err := strconv.Atoi(name[i+2:]); err == nil && v >= 2 {
			return name[:i], v
		}
	}
	return name, 1
}

// LatestVersion is the latest version of base issued in dir (0: none).
func LatestVersion(dir, base string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	latest := 0
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		if ext != ".html" && ext != ".xlsx" && ext != ".pdf" {
			continue
		}
		if b, v := splitVersion(strings.TrimSuffix(name, ext)); b == base {
			latest = max(latest, v)
		}
	}
	return latest, nil
}

// nonce matches the page's fresh CSP nonce, in its attributes and its policy.
var nonce = regexp.MustCompile(`nonce(="|-)[A-Za-z0-9_-]*`)

// SameReport reports two files of a report with the same content: a page's bytes
// but for its fresh CSP nonce; a workbook's parts, byte for byte, but for the
// order of [Content_Types].xml's entries (excelize writes them from a map).
// The parts are compared as they are inflated, never held whole: an annual's
// workbook inflates to 120 MB.
func SameReport(a, b []byte) bool {
	if bytes.HasPrefix(a, []byte("%PDF")) || bytes.HasPrefix(b, []byte("%PDF")) {
		return bytes.Equal(pdfStamp.ReplaceAll(a, nil), pdfStamp.ReplaceAll(b, nil))
	}
	za, errA := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	zb, errB := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if errA != nil || errB != nil {
		return errA != nil && errB != nil && bytes.Equal(nonce.ReplaceAll(a, nil), nonce.ReplaceAll(b, nil))
	}
	if len(za.File) != len(zb.File) {
		return false
	}
	other := map[string]*zip.File{}
	for _, f := range zb.File {
		other[f.Name] = f
	}
	for _, fa := range za.File {
		fb := other[fa.Name]
		switch {
		case fb == nil:
			return false
		case fa.Name == "[Content_Types].xml":
			if !sameContentTypes(fa, fb) {
				return false
			}
		case fa.UncompressedSize64 != fb.UncompressedSize64 || fa.CRC32 != fb.CRC32 || !samePart(fa, fb):
			return false
		}
	}
	return true
}

// sameContentTypes compares two [Content_Types].xml parts as sets of entries.
func sameContentTypes(a, b *zip.File) bool {
	entries := func(f *zip.File) []byte {
		r, err := f.Open()
		if err != nil {
			return nil
		}
		defer r.Close()
		body, err := io.ReadAll(io.LimitReader(r, 1<<20))
		if err != nil {
			return nil
		}
		e := contentType.FindAll(body, -1)
		slices.SortFunc(e, bytes.Compare)
		return bytes.Join(e, nil)
	}
	ea := entries(a)
	return ea != nil && bytes.Equal(ea, entries(b))
}

// samePart compares two parts' inflated bytes, a block at a time.
func samePart(a, b *zip.File) bool {
	ra, err := a.Open()
	if err != nil {
		return false
	}
	defer ra.Close()
	rb, err := b.Open()
	if err != nil {
		return false
	}
	defer rb.Close()
	ba, bb := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		na, errA := io.ReadFull(ra, ba)
		nb, errB := io.ReadFull(rb, bb)
		if na != nb || !bytes.Equal(ba[:na], bb[:nb]) {
			return false
		}
		endA := errors.Is(errA, io.EOF) || errors.Is(errA, io.ErrUnexpectedEOF)
		endB := errors.Is(errB, io.EOF) || errors.Is(errB, io.ErrUnexpectedEOF)
		switch {
		case endA && endB:
			return true
		case errA != nil && !endA, errB != nil && !endB, endA != endB:
			return false // a checksum error, or one part ended first
		}
	}
}

// pdfStamp matches what a PDF printer stamps on each print: its dates and id.
var pdfStamp = regexp.MustCompile(`/(CreationDate|ModDate) ?\(D:[^)]*\)|/ID ?\[[^\]]*\]`)

var contentType = regexp.MustCompile(`<(Default|Override) [^>]*>`)

// WriteIndex writes the index page of a reports folder: every report there (HTML
// and Excel side by side), grouped by kind, newest period first, each re-issued
// version under its first; times in zone.
func WriteIndex(w io.Writer, dir string, zone *time.Location) error {
	list, err := listReports(dir)
	if err != nil {
		return err
	}
	p := &page{Title: "非警务警情分流处置报表目录", Subtitle: "本目录下的全部报表，按类别、统计期排列，最新的在前；重新生成且内容有变的报表另存为新版本，旧版本保留。网页版可离线打开，Excel 版用于存档和再加工。"}
	s := p.add(&section{ID: "reports", Title: "报表"})
	var kinds []string
	byKind := map[string][]*indexEntry{}
	for _, r := range list {
		if byKind[r.kind] == nil {
			kinds = append(kinds, r.kind)
		}
		byKind[r.kind] = append(byKind[r.kind], r)
	}
	for _, k := range kinds {
		t := table{Caption: k, Head: []string{"统计期", "版本", "网页版", "Excel 版", "PDF 版", "生成时间"}}
		for _, r := range byKind[k] {
			row := []cell{textCell(r.period), textCell(fmt.Sprintf("第%d版", r.version)), textCell("—"), textCell("—"), textCell("—"),
				{Text: r.mod.In(zone).Format("2006-01-02 15:04"), Class: "num"}}
			if r.html != "" {
				row[2] = cell{Text: r.html, Href: r.html}
			}
			if r.xlsx != "" {
				row[3] = cell{Text: r.xlsx, Href: r.xlsx}
			}
			if r.pdf != "" {
				row[4] = cell{Text: r.pdf, Href: r.pdf}
			}
			t.Rows = append(t.Rows, row)
		}
		s.Tables = append(s.Tables, t)
	}
	if len(list) == 0 {
		s.Tables = append(s.Tables, table{Head: []string{"报表"}, More: "尚无报表。"})
	}
	return p.render(w)
}

// indexEntry is one report of the folder: its formats and when it was written.
type indexEntry struct {
	base, period, kind string
	version            int
	html, xlsx, pdf    string
	mod                time.Time
}

// kindOrder is where a report's kind (its file suffix) comes in the index.
func kindOrder(suffix string) int {
	for i, k := range Kinds {
		if k.Suffix == suffix {
			return i
		}
	}
	return len(Kinds)
}

// listReports lists the reports in dir: by kind (in Kinds' order), newest period
// first, then newest version first.
func listReports(dir string) ([]*indexEntry, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	byBase := map[string]*indexEntry{}
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		if e.IsDir() || strings.HasPrefix(name, ".") || name == "index.html" || (ext != ".html" && ext != ".xlsx" && ext != ".pdf") {
			continue
		}
		stem := strings.TrimSuffix(name, ext)
		base, version := splitVersion(stem)
		per, kind, ok := strings.Cut(base, "_")
		if !ok {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		r := byBase[stem]
		if r == nil {
			r = &indexEntry{base: base, period: per, kind: kind, version: version}
			byBase[stem] = r
		}
		switch ext {
		case ".html":
			r.html = name
		case ".pdf":
			r.pdf = name
		default:
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
		a, b := list[i], list[j]
		switch {
		case a.kind != b.kind:
			if ka, kb := kindOrder(a.kind), kindOrder(b.kind); ka != kb {
				return ka < kb
			}
			return a.kind < b.kind
		case a.period != b.period:
			return a.period > b.period // 2024-05 after 2024-04; 2024-W20 after 2024-W19
		}
		return a.version > b.version
	})
	return list, nil
}
