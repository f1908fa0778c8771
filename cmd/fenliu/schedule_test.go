package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// scheduleInstall is an installation whose jobs run every second (the real
// robfig/cron scheduler with a seconds-level spec).
func scheduleInstall(t *testing.T) string {
	dir := install(t)
	cfg, _ := os.ReadFile(filepath.Join(dir, "fenliu.yaml"))
	s := string(cfg)
	for from, to := range map[string]string{
		`inbox: "*/10 * * * *"`: `inbox: "@every 1s"`,
		`monthly: "0 8 5 * *"`:  `monthly: "@every 1s"`,
		`weekly: "0 8 * * 1"`:   `weekly: "0 0 1 1 *"`,
		`annual: "0 8 10 1 *"`:  `annual: "0 0 1 1 *"`,
	} {
		if !strings.Contains(s, from) {
			t.Fatalf("config template lacks %s", from)
		}
		s = strings.Replace(s, from, to, 1)
	}
	os.WriteFile(filepath.Join(dir, "fenliu.yaml"), []byte(s), 0o644)
	return dir
}

// eventually polls cond until it holds (the scheduler works on its own clock).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 600; i++ {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// jobsOutput reads the job history, retrying while a job holds the database.
func jobsOutput(t *testing.T, dir string) string {
	for i := 0; i < 100; i++ {
		out, _, code := fenliu(t, dir, "jobs", "-n", "1000")
		if code == 0 {
			return out
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("jobs never readable")
	return ""
}

func startSchedule(t *testing.T, dir string) (*exec.Cmd, chan error) {
	cmd := command(t, dir, "--log-json", "schedule")
	var logs strings.Builder
	cmd.Stderr = &logs
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("scheduler log:\n%s", logs.String())
		}
	})
	return cmd, startCmd(t, cmd)
}

func stop(t *testing.T, cmd *exec.Cmd, done chan error) {
	t.Helper()
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("schedule exited with %v after SIGTERM, want 0", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("schedule did not stop after SIGTERM")
	}
}

func TestScheduleRunsJobs(t *testing.T) {
	dir := scheduleInstall(t)
	// The reports folder is blocked by a file: the monthly job fails until it is freed.
	reports := filepath.Join(dir, "reports")
	os.RemoveAll(reports)
	os.WriteFile(reports, []byte("in the way"), 0o644)
	cmd, done := startSchedule(t, dir)

	data, _ := os.ReadFile(repoFile(t, "etl", "testdata", "calls_rules.csv"))
	os.WriteFile(filepath.Join(dir, "inbox", "calls.csv"), data, 0o644)
	eventually(t, "the dropped file to be loaded and archived", func() bool { return exists(filepath.Join(dir, "archive", "calls.csv")) })
	eventually(t, "a failed monthly run", func() bool { return strings.Contains(jobsOutput(t, dir), "failed") })
	os.Remove(reports)
	eventually(t, "the monthly report", func() bool {
		m, _ := filepath.Glob(filepath.Join(reports, "*_月度考评通报.*[lx]")) // .xlsx and .html, not the delivery manifest
		return len(m) == 2 && exists(filepath.Join(reports, "index.html"))
	})

	// A file still being written (a chunk every 300 ms for 3 s, while the inbox is
	// scanned every second) is left alone until it is complete, then loaded whole.
	gen := t.TempDir()
	if _, errs, code := fenliu(t, dir, "gen", "--out", gen, "--calls", "400", "--seed", "9"); code != 0 {
		t.Fatalf("gen: %s", errs)
	}
	full, _ := os.ReadFile(filepath.Join(gen, "calls.csv"))
	lines := strings.SplitAfter(string(full), "\n")
	late := filepath.Join(dir, "inbox", "late.csv")
	f, err := os.Create(late)
	if err != nil {
		t.Fatal(err)
	}
	chunk := len(lines)/10 + 1
	for i := 0; i < len(lines); i += chunk {
		f.WriteString(strings.Join(lines[i:min(i+chunk, len(lines))], ""))
		time.Sleep(300 * time.Millisecond)
		if exists(filepath.Join(dir, "archive", "late.csv")) || exists(filepath.Join(dir, "failed", "late.csv")) {
			t.Fatalf("late.csv was picked up after %d of %d lines", min(i+chunk, len(lines)), len(lines))
		}
	}
	f.Close()
	eventually(t, "the completed file to be archived", func() bool { return exists(filepath.Join(dir, "archive", "late.csv")) })
	stop(t, cmd, done)
	if out, _, _ := fenliu(t, dir, "files"); !regexp.MustCompile(`late\.csv\s+calls\s+\S+\s+\S+\s+loaded\s+400\s+400\s`).MatchString(out) {
		t.Errorf("late.csv not loaded whole (400 rows read and inserted):\n%s", out)
	}

	hist := jobsOutput(t, dir)
	var inboxLoaded, monthlyOK, monthlyFailed, weekly bool
	for _, line := range strings.Split(hist, "\n") {
		f := strings.Fields(line)
		if len(f) < 8 {
			continue
		}
		switch {
		case f[0] == "inbox" && f[5] == "ok" && strings.Contains(line, "1 loaded"):
			inboxLoaded = true
		case f[0] == "monthly" && f[5] == "ok":
			monthlyOK = true
		case f[0] == "monthly" && f[5] == "failed":
			monthlyFailed = true
		case f[0] == "weekly":
			weekly = true
		}
	}
	if !inboxLoaded || !monthlyOK || !monthlyFailed || weekly {
		t.Errorf("history: inbox loaded %v, monthly ok %v, monthly failed %v, weekly ran %v:\n%s", inboxLoaded, monthlyOK, monthlyFailed, weekly, hist)
	}
	if out, _, _ := fenliu(t, dir, "files"); !strings.Contains(out, "calls.csv") {
		t.Errorf("the inbox file is not recorded:\n%s", out)
	}
}

// SIGTERM during a load lets it finish its file; runs of a job never overlap.
func TestScheduleSIGTERMDuringLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir := scheduleInstall(t)
	export := bigExport(t, 200000)
	cmd, done := startSchedule(t, dir)
	data, _ := os.ReadFile(export)
	os.WriteFile(filepath.Join(dir, "inbox", "big.csv"), data, 0o644)
	if !waitStaging(t, filepath.Join(dir, "tmp"), done) {
		t.Fatal("the scheduler ended before loading")
	}
	stop(t, cmd, done)
	if !exists(filepath.Join(dir, "archive", "big.csv")) {
		t.Error("the file being loaded at SIGTERM was not finished and archived")
	}
	if calls, _, _, files := tableCounts(t, filepath.Join(dir, "fenliu.duckdb")); calls != 200000 || files != 1 {
		t.Errorf("after SIGTERM: %d calls, %d files", calls, files)
	}
	// The inbox job ran every second while one run took seconds: no two runs overlap.
	var prevEnd string
	lines := strings.Split(strings.TrimSpace(jobsOutput(t, dir)), "\n")
	for i := len(lines) - 1; i >= 1; i-- {
		f := strings.Fields(lines[i])
		if len(f) < 6 || f[0] != "inbox" {
			continue
		}
		start, end := f[1]+" "+f[2], f[3]+" "+f[4]
		if prevEnd != "" && start < prevEnd {
			t.Errorf("an inbox run started at %s before the previous ended at %s", start, prevEnd)
		}
		prevEnd = end
	}
}

func TestScheduleOnce(t *testing.T) {
	dir := install(t)
	if _, errs, code := fenliu(t, dir, "schedule", "--once"); code != 0 {
		t.Fatalf("--once: %s", errs)
	}
	first := jobsOutput(t, dir)
	// Never run before: the reports are due, and written.
	for _, job := range []string{"inbox", "monthly", "annual", "weekly"} {
		if !strings.Contains(first, job) {
			t.Errorf("--once did not run %s:\n%s", job, first)
		}
	}
	for _, ext := range []string{"xlsx", "html"} {
		if m, _ := filepath.Glob(filepath.Join(dir, "reports", "*."+ext)); len(m) != 3+map[string]int{"html": 1}[ext] {
			t.Errorf("reports %v, want the monthly, the annual and the weekly (and index.html)", m)
		}
	}
	// Just after: the reports are not due again; the inbox is scanned every time.
	fenliu(t, dir, "schedule", "--once")
	second := jobsOutput(t, dir)
	if strings.Count(second, "monthly") != 1 || strings.Count(second, "weekly") != 1 || strings.Count(second, "inbox") != 2 {
		t.Errorf("second --once:\n%s", second)
	}
}

// TestSchedulePerUnit: with schedule.per_unit set, the scheduled monthly report
// comes with a feedback sheet per department; a bad value is refused.
func TestSchedulePerUnit(t *testing.T) {
	zone, _ := time.LoadLocation("Asia/Shanghai") // the template's time_zone
	now := time.Now().In(zone)
	this := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := this.AddDate(0, -1, 0)
	dir := generatedInstall(t, 600, last.Format("2006-01-02"), this.Format("2006-01-02"), 3)
	cfg := filepath.Join(dir, "fenliu.yaml")
	b, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(b), `per_unit: ""`, `per_unit: "nope"`, 1)), 0o644)
	if _, errs, code := fenliu(t, dir, "schedule", "--once"); code == 0 || !strings.Contains(errs, "schedule.per_unit") {
		t.Errorf("per_unit nope: exit %d %s", code, errs)
	}
	os.WriteFile(cfg, []byte(strings.Replace(string(b), `per_unit: ""`, `per_unit: department`, 1)), 0o644)
	if _, errs, code := fenliu(t, dir, "schedule", "--once"); code != 0 {
		t.Fatalf("--once: %s", errs)
	}
	sheets, _ := filepath.Glob(filepath.Join(dir, "reports", last.Format("2006-01"), "units", "*", "*_反馈单.xlsx"))
	if len(sheets) < 3 {
		t.Errorf("%d feedback sheets for %s", len(sheets), last.Format("2006-01"))
	}
}

// The scheduler talks: a line per job on stdout; a file left in the inbox says
// why, in the line, the job history and the log; a load's rejected rows are in
// the history with the command that lists them.
func TestScheduleTalks(t *testing.T) {
	dir := install(t)
	data, _ := os.ReadFile(repoFile(t, "etl", "testdata", "calls_rules.csv"))
	inbox := filepath.Join(dir, "inbox")
	os.WriteFile(filepath.Join(inbox, "calls.csv"), data, 0o644)
	os.WriteFile(filepath.Join(inbox, "说明.docx"), []byte("PK\x03\x04"), 0o644)
	out, errs, code := fenliu(t, dir, "schedule", "--once")
	if code != 0 {
		t.Fatalf("--once: %s", errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 { // inbox, weekly, monthly, annual, alerts; deliver has nothing to retry
		t.Errorf("%d lines, want one per job:\n%s", len(lines), out)
	}
	mustContain(t, "first --once", out, "inbox: ok: 2 waiting (calls.csv: new: loaded on the next scan", "说明.docx: not an export",
		"monthly: ok: wrote 2 files")
	mustContain(t, "log", errs, "file waiting in the inbox", "说明.docx")
	if strings.Contains(errs, `file=calls.csv`) {
		t.Errorf("a new file is logged as a warning:\n%s", errs)
	}
	out, _, _ = fenliu(t, dir, "schedule", "--once")
	mustContain(t, "second --once", out, "inbox: ok: 1 loaded (calls.csv: 13 rows, 7 rejected (fenliu rejects --file calls.csv)), 1 waiting (说明.docx")
	jobs := jobsOutput(t, dir)
	mustContain(t, "jobs", jobs, "rejected", "calls.csv: 13 rows, 7 rejected (fenliu rejects --file calls.csv)")
	if !regexp.MustCompile(`inbox\s+\S+ \S+\s+\S+ \S+\s+ok\s+1\s+13\s+7\s`).MatchString(jobs) {
		t.Errorf("the load's row in jobs lacks its rows and rejects:\n%s", jobs)
	}
}
