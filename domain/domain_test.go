package domain

import (
	"testing"
	"time"
)

func TestEffective(t *testing.T) {
	for _, s := range Statuses {
		want := s != "已退回" && s != "已撤销"
		if Effective(s) != want {
			t.Errorf("Effective(%s) = %v", s, !want)
		}
	}
}

func TestIndicatorIDs(t *testing.T) {
	names := map[string]bool{}
	for _, id := range IndicatorIDs {
		if !id.Known() || id.Name() == "" || names[id.Name()] {
			t.Errorf("%s: name %q", id, id.Name())
		}
		names[id.Name()] = true
	}
	if IndicatorID("nope").Known() || !RepeatRate.LowerBetter() || !ReturnRate.LowerBetter() || SignRate.LowerBetter() {
		t.Error("Known or LowerBetter")
	}
}

// Wall keeps the wall clock in the time's own zone, at the store's precision; Local
// gives the instant back.
func TestWallAndLocal(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip(err)
	}
	in := time.Date(2024, 5, 1, 8, 30, 15, 123456789, sh)
	w := Wall(in)
	if w.Location() != time.UTC || w.Hour() != 8 || w.Nanosecond() != 123456000 {
		t.Errorf("Wall = %v", w)
	}
	if back := Local(w, sh); !back.Equal(in.Truncate(time.Microsecond)) {
		t.Errorf("Local(Wall) = %v, want %v", back, in)
	}
	if Wall(in.UTC()).Hour() != 0 {
		t.Error("Wall must not convert zones")
	}
}

func TestKindOrder(t *testing.T) {
	if !(KindOrder(Functional) < KindOrder(TownCentre) && KindOrder(OtherKind) < KindOrder(AllUnits) && KindOrder(AllUnits) < KindOrder("x")) {
		t.Error("kind order")
	}
}
