package rpc

import "sync"

// Retry budget costs, in tokens. A retry after an error reply costs
// RetryCost, one after a lost connection or timeout TimeoutRetryCost;
// every success gives back what its retries took, or NoRetryIncrement.
const (
	DefaultRetryQuota = 500
	RetryCost         = 5
	TimeoutRetryCost  = 10
	NoRetryIncrement  = 1
)

// RetryQuota is a token bucket shared by every call of a client: retries
// draw from it and successes refill it, so that when the service is failing
// for everyone a storm of calls does not multiply the load by MaxAttempts.
// The zero value is not usable; use NewRetryQuota.
type RetryQuota struct {
	mu     sync.Mutex
	tokens int
	max    int
}

// NewRetryQuota returns a full bucket of size tokens (DefaultRetryQuota when
// size <= 0).
func NewRetryQuota(size int) *RetryQuota {
	if size <= 0 {
		size = DefaultRetryQuota
	}
	return &RetryQuota{tokens: size, max: size}
}

// acquire takes cost tokens if available.
func (q *RetryQuota) acquire(cost int) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.tokens < cost {
		return false
	}
	q.tokens -= cost
	return true
}

// release returns n tokens, up to the bucket's size.
func (q *RetryQuota) release(n int) {
	q.mu.Lock()
	q.tokens = min(q.max, q.tokens+n)
	q.mu.Unlock()
}

// Available reports the tokens left.
func (q *RetryQuota) Available() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.tokens
}
