package alicloud

import (
	"log/slog"
	"net/http"
	"time"
)

// Config is shared by every product client. The zero value of each optional
// field selects a sensible default, so a Config needs only Credentials (and a
// Region for regional products).
type Config struct {
	// Region is the region the client talks to, e.g. "cn-hangzhou". Regional
	// products use it to pick their endpoint and send it as RegionId.
	Region string

	// Credentials supplies the access key used to sign every request. Required.
	Credentials CredentialsProvider

	// Endpoint overrides the product's endpoint rule. It may be a host
	// ("resourcesharing.cn-shanghai.aliyuncs.com") or a URL whose scheme is
	// honoured ("http://127.0.0.1:8080" for a local server). HTTPS is used
	// unless the URL says otherwise.
	Endpoint string

	// HTTPClient sends the requests. When nil the SDK uses its own client,
	// whose transport keeps enough idle connections per host for highly
	// concurrent callers. A client supplied here is used as given.
	HTTPClient *http.Client

	// Retry controls how failed attempts are retried.
	Retry RetryOptions

	// Logger receives debug records for each attempt (action, attempt,
	// status, request ID, latency). Secrets never reach it. Nil disables logging.
	Logger *slog.Logger

	// UserAgent is appended to the SDK's own User-Agent header.
	UserAgent string

	// Hooks observe every operation and attempt (for metrics and tracing).
	Hooks []Hook

	// RateLimit, when set, paces calls on the client side. Share one limiter
	// between all clients of an account; see NewRateLimiter.
	RateLimit RateLimiter

	// SignatureVersion selects how requests are signed: SignatureV1 (the
	// default, HMAC-SHA1 over the parameters) or SignatureV3
	// (ACS3-HMAC-SHA256 over the canonical request).
	SignatureVersion SignatureVersion
}

// SignatureVersion names a request signature algorithm.
type SignatureVersion string

// Supported signatures.
const (
	// SignatureV1 is the RPC signature: HMAC-SHA1 over the sorted parameters.
	SignatureV1 SignatureVersion = "v1"
	// SignatureV3 is ACS3-HMAC-SHA256: an Authorization header over the
	// canonical request (method, path, query, x-acs-* headers, body hash).
	SignatureV3 SignatureVersion = "v3"
)

// RetryOptions bound the retries of one call. Only throttling, service
// unavailability, 5xx replies and connection failures are retried; a
// documented business error never is. Every attempt is signed anew.
type RetryOptions struct {
	// MaxAttempts is the total number of tries, the first included.
	// Zero means the default (3); 1 disables retries.
	MaxAttempts int

	// MinBackoff is the shortest wait before a retry. Zero means 200ms.
	MinBackoff time.Duration

	// MaxBackoff caps the exponential backoff. Zero means 5s.
	MaxBackoff time.Duration
}

// Default retry settings, applied when a RetryOptions field is zero.
const (
	DefaultMaxAttempts = 3
	DefaultMinBackoff  = 200 * time.Millisecond
	DefaultMaxBackoff  = 5 * time.Second
)

// WithDefaults returns a copy of o with every zero field set to its default.
func (o RetryOptions) WithDefaults() RetryOptions {
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = DefaultMinBackoff
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = DefaultMaxBackoff
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = o.MinBackoff
	}
	return o
}

// Ptr returns a pointer to v. It helps set the few optional parameters whose
// zero value is meaningful, such as a boolean that defaults to true.
func Ptr[T any](v T) *T { return &v }
