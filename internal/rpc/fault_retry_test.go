package rpc_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/internal/rpc"
)

const stormReply = `{"Code":"LimitExceeded.Frequency","Message":"Request was denied due to frequency limit.","RequestId":"storm"}`

// TestFaultThrottleStormIsBoundedByTheRetryBudget: 64 goroutines share a
// client while the service throttles every request. Without the budget
// each of the 320 calls would make 10 attempts; with it the whole storm
// gets DefaultRetryQuota/RetryCost retries, after which calls fail at once.
func TestFaultThrottleStormIsBoundedByTheRetryBudget(t *testing.T) {
	baseline := runtime.NumGoroutine()
	var throttle atomic.Bool
	throttle.Store(true)
	srv := newHTTPFault(t, func(w http.ResponseWriter, r *http.Request) {
		if throttle.Load() {
			jsonHandler(400, stormReply)(w, r)
			return
		}
		jsonHandler(200, `{"RequestId":"ok"}`)(w, r)
	})
	tr := newFaultTransport()
	const goroutines, calls, maxAttempts = 64, 5, 10
	client := newFaultClient(srv.URL(), tr, maxAttempts)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	var wg sync.WaitGroup
	var attempts, unexpected atomic.Int64
	start := time.Now()
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				_, err := client.ListResourceShareInvitations(ctx, nil)
				var e *alicloud.APIError
				if errors.As(err, &e) && alicloud.IsThrottling(err) && e.Code == "LimitExceeded.Frequency" && e.HTTPStatus == 400 {
					attempts.Add(int64(e.Attempts))
				} else {
					unexpected.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	total := int32(goroutines * calls)
	retries := int32(rpc.DefaultRetryQuota / rpc.RetryCost)
	requests := srv.Requests()
	t.Logf("%d calls made %d attempts in %v (unbounded: %d)", total, requests, time.Since(start).Round(time.Millisecond), total*maxAttempts)
	assert.Zero(t, unexpected.Load(), "every call ends in the throttling APIError")
	assert.Equal(t, int64(requests), attempts.Load(), "APIError.Attempts adds up to what the server saw")
	assert.GreaterOrEqual(t, requests, total)
	assert.LessOrEqual(t, requests, total+retries, "the budget bounds the retries of the whole storm")

	// The bucket is empty: the next call is not retried at all.
	_, err := client.ListResourceShareInvitations(ctx, nil)
	assert.Equal(t, 1, asAPIError(t, err).Attempts)

	// Each success gives back a token; five of them pay for one retry.
	throttle.Store(false)
	for i := 0; i < rpc.RetryCost; i++ {
		_, err := client.ListResourceShareInvitations(ctx, nil)
		require.NoError(t, err)
	}
	throttle.Store(true)
	_, err = client.ListResourceShareInvitations(ctx, nil)
	assert.Equal(t, 2, asAPIError(t, err).Attempts)

	tr.CloseIdleConnections()
	requireConnsClosed(t, srv)
	srv.Close()
	requireNoGoroutineLeak(t, baseline)
}

// TestFaultRetryAfter: x-acs-retry-after (milliseconds) is honoured even
// above MaxBackoff, capped at 30s by default, and a wait longer than the
// caller's deadline ends with the deadline.
func TestFaultRetryAfter(t *testing.T) {
	throttleFirst := func(retryAfter string) http.HandlerFunc {
		var n atomic.Int32
		return func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				w.Header().Set("x-acs-retry-after", retryAfter)
				jsonHandler(400, `{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"t"}`)(w, r)
				return
			}
			jsonHandler(200, `{"RequestId":"ok"}`)(w, r)
		}
	}
	runFault(t, faultCase{name: "honoured above MaxBackoff", handler: throttleFirst("120"),
		check: func(t *testing.T, r faultResult) {
			require.NoError(t, r.err)
			assert.GreaterOrEqual(t, r.elapsed, 120*time.Millisecond)
			a := r.hooks.Attempts()
			require.Len(t, a, 2)
			assert.True(t, a[0].Retry)
			assert.Equal(t, 120*time.Millisecond, a[0].Backoff)
		}})
	runFault(t, faultCase{name: "a pause beyond the deadline ends the call at once", write: true, deadline: 300 * time.Millisecond, handler: throttleFirst("3600000"),
		check: func(t *testing.T, r faultResult) {
			// Sleeping into the deadline would only hide the service's
			// answer: the throttling reply is returned now.
			e := asAPIError(t, r.err)
			assert.Equal(t, "Throttling.User", e.Code)
			assert.Equal(t, 1, e.Attempts)
			assert.Less(t, r.elapsed, 200*time.Millisecond)
			a := r.hooks.Attempts()
			require.Len(t, a, 1)
			assert.False(t, a[0].Retry)
		}})
	runFault(t, faultCase{name: "garbage falls back to the backoff", handler: throttleFirst("soon"),
		check: func(t *testing.T, r faultResult) {
			require.NoError(t, r.err)
			a := r.hooks.Attempts()
			require.Len(t, a, 2)
			assert.LessOrEqual(t, a[0].Backoff, 4*time.Millisecond)
		}})
}

// TestFaultNoRetryOfWritesThatMayHaveArrived: a write is retried only when
// the request certainly did not reach the service; a read after any
// transient failure.
func TestFaultNoRetryOfWritesThatMayHaveArrived(t *testing.T) {
	cases := []struct {
		name      string
		refused   bool
		raw       func(c net.Conn, r *http.Request) bool
		transport func(*http.Transport)
		read      int
		write     int
	}{
		{name: "connection refused", refused: true, read: 3, write: 3},
		{name: "closed after reading the request", raw: func(c net.Conn, r *http.Request) bool { c.Close(); return false }, read: 3, write: 1},
		{name: "reset after reading the request", raw: func(c net.Conn, r *http.Request) bool { resetConn(c); return false }, read: 3, write: 1},
		{name: "no reply head within ResponseHeaderTimeout", raw: func(c net.Conn, r *http.Request) bool { return true },
			transport: func(tr *http.Transport) { tr.ResponseHeaderTimeout = 50 * time.Millisecond }, read: 3, write: 1},
		{name: "malformed status line", raw: func(c net.Conn, r *http.Request) bool {
			_, _ = io.WriteString(c, "HTTP/1.1 abc\r\n\r\n")
			c.Close()
			return false
		}, read: 3, write: 1},
	}
	for _, tt := range cases {
		for _, write := range []bool{false, true} {
			want := tt.read
			if write {
				want = tt.write
			}
			name := tt.name + map[bool]string{false: "/read", true: "/write"}[write]
			runFault(t, faultCase{name: name, write: write, refused: tt.refused, raw: tt.raw, transport: tt.transport,
				check: func(t *testing.T, r faultResult) {
					e := asOperationError(t, r.err)
					assert.Equal(t, want, e.Attempts)
					if !tt.refused {
						assert.Equal(t, int32(want), r.requests, "requests the server read")
					}
				}})
		}
	}
}
