package alicloud

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Defaults of CredentialsRefreshOptions.
const (
	// DefaultCredentialsExpiryWindow is how long before their expiry cached
	// temporary credentials are replaced.
	DefaultCredentialsExpiryWindow = 5 * time.Minute
	// DefaultCredentialsRetryDelay is the pause after a failed refresh while
	// the cached credentials are still valid.
	DefaultCredentialsRetryDelay = 10 * time.Second
	// DefaultCredentialsRefreshTimeout bounds one refresh.
	DefaultCredentialsRefreshTimeout = time.Minute
)

// CredentialsRefreshOptions control how temporary credentials are cached and
// refreshed. The zero value selects the defaults.
type CredentialsRefreshOptions struct {
	// ExpiryWindow is how long before expiry the credentials are replaced.
	// Zero means DefaultCredentialsExpiryWindow. Credentials that live less
	// than twice the window are replaced halfway through their life.
	ExpiryWindow time.Duration

	// RetryDelay is how long to wait after a failed refresh before trying
	// again, while the cached credentials have not expired yet (they keep
	// being served meanwhile). Zero means DefaultCredentialsRetryDelay.
	RetryDelay time.Duration

	// Timeout bounds one refresh. A refresh is not cancelled by the caller
	// that happened to start it, since other callers wait for it too; each
	// caller still returns when its own context ends. Zero means
	// DefaultCredentialsRefreshTimeout.
	Timeout time.Duration

	// Now replaces time.Now, for tests.
	Now func() time.Time
}

func (o CredentialsRefreshOptions) withDefaults() CredentialsRefreshOptions {
	if o.ExpiryWindow <= 0 {
		o.ExpiryWindow = DefaultCredentialsExpiryWindow
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = DefaultCredentialsRetryDelay
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultCredentialsRefreshTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// CredentialsProviderFunc adapts a function to CredentialsProvider.
type CredentialsProviderFunc func(ctx context.Context) (Credentials, error)

// Retrieve calls f.
func (f CredentialsProviderFunc) Retrieve(ctx context.Context) (Credentials, error) { return f(ctx) }

// CredentialsCache wraps a provider of temporary credentials. It returns the
// cached credentials until they come within the expiry window, then fetches
// new ones, one fetch at a time however many goroutines ask: while a
// refresh runs, callers get the cached credentials if they are still valid
// and otherwise wait for its result. A failed refresh is reported only when
// no valid credentials remain. Credentials without an expiry are cached for
// good. The providers of temporary credentials in this package use it
// already; wrap your own providers with it. It is safe for concurrent use.
type CredentialsCache struct {
	provider CredentialsProvider
	opts     CredentialsRefreshOptions

	mu        sync.Mutex
	creds     Credentials
	have      bool
	refreshAt time.Time // zero: never
	retryAt   time.Time
	// expiredErr is the error of a refresh that got expired credentials,
	// served until retryAt instead of fetching again.
	expiredErr error
	flight     *credFlight
}

// credFlight is one refresh in progress.
type credFlight struct {
	done  chan struct{}
	creds Credentials
	err   error
}

// NewCredentialsCache returns a cache in front of provider.
func NewCredentialsCache(provider CredentialsProvider, opts CredentialsRefreshOptions) *CredentialsCache {
	return &CredentialsCache{provider: provider, opts: opts.withDefaults()}
}

// Retrieve returns cached credentials, refreshing them when they are due.
func (c *CredentialsCache) Retrieve(ctx context.Context) (Credentials, error) {
	c.mu.Lock()
	now := c.opts.Now()
	if c.have && (c.refreshAt.IsZero() || now.Before(c.refreshAt)) {
		creds := c.creds
		c.mu.Unlock()
		return creds, nil
	}
	valid := c.have && !c.creds.Expired(now)
	if !valid && c.expiredErr != nil && c.flight == nil && now.Before(c.retryAt) {
		// The provider handed out expired credentials a moment ago; asking
		// again at once would turn every call into a fetch.
		err := c.expiredErr
		c.mu.Unlock()
		return Credentials{}, err
	}
	if valid && (c.flight != nil || now.Before(c.retryAt)) {
		// Someone is refreshing already, or the last refresh failed a
		// moment ago: the cached credentials still work.
		creds := c.creds
		c.mu.Unlock()
		return creds, nil
	}
	f := c.flight
	if f == nil {
		f = c.startLocked(ctx)
	}
	c.mu.Unlock()

	select {
	case <-f.done:
	case <-ctx.Done():
		return Credentials{}, ctx.Err()
	}
	if f.err == nil {
		return f.creds, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.have && !c.creds.Expired(c.opts.Now()) {
		return c.creds, nil
	}
	return Credentials{}, f.err
}

// startLocked launches a refresh. It runs detached from the caller's
// cancellation (others may be waiting for it) but keeps its values, and is
// bounded by the refresh timeout.
func (c *CredentialsCache) startLocked(ctx context.Context) *credFlight {
	f := &credFlight{done: make(chan struct{})}
	c.flight = f
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.opts.Timeout)
	go func() {
		defer cancel()
		creds, err := c.provider.Retrieve(fctx)
		if err == nil && !creds.HasKeys() {
			err = errors.New("credentials provider returned an empty access key")
		}
		c.mu.Lock()
		now := c.opts.Now()
		c.expiredErr = nil
		if err == nil && creds.Expired(now) {
			// Credentials expired on arrival sign nothing.
			err = fmt.Errorf("credentials provider %s returned credentials that expired at %s",
				credProviderName(c.provider), creds.Expires.UTC().Format(time.RFC3339))
			c.expiredErr = err
		}
		if err == nil {
			c.creds, c.have = creds, true
			c.refreshAt = credRefreshTime(now, creds.Expires, c.opts.ExpiryWindow)
			c.retryAt = time.Time{}
		} else {
			c.retryAt = now.Add(c.opts.RetryDelay)
		}
		c.flight = nil
		f.creds, f.err = creds, err
		c.mu.Unlock()
		close(f.done)
	}()
	return f
}

// credRefreshTime is when credentials fetched at now and expiring at expires
// become due: window before expiry, or halfway through a short life.
func credRefreshTime(now, expires time.Time, window time.Duration) time.Time {
	if expires.IsZero() {
		return time.Time{}
	}
	life := expires.Sub(now)
	if life < 2*window {
		return now.Add(life / 2)
	}
	return expires.Add(-window)
}

// Invalidate drops the cached credentials, so the next Retrieve fetches new
// ones (for example after the service rejected the security token).
func (c *CredentialsCache) Invalidate() {
	c.mu.Lock()
	c.creds, c.have = Credentials{}, false
	c.refreshAt, c.retryAt = time.Time{}, time.Time{}
	c.mu.Unlock()
}

// ProviderName names the wrapped provider.
func (c *CredentialsCache) ProviderName() string { return credProviderName(c.provider) }

// String describes the cache without the credentials.
func (c *CredentialsCache) String() string {
	return "CredentialsCache{" + credProviderName(c.provider) + "}"
}

// GoString keeps %#v from printing the cached secret.
func (c *CredentialsCache) GoString() string { return c.String() }

// Format routes every fmt verb through String.
func (c *CredentialsCache) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }
