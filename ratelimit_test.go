package alicloud_test

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/resourcemanager"
)

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newLimiter(t *testing.T, o alicloud.RateLimiterOptions) *alicloud.TokenBucketLimiter {
	t.Helper()
	l, err := alicloud.NewRateLimiter(o)
	require.NoError(t, err)
	return l
}

func TestRateLimiterTinyRateStillLimits(t *testing.T) {
	for _, perSecond := range []float64{1e-12, 1e-300, math.SmallestNonzeroFloat64} {
		l := newLimiter(t, alicloud.RateLimiterOptions{Default: alicloud.Rate{PerSecond: perSecond, Burst: 1}})
		require.NoError(t, l.Wait(context.Background(), "P", "A"), "the burst lets the first call through")
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := l.Wait(ctx, "P", "A")
		cancel()
		require.ErrorIs(t, err, alicloud.ErrRateLimited, "rate %g: the pause must not overflow into no pause", perSecond)
		assert.Equal(t, alicloud.MinRatePerSecond, l.CurrentRate("P", "A"), "a rate below the minimum is raised to it")
	}
}

func TestRateLimiterOptionsValidate(t *testing.T) {
	for name, o := range map[string]alicloud.RateLimiterOptions{
		"NaN default":          {Default: alicloud.Rate{PerSecond: math.NaN()}},
		"infinite overall":     {Overall: alicloud.Rate{PerSecond: math.Inf(1)}},
		"negative per action":  {PerAction: map[string]alicloud.Rate{"A": {PerSecond: -1}}},
		"negative burst":       {Default: alicloud.Rate{PerSecond: 1, Burst: -1}},
		"MinFraction above 1":  {MinFraction: 1.5},
		"negative RecoverStep": {RecoverStep: -0.1},
	} {
		l, err := alicloud.NewRateLimiter(o)
		require.ErrorIs(t, err, alicloud.ErrInvalidInput, name)
		assert.Nil(t, l, name)
	}
	_, err := alicloud.NewRateLimiter(alicloud.RateLimiterOptions{})
	require.NoError(t, err, "the zero options are no limit at all")
}

func TestRateLimiterDeadlineFailsFastAndClassified(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	l := newLimiter(t, alicloud.RateLimiterOptions{Default: alicloud.Rate{PerSecond: 1, Burst: 1}, Now: clock.Now})
	require.NoError(t, l.Wait(context.Background(), "ResourceManager", "ListAccounts"))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := l.Wait(ctx, "ResourceManager", "ListAccounts")
	require.ErrorIs(t, err, alicloud.ErrRateLimited)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 50*time.Millisecond, "no hang: the limiter knows the slot is too late")
	// The refused slot was given back: after one second exactly one call fits.
	clock.Add(time.Second)
	require.NoError(t, l.Wait(context.Background(), "ResourceManager", "ListAccounts"))
}

func TestRateLimiterPerActionAndOverall(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	l := newLimiter(t, alicloud.RateLimiterOptions{
		Default:   alicloud.Rate{PerSecond: 100, Burst: 100},
		PerAction: map[string]alicloud.Rate{"ResourceManager.CreateFolder": {PerSecond: 1, Burst: 2}},
		Overall:   alicloud.Rate{PerSecond: 1000, Burst: 3},
		Now:       clock.Now,
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	require.NoError(t, l.Wait(ctx, "ResourceManager", "CreateFolder"))
	require.NoError(t, l.Wait(ctx, "ResourceManager", "CreateFolder"))
	require.ErrorIs(t, l.Wait(ctx, "ResourceManager", "CreateFolder"), alicloud.ErrRateLimited, "the action's burst of 2 is spent")
	require.NoError(t, l.Wait(ctx, "ResourceManager", "ListAccounts"), "other actions have their own bucket")
	require.ErrorIs(t, l.Wait(ctx, "ResourceSharing", "ListResourceShares"), alicloud.ErrRateLimited, "the overall burst of 3 is spent")
}

func TestRateLimiterAdaptsToThrottling(t *testing.T) {
	clock := &fakeClock{now: time.Unix(0, 0)}
	l := newLimiter(t, alicloud.RateLimiterOptions{PerAction: map[string]alicloud.Rate{"A": {PerSecond: 20, Burst: 5}}, Now: clock.Now})
	assert.Equal(t, 20.0, l.CurrentRate("P", "A"))
	l.Observe("P", "A", true)
	assert.Equal(t, 10.0, l.CurrentRate("P", "A"))
	for i := 0; i < 10; i++ {
		l.Observe("P", "A", true)
	}
	assert.Equal(t, 2.0, l.CurrentRate("P", "A"), "never below MinFraction of the configured rate")
	for i := 0; i < 100; i++ {
		l.Observe("P", "A", false)
	}
	assert.Equal(t, 20.0, l.CurrentRate("P", "A"), "recovers on success, up to the configured rate")
	assert.Equal(t, 0.0, l.CurrentRate("P", "Unlimited"), "no rate for an action without one")
}

// throttlingServer answers ListAccounts and throttles calls above
// perSecond (a token bucket with a burst of a tenth of a second's worth).
func throttlingServer(t *testing.T, perSecond int) (*httptest.Server, *atomic.Int64, *atomic.Int64) {
	var ok, throttled atomic.Int64
	var mu sync.Mutex
	burst := float64(perSecond) / 10
	tokens, last := burst, time.Now()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		now := time.Now()
		tokens = min(burst, tokens+now.Sub(last).Seconds()*float64(perSecond))
		last = now
		over := tokens < 1
		if !over {
			tokens--
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if over {
			throttled.Add(1)
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"t"}`))
			return
		}
		ok.Add(1)
		_, _ = w.Write([]byte(`{"RequestId":"ok","TotalCount":0,"Accounts":{"Account":[]}}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &ok, &throttled
}

func hammer(t *testing.T, cfg alicloud.Config, goroutines, calls int) {
	t.Helper()
	rm := resourcemanager.New(cfg)
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				_, _ = rm.ListAccounts(context.Background(), nil)
			}
		}()
	}
	wg.Wait()
}

func TestRateLimiterKeepsAThrottlingServerQuiet(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	const rate = 200 // calls per second the server allows
	base := alicloud.Config{
		Credentials: alicloud.NewStaticCredentials("id", "secret", ""),
		Retry:       alicloud.RetryOptions{MaxAttempts: 1},
	}

	srv, _, throttledWithout := throttlingServer(t, rate)
	without := base
	without.Endpoint = srv.URL
	hammer(t, without, 16, 20)

	srv2, okWith, throttledWith := throttlingServer(t, rate)
	with := base
	with.Endpoint = srv2.URL
	with.RateLimit = newLimiter(t, alicloud.RateLimiterOptions{Default: alicloud.Rate{PerSecond: rate * 0.7, Burst: 2}})
	start := time.Now()
	hammer(t, with, 16, 20)
	elapsed := time.Since(start)

	t.Logf("throttled without limiter: %d, with: %d; %d calls in %v", throttledWithout.Load(), throttledWith.Load(), okWith.Load(), elapsed)
	assert.Greater(t, throttledWithout.Load(), int64(50), "the burst is throttled without a limiter")
	assert.LessOrEqual(t, throttledWith.Load(), int64(16), "with the limiter throttling drops to near zero (5% of 320 calls)")
	throughput := float64(okWith.Load()) / elapsed.Seconds()
	assert.Greater(t, throughput, rate*0.4, "throughput stays close to the allowed rate")
}
