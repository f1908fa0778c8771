package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
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
	out, _, _ = fenliu(t, dir, "metrics", "--period", "2024-05", "--as-of", "2024-06-20", "--format", "csv")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 2 || !strings.Contains(lines[0], "sign_rate_exempt") ||
		!strings.Contains(lines[1], fmt.Sprintf(",%v,%v,0,1,", num0, den0-1)) {
		t.Errorf("metrics csv does not carry the exempt count:\n%s", out)
	}
	if out, _, _ = fenliu(t, dir, "metrics", "--period", "2024-05", "--as-of", "2024-06-20"); !strings.Contains(out, "减1") {
		t.Errorf("metrics table does not show the exempt count:\n%s", out)
	}
	if out, _, _ = fenliu(t, dir, "score", "--period", "2024-05", "--as-of", "2024-06-20"); !strings.Contains(out, "减1") {
		t.Errorf("score table does not show the exempt count:\n%s", out)
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

	// Loading the exports again, even with --reload, never drops an exemption.
	fx := repoFile(t, "metrics", "testdata", "boundary")
	if _, errs, code := fenliu(t, dir, "ingest", "--reload", filepath.Join(fx, "calls.csv"), filepath.Join(fx, "orders.csv")); code != 0 {
		t.Fatalf("reload: exit %d: %s", code, errs)
	}
	if n, d, e := signRate(t, dir, "2024-06-20"); n != num0 || d != den0-1 || e != 1 {
		t.Errorf("after ingest --reload: %v/%v exempt %v, want %v/%v exempt 1", n, d, e, num0, den0-1)
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
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 3 || !strings.Contains(lines[1], ",add,1,") || !strings.Contains(lines[2], ",revoke,1,") || !strings.Contains(lines[2], "撤销人 李四") {
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

	// A revocation dated before the approval is refused, and the exemption stays in force.
	if _, errs, code := fenliu(t, dir, "exempt", "add", "--order", "O03", "--reason", "错派", "--approved-by", "张三", "--at", "2024-06-10"); code != 0 {
		t.Fatalf("add: %s", errs)
	}
	if _, errs, code := fenliu(t, dir, "exempt", "revoke", "2", "--by", "李四", "--reason", "复核", "--at", "2024-06-01"); code != exitFailed || !strings.Contains(errs, "before the approval (2024-06-10 00:00:00)") {
		t.Errorf("revoke before the approval: exit %d %s", code, errs)
	}
	if out, _, _ := fenliu(t, dir, "exempt", "list", "--format", "json"); !strings.Contains(out, `"record_id": "O03"`) {
		t.Errorf("the exemption left force after a refused revocation: %s", out)
	}
}

// TestExemptImport: a committee's ledger, as CSV and as a workbook, accounts for
// every row (read = added + unchanged + rejected), rejects each bad row with its
// line, field and value, revokes from 撤销时间, and a second import of the same
// ledger adds nothing.
func TestExemptImport(t *testing.T) {
	dir := boundaryInstall(t)
	rows := [][]string{
		{"工单编号", "警情编号", "核减指标", "核减理由", "审批人", "审批时间", "撤销时间", "撤销人", "撤销理由"},
		{"O02", "", "签收率", "错派", "张三", "2024-06-10 09:00", "", "", ""},                 // 2 added
		{"O02", "C01", "", "错派", "张三", "2024-06-10", "", "", ""},                       // 3 both ids
		{"NOPE", "", "", "错派", "张三", "2024-06-10", "", "", ""},                         // 4 unknown id
		{"O03", "", "重复报警率", "错派", "张三", "2024-06-10", "", "", ""},                     // 5 wrong kind
		{"O05", "", "", "　", "张三", "2024-06-10", "", "", ""},                           // 6 empty reason
		{"O06", "", "all", "错派", "李四", "2099-01-01", "", "", ""},                       // 7 future
		{" Ｏ02 ", "", "sign_rate", " 错派 ", "张三", "2024/6/10 9:00", "", "", ""},         // 8 the twin of 2
		{"", "C01", "重复报警率、分流率", "重复报警", "王五", "2024-06-11", "2024-06-15", "李四", "复核"}, // 9 added, revoked
		{"O05", "", "", "错派", "张三", "2024-06-10", "2024-06-09", "李四", "复核"},            // 10 revoked before approval
	}
	var csv strings.Builder
	for _, r := range rows {
		csv.WriteString(strings.Join(r, ",") + "\n")
	}
	ledger := filepath.Join(t.TempDir(), "台账.csv")
	if err := os.WriteFile(ledger, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	type result struct {
		SHA256                           string
		Read, Added, Unchanged, Rejected int
		Rejects                          []struct {
			Line                 int
			Field, Value, Reason string
			FieldZh              string `json:"field_zh"`
			ReasonZh             string `json:"reason_zh"`
		}
	}
	run := func(path string) result {
		out, errs, code := fenliu(t, dir, "exempt", "import", path, "--json")
		if code != 0 {
			t.Fatalf("import: exit %d: %s", code, errs)
		}
		var r result
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if r.Read != r.Added+r.Unchanged+r.Rejected || r.Rejected != len(r.Rejects) || len(r.SHA256) != 64 {
			t.Errorf("accounting does not add up: %+v", r)
		}
		return r
	}
	r := run(ledger)
	if r.Read != 9 || r.Added != 2 || r.Unchanged != 1 || r.Rejected != 6 {
		t.Errorf("first import: %+v", r)
	}
	want := []struct {
		line             int
		field, fieldZh   string
		reasonZhContains string
	}{{3, "order_id", "工单编号", "都填了"}, {4, "order_id", "工单编号", "库中没有这条工单"}, {5, "indicators", "核减指标", "不按工单计算"},
		{6, "reason", "核减理由", "必填"}, {7, "approved_at", "审批时间", "晚于当前时间"}, {10, "revoked_at", "撤销时间", "早于审批时间"}}
	for i, w := range want {
		if i >= len(r.Rejects) || r.Rejects[i].Line != w.line || r.Rejects[i].Field != w.field || r.Rejects[i].Reason == "" ||
			r.Rejects[i].FieldZh != w.fieldZh || !strings.Contains(r.Rejects[i].ReasonZh, w.reasonZhContains) {
			t.Errorf("reject %d: %+v, want line %d field %s (%s) reason with %s", i, r.Rejects, w.line, w.field, w.fieldZh, w.reasonZhContains)
			break
		}
	}
	// The table the staff read is in Chinese.
	table, _, _ := fenliu(t, dir, "exempt", "import", ledger)
	mustContain(t, "exempt import", table, "核减指标", "不按工单计算", "审批时间")
	r = run(ledger)
	if r.Added != 0 || r.Unchanged != 3 || r.Rejected != 6 {
		t.Errorf("second import: %+v", r)
	}
	out, _, _ := fenliu(t, dir, "exempt", "list", "--all", "--format", "json")
	var all []struct {
		Kind      string
		RecordID  string  `json:"record_id"`
		RevokedAt *string `json:"revoked_at"`
	}
	json.Unmarshal([]byte(out), &all)
	if len(all) != 2 || all[0].RevokedAt != nil || all[1].RevokedAt == nil || *all[1].RevokedAt != "2024-06-15T00:00:00" {
		t.Errorf("stored: %s", out)
	}
	if _, _, e := signRate(t, dir, "2024-06-20"); e != 1 {
		t.Errorf("the imported exemption does not reach 签收率: exempt %v", e)
	}

	// The same ledger as a workbook: all its rows are twins now.
	f := excelize.NewFile()
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			f.SetCellValue("Sheet1", cell, v)
		}
	}
	book := filepath.Join(t.TempDir(), "台账.xlsx")
	if err := f.SaveAs(book); err != nil {
		t.Fatal(err)
	}
	if r := run(book); r.Read != 9 || r.Added != 0 || r.Unchanged != 3 || r.Rejected != 6 {
		t.Errorf("workbook: %+v", r)
	}

	// A ledger without 审批人 is refused as a whole.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("工单编号,核减理由\nO02,错派\n"), 0o644)
	if _, errs, code := fenliu(t, dir, "exempt", "import", bad); code != exitFailed || !strings.Contains(errs, "审批人") {
		t.Errorf("a ledger without 审批人: exit %d %s", code, errs)
	}
}

// TestExemptTemplate: the template is a ledger that import reads — empty as
// written (its example is on the help sheet), and a row typed into it is recorded.
func TestExemptTemplate(t *testing.T) {
	dir := boundaryInstall(t)
	book := filepath.Join(t.TempDir(), "核减台账.xlsx")
	if _, errs, code := fenliu(t, dir, "exempt", "template", "-o", book); code != 0 {
		t.Fatalf("template: exit %d: %s", code, errs)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	if sheets := f.GetSheetList(); len(sheets) != 2 || sheets[0] != "核减台账" {
		t.Errorf("sheets %v", sheets)
	}
	rows, _ := f.GetRows("核减台账")
	if len(rows) != 1 || strings.Join(rows[0], ",") != "工单编号,警情编号,核减指标,核减理由,审批人,审批时间,撤销时间,撤销人,撤销理由" {
		t.Errorf("header rows %v", rows)
	}
	dvs, _ := f.GetDataValidations("核减台账")
	if len(dvs) != 1 || !strings.Contains(dvs[0].Formula1, "签收率") || !strings.Contains(dvs[0].Formula1, "非警务分流率") {
		t.Errorf("no drop-down of the indicator names: %+v", dvs)
	}
	out, errs, code := fenliu(t, dir, "exempt", "import", book, "--json")
	if code != 0 || !strings.Contains(out, `"read": 0`) {
		t.Errorf("the empty template: exit %d %s %s", code, out, errs)
	}
	f.SetSheetRow("核减台账", "A2", &[]any{"O02", "", "签收率", "错派", "张三", "2024-06-10 09:00"})
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out, errs, code = fenliu(t, dir, "exempt", "import", book, "--json")
	if code != 0 || !strings.Contains(out, `"added": 1`) {
		t.Errorf("a row typed into the template: exit %d %s %s", code, out, errs)
	}
}
