package rpc

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/resourcekit/alicloud/internal/signer"
)

const sdkUserAgent = "resourcekit-alicloud-go/1"

// call is the state of one Invoke across its attempts.
type call struct {
	client *Client
	op     *Operation
	params url.Values
	out    Decoder

	begun    time.Time
	attempts int
	started  time.Time
	// svcErr and badErr hold the last error reply, read once in checkRetry.
	svcErr *ServiceError
	badErr *BadResponseError
	// pending is the attempt report held back until its backoff is known.
	pending *AttemptInfo
	// retryCost is what the retries of this call took from the quota.
	retryCost  int
	skewFixed  bool
	quotaEmpty bool
}

func (cl *call) run(ctx context.Context) (err error) {
	c := cl.client
	s := &c.settings
	cl.begun = time.Now()
	if len(c.observers) > 0 {
		defer func() { cl.reportOperation(ctx, err) }()
	}
	cl.params.Set("Action", cl.op.Name)
	cl.params.Set("Version", c.svc.Version)
	cl.params.Set("Format", "JSON")
	if c.svc.Regional && s.Region != "" && cl.params.Get("RegionId") == "" {
		cl.params.Set("RegionId", s.Region)
	}
	if !cl.op.Anonymous {
		cl.params.Set("SignatureMethod", signer.V1Method)
		cl.params.Set("SignatureVersion", signer.V1Version)
	}

	rawQuery, err := cl.prepare(ctx)
	if err != nil {
		return &TransportError{Attempts: 0, Err: err}
	}
	u := *c.base
	u.Path += "/"
	u.RawQuery = rawQuery
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, "", nil)
	if err != nil {
		return &TransportError{Err: err}
	}
	req.URL = &u
	req.Host = u.Host
	req.Header.Set("Accept", "application/json")
	ua := sdkUserAgent
	if s.UserAgent != "" {
		ua += " " + s.UserAgent
	}
	req.Header.Set("User-Agent", ua)
	req.Header.Set("x-acs-action", cl.op.Name)
	req.Header.Set("x-acs-version", c.svc.Version)

	resp, err := c.newRetryClient(cl).Do(req)
	if resp != nil {
		defer drainClose(resp.Body)
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = errors.Join(ctxErr, err)
		}
		return &TransportError{Attempts: cl.attempts, Err: redact(err)}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		body, err := readBody(resp.Body, s.MaxBodyBytes)
		if err != nil {
			if errors.Is(err, ErrBodyTooLarge) {
				return cl.bad(resp, body, err)
			}
			return &TransportError{Attempts: cl.attempts, Err: redact(err)}
		}
		if len(bytes.TrimSpace(body)) == 0 {
			return cl.bad(resp, body, ErrEmptyBody)
		}
		if err := cl.out.UnmarshalJSON(body); err != nil {
			return cl.bad(resp, body, err)
		}
		return nil
	}
	// checkRetry has read and classified the error reply already.
	if cl.svcErr != nil {
		cl.svcErr.Attempts = cl.attempts
		return cl.svcErr
	}
	if cl.badErr != nil {
		cl.badErr.Attempts = cl.attempts
		return cl.badErr
	}
	return cl.bad(resp, nil, errors.New("error reply not read"))
}

func (cl *call) bad(resp *http.Response, body []byte, err error) *BadResponseError {
	return &BadResponseError{
		HTTPStatus:  resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		RequestID:   resp.Header.Get("x-acs-request-id"),
		Excerpt:     excerpt(body),
		Attempts:    cl.attempts,
		Err:         err,
	}
}

// prepare waits for the rate limiter, then signs the next attempt.
func (cl *call) prepare(ctx context.Context) (string, error) {
	if l := cl.client.settings.Limiter; l != nil {
		if err := l.Wait(ctx, cl.client.svc.Product, cl.op.Name); err != nil {
			return "", err
		}
	}
	return cl.sign(ctx)
}

// sign adds the per-attempt parameters (fresh nonce and timestamp, current
// credentials) and returns the signed query.
func (cl *call) sign(ctx context.Context) (string, error) {
	s := &cl.client.settings
	now := s.Now().Add(time.Duration(cl.client.skew.Load()))
	if cl.op.Anonymous {
		cl.params.Set("SignatureNonce", signer.Nonce())
		cl.params.Set("Timestamp", signer.Timestamp(now))
		return signer.CanonicalQuery(cl.params), nil
	}
	creds, err := s.Credentials(ctx)
	if err != nil {
		return "", err
	}
	if creds.AccessKeyID == "" || creds.AccessKeySecret == "" {
		return "", errors.New("credentials provider returned an empty access key")
	}
	cl.params.Set("AccessKeyId", creds.AccessKeyID)
	if creds.SecurityToken != "" {
		cl.params.Set("SecurityToken", creds.SecurityToken)
	} else {
		cl.params.Del("SecurityToken")
	}
	cl.params.Set("SignatureNonce", signer.Nonce())
	cl.params.Set("Timestamp", signer.Timestamp(now))
	return signer.SignV1(http.MethodPost, cl.params, creds.AccessKeySecret), nil
}

func (cl *call) beforeAttempt(_ retryablehttp.Logger, _ *http.Request, _ int) {
	cl.attempts++
	cl.started = time.Now()
	cl.svcErr, cl.badErr = nil, nil
}

// prepareRetry signs the next attempt again: the service rejects a reused
// SignatureNonce and a stale Timestamp.
func (cl *call) prepareRetry(req *http.Request) error {
	q, err := cl.prepare(req.Context())
	if err != nil {
		return err
	}
	u := *req.URL
	u.RawQuery = q
	req.URL = &u
	return nil
}

// checkRetry classifies one attempt. It reads an error reply's body once,
// keeps it for the final error, and hands go-retryablehttp an empty reader.
func (cl *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		if err == nil {
			err = ctxErr
		}
		cl.observe(ctx, resp, err, false, false)
		return false, err
	}
	if err != nil {
		retry := retryableTransportError(err, cl.op.ReadOnly)
		retry = retry && cl.spend(TimeoutRetryCost)
		cl.observe(ctx, nil, redact(err), false, retry)
		return retry, nil
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		cost := cl.retryCost
		if cost == 0 {
			cost = NoRetryIncrement
		}
		cl.client.settings.Quota.release(cost)
		cl.observe(ctx, resp, nil, false, false)
		return false, nil
	}
	body, readErr := readBody(resp.Body, cl.client.settings.MaxBodyBytes)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(nil))
	if readErr != nil && !errors.Is(readErr, ErrBodyTooLarge) {
		// The reply broke off mid-body: as with any lost reply, the request
		// may have been acted on.
		cl.badErr = cl.bad(resp, body, redact(readErr))
		retry := cl.op.ReadOnly && cl.spend(TimeoutRetryCost)
		cl.observe(ctx, resp, readErr, false, retry)
		return retry, nil
	}
	if readErr != nil {
		cl.badErr = cl.bad(resp, body, readErr)
	} else if se, derr := parseServiceError(resp, body); derr != nil {
		cl.badErr = cl.bad(resp, body, derr)
	} else {
		cl.svcErr = se
	}
	code := ""
	if cl.svcErr != nil {
		code = cl.svcErr.Code
	}
	throttled := IsThrottlingCode(code) || resp.StatusCode == http.StatusTooManyRequests
	if cl.fixSkew(code, resp) {
		cl.observe(ctx, resp, nil, throttled, true)
		return true, nil
	}
	retry := RetryableReply(resp.StatusCode, code, cl.op.ReadOnly) && cl.spend(RetryCost)
	cl.observe(ctx, resp, nil, throttled, retry)
	return retry, nil
}

// spend takes a retry's cost from the client's budget. An empty budget
// means the service is failing for many calls at once: stop retrying.
func (cl *call) spend(cost int) bool {
	if cl.attempts >= cl.client.settings.MaxAttempts {
		return false // no attempt left: nothing to pay for
	}
	if !cl.client.settings.Quota.acquire(cost) {
		cl.quotaEmpty = true
		return false
	}
	cl.retryCost += cost
	return true
}

// fixSkew learns the server's clock from a Timestamp rejection and allows
// one retry with the corrected time.
func (cl *call) fixSkew(code string, resp *http.Response) bool {
	if cl.skewFixed || !strings.HasPrefix(code, "InvalidTimeStamp") || code == "InvalidTimeStamp.Format" {
		return false
	}
	server, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return false
	}
	if cl.attempts >= cl.client.settings.MaxAttempts {
		return false
	}
	cl.skewFixed = true
	cl.client.skew.Store(int64(server.Sub(cl.client.settings.Now())))
	return true
}

// RetryableReply decides whether an error reply is retried:
//   - throttling codes, ServiceUnavailable, HTTP 429 and 503 always: the
//     service says it did not act on the request;
//   - HTTP 500, 502 and 504 only for read-only operations: a write may have
//     been carried out before the failure;
//   - "try again later" conflicts (ConcurrentCallNotSupported and the like)
//     only for read-only operations: a write must be looked at by the caller;
//   - anything else (documented business errors, 4xx) never.
func RetryableReply(status int, code string, readOnly bool) bool {
	if IsThrottlingCode(code) || IsUnavailableCode(code) {
		return true
	}
	if IsBusyCode(code) {
		return readOnly
	}
	switch status {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return readOnly
	}
	return false
}

// retryableTransportError decides whether a failed round trip is retried. A
// connection that was never established cannot have delivered the request,
// so that is retried for every operation; anything later only for reads.
func retryableTransportError(err error, readOnly bool) bool {
	var ue *url.Error
	if errors.As(err, &ue) && isTLSConfigError(ue.Err) {
		return false
	}
	if notDelivered(err) {
		return true
	}
	return readOnly
}

func notDelivered(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

func isTLSConfigError(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "x509:") || strings.Contains(msg, "tls: ")
}

// backoff is exponential with full jitter between MinBackoff and the
// doubled cap, and honours the service's x-acs-retry-after (milliseconds),
// bounded by MaxRetryAfter.
func (cl *call) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	wait := Backoff(minWait, maxWait, attempt)
	if cl.skewFixed && cl.attempts == 1 {
		wait = 0
	}
	if resp != nil {
		if ra, ok := retryAfter(resp.Header.Get("x-acs-retry-after")); ok {
			wait = min(ra, cl.client.settings.MaxRetryAfter)
		}
	}
	if p := cl.pending; p != nil {
		p.Backoff = wait
		cl.pending = nil
		for _, o := range cl.client.observers {
			o.OnAttempt(context.Background(), *p)
		}
	}
	return wait
}

// Backoff returns the wait before retry number attempt (0-based): a random
// duration between minWait and min(maxWait, minWait*2^attempt).
func Backoff(minWait, maxWait time.Duration, attempt int) time.Duration {
	ceiling := minWait
	for i := 0; i < attempt && ceiling < maxWait; i++ {
		ceiling *= 2
	}
	if ceiling > maxWait {
		ceiling = maxWait
	}
	if ceiling <= minWait {
		return minWait
	}
	return minWait + rand.N(ceiling-minWait+1)
}

func retryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil || ms < 0 {
		return 0, false
	}
	return time.Duration(ms) * time.Millisecond, true
}

// observe reports an attempt to the limiter and the observers. A retried
// attempt is reported once its backoff is known.
func (cl *call) observe(ctx context.Context, resp *http.Response, err error, throttled, retry bool) {
	c := cl.client
	if l := c.settings.Limiter; l != nil {
		l.Observe(c.svc.Product, cl.op.Name, throttled)
	}
	if len(c.observers) == 0 {
		return
	}
	a := AttemptInfo{
		Product: c.svc.Product,
		Action:  cl.op.Name,
		Attempt: cl.attempts,
		Latency: time.Since(cl.started),
		Err:     err,
		Retry:   retry,
	}
	if resp != nil {
		a.HTTPStatus = resp.StatusCode
		a.RequestID = resp.Header.Get("x-acs-request-id")
	}
	if cl.svcErr != nil {
		a.Code = cl.svcErr.Code
		if cl.svcErr.RequestID != "" {
			a.RequestID = cl.svcErr.RequestID
		}
	}
	if retry {
		cl.pending = &a
		return
	}
	for _, o := range c.observers {
		o.OnAttempt(ctx, a)
	}
}

func (cl *call) reportOperation(ctx context.Context, err error) {
	o := OperationInfo{
		Product:  cl.client.svc.Product,
		Action:   cl.op.Name,
		Attempts: cl.attempts,
		Latency:  time.Since(cl.begun),
		Err:      err,
	}
	var se *ServiceError
	var be *BadResponseError
	switch {
	case errors.As(err, &se):
		o.HTTPStatus, o.Code, o.RequestID = se.HTTPStatus, se.Code, se.RequestID
	case errors.As(err, &be):
		o.HTTPStatus, o.RequestID = be.HTTPStatus, be.RequestID
	case err == nil:
		o.HTTPStatus = http.StatusOK
	}
	for _, obs := range cl.client.observers {
		obs.OnOperation(ctx, o)
	}
}

// readBody reads at most limit bytes; a longer body is ErrBodyTooLarge.
func readBody(r io.Reader, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return buf.Bytes(), err
	}
	if n > limit {
		return buf.Bytes()[:limit], ErrBodyTooLarge
	}
	return buf.Bytes(), nil
}

// drainClose reads a little of what is left so the connection can be
// reused, then closes the body.
func drainClose(body io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, body, 64<<10)
	body.Close()
}

const excerptLen = 256

func excerpt(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > excerptLen {
		b = b[:excerptLen]
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// redact strips the query (which carries the signature, access key ID and
// security token) from URLs inside transport errors.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.URL != "" {
		cp := *ue
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery = ""
			cp.URL = u.String()
		} else {
			cp.URL = "(redacted)"
		}
		if ue == err {
			return &cp
		}
		return &redactedError{msg: strings.ReplaceAll(err.Error(), ue.URL, cp.URL), err: err}
	}
	return err
}

// redactedError keeps the chain for errors.Is/As while its message no longer
// carries the signed URL.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
