package waiter

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
)

type req struct{ ID, Token string }

type resp struct {
	Status string
	Items  []string
	Next   string
}

// script answers polls from a list of replies; the last one repeats.
type script struct {
	replies []func() (*resp, error)
	polls   int
	seen    []req
}

func (s *script) poll(_ context.Context, r *req) (*resp, error) {
	s.seen = append(s.seen, *r)
	i := min(s.polls, len(s.replies)-1)
	s.polls++
	return s.replies[i]()
}

func status(st string) func() (*resp, error) {
	return func() (*resp, error) { return &resp{Status: st}, nil }
}

func fails(err error) func() (*resp, error) {
	return func() (*resp, error) { return nil, err }
}

var testRule = &Rule[string]{Success: []string{"Done"}, Failure: []string{"Broken"}}

func check(_ *req, r *resp, err error) (State, string, error) {
	if err != nil {
		return MatchError(err, "NotYet.Visible")
	}
	return MatchValue(testRule, r.Status)
}

// fakeClock is a clock that moves only when the waiter sleeps.
type fakeClock struct {
	t      time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Unix(1_700_000_000, 0)} }

func (c *fakeClock) now() time.Time { return c.t }

func (c *fakeClock) sleep(_ context.Context, d time.Duration) error {
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	return nil
}

func config(s *script, clk *fakeClock) Config[req, resp] {
	c := Config[req, resp]{Name: "Thing", MinDelay: time.Millisecond, MaxDelay: 8 * time.Millisecond,
		Poll: s.poll, Check: check}
	if clk != nil {
		c.now, c.Sleep, c.jitter = clk.now, clk.sleep, func() float64 { return 0.5 }
	}
	return c
}

func apiErr(code string) error {
	return &alicloud.APIError{Product: "Test", Operation: "GetThing", HTTPStatus: 400, Code: code, Message: "m"}
}

func TestWaitSucceedsAfterSeveralPolls(t *testing.T) {
	s := &script{replies: []func() (*resp, error){
		fails(apiErr("NotYet.Visible")), status("Creating"), fails(apiErr("Throttling.User")), status("Creating"), status("Done"),
	}}
	clk := newFakeClock()
	out, err := Wait(context.Background(), config(s, clk), &req{ID: "x"}, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, "Done", out.Status)
	assert.Equal(t, 5, s.polls)
	assert.Len(t, clk.sleeps, 4, "one pause between polls")
	for _, r := range s.seen {
		assert.Equal(t, req{ID: "x"}, r)
	}
}

func TestBackoffGrowsWithJitterWithinBounds(t *testing.T) {
	min, max := 2*time.Second, 30*time.Second
	for attempt := 1; attempt <= 40; attempt++ {
		for _, r := range []float64{0, 0.25, 0.5, 0.999} {
			d := backoff(attempt, min, max, r)
			assert.GreaterOrEqual(t, d, min, "attempt %d", attempt)
			assert.LessOrEqual(t, d, max, "attempt %d", attempt)
		}
	}
	assert.Equal(t, min, backoff(1, min, max, 0.9), "the first pause is MinDelay")
	assert.Equal(t, 2*time.Second, backoff(2, min, max, 0), "ceiling 4s: from 2s")
	assert.Equal(t, 3*time.Second, backoff(2, min, max, 0.5))
	assert.Equal(t, 4*time.Second, backoff(3, min, max, 0))
	assert.Equal(t, 15*time.Second, backoff(10, min, max, 0), "capped ceiling 30s: from 15s")
	assert.Equal(t, max, backoff(1000, min, max, 1))
	assert.Equal(t, time.Duration(1<<62), backoff(200, 1, 1<<62, 1), "no overflow")
}

func TestWaitFailureState(t *testing.T) {
	s := &script{replies: []func() (*resp, error){status("Creating"), status("Broken")}}
	out, err := Wait(context.Background(), config(s, newFakeClock()), &req{}, time.Minute)
	assert.Nil(t, out)
	require.ErrorIs(t, err, alicloud.ErrWaiterFailed)
	assert.NotErrorIs(t, err, alicloud.ErrWaiterTimeout)
	var fe *alicloud.WaiterFailedError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Thing", fe.Waiter)
	assert.Equal(t, "Broken", fe.Status)
	assert.Equal(t, 2, fe.Attempts)
	assert.Equal(t, &resp{Status: "Broken"}, fe.Output)
	assert.Equal(t, `Thing waiter: reached failure state "Broken" after 2 polls`, err.Error())
}

func TestWaitEndsOnAnErrorItDoesNotRetry(t *testing.T) {
	denied := apiErr("NoPermission")
	s := &script{replies: []func() (*resp, error){status("Creating"), fails(denied)}}
	_, err := Wait(context.Background(), config(s, newFakeClock()), &req{}, time.Minute)
	require.ErrorIs(t, err, denied)
	require.ErrorIs(t, err, alicloud.ErrorCode("NoPermission"))
	assert.NotErrorIs(t, err, alicloud.ErrWaiterFailed)
	assert.Contains(t, err.Error(), "Thing waiter: ")
	assert.Equal(t, 2, s.polls)
}

func TestWaitTimesOutWithoutSleepingPastTheDeadline(t *testing.T) {
	s := &script{replies: []func() (*resp, error){status("Creating")}}
	clk := newFakeClock()
	start := clk.t
	maxWait := 100 * time.Millisecond
	c := config(s, clk)
	c.MinDelay, c.MaxDelay = 7*time.Millisecond, 40*time.Millisecond
	_, err := Wait(context.Background(), c, &req{}, maxWait)
	require.ErrorIs(t, err, alicloud.ErrWaiterTimeout)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var te *alicloud.WaiterTimeoutError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "Creating", te.Status)
	assert.Equal(t, &resp{Status: "Creating"}, te.Output)
	assert.Equal(t, s.polls, te.Attempts)
	assert.Equal(t, maxWait, te.MaxWait)
	assert.LessOrEqual(t, clk.t.Sub(start), maxWait-c.MinDelay, "the last pause leaves MinDelay before the deadline")
	assert.Equal(t, clk.t.Sub(start), te.Elapsed, "the error reports the time really spent")
	assert.Contains(t, err.Error(), "timed out after "+te.Elapsed.String()+" (")
	assert.Contains(t, err.Error(), "maximum wait 100ms")
	for _, d := range clk.sleeps {
		assert.Positive(t, d)
		assert.LessOrEqual(t, d, c.MaxDelay)
	}
	assert.Greater(t, s.polls, 3)
}

func TestWaitTimeoutOnRealClockKeepsTheLastError(t *testing.T) {
	notYet := apiErr("NotYet.Visible")
	s := &script{replies: []func() (*resp, error){fails(notYet)}}
	c := config(s, nil)
	start := time.Now()
	_, err := Wait(context.Background(), c, &req{}, 30*time.Millisecond)
	assert.Less(t, time.Since(start), time.Second)
	require.ErrorIs(t, err, alicloud.ErrWaiterTimeout)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var te *alicloud.WaiterTimeoutError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, notYet, te.LastErr)
	assert.Nil(t, te.Output)
	assert.Contains(t, err.Error(), "NotYet.Visible")
	assert.NotErrorIs(t, err, alicloud.ErrorCode("NotYet.Visible"), "the timeout does not pose as the service error")
}

func TestWaitHonoursTheCallersContext(t *testing.T) {
	t.Run("cancelled before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		s := &script{replies: []func() (*resp, error){func() (*resp, error) { return nil, context.Canceled }}}
		_, err := Wait(ctx, config(s, nil), &req{}, time.Minute)
		require.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, alicloud.ErrWaiterTimeout)
	})
	t.Run("cancelled while sleeping", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		s := &script{replies: []func() (*resp, error){func() (*resp, error) { cancel(); return &resp{Status: "Creating"}, nil }}}
		c := config(s, nil)
		c.MinDelay, c.MaxDelay = time.Hour, time.Hour
		start := time.Now()
		_, err := Wait(ctx, c, &req{}, 3*time.Hour)
		assert.Less(t, time.Since(start), time.Second)
		require.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, alicloud.ErrWaiterTimeout)
		assert.Equal(t, 1, s.polls)
	})
	t.Run("caller's deadline is a timeout", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		s := &script{replies: []func() (*resp, error){status("Creating")}}
		_, err := Wait(ctx, config(s, nil), &req{}, time.Hour)
		require.ErrorIs(t, err, alicloud.ErrWaiterTimeout)
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

func TestWaitRejectsAnUnusableWait(t *testing.T) {
	s := &script{replies: []func() (*resp, error){status("Done")}}
	for name, tc := range map[string]struct {
		mutate  func(*Config[req, resp])
		maxWait time.Duration
	}{
		"zero maxWait":     {func(*Config[req, resp]) {}, 0},
		"negative maxWait": {func(*Config[req, resp]) {}, -time.Second},
		"zero MinDelay":    {func(c *Config[req, resp]) { c.MinDelay = 0 }, time.Second},
		"MaxDelay < Min":   {func(c *Config[req, resp]) { c.MaxDelay = c.MinDelay / 2 }, time.Second},
		"no rules":         {func(c *Config[req, resp]) { c.Check = nil }, time.Second},
	} {
		c := config(s, nil)
		tc.mutate(&c)
		_, err := Wait(context.Background(), c, &req{}, tc.maxWait)
		require.ErrorIs(t, err, ErrInvalidWait, name)
		require.ErrorIs(t, err, alicloud.ErrInvalidInput, name)
		assert.NotContains(t, err.Error(), "invalid", name+": the message says what is wrong once")
	}
	_, err := Wait(context.Background(), config(s, nil), &req{}, 0)
	assert.EqualError(t, err, "Thing waiter: maxWait must be positive, not 0s")
	assert.Zero(t, s.polls, "nothing is sent")
}

func TestRetryableReplacesTheRules(t *testing.T) {
	stop := errors.New("stop")
	s := &script{replies: []func() (*resp, error){status("Broken"), status("Done"), status("Other")}}
	c := config(s, newFakeClock())
	c.Retryable = func(_ context.Context, _ *req, r *resp, err error) (bool, error) {
		switch r.Status {
		case "Other":
			return false, nil
		case "Gone":
			return false, stop
		}
		return true, nil
	}
	out, err := Wait(context.Background(), c, &req{}, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, "Other", out.Status, "Broken and Done no longer decide")

	s = &script{replies: []func() (*resp, error){status("Gone")}}
	c.Poll = s.poll
	_, err = Wait(context.Background(), c, &req{}, time.Minute)
	require.ErrorIs(t, err, stop)
}

func TestMatchers(t *testing.T) {
	r := &Rule[string]{Success: []string{"OK"}, Failure: []string{"Bad"}, Ignore: []string{"Old"}, Empty: Success}
	for _, tc := range []struct {
		in     []string
		state  State
		status string
	}{
		{nil, Success, ""},
		{[]string{"Old"}, Success, ""},
		{[]string{"OK", "OK"}, Success, "OK"},
		{[]string{"OK", "Pending", "OK"}, Retry, "Pending"},
		{[]string{"Pending", "Bad", "OK"}, Failure, "Bad"},
		{[]string{"Old", "OK"}, Success, "OK"},
		{[]string{"OK", "New"}, Retry, "New"},
	} {
		state, status, err := MatchAll(r, tc.in)
		require.NoError(t, err)
		assert.Equal(t, tc.state, state, "%v", tc.in)
		assert.Equal(t, tc.status, status, "%v", tc.in)
	}
	r.Empty = Retry
	state, _, _ := MatchAll(r, nil)
	assert.Equal(t, Retry, state)

	for in, want := range map[string]State{"OK": Success, "Bad": Failure, "Pending": Retry, "": Retry, "Unheard": Retry} {
		state, status, err := MatchValue(r, in)
		require.NoError(t, err)
		assert.Equal(t, want, state, in)
		assert.Equal(t, in, status)
	}

	state, _, _ = MatchPresent("rd-1")
	assert.Equal(t, Success, state)
	state, _, _ = MatchPresent("")
	assert.Equal(t, Retry, state)

	for code, retry := range map[string]bool{
		"Throttling": true, "Throttling.User": true, "LimitExceeded.Frequency": true,
		"EntityNotExists.Thing": true, "EntityNotExists.Other": false, "InvalidParameter": false,
	} {
		e := apiErr(code)
		state, _, err := MatchError(e, "EntityNotExists.Thing")
		assert.Equal(t, Retry, state)
		if retry {
			assert.NoError(t, err, code)
		} else {
			assert.Equal(t, e, err, code)
		}
	}
	plain := errors.New("connection refused")
	_, _, err := MatchError(plain)
	assert.Equal(t, plain, err)
	assert.Equal(t, "failure", Failure.String())
}

func TestAllPagesReadsEveryPageOnCopies(t *testing.T) {
	pages := map[string]*resp{
		"":   {Items: []string{"a", "b"}, Next: "t1"},
		"t1": {Items: []string{"c"}, Next: "t2"},
		"t2": {Items: []string{"d"}},
	}
	var tokens []string
	call := func(_ context.Context, r *req) (*resp, error) {
		tokens = append(tokens, r.Token)
		p := *pages[r.Token]
		return &p, nil
	}
	setToken := func(r *req, tok string) { r.Token = tok }
	token := func(p *resp) string { return p.Next }
	merge := func(into, p *resp) { into.Items = append(into.Items, p.Items...); into.Next = p.Next }
	count := func(p *resp) int { return len(p.Items) }
	in := &req{ID: "x"}
	out, err := AllPages(context.Background(), in, call, setToken, token, count, merge)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c", "d"}, out.Items)
	assert.Empty(t, out.Next)
	assert.Equal(t, []string{"", "t1", "t2"}, tokens)
	assert.Equal(t, &req{ID: "x"}, in, "the request is not modified")

	pages["t2"].Next = "t1"
	_, err = AllPages(context.Background(), in, call, setToken, token, count, merge)
	require.ErrorIs(t, err, alicloud.ErrRepeatedToken)

	boom := errors.New("boom")
	_, err = AllPages(context.Background(), in, func(context.Context, *req) (*resp, error) { return nil, boom }, setToken, token, count, merge)
	require.ErrorIs(t, err, boom)
}

func TestAllPagesStopsOnEndlessEmptyPages(t *testing.T) {
	calls := 0
	call := func(_ context.Context, r *req) (*resp, error) {
		calls++
		if calls > 10*alicloud.MaxStalePages {
			return nil, errors.New("the poll did not stop")
		}
		return &resp{Next: fmt.Sprintf("t%d", calls)}, nil
	}
	_, err := AllPages(context.Background(), &req{}, call,
		func(r *req, tok string) { r.Token = tok }, func(p *resp) string { return p.Next },
		func(p *resp) int { return len(p.Items) }, func(into, p *resp) { into.Next = p.Next })
	require.ErrorIs(t, err, alicloud.ErrNoProgress)
	assert.LessOrEqual(t, calls, alicloud.MaxStalePages+1)
}
