package pii

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
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
		// Every separator class joins the groups of one number (issue 10, item 3).
		{"逐位1 3 9 1 2 3 4 5 6 3 0止", "逐位139****5630止"},
		{"点分139.1234.5631止", "点分139****5631止"},
		{"下划线139_1234_5632止", "下划线139****5632止"},
		{"全角139－1234－5633止", "全角139****5633止"},
		{"双空格139  1234  5634止", "双空格139****5634止"},
		{"地址XX路12号 联系人13812345678", "地址XX路12号 联系人138****5678"},
		// Dates and times are never masked, whatever their separators (item 18).
		{"01-05-2024 08:00", "01-05-2024 08:00"},
		{"2024.05.01 08:00:00", "2024.05.01 08:00:00"},
		{"2024年05月01日08时00分", "2024年05月01日08时00分"},
		{"2024-05-01 13812345678", "2024-05-01 138****5678"},
		{"08:00 13812345678 09:30", "08:00 138****5678 09:30"},
		{"金额 1 234 元", "金额 1 234 元"},
		{"IP 192.168.100.200", "IP 192.168.100.200"},
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

// FuzzAddressKeyPlain holds AddressKey's shortcut for plain addresses (CJK
// unified ideographs and ASCII) to its definition: NFKC, then white space and
// P*, Z*, C* dropped.
func FuzzAddressKeyPlain(f *testing.F) {
	for _, s := range []string{"诸暨市枫桥镇枫源村12号", "A1栋东", "A-1栋（东）", "e\u0301", "a\u0308b", "\u4e00\u0301", "", " ", "\x7f", "鿿", "\u9fa6", "ﬁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) { // the loader hands it text only (etl/source decodes or rejects)
			t.Skip()
		}
		want := strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || unicode.In(r, unicode.P, unicode.Z, unicode.C) {
				return -1
			}
			return r
		}, norm.NFKC.String(s))
		if got := AddressKey(s); got != want {
			t.Errorf("AddressKey(%q) = %q, want %q", s, got, want)
		}
	})
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

// FuzzMaskSeparated writes a mobile number with each separator class between
// groups of every size and checks that MaskText leaves none of its digits
// readable (issue 10, item 3).
func FuzzMaskSeparated(f *testing.F) {
	f.Add(uint64(13912345630), uint8(0), uint8(1), "联系人", "称")
	f.Add(uint64(13912345631), uint8(2), uint8(4), "", "")
	f.Add(uint64(18600001111), uint8(3), uint8(3), "电话：", "，")
	seps := []string{" ", "-", ".", "_", "  ", "\t", "\u3000", "－", "．", "＿", "- "}
	f.Fuzz(func(t *testing.T, n uint64, sepClass, every uint8, prefix, suffix string) {
		d := fmt.Sprintf("1%d%09d", 3+n%7, (n/7)%1_000_000_000)
		sep := seps[int(sepClass)%len(seps)]
		k := int(every)%4 + 1
		var b strings.Builder
		for i := 0; i < len(d); i++ {
			if i > 0 && i%k == 0 {
				b.WriteString(sep)
			}
			b.WriteByte(d[i])
		}
		noDigits := func(s string) string {
			return strings.Map(func(r rune) rune {
				if (r >= '0' && r <= '9') || (r >= '０' && r <= '９') || r == '+' {
					return -1
				}
				return r
			}, s)
		}
		// The words around the number hold no digits and end in no separator.
		prefix, suffix = strings.TrimRight(noDigits(prefix), "-._ \t\u3000－．＿"), strings.TrimLeft(noDigits(suffix), "-._ \t\u3000－．＿")
		out := MaskText(prefix + b.String() + suffix)
		var digits strings.Builder
		for _, r := range norm.NFKC.String(out) {
			if r >= '0' && r <= '9' {
				digits.WriteRune(r)
			}
		}
		if strings.Contains(digits.String(), d) || strings.Contains(digits.String(), d[3:7]) {
			t.Fatalf("MaskText(%q) = %q: the number %s is readable", prefix+b.String()+suffix, out, d)
		}
	})
}

func looksLikePhone(d string) bool {
	return (len(d) == 11 && d[0] == '1' && d[1] >= '3') || (len(d) >= 10 && len(d) <= 12 && d[0] == '0')
}
