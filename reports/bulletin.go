package reports

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
)

// The written 通报 (SPEC §12) that opens the monthly, annual and weekly reports:
// a header block from the config, then 总体情况, the indicators with their
// changes, the rankings, the units below the floor, overdue and repeat calls and
// what the reader must know of the figures. Written from the report's own model
// without any network or model: every number in it is one the report shows in a
// table or a note (tested: bulletin_test.go).

// Header is the head and foot of a 通报: the config's bulletin section.
type Header struct {
	Issuer string `yaml:"issuer"` // 发文单位, and the signature unless Signature is set
	// 文号 of the monthly, annual and weekly 通报: {year}, {month} and {week} are
	// the period's (诸政法〔{year}〕{month}号); "": no 文号 line.
	Number       string `yaml:"number"`
	AnnualNumber string `yaml:"annual_number"`
	WeeklyNumber string `yaml:"weekly_number"`
	Jurisdiction string `yaml:"jurisdiction"` // what the figures cover: 全市, 全县
	Recipients   string `yaml:"recipients"`   // 主送
	Signature    string `yaml:"signature"`    // 落款; "": Issuer
	CopyTo       string `yaml:"copy_to"`      // 抄送; "": none
}

// DefaultHeader is the header `init` writes: staff put their committee's name in.
func DefaultHeader() Header {
	return Header{Issuer: "中共××市委政法委员会", Jurisdiction: "全市", Recipients: "各乡镇（街道），市级有关单位"}
}

// Bulletin is a written 通报.
type Bulletin struct {
	Issuer, Number, Title, Recipients string
	Parts                             []BulletinPart
	Signature, Date, CopyTo           string
}

// BulletinPart is one numbered part: 一、总体情况 and its paragraphs.
type BulletinPart struct {
	Heading    string
	Paragraphs []string
}

// Text is the 通报 as plain text, a paragraph a line.
func (b *Bulletin) Text() string {
	var s strings.Builder
	line := func(t string) {
		if t != "" {
			s.WriteString(t + "\n")
		}
	}
	line(b.Issuer)
	line(b.Number)
	line(b.Title)
	line(b.Recipients + "：")
	for _, p := range b.Parts {
		line(p.Heading)
		for _, x := range p.Paragraphs {
			line(x)
		}
	}
	line(b.Signature)
	line(b.Date)
	if b.CopyTo != "" {
		line("抄送：" + b.CopyTo)
	}
	return s.String()
}

// newBulletin starts a 通报 of period label (2024年5月) on subject (非警务警情分流处置工作情况).
func newBulletin(h Header, p periodLike, subject string, asOf time.Time) *Bulletin {
	sig := h.Signature
	if sig == "" {
		sig = h.Issuer
	}
	return &Bulletin{Issuer: h.Issuer, Number: h.number(p), Title: "关于" + p.Label() + h.Jurisdiction + subject + "的通报",
		Recipients: h.Recipients, Signature: sig, Date: chineseDate(asOf), CopyTo: h.CopyTo}
}

// periodLike is what the header needs of a period.
type periodLike interface {
	Label() string
	String() string
}

// number fills the period kind's 文号 pattern with the period: {year}, {month}, {week}.
func (h Header) number(p periodLike) string {
	s := p.String() // 2024, 2024-05, 2024-W20
	pattern := h.Number
	switch {
	case !strings.Contains(s, "-"):
		pattern = h.AnnualNumber
	case strings.Contains(s, "-W"):
		pattern = h.WeeklyNumber
	}
	if pattern == "" {
		return ""
	}
	year, rest, _ := strings.Cut(s, "-")
	month, week := "", ""
	if strings.HasPrefix(rest, "W") {
		week = strings.TrimLeft(rest[1:], "0")
	} else {
		month = strings.TrimLeft(rest, "0")
	}
	return strings.NewReplacer("{year}", year, "{month}", month, "{week}", week).Replace(pattern)
}

// Summary is the 通报's first paragraph (总体情况), the body of a message that
// delivers the report; "" when it has none.
func (b *Bulletin) Summary() string {
	if len(b.Parts) == 0 || len(b.Parts[0].Paragraphs) == 0 {
		return ""
	}
	return b.Parts[0].Paragraphs[0]
}

// Summary is the scorecard's 通报 in its first paragraph.
func (sc *Scorecard) Summary() string { return sc.bulletin().Summary() }

// Summary is the briefing's 通报 in its first paragraph.
func (w *Weekly) Summary() string { return w.bulletin().Summary() }

// add appends a numbered part with its paragraphs (none: nothing).
func (b *Bulletin) add(heading string, paras ...string) {
	var keep []string
	for _, p := range paras {
		if p != "" {
			keep = append(keep, p)
		}
	}
	if len(keep) == 0 {
		return
	}
	b.Parts = append(b.Parts, BulletinPart{Heading: chineseNumeral(len(b.Parts)+1) + "、" + heading, Paragraphs: keep})
}

// bulletin writes the scorecard's 通报.
func (sc *Scorecard) bulletin() *Bulletin {
	subject := "非警务警情分流处置工作情况"
	if sc.MonthlyScores != nil {
		subject = "非警务警情分流处置工作考核情况"
	}
	b := newBulletin(sc.Header, sc.Period, subject, sc.AsOf)
	cur := sc.Overview.Current.Total()
	if cur.Counts.Calls == 0 && cur.Counts.Orders == 0 {
		b.add("总体情况", fmt.Sprintf("%s（统计时点%s），%s无警情和联动工单数据，本期不作考评。", sc.Period.Label(), chineseMoment(sc.AsOf), sc.Header.Jurisdiction))
		return b
	}
	b.add("总体情况", sc.overall())
	b.add("主要指标", sc.indicatorsText())
	b.add("考评排名", sc.rankingText()...)
	b.add("低于底线值的单位", sc.belowFloorText())
	b.add("超期与重复报警", sc.overdueText())
	b.add("需要说明的情况", sc.caveats()...)
	return b
}

// since is how the text names the comparison period.
func (sc *Scorecard) since() string {
	if sc.MonthlyScores != nil {
		return "上年"
	}
	return "上月"
}

func (sc *Scorecard) overall() string {
	cur, prev := sc.Overview.Current.Total(), sc.Overview.Prev.Total()
	c := cur.Counts
	var s strings.Builder
	comparable := sc.Overview.PrevNote == ""
	fmt.Fprintf(&s, "%s（统计时点%s），%s共接报警情%s起", sc.Period.Label(), chineseMoment(sc.AsOf), sc.Header.Jurisdiction, thousands(c.Calls))
	if ch := percentChangeText(metrics.PercentChange(c.Calls, prev.Counts.Calls)); ch != "" && comparable {
		fmt.Fprintf(&s, "，较%s%s", sc.since(), ch)
	}
	fmt.Fprintf(&s, "；其中有效警情%s起、非警务警情%s起，已分流%s起，分流率%s", thousands(c.ValidCalls), thousands(c.NonpoliceCalls),
		thousands(c.DivertedCalls), percentText(cur.Indicators[metrics.DiversionRatio]))
	if d := metrics.PointsChange(cur.Indicators[metrics.DiversionRatio], prev.Indicators[metrics.DiversionRatio]); d != nil && comparable {
		fmt.Fprintf(&s, "，较%s%s", sc.since(), pointsText(d))
	}
	fmt.Fprintf(&s, "。共派发联动工单%s件，其中有效工单%s件、退回%s件；截至统计时点，超期未办结%s件。",
		thousands(c.Orders), thousands(c.EffectiveOrders), thousands(c.ReturnedOrders), thousands(c.OverdueOrders))
	return s.String()
}

func (sc *Scorecard) indicatorsText() string {
	cur, prev, yago := sc.Overview.Current.Total(), sc.Overview.Prev.Total(), sc.Overview.YearAgo.Total()
	var parts []string
	for _, in := range sc.weighted() {
		x := cur.Indicators[in.ID]
		if x.Rate() == nil {
			parts = append(parts, in.Name+"无可计算的记录，不计算")
			continue
		}
		s := in.Name + percentText(x)
		if sc.provisional(x) {
			s += "（暂定）"
		}
		if d := metrics.PointsChange(x, prev.Indicators[in.ID]); d != nil && sc.Overview.PrevNote == "" {
			s += "，环比" + pointsText(d)
		}
		if d := metrics.PointsChange(x, yago.Indicators[in.ID]); d != nil && sc.Overview.YearAgoNote == "" {
			s += "，同比" + pointsText(d)
		}
		if in.LowerBetter {
			s += "（越低越好）"
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return ""
	}
	text := strings.Join(parts, "；") + "。"
	for _, n := range []struct{ what, note string }{{"环比", sc.Overview.PrevNote}, {"同比", sc.Overview.YearAgoNote}} {
		if n.note != "" {
			text += n.what + "不可比（" + n.note + "），未作比较。"
		}
	}
	return text
}

// rankingText: per table and peer group, the first and the last three with their
// scores, the largest moves since the period before, and who was not ranked.
func (sc *Scorecard) rankingText() []string {
	var out []string
	for _, t := range []struct {
		name string
		rows []Row
		prev []Row
	}{{"部门", sc.Departments, sc.PrevDepartments}, {"乡镇（街道）", sc.Towns, sc.PrevTowns}} {
		prevRank := ranksOf(t.prev)
		var ranked []Row
		var unranked []string
		for _, r := range t.rows {
			switch {
			case r.Score.Rank != nil:
				ranked = append(ranked, r)
			case r.Score.Insufficient:
				unranked = append(unranked, r.Group.Key)
			}
		}
		kinds, byKind := peerGroups(ranked)
		for _, k := range kinds {
			rows := byKind[k]
			group := t.name
			if k != domain.AllUnits {
				group = string(k)
			}
			named := func(rs []Row) string {
				var names []string
				for _, r := range rs {
					names = append(names, r.Group.Key+"（"+scoreText(r.Score.Total)+"）")
				}
				return joinNames(names)
			}
			var s string
			switch n := len(rows); {
			case n == 1:
				s = fmt.Sprintf("%s中仅%s参加排名。", group, named(rows))
			case n <= 3:
				s = fmt.Sprintf("%s得分依次为%s。", group, named(rows))
			default:
				top, bottom := rows[:3], rows[max(3, n-3):]
				s = fmt.Sprintf("%s得分前三位的是%s；后%s位的是%s。", group, named(top), chineseNumeral(len(bottom)), named(bottom))
			}
			if moves := rankMoves(rows, prevRank, sc.since()); moves != "" {
				s += moves
			}
			out = append(out, s)
		}
		if len(unranked) > 0 {
			out = append(out, fmt.Sprintf("%s有效工单不足%d件，样本不足，不参与排名。", joinNames(unranked), sc.Scoring.MinOrders))
		}
	}
	if sc.centresAndTowns() {
		out = append(out, townCentreNote)
	}
	return out
}

// townCentreNote says why a town's centre and the town rank differently.
const townCentreNote = "乡镇街道社会治理中心作为承办单位，按其承办的工单考评，与职能部门等同类单位比较；乡镇（街道）按属地考评，计入辖区内全部警情和工单（含职能部门承办的），二者口径不同，得分和排名不可互相比较。"

// centresAndTowns reports a scorecard that ranks town centres among the
// departments and towns on their own: the two rankings need the note.
func (sc *Scorecard) centresAndTowns() bool {
	if len(sc.Towns) == 0 {
		return false
	}
	for _, r := range sc.Departments {
		if r.Score.Kind == domain.TownCentre {
			return true
		}
	}
	return false
}

// rankMoves names the largest rises and falls in rank since the period before
// (at most two each, of two places or more).
func rankMoves(rows []Row, prev ranks, since string) string {
	type move struct {
		key string
		by  int
	}
	var ups, downs []move
	for _, r := range rows {
		was, ok := prev.of(r)
		if !ok {
			continue
		}
		switch d := was - *r.Score.Rank; {
		case d >= 2:
			ups = append(ups, move{r.Group.Key, d})
		case d <= -2:
			downs = append(downs, move{r.Group.Key, -d})
		}
	}
	sort.SliceStable(ups, func(i, j int) bool { return ups[i].by > ups[j].by })
	sort.SliceStable(downs, func(i, j int) bool { return downs[i].by > downs[j].by })
	var parts []string
	for _, m := range ups[:min(2, len(ups))] {
		parts = append(parts, fmt.Sprintf("%s上升%d位", m.key, m.by))
	}
	for _, m := range downs[:min(2, len(downs))] {
		parts = append(parts, fmt.Sprintf("%s下降%d位", m.key, m.by))
	}
	if len(parts) == 0 {
		return ""
	}
	return "与" + since + "相比，" + strings.Join(parts, "，") + "。"
}

// belowFloorText names, per weighted indicator, every unit below its floor.
func (sc *Scorecard) belowFloorText() string {
	var parts []string
	for _, in := range sc.weighted() {
		var names []string
		for _, rows := range [][]Row{sc.Departments, sc.Towns} {
			for _, r := range rows {
				x := r.Group.Indicators[in.ID]
				if sc.mark(x, in.ID) == belowFloor {
					names = append(names, r.Group.Key+"（"+percentText(x)+"）")
				}
			}
		}
		if len(names) == 0 {
			continue
		}
		word := "低于"
		if in.LowerBetter {
			word = "高于"
		}
		parts = append(parts, fmt.Sprintf("%s%s底线值%s的有%s", in.Name, word, fractionText(sc.Scoring.Indicators[in.ID].Floor), strings.Join(names, "、")))
	}
	if len(parts) == 0 {
		return "各考核指标均无单位越过底线值。"
	}
	return strings.Join(parts, "；") + "。请相关单位对照明细逐条核查整改。"
}

func (sc *Scorecard) overdueText() string {
	cur := sc.Overview.Current.Total()
	var s strings.Builder
	if n := cur.Counts.OverdueOrders; n > 0 {
		fmt.Fprintf(&s, "截至统计时点，超期未办结工单%s件", thousands(n))
		if len(sc.Overdue) > 0 {
			o := sc.Overdue[0] // most overdue first
			fmt.Fprintf(&s, "，其中超期最久的是%s承办的%s（超期%s天）", o.Department, o.OrderID, strconv.FormatFloat(o.DaysOver, 'f', 1, 64))
		}
		s.WriteString("。")
	} else {
		s.WriteString("截至统计时点，无超期未办结工单。")
	}
	rep := cur.Indicators[metrics.RepeatRate]
	if rep.Rate() != nil {
		fmt.Fprintf(&s, "本期重复报警%s起，重复报警率%s。", trimFloat(rep.Num), percentText(rep))
	}
	return s.String()
}

// caveats: what the reader must know of the figures — what is still pending,
// the exemptions applied, the rejected rows.
func (sc *Scorecard) caveats() []string {
	cur := sc.Overview.Current.Total()
	var out []string
	var pending []string
	for _, in := range sc.weighted() {
		if x := cur.Indicators[in.ID]; x.Pending > 0 {
			pending = append(pending, fmt.Sprintf("%s%s条", in.Name, thousands(x.Pending)))
		}
	}
	if len(pending) > 0 {
		out = append(out, "截至统计时点，"+strings.Join(pending, "、")+"记录的时限尚未届满，暂不计入分母，相关数据以后续统计为准。")
	}
	var provisional []string
	for _, in := range sc.weighted() {
		if sc.provisional(cur.Indicators[in.ID]) {
			provisional = append(provisional, in.Name)
		}
	}
	if len(provisional) > 0 {
		out = append(out, fmt.Sprintf("%s的待定记录超过统计对象的%s，为暂定数，排名和得分可能随时限届满而变化。", joinNames(provisional), fractionText(sc.Indicators.ProvisionalShare)))
	}
	if sc.Overview.Mode == metrics.Settled {
		out = append(out, "环比、同比按已结算口径比较（对比期与本期统计时点相同）。")
	} else {
		out = append(out, "环比、同比按相同成熟度比较（对比期取其期末后与本期相同时长的统计时点）。")
	}
	if sc.ExemptionsInForce != nil && *sc.ExemptionsInForce > 0 {
		out = append(out, fmt.Sprintf("统计时点有效的核减%d条，被核减的记录不计入相应指标，详见核减明细。", *sc.ExemptionsInForce))
	}
	for _, f := range sc.RejectsByFile {
		if f.Rejected > 0 {
			out = append(out, "导入数据时部分记录因格式或取值问题被拒收，详见数据质量。")
			break
		}
	}
	return out
}

// SheetBulletin is the workbook sheet of the 通报, the first.
const SheetBulletin = "通报"

// bulletinSection is the 通报 as the first section of a report: the page draws
// it as a notice, the workbook on a sheet of its own, a paragraph to a row.
func bulletinSection(b *Bulletin) *section {
	return &section{ID: "bulletin", Title: SheetBulletin, Bulletin: b,
		Extra: func(f *excelize.File, st styles, _ string) error { return writeBulletinSheet(f, b) }}
}

// rowChunks splits a long paragraph into rows of at most about chunkLines lines,
// after a semicolon, an enumeration comma or a comma: a row is never split across
// printed pages, so a paragraph of one tall row would leave the rest of a page
// blank (and a row is at most 409 points high).
func rowChunks(text string, width float64) []string {
	limit := width * chunkLines / bulletinFont
	if cellWidth(text) <= limit {
		return []string{text}
	}
	var parts []string
	start := 0
	for i, r := range text {
		if r == '；' || r == '、' || r == '，' {
			end := i + len(string(r))
			parts, start = append(parts, text[start:end]), end
		}
	}
	if start < len(text) {
		parts = append(parts, text[start:])
	}
	var out []string
	var cur strings.Builder
	for _, part := range parts {
		if cur.Len() > 0 && cellWidth(cur.String()+part) > limit {
			out = append(out, cur.String())
			cur.Reset()
		}
		cur.WriteString(part)
	}
	return append(out, cur.String())
}

// chunkLines is the most lines of one row of the 通报.
const chunkLines = 6

// bulletinWidth is the 通报's one column: about 37 Chinese characters a line at
// 11 pt, inside A4 portrait at 100 %.
const bulletinWidth = 72.0

// The 通报's text: 11 pt (a page holds the header block and three parts of a
// city's 通报), its lines 15.5 pt apart; bulletinFont scales cellWidth's 10 pt to
// it, with a little to spare (SimSun in Excel: 2.1 units a character; a line too few would hide the last).
const (
	bulletinPoints = 11
	bulletinLine   = 15.5
	bulletinFont   = 1.12
)

// writeBulletinSheet writes the 通报 on its sheet: one wide column, each
// paragraph a wrapped row as high as its lines, A4 portrait.
func writeBulletinSheet(f *excelize.File, b *Bulletin) error {
	s, err := newSheet(f, SheetBulletin, placeholder(f))
	if err != nil {
		return err
	}
	if err := f.SetColWidth(SheetBulletin, "A", "A", bulletinWidth); err != nil {
		return err
	}
	style := func(size float64, bold bool, align string, indent int) (int, error) {
		return f.NewStyle(&excelize.Style{Font: &excelize.Font{Size: size, Bold: bold, Family: workbookFont},
			Alignment: &excelize.Alignment{Horizontal: align, Vertical: "top", WrapText: true, Indent: indent}})
	}
	title, err := style(16, true, "center", 0)
	if err != nil {
		return err
	}
	head, _ := style(bulletinPoints, true, "left", 0)
	body, _ := style(bulletinPoints, false, "left", 0)
	right, _ := style(bulletinPoints, false, "right", 0)
	centre, _ := style(bulletinPoints, false, "center", 0)
	row := func(text string, st int) error {
		if text == "" {
			return nil
		}
		if err := s.put(st, []any{text}); err != nil {
			return err
		}
		lines := int(math.Ceil(cellWidth(text) * bulletinFont / bulletinWidth))
		return f.SetRowHeight(SheetBulletin, s.row, min(float64(lines)*bulletinLine+4, 409)) // 409 points: Excel's highest row
	}
	for _, r := range []struct {
		text  string
		style int
	}{{b.Issuer, title}, {b.Number, centre}, {b.Title, title}, {b.Recipients + "：", body}} {
		if err := row(r.text, r.style); err != nil {
			return err
		}
	}
	for _, p := range b.Parts {
		if err := row(p.Heading, head); err != nil {
			return err
		}
		for _, x := range p.Paragraphs {
			for i, chunk := range rowChunks(x, bulletinWidth) {
				indent := "　　"
				if i > 0 {
					indent = ""
				}
				if err := row(indent+chunk, body); err != nil {
					return err
				}
			}
		}
	}
	for _, t := range []string{b.Signature, b.Date} {
		if err := row(t, right); err != nil {
			return err
		}
	}
	if b.CopyTo != "" {
		if err := row("抄送："+b.CopyTo, body); err != nil {
			return err
		}
	}
	return pageSetup{portrait: true, widths: []float64{bulletinWidth}}.apply(f, SheetBulletin)
}

// bulletin writes the weekly briefing's 通报: the week against the week before
// and the four weeks' mean, the spikes and the frequent callers, the orders to
// chase, and what is provisional.
func (w *Weekly) bulletin() *Bulletin {
	b := w.B
	out := newBulletin(w.Header, w.Period, "非警务警情研判情况", w.AsOf)
	cur, prev := b.Overview.Current.Total(), b.Overview.Prev.Total()
	c := cur.Counts
	if c.Calls == 0 && c.Orders == 0 {
		out.add("总体情况", fmt.Sprintf("%s（统计时点%s），%s无警情和联动工单数据。", w.Period.Label(), chineseMoment(w.AsOf), w.Header.Jurisdiction))
		return out
	}
	var s strings.Builder
	fmt.Fprintf(&s, "%s（统计时点%s），%s共接报警情%s起", w.Period.Label(), chineseMoment(w.AsOf), w.Header.Jurisdiction, thousands(c.Calls))
	var vs []string
	if ch := percentChangeText(metrics.PercentChange(c.Calls, prev.Counts.Calls)); ch != "" && b.Overview.PrevNote == "" {
		vs = append(vs, "较上周"+ch)
	}
	if ch := percentChangeText(metrics.PercentChange(c.Calls, b.Mean4.Calls)); ch != "" {
		vs = append(vs, "较前4周均值"+ch)
	}
	if len(vs) > 0 {
		s.WriteString("，" + strings.Join(vs, "，"))
	}
	fmt.Fprintf(&s, "；其中有效警情%s起、非警务警情%s起，已分流%s起，分流率%s", thousands(c.ValidCalls), thousands(c.NonpoliceCalls),
		thousands(c.DivertedCalls), percentText(cur.Indicators[metrics.DiversionRatio]))
	if d := metrics.PointsChange(cur.Indicators[metrics.DiversionRatio], prev.Indicators[metrics.DiversionRatio]); d != nil && b.Overview.PrevNote == "" {
		s.WriteString("，较上周" + pointsText(d))
	}
	fmt.Fprintf(&s, "。共派发联动工单%s件。", thousands(c.Orders))
	if b.Overview.PrevNote != "" {
		s.WriteString("上周数据不可比（" + b.Overview.PrevNote + "），未作比较。")
	}
	out.add("总体情况", s.String())

	var watch []string
	for _, v := range []struct {
		what string
		vols []metrics.Volume
	}{{"类", b.Categories}, {"", b.Towns}} {
		for _, x := range v.vols {
			if !x.Spike {
				continue
			}
			t := fmt.Sprintf("%s%s有效警情%s起，前4周均值%s起", x.Key, v.what, thousands(x.Week), strconv.FormatFloat(x.Mean, 'f', 1, 64))
			if x.Rise != nil {
				t += fmt.Sprintf("，升幅%s%%", strconv.FormatFloat(*x.Rise*100, 'f', 1, 64))
			}
			watch = append(watch, t)
		}
	}
	var para []string
	if len(watch) > 0 {
		para = append(para, "异常升高："+strings.Join(watch, "；")+"。请相关单位分析原因、提前介入。")
	}
	if len(b.Callers) > 0 || len(b.Addresses) > 0 {
		para = append(para, fmt.Sprintf("高频报警电话%d个、地址%d个，请属地核实诉求、落实化解。", len(b.Callers), len(b.Addresses)))
	}
	if len(b.Repeats) > 0 {
		para = append(para, fmt.Sprintf("本周已分流警情中重复报警%d起，重复报警率%s。", len(b.Repeats), percentText(cur.Indicators[metrics.RepeatRate])))
	}
	out.add("需关注的警情", para...)

	carried := 0
	for _, o := range b.Overdue {
		if o.Carried {
			carried++
		}
	}
	orders := []string{"截至统计时点，无超期未办结或超过签收时限未签收的工单。"}
	if len(b.Overdue)+len(b.Unsigned) > 0 || b.FollowupDone > 0 {
		orders[0] = fmt.Sprintf("截至统计时点，上期研判已列超期工单中仍未办结%d件、本周已办结%d件，本周新增超期%d件；本周派发、超过签收时限仍未签收%d件。",
			carried, b.FollowupDone, len(b.Overdue)-carried, len(b.Unsigned))
	}
	for _, l := range []struct {
		id   domain.IndicatorID
		list []metrics.DeptRate
	}{{metrics.SignRate, b.LowestSign}, {metrics.ArrivalRate, b.LowestArrival}} {
		if len(l.list) == 0 {
			continue
		}
		var names []string
		for _, d := range l.list {
			names = append(names, d.Department+"（"+percentText(d.Ratio)+"）")
		}
		orders = append(orders, fmt.Sprintf("%s最低的单位：%s。", l.id.Name(), strings.Join(names, "、")))
	}
	out.add("工单办理", orders...)

	var pending []string
	for _, in := range metrics.Indicators {
		if x := cur.Indicators[in.ID]; x.Pending > 0 && (in.ID == metrics.RepeatRate || w.Scoring.Indicators[in.ID].Weight > 0) {
			pending = append(pending, fmt.Sprintf("%s%s条", in.Name, thousands(x.Pending)))
		}
	}
	if len(pending) > 0 {
		out.add("需要说明的情况", "本周刚结束，"+strings.Join(pending, "、")+"记录的时限或重复报警观察期尚未届满，暂不计入分母；相关比率为暂定数，与上周比较时请注意。")
	}
	return out
}
