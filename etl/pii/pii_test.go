package pii

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

var secret = []byte("test-secret-0123456789")

func TestNewCaller(t *testing.T) {
	key := func(d string) string { return Phone{digits: d}.Key(secret) }
	tests := []struct {
		name, in string
		want     Caller
	}{
		{"mobile", "13812345678", Caller{key("13812345678"), "138****5678"}},
		{"plus86", "+86 138-1234-5678", Caller{key("13812345678"), "138****5678"}},
		{"86_prefix", "8613812345678", Caller{key("13812345678"), "138****5678"}},
		{"0086_prefix", "008613812345678", Caller{key("13812345678"), "138****5678"}},
		{"fullwidth", "１３８１２３４５６７８", Caller{key("13812345678"), "138****5678"}},
		{"landline", "0575-87654321", Caller{key("057587654321"), "057****4321"}},
		{"86_kept_when_short", "86123456789", Caller{key("86123456789"), "861****6789"}},
		{"masked_in_export", "138****1234", Caller{"", "138****1234"}},
		{"short", "110", Caller{key("110"), "****"}},
		{"no_digits", "无", Caller{}},
		{"empty", "", Caller{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := NewCaller(tc.in, secret); got != tc.want {
				t.Errorf("NewCaller(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
	if NewCaller("13812345678", []byte("another-secret-xyz")).Key == key("13812345678") {
		t.Error("the key does not depend on the secret")
	}
}

func TestMaskText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"报警人13812345678称被骗", "报警人138****5678称被骗"},
		{"回电+86 13812345678", "回电138****5678"},
		{"座机0575-87654321无人接", "座机057****4321无人接"},
		{"金额12345元，订单号2024050112345678", "金额12345元，订单号2024050112345678"},
		{"2024-05-01 08:00 发生", "2024-05-01 08:00 发生"},
		{"身份证330681199001011234", "身份证330681199001011234"},
		{"号码１３８１２３４５６７８", "号码138****5678"},
		{"无数字", "无数字"},
		{"两个号码13812345678 13987654321", "两个号码138****5678 139****4321"},
		{"分组138 1234 5678后", "分组138****5678后"},
		{"第3 13812345678", "第3 138****5678"},
	}
	for _, tc := range tests {
		if got := MaskText(tc.in); got != tc.want {
			t.Errorf("MaskText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAddressKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"诸暨市 枫桥镇，枫源村 12号", "诸暨市枫桥镇枫源村12号"},
		{"诸暨市枫桥镇枫源村１２号", "诸暨市枫桥镇枫源村12号"},
		{"A-1栋（东）", "A1栋东"},
		{"  ", ""},
		{"€5 Road", "€5Road"}, // symbols kept, no case folding
	}
	for _, tc := range tests {
		if got := AddressKey(tc.in); got != tc.want {
			t.Errorf("AddressKey(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestPhoneNeverPrintsItself(t *testing.T) {
	p := NormalizePhone("13812345678")
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("call", "phone", p)
	out := buf.String() + fmt.Sprint(p) + fmt.Sprintf("%v %s", p, p)
	if strings.Contains(out, "13812345678") || !strings.Contains(out, "138****5678") {
		t.Errorf("a Phone printed itself: %s", out)
	}
}

func FuzzPhone(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138 1234 5678", "0575-87654321", "138****1234", "８６１３８１２３４５６７８", "1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := NormalizePhone(s).digits
		c := NewCaller(s, secret)
		if c.Masked != "" && !strings.Contains(c.Masked, "*") {
			t.Fatalf("%q: mask %q has no *", s, c.Masked)
		}
		if strings.ContainsAny(s, "*＊") || len(d) < 8 {
			return
		}
		// Property: the normalised number appears in neither the key, the mask, the
		// Phone's printed forms, nor (when it is phone-shaped) the masked free text.
		shown := []string{c.Key, c.Masked, NormalizePhone(s).String()}
		if looksLikePhone(d) {
			// In free text, the number alone, or between words, is masked.
			shown = append(shown, MaskText(s), MaskText("电话"+s+"称"))
		}
		for _, out := range shown {
			if strings.Contains(out, d) {
				t.Fatalf("%q: %q contains the number %s", s, out, d)
			}
		}
	})
}

func looksLikePhone(d string) bool {
	return (len(d) == 11 && d[0] == '1' && d[1] >= '3') || (len(d) >= 10 && len(d) <= 12 && d[0] == '0')
}
