package resourcemanager_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	rm "github.com/resourcekit/alicloud/resourcemanager"
)

// wtServer answers every request from a script of replies (the last one
// repeats) and records what it was asked.
type wtServer struct {
	mu      sync.Mutex
	replies []wtReply
	calls   []url.Values
	onCall  func(n int) // called with the number of the request, from 1
}

type wtReply struct {
	status int
	body   string
}

func wtOK(body string) wtReply { return wtReply{200, body} }

func wtErr(status int, code string) wtReply {
	return wtReply{status, `{"RequestId":"r-err","Code":"` + code + `","Message":"scripted ` + code + `"}`}
}

func wtThrottled() wtReply { return wtErr(400, "LimitExceeded.Frequency") }

func (s *wtServer) respond(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.calls = append(s.calls, r.URL.Query())
	n := len(s.calls)
	rep := s.replies[min(n, len(s.replies))-1]
	hook := s.onCall
	s.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	resp := httpmock.NewStringResponse(rep.status, rep.body)
	resp.Header.Set("Content-Type", "application/json;charset=utf-8")
	return resp, nil
}

func (s *wtServer) requests() []url.Values {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.calls...)
}

// wtClient is a client whose every request goes to a scripted server. The
// client retries throttling up to 3 tries in all, with millisecond pauses.
func wtClient(t *testing.T, replies ...wtReply) (*rm.Client, *wtServer) {
	t.Helper()
	s := &wtServer{replies: replies}
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("POST", endpoint, s.respond)
	c := rm.New(alicloud.Config{
		Region:      "cn-hangzhou",
		Credentials: alicloud.NewStaticCredentials("test-id", testSecret, ""),
		HTTPClient:  &http.Client{Transport: mt},
		Retry:       alicloud.RetryOptions{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond},
	})
	return c, s
}

// accountFast makes the waiter pause 1 to 4 ms between polls.
func accountFast(o *rm.AccountCreatedWaiterOptions) {
	o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
}

func account(status string) wtReply {
	return wtOK(`{"RequestId":"r","Account":{"AccountId":"1234","DisplayName":"dev","Status":"` + status + `","Type":"CloudAccount"}}`)
}

func wtCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestAccountCreatedWaiterSucceedsAfterSeveralPolls(t *testing.T) {
	c, srv := wtClient(t,
		wtErr(404, "EntityNotExists.Account"), // not visible yet: retried by the waiter
		account("CreateVerifying"),
		account("CreateVerifying"),
		account("CreateSuccess"),
	)
	params := &rm.GetAccountRequest{AccountId: "1234"}
	w := rm.NewAccountCreatedWaiter(c, accountFast)
	out, err := w.WaitForOutput(wtCtx(t), params, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, rm.AccountStatusCreateSuccess, out.Account.Status)
	assert.Equal(t, "1234", out.Account.AccountId)
	calls := srv.requests()
	require.Len(t, calls, 4)
	for _, q := range calls {
		assert.Equal(t, "GetAccount", q.Get("Action"))
		assert.Equal(t, "1234", q.Get("AccountId"))
	}
	assert.Equal(t, &rm.GetAccountRequest{AccountId: "1234"}, params, "params are not modified")
}

func TestAccountCreatedWaiterFailureState(t *testing.T) {
	c, srv := wtClient(t, account("CreateVerifying"), account("CreateFailed"), account("CreateSuccess"))
	err := rm.NewAccountCreatedWaiter(c, accountFast).Wait(wtCtx(t), &rm.GetAccountRequest{AccountId: "1234"}, time.Minute)
	require.ErrorIs(t, err, rm.ErrWaiterFailed)
	require.ErrorIs(t, err, alicloud.ErrWaiterFailed, "one sentinel for every product")
	assert.NotErrorIs(t, err, rm.ErrWaiterTimeout)
	var fe *rm.WaiterFailedError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "AccountCreated", fe.Waiter)
	assert.Equal(t, "CreateFailed", fe.Status)
	assert.Equal(t, 2, fe.Attempts)
	out, ok := fe.Output.(*rm.GetAccountResponse)
	require.True(t, ok, "Output is the typed reply, got %T", fe.Output)
	assert.Equal(t, "1234", out.Account.AccountId)
	assert.Len(t, srv.requests(), 2, "no poll after the failure state")
}

func TestAccountCreatedWaiterTimesOut(t *testing.T) {
	c, srv := wtClient(t, account("CreateVerifying"))
	start := time.Now()
	err := rm.NewAccountCreatedWaiter(c, accountFast).Wait(wtCtx(t), &rm.GetAccountRequest{AccountId: "1234"}, 40*time.Millisecond)
	assert.Less(t, time.Since(start), time.Second)
	require.ErrorIs(t, err, rm.ErrWaiterTimeout)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, rm.ErrWaiterFailed)
	var te *rm.WaiterTimeoutError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "AccountCreated", te.Waiter)
	assert.Equal(t, "CreateVerifying", te.Status)
	assert.IsType(t, &rm.GetAccountResponse{}, te.Output)
	// The poll the deadline cuts off counts as made, whether or not it
	// reached the server before the deadline did.
	sent := len(srv.requests())
	assert.GreaterOrEqual(t, te.Attempts, sent)
	assert.LessOrEqual(t, te.Attempts, sent+1)
	assert.Greater(t, te.Attempts, 1)
}

func TestAccountCreatedWaiterStopsWhenTheContextIsCancelled(t *testing.T) {
	c, srv := wtClient(t, account("CreateVerifying"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv.onCall = func(n int) {
		if n == 3 {
			cancel()
		}
	}
	err := rm.NewAccountCreatedWaiter(c, accountFast).Wait(ctx, &rm.GetAccountRequest{AccountId: "1234"}, time.Minute)
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, rm.ErrWaiterTimeout)
	assert.NotErrorIs(t, err, rm.ErrWaiterFailed)
	assert.LessOrEqual(t, len(srv.requests()), 4)
}

func TestAccountCreatedWaiterAbsorbsThrottling(t *testing.T) {
	t.Run("retried by the client", func(t *testing.T) {
		c, srv := wtClient(t, account("CreateVerifying"), wtThrottled(), wtThrottled(), account("CreateSuccess"))
		err := rm.NewAccountCreatedWaiter(c, accountFast).Wait(wtCtx(t), &rm.GetAccountRequest{AccountId: "1234"}, time.Minute)
		require.NoError(t, err)
		assert.Len(t, srv.requests(), 4, "the second poll took three tries")
	})
	t.Run("outliving the client's retries", func(t *testing.T) {
		// One try per call: the throttled replies reach the waiter, which
		// polls again instead of failing.
		c, srv := wtClient(t, account("CreateVerifying"), wtThrottled(), wtThrottled(), wtThrottled(), account("CreateSuccess"))
		w := rm.NewAccountCreatedWaiter(c, accountFast, func(o *rm.AccountCreatedWaiterOptions) {
			o.ClientOptions = append(o.ClientOptions, rm.WithRetry(alicloud.RetryOptions{MaxAttempts: 1}))
		})
		out, err := w.WaitForOutput(wtCtx(t), &rm.GetAccountRequest{AccountId: "1234"}, time.Minute)
		require.NoError(t, err)
		assert.Equal(t, rm.AccountStatusCreateSuccess, out.Account.Status)
		assert.Len(t, srv.requests(), 5, "one request per poll")
	})
	t.Run("throttled until the deadline", func(t *testing.T) {
		c, _ := wtClient(t, wtThrottled())
		err := rm.NewAccountCreatedWaiter(c, accountFast).Wait(wtCtx(t), &rm.GetAccountRequest{AccountId: "1234"}, 50*time.Millisecond)
		require.ErrorIs(t, err, rm.ErrWaiterTimeout)
		var te *rm.WaiterTimeoutError
		require.ErrorAs(t, err, &te)
		assert.True(t, alicloud.IsThrottling(te.LastErr), "the timeout says why: %v", te.LastErr)
	})
}

func TestAccountCreatedWaiterEndsOnOtherErrors(t *testing.T) {
	c, srv := wtClient(t, account("CreateVerifying"), wtErr(400, "InvalidParameter.AccountId"))
	err := rm.NewAccountCreatedWaiter(c, accountFast).Wait(wtCtx(t), &rm.GetAccountRequest{AccountId: "1234"}, time.Minute)
	require.ErrorIs(t, err, rm.ErrInvalidParameterAccountId)
	var apiErr *alicloud.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "GetAccount", apiErr.Operation)
	assert.NotErrorIs(t, err, rm.ErrWaiterFailed)
	assert.Contains(t, err.Error(), "AccountCreated waiter")
	assert.Len(t, srv.requests(), 2)

	t.Run("invalid request", func(t *testing.T) {
		c, srv := wtClient(t, account("CreateSuccess"))
		err := rm.NewAccountCreatedWaiter(c, accountFast).Wait(wtCtx(t), nil, time.Minute)
		require.ErrorIs(t, err, alicloud.ErrInvalidInput)
		require.ErrorIs(t, err, rm.ErrMissingParameterAccountId)
		assert.Empty(t, srv.requests())
	})
	t.Run("maxWait not positive", func(t *testing.T) {
		c, srv := wtClient(t, account("CreateSuccess"))
		for _, d := range []time.Duration{0, -time.Second} {
			err := rm.NewAccountCreatedWaiter(c).Wait(wtCtx(t), &rm.GetAccountRequest{AccountId: "1234"}, d)
			require.ErrorIs(t, err, alicloud.ErrInvalidInput)
		}
		assert.Empty(t, srv.requests())
	})
	t.Run("delays out of order", func(t *testing.T) {
		c, srv := wtClient(t, account("CreateSuccess"))
		err := rm.NewAccountCreatedWaiter(c).Wait(wtCtx(t), &rm.GetAccountRequest{AccountId: "1234"}, time.Minute,
			func(o *rm.AccountCreatedWaiterOptions) { o.MaxDelay = time.Second }) // below the 5s default MinDelay
		require.ErrorIs(t, err, alicloud.ErrInvalidInput)
		assert.Empty(t, srv.requests())
	})
}

func TestWaiterOptionsPerCallAndRetryable(t *testing.T) {
	c, srv := wtClient(t, account("CreateVerifying"), account("PromoteVerifying"))
	w := rm.NewAccountCreatedWaiter(c) // defaults: 5s..60s pauses
	var pauses []time.Duration
	err := w.Wait(wtCtx(t), &rm.GetAccountRequest{AccountId: "1234"}, time.Hour, func(o *rm.AccountCreatedWaiterOptions) {
		o.Sleep = func(_ context.Context, d time.Duration) error { pauses = append(pauses, d); return nil }
		o.Retryable = func(_ context.Context, _ *rm.GetAccountRequest, resp *rm.GetAccountResponse, err error) (bool, error) {
			require.NoError(t, err)
			return resp.Account.Status == rm.AccountStatusCreateVerifying, nil
		}
	})
	require.NoError(t, err, "Retryable decides: PromoteVerifying ends the wait")
	assert.Len(t, srv.requests(), 2)
	require.Len(t, pauses, 1)
	assert.Equal(t, 5*time.Second, pauses[0], "the first pause is the default MinDelay")

	stop := errors.New("give up")
	err = w.Wait(wtCtx(t), &rm.GetAccountRequest{AccountId: "1234"}, time.Hour, func(o *rm.AccountCreatedWaiterOptions) {
		o.Retryable = func(context.Context, *rm.GetAccountRequest, *rm.GetAccountResponse, error) (bool, error) {
			return false, stop
		}
	})
	require.ErrorIs(t, err, stop)
}

// TestEveryResourceManagerWaiter drives each waiter through its documented
// states against the operation it polls.
func TestEveryResourceManagerWaiter(t *testing.T) {
	handshake := func(s string) wtReply {
		return wtOK(`{"RequestId":"r","Handshake":{"HandshakeId":"h-1","Status":"` + s + `"}}`)
	}
	group := func(s string) wtReply {
		return wtOK(`{"RequestId":"r","ResourceGroup":{"Id":"rg-1","Name":"g","Status":"` + s + `"}}`)
	}
	check := func(s string) wtReply {
		return wtOK(`{"RequestId":"r","AccountDeletionCheckResultInfo":{"AllowDelete":"true","Status":"` + s + `"}}`)
	}
	deletion := func(s string) wtReply {
		return wtOK(`{"RequestId":"r","RdAccountDeletionStatus":{"AccountId":"1234","Status":"` + s + `"}}`)
	}
	directory := wtOK(`{"RequestId":"r","ResourceDirectory":{"ResourceDirectoryId":"rd-1","RootFolderId":"r-1"}}`)

	type run func(context.Context, *rm.Client) (any, error)
	for _, tc := range []struct {
		name    string
		action  string
		param   [2]string
		replies []wtReply
		run     run
		failed  string // the failure state expected, "" for success
	}{
		{"AccountPromoted", "GetAccount", [2]string{"AccountId", "1234"},
			[]wtReply{account("PromoteVerifying"), account("PromoteSuccess")},
			func(ctx context.Context, c *rm.Client) (any, error) {
				return rm.NewAccountPromotedWaiter(c, func(o *rm.AccountPromotedWaiterOptions) {
					o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
				}).WaitForOutput(ctx, &rm.GetAccountRequest{AccountId: "1234"}, time.Minute)
			}, ""},
		{"AccountPromoted cancelled", "GetAccount", [2]string{"AccountId", "1234"},
			[]wtReply{account("PromoteVerifying"), account("PromoteCancelled")},
			func(ctx context.Context, c *rm.Client) (any, error) {
				return rm.NewAccountPromotedWaiter(c, func(o *rm.AccountPromotedWaiterOptions) {
					o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
				}).WaitForOutput(ctx, &rm.GetAccountRequest{AccountId: "1234"}, time.Minute)
			}, "PromoteCancelled"},
		{"HandshakeAccepted", "GetHandshake", [2]string{"HandshakeId", "h-1"},
			[]wtReply{wtErr(404, "EntityNotExists.Handshake"), handshake("Pending"), handshake("Accepted")},
			func(ctx context.Context, c *rm.Client) (any, error) {
				return rm.NewHandshakeAcceptedWaiter(c, func(o *rm.HandshakeAcceptedWaiterOptions) {
					o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
				}).WaitForOutput(ctx, &rm.GetHandshakeRequest{HandshakeId: "h-1"}, time.Minute)
			}, ""},
		{"HandshakeAccepted declined", "GetHandshake", [2]string{"HandshakeId", "h-1"},
			[]wtReply{handshake("Pending"), handshake("Declined")},
			func(ctx context.Context, c *rm.Client) (any, error) {
				return rm.NewHandshakeAcceptedWaiter(c, func(o *rm.HandshakeAcceptedWaiterOptions) {
					o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
				}).WaitForOutput(ctx, &rm.GetHandshakeRequest{HandshakeId: "h-1"}, time.Minute)
			}, "Declined"},
		{"ResourceGroupCreated", "GetResourceGroup", [2]string{"ResourceGroupId", "rg-1"},
			[]wtReply{wtErr(404, "EntityNotExists.ResourceGroup"), group("Creating"), group("OK")},
			func(ctx context.Context, c *rm.Client) (any, error) {
				return rm.NewResourceGroupCreatedWaiter(c, func(o *rm.ResourceGroupCreatedWaiterOptions) {
					o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
				}).WaitForOutput(ctx, &rm.GetResourceGroupRequest{ResourceGroupId: "rg-1"}, time.Minute)
			}, ""},
		{"ResourceGroupCreated being deleted", "GetResourceGroup", [2]string{"ResourceGroupId", "rg-1"},
			[]wtReply{group("PendingDelete")},
			func(ctx context.Context, c *rm.Client) (any, error) {
				return rm.NewResourceGroupCreatedWaiter(c, func(o *rm.ResourceGroupCreatedWaiterOptions) {
					o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
				}).WaitForOutput(ctx, &rm.GetResourceGroupRequest{ResourceGroupId: "rg-1"}, time.Minute)
			}, "PendingDelete"},
		{"AccountDeletionChecked", "GetAccountDeletionCheckResult", [2]string{"AccountId", "1234"},
			[]wtReply{wtErr(404, "EntityNotExists.CheckAccount"), check("PreChecking"), check("PreCheckComplete")},
			func(ctx context.Context, c *rm.Client) (any, error) {
				return rm.NewAccountDeletionCheckedWaiter(c, func(o *rm.AccountDeletionCheckedWaiterOptions) {
					o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
				}).WaitForOutput(ctx, &rm.GetAccountDeletionCheckResultRequest{AccountId: "1234"}, time.Minute)
			}, ""},
		{"AccountDeleted", "GetAccountDeletionStatus", [2]string{"AccountId", "1234"},
			[]wtReply{deletion("Checking"), deletion("Deleting"), deletion("Success")},
			func(ctx context.Context, c *rm.Client) (any, error) {
				return rm.NewAccountDeletedWaiter(c, func(o *rm.AccountDeletedWaiterOptions) {
					o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
				}).WaitForOutput(ctx, &rm.GetAccountDeletionStatusRequest{AccountId: "1234"}, time.Minute)
			}, ""},
		{"AccountDeleted check failed", "GetAccountDeletionStatus", [2]string{"AccountId", "1234"},
			[]wtReply{deletion("Checking"), deletion("CheckFailed")},
			func(ctx context.Context, c *rm.Client) (any, error) {
				return rm.NewAccountDeletedWaiter(c, func(o *rm.AccountDeletedWaiterOptions) {
					o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
				}).WaitForOutput(ctx, &rm.GetAccountDeletionStatusRequest{AccountId: "1234"}, time.Minute)
			}, "CheckFailed"},
		{"AccountDeleted delete failed", "GetAccountDeletionStatus", [2]string{"AccountId", "1234"},
			[]wtReply{deletion("Deleting"), deletion("DeleteFailed")},
			func(ctx context.Context, c *rm.Client) (any, error) {
				return rm.NewAccountDeletedWaiter(c, func(o *rm.AccountDeletedWaiterOptions) {
					o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
				}).WaitForOutput(ctx, &rm.GetAccountDeletionStatusRequest{AccountId: "1234"}, time.Minute)
			}, "DeleteFailed"},
		{"ResourceDirectoryEnabled", "GetResourceDirectory", [2]string{},
			[]wtReply{wtErr(404, "EntityNotExists.ResourceDirectory"), wtErr(404, "ResourceDirectoryNotInUse"), wtOK(`{"RequestId":"r","ResourceDirectory":{}}`), directory},
			func(ctx context.Context, c *rm.Client) (any, error) {
				return rm.NewResourceDirectoryEnabledWaiter(c, func(o *rm.ResourceDirectoryEnabledWaiterOptions) {
					o.MinDelay, o.MaxDelay = time.Millisecond, 4*time.Millisecond
				}).WaitForOutput(ctx, nil, time.Minute)
			}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv := wtClient(t, tc.replies...)
			out, err := tc.run(wtCtx(t), c)
			calls := srv.requests()
			for _, q := range calls {
				assert.Equal(t, tc.action, q.Get("Action"))
				if tc.param[0] != "" {
					assert.Equal(t, tc.param[1], q.Get(tc.param[0]))
				}
			}
			if tc.failed == "" {
				require.NoError(t, err)
				assert.NotNil(t, out)
				assert.Len(t, calls, len(tc.replies), "one poll per scripted reply")
				return
			}
			require.ErrorIs(t, err, rm.ErrWaiterFailed)
			var fe *rm.WaiterFailedError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tc.failed, fe.Status)
			assert.Equal(t, len(calls), fe.Attempts)
		})
	}
}

func TestWaiterIsSafeForConcurrentWaits(t *testing.T) {
	c, _ := wtClient(t, account("CreateVerifying"), account("CreateVerifying"), account("CreateSuccess"))
	w := rm.NewAccountCreatedWaiter(c, accountFast)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = w.Wait(wtCtx(t), &rm.GetAccountRequest{AccountId: "1234"}, time.Minute, func(o *rm.AccountCreatedWaiterOptions) {
				o.ClientOptions = append(o.ClientOptions, rm.WithUserAgent("wait"))
			})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
}
