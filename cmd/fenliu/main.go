// Command fenliu turns the exports of a 110 call-handling system and of a linkage
// work-order platform into the scorecards, trend reports and weekly briefings of
// the non-police call diversion (非警务警情分流) assessment.
//
// See README.md for the commands and ../SPEC.md §7 for the contract.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	_ "time/tzdata" // time zones on a bare server
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// run executes one command line and returns the exit status.
func run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if path := os.Getenv("FENLIU_CPUPROFILE"); path != "" {
		// A diagnostic for docs/performance.md: where a command spends its CPU.
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			defer f.Close()
			defer pprof.StopCPUProfile()
		}
	}
	cmd := newRootCommand()
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fenliu:", err)
	}
	return exitCode(err)
}
