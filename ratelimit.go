package alicloud

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"
)

// RateLimiter is consulted before every attempt of every call of the clients
// it is given to (Config.RateLimit). One limiter may be shared by clients of
// both products and any number of goroutines, typically one per account.
type RateLimiter interface {
	// Wait blocks until product's action may be called. It fails at once,
	// with an error matching ErrRateLimited and context.DeadlineExceeded,
	// when the context's deadline comes before the next free slot.
	Wait(ctx context.Context, product, action string) error
	// Observe tells the limiter how an attempt ended, so that it can slow an
	// action down when the service throttles it anyway.
	Observe(product, action string, throttled bool)
}

// ErrRateLimited is returned (wrapped) when a call could not get through the
// client-side rate limiter before its deadline.
var ErrRateLimited = errors.New("client-side rate limit: no slot before the deadline")

// Rate is a token bucket's refill rate (calls per second) and burst.
// A zero PerSecond means no limit. A positive PerSecond below
// MinRatePerSecond is raised to it: slower rates would make the computed
// pause overflow. A Burst below 1 counts as 1.
type Rate struct {
	PerSecond float64
	Burst     int
}

// RateLimiterOptions configure NewRateLimiter.
type RateLimiterOptions struct {
	// Default applies to every action without an entry in PerAction.
	Default Rate
	// PerAction overrides Default, keyed by action ("ListAccounts") or by
	// product and action ("ResourceManager.ListAccounts").
	PerAction map[string]Rate
	// Overall bounds all actions together.
	Overall Rate
	// MinFraction is the lowest share of an action's configured rate that
	// throttling can push it down to (default 0.1).
	MinFraction float64
	// RecoverStep is the share of the configured rate regained per
	// successful call after a slow-down (default 0.05).
	RecoverStep float64
	// Now replaces time.Now (tests).
	Now func() time.Time
}

// TokenBucketLimiter is the SDK's RateLimiter: a token bucket per action
// and one overall, with adaptive slow-down. When the service throttles an
// action the limiter halves that action's rate (not below MinFraction of the
// configured rate) and wins it back gradually on success. Actions without
// a configured rate are limited by the overall bucket only.
type TokenBucketLimiter struct {
	opts    RateLimiterOptions
	mu      sync.Mutex
	overall *bucket
	actions map[string]*bucket
}

// MinRatePerSecond is the slowest rate a limiter keeps: one call a day.
const MinRatePerSecond = 1.0 / (24 * 60 * 60)

// maxPause bounds any computed pause, far below time.Duration's overflow.
const maxPause = 100 * 365 * 24 * time.Hour

// Validate reports the first option that cannot describe a limit: a rate
// that is negative, NaN or infinite, a negative burst, or fractions outside
// their ranges. The error matches ErrInvalidInput.
func (o RateLimiterOptions) Validate() error {
	check := func(name string, r Rate) error {
		if math.IsNaN(r.PerSecond) || math.IsInf(r.PerSecond, 0) || r.PerSecond < 0 {
			return fmt.Errorf("rate limiter: %s.PerSecond must be 0 (no limit) or a positive finite number, not %v: %w", name, r.PerSecond, ErrInvalidInput)
		}
		if r.Burst < 0 {
			return fmt.Errorf("rate limiter: %s.Burst must not be negative, not %d: %w", name, r.Burst, ErrInvalidInput)
		}
		return nil
	}
	if err := check("Default", o.Default); err != nil {
		return err
	}
	if err := check("Overall", o.Overall); err != nil {
		return err
	}
	keys := make([]string, 0, len(o.PerAction))
	for k := range o.PerAction {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := check("PerAction["+strconv.Quote(k)+"]", o.PerAction[k]); err != nil {
			return err
		}
	}
	if math.IsNaN(o.MinFraction) || o.MinFraction < 0 || o.MinFraction > 1 {
		return fmt.Errorf("rate limiter: MinFraction must be between 0 and 1, not %v: %w", o.MinFraction, ErrInvalidInput)
	}
	if math.IsNaN(o.RecoverStep) || math.IsInf(o.RecoverStep, 0) || o.RecoverStep < 0 {
		return fmt.Errorf("rate limiter: RecoverStep must be a positive finite number, not %v: %w", o.RecoverStep, ErrInvalidInput)
	}
	return nil
}

// NewRateLimiter returns a limiter safe for concurrent use, or the error of
// o.Validate.
func NewRateLimiter(o RateLimiterOptions) (*TokenBucketLimiter, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.MinFraction <= 0 || o.MinFraction > 1 {
		o.MinFraction = 0.1
	}
	if o.RecoverStep <= 0 {
		o.RecoverStep = 0.05
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	l := &TokenBucketLimiter{opts: o, actions: map[string]*bucket{}}
	l.overall = newBucket(o.Overall, o.Now())
	return l, nil
}

type bucket struct {
	configured float64 // calls per second as configured; 0 = unlimited
	rate       float64 // current, after adaptive changes
	burst      float64
	tokens     float64
	last       time.Time
}

func newBucket(r Rate, now time.Time) *bucket {
	if r.PerSecond <= 0 {
		return nil
	}
	burst := float64(r.Burst)
	if burst < 1 {
		burst = 1
	}
	perSecond := max(r.PerSecond, MinRatePerSecond)
	return &bucket{configured: perSecond, rate: perSecond, burst: burst, tokens: burst, last: now}
}

func (b *bucket) advance(now time.Time) {
	if now.After(b.last) {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
		b.last = now
	}
}

// reserve takes a token and returns how long until it is really there.
func (b *bucket) reserve(now time.Time) time.Duration {
	b.advance(now)
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	// The pause is computed in float seconds and bounded before it becomes a
	// Duration: a conversion that overflows would come out negative and let
	// the call through.
	pause := -b.tokens / b.rate
	if !(pause < maxPause.Seconds()) {
		return maxPause
	}
	return time.Duration(pause * float64(time.Second))
}

func (l *TokenBucketLimiter) bucketFor(product, action string, now time.Time) *bucket {
	key := product + "." + action
	if b, ok := l.actions[key]; ok {
		return b
	}
	r, ok := l.opts.PerAction[key]
	if !ok {
		r, ok = l.opts.PerAction[action]
	}
	if !ok {
		r = l.opts.Default
	}
	b := newBucket(r, now)
	l.actions[key] = b
	return b
}

// Wait implements RateLimiter.
func (l *TokenBucketLimiter) Wait(ctx context.Context, product, action string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	now := l.opts.Now()
	b := l.bucketFor(product, action, now)
	var wait time.Duration
	if b != nil {
		wait = b.reserve(now)
	}
	if l.overall != nil {
		wait = max(wait, l.overall.reserve(now))
	}
	l.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		l.unreserve(b)
		return fmt.Errorf("%s.%s would wait %v for a slot: %w: %w", product, action, wait.Round(time.Millisecond), ErrRateLimited, context.DeadlineExceeded)
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		l.unreserve(b)
		return fmt.Errorf("%s.%s waiting for a rate-limit slot: %w", product, action, ctx.Err())
	}
}

// unreserve gives back a token that will not be used.
func (l *TokenBucketLimiter) unreserve(b *bucket) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b != nil {
		b.tokens++
	}
	if l.overall != nil {
		l.overall.tokens++
	}
}

// Observe implements RateLimiter: a throttled attempt halves the action's
// rate; a successful one wins back RecoverStep of the configured rate.
func (l *TokenBucketLimiter) Observe(product, action string, throttled bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucketFor(product, action, l.opts.Now())
	if b == nil {
		return
	}
	if throttled {
		b.advance(l.opts.Now())
		b.rate = max(b.rate/2, b.configured*l.opts.MinFraction)
		// Drop the saved-up burst too: the service just said it is too much.
		b.tokens = min(b.tokens, 0)
		return
	}
	b.rate = min(b.configured, b.rate+b.configured*l.opts.RecoverStep)
}

// CurrentRate reports the rate an action is limited to now (0 when it has
// no limit of its own), for metrics and tests.
func (l *TokenBucketLimiter) CurrentRate(product, action string) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucketFor(product, action, l.opts.Now())
	if b == nil {
		return 0
	}
	return b.rate
}
