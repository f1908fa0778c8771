package etl

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fenliu/fenliu/etl/profile"
)

// realdata is ../shared/realdata beside the repository: real public exports that
// nobody here wrote (SPEC: prove that a mapping profile loads a foreign export).
func realdata(t *testing.T, parts ...string) string {
	p := filepath.Join(append([]string{"..", "..", "shared", "realdata"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("real data missing in CI: %v", err)
		}
		t.Skipf("real data not available: %v", err)
	}
	return p
}

func builtin(t *testing.T, name string) *profile.Profile {
	for _, p := range profile.Builtins() {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no built-in profile %s", name)
	return nil
}

func TestRealDataBoston311(t *testing.T) {
	dir := realdata(t, "boston-311-2015")
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(files) != 7 {
		t.Fatalf("%d Boston files, want 7", len(files))
	}
	db := openDB(t)
	var total Accounting
	for _, f := range files {
		// No --profile: the profile is detected from the headers.
		acc := load(t, db, f, opts(t))
		if acc.Profile != "boston311" || acc.Kind != "orders" {
			t.Errorf("%s: profile %s kind %s", filepath.Base(f), acc.Profile, acc.Kind)
		}
		total.Read += acc.Read
		total.Inserted += acc.Inserted
		total.Rejected += acc.Rejected
	}
	// PROVENANCE.md: 28,956 rows, 24,847 closed and 4,109 open, every OPEN_DT filled.
	if total.Read != 28956 || total.Inserted != 28956 || total.Rejected != 0 {
		t.Errorf("read %d inserted %d rejected %d, want 28956 28956 0", total.Read, total.Inserted, total.Rejected)
	}
	status := dump(t, db, testSQL(t, "status_counts.sql"))
	want := []string{"status=处置中|n=4109|", "status=已办结|n=24847|"}
	if len(status) != 2 || status[0] != want[0] || status[1] != want[1] {
		t.Errorf("status counts %v, want %v", status, want)
	}
}

func TestRealDataSFFire(t *testing.T) {
	path := realdata(t, "sf-fire-calls-10k", "10k.csv")
	db := openDB(t)
	o := opts(t)
	o.Profile = builtin(t, "sffire-calls")
	// One row per unit: 9,999 rows are 5,115 calls (PROVENANCE.md).
	acc := load(t, db, path, o)
	if acc.Read != 9999 || acc.Inserted != 5115 || acc.Superseded != 9999-5115 || acc.Rejected != 0 {
		t.Errorf("as calls: %+v", acc)
	}
	o.Profile = builtin(t, "sffire-units")
	acc = load(t, db, path, o)
	// The same bytes as orders: one order per unit row (RowID), none rejected.
	if acc.Status != StatusLoaded || acc.Read != 9999 || acc.Kind != "orders" || acc.Inserted != 9999 || acc.Rejected != 0 {
		t.Errorf("as units: %+v", acc)
	}
	// Original Priority 3 and E are emergencies, every other code 一般.
	got := dump(t, db, testSQL(t, "priority_counts.sql"))
	if len(got) != 2 || !strings.HasPrefix(got[0], "priority=一般|") || !strings.HasPrefix(got[1], "priority=紧急|") {
		t.Errorf("priorities %v", got)
	}
}

func TestRealDataNYC311UserProfile(t *testing.T) {
	path := realdata(t, "nyc-311-sample-1k", "311_Service_Requests.csv")
	p, err := profile.LoadFile("../testdata/profiles/nyc311.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db := openDB(t)
	o := opts(t)
	o.Profiles = append(profile.Builtins(), p) // as configured: tried after the built-ins
	acc := load(t, db, path, o)
	if acc.Profile != "nyc311" || acc.Read != 1000 || acc.Inserted != 1000 {
		t.Errorf("%+v", acc)
	}
}

func TestRealDataSF311(t *testing.T) {
	path := realdata(t, "sf311-cases-10k", "cases_sample_10000(no-geo).csv")
	db := openDB(t)
	acc := load(t, db, path, opts(t))
	// 10,000 cases with 92 multi-line quoted cells; all load.
	if acc.Profile != "sf311" || acc.Read != 10000 || acc.Inserted != 10000 {
		t.Errorf("%+v", acc)
	}
	// Physical lines: the last record (one line) starts on the file's last line,
	// past record number 10,001 because of the multi-line cells.
	data, _ := os.ReadFile(path)
	lines := bytes.Count(data, []byte("\n"))
	if got, want := dump(t, db, testSQL(t, "max_line.sql")), fmt.Sprintf("m=%d|", lines); len(got) != 1 || got[0] != want || lines <= 10001 {
		t.Errorf("max line %v, want %s (> 10001)", got, want)
	}
}

// A real XLSX export whose time column mixes text dates and date serials.
func TestRealDataTaidiXLSX(t *testing.T) {
	path := realdata(t, "taidi-2020-gov-messages", "附件4.xlsx")
	p, err := profile.LoadFile("../testdata/profiles/taidi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	db := openDB(t)
	o := opts(t)
	o.Profile = p
	acc := load(t, db, path, o)
	if acc.Encoding != "xlsx" || acc.Read != 2816 || acc.Inserted != 2816 {
		t.Errorf("%+v", acc)
	}
	// Sheet row 7 holds the serial 43563.359259259261: 2019-04-08 08:37:20 to the second.
	var id, at string
	if err := db.QueryRow(testSQL(t, "call_at_line.sql"), 7).Scan(&id, &at); err != nil {
		t.Fatal(err)
	}
	if at != "2019-04-08 08:37:20" {
		t.Errorf("row 7 (%s): received_at %s, want 2019-04-08 08:37:20", id, at)
	}
}
