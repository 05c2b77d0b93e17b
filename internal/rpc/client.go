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
	"strings"
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
	svc      *Service
	settings Settings
	base     *url.URL
	baseErr  error
	http     *http.Client
	// ownHTTP is set when the client uses the package's transport, which
	// speaks HTTP/1.1 and never follows a redirect; a caller's client may
	// do both, so its writes get a body that cannot be sent twice.
	ownHTTP   bool
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
	c.ownHTTP = s.HTTPClient == nil
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
//
// It speaks HTTP/1.1 only. Go's HTTP/2 transport sends a request again on
// its own when the server resets the stream (PROTOCOL_ERROR, REFUSED_STREAM)
// or goes away, beneath any retry policy; over HTTP/1.1 it re-sends a POST
// only when not a byte of it was written. Every resend of a write must be
// the SDK's decision, counted in Attempts and paid from the retry budget.
var sharedTransport http.RoundTripper = newTransport()

func newTransport() *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   10 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		// A custom DialContext already keeps HTTP/2 off; say so, so
		// that no one turns it on without reading the comment above.
		ForceAttemptHTTP2:     false,
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

// RoundTrip also notes a redirect for the call that sent r, when it asked
// (see redirectNoteKey): net/http asks for a 307's body again before the
// redirect policy runs, and the call must then refuse it as a redirect.
func (k keepIdle) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := k.rt.RoundTrip(r)
	if err == nil && resp.StatusCode >= 300 && resp.StatusCode < 400 {
		if note, ok := r.Context().Value(redirectNoteKey{}).(*atomic.Pointer[RedirectError]); ok {
			note.Store(redirectAt(resp, r.URL))
		}
	}
	return resp, err
}

// redirectNoteKey is the context key under which a call leaves the place a
// transport reports redirects to.
type redirectNoteKey struct{}

func keepIdleClient(hc *http.Client) *http.Client {
	if hc == nil {
		return &http.Client{Transport: keepIdle{sharedTransport}, CheckRedirect: refuseRedirect}
	}
	cp := *hc
	rt := cp.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	cp.Transport = keepIdle{rt}
	cp.CheckRedirect = scrubRedirect(hc.CheckRedirect)
	return &cp
}

// refuseRedirect hands a 3xx back as it is: Alibaba Cloud's RPC APIs do not
// redirect, so the SDK's own client follows nothing, and the reply becomes
// an error naming the other host.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// maxRedirects is net/http's own limit, kept for a caller's client without
// a CheckRedirect.
const maxRedirects = 10

// scrubRedirect wraps the redirect policy of a caller's client: the policy
// still decides, but the next hop never carries a Referer (it would hold the
// whole signed query) and, on another host, none of the credentials the
// signature put into headers. Whatever the policy, a redirected reply is
// refused afterwards (see redirectOf).
func scrubRedirect(policy func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		req.Header.Del("Referer")
		if len(via) > 0 && req.URL.Host != via[0].URL.Host {
			for k := range req.Header {
				if isCredentialHeader(k) {
					req.Header.Del(k)
				}
			}
		}
		if policy != nil {
			return policy(req, via)
		}
		if len(via) >= maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		return nil
	}
}

// isCredentialHeader reports whether a header (canonical form) belongs to
// the signature: the V3 Authorization, the security token and every other
// x-acs-* header signed with them.
func isCredentialHeader(k string) bool {
	return k == "Authorization" || strings.HasPrefix(k, "X-Acs-")
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
