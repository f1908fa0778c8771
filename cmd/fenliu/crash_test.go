package main

import (
	"context"

	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fenliu/fenliu/etl/synth"
	"github.com/fenliu/fenliu/queries"
)

// bigExport writes a synthetic calls.csv large enough that a load takes seconds.
func bigExport(t *testing.T, calls int) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := synth.Generate(dir, synth.Options{Calls: calls, From: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		To: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Seed: 3}); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "calls.csv")
}

// waitStaging waits until a load has written its staging folder (it then holds the
// database and is parsing), or the process has ended.
func waitStaging(t *testing.T, tmp string, done <-chan error) bool {
	for i := 0; i < 3000; i++ {
		if m, _ := filepath.Glob(filepath.Join(tmp, "fenliu-load-*", "stage.parquet")); len(m) > 0 {
			return true
		}
		select {
		case <-done:
			return false
		case <-time.After(5 * time.Millisecond):
		}
	}
	t.Fatal("the load never started")
	return false
}

func tableCounts(t *testing.T, db string) (calls, orders, rejects, files int64) {
	t.Helper()
	h, err := queries.Open(context.Background(), db, queries.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if err := h.QueryRow(queries.TableCounts.SQL).Scan(&calls, &orders, &rejects, &files); err != nil {
		t.Fatal(err)
	}
	return
}

// A SIGKILL mid-load leaves the database exactly as before that file; a re-run
// completes it with correct accounting.
func TestKillMidLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir := install(t)
	export := bigExport(t, 300000)
	tmp, db := filepath.Join(dir, "tmp"), filepath.Join(dir, "fenliu.duckdb")
	killedMidLoad := 0
	for _, after := range []time.Duration{0, 300 * time.Millisecond, 800 * time.Millisecond, 1500 * time.Millisecond, 2500 * time.Millisecond, 4 * time.Second} {
		cmd, done := start(t, dir, "ingest", export)
		finished := !waitStaging(t, tmp, done)
		if !finished {
			select {
			case <-done:
				finished = true
			case <-time.After(after):
				cmd.Process.Signal(syscall.SIGKILL)
				<-done
			}
		}
		calls, _, _, files := tableCounts(t, db)
		switch {
		case calls == 0 && files == 0:
			killedMidLoad++
		case calls == 300000 && files == 1:
			// The kill came after COMMIT (or the load finished): the file is whole.
		default:
			t.Fatalf("after a kill at +%v: %d calls and %d file records: a partial load", after, calls, files)
		}
		if calls > 0 {
			break
		}
	}
	if killedMidLoad == 0 {
		t.Fatal("no kill landed during the load: the test proved nothing")
	}
	out, errs, code := fenliu(t, dir, "ingest", export)
	if code != 0 {
		t.Fatalf("re-run: exit %d %s", code, errs)
	}
	if !strings.Contains(out, "read 300000 = inserted 300000 + updated 0 + unchanged 0 + superseded 0 + rejected 0") &&
		!strings.Contains(out, "skipped: same bytes") {
		t.Errorf("re-run accounting:\n%s", out)
	}
	if calls, _, _, files := tableCounts(t, db); calls != 300000 || files != 1 {
		t.Errorf("after the re-run: %d calls, %d files", calls, files)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "fenliu-load-*")); len(left) > 0 {
		t.Errorf("staging folders left behind: %v", left)
	}
	t.Logf("%d kills landed mid-load", killedMidLoad)
}

// A second process gets a clear message naming the file and the holder.
func TestSecondProcessIsToldWhoHoldsTheDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir := install(t)
	export := bigExport(t, 200000)
	_, done := start(t, dir, "ingest", export)
	if !waitStaging(t, filepath.Join(dir, "tmp"), done) {
		t.Fatal("the first load ended before the second process could try")
	}
	_, errs, code := fenliu(t, dir, "files")
	<-done
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	mustContain(t, "stderr", errs, "fenliu.duckdb is in use by another process (held by PID", "try again")
	if strings.Contains(errs, "panic") {
		t.Errorf("panic: %s", errs)
	}
	// The holder's load was not harmed.
	if calls, _, _, files := tableCounts(t, filepath.Join(dir, "fenliu.duckdb")); calls != 200000 || files != 1 {
		t.Errorf("after both: %d calls, %d files", calls, files)
	}
}
