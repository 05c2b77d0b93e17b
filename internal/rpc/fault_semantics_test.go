package rpc

// Retry rules checked against the pipeline's internals: which replies and
// which transport failures are retried, the x-acs-retry-after cap, and the
// one-off clock-skew correction.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/internal/decode"
)

var (
	semService = &Service{Product: "ResourceSharing", Version: "2020-01-10", EndpointPrefix: "resourcesharing", Regional: true}
	semRead    = &Operation{Name: "ListResourceShares", ReadOnly: true}
	semWrite   = &Operation{Name: "CreateResourceShare"}
)

const semEndpoint = "https://resourcesharing.cn-hangzhou.aliyuncs.com/"

type semRequest struct {
	Name string `url:"Name,omitempty"`
}

type semResponse struct{ RequestId string }

func (r *semResponse) UnmarshalJSON(b []byte) error {
	*r = semResponse{}
	d := decode.New(b)
	if d.BeginObject() {
		for {
			k, ok := d.NextKey()
			if !ok {
				break
			}
			if string(k) == "RequestId" {
				r.RequestId = d.String()
			} else {
				d.Skip()
			}
		}
	}
	return d.Finish()
}

type semObserver struct {
	mu       sync.Mutex
	attempts []AttemptInfo
}

func (o *semObserver) OnAttempt(_ context.Context, a AttemptInfo) {
	o.mu.Lock()
	o.attempts = append(o.attempts, a)
	o.mu.Unlock()
}

func (o *semObserver) OnOperation(context.Context, OperationInfo) {}

func semClient(s Settings) (*Client, *httpmock.MockTransport) {
	mt := httpmock.NewMockTransport()
	s.HTTPClient = &http.Client{Transport: mt}
	s.Region = "cn-hangzhou"
	s.Credentials = func(context.Context) (Credentials, error) {
		return Credentials{AccessKeyID: "id", AccessKeySecret: "secret"}, nil
	}
	if s.MinBackoff == 0 {
		s.MinBackoff, s.MaxBackoff = time.Millisecond, 2*time.Millisecond
	}
	return NewClient(semService, s), mt
}

func semReply(status int, body string, header ...string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(header); i += 2 {
			resp.Header.Set(header[i], header[i+1])
		}
		return resp, nil
	}
}

func TestFaultRetryableReplyTable(t *testing.T) {
	type row struct {
		status int
		code   string
		read   bool // retried for a read-only operation
		write  bool // retried for a write
	}
	rows := []row{
		// The service says, in its JSON, that it did not act: always.
		{400, "Throttling", true, true},
		{400, "Throttling.User", true, true},
		{400, "Throttling.Api", true, true},
		{400, "Throttling.API", true, true},
		{400, "LimitExceeded.Frequency", true, true},
		{503, "LimitExceeded.Frequency", true, true},
		{503, "ServiceUnavailable", true, true},
		// A gateway's page, or an unavailability code under another
		// status: the service may have received the request. Reads only.
		{503, "", true, false},
		{503, "InternalError", true, false},
		{500, "ServiceUnavailable", true, false},
		{400, "ServiceUnavailable", true, false},
		{429, "", true, false},
		{429, "TooManyRequests", true, false},
		{408, "", true, false},
		// The request may have been carried out: reads only.
		{500, "", true, false},
		{500, "InternalError", true, false},
		{500, "UnknownError", true, false},
		{502, "", true, false},
		{504, "", true, false},
		{504, "GatewayTimeout", true, false},
		// Busy: the same call may succeed later; a write is the caller's
		// to look at.
		{409, "ConcurrentCallNotSupported", true, false},
		{400, "AssociateConflict", true, false},
		{400, "DisassociateConflict", true, false},
		{400, "DeleteResourceShareConflict", true, false},
		{400, "Conflict.ServiceStatus", true, false},
		{400, "Invalid.ResourceGroup.Status", true, false},
		// Everything else: never.
		{400, "InvalidParameter", false, false},
		{400, "MissingParameter.ResourceShareId", false, false},
		{400, "InvalidTimeStamp.Expired", false, false},
		{400, "SignatureDoesNotMatch", false, false},
		{403, "Forbidden.RAM", false, false},
		{404, "EntityNotExists.ResourceShare", false, false},
		{409, "InvitationStatus.Expired", false, false},
		{400, "throttling", false, false}, // codes are case-sensitive
		{400, "", false, false},
		{404, "", false, false},
		{501, "", false, false},
		{505, "", false, false},
		{200, "", false, false},
	}
	for _, r := range rows {
		assert.Equal(t, r.read, RetryableReply(r.status, r.code, true), "read %d %q", r.status, r.code)
		assert.Equal(t, r.write, RetryableReply(r.status, r.code, false), "write %d %q", r.status, r.code)
	}

	// The same rules end to end: attempts with MaxAttempts 3.
	for _, r := range rows {
		if r.status == 200 {
			continue
		}
		body := fmt.Sprintf(`{"Code":%q,"Message":"m","RequestId":"r"}`, r.code)
		if r.code == "" {
			body = "<html>gateway</html>"
		}
		for _, op := range []*Operation{semRead, semWrite} {
			c, mt := semClient(Settings{MaxAttempts: 3})
			mt.RegisterResponder("POST", semEndpoint, semReply(r.status, body))
			require.Error(t, c.Invoke(context.Background(), op, &semRequest{}, &semResponse{}))
			want := 1
			if (op.ReadOnly && r.read) || (!op.ReadOnly && r.write) {
				want = 3
			}
			assert.Equal(t, want, mt.GetTotalCallCount(), "%s %d %q", op.Name, r.status, r.code)
		}
	}
}

func TestFaultRetryableTransportErrorTable(t *testing.T) {
	urlErr := func(err error) error { return &url.Error{Op: "Post", URL: "https://h/?Signature=x", Err: err} }
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	// unsent: the transport asked for a connection and got none, so the
	// request provably never left.
	for _, tt := range []struct {
		name        string
		err         error
		unsent      bool
		read, write bool
	}{
		{"dial refused", urlErr(dial), false, true, true},
		{"dial timeout", urlErr(&net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}), false, true, true},
		{"dns failure", urlErr(&net.DNSError{Err: "no such host", Name: "h", IsNotFound: true}), false, true, true},
		{"bare ECONNREFUSED", syscall.ECONNREFUSED, false, true, true},
		{"proxy refused CONNECT", urlErr(&net.OpError{Op: "proxyconnect", Net: "tcp", Err: errors.New("Forbidden")}), false, true, true},
		{"tls handshake failure", urlErr(errors.New("remote error: tls: handshake failure")), true, true, true},
		{"tls handshake timeout", urlErr(errors.New("net/http: TLS handshake timeout")), true, true, true},
		{"EOF before a connection", urlErr(io.EOF), true, true, true},
		{"reset after sending", urlErr(&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}), false, true, false},
		{"EOF after sending", urlErr(io.EOF), false, true, false},
		{"unexpected EOF", urlErr(io.ErrUnexpectedEOF), false, true, false},
		{"header timeout", urlErr(errors.New("net/http: timeout awaiting response headers")), false, true, false},
		{"broken pipe while writing", urlErr(&net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", syscall.EPIPE)}), false, true, false},
		{"tls alert with a connection", urlErr(errors.New("remote error: tls: handshake failure")), false, true, false},
		{"unknown authority", urlErr(x509.UnknownAuthorityError{}), true, false, false},
		{"bad certificate name", urlErr(x509.HostnameError{Certificate: &x509.Certificate{}, Host: "h"}), true, false, false},
		{"certificate verification", urlErr(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), true, false, false},
		{"not a TLS server", urlErr(tls.RecordHeaderError{Msg: "tls: first record does not look like a TLS handshake"}), true, false, false},
	} {
		assert.Equal(t, tt.read, retryableTransportError(tt.err, true, tt.unsent), "%s, read", tt.name)
		assert.Equal(t, tt.write, retryableTransportError(tt.err, false, tt.unsent), "%s, write", tt.name)
	}
}

// overflowingRetryAfter is the smallest x-acs-retry-after whose milliseconds
// do not fit a time.Duration.
const overflowingRetryAfter = "9223372036855"

func TestFaultRetryAfterIsCappedByMaxRetryAfter(t *testing.T) {
	for _, tt := range []struct {
		header string
		want   time.Duration // 0: the normal backoff
	}{
		{"3600000", 25 * time.Millisecond}, // an hour, capped
		{"25", 25 * time.Millisecond},      // exactly the cap
		{"10", 10 * time.Millisecond},      // below the cap, above MaxBackoff
		{"0", 0 * time.Millisecond},
		{" 7 ", 7 * time.Millisecond},
		{"9223372036854", 25 * time.Millisecond}, // the largest that fits a Duration
		{overflowingRetryAfter, 25 * time.Millisecond},
		{"-5", -1},
		{"1.5", -1},
		{"Wed, 21 Oct 2015 07:28:00 GMT", -1},
	} {
		t.Run(tt.header, func(t *testing.T) {
			obs := &semObserver{}
			c, mt := semClient(Settings{MaxRetryAfter: 25 * time.Millisecond, Observers: []Observer{obs}})
			calls := 0
			mt.RegisterResponder("POST", semEndpoint, func(r *http.Request) (*http.Response, error) {
				calls++
				if calls == 1 {
					return semReply(400, `{"Code":"Throttling","Message":"m"}`, "x-acs-retry-after", tt.header)(r)
				}
				return semReply(200, `{"RequestId":"ok"}`)(r)
			})
			start := time.Now()
			require.NoError(t, c.Invoke(context.Background(), semWrite, &semRequest{}, &semResponse{}))
			elapsed := time.Since(start)
			require.Len(t, obs.attempts, 2)
			got := obs.attempts[0].Backoff
			if tt.want >= 0 {
				assert.Equal(t, tt.want, got)
			} else {
				assert.GreaterOrEqual(t, got, time.Millisecond)
				assert.LessOrEqual(t, got, 2*time.Millisecond)
			}
			assert.Less(t, elapsed, time.Second)
		})
	}
}

// skewServer rejects every Timestamp that is more than 15 minutes away from
// its clock, reporting that clock in the Date header.
func skewServer(serverNow func() time.Time, code string, date string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		ts, _ := time.Parse("2006-01-02T15:04:05Z", r.URL.Query().Get("Timestamp"))
		if serverNow().Sub(ts).Abs() > 15*time.Minute || code != "InvalidTimeStamp.Expired" {
			d := date
			if d == "" {
				d = serverNow().Format(http.TimeFormat)
			}
			return semReply(400, `{"Code":"`+code+`","Message":"Specified time stamp or date value is expired."}`, "Date", d)(r)
		}
		return semReply(200, `{"RequestId":"ok"}`)(r)
	}
}

func TestFaultClockSkewIsCorrectedOnce(t *testing.T) {
	serverNow := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	local := func() time.Time { return serverNow.Add(-3 * time.Hour) }

	t.Run("the corrected attempt is immediate and free", func(t *testing.T) {
		q := NewRetryQuota(50)
		c, mt := semClient(Settings{Now: local, Quota: q, MaxAttempts: 5, MinBackoff: 5 * time.Second, MaxBackoff: 5 * time.Second})
		mt.RegisterResponder("POST", semEndpoint, skewServer(func() time.Time { return serverNow }, "InvalidTimeStamp.Expired", ""))
		start := time.Now()
		require.NoError(t, c.Invoke(context.Background(), semWrite, &semRequest{}, &semResponse{}))
		assert.Less(t, time.Since(start), time.Second, "no backoff before the corrected attempt")
		assert.Equal(t, 2, mt.GetTotalCallCount())
		assert.Equal(t, 50, q.Available(), "a clock correction costs no retry budget")
		assert.Equal(t, int64(3*time.Hour), c.skew.Load())
	})

	t.Run("a second rejection is not corrected again", func(t *testing.T) {
		// The server's clock runs away: every Timestamp is rejected.
		n := 0
		moving := func() time.Time { n++; return serverNow.Add(time.Duration(n) * time.Hour) }
		c, mt := semClient(Settings{Now: local, MaxAttempts: 5})
		mt.RegisterResponder("POST", semEndpoint, skewServer(moving, "InvalidTimeStamp.Expired", ""))
		err := c.Invoke(context.Background(), semWrite, &semRequest{}, &semResponse{})
		var se *ServiceError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "InvalidTimeStamp.Expired", se.Code)
		assert.Equal(t, 2, mt.GetTotalCallCount(), "one correction per call, then the error")
		assert.Equal(t, 2, se.Attempts)
	})

	for _, tt := range []struct{ name, code, date string }{
		{"format errors are not clock errors", "InvalidTimeStamp.Format", ""},
		{"an unparsable Date header", "InvalidTimeStamp.Expired", "yesterday"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := semClient(Settings{Now: local, MaxAttempts: 5})
			mt.RegisterResponder("POST", semEndpoint, skewServer(func() time.Time { return serverNow }, tt.code, tt.date))
			require.Error(t, c.Invoke(context.Background(), semWrite, &semRequest{}, &semResponse{}))
			assert.Equal(t, 1, mt.GetTotalCallCount())
			assert.Zero(t, c.skew.Load())
		})
	}

	t.Run("MaxAttempts 1 leaves no attempt for the correction", func(t *testing.T) {
		c, mt := semClient(Settings{Now: local, MaxAttempts: 1})
		mt.RegisterResponder("POST", semEndpoint, skewServer(func() time.Time { return serverNow }, "InvalidTimeStamp.Expired", ""))
		require.Error(t, c.Invoke(context.Background(), semWrite, &semRequest{}, &semResponse{}))
		assert.Equal(t, 1, mt.GetTotalCallCount())
	})
}
