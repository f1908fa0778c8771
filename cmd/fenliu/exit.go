package main

import (
	"errors"
	"strings"
)

// Exit statuses (SPEC §7).
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// usageError marks bad usage: unknown flags, bad values, a bad config file.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// exitCode maps an error to the exit status, in one place.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var u usageError
	if errors.As(err, &u) || cobraUsage(err) {
		return exitUsage
	}
	return exitFailed
}

// cobraUsage recognises the usage errors cobra returns itself (it has no types for
// them): a missing required flag, an unknown command, a broken flag group.
func cobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"required flag(s)", "unknown command", "unknown shorthand flag", "unknown flag",
		"if any flags in the group", "at least one of the flags in the group"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
