package main

import (
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/fenliu/fenliu/etl/synth"
)

//go:embed templates/fenliu.yaml
var configTemplate []byte

func newInitCommand(g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write fenliu.yaml (every default, commented), the dictionaries, the folders and a secret",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return runInit(dir, cmd.OutOrStdout())
		},
	}
}

// runInit lays out an installation in dir. Existing files are kept: a second init
// never overwrites a config, a dictionary or, above all, the secret.
func runInit(dir string, out io.Writer) error {
	for _, d := range []string{"", "inbox", "archive", "failed", "reports", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	cfg := filepath.Join(dir, "fenliu.yaml")
	if err := writeNew(cfg, configTemplate, 0o644); err != nil {
		return err
	}
	dictDir, err := os.MkdirTemp(dir, ".dict-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dictDir)
	if err := synth.WriteDictionaries(dictDir); err != nil {
		return err
	}
	for _, n := range []string{"departments.csv", "categories.csv"} {
		b, err := os.ReadFile(filepath.Join(dictDir, n))
		if err != nil {
			return err
		}
		if err := writeNew(filepath.Join(dir, n), b, 0o644); err != nil {
			return err
		}
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	if err := writeNew(filepath.Join(dir, "secret.key"), []byte(hex.EncodeToString(key)+"\n"), 0o600); err != nil {
		return err
	}
	fmt.Fprintf(out, "initialised %s: fenliu.yaml, departments.csv, categories.csv, secret.key (0600), inbox/ archive/ failed/ reports/ tmp/\n", dir)
	fmt.Fprintf(out, "next: edit the dictionaries for your jurisdiction, then: fenliu --config %s ingest FILE...\n", cfg)
	return nil
}

// writeNew creates name with b unless it exists already.
func writeNew(name string, b []byte, mode os.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
