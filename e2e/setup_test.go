// Package e2e_test drives the SDK's clients against the emulator in package
// alicloudtest, end to end over loopback HTTP: every implemented operation,
// its documented errors, the signature checks, throttling and concurrency.
package e2e_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/alicloudtest"
	"github.com/resourcekit/alicloud/internal/signer"
	"github.com/resourcekit/alicloud/resourcemanager"
	"github.com/resourcekit/alicloud/resourcesharing"
)

// fastRetry keeps retried calls quick in tests.
var fastRetry = alicloud.RetryOptions{MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// env is one emulator and clients acting as its management account.
type env struct {
	srv *alicloudtest.Server
	rm  *resourcemanager.Client
	rs  *resourcesharing.Client
}

func setup(t *testing.T, opts ...alicloudtest.Option) *env {
	t.Helper()
	srv := alicloudtest.NewServer(t, opts...)
	cfg := srv.Config()
	cfg.Retry = fastRetry
	return &env{srv: srv, rm: resourcemanager.New(cfg), rs: resourcesharing.New(cfg)}
}

// as returns clients acting as another account.
func (e *env) as(accountID string) (*resourcemanager.Client, *resourcesharing.Client) {
	cfg := e.srv.ConfigFor(accountID)
	cfg.Retry = fastRetry
	return resourcemanager.New(cfg), resourcesharing.New(cfg)
}

// requireCode asserts err is an API error reply with the code and status.
func requireCode(t *testing.T, err error, code alicloud.ErrorCode, status int) {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, code)
	var apiErr *alicloud.APIError
	require.True(t, errors.As(err, &apiErr), "want *alicloud.APIError, got %T: %v", err, err)
	require.Equal(t, status, apiErr.HTTPStatus, "status of %s", code)
	require.NotEmpty(t, apiErr.RequestID)
	require.NotEmpty(t, apiErr.Message)
}

// ctx is a per-test context with a deadline, so a hang fails fast.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

// rawRequest is a hand-made RPC request, for what no correct client sends.
type rawRequest struct {
	method  string // default POST
	params  url.Values
	creds   alicloud.StaticCredentials
	form    bool // parameters in a form body instead of the query
	unsign  bool // leave the request unsigned
	mutate  func(url.Values)
	version string
}

// signedParams adds the common parameters and the V1 signature.
func signedParams(r rawRequest) url.Values {
	method := r.method
	if method == "" {
		method = http.MethodPost
	}
	p := url.Values{}
	for k, vs := range r.params {
		p[k] = append([]string(nil), vs...)
	}
	if p.Get("Version") == "" {
		p.Set("Version", resourcemanager.ServiceVersion)
	}
	p.Set("Format", "JSON")
	p.Set("AccessKeyId", r.creds.AccessKeyID)
	p.Set("SignatureMethod", "HMAC-SHA1")
	p.Set("SignatureVersion", "1.0")
	p.Set("SignatureNonce", signer.Nonce())
	p.Set("Timestamp", signer.Timestamp(time.Now()))
	if r.mutate != nil {
		r.mutate(p)
	}
	if !r.unsign {
		p.Set("Signature", signer.SignatureV1(method, signer.CanonicalQuery(p), r.creds.AccessKeySecret))
	}
	return p
}

// send posts already-built parameters and returns the status, the
// x-acs-request-id header and the body.
func send(t *testing.T, base, method string, p url.Values, form bool) (int, http.Header, string) {
	t.Helper()
	if method == "" {
		method = http.MethodPost
	}
	var req *http.Request
	var err error
	if form {
		req, err = http.NewRequest(method, base+"/", strings.NewReader(p.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req, err = http.NewRequest(method, base+"/?"+p.Encode(), nil)
		require.NoError(t, err)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

func raw(t *testing.T, srv *alicloudtest.Server, r rawRequest) (int, http.Header, string) {
	t.Helper()
	if r.creds.AccessKeyID == "" {
		r.creds = srv.Credentials(srv.ManagementAccountID())
	}
	return send(t, srv.URL, r.method, signedParams(r), r.form)
}

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

// collect drains an iterator, failing the test on an error.
func collect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// rmRaw sends a signed Resource Manager request as the management account
// and returns the status and the error code ("" on success).
func rmRaw(t *testing.T, srv *alicloudtest.Server, action string, kv ...string) (int, string) {
	t.Helper()
	return rawCode(t, srv, resourcemanager.ServiceVersion, srv.Credentials(""), action, kv...)
}

// rsRaw is rmRaw for Resource Sharing.
func rsRaw(t *testing.T, srv *alicloudtest.Server, action string, kv ...string) (int, string) {
	t.Helper()
	return rawCode(t, srv, resourcesharing.ServiceVersion, srv.Credentials(""), action, kv...)
}

func rawCode(t *testing.T, srv *alicloudtest.Server, version string, creds alicloud.StaticCredentials, action string, kv ...string) (int, string) {
	t.Helper()
	require.True(t, len(kv)%2 == 0)
	p := url.Values{"Action": {action}, "Version": {version}}
	for i := 0; i < len(kv); i += 2 {
		p.Add(kv[i], kv[i+1])
	}
	status, _, body := raw(t, srv, rawRequest{params: p, creds: creds})
	var m struct{ Code string }
	require.NoError(t, json.Unmarshal([]byte(body), &m), body)
	return status, m.Code
}

func jsonDecode(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }
