package main

import (
	"archive/zip"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fenliu/fenliu/queries"
)

// TestNoPhoneNumberAnywhere plants phone numbers in every field of the exports and
// the dictionaries, in every written form (spaced, dotted, underscored, +86,
// hyphenated, one digit at a time, landline), in rejected rows, unreadable rows
// and a file with no header, then runs what a site runs — ingest, check, rejects,
// every report in both formats, the scheduler with its inbox, the listings — and
// audits everything that came out: stdout and stderr, the JSON logs, the database
// file and every value of every table, the rejects CSV, the reason files, every
// workbook part and page (SPEC §2.6; issue 10, item 4).
func TestNoPhoneNumberAnywhere(t *testing.T) {
	dir := install(t)
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	num := func(i int) string { return fmt.Sprintf("138111100%02d", i) }
	spaced := func(s string) string { return strings.Join(strings.Split(s, ""), " ") }
	// n(i) is planted in the form given; every form is one of the separator classes.
	forms := map[int]string{
		1: num(1), 2: "138 1111 0002", 3: "138.1111.0003", 4: "138_1111_0004", 5: "+86 138-1111-0005",
		6: spaced(num(6)), 7: num(7), 8: "0575-87650008", 9: num(9), 10: num(10), 11: num(11), 12: "138-1111-0012",
		13: num(13), 14: "138 1111 0014", 15: num(15), 16: num(16), 17: num(17), 18: num(18), 19: num(19), 20: num(20), 21: num(21),
	}
	digits := func(i int) string {
		if i == 8 {
			return "057587650008"
		}
		return num(i)
	}
	f := forms
	var calls strings.Builder
	calls.WriteString("警情编号,报警时间,报警电话,事发地址,所属区县,所属乡镇街道,所属村社区,管辖单位,警情类别,警情细类,警情性质,是否有效,处警结果,简要警情\n")
	for i := 0; i < 6; i++ { // one caller and one address, six times in week 2024-W19: frequent, repeated
		fmt.Fprintf(&calls, "J%d,2024-05-0%d 0%d:00:00,%s,XX路12号 联系人%s,诸暨市%s,枫桥镇%s,村%s,所%s,纠纷%s,细类%s,非警务,是,结果%s,摘要%s\n",
			i, 6+i, 8+i%2, f[1], f[2], f[10], f[4], f[3], f[5], f[6], f[7], f[8], f[9])
	}
	fmt.Fprintf(&calls, "JB1,昨天%s,,地址,诸暨市,枫桥镇,村,所,纠纷,,,是,,\n", f[17])           // a rejected timestamp
	fmt.Fprintf(&calls, "JB2,2024-05-06 08:00:00,%s,only five fields\n", f[18]) // a row of the wrong width
	fmt.Fprintf(&calls, "JB3,2024-05-06 08:00:00,,坏\xff%s,诸暨市,枫桥镇,村,所,纠纷,,,是,,\n", f[20])
	fmt.Fprintf(&calls, "JB4,2024-05-06 08:00:00,,\"未闭合%s,诸暨市,枫桥镇,村,所,纠纷,,,是,,\n", f[21])
	os.WriteFile(filepath.Join(in, "calls.csv"), []byte(calls.String()), 0o644)
	var orders strings.Builder
	orders.WriteString("工单编号,警情编号,派单时间,承办单位,所属区县,所属乡镇街道,联动类别,事项标签,签收时间,工单状态,退回原因\n")
	for i := 0; i < 6; i++ {
		dept := "局" + f[11]
		if i%2 == 1 {
			dept = "监管" + f[16] // an alias from the dictionary
		}
		fmt.Fprintf(&orders, "G%d,J%d,2024-05-0%d 09:00:00,%s,县%s,镇%s,类%s,标签%s,,,\n", i, i, 6+i, dept, f[15], f[15], f[13], f[12])
	}
	fmt.Fprintf(&orders, "G9,J1,2024-05-07 09:00:00,局%s,,,,,,已退回,原因%s\n", f[11], f[14])
	os.WriteFile(filepath.Join(in, "orders.csv"), []byte(orders.String()), 0o644)
	deps, _ := os.ReadFile(filepath.Join(dir, "departments.csv"))
	deps = append(deps, fmt.Sprintf("局%s,监管%s,职能部门,诸暨市\n", f[11], f[16])...)
	os.WriteFile(filepath.Join(dir, "departments.csv"), deps, 0o644)
	noHeader := fmt.Sprintf("J1,2024-05-06 08:00:00,%s,地址\nJ2,2024-05-06 09:00:00,%s,地址\n", f[19], f[19])
	os.WriteFile(filepath.Join(in, "noheader.csv"), []byte(noHeader), 0o644)

	var outputs []string
	runs := [][]string{
		{"--log-json", "check", "--json", "--rejects-out", filepath.Join(dir, "check-rejects.csv"), filepath.Join(in, "calls.csv")},
		{"--log-json", "ingest", "--json", filepath.Join(in, "calls.csv"), filepath.Join(in, "orders.csv"), filepath.Join(in, "noheader.csv")},
		{"ingest", filepath.Join(in, "noheader.csv")},
		{"rejects"},
		{"rejects", "-o", filepath.Join(dir, "rejects.csv")},
		{"files"},
		{"metrics", "--period", "2024-05", "--as-of", "2024-06-20", "--by", "department", "--compare"},
		{"metrics", "--period", "2024-05", "--as-of", "2024-06-20", "--by", "town", "--format", "csv"},
		{"metrics", "--period", "2024-05", "--as-of", "2024-06-20", "--by", "police_station", "--format", "json"},
		{"score", "--period", "2024-05", "--as-of", "2024-06-20", "--by", "department"},
		{"report", "monthly", "--period", "2024-05", "--as-of", "2024-06-20"},
		{"report", "annual", "--period", "2024", "--as-of", "2024-06-20"},
		{"report", "weekly", "--period", "2024-W19", "--as-of", "2024-05-13"},
		{"report", "trend", "--period", "2024-05", "--as-of", "2024-06-20"},
	}
	for _, args := range runs {
		out, errs, _ := fenliu(t, dir, args...)
		outputs = append(outputs, strings.Join(args, " ")+"\n"+out+errs)
	}
	// The scheduler: its inbox gets a file with no header (failed/, with a reason).
	os.WriteFile(filepath.Join(dir, "inbox", "noheader.csv"), []byte(noHeader), 0o644)
	for i := 0; i < 2; i++ { // a file is loaded on its second look
		out, errs, _ := fenliu(t, dir, "--log-json", "schedule", "--once")
		outputs = append(outputs, "schedule\n"+out+errs)
	}
	out, errs, _ := fenliu(t, dir, "jobs")
	outputs = append(outputs, "jobs\n"+out+errs)
	if m, _ := filepath.Glob(filepath.Join(dir, "failed", "*.reason.txt")); len(m) == 0 {
		t.Fatal("the inbox file with no header was not failed with a reason")
	}
	if !strings.Contains(strings.Join(outputs, ""), "138****0019") {
		t.Fatal("the refusal does not show the masked number: the audit would prove little")
	}

	// Every value of every table, through the database.
	db, err := queries.Open(context.Background(), filepath.Join(dir, "fenliu.duckdb"), queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tables, _ := os.ReadFile(repoFile(t, "etl", "testdata", "tables.sql"))
	var values strings.Builder
	for _, name := range queryColumn(t, db, string(tables)) {
		for _, row := range queryRows(t, db, "SELECT * FROM "+name) {
			values.WriteString(name + ": " + row + "\n")
		}
	}
	db.Close()
	if !strings.Contains(values.String(), "XX路12号 联系人") {
		t.Fatal("the planted address is not in the tables: the audit would prove little")
	}
	outputs = append(outputs, "tables\n"+values.String())

	// Every file the run wrote: the database (and WAL) bytes, reports, CSVs, reasons.
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		top := strings.SplitN(rel, string(filepath.Separator), 2)[0]
		if top == "in" || top == "departments.csv" || ((top == "archive" || top == "failed") && !strings.HasSuffix(p, ".reason.txt")) {
			return nil // the site's own inputs
		}
		b, _ := os.ReadFile(p)
		if strings.HasSuffix(p, ".xlsx") {
			outputs = append(outputs, rel+"\n"+unzipText(t, p))
			return nil
		}
		outputs = append(outputs, rel+"\n"+string(b))
		return nil
	})
	if len(outputs) < len(runs)+10 {
		t.Fatalf("only %d outputs audited", len(outputs))
	}
	seps := regexp.MustCompile(`[-._ \t+\x{3000}]`)
	for _, o := range outputs {
		name := strings.SplitN(o, "\n", 2)[0]
		flat := seps.ReplaceAllString(o, "")
		for i, form := range forms {
			if strings.Contains(o, form) || strings.Contains(flat, digits(i)) {
				t.Errorf("%s holds planted number %d (%s…, written %q)", name, i, digits(i)[:3], strings.Map(func(r rune) rune {
					if r >= '0' && r <= '9' {
						return '#'
					}
					return r
				}, form))
			}
		}
	}
}

// unzipText is every part of a workbook as text.
func unzipText(t *testing.T, path string) string {
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer z.Close()
	var b strings.Builder
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(&b, rc)
		rc.Close()
	}
	return b.String()
}

// queryColumn is the first column of every row of a query.
func queryColumn(t *testing.T, db *sql.DB, q string) []string {
	var out []string
	for _, r := range queryValues(t, db, q) {
		out = append(out, fmt.Sprint(r[0]))
	}
	return out
}

// queryRows is every row of a query, its values joined by |.
func queryRows(t *testing.T, db *sql.DB, q string) []string {
	var out []string
	for _, r := range queryValues(t, db, q) {
		s := make([]string, len(r))
		for i, v := range r {
			s[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(s, "|"))
	}
	return out
}

func queryValues(t *testing.T, db *sql.DB, q string) [][]any {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	return out
}
