package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// signRate runs metrics for May 2024 as of asOf and returns the total's 签收率.
func signRate(t *testing.T, dir, asOf string) (num, den, exempt float64) {
	t.Helper()
	out, errs, code := fenliu(t, dir, "metrics", "--period", "2024-05", "--as-of", asOf, "--format", "json")
	if code != 0 {
		t.Fatalf("metrics: exit %d: %s", code, errs)
	}
	var doc struct {
		Groups []struct {
			Indicators map[string]struct{ Num, Den, Exempt float64 }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Groups) != 1 {
		t.Fatalf("metrics json: %v %s", err, out)
	}
	x := doc.Groups[0].Indicators["sign_rate"]
	return x.Num, x.Den, x.Exempt
}

// TestExemptCommand: an exemption takes its record out of the indicator's base as
// of the approval, explain says why, a revocation puts it back from then on, the
// figures as of any T follow, the trail keeps both, and bad input is refused.
func TestExemptCommand(t *testing.T) {
	dir := boundaryInstall(t)
	num0, den0, ex0 := signRate(t, dir, "2024-06-20")
	if ex0 != 0 || den0 == 0 {
		t.Fatalf("before: %v/%v exempt %v", num0, den0, ex0)
	}
	// O02 is signed 1 s late (den, not num): exempting it raises the rate.
	out, errs, code := fenliu(t, dir, "exempt", "add", "--order", "O02", "--indicators", "签收率",
		"--reason", "平台故障致派单延迟，来电人13812345678已说明", "--approved-by", "张三", "--at", "2024-06-10")
	if code != 0 || !strings.Contains(out, "核减 #1") {
		t.Fatalf("add: exit %d: %s%s", code, out, errs)
	}
	for _, c := range []struct {
		asOf          string
		num, den, exm float64
	}{
		{"2024-06-05", num0, den0, 0},     // before the approval
		{"2024-06-20", num0, den0 - 1, 1}, // in force
	} {
		if n, d, e := signRate(t, dir, c.asOf); n != c.num || d != c.den || e != c.exm {
			t.Errorf("as of %s: %v/%v exempt %v, want %v/%v exempt %v", c.asOf, n, d, e, c.num, c.den, c.exm)
		}
	}
	out, _, _ = fenliu(t, dir, "explain", "--period", "2024-05", "--as-of", "2024-06-20", "--indicator", "sign_rate", "--state", "exempt", "--format", "json")
	if !strings.Contains(out, "O02") || !strings.Contains(out, "核减：平台故障致派单延迟") || !strings.Contains(out, "张三") {
		t.Errorf("explain does not show the exemption:\n%s", out)
	}
	if strings.Contains(out, "12345678") {
		t.Errorf("a raw phone number reached the output:\n%s", out)
	}
	// Other indicators of the same order are untouched.
	out, _, _ = fenliu(t, dir, "explain", "--period", "2024-05", "--as-of", "2024-06-20", "--indicator", "closure_rate", "--state", "exempt")
	if strings.Contains(out, "O02") {
		t.Errorf("an exemption on 签收率 reached 办结反馈率:\n%s", out)
	}

	if _, errs, code := fenliu(t, dir, "exempt", "revoke", "1", "--by", "李四", "--reason", "复核不成立", "--at", "2024-06-15"); code != 0 {
		t.Fatalf("revoke: exit %d: %s", code, errs)
	}
	for _, c := range []struct {
		asOf          string
		num, den, exm float64
	}{
		{"2024-06-12", num0, den0 - 1, 1}, // figures as of a T before the revocation keep it
		{"2024-06-20", num0, den0, 0},
	} {
		if n, d, e := signRate(t, dir, c.asOf); n != c.num || d != c.den || e != c.exm {
			t.Errorf("after revoke, as of %s: %v/%v exempt %v, want %v/%v exempt %v", c.asOf, n, d, e, c.num, c.den, c.exm)
		}
	}
	out, _, _ = fenliu(t, dir, "exempt", "list", "--format", "json")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("list shows a revoked exemption: %s", out)
	}
	out, _, _ = fenliu(t, dir, "exempt", "list", "--all", "--format", "json")
	var all []struct {
		ID        int64
		Reason    string
		RevokedBy string  `json:"revoked_by"`
		RevokedAt *string `json:"revoked_at"`
	}
	if err := json.Unmarshal([]byte(out), &all); err != nil || len(all) != 1 || all[0].RevokedAt == nil || *all[0].RevokedAt != "2024-06-15T00:00:00" {
		t.Errorf("list --all: %v %s", err, out)
	}
	out, _, _ = fenliu(t, dir, "exempt", "list", "--audit", "--format", "csv")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 3 || !strings.Contains(lines[1], ",add,1,") || !strings.Contains(lines[2], ",revoke,1,李四,") {
		t.Errorf("audit trail:\n%s", out)
	}

	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"exempt", "revoke", "1", "--by", "x", "--reason", "y"}, exitFailed, "revoked already"},
		{[]string{"exempt", "revoke", "abc", "--by", "x", "--reason", "y"}, exitUsage, "exemption id"},
		{[]string{"exempt", "add", "--order", "NOPE", "--reason", "r", "--approved-by", "z"}, exitFailed, `order_id "NOPE": no such order`},
		{[]string{"exempt", "add", "--call", "C01", "--indicators", "sign_rate", "--reason", "r", "--approved-by", "z"}, exitUsage, "does not apply to a call"},
		{[]string{"exempt", "add", "--order", "O02", "--reason", " ", "--approved-by", "z"}, exitFailed, "reason"},
		{[]string{"exempt", "add", "--order", "O02", "--reason", "r", "--approved-by", "z", "--at", "2024-04-01"}, exitFailed, "before the record itself"},
		{[]string{"exempt", "add", "--order", "O02", "--call", "C01", "--reason", "r", "--approved-by", "z"}, exitUsage, ""},
		{[]string{"exempt", "add", "--reason", "r", "--approved-by", "z"}, exitUsage, ""},
	} {
		_, errs, code := fenliu(t, dir, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d %q, want exit %d containing %q", c.args, code, errs, c.code, c.msg)
		}
	}
}
