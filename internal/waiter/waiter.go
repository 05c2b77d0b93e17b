// Package waiter is the runtime behind the generated waiters of the product
// packages (waiters.go, generated from internal/apimodel/waiters.json): the
// polling loop with its backoff and deadline, and the matchers that turn a
// poll's reply into a state.
//
// The loop polls at once, then pauses between polls for an exponentially
// growing, jittered delay between MinDelay and MaxDelay. It stops when a
// poll reaches a success or failure state, when an error that is not
// retryable comes back, when the maximum wait runs out, or when the caller's
// context ends. It never sleeps past its deadline: a poll needs at least
// MinDelay of pause before it, so once less than MinDelay of the maximum
// wait remains the loop gives up at once instead of polling late, and the
// timeout error reports the time really spent (Elapsed), which is then a
// little less than the maximum wait.
package waiter

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/resourcekit/alicloud"
)

// State is what one poll says about the awaited transition.
type State int

const (
	// Retry means the transition is still under way: poll again.
	Retry State = iota
	// Success means the awaited state was reached.
	Success
	// Failure means a terminal failure state was reached.
	Failure
)

// String returns the state's name.
func (s State) String() string {
	switch s {
	case Retry:
		return "retry"
	case Success:
		return "success"
	case Failure:
		return "failure"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Check classifies the outcome of one poll: its request, its reply (nil
// when err is not) and its error. It returns the state and the status it
// observed; a non-nil error ends the wait with that error.
type Check[Req, Resp any] func(req *Req, resp *Resp, err error) (State, string, error)

// Config describes one wait.
type Config[Req, Resp any] struct {
	// Name is the waiter's name, used in errors ("AccountCreated").
	Name string
	// MinDelay and MaxDelay bound the pause between polls. MinDelay must
	// be positive and at most MaxDelay.
	MinDelay, MaxDelay time.Duration
	// Poll calls the operation once (or once per page).
	Poll func(ctx context.Context, req *Req) (*Resp, error)
	// Check applies the waiter's rules. It is not used when Retryable is
	// set.
	Check Check[Req, Resp]
	// Retryable, when set, replaces Check: true polls again; false with a
	// nil error ends the wait successfully; a non-nil error ends it with
	// that error.
	Retryable func(ctx context.Context, req *Req, resp *Resp, err error) (bool, error)
	// Sleep pauses between polls; nil waits on a timer. It must return
	// early with an error when ctx ends.
	Sleep func(ctx context.Context, d time.Duration) error

	// now and jitter are replaced by this package's tests.
	now    func() time.Time
	jitter func() float64
}

// ErrInvalidWait matches, with errors.Is, the error of a wait that cannot
// start: a maximum wait that is not positive, or delays out of order. That
// error matches alicloud.ErrInvalidInput too.
var ErrInvalidWait = errors.New("invalid wait")

// invalidWaitError says what is wrong with a wait in one sentence and
// matches both sentinels, so the message does not repeat them.
type invalidWaitError struct{ msg string }

func (e *invalidWaitError) Error() string { return e.msg }

func (e *invalidWaitError) Is(target error) bool {
	return target == ErrInvalidWait || target == alicloud.ErrInvalidInput
}

func invalidWait(format string, args ...any) error {
	return &invalidWaitError{msg: fmt.Sprintf(format, args...)}
}

// Wait polls until the rules of c say success or failure, an error ends
// the wait, maxWait has passed or ctx ends. It returns the reply of the
// last poll on success. A failure state gives a *alicloud.WaiterFailedError;
// running out of time (maxWait or ctx's deadline) a
// *alicloud.WaiterTimeoutError; a cancelled ctx an error matching
// context.Canceled; any other error is returned wrapped with the waiter's
// name.
func Wait[Req, Resp any](ctx context.Context, c Config[Req, Resp], req *Req, maxWait time.Duration) (*Resp, error) {
	switch {
	case maxWait <= 0:
		return nil, invalidWait("%s waiter: maxWait must be positive, not %v", c.Name, maxWait)
	case c.MinDelay <= 0:
		return nil, invalidWait("%s waiter: MinDelay must be positive, not %v", c.Name, c.MinDelay)
	case c.MaxDelay < c.MinDelay:
		return nil, invalidWait("%s waiter: MaxDelay %v is below MinDelay %v", c.Name, c.MaxDelay, c.MinDelay)
	case c.Poll == nil || (c.Check == nil && c.Retryable == nil):
		return nil, invalidWait("%s waiter: no poll or rules", c.Name)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	now := c.now
	if now == nil {
		now = time.Now
	}
	jitter := c.jitter
	if jitter == nil {
		jitter = rand.Float64
	}
	sleep := c.Sleep
	if sleep == nil {
		sleep = timerSleep
	}

	// The deadline that spaces the polls is read on c's clock; the one that
	// bounds each poll (and a real pause) on the context's.
	start := now()
	deadline := start.Add(maxWait)
	pollCtx, cancel := context.WithTimeout(ctx, maxWait)
	defer cancel()

	var (
		lastResp   *Resp
		lastStatus string
		lastErr    error
	)
	end := func(attempts int) error {
		if err := ctx.Err(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("%s waiter: stopped after %d %s: %w", c.Name, attempts, pollWord(attempts), err)
		}
		te := &alicloud.WaiterTimeoutError{Waiter: c.Name, MaxWait: maxWait, Elapsed: now().Sub(start), Attempts: attempts,
			Status: lastStatus, LastErr: lastErr, Err: context.DeadlineExceeded}
		if lastResp != nil {
			te.Output = lastResp
		}
		return te
	}

	for attempt := 1; ; attempt++ {
		resp, err := c.Poll(pollCtx, req)
		if err != nil && pollCtx.Err() != nil {
			return nil, end(attempt)
		}
		state, status, cerr := Retry, "", error(nil)
		if c.Retryable != nil {
			again, rerr := c.Retryable(pollCtx, req, resp, err)
			switch {
			case rerr != nil:
				cerr = rerr
			case !again:
				state = Success
			}
		} else {
			state, status, cerr = c.Check(req, resp, err)
		}
		if cerr != nil {
			return nil, fmt.Errorf("%s waiter: %w", c.Name, cerr)
		}
		if err == nil {
			lastResp, lastStatus, lastErr = resp, status, nil
		} else {
			lastErr = err
		}
		switch state {
		case Success:
			return resp, nil
		case Failure:
			fe := &alicloud.WaiterFailedError{Waiter: c.Name, Status: status, Attempts: attempt}
			if resp != nil {
				fe.Output = resp
			}
			return nil, fe
		}

		// Leave at least MinDelay before the deadline for the next poll;
		// when there is not that much time left, give up now rather than
		// sleep into the deadline.
		remaining := deadline.Sub(now())
		if remaining <= c.MinDelay {
			return nil, end(attempt)
		}
		d := backoff(attempt, c.MinDelay, c.MaxDelay, jitter())
		if d > remaining-c.MinDelay {
			d = remaining - c.MinDelay
		}
		if err := sleep(pollCtx, d); err != nil {
			if pollCtx.Err() != nil {
				return nil, end(attempt)
			}
			return nil, fmt.Errorf("%s waiter: %w", c.Name, err)
		}
		if pollCtx.Err() != nil {
			return nil, end(attempt)
		}
	}
}

// backoff is the pause after the given poll (1-based): the ceiling doubles
// from min with each poll up to max, and the pause is drawn uniformly from
// the upper half of the ceiling, never below min. r is in [0, 1).
func backoff(attempt int, min, max time.Duration, r float64) time.Duration {
	ceiling := min
	for i := 1; i < attempt && ceiling < max; i++ {
		ceiling *= 2
	}
	if ceiling > max || ceiling <= 0 {
		ceiling = max
	}
	floor := ceiling / 2
	if floor < min {
		floor = min
	}
	return floor + time.Duration(r*float64(ceiling-floor))
}

func timerSleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func pollWord(n int) string {
	if n == 1 {
		return "poll"
	}
	return "polls"
}
