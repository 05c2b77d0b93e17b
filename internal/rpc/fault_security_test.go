package rpc_test

// Security faults: servers that try to make the client send its signature
// or credentials elsewhere, or send a write more than once.

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/internal/rpc"
	rm "github.com/resourcekit/alicloud/resourcemanager"
	rs "github.com/resourcekit/alicloud/resourcesharing"
)

// elsewhere is the host a hostile endpoint redirects to: every request it
// gets, with all it carried, is kept.
type elsewhere struct {
	srv  *httptest.Server
	mu   sync.Mutex
	seen []string // method, URL, headers and body of each request
}

func newElsewhere(t *testing.T) *elsewhere {
	e := &elsewhere{}
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var b strings.Builder
		b.WriteString(r.Method + " " + r.URL.String() + "\n")
		_ = r.Header.Write(&b)
		b.Write(body)
		e.mu.Lock()
		e.seen = append(e.seen, b.String())
		e.mu.Unlock()
		// A perfectly good reply, which must not become the result.
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"RequestId":"elsewhere","Account":{"AccountId":"666"},"ResourceShareInvitations":[]}`)
	}))
	t.Cleanup(e.srv.Close)
	return e
}

func (e *elsewhere) requests() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.seen...)
}

// host is the other host's address under another name than the endpoint's
// 127.0.0.1.
func (e *elsewhere) host() string {
	return strings.Replace(e.srv.Listener.Addr().String(), "127.0.0.1", "localhost", 1)
}

func TestFaultRedirectsAreRefused(t *testing.T) {
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, sig := range []alicloud.SignatureVersion{alicloud.SignatureV1, alicloud.SignatureV3} {
			for _, own := range []bool{true, false} {
				for _, write := range []bool{true, false} {
					name := http.StatusText(status) + "/" + string(sig)
					name += map[bool]string{true: "/sdk-client", false: "/caller-client"}[own]
					name += map[bool]string{true: "/write", false: "/read"}[write]
					t.Run(name, func(t *testing.T) {
						testRedirectRefused(t, status, sig, own, write)
					})
				}
			}
		}
	}
}

func testRedirectRefused(t *testing.T, status int, sig alicloud.SignatureVersion, own, write bool) {
	other := newElsewhere(t)
	var endpointHits atomic.Int32
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		endpointHits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Location", "http://"+other.host()+"/landing?next=x1&keep=1")
		w.WriteHeader(status)
	}))
	t.Cleanup(endpoint.Close)

	cfg := alicloud.Config{
		Region:           "cn-hangzhou",
		Endpoint:         endpoint.URL,
		Credentials:      alicloud.NewStaticCredentials(faultKeyID, faultSecret, faultToken),
		SignatureVersion: sig,
		Retry:            alicloud.RetryOptions{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond},
	}
	tr := newFaultTransport()
	t.Cleanup(tr.CloseIdleConnections)
	if !own {
		cfg.HTTPClient = &http.Client{Transport: tr} // net/http's default policy: follow
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var err error
	if write {
		var out *rm.CreateResourceAccountResponse
		out, err = rm.New(cfg).CreateResourceAccount(ctx, &rm.CreateResourceAccountRequest{DisplayName: "victim"})
		assert.Nil(t, out, "a redirected reply is no result")
	} else {
		_, err = rs.New(cfg).ListResourceShareInvitations(ctx, nil)
	}

	require.Error(t, err)
	var re *alicloud.ResponseError
	require.ErrorAs(t, err, &re, "%T: %v", err, err)
	require.ErrorIs(t, err, alicloud.ErrRedirected)
	assert.Contains(t, err.Error(), other.host(), "the error names the other host")
	assert.NotContains(t, err.Error(), "next=x1", "never the rest of the Location")
	requireNoSecrets(t, err.Error())
	assert.Equal(t, int32(1), endpointHits.Load(), "a redirect is not retried")
	assert.Equal(t, 1, re.Attempts)

	got := other.requests()
	if own {
		assert.Empty(t, got, "the SDK's client sends nothing to the other host")
		assert.Equal(t, status, re.HTTPStatus)
		return
	}
	// The caller's client follows by its own policy; what it takes along
	// must carry nothing of the signature.
	for _, r := range got {
		requireNoSecrets(t, r)
		assert.NotContains(t, r, faultKeyID)
		assert.NotContains(t, strings.ToLower(r), "referer:")
		assert.NotContains(t, strings.ToLower(r), "x-acs-")
		assert.NotContains(t, strings.ToLower(r), "authorization:")
	}
}

// TestFaultRedirectedCredentialRequestsAreRefused covers the STS client,
// which signs its form body: a 307 must not carry it to another host.
func TestFaultRedirectedCredentialRequestsAreRefused(t *testing.T) {
	for _, status := range []int{302, 307, 308} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			other := newElsewhere(t)
			var hits atomic.Int32
			sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Location", "http://"+other.host()+"/")
				w.WriteHeader(status)
			}))
			t.Cleanup(sts.Close)
			for _, hc := range []*http.Client{nil, {Transport: newFaultTransport()}} {
				hits.Store(0)
				p := alicloud.NewRAMRoleARNCredentials(alicloud.NewStaticCredentials(faultKeyID, faultSecret, faultToken),
					alicloud.RAMRoleARNCredentialsOptions{RoleARN: "acs:ram::1:role/r",
						STS: alicloud.STSOptions{Endpoint: sts.URL, HTTPClient: hc, Retry: alicloud.RetryOptions{MaxAttempts: 3, MinBackoff: time.Millisecond}}})
				_, err := p.Retrieve(context.Background())
				require.Error(t, err)
				require.ErrorIs(t, err, alicloud.ErrRedirected, "%v", err)
				requireNoSecrets(t, err.Error())
				assert.Equal(t, int32(1), hits.Load(), "not retried")
				for _, r := range other.requests() {
					requireNoSecrets(t, r)
					assert.NotContains(t, r, faultKeyID)
					assert.NotContains(t, strings.ToLower(r), "referer:")
				}
				if hc == nil {
					assert.Empty(t, other.requests(), "the SDK's client sends nothing to the other host")
				}
			}
			// A caller's client may follow a 302 (as a GET without the form),
			// never a 307 or 308: those would carry the signed body along.
			if status != http.StatusFound {
				assert.Empty(t, other.requests())
			}
		})
	}
}

// h2Reset is an HTTP/2 server over TLS that reads each request to its end
// and then resets the stream with PROTOCOL_ERROR, which Go's HTTP/2
// transport treats as safe to send again. It speaks just enough of the
// protocol to do that, and counts the requests it received whole.
type h2Reset struct {
	ln       net.Listener
	cert     *x509.Certificate
	received atomic.Int32
	wg       sync.WaitGroup
}

func newH2Reset(t *testing.T) *h2Reset {
	t.Helper()
	// httptest makes the certificate; the server itself is ours.
	ts := httptest.NewUnstartedServer(http.NotFoundHandler())
	ts.StartTLS()
	certs, leaf := ts.TLS.Certificates, ts.Certificate()
	ts.Close()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: certs, NextProtos: []string{"h2"}})
	require.NoError(t, err)
	s := &h2Reset{ln: ln, cert: leaf}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(c)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

const (
	h2Data, h2Headers, h2RSTStream, h2Settings, h2Ping = 0x0, 0x1, 0x3, 0x4, 0x6
	h2EndStream, h2Ack                                 = 0x1, 0x1
	h2ProtocolError                                    = 0x1
)

func (s *h2Reset) serve(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	preface := make([]byte, len("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))
	if _, err := io.ReadFull(br, preface); err != nil {
		return
	}
	writeFrame := func(typ, flags byte, stream uint32, payload []byte) error {
		var h [9]byte
		h[0], h[1], h[2] = byte(len(payload)>>16), byte(len(payload)>>8), byte(len(payload))
		h[3], h[4] = typ, flags
		binary.BigEndian.PutUint32(h[5:], stream)
		_, err := c.Write(append(h[:], payload...))
		return err
	}
	if writeFrame(h2Settings, 0, 0, nil) != nil {
		return
	}
	for {
		var h [9]byte
		if _, err := io.ReadFull(br, h[:]); err != nil {
			return
		}
		n := int(h[0])<<16 | int(h[1])<<8 | int(h[2])
		typ, flags := h[3], h[4]
		stream := binary.BigEndian.Uint32(h[5:]) & 0x7fffffff
		payload := make([]byte, n)
		if _, err := io.ReadFull(br, payload); err != nil {
			return
		}
		var err error
		switch {
		case typ == h2Settings && flags&h2Ack == 0:
			err = writeFrame(h2Settings, h2Ack, 0, nil)
		case typ == h2Ping && flags&h2Ack == 0:
			err = writeFrame(h2Ping, h2Ack, 0, payload)
		case (typ == h2Headers || typ == h2Data) && flags&h2EndStream != 0:
			s.received.Add(1)
			var code [4]byte
			binary.BigEndian.PutUint32(code[:], h2ProtocolError)
			err = writeFrame(h2RSTStream, 0, stream, code[:])
		}
		if err != nil {
			return
		}
	}
}

func (s *h2Reset) client() (*http.Client, *http.Transport) {
	pool := x509.NewCertPool()
	pool.AddCert(s.cert)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
	return &http.Client{Transport: tr}, tr
}

// TestFaultHTTP2ResetDoesNotMultiplyAWrite: every receipt of a write is an
// attempt of the SDK's, which does not retry a write whose outcome is
// unknown.
func TestFaultHTTP2ResetDoesNotMultiplyAWrite(t *testing.T) {
	srv := newH2Reset(t)
	hc, tr := srv.client()
	defer tr.CloseIdleConnections()
	hooks := &hookRecorder{}
	c := rm.New(alicloud.Config{
		Endpoint:    "https://" + srv.ln.Addr().String(),
		Credentials: alicloud.NewStaticCredentials(faultKeyID, faultSecret, ""),
		HTTPClient:  hc,
		Retry:       alicloud.RetryOptions{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond},
		Hooks:       []alicloud.Hook{hooks},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.CreateResourceAccount(ctx, &rm.CreateResourceAccountRequest{DisplayName: "once"})
	require.Error(t, err)
	t.Logf("%v after %v", err, time.Since(start).Round(time.Millisecond))
	assert.False(t, errors.Is(err, context.DeadlineExceeded), "the call ends on the reset, not the deadline")
	var oe *alicloud.OperationError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, 1, oe.Attempts, "a write whose outcome is unknown is not retried")
	assert.Equal(t, int32(1), srv.received.Load(), "the server received the write exactly as often as the SDK sent it")
	assert.Len(t, hooks.Attempts(), 1)

}

// A reply that announces 16 MiB and sends 10 bytes must not cost 16 MiB:
// the buffer grows with what arrives.
func TestFaultAnnouncedSizeIsNotAllocated(t *testing.T) {
	const announced = 16 << 20
	srv := newRawFault(t, func(c net.Conn, _ *http.Request) bool {
		writeRaw(c, "200 OK", announced, "", `{"Request`)
		c.Close()
		return false
	})
	tr := newFaultTransport()
	defer tr.CloseIdleConnections()
	client := newFaultClient(srv.URL(), tr, 1)

	const calls = 32
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range calls {
		_, err := client.ListResourceShareInvitations(context.Background(), &rs.ListResourceShareInvitationsRequest{})
		require.Error(t, err)
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	}
	runtime.ReadMemStats(&after)
	allocated := after.TotalAlloc - before.TotalAlloc
	// Up front, the announced size would be 512 MiB over these calls.
	assert.Less(t, allocated, uint64(calls*announced/8),
		"allocated %d MiB over %d calls", allocated>>20, calls)
	assert.Equal(t, int32(calls), srv.Requests())
}

// requireChainClean checks every value reachable by unwrapping err, its
// message and its Go syntax, for a secret or a signed query.
func requireChainClean(t *testing.T, err error) {
	t.Helper()
	for _, e := range rpc.ErrorChain(err) {
		requireNoSecrets(t, e.Error())
		requireNoSecrets(t, fmt.Sprintf("%#v", e))
		var ue *url.Error
		if errors.As(e, &ue) {
			requireNoSecrets(t, ue.URL)
			assert.NotContains(t, ue.URL, faultKeyID)
		}
	}
}

// The deadline ends a call whose attempt is under way: the error says so,
// and nothing in it holds the signed URL.
func TestFaultDeadlineErrorHoldsNoSignedURL(t *testing.T) {
	release := make(chan struct{})
	srv := newRawFault(t, func(c net.Conn, _ *http.Request) bool {
		<-release
		return false
	})
	defer close(release)
	tr := newFaultTransport()
	defer tr.CloseIdleConnections()

	for _, maxAttempts := range []int{1, 3} {
		client := newFaultClient(srv.URL(), tr, maxAttempts)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		_, err := client.ListResourceShareInvitations(ctx, &rs.ListResourceShareInvitationsRequest{})
		cancel()
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		var ue *url.Error
		require.ErrorAs(t, err, &ue, "the transport's error stays reachable")
		requireChainClean(t, err)
	}
}

// An attempt fails, and the deadline ends during the backoff before the
// next: the error joins both, and neither holds the signed URL.
func TestFaultDeadlineDuringBackoffHoldsNoSignedURL(t *testing.T) {
	srv := newRawFault(t, func(c net.Conn, _ *http.Request) bool {
		resetConn(c)
		return false
	})
	tr := newFaultTransport()
	defer tr.CloseIdleConnections()
	client := rs.New(alicloud.Config{
		Region:      "cn-hangzhou",
		Endpoint:    srv.URL(),
		Credentials: alicloud.NewStaticCredentials(faultKeyID, faultSecret, faultToken),
		HTTPClient:  &http.Client{Transport: tr},
		Retry:       alicloud.RetryOptions{MaxAttempts: 3, MinBackoff: time.Second, MaxBackoff: time.Second},
	})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := client.ListResourceShareInvitations(ctx, &rs.ListResourceShareInvitationsRequest{})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var ue *url.Error
	require.ErrorAs(t, err, &ue, "the attempt's error stays reachable")
	requireChainClean(t, err)
}

// cancelOnAttempt is a hook that ends the call's context as soon as an
// attempt is reported: the context is then over between the attempt's
// classification and the call's error.
type cancelOnAttempt struct{ cancel context.CancelFunc }

func (h cancelOnAttempt) OnAttempt(context.Context, alicloud.AttemptInfo)     { h.cancel() }
func (h cancelOnAttempt) OnOperation(context.Context, alicloud.OperationInfo) {}

func TestFaultContextEndingAfterAnAttemptHoldsNoSignedURL(t *testing.T) {
	srv := newRawFault(t, func(c net.Conn, _ *http.Request) bool {
		resetConn(c)
		return false
	})
	tr := newFaultTransport()
	defer tr.CloseIdleConnections()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client := newFaultClient(srv.URL(), tr, 1, cancelOnAttempt{cancel})
	_, err := client.ListResourceShareInvitations(ctx, &rs.ListResourceShareInvitationsRequest{})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	var ue *url.Error
	require.ErrorAs(t, err, &ue)
	requireChainClean(t, err)
}
