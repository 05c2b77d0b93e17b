// Package conformance_test drives the emulator in package alicloudtest with
// Alibaba Cloud's own Go SDKs, which nobody on this project wrote: the v1 SDK
// (github.com/aliyun/alibaba-cloud-sdk-go) and darabonba-openapi v2, the
// runtime of the generated v2 product clients. Each test checks that a
// documented success succeeds and that a documented failure comes back with
// the documented code and HTTP status, as the official client reports them.
//
// Every request goes through a transport that dials loopback addresses only,
// so an SDK that tried to resolve an endpoint or reach any other host would
// fail the test instead of leaving the machine. On a failure the test log
// shows the exact requests and replies of the test.
package conformance_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud/alicloudtest"
)

// region is the region the clients are configured with.
const region = alicloudtest.Region

// Account IDs outside the emulator's resource directory, one per test so
// that parallel tests never share state (each test has its own emulator
// anyway).
const (
	outsideA = "7000000000000701"
	outsideB = "7000000000000702"
	outsideC = "7000000000000703"
	outsideD = "7000000000000704"
)

// wire is an http.RoundTripper that dials loopback addresses only and keeps
// a transcript of the test's exchanges, printed when the test fails.
type wire struct {
	t     *testing.T
	inner *http.Transport

	mu      sync.Mutex
	log     []string
	refused []string
}

// newWire returns the loopback-only transport of one test.
func newWire(t *testing.T) *wire {
	t.Helper()
	w := &wire{t: t}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	w.inner = &http.Transport{
		Proxy: nil, // never a proxy, whatever the environment says
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
				w.mu.Lock()
				w.refused = append(w.refused, addr)
				w.mu.Unlock()
				return nil, fmt.Errorf("conformance: refused to dial %s: loopback only", addr)
			}
			return dialer.DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost: 4,
	}
	t.Cleanup(func() {
		w.inner.CloseIdleConnections()
		w.mu.Lock()
		defer w.mu.Unlock()
		if len(w.refused) > 0 {
			t.Errorf("the SDK tried to reach non-loopback addresses: %v", w.refused)
		}
		if t.Failed() {
			for i, ex := range w.log {
				t.Logf("exchange %d:\n%s", i+1, ex)
			}
		}
	})
	return w
}

// RoundTrip sends the request and records both sides.
func (w *wire) RoundTrip(req *http.Request) (*http.Response, error) {
	reqDump, _ := httputil.DumpRequestOut(req, true)
	resp, err := w.inner.RoundTrip(req)
	var respDump []byte
	if err == nil {
		respDump, _ = httputil.DumpResponse(resp, true)
	} else {
		respDump = []byte("transport error: " + err.Error())
	}
	w.mu.Lock()
	w.log = append(w.log, string(reqDump)+"\n--- reply ---\n"+string(respDump))
	w.mu.Unlock()
	return resp, err
}

// last returns the transcript of the latest exchange.
func (w *wire) last() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.log) == 0 {
		return ""
	}
	return w.log[len(w.log)-1]
}

// takeRefused returns the addresses the wire refused to dial and forgets
// them, for a test that expects a refusal.
func (w *wire) takeRefused() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	r := w.refused
	w.refused = nil
	return r
}

// client returns an *http.Client over the wire.
func (w *wire) client() *http.Client { return &http.Client{Transport: w, Timeout: 10 * time.Second} }

// hostPort is the emulator's address without the scheme, the form the
// official SDKs take as an endpoint.
func hostPort(t *testing.T, srv *alicloudtest.Server) string {
	t.Helper()
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	require.Equal(t, "http", u.Scheme)
	ip := net.ParseIP(u.Hostname())
	require.True(t, ip != nil && ip.IsLoopback(), "emulator not on loopback: %s", srv.URL)
	return u.Host
}

// badSecret is a secret the emulator never issues.
const badSecret = "not-the-secret-0123456789abcdef"

// unknownKeyID is an access key ID the emulator never issues.
const unknownKeyID = "LTAI5tUnknownKeyConformance"
