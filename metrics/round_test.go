package metrics

import (
	"math/big"
	"testing"
)

func TestRoundHalfUp(t *testing.T) {
	tests := []struct {
		num, den int64
		places   int
		want     float64
	}{
		{41, 45, 4, 0.9111},
		{1, 8, 2, 0.13}, // 0.125: the half goes up
		{2, 3, 4, 0.6667},
		{18225, 20000, 4, 0.9113}, // 0.91125 exactly
		{1, 1, 4, 1},
		{0, 5, 4, 0},
	}
	for _, tc := range tests {
		if got := RoundHalfUp(big.NewRat(tc.num, tc.den), tc.places); got != tc.want {
			t.Errorf("RoundHalfUp(%d/%d, %d) = %v, want %v", tc.num, tc.den, tc.places, got, tc.want)
		}
	}
}
