package waiter

import (
	"errors"
	"slices"

	"github.com/resourcekit/alicloud"
)

// The matchers below are the ones internal/apimodel/waiters.json names in
// its "matcher" field ("value", "all", "present"); the generator turns each
// waiter's data into a call to one of them.

// Rule holds the states of a status enumeration for one waiter, as listed
// in waiters.json. A status in neither Success nor Failure (the documented
// in-progress states, and any the service adds later) means Retry.
type Rule[S ~string] struct {
	// Success lists the awaited states.
	Success []S
	// Failure lists the terminal states that end the wait with an error.
	Failure []S
	// Ignore lists states whose items a list matcher leaves out, as if the
	// service had not returned them (a share's earlier, finished
	// associations).
	Ignore []S
	// Empty is the state of a list matcher that has no item left to judge.
	Empty State
}

// MatchValue judges one status: Success or Failure when r lists it, Retry
// otherwise ("value" in waiters.json).
func MatchValue[S ~string](r *Rule[S], status S) (State, string, error) {
	switch {
	case slices.Contains(r.Success, status):
		return Success, string(status), nil
	case slices.Contains(r.Failure, status):
		return Failure, string(status), nil
	}
	return Retry, string(status), nil
}

// MatchAll judges the statuses of every item a list poll selected ("all"
// in waiters.json): Failure as soon as one item is in a failure state,
// Success when every item is in a success state, Retry otherwise. Items in
// an Ignore state are left out first; when none is left the state is
// r.Empty. The status returned is the first failed item's, or else the
// first item's that is not done yet, or else the first item's.
func MatchAll[S ~string](r *Rule[S], statuses []S) (State, string, error) {
	kept := make([]S, 0, len(statuses))
	for _, s := range statuses {
		if !slices.Contains(r.Ignore, s) {
			kept = append(kept, s)
		}
	}
	if len(kept) == 0 {
		return r.Empty, "", nil
	}
	for _, s := range kept {
		if slices.Contains(r.Failure, s) {
			return Failure, string(s), nil
		}
	}
	for _, s := range kept {
		if !slices.Contains(r.Success, s) {
			return Retry, string(s), nil
		}
	}
	return Success, string(kept[0]), nil
}

// MatchPresent is Success once the field the waiter watches is filled in
// (the resource is visible), Retry while it is empty ("present" in
// waiters.json).
func MatchPresent(value string) (State, string, error) {
	if value != "" {
		return Success, "", nil
	}
	return Retry, "", nil
}

// MatchError judges a poll that failed with err: Retry when the service
// throttled the call past the client's own retries, or when err has one of
// the codes the waiter lists as "not there yet"; otherwise err ends the
// wait.
func MatchError(err error, retryCodes ...alicloud.ErrorCode) (State, string, error) {
	if alicloud.IsThrottling(err) {
		return Retry, "", nil
	}
	for _, c := range retryCodes {
		if errors.Is(err, c) {
			return Retry, "", nil
		}
	}
	return Retry, "", err
}
