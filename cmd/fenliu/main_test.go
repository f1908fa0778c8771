package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fenliu/fenliu/queries"
)

// TestMain lets the test binary act as the fenliu command: the end-to-end tests
// run it as a real child process (promtool's -test.main pattern).
func TestMain(m *testing.M) {
	if db := os.Getenv("FENLIU_TEST_HOLD"); db != "" {
		h, err := queries.Open(context.Background(), db, queries.Options{ReadOnly: true})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Print("open")
		io.Copy(io.Discard, os.Stdin) // until the test closes stdin
		h.Close()
		os.Exit(0)
	}
	if os.Getenv("FENLIU_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// fenliu runs the binary with args in dir and returns stdout, stderr and the exit code.
func fenliu(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	cmd := command(t, dir, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func command(t *testing.T, dir string, args ...string) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "FENLIU_TEST_MAIN=1", "FENLIU_CONFIG=", "FENLIU_SECRET=")
	return cmd
}

// install runs `fenliu init` in a fresh folder and returns it.
func install(t *testing.T) string {
	dir := t.TempDir()
	if out, errs, code := fenliu(t, dir, "init", "."); code != 0 {
		t.Fatalf("init: %d %s %s", code, out, errs)
	}
	return dir
}

// generatedInstall is an installation loaded with `gen` exports of n calls from
// one date to another (its dictionaries too).
func generatedInstall(t *testing.T, calls int, from, to string, seed int) string {
	t.Helper()
	dir := install(t)
	gen := t.TempDir()
	if _, errs, code := fenliu(t, dir, "gen", "--out", gen, "--calls", strconv.Itoa(calls), "--from", from, "--to", to, "--seed", strconv.Itoa(seed)); code != 0 {
		t.Fatalf("gen: %s", errs)
	}
	for _, n := range []string{"departments.csv", "categories.csv"} {
		b, _ := os.ReadFile(filepath.Join(gen, n))
		os.WriteFile(filepath.Join(dir, n), b, 0o644)
	}
	if _, errs, code := fenliu(t, dir, "ingest", filepath.Join(gen, "calls.csv"), filepath.Join(gen, "orders.csv")); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	return dir
}

func repoFile(t *testing.T, parts ...string) string {
	p, err := filepath.Abs(filepath.Join(append([]string{"..", ".."}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustContain(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s lacks %q:\n%s", what, sub, s)
		}
	}
}

// start runs the binary in the background; the channel yields its exit.
func start(t *testing.T, dir string, args ...string) (*exec.Cmd, chan error) {
	cmd := command(t, dir, args...)
	return cmd, startCmd(t, cmd)
}

// startCmd starts cmd, kills it when the test ends, and reports its exit.
func startCmd(t *testing.T, cmd *exec.Cmd) chan error {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	return done
}

// holdReadOnly opens the database read-only in another process and keeps it open
// until the test ends, as a second reader would.
func holdReadOnly(t *testing.T, db string) {
	t.Helper()
	cmd := command(t, ".")
	cmd.Env = append(cmd.Env, "FENLIU_TEST_HOLD="+db)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(out, buf); err != nil || string(buf) != "open" {
		t.Fatalf("holder: %q %v", buf, err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
}
