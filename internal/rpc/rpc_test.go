package rpc

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/internal/decode"
	"github.com/resourcekit/alicloud/internal/signer"
)

const (
	testKeyID  = "LTAI-test-key"
	testSecret = "s3cr3t-value-never-printed"
	testToken  = "sts-token-never-printed"
)

var testService = &Service{Product: "ResourceSharing", Version: "2020-01-10", EndpointPrefix: "resourcesharing", Regional: true}

var (
	readOp  = &Operation{Name: "ListThings", ReadOnly: true}
	writeOp = &Operation{Name: "CreateThing"}
)

type testRequest struct {
	Name  string `url:"Name,omitempty"`
	Count int32  `url:"Count,omitempty"`
}

type testResponse struct {
	RequestId string
	Count     int32
}

func (r *testResponse) UnmarshalJSON(b []byte) error {
	*r = testResponse{}
	d := decode.New(b)
	if d.BeginObject() {
		for {
			k, ok := d.NextKey()
			if !ok {
				break
			}
			switch string(k) {
			case "RequestId":
				r.RequestId = d.String()
			case "Count":
				r.Count = d.Int32()
			default:
				d.Skip()
			}
		}
	}
	return d.Finish()
}

func staticCreds(ctx context.Context) (Credentials, error) {
	return Credentials{AccessKeyID: testKeyID, AccessKeySecret: testSecret, SecurityToken: testToken}, nil
}

// newTestClient returns a client whose transport is an httpmock transport.
func newTestClient(t *testing.T, s Settings) (*Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	if s.HTTPClient == nil {
		s.HTTPClient = &http.Client{Transport: mt}
	}
	if s.Credentials == nil {
		s.Credentials = staticCreds
	}
	if s.Region == "" {
		s.Region = "cn-hangzhou"
	}
	if s.MinBackoff == 0 {
		s.MinBackoff = time.Millisecond
		s.MaxBackoff = 2 * time.Millisecond
	}
	return NewClient(testService, s), mt
}

const endpoint = "https://resourcesharing.cn-hangzhou.aliyuncs.com/"

// verifySignature recomputes the V1 signature of a received request.
func verifySignature(t *testing.T, r *http.Request) url.Values {
	t.Helper()
	q := r.URL.Query()
	sig := q.Get("Signature")
	require.NotEmpty(t, sig)
	q.Del("Signature")
	want := signer.SignatureV1(r.Method, signer.CanonicalQuery(q), testSecret)
	require.Equal(t, want, sig, "signature must verify")
	return q
}

func jsonReply(status int, body string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

func TestResolveEndpoint(t *testing.T) {
	central := &Service{Product: "ResourceManager", EndpointPrefix: "resourcemanager"}
	tests := []struct {
		name     string
		svc      *Service
		region   string
		endpoint string
		want     string
		err      string
	}{
		{"regional", testService, "cn-shanghai", "", "https://resourcesharing.cn-shanghai.aliyuncs.com", ""},
		{"central ignores region", central, "cn-shanghai", "", "https://resourcemanager.aliyuncs.com", ""},
		{"host override", testService, "cn-hangzhou", "rs.internal.example", "https://rs.internal.example", ""},
		{"url scheme honoured", testService, "", "http://127.0.0.1:8080", "http://127.0.0.1:8080", ""},
		{"url with path", central, "", "http://127.0.0.1:8080/base/", "http://127.0.0.1:8080/base", ""},
		{"regional needs region", testService, "", "", "", "set Config.Region"},
		{"bad region", testService, "cn hangzhou", "", "", "invalid region"},
		{"bad scheme", testService, "", "ftp://x", "", "scheme must be http or https"},
		{"endpoint map", &Service{EndpointPrefix: "sts", EndpointMap: map[string]string{"cn-wuhan": "sts.aliyuncs.com"}, Regional: true}, "cn-wuhan", "", "https://sts.aliyuncs.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := tt.svc.ResolveEndpoint(tt.region, tt.endpoint)
			if tt.err != "" {
				require.ErrorContains(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, u.String())
		})
	}
}

func TestInvokeSendsSignedCommonParameters(t *testing.T) {
	c, mt := newTestClient(t, Settings{UserAgent: "myapp/1.0"})
	var got url.Values
	var ua string
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		got = verifySignature(t, r)
		ua = r.Header.Get("User-Agent")
		return jsonReply(200, `{"RequestId":"req-1","Count":"7"}`)(r)
	})
	var out testResponse
	require.NoError(t, c.Invoke(context.Background(), readOp, &testRequest{Name: "a b*~/+中"}, &out))
	assert.Equal(t, "req-1", out.RequestId)
	assert.Equal(t, int32(7), out.Count, "numbers sent as strings decode")
	for k, v := range map[string]string{
		"Action": "ListThings", "Version": "2020-01-10", "Format": "JSON", "RegionId": "cn-hangzhou",
		"AccessKeyId": testKeyID, "SecurityToken": testToken, "SignatureMethod": "HMAC-SHA1",
		"SignatureVersion": "1.0", "Name": "a b*~/+中",
	} {
		assert.Equal(t, v, got.Get(k), k)
	}
	assert.Len(t, got.Get("SignatureNonce"), 32)
	_, err := time.Parse("2006-01-02T15:04:05Z", got.Get("Timestamp"))
	assert.NoError(t, err)
	assert.Contains(t, ua, "myapp/1.0")
}

func TestThrottledCallSucceedsOnThirdTryWithFreshNonces(t *testing.T) {
	c, mt := newTestClient(t, Settings{})
	var nonces []string
	calls := 0
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		q := verifySignature(t, r)
		nonces = append(nonces, q.Get("SignatureNonce"))
		calls++
		if calls < 3 {
			return jsonReply(400, `{"Code":"LimitExceeded.Frequency","Message":"slow down","RequestId":"t"}`)(r)
		}
		return jsonReply(200, `{"RequestId":"ok"}`)(r)
	})
	var out testResponse
	require.NoError(t, c.Invoke(context.Background(), writeOp, &testRequest{}, &out))
	assert.Equal(t, 3, calls)
	require.Len(t, nonces, 3)
	assert.NotEqual(t, nonces[0], nonces[1])
	assert.NotEqual(t, nonces[1], nonces[2])
	assert.NotEqual(t, nonces[0], nonces[2])
}

func TestRetryDecisions(t *testing.T) {
	tests := []struct {
		name     string
		op       *Operation
		status   int
		body     string
		attempts int
	}{
		{"throttling retried for writes", writeOp, 400, `{"Code":"Throttling","Message":"x"}`, 4},
		{"throttling.user", writeOp, 400, `{"Code":"Throttling.User","Message":"x"}`, 4},
		{"throttling.api", writeOp, 400, `{"Code":"Throttling.Api","Message":"x"}`, 4},
		{"service unavailable code", writeOp, 503, `{"Code":"ServiceUnavailable","Message":"x"}`, 4},
		{"503 without code not retried for writes", writeOp, 503, `<html>busy</html>`, 1},
		{"503 without code retried for reads", readOp, 503, `<html>busy</html>`, 4},
		{"429 without a throttling code not retried for writes", writeOp, 429, `{"Code":"TooMany","Message":"x"}`, 1},
		{"429 retried for reads", readOp, 429, `{"Code":"TooMany","Message":"x"}`, 4},
		{"408 retried for reads", readOp, 408, `<html>timeout</html>`, 4},
		{"408 not retried for writes", writeOp, 408, `<html>timeout</html>`, 1},
		{"500 retried for reads", readOp, 500, `{"Code":"InternalError","Message":"x"}`, 4},
		{"500 not retried for writes", writeOp, 500, `{"Code":"InternalError","Message":"x"}`, 1},
		{"502 not retried for writes", writeOp, 502, `<html>bad gateway</html>`, 1},
		{"504 retried for reads", readOp, 504, `<html>timeout</html>`, 4},
		{"documented business error never retried", readOp, 409, `{"Code":"InvitationStatus.Expired","Message":"x"}`, 1},
		{"400 invalid parameter never retried", writeOp, 400, `{"Code":"InvalidParameter","Message":"x"}`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newTestClient(t, Settings{MaxAttempts: 4})
			mt.RegisterResponder("POST", endpoint, jsonReply(tt.status, tt.body))
			err := c.Invoke(context.Background(), tt.op, &testRequest{}, &testResponse{})
			require.Error(t, err)
			assert.Equal(t, tt.attempts, mt.GetTotalCallCount())
			var se *ServiceError
			var be *BadResponseError
			switch {
			case errors.As(err, &se):
				assert.Equal(t, tt.attempts, se.Attempts)
				assert.Equal(t, tt.status, se.HTTPStatus)
			case errors.As(err, &be):
				assert.Equal(t, tt.attempts, be.Attempts)
				assert.Equal(t, tt.status, be.HTTPStatus)
			default:
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
		})
	}
}

func TestMaxAttemptsOneDisablesRetries(t *testing.T) {
	c, mt := newTestClient(t, Settings{MaxAttempts: 1})
	mt.RegisterResponder("POST", endpoint, jsonReply(400, `{"Code":"Throttling","Message":"x"}`))
	err := c.Invoke(context.Background(), readOp, &testRequest{}, &testResponse{})
	require.Error(t, err)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestContextCancelEndsBackoffAtOnce(t *testing.T) {
	c, mt := newTestClient(t, Settings{MinBackoff: 10 * time.Second, MaxBackoff: 20 * time.Second})
	mt.RegisterResponder("POST", endpoint, jsonReply(400, `{"Code":"Throttling","Message":"x"}`))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	start := time.Now()
	err := c.Invoke(ctx, readOp, &testRequest{}, &testResponse{})
	elapsed := time.Since(start)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, elapsed, 500*time.Millisecond, "a cancelled context must end the backoff within milliseconds")
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

func TestRetryAfterHeaderIsHonouredAndCapped(t *testing.T) {
	c, mt := newTestClient(t, Settings{MaxRetryAfter: 150 * time.Millisecond})
	calls := 0
	var times []time.Time
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		calls++
		times = append(times, time.Now())
		if calls == 1 {
			resp, _ := jsonReply(400, `{"Code":"Throttling","Message":"x"}`)(r)
			resp.Header.Set("x-acs-retry-after", "80")
			return resp, nil
		}
		if calls == 2 {
			resp, _ := jsonReply(400, `{"Code":"Throttling","Message":"x"}`)(r)
			resp.Header.Set("x-acs-retry-after", "600000")
			return resp, nil
		}
		return jsonReply(200, `{}`)(r)
	})
	require.NoError(t, c.Invoke(context.Background(), readOp, &testRequest{}, &testResponse{}))
	require.Len(t, times, 3)
	assert.GreaterOrEqual(t, times[1].Sub(times[0]), 80*time.Millisecond)
	assert.GreaterOrEqual(t, times[2].Sub(times[1]), 150*time.Millisecond)
	assert.Less(t, times[2].Sub(times[1]), 2*time.Second, "x-acs-retry-after is capped")
}

func TestBackoffBounds(t *testing.T) {
	for attempt := 0; attempt < 10; attempt++ {
		for i := 0; i < 200; i++ {
			d := Backoff(10*time.Millisecond, 80*time.Millisecond, attempt)
			require.GreaterOrEqual(t, d, 10*time.Millisecond)
			ceiling := 10 * time.Millisecond << attempt
			if ceiling > 80*time.Millisecond {
				ceiling = 80 * time.Millisecond
			}
			require.LessOrEqual(t, d, ceiling)
		}
	}
}

func TestBadReplies(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		ctype   string
		body    string
		excerpt string
	}{
		{"html gateway page", 502, "text/html", "<html><body>Bad Gateway</body></html>", "<html><body>Bad Gateway"},
		{"truncated json", 200, "application/json", `{"RequestId":"abc","Count":`, `{"RequestId":"abc"`},
		{"wrong shape", 200, "application/json", `["not","an","object"]`, `["not"`},
		{"wrong type", 200, "application/json", `{"RequestId":{"nested":true}}`, `{"RequestId"`},
		{"empty body", 200, "application/json", ``, ``},
		{"error without code", 403, "application/json", `{"Message":"denied"}`, `{"Message":"denied"}`},
		{"not json error", 404, "text/plain", `404 page not found`, `404 page not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := newTestClient(t, Settings{})
			mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
				resp := httpmock.NewStringResponse(tt.status, tt.body)
				resp.Header.Set("Content-Type", tt.ctype)
				return resp, nil
			})
			err := c.Invoke(context.Background(), writeOp, &testRequest{}, &testResponse{})
			var be *BadResponseError
			require.ErrorAs(t, err, &be)
			assert.Equal(t, tt.status, be.HTTPStatus)
			assert.Equal(t, tt.ctype, be.ContentType)
			assert.Contains(t, be.Excerpt, tt.excerpt)
			assert.Contains(t, err.Error(), "HTTP")
		})
	}
}

func TestBodySizeLimit(t *testing.T) {
	c, mt := newTestClient(t, Settings{MaxBodyBytes: 1024})
	big := `{"RequestId":"` + strings.Repeat("x", 4096) + `"}`
	mt.RegisterResponder("POST", endpoint, jsonReply(200, big))
	err := c.Invoke(context.Background(), readOp, &testRequest{}, &testResponse{})
	require.ErrorIs(t, err, ErrBodyTooLarge)
}

func TestServiceErrorFields(t *testing.T) {
	c, mt := newTestClient(t, Settings{})
	mt.RegisterResponder("POST", endpoint, jsonReply(409,
		`{"RequestId":"R1","HostId":"resourcesharing.aliyuncs.com","Code":"InvitationStatus.Expired","Message":"expired","Recommend":"https://example.invalid/diag"}`))
	err := c.Invoke(context.Background(), writeOp, &testRequest{}, &testResponse{})
	var se *ServiceError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, ServiceError{HTTPStatus: 409, Code: "InvitationStatus.Expired", Message: "expired", RequestID: "R1",
		HostID: "resourcesharing.aliyuncs.com", Recommend: "https://example.invalid/diag", Attempts: 1}, *se)
}

func TestConnectionRefusedIsRetriedEvenForWrites(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	c := NewClient(testService, Settings{Region: "cn-hangzhou", Endpoint: "http://" + addr, Credentials: staticCreds,
		MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})
	err = c.Invoke(context.Background(), writeOp, &testRequest{}, &testResponse{})
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 3, te.Attempts)
	assertNoSecrets(t, err.Error())
}

// hangupServer accepts each request and closes the connection without a reply.
func hangupServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	n := new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		hj, ok := w.(http.Hijacker)
		if !ok {
			return
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	return srv, n
}

func TestLostReplyRetriedOnlyForReads(t *testing.T) {
	for _, tt := range []struct {
		op   *Operation
		want int
	}{{writeOp, 1}, {readOp, 3}} {
		t.Run(tt.op.Name, func(t *testing.T) {
			srv, n := hangupServer(t)
			c := NewClient(testService, Settings{Region: "cn-hangzhou", Endpoint: srv.URL, Credentials: staticCreds,
				MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})
			err := c.Invoke(context.Background(), tt.op, &testRequest{}, &testResponse{})
			require.Error(t, err)
			assert.Equal(t, int32(tt.want), n.Load())
			assertNoSecrets(t, err.Error())
		})
	}
}

func TestCredentialsErrorIsReported(t *testing.T) {
	boom := errors.New("no keys here")
	c, mt := newTestClient(t, Settings{Credentials: func(context.Context) (Credentials, error) { return Credentials{}, boom }})
	err := c.Invoke(context.Background(), readOp, &testRequest{}, &testResponse{})
	require.ErrorIs(t, err, boom)
	assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing is sent without credentials")
}

type failingValidation struct{ testRequest }

var errInvalid = errors.New("invalid request")

func (failingValidation) Validate() error { return errInvalid }

func TestValidationRunsBeforeAnyNetworkCall(t *testing.T) {
	c, mt := newTestClient(t, Settings{})
	err := c.Invoke(context.Background(), readOp, &failingValidation{}, &testResponse{})
	require.ErrorIs(t, err, errInvalid)
	assert.Equal(t, 0, mt.GetTotalCallCount())
}

func TestLogsCarryNoSecrets(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, mt := newTestClient(t, Settings{Logger: logger})
	calls := 0
	var sigs []string
	mt.RegisterResponder("POST", endpoint, func(r *http.Request) (*http.Response, error) {
		calls++
		sigs = append(sigs, r.URL.Query().Get("Signature"))
		if calls == 1 {
			return jsonReply(400, `{"Code":"Throttling","Message":"x","RequestId":"r1"}`)(r)
		}
		return jsonReply(200, `{"RequestId":"r2"}`)(r)
	})
	require.NoError(t, c.Invoke(context.Background(), readOp, &testRequest{}, &testResponse{}))
	out := buf.String()
	assert.Contains(t, out, `"action":"ListThings"`)
	assert.Contains(t, out, `"attempt":2`)
	assert.Contains(t, out, `"code":"Throttling"`)
	assertNoSecrets(t, out)
	for _, s := range sigs {
		assert.NotContains(t, out, s)
		assert.NotContains(t, out, url.QueryEscape(s))
	}
}

func assertNoSecrets(t *testing.T, s string) {
	t.Helper()
	assert.NotContains(t, s, testSecret)
	assert.NotContains(t, s, testToken)
	assert.NotContains(t, s, "Signature=")
}

func TestUserHTTPClientUsedAsGiven(t *testing.T) {
	mt := httpmock.NewMockTransport()
	hc := &http.Client{Transport: mt, Timeout: 3 * time.Second}
	c, _ := newTestClient(t, Settings{HTTPClient: hc})
	mt.RegisterResponder("POST", endpoint, jsonReply(200, `{}`))
	require.NoError(t, c.Invoke(context.Background(), readOp, &testRequest{}, &testResponse{}))
	assert.Equal(t, 1, mt.GetTotalCallCount())
	assert.Same(t, mt, hc.Transport, "the caller's client is not modified")
}
