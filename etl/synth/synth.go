// Package synth writes deterministic synthetic exports (calls.csv, orders.csv and
// the two dictionaries) with the structure of the seeds: Shaoxing counties, towns
// and villages, functional departments and town centres, the four linkage classes,
// realistic sign/arrival/closure delays, returns and re-dispatches, 12345 orders
// without a call, repeat and high-frequency callers, revisits, and a little dirt
// (out-of-order clocks, done without outcome, unknown categories, masked phones).
//
// It streams: calls are generated day by day in time order and written at once, so
// any size fits in constant memory. The same Options give the same bytes.
package synth

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"github.com/fenliu/fenliu/domain"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Options say what to generate. Calls, From and To must be set; To is exclusive
// and is also the export time: lifecycle events after it have not happened yet.
type Options struct {
	Calls    int
	From, To time.Time // wall-clock dates (any location; only the fields are used)
	Seed     uint64
	// Progress, if set, is called after each generated day with the calls so far.
	Progress func(calls int)
}

// Stats counts what was written.
type Stats struct {
	Calls, Orders int
}

const layout = "2006-01-02 15:04:05"

// Generate writes calls.csv, orders.csv, departments.csv and categories.csv to dir.
func Generate(dir string, o Options) (Stats, error) {
	if o.Calls < 0 || !o.To.After(o.From) {
		return Stats{}, fmt.Errorf("synth: need calls ≥ 0 and to after from")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, err
	}
	if err := WriteDictionaries(dir); err != nil {
		return Stats{}, err
	}
	cf, err := os.Create(filepath.Join(dir, "calls.csv"))
	if err != nil {
		return Stats{}, err
	}
	defer cf.Close()
	of, err := os.Create(filepath.Join(dir, "orders.csv"))
	if err != nil {
		return Stats{}, err
	}
	defer of.Close()
	cb, ob := bufio.NewWriterSize(cf, 1<<20), bufio.NewWriterSize(of, 1<<20)
	g := newGen(o, csv.NewWriter(cb), csv.NewWriter(ob))
	if err := g.run(); err != nil {
		return Stats{}, err
	}
	for _, w := range []*csv.Writer{g.calls, g.orders} {
		w.Flush()
		if err := w.Error(); err != nil {
			return Stats{}, err
		}
	}
	if err := cb.Flush(); err != nil {
		return Stats{}, err
	}
	if err := ob.Flush(); err != nil {
		return Stats{}, err
	}
	return g.stats, nil
}

// WriteDictionaries writes departments.csv (the functional departments with their
// aliases, and each town's 社会治理中心) and categories.csv (SPEC §2.3 defaults).
func WriteDictionaries(dir string) error {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"name", "aliases", "kind", "county"})
	for _, d := range departments {
		w.Write([]string{d.name, strings.Join(d.aliases, "|"), d.kind, ""})
	}
	for _, c := range counties {
		for _, t := range c.towns {
			w.Write([]string{townCentre(t), t, "乡镇街道", c.name})
		}
	}
	w.Flush()
	if err := os.WriteFile(filepath.Join(dir, "departments.csv"), []byte(b.String()), 0o644); err != nil {
		return err
	}
	b.Reset()
	w = csv.NewWriter(&b)
	w.Write([]string{"category", "nature"})
	for _, c := range categories {
		w.Write([]string{c.name, c.nature})
	}
	w.Flush()
	return os.WriteFile(filepath.Join(dir, "categories.csv"), []byte(b.String()), 0o644)
}

func townCentre(town string) string { return town + "社会治理中心" }

type recent struct {
	phone, address, category string
	county, town, village    string
}

type gen struct {
	o              Options
	r              *rand.Rand
	calls, orders  *csv.Writer
	stats          Stats
	end            time.Time
	catTotal       int
	frequent       []string
	ring           []recent
	callN, orderN  int
	crow, orow     []string
	callSeqPerYear map[int]int
}

var callHeader = []string{"警情编号", "报警时间", "报警电话", "事发地址", "所属区县", "所属乡镇街道", "所属村社区",
	"管辖单位", "警情类别", "警情细类", "警情性质", "是否有效", "处警结果", "简要警情"}

var orderHeader = []string{"工单编号", "警情编号", "来源", "派单时间", "承办单位", "所属区县", "所属乡镇街道",
	"联动类别", "事项标签", "紧急程度", "区域类型", "是否需到场", "难易程度", "签收时间", "到场时间",
	"反馈时间", "办结时间", "工单状态", "退回时间", "退回原因", "化解结果", "是否现场处结", "回访时间", "回访结果"}

func newGen(o Options, calls, orders *csv.Writer) *gen {
	g := &gen{o: o, r: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)), calls: calls, orders: orders,
		end: wall(o.To), crow: make([]string, len(callHeader)), orow: make([]string, len(orderHeader)),
		callSeqPerYear: map[int]int{}}
	for _, c := range categories {
		g.catTotal += c.weight
	}
	for i := 0; i < 60; i++ {
		g.frequent = append(g.frequent, g.phone())
	}
	return g
}

func wall(t time.Time) time.Time { return domain.Wall(t.Truncate(time.Second)) }

func (g *gen) run() error {
	if err := g.calls.Write(callHeader); err != nil {
		return err
	}
	if err := g.orders.Write(orderHeader); err != nil {
		return err
	}
	start := wall(g.o.From)
	start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
	days := int(math.Ceil(g.end.Sub(start).Hours() / 24))
	secs := make([]int, 0, 1024)
	for d := 0; d < days; d++ {
		n := (d+1)*g.o.Calls/days - d*g.o.Calls/days
		day := start.AddDate(0, 0, d)
		secs = secs[:0]
		for i := 0; i < n; i++ {
			secs = append(secs, g.daySecond())
		}
		slices.Sort(secs)
		for _, s := range secs {
			at := day.Add(time.Duration(s) * time.Second)
			if !at.Before(g.end) {
				at = g.end.Add(-time.Duration(1+g.r.IntN(3600)) * time.Second)
			}
			if err := g.call(at); err != nil {
				return err
			}
			// 12345 orders without a 110 call: about 5 % of the calls.
			if g.r.Float64() < 0.05 {
				if err := g.hotlineOrder(at.Add(time.Duration(g.r.IntN(600)) * time.Second)); err != nil {
					return err
				}
			}
		}
		if g.o.Progress != nil {
			g.o.Progress(g.stats.Calls)
		}
	}
	return nil
}

// daySecond draws a second of the day with more calls by day and evening.
func (g *gen) daySecond() int {
	for {
		s := g.r.IntN(86400)
		h := s / 3600
		w := 0.25
		switch {
		case h >= 8 && h < 12, h >= 14 && h < 22:
			w = 1
		case h >= 6 && h < 24:
			w = 0.6
		}
		if g.r.Float64() < w {
			return s
		}
	}
}

func (g *gen) phone() string {
	return "1" + strconv.Itoa(3+g.r.IntN(7)) + fmt.Sprintf("%09d", g.r.IntN(1_000_000_000))
}

func (g *gen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) category() (string, string) {
	n := g.r.IntN(g.catTotal)
	for _, c := range categories {
		if n < c.weight {
			return c.name, c.nature
		}
		n -= c.weight
	}
	return "其他", "非警务"
}

func ts(t time.Time) string { return t.Format(layout) }

// lognormal draws a duration with the given median and spread (sigma).
func (g *gen) lognormal(median time.Duration, sigma float64) time.Duration {
	return time.Duration(float64(median) * math.Exp(sigma*g.r.NormFloat64()))
}

func (g *gen) call(at time.Time) error {
	var rc recent
	repeat := len(g.ring) > 0 && g.r.Float64() < 0.06
	if repeat {
		rc = g.ring[g.r.IntN(len(g.ring))]
	} else {
		c := counties[g.r.IntN(len(counties))]
		rc.county = c.name
		rc.town = g.pick(c.towns)
		stem := g.pick(villageStems)
		if strings.HasSuffix(rc.town, "街道") {
			rc.village = stem + "社区"
		} else {
			rc.village = stem + "村"
		}
		rc.address = fmt.Sprintf("%s%s%s%s%d号", c.name, rc.town, rc.village, g.pick(roads), 1+g.r.IntN(300))
		rc.category, _ = g.category()
		if g.r.Float64() < 0.02 {
			rc.phone = g.pick(g.frequent)
		} else {
			rc.phone = g.phone()
		}
		if len(g.ring) < 400 {
			g.ring = append(g.ring, rc)
		} else {
			g.ring[g.r.IntN(len(g.ring))] = rc
		}
	}
	nature := "非警务"
	for _, c := range categories {
		if c.name == rc.category {
			nature = c.nature
		}
	}
	category := rc.category
	if g.r.Float64() < 0.003 {
		category = "水电气" // outside the dictionary: data quality lists it
	}
	g.callSeqPerYear[at.Year()]++
	id := fmt.Sprintf("J%d%08d", at.Year(), g.callSeqPerYear[at.Year()])
	valid := "是"
	if g.r.Float64() < 0.03 {
		valid = "否"
	}
	phone := rc.phone
	switch x := g.r.Float64(); {
	case x < 0.02:
		phone = phone[:3] + "****" + phone[7:]
	case x < 0.03:
		phone = "+86 " + phone
	case x < 0.05:
		phone = ""
	}
	tag := "其他"
	if ts, ok := tags[category]; ok {
		tag = g.pick(ts)
	}
	diverted := nature == "非警务" && valid == "是" && g.r.Float64() < 0.45
	disp := "已处置"
	if diverted {
		disp = "已分流联动处置"
	}
	summary := fmt.Sprintf("报警人称%s%s，请求处置。", rc.village, tag)
	if g.r.Float64() < 0.01 {
		summary += "回电" + rc.phone // free text with a number: masked on load
	}
	station := strings.TrimSuffix(strings.TrimSuffix(rc.town, "街道"), "镇") + "派出所"
	r := g.crow
	r[0], r[1], r[2], r[3], r[4], r[5], r[6] = id, ts(at), phone, rc.address, rc.county, rc.town, rc.village
	r[7], r[8], r[9], r[10], r[11], r[12], r[13] = station, category, tag, "", valid, disp, summary
	if g.r.Float64() < 0.3 {
		r[10] = nature
	}
	if err := g.calls.Write(r); err != nil {
		return err
	}
	g.stats.Calls++
	if !diverted {
		return nil
	}
	hs := handlers[rc.category]
	if hs == nil {
		hs = handlers["其他"]
	}
	dept := g.pick(hs)
	disp2 := at.Add(time.Duration(60+g.r.IntN(900)) * time.Second)
	for attempt := 0; attempt < 3; attempt++ {
		returned, err := g.order(id, "110", disp2, dept, rc, category, tag)
		if err != nil || !returned {
			return err
		}
		// Returned: re-dispatched to another department a little later.
		disp2 = disp2.Add(time.Duration(30+g.r.IntN(180)) * time.Minute)
		dept = g.pick(hs)
	}
	return nil
}

func (g *gen) hotlineOrder(at time.Time) error {
	c := counties[g.r.IntN(len(counties))]
	rc := recent{county: c.name, town: g.pick(c.towns)}
	cat := []string{"咨询", "投诉", "求助", "举报"}[g.r.IntN(4)]
	_, err := g.order("", "12345", at, g.pick(handlers[cat]), rc, cat, g.pick(tags[cat]))
	return err
}

// order writes one work order and reports whether it was returned.
func (g *gen) order(callID, src string, at time.Time, dept string, rc recent, category, tag string) (bool, error) {
	if !at.Before(g.end) {
		return false, nil
	}
	g.orderN++
	id := fmt.Sprintf("GD%d%08d", at.Year(), g.orderN)
	if dept == "town" {
		dept = townCentre(rc.town)
	} else if g.r.Float64() < 0.1 {
		for _, d := range departments { // an alias, as real platforms write them
			if d.name == dept && len(d.aliases) > 0 {
				dept = d.aliases[g.r.IntN(len(d.aliases))]
			}
		}
	}
	if g.r.Float64() < 0.002 {
		dept = "某某办公室" // not in the dictionary
	}
	priority := "一般"
	if g.r.Float64() < 0.1 {
		priority = "紧急"
	}
	area := "城区"
	if strings.HasSuffix(rc.town, "镇") {
		area = []string{"集镇", "农村", "农村"}[g.r.IntN(3)]
	}
	difficulty := []string{"简易", "一般", "一般", "一般", "疑难"}[g.r.IntN(5)]
	onsite := g.r.Float64() < 0.8
	signSLA, arriveSLA := 30*time.Minute, 30*time.Minute
	if priority == "紧急" {
		signSLA, arriveSLA = 5*time.Minute, 5*time.Minute
	}
	if area == "农村" {
		arriveSLA *= 2
	}
	days := map[string]int{"简易": 7, "一般": 15, "疑难": 30}[difficulty]
	r := g.orow
	for i := range r {
		r[i] = ""
	}
	r[0], r[1], r[2], r[3], r[4], r[5], r[6] = id, callID, src, ts(at), dept, "", ""
	if callID == "" || g.r.Float64() < 0.3 {
		r[5], r[6] = rc.county, rc.town
	}
	r[7], r[8], r[9], r[10], r[12] = linkClass[category], tag, priority, area, difficulty
	if r[7] == "" {
		r[7] = "国计民生类"
	}
	r[11] = map[bool]string{true: "是", false: "否"}[onsite]
	if src != "110" {
		r[2] = src
	} else if g.r.Float64() < 0.5 {
		r[2] = ""
	}
	set := func(i int, t time.Time) bool {
		if t.Before(g.end) {
			r[i] = ts(t)
			return true
		}
		return false
	}
	signed := at.Add(g.lognormal(signSLA/3, 0.9))
	if g.r.Float64() < 0.005 {
		signed = at.Add(-time.Duration(10+g.r.IntN(50)) * time.Minute) // clocks out of order
	}
	if !set(13, signed) {
		return false, g.writeOrder()
	}
	// Returned orders: about 4 %.
	if g.r.Float64() < 0.04 {
		ret := signed.Add(g.lognormal(40*time.Minute, 0.8))
		if set(18, ret) {
			r[17], r[19] = "已退回", g.pick(returnReasons)
			return true, g.writeOrder()
		}
		return false, g.writeOrder()
	}
	if g.r.Float64() < 0.008 {
		r[17] = "已撤销"
		return false, g.writeOrder()
	}
	last := signed
	if onsite {
		// Arrival counts from dispatch; a unit sets off once the order is signed.
		arrived := at.Add(g.lognormal(arriveSLA/3, 0.8))
		if !arrived.After(signed) {
			arrived = signed.Add(time.Duration(60+g.r.IntN(240)) * time.Second)
		}
		if !set(14, arrived) {
			return false, g.writeOrder()
		}
		last = arrived
	}
	due := time.Duration(days) * 24 * time.Hour
	done := last.Add(g.lognormal(due/5, 1.0))
	if !set(15, done) {
		return false, g.writeOrder()
	}
	if g.r.Float64() < 0.6 {
		set(16, done.Add(time.Duration(g.r.IntN(7200))*time.Second))
	}
	switch x := g.r.Float64(); {
	case x < 0.80:
		r[20] = "已化解"
	case x < 0.90:
		r[20] = "部分化解"
	case x < 0.97:
		r[20] = "未化解"
	} // else: done without outcome
	if onsite {
		r[21] = map[bool]string{true: "是", false: "否"}[g.r.Float64() < 0.6]
	}
	if g.r.Float64() < 0.7 {
		if set(22, done.Add(g.lognormal(24*time.Hour, 0.7))) {
			switch x := g.r.Float64(); {
			case x < 0.75:
				r[23] = "满意"
			case x < 0.9:
				r[23] = "基本满意"
			default:
				r[23] = "不满意"
			}
		}
	}
	return false, g.writeOrder()
}

func (g *gen) writeOrder() error {
	g.stats.Orders++
	return g.orders.Write(g.orow)
}
