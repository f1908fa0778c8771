package score

import (
	"fmt"
	"testing"

	"github.com/fenliu/fenliu/domain"
	"github.com/fenliu/fenliu/metrics"
)

// group builds a metrics group with the given num/den per indicator and effective orders.
func group(key string, kind domain.DeptKind, eff int64, ratios map[domain.IndicatorID][2]int64) metrics.Group {
	g := metrics.Group{Key: key, Kind: kind, Indicators: map[domain.IndicatorID]metrics.Ratio{}, Counts: metrics.Counts{EffectiveOrders: eff}}
	for _, in := range metrics.Indicators {
		g.Indicators[in.ID] = metrics.Ratio{}
	}
	for id, nd := range ratios {
		g.Indicators[id] = metrics.Ratio{Num: float64(nd[0]), Den: nd[1]}
	}
	return g
}

func f(v float64) *float64 { return &v }

func str(p *float64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("%.2f", *p)
}

func TestParts(t *testing.T) {
	full := map[domain.IndicatorID][2]int64{
		"sign_rate":       {49, 50},  // 0.98 = target: 20
		"arrival_rate":    {70, 100}, // 0.70 = floor: 0
		"closure_rate":    {33, 40},  // 0.825: 20 × 0.125/0.25 = 10
		"resolution_rate": {3, 4},    // 0.75: 25 × 0.15/0.30 = 12.5
		"repeat_rate":     {1, 50},   // 0.02 = target (lower is better): 15
	}
	noRepeat := map[domain.IndicatorID][2]int64{"sign_rate": {49, 50}, "arrival_rate": {70, 100}, "closure_rate": {33, 40}, "resolution_rate": {3, 4}}
	tests := []struct {
		name         string
		g            metrics.Group
		total        string
		parts        map[domain.IndicatorID]string
		insufficient bool
	}{
		{"all_indicators", group("a", "职能部门", 50, full), "57.50",
			map[domain.IndicatorID]string{"sign_rate": "20.00", "arrival_rate": "0.00", "closure_rate": "10.00", "resolution_rate": "12.50", "repeat_rate": "15.00"}, false},
		// repeat_rate drops out: the other 85 points scale up to 100.
		{"scale_up", group("b", "职能部门", 50, noRepeat), "50.00",
			map[domain.IndicatorID]string{"sign_rate": "23.53", "arrival_rate": "0.00", "closure_rate": "11.76", "resolution_rate": "14.71", "repeat_rate": "nil"}, false},
		// Clamps: above target and below floor; repeat 0 % is the best.
		{"clamps", group("c", "职能部门", 50, map[domain.IndicatorID][2]int64{"sign_rate": {50, 50}, "arrival_rate": {1, 2}, "closure_rate": {1, 1},
			"resolution_rate": {1, 1}, "repeat_rate": {0, 10}}), "80.00",
			map[domain.IndicatorID]string{"sign_rate": "20.00", "arrival_rate": "0.00", "closure_rate": "20.00", "resolution_rate": "25.00", "repeat_rate": "15.00"}, false},
		// Only sign and resolution: 45 of 100 points, below half: 样本不足, total still shown.
		{"below_half_weight", group("d", "职能部门", 50, map[domain.IndicatorID][2]int64{"sign_rate": {49, 50}, "resolution_rate": {9, 10}}), "100.00",
			map[domain.IndicatorID]string{"sign_rate": "44.44", "resolution_rate": "55.56", "repeat_rate": "nil"}, true},
		{"too_few_orders", group("e", "职能部门", 4, full), "57.50", nil, true},
		{"nothing_known", group("f", "职能部门", 50, nil), "nil", map[domain.IndicatorID]string{"sign_rate": "nil"}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := Groups(&metrics.Result{By: metrics.ByDepartment, Groups: []metrics.Group{tc.g}}, DefaultConfig())[0]
			if str(s.Total) != tc.total || s.Insufficient != tc.insufficient {
				t.Errorf("total %s insufficient %v, want %s %v", str(s.Total), s.Insufficient, tc.total, tc.insufficient)
			}
			for id, want := range tc.parts {
				if got := str(s.Parts[id]); got != want {
					t.Errorf("%s = %s, want %s", id, got, want)
				}
			}
			if _, listed := s.Parts["satisfaction_rate"]; listed {
				t.Error("a weight-0 indicator is listed in parts")
			}
			if s.Ranked == s.Insufficient && s.Total != nil {
				t.Errorf("ranked %v with insufficient %v", s.Ranked, s.Insufficient)
			}
		})
	}
}

// Exactly half the weight is enough (SPEC §8).
func TestExactlyHalfWeight(t *testing.T) {
	cfg := Config{MinOrders: 5, Indicators: map[domain.IndicatorID]Rule{
		"sign_rate":    {Weight: 50, Target: 1, Floor: 0},
		"arrival_rate": {Weight: 50, Target: 1, Floor: 0},
	}}
	s := Groups(&metrics.Result{By: metrics.ByTown, Groups: []metrics.Group{group("x", "", 10, map[domain.IndicatorID][2]int64{"sign_rate": {1, 2}})}}, cfg)[0]
	if s.Insufficient || !s.Ranked || str(s.Total) != "50.00" || s.Kind != domain.AllUnits {
		t.Errorf("%+v total %s", s, str(s.Total))
	}
}

func TestRank(t *testing.T) {
	mk := func(key string, kind domain.DeptKind, total float64, ranked bool) Score {
		return Score{Key: key, Kind: kind, Total: f(total), Ranked: ranked}
	}
	s := []Score{
		mk("a", "职能部门", 80, true), mk("b", "职能部门", 90, true), mk("c", "职能部门", 85.5, true),
		mk("d", "职能部门", 85.5, true), mk("e", "职能部门", 99, false), mk("t", "乡镇街道", 70, true),
	}
	Rank(s)
	want := map[string]string{"a": "4", "b": "1", "c": "2", "d": "2", "e": "nil", "t": "1"}
	for _, x := range s {
		got := "nil"
		if x.Rank != nil {
			got = fmt.Sprint(*x.Rank)
		}
		if got != want[x.Key] {
			t.Errorf("%s rank %s, want %s", x.Key, got, want[x.Key])
		}
	}
}

func ExampleRank() {
	s := []Score{
		{Key: "市场监管局", Kind: "职能部门", Total: f(91.5), Ranked: true},
		{Key: "住建局", Kind: "职能部门", Total: f(88), Ranked: true},
		{Key: "交通运输局", Kind: "职能部门", Total: f(91.5), Ranked: true},
		{Key: "水利局", Kind: "职能部门", Total: f(60), Ranked: true},
	}
	Rank(s)
	for _, x := range s {
		fmt.Println(x.Key, *x.Rank)
	}
	// Output:
	// 市场监管局 1
	// 住建局 3
	// 交通运输局 1
	// 水利局 4
}
