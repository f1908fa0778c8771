package etl

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestScanInbox(t *testing.T) {
	db := openDB(t)
	root := t.TempDir()
	in := Inbox{Dir: filepath.Join(root, "inbox"), Archive: filepath.Join(root, "archive"), Failed: filepath.Join(root, "failed")}
	os.MkdirAll(in.Dir, 0o755)
	good, _ := os.ReadFile("testdata/calls_rules.csv")
	scan := func() InboxResult {
		t.Helper()
		r, err := ScanInbox(context.Background(), db, in, opts(t))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// A file still being written: half of it now, the rest before the next look.
	part := filepath.Join(in.Dir, "calls.csv")
	os.WriteFile(part, good[:len(good)/2], 0o644)
	os.WriteFile(filepath.Join(in.Dir, "bad.csv"), []byte("不是,导出\n1,2\n"), 0o644)
	// Not an export, and a workbook open in Excel: they wait, and say why.
	os.WriteFile(filepath.Join(in.Dir, "说明.docx"), []byte("PK\x03\x04"), 0o644)
	os.WriteFile(filepath.Join(in.Dir, "orders.xlsx"), []byte("PK\x03\x04"), 0o644)
	os.WriteFile(filepath.Join(in.Dir, "~$orders.xlsx"), []byte("owner"), 0o644)
	if r := scan(); len(r.Waiting) != 4 || len(r.Loaded) != 0 ||
		r.Waiting[0] != (Waiting{"bad.csv", WaitNew}) || r.Waiting[1] != (Waiting{"calls.csv", WaitNew}) ||
		r.Waiting[2] != (Waiting{"orders.xlsx", WaitLocked}) || r.Waiting[3] != (Waiting{"说明.docx", WaitKind}) {
		t.Fatalf("first look: %+v, want all four waiting, each with its reason", r)
	}
	os.Remove(filepath.Join(in.Dir, "说明.docx"))
	os.Remove(filepath.Join(in.Dir, "orders.xlsx"))
	os.Remove(filepath.Join(in.Dir, "~$orders.xlsx"))
	os.WriteFile(part, good, 0o644)
	os.Chtimes(part, time.Now(), time.Now().Add(time.Second)) // the writer touched it
	r := scan()
	if len(r.Loaded) != 0 || len(r.Waiting) != 1 || r.Waiting[0] != (Waiting{"calls.csv", WaitGrowing}) || len(r.Failed) != 1 {
		t.Fatalf("second look: %+v, want the grown file waiting and bad.csv failed", r)
	}
	reason, err := os.ReadFile(filepath.Join(in.Failed, "bad.csv.reason.txt"))
	if err != nil || !strings.Contains(string(reason), "missing required columns") {
		t.Errorf("reason file: %q %v", reason, err)
	}
	r = scan()
	if len(r.Loaded) != 1 || r.Loaded[0].Inserted != 5 || len(r.Waiting) != 0 {
		t.Fatalf("third look: %+v, want calls.csv loaded", r)
	}
	if _, err := os.Stat(filepath.Join(in.Archive, "calls.csv")); err != nil {
		t.Error(err)
	}
	// The same export again: skipped (no-op), archived under a free name.
	os.WriteFile(part, good, 0o644)
	scan()
	if r := scan(); len(r.Loaded) != 1 || r.Loaded[0].Status != StatusSkipped {
		t.Fatalf("again: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(in.Archive, "calls-1.csv")); err != nil {
		t.Errorf("name clash not resolved: %v", err)
	}
	if left, _ := os.ReadDir(in.Dir); len(left) != 0 {
		t.Errorf("inbox not empty: %v", left)
	}
}
