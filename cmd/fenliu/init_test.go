package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestInit(t *testing.T) {
	dir := t.TempDir()
	out, _, code := fenliu(t, dir, "init", "site")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	site := filepath.Join(dir, "site")
	for _, p := range []string{"fenliu.yaml", "departments.csv", "categories.csv", "secret.key", "inbox", "archive", "failed", "reports"} {
		if _, err := os.Stat(filepath.Join(site, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	st, _ := os.Stat(filepath.Join(site, "secret.key"))
	if st.Mode().Perm() != 0o600 {
		t.Errorf("secret.key mode %v, want 0600", st.Mode().Perm())
	}
	secret, _ := os.ReadFile(filepath.Join(site, "secret.key"))
	if len(strings.TrimSpace(string(secret))) < 32 || strings.Contains(out, strings.TrimSpace(string(secret))) {
		t.Errorf("secret too short or printed: %q", out)
	}
	// A second init keeps the secret (rotating it would break repeat matching).
	fenliu(t, dir, "init", "site")
	again, _ := os.ReadFile(filepath.Join(site, "secret.key"))
	if string(again) != string(secret) {
		t.Error("a second init replaced the secret")
	}
}

// The commented fenliu.yaml that init writes holds exactly the built-in defaults.
func TestConfigTemplateIsTheDefaults(t *testing.T) {
	var c config
	if err := decodeConfig(configTemplate, &c); err != nil {
		t.Fatal(err)
	}
	want := defaultConfig()
	if !reflect.DeepEqual(c, want) {
		t.Errorf("template decodes to\n%+v\nwant\n%+v", c, want)
	}
	if err := want.validate(); err != nil {
		t.Errorf("defaults do not validate: %v", err)
	}
}

func TestConfigErrorsNameTheKey(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"unknown_key", "dbb: x\n", "field dbb not found"},
		{"bad_zone", "time_zone: Mars/Base\n", `time_zone "Mars/Base"`},
		{"bad_sla", "indicators:\n  sign_sla: {紧急: 0s, 一般: 30m}\n", "indicators.sign_sla.紧急"},
		{"bad_weight", "scoring:\n  indicators:\n    sign_rate: {weight: -1, target: 0.9, floor: 0.8}\n", "scoring.indicators.sign_rate.weight"},
		{"target_is_floor", "scoring:\n  indicators:\n    sign_rate: {weight: 1, target: 0.9, floor: 0.9}\n", "target and floor must differ"},
		{"unknown_indicator", "scoring:\n  indicators:\n    speed: {weight: 1, target: 0.9, floor: 0.8}\n", "scoring.indicators.speed: unknown indicator"},
		{"bad_cron", "schedule:\n  weekly: \"every monday\"\n", "schedule.weekly"},
		{"bad_duration", "indicators:\n  skew: five minutes\n", "line 2: cannot unmarshal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "fenliu.yaml"), []byte(tc.yaml), 0o644)
			_, errs, code := fenliu(t, dir, "files")
			if code != 2 || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tc.want)
			}
		})
	}
}
