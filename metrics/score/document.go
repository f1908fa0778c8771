package score

import (
	"fmt"
	"strconv"

	"github.com/fenliu/fenliu/metrics"
)

// Document is the SPEC §7 shape of `score --format json`: the metrics shape with,
// per group, its peer group (kind) and its score.
func Document(res *metrics.Result, scores []Score) *metrics.Document {
	d := metrics.NewDocument(&metrics.Comparison{Current: res})
	byKey := map[string]Score{}
	for _, s := range scores {
		byKey[s.Key] = s
	}
	for i, g := range d.Groups {
		if s, ok := byKey[g.Key]; ok {
			d.Groups[i].Kind = s.Kind
			d.Groups[i].Score = &metrics.ScoreDoc{Total: s.Total, Parts: s.Parts, Ranked: s.Ranked, Rank: s.Rank}
		}
	}
	return d
}

// CSV is `score --format csv`: per group its key and kind, each weighted
// indicator's num, den, rate and part, then the total, whether it is ranked and the
// rank; rows in the order of scores.
func CSV(res *metrics.Result, scores []Score, cfg Config) [][]string {
	weighted := cfg.Weighted()
	header := []string{"key", "kind"}
	for _, in := range weighted {
		id := string(in.ID)
		header = append(header, id+"_num", id+"_den", id+"_rate", id+"_part")
	}
	out := [][]string{append(header, "total", "ranked", "rank")}
	for _, s := range scores {
		g := res.Group(s.Key)
		row := []string{s.Key, string(s.Kind)}
		for _, in := range weighted {
			x := g.Indicators[in.ID]
			row = append(row, strconv.FormatFloat(x.Num, 'f', -1, 64), fmt.Sprint(x.Den), opt(metrics.Rate4(x), 4), opt(s.Parts[in.ID], 2))
		}
		rank := ""
		if s.Rank != nil {
			rank = strconv.Itoa(*s.Rank)
		}
		out = append(out, append(row, opt(s.Total, 2), strconv.FormatBool(s.Ranked), rank))
	}
	return out
}

func opt(p *float64, places int) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', places, 64)
}
