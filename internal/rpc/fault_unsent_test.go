package rpc_test

// Writes that provably never left are retried: the transport asked for a
// connection and got none (a TLS handshake cut off, a proxy refusing
// CONNECT). The server side counts what arrived.

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rs "github.com/resourcekit/alicloud/resourcesharing"
)

// dropFirst is a listener whose first accepted connection is closed at
// once, before any TLS handshake.
type dropFirst struct {
	net.Listener
	dropped atomic.Bool
}

func (l *dropFirst) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil || l.dropped.Swap(true) {
			return c, err
		}
		c.Close()
	}
}

func TestFaultWriteRetriedAfterTLSHandshakeCutOff(t *testing.T) {
	var writes atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writes.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"RequestId":"ok","ResourceShareInvitation":{"ResourceShareInvitationId":"i-1","Status":"Accepted"}}`)
	}))
	srv.Listener = &dropFirst{Listener: srv.Listener}
	srv.StartTLS()
	defer srv.Close()
	tr := newFaultTransport()
	tr.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	defer tr.CloseIdleConnections()
	hooks := &hookRecorder{}
	client := newFaultClient(srv.URL, tr, 3, hooks)

	out, err := client.AcceptResourceShareInvitation(context.Background(),
		&rs.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: "i-1"})
	require.NoError(t, err)
	assert.Equal(t, "i-1", out.ResourceShareInvitation.ResourceShareInvitationId)
	assert.Equal(t, int32(1), writes.Load(), "the write reached the service once")
	assert.Len(t, hooks.Attempts(), 2, "the handshake cut off, then the write")
}

func TestFaultWriteRetriedWhenTheProxyRefusesCONNECT(t *testing.T) {
	var connects atomic.Int32
	proxy := newRawFault(t, func(c net.Conn, r *http.Request) bool {
		if r.Method == http.MethodConnect {
			connects.Add(1)
		}
		_, _ = io.WriteString(c, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
		return true
	})
	var writes atomic.Int32
	target := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { writes.Add(1) }))
	defer target.Close()
	proxyURL, err := url.Parse(proxy.URL())
	require.NoError(t, err)
	tr := newFaultTransport()
	tr.Proxy = http.ProxyURL(proxyURL)
	tr.TLSClientConfig = target.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	defer tr.CloseIdleConnections()
	hooks := &hookRecorder{}
	client := newFaultClient(target.URL, tr, 3, hooks)

	_, err = client.AcceptResourceShareInvitation(context.Background(),
		&rs.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: "i-1"})
	require.Error(t, err)
	assert.Len(t, hooks.Attempts(), 3, "a write that never left is retried up to MaxAttempts")
	assert.Equal(t, int32(3), connects.Load())
	assert.Zero(t, writes.Load())
	requireNoSecrets(t, err.Error())
}
