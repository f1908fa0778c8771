package reports

import (
	"crypto/rand"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// The HTML reports are rendered here with html/template, not by go-echarts' page
// renderer: go-echarts writes chart options unescaped and turns "__f__" markers in
// any label into live JavaScript (../shared/LIBRARIES.md §2.3). go-echarts only
// builds the typed option objects (charts.go); they are written with json.Marshal,
// which escapes < > & and U+2028/9, inside <script> elements that carry the page's
// CSP nonce. ECharts itself is inlined from the vendored copy in assets/echarts.

//go:embed templates/page.html
var templateFS embed.FS

//go:embed assets/echarts/echarts.min.js
var echartsJS string

var pageTemplate = template.Must(template.ParseFS(templateFS, "templates/page.html"))

// page is one self-contained HTML report.
type page struct {
	Title, Subtitle, Footer string
	Sections                []*section
	Nonce                   string
	ECharts                 template.JS
}

// section is one titled part of a report: on the page, its notes, charts and
// tables; in the workbook, its tables on a sheet (several sections may share one)
// and its lists each on a streamed sheet of their own. A report builds its
// sections once; the page and the workbook both draw them.
type section struct {
	ID, Title string
	Notes     []string  // the page's notes under the heading
	Key       bool      // show the red/green key
	Bulletin  *Bulletin // the written 通报, drawn as a notice
	Charts    []chartBlock
	Data      []*Table // the section's tables, drawn by both formats
	Tables    []table  // the page's tables, made from Data when the page is rendered

	// The workbook.
	Sheet      string   // the sheet its tables go on; "": none (the page only, or lists only)
	SheetTitle string   // the sheet's title row; "": the report's title · the sheet's name
	SheetNotes []string // lines under the sheet's title
	Freeze     [2]int   // frozen columns and rows of the sheet
	BookOnly   bool     // not on the page
	// BookData are the workbook's tables when they differ from the page's (the
	// score tables as printed); nil: Data.
	BookData []*Table
	// Extra draws what only a workbook has (charts drawn by Excel from cells).
	Extra func(f *excelize.File, st styles, title string) error
}

// chartBlock is one chart: a container and its ECharts option (JSON).
type chartBlock struct {
	ID, Label string
	Option    template.JS
	Wide      bool
	Height    int // pixels; 0: the stylesheet's default
}

// table is an HTML table of text cells. More says what was left out.
type table struct {
	Caption string
	Head    []string
	Rows    [][]cell
	More    string
	ID      string
	Fold    bool
	Class   string
	// Body is Rows already rendered, for a table without links (bodyHTML).
	Body template.HTML
}

// cell is one table cell; Class is num, red, green, muted or text.
type cell struct {
	Text, Class string
	Href        string // a relative link (the index page) or a link within the page
}

func (p *page) add(s *section) *section {
	p.Sections = append(p.Sections, s)
	return s
}

// chart adds a chart built by charts.go; ids are numbered in page order.
func (p *page) chart(s *section, label string, option map[string]any, wide bool, height int) error {
	b, err := json.Marshal(option) // escapes <, >, & and U+2028/9: safe inside <script>
	if err != nil {
		return fmt.Errorf("reports: chart %s: %w", label, err)
	}
	n := 0
	for _, x := range p.Sections {
		n += len(x.Charts)
	}
	s.Charts = append(s.Charts, chartBlock{ID: "chart" + strconv.Itoa(n+1), Label: label, Option: template.JS(b), Wide: wide, Height: height})
	return nil
}

// rowsHeight is the height of a chart with n rows of bars (at least the default).
func rowsHeight(n int) int { return max(340, 70+22*n) }

// render writes the page with a fresh CSP nonce.
func (p *page) render(w io.Writer) error {
	var shown []*section
	for _, s := range p.Sections {
		if s.BookOnly {
			continue
		}
		for _, t := range s.Data {
			var h table
			if t.List != "" {
				var err error
				if h, err = listTable(t.Caption, t, htmlListLimit, "，完整清单见同名 Excel 报表"); err != nil {
					return err
				}
			} else {
				h = t.html()
			}
			h.Body = bodyHTML(h.Rows)
			s.Tables = append(s.Tables, h)
		}
		shown = append(shown, s)
	}
	p.Sections = shown
	var n [18]byte
	if _, err := rand.Read(n[:]); err != nil {
		return err
	}
	p.Nonce = base64.RawURLEncoding.EncodeToString(n[:]) // no + or /: the same bytes in every attribute
	for _, s := range p.Sections {
		if len(s.Charts) > 0 {
			p.ECharts = template.JS(echartsJS)
			break
		}
	}
	if p.Footer == "" {
		p.Footer = "fenliu 生成 · 离线可用"
		if p.ECharts != "" {
			p.Footer = "fenliu 生成 · 图表库 Apache ECharts 5.6.0（Apache-2.0 许可）已内嵌，离线可用"
		}
	}
	return pageTemplate.Execute(w, p)
}

// htmlText escapes text as html/template escapes a value in element content or
// in a quoted attribute (its htmlReplacementTable, '+' included).
var htmlText = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// bodyHTML renders rows byte for byte as the page template's row loop does, or
// "" when a cell has a link (left to the template's URL filtering). Walking
// 20 000 detail rows through html/template's reflection took 1.7 s of a 10 M
// monthly; this takes a tenth of it. FuzzBodyHTMLIsTheTemplates holds the two equal.
func bodyHTML(rows [][]cell) template.HTML {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString("<tr>")
		for _, c := range r {
			if c.Href != "" {
				return ""
			}
			b.WriteString("<td")
			if c.Class != "" {
				b.WriteString(` class="`)
				htmlText.WriteString(&b, c.Class)
				b.WriteString(`"`)
			}
			b.WriteString(">")
			htmlText.WriteString(&b, c.Text)
			b.WriteString("</td>")
		}
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String())
}

// Cell helpers.

func textCell(s string) cell { return cell{Text: s, Class: "text"} }

// listTable shows a detail list on the page, at most limit rows (0: all); the
// workbook holds them all.
func listTable(caption string, l *Table, limit int, more string) (table, error) {
	shown := *l
	shown.Caption, shown.Empty = caption, "无。"
	n := int64(len(l.Rows))
	if l.Stream != nil { // the first limit rows, read from the stream
		n, shown.Rows = l.StreamLen, nil
		err := l.each(func(r []Cell) error {
			if limit > 0 && len(shown.Rows) == limit {
				return errEnough
			}
			shown.Rows = append(shown.Rows, r)
			return nil
		})
		if err != nil {
			return table{}, err
		}
	} else if limit > 0 && len(l.Rows) > limit {
		shown.Rows = l.Rows[:limit]
	}
	t := shown.html()
	if int64(len(shown.Rows)) < n {
		t.More = fmt.Sprintf("共 %d 条，此处列出前 %d 条%s。", n, limit, more)
	}
	return t, nil
}

// sections adds the two sections every report ends with: 指标口径 (every
// indicator's definition and the settings in force) and 数据来源 (the loads).
func (fr *Frame) sections(p *page) {
	t := fr.definitions()
	notes := []string{fr.periodNote()}
	notes = append(notes, fr.compareNotes("环比")...)
	if fr.ExemptionsInForce != nil {
		notes = append(notes, fmt.Sprintf("核减：统计时点有效的核减 %d 条（各期合计）；被核减的记录不计入相应指标的分子、分母和待定，明细见“%s”。",
			*fr.ExemptionsInForce, SheetExemptions))
	}
	p.add(&section{ID: "definitions", Title: "指标口径", Notes: notes, Data: t[:2],
		Sheet: SheetDefinitions, SheetNotes: notes})
	p.add(&section{ID: "coverage", Title: "数据来源", Data: t[2:], Sheet: SheetDefinitions})
}

// subtitle is the line under a report's title: period, dates and T.
func (fr *Frame) subtitle() string {
	return fmt.Sprintf("统计期：%s（%s 至 %s）　统计时点：%s　数据：%d 个文件",
		fr.Period.Label(), fr.Period.Start.Format("2006-01-02"), fr.Period.End.AddDate(0, 0, -1).Format("2006-01-02"),
		fr.AsOf.Format("2006-01-02 15:04"), len(fr.Coverage))
}

// joinNonEmpty joins the non-empty parts.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
