package etl

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestDictionariesReplacedOnlyWhenChanged: a load replaces both dictionaries with
// the files' rows (aliases one row each, an absent file an empty dictionary), and
// a load that brings the same dictionaries writes nothing (every scheduled load
// does, and a write costs a commit).
func TestDictionariesReplacedOnlyWhenChanged(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := openDB(t)
	var dbPath string
	if err := db.QueryRowContext(ctx, "SELECT path FROM duckdb_databases() WHERE database_name = current_database()").Scan(&dbPath); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	depts := write("departments.csv", "name,aliases,kind,county\n水利局,水务局|水利,职能部门,\n枫桥镇社会治理中心,,乡镇街道,诸暨市\n")
	cats := write("categories.csv", "category,nature\n邻里纠纷,非警务\n盗窃,警务\n")
	stored := func() []string {
		rows, err := db.QueryContext(ctx, "SELECT concat_ws('|', t, name, alias, coalesce(kind, 'NULL'), coalesce(county, 'NULL')) AS r FROM ("+
			"SELECT 'd' AS t, name, alias, kind, county FROM dict_departments UNION ALL "+
			"SELECT 'c', category, nature, NULL, NULL FROM dict_categories) ORDER BY r")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}
	walSize := func() int64 {
		if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(dbPath + ".wal")
		if err != nil {
			return 0
		}
		return fi.Size()
	}

	if err := LoadDictionaries(ctx, db, depts, cats); err != nil {
		t.Fatal(err)
	}
	first := stored()
	want := []string{
		"c|盗窃|警务|NULL|NULL", "c|邻里纠纷|非警务|NULL|NULL",
		"d|枫桥镇社会治理中心|枫桥镇社会治理中心|乡镇街道|诸暨市",
		"d|水利局|水利|职能部门|", "d|水利局|水利局|职能部门|", "d|水利局|水务局|职能部门|",
	}
	if !reflect.DeepEqual(first, want) {
		t.Fatalf("dictionaries stored:\n%q\nwant\n%q", first, want)
	}

	// The same files again: nothing written.
	before := walSize()
	if _, err := db.ExecContext(ctx, "SET checkpoint_threshold = '1GB'"); err != nil {
		t.Fatal(err)
	}
	if err := LoadDictionaries(ctx, db, depts, cats); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dbPath + ".wal")
	if err == nil && fi.Size() > before {
		t.Errorf("loading the same dictionaries wrote %d bytes to the WAL", fi.Size()-before)
	}
	if got := stored(); !reflect.DeepEqual(got, first) {
		t.Errorf("after the same dictionaries:\n%q\nwant\n%q", got, first)
	}

	// Changed: an alias gone, a county added; no categories file at all.
	depts = write("departments.csv", "name,aliases,kind,county\n水利局,水务局,职能部门,诸暨市\n")
	if err := LoadDictionaries(ctx, db, depts, ""); err != nil {
		t.Fatal(err)
	}
	fi, err = os.Stat(dbPath + ".wal")
	if err != nil || fi.Size() <= before {
		t.Errorf("changed dictionaries wrote nothing to the WAL (%v)", err)
	}
	want = []string{"d|水利局|水利局|职能部门|诸暨市", "d|水利局|水务局|职能部门|诸暨市"}
	if got := stored(); !reflect.DeepEqual(got, want) {
		t.Errorf("after the changed dictionaries:\n%q\nwant\n%q", got, want)
	}
}
