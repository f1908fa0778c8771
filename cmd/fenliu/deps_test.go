package main

import (
	"os/exec"
	"strings"
	"testing"
)

// allowed lists, for each fenliu package, the fenliu packages it may import
// (directly or not). It is the layering of STYLE.md §6.1: packages are pipeline
// stages, and nothing reaches back up the pipeline.
//
// DO NOT CHANGE THIS TABLE TO FIX A BUILD: move the code to the right stage instead,
// or state in the commit why the layering itself must change.
var allowed = map[string][]string{
	"domain":         {},
	"queries":        {},
	"etl/parse":      {"domain"},
	"etl/pii":        {},
	"etl/synth":      {"domain"},
	"metrics/period": {},
	"etl/source":     {"etl/parse", "etl/pii", "domain"},
	"etl/profile":    {"etl/parse", "etl/pii", "domain"},
	"etl":            {"queries", "etl/source", "etl/profile", "etl/parse", "etl/pii", "domain"},
	"metrics":        {"queries", "metrics/period", "domain"},
	"metrics/score":  {"queries", "metrics", "metrics/period", "domain"},
	"reports":        {"queries", "metrics", "metrics/period", "metrics/score", "domain"},
	"exempt":         {"queries", "etl/source", "etl/parse", "etl/pii", "domain"},
	"reports/pdf":    {}, // prints a page with Chromium; knows nothing of the figures
	"alerts":         {"queries", "metrics", "metrics/period", "metrics/score", "domain"},
	"deliver":        {}, // carries written files to their readers; knows nothing of the figures or the database
}

const module = "github.com/fenliu/fenliu/"

func TestDependencyPolicy(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}:{{join .Deps " "}}`, "../../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, ":")
		pkg = strings.TrimPrefix(pkg, module)
		if pkg == "cmd/fenliu" {
			continue // cmd wires everything
		}
		ok, listed := allowed[pkg]
		if !listed {
			t.Errorf("package %s is not in the dependency policy: add it to allowed", pkg)
			continue
		}
		seen++
		for _, d := range strings.Fields(deps) {
			if !strings.HasPrefix(d, module) {
				continue
			}
			d = strings.TrimPrefix(d, module)
			permitted := false
			for _, a := range ok {
				permitted = permitted || a == d
			}
			if !permitted {
				t.Errorf("%s imports %s, which the layering forbids", pkg, d)
			}
		}
	}
	if seen < 8 {
		t.Errorf("only %d packages checked", seen)
	}
}

// notImported lists, for a package, what it must not import directly although its
// dependencies do: reports reads figures through its Source (package metrics),
// never a store, so that it is tested with a fake and no database.
var notImported = map[string][]string{
	"reports": {"database/sql", module + "queries", "github.com/duckdb/duckdb-go/v2"},
}

func TestDirectImports(t *testing.T) {
	for pkg, banned := range notImported {
		out, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, "../../"+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		imports := strings.Fields(string(out))
		if len(imports) == 0 {
			t.Fatalf("%s imports nothing: the test checks nothing", pkg)
		}
		for _, b := range banned {
			for _, i := range imports {
				if i == b {
					t.Errorf("%s imports %s directly", pkg, b)
				}
			}
		}
	}
}
