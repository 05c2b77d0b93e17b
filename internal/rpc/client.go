package rpc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/resourcekit/alicloud/internal/query"
)

// Credentials are the values that sign one attempt.
type Credentials struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
}

// CredentialsFunc returns the credentials for the next attempt. It is called
// before every attempt so that refreshed temporary credentials are used.
type CredentialsFunc func(ctx context.Context) (Credentials, error)

// Settings configure a Client. Zero values select the defaults.
type Settings struct {
	Region      string
	Endpoint    string
	Credentials CredentialsFunc
	// HTTPClient is used as given when set; otherwise the package's tuned
	// shared client is used.
	HTTPClient  *http.Client
	MaxAttempts int
	MinBackoff  time.Duration
	MaxBackoff  time.Duration
	// MaxRetryAfter caps how long an x-acs-retry-after header may make a
	// retry wait. Zero means DefaultMaxRetryAfter.
	MaxRetryAfter time.Duration
	Logger        *slog.Logger
	UserAgent     string
	// MaxBodyBytes limits how much of a reply is read. Zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Now replaces time.Now for the Timestamp parameter (tests).
	Now func() time.Time
	// Quota is the retry budget. Clients derived for per-call options share
	// their parent's; nil gives the client a fresh one.
	Quota *RetryQuota
	// Limiter, when set, is consulted before every attempt.
	Limiter Limiter
	// Observers see every attempt and operation. A Logger adds a
	// LogObserver to them.
	Observers []Observer
	// SignatureVersion selects the signature: SignatureV1 (the default) or
	// SignatureV3 (ACS3-HMAC-SHA256).
	SignatureVersion string
}

// Signature versions.
const (
	SignatureV1 = "v1"
	SignatureV3 = "v3"
)

// Defaults for Settings.
const (
	DefaultMaxAttempts   = 3
	DefaultMinBackoff    = 200 * time.Millisecond
	DefaultMaxBackoff    = 5 * time.Second
	DefaultMaxRetryAfter = 30 * time.Second
	DefaultMaxBodyBytes  = 16 << 20
)

// Client sends operations of one Service. It is safe for concurrent use.
type Client struct {
	svc       *Service
	settings  Settings
	base      *url.URL
	baseErr   error
	http      *http.Client
	observers []Observer
	// skew is the server's clock minus ours, in nanoseconds, learnt from
	// a rejected Timestamp; it is added to every later Timestamp.
	skew *atomic.Int64
}

// WithSettings returns a client for the same service with other settings,
// sharing the retry budget and the learnt clock skew.
func (c *Client) WithSettings(s Settings) *Client {
	if s.Quota == nil {
		s.Quota = c.settings.Quota
	}
	n := NewClient(c.svc, s)
	n.skew = c.skew
	return n
}

// Decoder is implemented by every response type: it fills itself from the
// JSON body of a successful reply.
type Decoder interface {
	UnmarshalJSON([]byte) error
}

// Validator is implemented by request types with documented constraints.
type Validator interface {
	Validate() error
}

// NewClient returns a Client for svc. An invalid endpoint is reported by
// every call rather than here, so construction cannot fail.
func NewClient(svc *Service, s Settings) *Client {
	if s.MaxAttempts <= 0 {
		s.MaxAttempts = DefaultMaxAttempts
	}
	if s.MinBackoff <= 0 {
		s.MinBackoff = DefaultMinBackoff
	}
	if s.MaxBackoff <= 0 {
		s.MaxBackoff = DefaultMaxBackoff
	}
	if s.MaxBackoff < s.MinBackoff {
		s.MaxBackoff = s.MinBackoff
	}
	if s.MaxRetryAfter <= 0 {
		s.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if s.MaxBodyBytes <= 0 {
		s.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Quota == nil {
		s.Quota = NewRetryQuota(0)
	}
	c := &Client{svc: svc, settings: s, skew: new(atomic.Int64)}
	c.observers = s.Observers
	if s.Logger != nil {
		c.observers = append(slices.Clip(c.observers), LogObserver{Logger: s.Logger})
	}
	c.base, c.baseErr = svc.ResolveEndpoint(s.Region, s.Endpoint)
	if v := s.SignatureVersion; v != "" && v != SignatureV1 && v != SignatureV3 && c.baseErr == nil {
		c.baseErr = fmt.Errorf("unknown signature version %q (want %q or %q)", v, SignatureV1, SignatureV3)
	}
	c.http = keepIdleClient(s.HTTPClient)
	return c
}

// Settings returns the client's effective settings, for deriving a client
// with per-call changes.
func (c *Client) Settings() Settings { return c.settings }

// Service returns the service the client calls.
func (c *Client) Service() *Service { return c.svc }

// Invoke runs one operation: in is the request struct (validated when it
// implements Validator, then encoded), out receives the decoded reply.
// in must be a non-nil pointer to a struct.
func (c *Client) Invoke(ctx context.Context, op *Operation, in any, out Decoder) error {
	if v, ok := in.(Validator); ok {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	if c.baseErr != nil {
		return &TransportError{Err: c.baseErr}
	}
	if c.settings.Credentials == nil && !op.Anonymous {
		return &TransportError{Err: errors.New("no credentials provider configured")}
	}
	params, err := query.Values(in)
	if err != nil {
		return &TransportError{Err: err}
	}
	call := &call{client: c, op: op, params: params, out: out}
	return call.run(ctx)
}

// sharedTransport is the default transport: many idle connections per host
// so that a busy controller reuses connections instead of dialling, and
// bounded dial and handshake times.
var sharedTransport http.RoundTripper = newTransport()

func newTransport() *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   10 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          512,
		MaxIdleConnsPerHost:   256,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		ResponseHeaderTimeout: 60 * time.Second,
	}
}

// keepIdle hides CloseIdleConnections from go-retryablehttp, which calls it
// whenever a call fails: closing the pool after every throttled call would
// turn a throttle storm into a connection storm.
type keepIdle struct{ rt http.RoundTripper }

func (k keepIdle) RoundTrip(r *http.Request) (*http.Response, error) { return k.rt.RoundTrip(r) }

func keepIdleClient(hc *http.Client) *http.Client {
	if hc == nil {
		return &http.Client{Transport: keepIdle{sharedTransport}}
	}
	cp := *hc
	rt := cp.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	cp.Transport = keepIdle{rt}
	return &cp
}

// newRetryClient wires one call's policy into go-retryablehttp.
func (c *Client) newRetryClient(cl *call) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:     c.http,
		RetryWaitMin:   c.settings.MinBackoff,
		RetryWaitMax:   c.settings.MaxBackoff,
		RetryMax:       c.settings.MaxAttempts - 1,
		RequestLogHook: cl.beforeAttempt,
		CheckRetry:     cl.checkRetry,
		Backoff:        cl.backoff,
		PrepareRetry:   cl.prepareRetry,
		ErrorHandler:   retryablehttp.PassthroughErrorHandler,
	}
}
