package rpc

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetryQuotaStopsRetriesWhenExhausted(t *testing.T) {
	quota := NewRetryQuota(12) // two retries' worth
	c, mt := newTestClient(t, Settings{MaxAttempts: 5, Quota: quota})
	mt.RegisterResponder("POST", endpoint, jsonReply(503, `{"Code":"ServiceUnavailable","Message":"x"}`))
	err := c.Invoke(context.Background(), readOp, &testRequest{}, &testResponse{})
	require.Error(t, err)
	assert.Equal(t, 3, mt.GetTotalCallCount(), "1 try + 2 retries paid from the budget")
	assert.Equal(t, 2, quota.Available())

	// With the budget spent, the next failing call is not retried at all.
	mt.ZeroCallCounters()
	require.Error(t, c.Invoke(context.Background(), readOp, &testRequest{}, &testResponse{}))
	assert.Equal(t, 1, mt.GetTotalCallCount())

	// Successes refill it.
	mt.RegisterResponder("POST", endpoint, jsonReply(200, `{}`))
	for i := 0; i < 3; i++ {
		require.NoError(t, c.Invoke(context.Background(), readOp, &testRequest{}, &testResponse{}))
	}
	assert.Equal(t, 5, quota.Available())
}

func TestRetryQuotaIsSharedWithPerCallClients(t *testing.T) {
	c, _ := newTestClient(t, Settings{})
	derived := c.WithSettings(Settings{Region: "cn-hangzhou", Credentials: staticCreds})
	assert.Same(t, c.settings.Quota, derived.settings.Quota)
	assert.Same(t, c.skew, derived.skew)
}

func TestSuccessAfterRetryRefundsItsCost(t *testing.T) {
	quota := NewRetryQuota(100)
	c, mt := newTestClient(t, Settings{Quota: quota})
	calls := 0
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return jsonReply(400, `{"Code":"Throttling","Message":"x"}`)(r)
		}
		return jsonReply(200, `{}`)(r)
	})
	require.NoError(t, c.Invoke(context.Background(), readOp, &testRequest{}, &testResponse{}))
	assert.Equal(t, 100, quota.Available())
}

func TestClockSkewIsCorrectedOnceFromTheDateHeader(t *testing.T) {
	// Our clock is two hours behind the server's.
	serverNow := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	local := serverNow.Add(-2 * time.Hour)
	c, mt := newTestClient(t, Settings{Now: func() time.Time { return local }})
	var stamps []string
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		ts := r.URL.Query().Get("Timestamp")
		stamps = append(stamps, ts)
		parsed, _ := time.Parse("2006-01-02T15:04:05Z", ts)
		if serverNow.Sub(parsed).Abs() > 15*time.Minute {
			resp, _ := jsonReply(400, `{"Code":"InvalidTimeStamp.Expired","Message":"Specified time stamp or date value is expired."}`)(r)
			resp.Header.Set("Date", serverNow.Format(http.TimeFormat))
			return resp, nil
		}
		return jsonReply(200, `{}`)(r)
	})
	require.NoError(t, c.Invoke(context.Background(), writeOp, &testRequest{}, &testResponse{}))
	assert.Equal(t, []string{"2030-01-02T01:04:05Z", "2030-01-02T03:04:05Z"}, stamps)
	// Later calls use the learnt offset from the start.
	stamps = nil
	require.NoError(t, c.Invoke(context.Background(), writeOp, &testRequest{}, &testResponse{}))
	assert.Equal(t, []string{"2030-01-02T03:04:05Z"}, stamps)
}

func TestClockSkewWithoutDateHeaderIsNotRetried(t *testing.T) {
	c, mt := newTestClient(t, Settings{})
	mt.RegisterResponder("POST", endpoint, jsonReply(400, `{"Code":"InvalidTimeStamp.Expired","Message":"x"}`))
	err := c.Invoke(context.Background(), writeOp, &testRequest{}, &testResponse{})
	var se *ServiceError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestAccessDeniedDetailIsDecoded(t *testing.T) {
	for name, body := range map[string]string{
		"object":    `{"Code":"Forbidden.RAM","Message":"denied","RequestId":"R","AccessDeniedDetail":{"AuthAction":"resourcesharing:AcceptResourceShareInvitation","AuthPrincipalType":"SubUser","AuthPrincipalOwnerId":"1234","AuthPrincipalDisplayName":"dev","NoPermissionType":"ImplicitDeny","PolicyType":"AccountLevelIdentityBasedPolicy","EncodedDiagnosticMessage":"AQEAAAA="}}`,
		"camelCase": `{"code":"Forbidden.RAM","message":"denied","requestId":"R","accessDeniedDetail":{"authAction":"resourcesharing:AcceptResourceShareInvitation","authPrincipalType":"SubUser","authPrincipalOwnerId":"1234","authPrincipalDisplayName":"dev","noPermissionType":"ImplicitDeny","policyType":"AccountLevelIdentityBasedPolicy","encodedDiagnosticMessage":"AQEAAAA="}}`,
		"string":    `{"Code":"Forbidden.RAM","Message":"denied","RequestId":"R","AccessDeniedDetail":"{\"AuthAction\":\"resourcesharing:AcceptResourceShareInvitation\",\"AuthPrincipalType\":\"SubUser\",\"AuthPrincipalOwnerId\":\"1234\",\"AuthPrincipalDisplayName\":\"dev\",\"NoPermissionType\":\"ImplicitDeny\",\"PolicyType\":\"AccountLevelIdentityBasedPolicy\",\"EncodedDiagnosticMessage\":\"AQEAAAA=\"}"}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, mt := newTestClient(t, Settings{})
			mt.RegisterResponder("POST", endpoint, jsonReply(403, body))
			err := c.Invoke(context.Background(), writeOp, &testRequest{}, &testResponse{})
			var se *ServiceError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, "Forbidden.RAM", se.Code)
			assert.Equal(t, "R", se.RequestID)
			require.NotNil(t, se.AccessDenied)
			assert.Equal(t, AccessDenied{
				AuthAction: "resourcesharing:AcceptResourceShareInvitation", AuthPrincipalType: "SubUser",
				AuthPrincipalOwnerId: "1234", AuthPrincipalDisplayName: "dev", NoPermissionType: "ImplicitDeny",
				PolicyType: "AccountLevelIdentityBasedPolicy", EncodedDiagnosticMessage: "AQEAAAA=",
			}, *se.AccessDenied)
		})
	}
}

func TestBusyRepliesRetryOnlyReads(t *testing.T) {
	for _, tt := range []struct {
		op   *Operation
		want int
	}{{readOp, 3}, {writeOp, 1}} {
		c, mt := newTestClient(t, Settings{})
		mt.RegisterResponder("POST", endpoint, jsonReply(409, `{"Code":"ConcurrentCallNotSupported","Message":"busy"}`))
		require.Error(t, c.Invoke(context.Background(), tt.op, &testRequest{}, &testResponse{}))
		assert.Equal(t, tt.want, mt.GetTotalCallCount(), tt.op.Name)
	}
}

type recorder struct {
	mu         sync.Mutex
	attempts   []AttemptInfo
	operations []OperationInfo
}

func (r *recorder) OnAttempt(_ context.Context, a AttemptInfo) {
	r.mu.Lock()
	r.attempts = append(r.attempts, a)
	r.mu.Unlock()
}

func (r *recorder) OnOperation(_ context.Context, o OperationInfo) {
	r.mu.Lock()
	r.operations = append(r.operations, o)
	r.mu.Unlock()
}

func TestObserversSeeEveryAttemptAndOperation(t *testing.T) {
	rec := &recorder{}
	c, mt := newTestClient(t, Settings{Observers: []Observer{rec}})
	calls := 0
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			resp, _ := jsonReply(400, `{"Code":"Throttling","Message":"x","RequestId":"req-1"}`)(r)
			resp.Header.Set("x-acs-retry-after", "3")
			return resp, nil
		}
		resp, _ := jsonReply(200, `{"RequestId":"req-2"}`)(r)
		resp.Header.Set("x-acs-request-id", "req-2")
		return resp, nil
	})
	require.NoError(t, c.Invoke(context.Background(), readOp, &testRequest{}, &testResponse{}))
	require.Len(t, rec.attempts, 2)
	first, second := rec.attempts[0], rec.attempts[1]
	assert.Equal(t, AttemptInfo{Product: "ResourceSharing", Action: "ListThings", Attempt: 1, RequestID: "req-1",
		HTTPStatus: 400, Code: "Throttling", Latency: first.Latency, Retry: true, Backoff: 3 * time.Millisecond}, first)
	assert.Equal(t, 2, second.Attempt)
	assert.Equal(t, 200, second.HTTPStatus)
	assert.Equal(t, "req-2", second.RequestID)
	assert.False(t, second.Retry)
	require.Len(t, rec.operations, 1)
	op := rec.operations[0]
	assert.Equal(t, 2, op.Attempts)
	assert.Equal(t, 200, op.HTTPStatus)
	assert.NoError(t, op.Err)

	// A failing operation reports its code and error.
	rec.attempts, rec.operations = nil, nil
	mt.RegisterResponder("POST", endpoint, jsonReply(409, `{"Code":"InvitationStatus.Expired","Message":"x","RequestId":"req-3"}`))
	require.Error(t, c.Invoke(context.Background(), writeOp, &testRequest{}, &testResponse{}))
	require.Len(t, rec.operations, 1)
	assert.Equal(t, "InvitationStatus.Expired", rec.operations[0].Code)
	assert.Equal(t, "req-3", rec.operations[0].RequestID)
	assert.Error(t, rec.operations[0].Err)
	require.Len(t, rec.attempts, 1)
	assert.False(t, rec.attempts[0].Retry)
}

type fakeLimiter struct {
	mu       sync.Mutex
	waits    int
	observed []bool
	err      error
}

func (f *fakeLimiter) Wait(ctx context.Context, product, action string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waits++
	return f.err
}

func (f *fakeLimiter) Observe(product, action string, throttled bool) {
	f.mu.Lock()
	f.observed = append(f.observed, throttled)
	f.mu.Unlock()
}

func TestLimiterIsConsultedBeforeEveryAttempt(t *testing.T) {
	lim := &fakeLimiter{}
	c, mt := newTestClient(t, Settings{Limiter: lim})
	calls := 0
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return jsonReply(400, `{"Code":"LimitExceeded.Frequency","Message":"x"}`)(r)
		}
		return jsonReply(200, `{}`)(r)
	})
	require.NoError(t, c.Invoke(context.Background(), readOp, &testRequest{}, &testResponse{}))
	assert.Equal(t, 2, lim.waits)
	assert.Equal(t, []bool{true, false}, lim.observed)

	denied := errors.New("no slot")
	lim.err = denied
	mt.ZeroCallCounters()
	err := c.Invoke(context.Background(), readOp, &testRequest{}, &testResponse{})
	require.ErrorIs(t, err, denied)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

var _ = httpmock.NewMockTransport

// startObserver records the context each observer call gets.
type startObserver struct {
	mu       sync.Mutex
	attempts []any
	op       any
}

type spanKey struct{}

func (o *startObserver) OnOperationStart(ctx context.Context, product, action string) context.Context {
	return context.WithValue(ctx, spanKey{}, product+"/"+action)
}

func (o *startObserver) OnAttempt(ctx context.Context, _ AttemptInfo) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.attempts = append(o.attempts, ctx.Value(spanKey{}))
}

func (o *startObserver) OnOperation(ctx context.Context, _ OperationInfo) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.op = ctx.Value(spanKey{})
}

func TestStarterContextReachesEveryObserverCall(t *testing.T) {
	obs := &startObserver{}
	c, mt := newTestClient(t, Settings{Observers: []Observer{obs}})
	calls := 0
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return jsonReply(400, `{"Code":"Throttling","Message":"x"}`)(r)
		}
		return jsonReply(200, `{}`)(r)
	})
	require.NoError(t, c.Invoke(context.Background(), readOp, &testRequest{}, &testResponse{}))
	assert.Equal(t, []any{"ResourceSharing/ListThings", "ResourceSharing/ListThings"}, obs.attempts, "the retried attempt too")
	assert.Equal(t, "ResourceSharing/ListThings", obs.op)
}
