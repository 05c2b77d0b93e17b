package rpc

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
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

	attempts int
	started  time.Time
	// body and svcErr hold the last error reply, read once in checkRetry.
	body   []byte
	svcErr *ServiceError
	badErr *BadResponseError
}

func (cl *call) run(ctx context.Context) error {
	c := cl.client
	s := &c.settings
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

	rawQuery, err := cl.sign(ctx)
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

// sign adds the per-attempt parameters (fresh nonce and timestamp, current
// credentials) and returns the signed query.
func (cl *call) sign(ctx context.Context) (string, error) {
	s := &cl.client.settings
	if cl.op.Anonymous {
		cl.params.Set("SignatureNonce", signer.Nonce())
		cl.params.Set("Timestamp", signer.Timestamp(s.Now()))
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
	cl.params.Set("Timestamp", signer.Timestamp(s.Now()))
	return signer.SignV1(http.MethodPost, cl.params, creds.AccessKeySecret), nil
}

func (cl *call) beforeAttempt(_ retryablehttp.Logger, _ *http.Request, _ int) {
	cl.attempts++
	cl.started = time.Now()
	cl.svcErr, cl.badErr, cl.body = nil, nil, nil
}

// prepareRetry signs the next attempt again: the service rejects a reused
// SignatureNonce and a stale Timestamp.
func (cl *call) prepareRetry(req *http.Request) error {
	q, err := cl.sign(req.Context())
	if err != nil {
		return err
	}
	u := *req.URL
	u.RawQuery = q
	req.URL = &u
	return nil
}

// checkRetry classifies one attempt. It reads an error reply's body once,
// keeps it for the final error, and hands go-retryablehttp a fresh reader.
func (cl *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		cl.log(resp, err, false)
		if err == nil {
			err = ctxErr
		}
		return false, err
	}
	if err != nil {
		retry := retryableTransportError(err, cl.op.ReadOnly)
		cl.log(nil, err, retry)
		return retry, nil
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		cl.log(resp, nil, false)
		return false, nil
	}
	body, readErr := readBody(resp.Body, cl.client.settings.MaxBodyBytes)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(nil))
	cl.body = body
	if readErr != nil && !errors.Is(readErr, ErrBodyTooLarge) {
		// The reply broke off mid-body: for our purposes the request may
		// have been acted on, like any other lost reply.
		retry := cl.op.ReadOnly
		cl.badErr = cl.bad(resp, body, redact(readErr))
		cl.log(resp, readErr, retry)
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
	retry := RetryableReply(resp.StatusCode, code, cl.op.ReadOnly)
	cl.log(resp, nil, retry)
	return retry, nil
}

// RetryableReply decides whether an error reply is retried:
//   - throttling codes, ServiceUnavailable, HTTP 429 and 503 always: the
//     service says it did not act on the request;
//   - HTTP 500, 502 and 504 only for read-only operations: a write may have
//     been carried out before the failure;
//   - anything else (documented business errors, 4xx) never.
func RetryableReply(status int, code string, readOnly bool) bool {
	if IsThrottlingCode(code) || IsUnavailableCode(code) {
		return true
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
	if notDelivered(err) {
		return true
	}
	var ue *url.Error
	if errors.As(err, &ue) && isTLSConfigError(ue.Err) {
		return false
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
	if resp != nil {
		if ra, ok := retryAfter(resp.Header.Get("x-acs-retry-after")); ok {
			if limit := cl.client.settings.MaxRetryAfter; ra > limit {
				ra = limit
			}
			wait = ra
		}
	}
	if l := cl.client.settings.Logger; l != nil {
		l.LogAttrs(context.Background(), slog.LevelDebug, "alicloud retry",
			slog.String("product", cl.client.svc.Product),
			slog.String("action", cl.op.Name),
			slog.Int("attempt", cl.attempts),
			slog.Duration("backoff", wait))
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

func (cl *call) log(resp *http.Response, err error, retry bool) {
	l := cl.client.settings.Logger
	if l == nil || !l.Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("product", cl.client.svc.Product),
		slog.String("action", cl.op.Name),
		slog.Int("attempt", cl.attempts),
		slog.Duration("latency", time.Since(cl.started)),
		slog.Bool("retry", retry),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if id := resp.Header.Get("x-acs-request-id"); id != "" {
			attrs = append(attrs, slog.String("request_id", id))
		}
	}
	if cl.svcErr != nil {
		attrs = append(attrs, slog.String("code", cl.svcErr.Code), slog.String("request_id", cl.svcErr.RequestID))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", redact(err).Error()))
	}
	l.LogAttrs(context.Background(), slog.LevelDebug, "alicloud attempt", attrs...)
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
