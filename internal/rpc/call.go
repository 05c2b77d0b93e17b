package rpc

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
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
	// hookCtx is the context observers get: the caller's, as extended by
	// the observers' OnOperationStart.
	hookCtx context.Context

	// retryCost is what the retries of this call took from the quota.
	retryCost int
	skewFixed bool

	// okBody is the body of a successful reply, read in checkRetry.
	okBody []byte
	okErr  error
	// lastErr is the transport error of the attempt before a backoff,
	// redacted: the caller still learns it when the context ends before
	// the next attempt.
	lastErr error

	// common holds the V1 common parameters: the fixed ones first
	// (ncommon of them), then room for the per-attempt ones.
	common  [10]signer.Param
	ncommon int

	// trace follows each attempt through the transport: whether it asked
	// for a connection, got one, and wrote the whole request. An attempt
	// that asked and got none provably never left.
	trace   httptrace.ClientTrace
	asked   atomic.Bool
	gotConn atomic.Bool
	sent    atomic.Bool
	// redirect is where a caller's transport notes a 3xx for this call.
	redirect atomic.Pointer[RedirectError]

	// The signed parts of the current attempt.
	v3      bool
	url     *url.URL
	query   string
	body    string
	headers map[string]string
}

func (cl *call) run(ctx context.Context) (err error) {
	c := cl.client
	s := &c.settings
	cl.begun = time.Now()
	if len(c.observers) > 0 {
		cl.hookCtx = ctx
		for _, o := range c.observers {
			if st, ok := o.(Starter); ok {
				if hc := st.OnOperationStart(cl.hookCtx, c.svc.Product, cl.op.Name); hc != nil {
					cl.hookCtx = hc
				}
			}
		}
		defer func() { cl.reportOperation(cl.hookCtx, err) }()
	}
	if c.svc.Regional && s.Region != "" && cl.params.Get("RegionId") == "" {
		cl.params.Set("RegionId", s.Region)
	}
	cl.v3 = s.SignatureVersion == SignatureV3 && !cl.op.Anonymous
	if !cl.v3 {
		// The V1 common parameters live beside the operation's, in a fixed
		// array: nothing per attempt is added to the map.
		cl.common[0] = signer.Param{Key: "Action", Value: cl.op.Name}
		cl.common[1] = signer.Param{Key: "Version", Value: c.svc.Version}
		cl.common[2] = signer.Param{Key: "Format", Value: "JSON"}
		cl.ncommon = 3
		if !cl.op.Anonymous {
			cl.common[3] = signer.Param{Key: "SignatureMethod", Value: signer.V1Method}
			cl.common[4] = signer.Param{Key: "SignatureVersion", Value: signer.V1Version}
			cl.ncommon = 5
		}
		for _, p := range cl.common[:cl.ncommon] {
			cl.params.Del(p.Key) // a request field of the same name must not double it
		}
	}
	u := *c.base
	u.Path += "/"
	cl.url = &u
	if err := cl.prepare(ctx); err != nil {
		return &TransportError{Attempts: 0, Err: err}
	}
	// A caller's client may speak HTTP/2, whose transport re-sends a
	// request with no body (or one it can rewind) on its own after a
	// stream reset, and may follow a 307 with the signed form body. Its
	// writes, and every form body, get a body that cannot be rewound once
	// the whole request has been written: such a resend then fails, and
	// the SDK decides.
	oneShot := !c.ownHTTP && (cl.op.FormBody || !cl.op.ReadOnly)
	var body any
	if cl.op.FormBody || oneShot {
		body = retryablehttp.ReaderFunc(func() (io.Reader, error) { return strings.NewReader(cl.body), nil })
	}
	// The SDK's own transport always reports GotConn before it writes, so
	// no GotConn means nothing left. A caller's RoundTripper may ignore
	// the trace: there GetConn shows that it honours it, and WroteRequest
	// guards the one-shot body. (Each hook is an allocation per call.)
	cl.trace = httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { cl.gotConn.Store(true) }}
	if c.ownHTTP {
		cl.asked.Store(true)
	} else {
		cl.trace.GetConn = func(string) { cl.asked.Store(true) }
	}
	if oneShot {
		cl.trace.WroteRequest = func(i httptrace.WroteRequestInfo) { cl.sent.Store(i.Err == nil) }
	}
	reqCtx := httptrace.WithClientTrace(ctx, &cl.trace)
	if oneShot {
		reqCtx = context.WithValue(reqCtx, redirectNoteKey{}, &cl.redirect)
	}
	req, err := retryablehttp.NewRequestWithContext(reqCtx, http.MethodPost, "", body)
	if err != nil {
		return &TransportError{Err: err}
	}
	if oneShot {
		req.GetBody = cl.rewind
	}
	req.Header.Set("Accept", "application/json")
	ua := sdkUserAgent
	if s.UserAgent != "" {
		ua += " " + s.UserAgent
	}
	req.Header.Set("User-Agent", ua)
	cl.apply(req.Request)

	resp, err := c.newRetryClient(cl).Do(req)
	if resp != nil {
		defer drainClose(resp.Body)
	}
	if err != nil && cl.badErr != nil && errors.Is(cl.badErr, ErrRedirected) {
		// A redirect refused on the way: the error names it.
		cl.badErr.Attempts = cl.attempts
		return cl.badErr
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			err = errors.Join(ctxErr, err)
		} else if cl.lastErr != nil && errors.Is(err, ctxErr) && !errors.Is(err, cl.lastErr) {
			// The context ended during a backoff: say what the attempt
			// before it met.
			err = fmt.Errorf("%w (the attempt before: %w)", err, cl.lastErr)
		}
		return &TransportError{Attempts: cl.attempts, Err: redact(err)}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 && cl.badErr == nil {
		body, err := cl.okBody, cl.okErr
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

// apply puts the signed parts of the current attempt on an HTTP request.
func (cl *call) apply(r *http.Request) {
	u := *cl.url
	u.RawQuery = cl.query
	r.URL = &u
	r.Host = u.Host
	h := r.Header
	if cl.attempts > 0 {
		// A retry's request is a shallow copy of the last one: give it its
		// own headers.
		h = h.Clone()
	}
	h.Set("x-acs-action", cl.op.Name)
	h.Set("x-acs-version", cl.client.svc.Version)
	for k, v := range cl.headers {
		h.Set(k, v)
	}
	if cl.op.FormBody {
		h.Set("Content-Type", "application/x-www-form-urlencoded")
		r.ContentLength = int64(len(cl.body))
	}
	r.Header = h
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

// prepare waits for the rate limiter, then signs the next attempt: a fresh
// nonce and timestamp and the current credentials, every time.
func (cl *call) prepare(ctx context.Context) error {
	c := cl.client
	if l := c.settings.Limiter; l != nil {
		if err := l.Wait(ctx, c.svc.Product, cl.op.Name); err != nil {
			return err
		}
	}
	now := c.settings.Now().Add(time.Duration(c.skew.Load()))
	var creds Credentials
	if !cl.op.Anonymous {
		var err error
		if creds, err = c.settings.Credentials(ctx); err != nil {
			return err
		}
		if creds.AccessKeyID == "" || creds.AccessKeySecret == "" {
			return errors.New("credentials provider returned an empty access key")
		}
	}
	var signed string
	switch {
	case cl.v3:
		return cl.signV3(now, creds)
	case cl.op.Anonymous:
		extra := append(cl.common[:cl.ncommon:cl.ncommon],
			signer.Param{Key: "SignatureNonce", Value: signer.Nonce()},
			signer.Param{Key: "Timestamp", Value: signer.Timestamp(now)})
		signed = signer.CanonicalQueryWith(cl.params, extra)
	default:
		extra := cl.common[:cl.ncommon]
		extra = append(extra,
			signer.Param{Key: "AccessKeyId", Value: creds.AccessKeyID},
			signer.Param{Key: "SignatureNonce", Value: signer.Nonce()},
			signer.Param{Key: "Timestamp", Value: signer.Timestamp(now)})
		if creds.SecurityToken != "" {
			extra = append(extra, signer.Param{Key: "SecurityToken", Value: creds.SecurityToken})
		}
		signed = signer.SignV1With(http.MethodPost, cl.params, extra, creds.AccessKeySecret)
	}
	if cl.op.FormBody {
		cl.body, cl.query = signed, ""
	} else {
		cl.body, cl.query = "", signed
	}
	return nil
}

// signV3 signs with ACS3-HMAC-SHA256: the operation's parameters stay in
// the query (or the form body), the common ones travel as x-acs-* headers.
func (cl *call) signV3(now time.Time, creds Credentials) error {
	encoded := signer.CanonicalQuery(cl.params)
	var body []byte
	query := cl.params
	if cl.op.FormBody {
		cl.body, cl.query = encoded, ""
		body, query = []byte(encoded), nil
	} else {
		cl.body, cl.query = "", encoded
	}
	h := map[string]string{
		"host":                  cl.url.Host,
		"x-acs-action":          cl.op.Name,
		"x-acs-version":         cl.client.svc.Version,
		"x-acs-date":            signer.Timestamp(now),
		"x-acs-signature-nonce": signer.Nonce(),
		"x-acs-content-sha256":  signer.HashPayload(body),
	}
	if cl.op.FormBody {
		h["content-type"] = "application/x-www-form-urlencoded"
	}
	if creds.SecurityToken != "" {
		h["x-acs-security-token"] = creds.SecurityToken
	}
	auth := signer.AuthorizationV3(&signer.V3Request{Method: http.MethodPost, Path: cl.url.Path, Query: query, Headers: h, Body: body},
		creds.AccessKeyID, creds.AccessKeySecret)
	delete(h, "host")
	h["Authorization"] = auth
	cl.headers = h
	return nil
}

func (cl *call) beforeAttempt(_ retryablehttp.Logger, _ *http.Request, _ int) {
	cl.attempts++
	cl.started = time.Now()
	cl.svcErr, cl.badErr = nil, nil
	cl.asked.Store(cl.client.ownHTTP)
	cl.gotConn.Store(false)
	cl.sent.Store(false)
	cl.redirect.Store(nil)
	cl.lastErr = nil
}

// errAlreadySent is what a transport gets when it tries to rewind a body
// whose request was written whole: it may not send it again by itself.
var errAlreadySent = errors.New("request already sent once; only the SDK's retry policy may send it again")

// rewind gives a transport the body again only while the attempt has not
// been written whole (HTTP/1.1 retrying a request of which nothing left).
func (cl *call) rewind() (io.ReadCloser, error) {
	if re := cl.redirect.Load(); re != nil {
		return nil, re // a 307 or 308 asking for the body again
	}
	if cl.sent.Load() {
		return nil, errAlreadySent
	}
	return io.NopCloser(strings.NewReader(cl.body)), nil
}

// prepareRetry signs the next attempt again: the service rejects a reused
// SignatureNonce and a stale Timestamp.
func (cl *call) prepareRetry(req *http.Request) error {
	if err := cl.prepare(req.Context()); err != nil {
		return err
	}
	cl.apply(req)
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
		return false, redact(err)
	}
	if err != nil {
		// A redirect the caller's client refused to follow further, or a
		// 307 whose body was asked for again: refused, never retried.
		var re *RedirectError
		if resp != nil {
			re = redirectOf(resp)
		}
		if re != nil || errors.As(err, &re) {
			cl.badErr = &BadResponseError{HTTPStatus: re.Status, Err: re}
			cl.observe(ctx, nil, re, false, false)
			return false, nil
		}
		unsent := cl.asked.Load() && !cl.gotConn.Load()
		retry := retryableTransportError(err, cl.op.ReadOnly, unsent)
		retry = retry && cl.spend(TimeoutRetryCost)
		err = redact(err)
		if retry {
			cl.lastErr = err
		}
		cl.observe(ctx, nil, err, false, retry)
		return retry, nil
	}
	if re := redirectOf(resp); re != nil {
		cl.badErr = &BadResponseError{HTTPStatus: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"),
			RequestID: resp.Header.Get("x-acs-request-id"), Err: re}
		cl.observe(ctx, resp, re, false, false)
		return false, nil
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		body, readErr := readBodySized(resp.Body, resp.ContentLength, cl.client.settings.MaxBodyBytes)
		resp.Body.Close()
		resp.Body = http.NoBody
		cl.okBody, cl.okErr = body, readErr
		if readErr != nil && !errors.Is(readErr, ErrBodyTooLarge) {
			// The reply broke off: a read may be asked again.
			retry := cl.op.ReadOnly && cl.spend(TimeoutRetryCost)
			cl.observe(ctx, resp, readErr, false, retry)
			return retry, nil
		}
		cost := cl.retryCost
		if cost == 0 {
			cost = NoRetryIncrement
		}
		cl.client.settings.Quota.release(cost)
		cl.observe(ctx, resp, nil, false, false)
		return false, nil
	}
	body, readErr := readBodySized(resp.Body, resp.ContentLength, cl.client.settings.MaxBodyBytes)
	resp.Body.Close()
	resp.Body = http.NoBody
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
	retry := RetryableReply(resp.StatusCode, code, cl.op.ReadOnly)
	if retry && beyondDeadline(ctx, resp, cl.client.settings.MaxRetryAfter) {
		// The service asks for a pause longer than the caller can wait:
		// report its reply now instead of sleeping into the deadline.
		retry = false
	}
	retry = retry && cl.spend(RetryCost)
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

// beyondDeadline reports whether the reply's x-acs-retry-after (capped)
// would end after the context's deadline.
func beyondDeadline(ctx context.Context, resp *http.Response, limit time.Duration) bool {
	deadline, ok := ctx.Deadline()
	if !ok {
		return false
	}
	ra, ok := retryAfter(resp.Header.Get("x-acs-retry-after"))
	return ok && min(ra, limit) > time.Until(deadline)
}

// RetryableReply decides whether an error reply is retried.
//
// A write is sent again only when the service itself says, in its JSON
// error, that it did not act: a throttling code (any status), or
// ServiceUnavailable under HTTP 503 as documented. A gateway's bare 503 or
// 429, or a 500 whatever its code, may follow the service receiving the
// request, so a write is then the caller's to look at.
//
// A read-only operation is also retried after HTTP 408, 429, 500, 502, 503
// and 504 and after "try again later" conflicts (ConcurrentCallNotSupported
// and the like). Anything else (documented business errors, other 4xx) is
// never retried.
func RetryableReply(status int, code string, readOnly bool) bool {
	if IsThrottlingCode(code) || (IsUnavailableCode(code) && status == http.StatusServiceUnavailable) {
		return true
	}
	if !readOnly {
		return false
	}
	if IsBusyCode(code) || IsUnavailableCode(code) {
		return true
	}
	switch status {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusInternalServerError,
		http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableTransportError decides whether a failed round trip is retried.
// A request that provably never left (the transport asked for a connection
// and got none: dial, DNS, TLS handshake failure or timeout, a proxy
// refusing CONNECT) is retried for every operation; anything later only for
// reads. A certificate that does not verify will not verify next time.
func retryableTransportError(err error, readOnly, unsent bool) bool {
	if isCertificateError(err) {
		return false
	}
	if unsent || notDelivered(err) {
		return true
	}
	return readOnly
}

// notDelivered recognises, by type, failures that happen before a request
// is written, for transports that do not report their progress through
// httptrace.
func notDelivered(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && (op.Op == "dial" || op.Op == "proxyconnect") {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// isCertificateError reports a server certificate that failed verification,
// or a server that does not speak TLS at all: retrying cannot help.
func isCertificateError(err error) bool {
	var rh tls.RecordHeaderError
	if errors.As(err, &rh) {
		return true
	}
	var cv *tls.CertificateVerificationError
	if errors.As(err, &cv) {
		return true
	}
	return strings.Contains(err.Error(), "x509:")
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
			o.OnAttempt(cl.hookCtx, *p)
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
	if ms > int64(math.MaxInt64/time.Millisecond) {
		return math.MaxInt64, true // the caller's cap applies
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
		Err:     redactErr(err),
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
		o.OnAttempt(cl.hookCtx, a)
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
	return readBodySized(r, -1, limit)
}

// initialBodyCap bounds the buffer allocated up front for a declared
// Content-Length: the declaration is the server's word, not bytes that have
// arrived. Most replies fit; a larger one grows as it arrives.
const initialBodyCap = 64 << 10

// readBodySized reads a body of the declared length (when 0 < length <=
// limit) or, otherwise, of at most limit bytes. The buffer grows with the
// bytes that actually arrive.
func readBodySized(r io.Reader, length, limit int64) ([]byte, error) {
	if length > 0 && length <= limit {
		b := make([]byte, 0, min(length, initialBodyCap))
		for int64(len(b)) < length {
			if len(b) == cap(b) {
				b = slices.Grow(b, int(min(int64(cap(b)), length-int64(len(b)))))
			}
			n, err := r.Read(b[len(b):min(int64(cap(b)), length)])
			b = b[:len(b)+n]
			if err == io.EOF {
				if int64(len(b)) < length {
					return b, io.ErrUnexpectedEOF
				}
				break
			}
			if err != nil {
				return b, err
			}
		}
		// Anything past the declared length is a broken reply.
		var one [1]byte
		if m, _ := r.Read(one[:]); m > 0 {
			return b, errors.New("reply body longer than its Content-Length")
		}
		return b, nil
	}
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
