package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The warnings at T: shown, then sent once — the committee all of them, a unit
// its own — and not sent again for the same state.
func TestAlertsAreSentOnce(t *testing.T) {
	dir := generatedInstall(t, 3000, "2024-05-01", "2024-05-21", 5)
	const at = "2024-05-20 09:00"
	out, errs, code := fenliu(t, dir, "alerts", "--as-of", at)
	if code != 0 {
		t.Fatalf("alerts: exit %d %s", code, errs)
	}
	mustContain(t, "alerts", out, "全市非警务警情分流处置预警（截至2024年5月20日9时）", "[new] ")
	// A unit concerned by a warning about an order due soon: its department.
	m := regexp.MustCompile(`\[new\] (\S+)：工单 `).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no order due within 24 h at %s:\n%s", at, out)
	}
	unit := m[1]
	if _, errs, code := fenliu(t, dir, "alerts", "--as-of", at, "--send"); code != 1 || !strings.Contains(errs, "no recipients") {
		t.Errorf("--send without recipients: exit %d %s", code, errs)
	}
	cfg := filepath.Join(dir, "fenliu.yaml")
	b, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(b), "  recipients: []", `  recipients:
    - {name: 市委政法委, scope: committee, kinds: [alerts], outbox: true}
    - {name: `+unit+`, scope: "department:`+unit+`", outbox: true}
    - {name: 别的局, scope: "department:没有预警的局", outbox: true}`, 1)), 0o644)

	out, errs, code = fenliu(t, dir, "alerts", "--as-of", at, "--send")
	if code != 0 {
		t.Fatalf("--send: exit %d %s\n%s", code, errs, out)
	}
	mustContain(t, "--send", out, "→ 市委政法委 by outbox: sent", "→ "+unit+" by outbox: sent")
	committee, _ := filepath.Glob(filepath.Join(dir, "outbox", "市委政法委", "预警_2024-05-20_0900.txt"))
	mine, _ := filepath.Glob(filepath.Join(dir, "outbox", unit, "预警_2024-05-20_0900_*.txt"))
	if len(committee) != 1 || len(mine) != 1 {
		t.Fatalf("outboxes: committee %v, unit %v", committee, mine)
	}
	all, _ := os.ReadFile(committee[0])
	own, _ := os.ReadFile(mine[0])
	if !strings.Contains(string(all), "即将到期未办结的工单") || !strings.Contains(string(own), unit+"：工单 ") {
		t.Errorf("messages:\n%s\n---\n%s", all, own)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(own)), "\n")[1:] {
		if strings.HasPrefix(line, "  ") && !strings.Contains(line, unit) {
			t.Errorf("the unit's warnings hold another's: %q", line)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "outbox", "别的局")); err == nil {
		t.Error("a unit without warnings got a message")
	}
	// The same state an hour later: nothing new, nothing sent.
	out, _, code = fenliu(t, dir, "alerts", "--as-of", "2024-05-20 09:05", "--send")
	if code != 0 || !regexp.MustCompile(`: \d+ warnings, 0 new`).MatchString(out) || strings.Contains(out, "[new]") || strings.Contains(out, "→") {
		t.Errorf("the same warnings again: exit %d\n%s", code, out)
	}
}
