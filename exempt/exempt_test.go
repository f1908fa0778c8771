package exempt

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/fenliu/fenliu/domain"
)

func TestParseIndicators(t *testing.T) {
	for _, c := range []struct {
		kind    Kind
		in      string
		want    []domain.IndicatorID
		wantErr string
	}{
		{Order, "", Indicators(Order), ""},
		{Order, "ALL", Indicators(Order), ""},
		{Call, "all", Indicators(Call), ""},
		{Order, "签收率、closure_rate", []domain.IndicatorID{domain.SignRate, domain.ClosureRate}, ""},
		{Order, " sign_rate ，签收率,", []domain.IndicatorID{domain.SignRate}, ""}, // duplicates and full-width commas
		{Call, "重复报警率", []domain.IndicatorID{domain.RepeatRate}, ""},
		{Call, "sign_rate", nil, "does not apply to a call"},
		{Order, "repeat_rate", nil, "does not apply to an order"},
		{Order, "签收", nil, "not an indicator"},
	} {
		got, err := ParseIndicators(c.kind, c.in)
		if c.wantErr != "" {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "indicators" || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s %q: error %v, want a FieldError containing %q", c.kind, c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("%s %q = %v, %v; want %v", c.kind, c.in, got, err, c.want)
		}
	}
}

// TestIndicatorsCoverEveryIndicator: every indicator of SPEC §3 is on orders or on
// calls, never both, so that an exemption of either kind can reach it.
func TestIndicatorsCoverEveryIndicator(t *testing.T) {
	all := append(Indicators(Order), Indicators(Call)...)
	for _, id := range domain.IndicatorIDs {
		if n := len(slices.DeleteFunc(slices.Clone(all), func(x domain.IndicatorID) bool { return x != id })); n != 1 {
			t.Errorf("%s is on %d kinds", id, n)
		}
	}
	if len(all) != len(domain.IndicatorIDs) {
		t.Errorf("%d indicators over both kinds, want %d", len(all), len(domain.IndicatorIDs))
	}
}

// TestFreeTextIsMasked: a reason that quotes a caller's number is stored masked,
// and an error never echoes a raw number.
func TestFreeTextIsMasked(t *testing.T) {
	if got := clean("  来电人13812345678已撤诉\t"); got != "来电人138****5678已撤诉" {
		t.Errorf("clean = %q", got)
	}
	err := &FieldError{"order_id", "13812345678", "no such order", ""}
	if strings.Contains(err.Error(), "12345678") {
		t.Errorf("error echoes a raw number: %v", err)
	}
}
