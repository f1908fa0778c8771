package metrics

import (
	"testing"
	"time"

	"github.com/fenliu/fenliu/metrics/period"
)

// TestMatureAsOf: an earlier period is taken as long after its end as T is after
// the current period's; once T is past the longest window, or when settled, at T.
func TestMatureAsOf(t *testing.T) {
	c := DefaultConfig()
	may, _ := period.Parse("2024-05")
	w20, _ := period.Parse("2024-W20")
	at := func(s string) time.Time { x, _ := time.Parse("2006-01-02 15:04", s); return x }
	for _, x := range []struct {
		p, earlier period.Period
		mode       CompareMode
		asOf, want string
	}{
		{may, may.Prev(), SameMaturity, "2024-06-05 00:00", "2024-05-05 00:00"},    // 4 days after its end
		{may, may.YearAgo(), SameMaturity, "2024-06-05 00:00", "2023-06-05 00:00"}, // the same, a year before
		{may, may.Prev(), SameMaturity, "2024-05-20 12:00", "2024-04-19 12:00"},    // inside the month: as far before its end
		{may, may.Prev(), Settled, "2024-06-05 00:00", "2024-06-05 00:00"},         // settled: at T
		{may, may.Prev(), SameMaturity, "2024-08-01 00:00", "2024-08-01 00:00"},    // past the longest window (30 days): both settled
		{w20, w20.Prev(), SameMaturity, "2024-05-21 09:00", "2024-05-14 09:00"},    // the week before, a week earlier
	} {
		if got := c.MatureAsOf(x.mode, x.p, x.earlier, at(x.asOf)); !got.Equal(at(x.want)) {
			t.Errorf("%s vs %s (%q) at %s: T′ %s, want %s", x.p, x.earlier, x.mode, x.asOf, got.Format("2006-01-02 15:04"), x.want)
		}
	}
}

// TestComparable: an earlier period with less than half the calls or orders, or
// data on a clearly smaller share of its days, is not compared, and says why.
func TestComparable(t *testing.T) {
	cur := extent{calls: 1000, orders: 400, days: 31, length: 31}
	for _, x := range []struct {
		prev extent
		want string
	}{
		{extent{calls: 950, orders: 390, days: 30, length: 30}, ""},
		{extent{calls: 500, orders: 200, days: 30, length: 30}, ""}, // exactly half: comparable
		{extent{calls: 499, orders: 390, days: 30, length: 30}, "对比期警情499起，不足本期1000起的一半"},
		{extent{calls: 950, orders: 199, days: 30, length: 30}, "对比期工单199件，不足本期400件的一半"},
		{extent{calls: 950, orders: 390, days: 20, length: 30}, "对比期有数据的仅20天，本期31天"},
		{extent{length: 30}, "对比期无数据"},
	} {
		if got := cur.comparable(x.prev); got != x.want {
			t.Errorf("%+v: %q, want %q", x.prev, got, x.want)
		}
	}
	if got := (extent{}).comparable(extent{calls: 3}); got != "" {
		t.Errorf("no current data: %q", got)
	}
}

// TestProvisional: more than the share of the population pending is 暂定.
func TestProvisional(t *testing.T) {
	for _, x := range []struct {
		r    Ratio
		want bool
	}{
		{Ratio{Num: 90, Den: 95, Pending: 5}, false}, // exactly 5 %
		{Ratio{Num: 90, Den: 94, Pending: 6}, true},
		{Ratio{Den: 0, Pending: 3}, true},
		{Ratio{Num: 10, Den: 10}, false},
	} {
		if got := x.r.Provisional(0.05); got != x.want {
			t.Errorf("%+v: %v", x.r, got)
		}
	}
}
