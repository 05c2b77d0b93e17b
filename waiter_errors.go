package alicloud

import (
	"errors"
	"fmt"
	"time"
)

// ErrWaiterFailed matches, with errors.Is, the error of a waiter that saw
// the resource reach a state from which the awaited one can no longer be
// reached (an account whose creation failed, a declined handshake). The
// error is a *WaiterFailedError; errors.As gives the detail. Each product
// package re-exports it as its own ErrWaiterFailed.
var ErrWaiterFailed = errors.New("waiter reached a failure state")

// ErrWaiterTimeout matches, with errors.Is, the error of a waiter whose
// maximum wait (or its context's deadline) ran out before the awaited state
// was seen. The error is a *WaiterTimeoutError and matches
// context.DeadlineExceeded too.
var ErrWaiterTimeout = errors.New("waiter timed out")

// WaiterFailedError is returned by a waiter when a poll shows a terminal
// failure state.
type WaiterFailedError struct {
	// Waiter is the waiter's name, e.g. "AccountCreated".
	Waiter string
	// Status is the failure state observed, e.g. "CreateFailed"; for a
	// waiter over a list, the state of the first failed item.
	Status string
	// Output is the reply of the last poll, e.g. a
	// *resourcemanager.GetAccountResponse.
	Output any
	// Attempts is the number of polls made.
	Attempts int
}

// Error names the waiter and the state it saw.
func (e *WaiterFailedError) Error() string {
	return fmt.Sprintf("%s waiter: reached failure state %q after %d %s", e.Waiter, e.Status, e.Attempts, polls(e.Attempts))
}

// Is reports whether target is ErrWaiterFailed.
func (e *WaiterFailedError) Is(target error) bool { return target == ErrWaiterFailed }

// WaiterTimeoutError is returned by a waiter that ran out of time. It
// matches ErrWaiterTimeout and, through Unwrap, context.DeadlineExceeded.
type WaiterTimeoutError struct {
	// Waiter is the waiter's name.
	Waiter string
	// MaxWait is the maximum wait the caller gave.
	MaxWait time.Duration
	// Elapsed is the time the waiter spent. It can be a little less than
	// MaxWait: the waiter gives up as soon as less than its minimum delay
	// between polls remains, since no poll could be made in time.
	Elapsed time.Duration
	// Attempts is the number of polls made, counting the one the
	// deadline cut off, which may not have reached the server.
	Attempts int
	// Status is the last state observed, "" when no poll got a reply.
	Status string
	// Output is the reply of the last successful poll, or nil.
	Output any
	// LastErr is the error of the last poll when it failed with an error the
	// waiter retries (throttling, a resource not visible yet), or nil.
	LastErr error
	// Err is the context's error: context.DeadlineExceeded.
	Err error
}

// Error names the waiter, how long it waited and what it saw last.
func (e *WaiterTimeoutError) Error() string {
	s := fmt.Sprintf("%s waiter: timed out", e.Waiter)
	if e.Elapsed > 0 {
		s += " after " + e.Elapsed.Round(time.Millisecond).String()
	}
	s += fmt.Sprintf(" (%d %s", e.Attempts, polls(e.Attempts))
	if e.MaxWait > 0 {
		s += ", maximum wait " + e.MaxWait.String()
	}
	if e.Status != "" {
		s += fmt.Sprintf(", last state %q", e.Status)
	}
	s += ")"
	if e.LastErr != nil {
		s += "; last error: " + e.LastErr.Error()
	}
	return s
}

// Is reports whether target is ErrWaiterTimeout.
func (e *WaiterTimeoutError) Is(target error) bool { return target == ErrWaiterTimeout }

// Unwrap returns the context's error.
func (e *WaiterTimeoutError) Unwrap() error { return e.Err }

func polls(n int) string {
	if n == 1 {
		return "poll"
	}
	return "polls"
}
