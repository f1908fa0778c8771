package main

import "errors"

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
	if errors.As(err, &u) {
		return exitUsage
	}
	return exitFailed
}
