package alicloud

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ctCountingProvider issues credentials living `life` from the clock's now,
// or fails while failing is set.
type ctCountingProvider struct {
	clock   *ctClock
	life    time.Duration
	calls   atomic.Int32
	failing atomic.Bool
	gate    chan struct{} // when set, each fetch waits for it
}

func (p *ctCountingProvider) Retrieve(ctx context.Context) (Credentials, error) {
	n := p.calls.Add(1)
	if p.gate != nil {
		select {
		case <-p.gate:
		case <-ctx.Done():
			return Credentials{}, ctx.Err()
		}
	}
	if p.failing.Load() {
		return Credentials{}, errors.New("refresh failed")
	}
	c := Credentials{AccessKeyID: fmt.Sprintf("id-%d", n), AccessKeySecret: "secret-" + ctMarker, SecurityToken: "tok-" + ctMarker}
	if p.life > 0 {
		c.Expires = p.clock.Now().Add(p.life)
	}
	return c, nil
}

func TestCredentialsCacheRefreshTiming(t *testing.T) {
	tests := []struct {
		name        string
		life        time.Duration
		window      time.Duration
		stillCached time.Duration // advance after the first fetch: no refresh yet
		due         time.Duration // further advance: refresh
	}{
		{"one hour, default window", time.Hour, 0, 54*time.Minute + 59*time.Second, time.Second},
		{"one hour, 10 minute window", time.Hour, 10 * time.Minute, 49 * time.Minute, time.Minute},
		{"15 minutes, default window", 15 * time.Minute, 0, 9 * time.Minute, time.Minute},
		{"shorter than twice the window: half life", 4 * time.Minute, 0, 119 * time.Second, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newCTClock()
			p := &ctCountingProvider{clock: clock, life: tt.life}
			c := NewCredentialsCache(p, CredentialsRefreshOptions{ExpiryWindow: tt.window, Now: clock.Now})
			ctx := context.Background()

			first, err := c.Retrieve(ctx)
			require.NoError(t, err)
			assert.Equal(t, "id-1", first.AccessKeyID)

			clock.Advance(tt.stillCached)
			got, err := c.Retrieve(ctx)
			require.NoError(t, err)
			assert.Equal(t, "id-1", got.AccessKeyID)
			assert.EqualValues(t, 1, p.calls.Load())

			clock.Advance(tt.due)
			got, err = c.Retrieve(ctx)
			require.NoError(t, err)
			assert.Equal(t, "id-2", got.AccessKeyID)
			assert.EqualValues(t, 2, p.calls.Load())
		})
	}
}

func TestCredentialsCacheLongLivedFetchedOnce(t *testing.T) {
	clock := newCTClock()
	p := &ctCountingProvider{clock: clock} // no expiry
	c := NewCredentialsCache(p, CredentialsRefreshOptions{Now: clock.Now})
	for range 5 {
		_, err := c.Retrieve(context.Background())
		require.NoError(t, err)
		clock.Advance(24 * time.Hour)
	}
	assert.EqualValues(t, 1, p.calls.Load())
}

func TestCredentialsCacheFailedRefreshServesValidCredentials(t *testing.T) {
	clock := newCTClock()
	p := &ctCountingProvider{clock: clock, life: time.Hour}
	c := NewCredentialsCache(p, CredentialsRefreshOptions{Now: clock.Now, RetryDelay: 30 * time.Second})
	ctx := context.Background()
	_, err := c.Retrieve(ctx)
	require.NoError(t, err)

	p.failing.Store(true)
	clock.Advance(56 * time.Minute) // in the window, 4 minutes left
	got, err := c.Retrieve(ctx)
	require.NoError(t, err, "a failed refresh must not fail while the credentials are valid")
	assert.Equal(t, "id-1", got.AccessKeyID)
	assert.EqualValues(t, 2, p.calls.Load())

	// Within the retry delay the cache does not ask again.
	clock.Advance(10 * time.Second)
	_, err = c.Retrieve(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, 2, p.calls.Load())

	// After it, it tries again (and still serves the valid credentials).
	clock.Advance(25 * time.Second)
	got, err = c.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, "id-1", got.AccessKeyID)
	assert.EqualValues(t, 3, p.calls.Load())

	// Once expired, the failure is reported.
	clock.Advance(5 * time.Minute)
	_, err = c.Retrieve(ctx)
	require.EqualError(t, err, "refresh failed")

	// And the next success replaces them.
	p.failing.Store(false)
	got, err = c.Retrieve(ctx)
	require.NoError(t, err)
	assert.Equal(t, "id-5", got.AccessKeyID)
}

func TestCredentialsCacheConcurrentRefreshIsSingleFlight(t *testing.T) {
	clock := newCTClock()
	gate := make(chan struct{})
	p := &ctCountingProvider{clock: clock, life: time.Hour, gate: gate}
	c := NewCredentialsCache(p, CredentialsRefreshOptions{Now: clock.Now})

	const n = 100
	var wg sync.WaitGroup
	results := make(chan Credentials, n)
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			creds, err := c.Retrieve(context.Background())
			if err != nil {
				errs <- err
				return
			}
			results <- creds
		}()
	}
	// Let the goroutines pile up on the single fetch, then release it.
	require.Eventually(t, func() bool { return p.calls.Load() == 1 }, 2*time.Second, time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	close(gate)
	wg.Wait()
	close(results)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	count := 0
	for creds := range results {
		count++
		assert.Equal(t, "id-1", creds.AccessKeyID)
	}
	assert.Equal(t, n, count)
	assert.EqualValues(t, 1, p.calls.Load(), "100 callers on an empty cache must cause one fetch")
}

func TestCredentialsCacheConcurrentExpiredRefresh(t *testing.T) {
	clock := newCTClock()
	p := &ctCountingProvider{clock: clock, life: time.Hour}
	c := NewCredentialsCache(p, CredentialsRefreshOptions{Now: clock.Now})
	_, err := c.Retrieve(context.Background())
	require.NoError(t, err)

	gate := make(chan struct{})
	p.gate = gate
	clock.Advance(2 * time.Hour) // expired: every caller must wait for the refresh
	var wg sync.WaitGroup
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			creds, err := c.Retrieve(context.Background())
			assert.NoError(t, err)
			assert.Equal(t, "id-2", creds.AccessKeyID)
		}()
	}
	require.Eventually(t, func() bool { return p.calls.Load() == 2 }, 2*time.Second, time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	close(gate)
	wg.Wait()
	assert.EqualValues(t, 2, p.calls.Load())
}

func TestCredentialsCacheCallerContextEnds(t *testing.T) {
	clock := newCTClock()
	gate := make(chan struct{})
	p := &ctCountingProvider{clock: clock, life: time.Hour, gate: gate}
	c := NewCredentialsCache(p, CredentialsRefreshOptions{Now: clock.Now})

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Retrieve(ctx)
		done <- err
	}()
	require.Eventually(t, func() bool { return p.calls.Load() == 1 }, 2*time.Second, time.Millisecond)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)

	// The fetch was not cancelled with its first caller: it completes and
	// serves the next one.
	close(gate)
	creds, err := c.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "id-1", creds.AccessKeyID)
	assert.EqualValues(t, 1, p.calls.Load())
}

func TestCredentialsCacheRefreshTimeout(t *testing.T) {
	p := CredentialsProviderFunc(func(ctx context.Context) (Credentials, error) {
		<-ctx.Done()
		return Credentials{}, ctx.Err()
	})
	c := NewCredentialsCache(p, CredentialsRefreshOptions{Timeout: 20 * time.Millisecond})
	_, err := c.Retrieve(context.Background())
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestCredentialsCacheInvalidateAndEmptyKeys(t *testing.T) {
	clock := newCTClock()
	p := &ctCountingProvider{clock: clock, life: time.Hour}
	c := NewCredentialsCache(p, CredentialsRefreshOptions{Now: clock.Now})
	_, err := c.Retrieve(context.Background())
	require.NoError(t, err)
	c.Invalidate()
	creds, err := c.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "id-2", creds.AccessKeyID)

	empty := NewCredentialsCache(CredentialsProviderFunc(func(context.Context) (Credentials, error) {
		return Credentials{AccessKeyID: "id"}, nil
	}), CredentialsRefreshOptions{})
	_, err = empty.Retrieve(context.Background())
	require.ErrorContains(t, err, "empty access key")

	for _, s := range ctFormats(c) {
		assert.NotContains(t, s, ctMarker)
		assert.Contains(t, s, "CredentialsCache")
	}
}
