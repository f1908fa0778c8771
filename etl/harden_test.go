package etl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/fenliu/fenliu/etl/profile"
)

// The hardening cases of issue 10: each one failed before its fix.

const callsHeader = "警情编号,报警时间,报警电话,事发地址,所属区县,所属乡镇街道,所属村社区,管辖单位,警情类别,警情性质,是否有效,简要警情\n"

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestPhoneInEveryTextField: a phone number written into an address, a village,
// a town, a category or a department is stored masked, and the address key is
// made from the masked text (item 2).
func TestPhoneInEveryTextField(t *testing.T) {
	db := openDB(t)
	calls := callsHeader +
		"J1,2024-05-01 08:00:00,,XX路12号 联系人13812345678,诸暨市,枫桥镇13900001111,村0575-87654321,枫桥派出所,纠纷13700001111,,是,无\n" +
		"J2,2024-05-01 09:00:00,,XX路12号 联系人13812345699,诸暨市,枫桥镇,村,枫桥派出所,纠纷,,是,无\n"
	load(t, db, writeFile(t, "calls.csv", []byte(calls)), opts(t))
	orders := "工单编号,警情编号,派单时间,承办单位,事项标签\nG1,J1,2024-05-01 08:10:00,市场监管局 13600001111,标签1 3 6 0 0 0 0 2 2 2 2\n"
	load(t, db, writeFile(t, "orders.csv", []byte(orders)), opts(t))
	all := strings.Join(dump(t, db, testSQL(t, "dump_calls.sql")), "\n") + strings.Join(dump(t, db, testSQL(t, "dump_orders.sql")), "\n")
	for _, raw := range []string{"13812345678", "13812345699", "13900001111", "87654321", "13700001111", "13600001111", "1 3 6 0 0 0 0 2 2 2 2"} {
		if strings.Contains(all, raw) {
			t.Errorf("%s stored raw:\n%s", raw, all)
		}
	}
	for _, masked := range []string{"address=XX路12号 联系人138****5678|", "address_key=XX路12号联系人1385678|", "town=枫桥镇139****1111|",
		"category=纠纷137****1111|", "department=市场监管局 136****1111|", "tag=标签136****2222|"} {
		if !strings.Contains(all, masked) {
			t.Errorf("want %s in\n%s", masked, all)
		}
	}
}

// TestOneBadLineCostsOneRow: an undecodable line, a NUL byte, an unclosed quote
// or a GBK line cost their own row only, with exact accounting (items 5, 6, 7).
func TestOneBadLineCostsOneRow(t *testing.T) {
	row := func(i int) string {
		return fmt.Sprintf("J%03d,2024-05-01 08:00:00,,地址,诸暨市,枫桥镇,村,所,纠纷,,是,摘要\n", i)
	}
	var good strings.Builder
	for i := 0; i < 100; i++ {
		good.WriteString(row(i))
	}
	lines := strings.SplitAfter(good.String(), "\n")
	with := func(at int, bad string) []byte {
		return []byte(callsHeader + strings.Join(lines[:at], "") + bad + strings.Join(lines[at:], ""))
	}
	tests := []struct {
		name    string
		data    []byte
		line    int64
		reason  string
		read    int64
		encoded string
	}{
		{"invalid_utf8_at_row_1", with(0, "JX,2024-05-01 08:00:00,,坏\xff字,诸暨市,枫桥镇,村,所,纠纷,,是,摘要\n"), 2, "not valid UTF-8|不是有效的 UTF-8 文本", 101, "utf-8"},
		{"nul_byte_at_row_1", with(0, "JX,2024-05-01 08:00:00,,地址\x00,诸暨市,枫桥镇,村,所,纠纷,,是,摘要\n"), 2, "NUL|含有 NUL 字节", 101, "utf-8"},
		{"gbk_line_at_row_2", with(1, string(gbk(t, "JX,2024-05-01 08:00:00,,国标码地址,诸暨市,枫桥镇,村,所,纠纷,,是,摘要\n"))), 3, "not valid UTF-8|不是有效的 UTF-8 文本", 101, "utf-8"},
		{"unclosed_quote_at_row_10", with(9, "JX,2024-05-01 08:00:00,,\"没有闭合的引号,诸暨市,枫桥镇,村,所,纠纷,,是,摘要\n"), 11, "not closed|没有结束引号", 101, "utf-8"},
		{"cr_only", []byte(strings.ReplaceAll(callsHeader+good.String(), "\n", "\r")), 0, "", 100, "utf-8"},
		{"gbk_after_ascii_rows", append([]byte("call_id,received_at,category\n"+strings.Repeat("K1,2024-05-01 08:00:00,dispute\n", 3000)),
			gbk(t, "K2,2024-05-01 09:00:00,纠纷\n")...), 0, "", 3001, "gb18030"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := openDB(t)
			o := opts(t)
			if strings.HasPrefix(tc.name, "gbk_after") {
				o.Profile = &profile.Profile{Name: "en", Fields: map[string][]string{"call_id": {"call_id"}, "received_at": {"received_at"}, "category": {"category"}}}
			}
			acc := load(t, db, writeFile(t, "calls.csv", tc.data), o)
			if acc.Read != tc.read || acc.Encoding != tc.encoded {
				t.Errorf("read %d (%s), want %d (%s): %+v", acc.Read, acc.Encoding, tc.read, tc.encoded, acc)
			}
			ledger := dump(t, db, testSQL(t, "ledger.sql"))
			if tc.line == 0 {
				if acc.Rejected != 0 {
					t.Errorf("rejects: %v", ledger)
				}
				return
			}
			if acc.Rejected != 1 || len(ledger) != 1 || !strings.Contains(ledger[0], "line="+fmt.Sprint(tc.line)+"|field=(row)|value=J") || !containsAll(ledger[0], strings.Split(tc.reason, "|")) {
				t.Errorf("rejected %d, ledger %v: want one reject at line %d (%s) with the row as its value", acc.Rejected, ledger, tc.line, tc.reason)
			}
		})
	}
}

// TestHeaderFound: a title row, a two-row merged header, a cover sheet; header_row
// and skip_rows; a refusal that says what was tried and masks what it quotes
// (items 1, 8, 9).
func TestHeaderFound(t *testing.T) {
	xlsx := func(t *testing.T, cover bool, rows [][]any, merges [][2]string) string {
		f := excelize.NewFile()
		sheet := "Sheet1"
		if cover {
			f.SetSheetName("Sheet1", "封面")
			f.SetCellValue("封面", "A1", "诸暨市公安局 2024年5月 警情明细")
			sheet = "明细"
			f.NewSheet(sheet)
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			f.SetSheetRow(sheet, cell, &r)
		}
		for _, m := range merges {
			f.MergeCell(sheet, m[0], m[1])
		}
		p := filepath.Join(t.TempDir(), "calls.xlsx")
		if err := f.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	twoRow := [][]any{
		{"2024年5月警情明细"},
		{"警情编号", "时间", nil, "警情类别"},
		{nil, "报警时间", "简要警情", nil},
		{"J1", "2024-05-01 08:00:00", "一", "纠纷"},
		{"J2", "2024-05-01 09:00:00", "二", nil},
	}
	t.Run("csv_title_row", func(t *testing.T) {
		acc := load(t, openDB(t), writeFile(t, "calls.csv", []byte("2024年5月警情明细\n\n"+callsHeader+"J1,2024-05-01 08:00:00,,地址,诸暨市,枫桥镇,村,所,纠纷,,是,摘要\n")), opts(t))
		if acc.Read != 1 || acc.Inserted != 1 {
			t.Errorf("%+v", acc)
		}
	})
	t.Run("xlsx_two_row_merged_header_on_a_second_sheet", func(t *testing.T) {
		acc := load(t, openDB(t), xlsx(t, true, twoRow, [][2]string{{"A1", "D1"}, {"A2", "A3"}, {"B2", "C2"}, {"D2", "D3"}, {"D4", "D5"}}), opts(t))
		if acc.Read != 2 || acc.Inserted != 2 || acc.Merged != 1 {
			t.Errorf("read %d inserted %d merged %d, want 2, 2, 1 (J2's category from the merged cell): %+v", acc.Read, acc.Inserted, acc.Merged, acc)
		}
	})
	t.Run("skip_rows_and_header_row", func(t *testing.T) {
		p := writeFile(t, "calls.csv", []byte("标题\n警情编号,说明\n"+callsHeader+"J1,2024-05-01 08:00:00,,地址,诸暨市,枫桥镇,村,所,纠纷,,是,摘要\n"))
		for _, prof := range []string{"skip_rows: 2", "header_row: 3"} {
			pr, err := profile.Parse("p.yaml", []byte("name: p\n"+prof+"\nfields:\n  call_id: [警情编号]\n  received_at: [报警时间]\n  category: [警情类别]\n"))
			if err != nil {
				t.Fatal(err)
			}
			o := opts(t)
			o.Profile = pr
			if acc := load(t, openDB(t), p, o); acc.Read != 1 || acc.Inserted != 1 {
				t.Errorf("%s: %+v", prof, acc)
			}
		}
	})
	t.Run("no_header_refused_masked", func(t *testing.T) {
		p := writeFile(t, "calls.csv", []byte("J1,2024-05-01 08:00:00,13812345678,地址,诸暨市\nJ2,2024-05-01 09:00:00,13912345678,地址,诸暨市\n"))
		acc, err := Load(context.Background(), openDB(t), p, opts(t))
		var re *RefusedError
		if !errors.As(err, &re) || acc.Status != StatusRefused {
			t.Fatalf("err %v", err)
		}
		msg := err.Error() + acc.Message
		if strings.Contains(msg, "13812345678") || !strings.Contains(msg, "138****5678") || !strings.Contains(msg, "closest to a header of the first 2 rows: line 1") {
			t.Errorf("message %q: want the closest row, masked", msg)
		}
	})
	t.Run("duplicate_header_refused_unless_said", func(t *testing.T) {
		p := writeFile(t, "calls.csv", []byte("警情编号,报警时间,警情类别,报警时间\nJ1,bad,纠纷,2024-05-01 08:00:00\n"))
		_, err := Load(context.Background(), openDB(t), p, opts(t))
		if err == nil || !strings.Contains(err.Error(), `the header "报警时间" (received_at) heads columns 2 and 4`) {
			t.Fatalf("err %v", err)
		}
		pr, _ := profile.Parse("p.yaml", []byte("name: p\nfields:\n  call_id: [警情编号]\n  received_at: [\"报警时间#2\"]\n  category: [警情类别]\n"))
		o := opts(t)
		o.Profile = pr
		if acc := load(t, openDB(t), p, o); acc.Inserted != 1 {
			t.Errorf("with 报警时间#2: %+v", acc)
		}
	})
}

// TestReloadAndCheck: a fixed profile can load the same bytes again, its earlier
// rejects replaced; check lists its rejects itself; a file rejected whole for one
// field says what to change in the profile (item 10).
func TestReloadAndCheck(t *testing.T) {
	db := openDB(t)
	p := writeFile(t, "calls.csv", []byte("警情编号,报警时间,警情类别\nJ1,05/01/2024 08:00,纠纷\nJ2,05/01/2024 09:00,求助\n"))
	o := opts(t)
	o.DryRun = true
	acc := load(t, db, p, o)
	if acc.Rejected != 2 || len(acc.Rejects) != 2 || acc.Rejects[0].Line != 2 || acc.Rejects[0].Value != "05/01/2024 08:00" ||
		!strings.Contains(acc.Message, "time_layouts") || strings.Contains(acc.Message, "fenliu rejects") {
		t.Fatalf("check: %+v", acc)
	}
	acc = load(t, db, p, opts(t))
	if acc.Rejected != 2 || !strings.Contains(acc.Message, "time_layouts") {
		t.Fatalf("first load: %+v", acc)
	}
	if acc = load(t, db, p, opts(t)); acc.Status != StatusSkipped || !strings.Contains(acc.Message, "--reload") {
		t.Fatalf("same bytes: %+v", acc)
	}
	pr, _ := profile.Parse("p.yaml", []byte("name: p\ntime_layouts: [\"01/02/2006 15:04\"]\nfields:\n  call_id: [警情编号]\n  received_at: [报警时间]\n  category: [警情类别]\n"))
	o = opts(t)
	o.Profile, o.Reload = pr, true
	acc = load(t, db, p, o)
	if acc.Status != StatusLoaded || acc.Inserted != 2 || acc.Rejected != 0 || acc.Replaced == 0 {
		t.Fatalf("reload: %+v", acc)
	}
	if ledger := dump(t, db, testSQL(t, "ledger.sql")); len(ledger) != 0 {
		t.Errorf("the earlier rejects were not replaced: %v", ledger)
	}
	if calls := dump(t, db, testSQL(t, "dump_calls.sql")); len(calls) != 2 || !strings.Contains(calls[0], "received_at=2024-05-01 08:00:00") {
		t.Errorf("calls %v", calls)
	}
}

func containsAll(s string, parts []string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
