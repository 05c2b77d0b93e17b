package rpc_test

// Harness of the fault-injection suite: local servers that misbehave on
// purpose (httptest for HTTP-level faults, a raw listener for socket-level
// ones), server-side connection accounting, and goroutine-leak detection by
// polling runtime.NumGoroutine.

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	rs "github.com/resourcekit/alicloud/resourcesharing"
)

const (
	faultKeyID  = "LTAI-fault-key"
	faultSecret = "fault-secret-never-printed"
	faultToken  = "fault-sts-token-never-printed"
)

// faultServer is what every fault test needs from a server: where it is,
// how many requests it read, how many connections it still holds open, and
// how to stop it.
type faultServer interface {
	URL() string
	Requests() int32
	OpenConns() int
	Close()
}

// httpFault is an httptest server whose connections are counted through
// ConnState.
type httpFault struct {
	srv      *httptest.Server
	requests atomic.Int32
	news     atomic.Int32
	mu       sync.Mutex
	conns    map[net.Conn]http.ConnState
}

func newHTTPFault(t *testing.T, h http.HandlerFunc) *httpFault {
	t.Helper()
	f := &httpFault{conns: map[net.Conn]http.ConnState{}}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		h(w, r)
	}))
	f.srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			f.news.Add(1)
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if s == http.StateClosed || s == http.StateHijacked {
			delete(f.conns, c)
		} else {
			f.conns[c] = s
		}
	}
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	return f
}

func (f *httpFault) URL() string     { return f.srv.URL }
func (f *httpFault) Requests() int32 { return f.requests.Load() }
func (f *httpFault) NewConns() int32 { return f.news.Load() }
func (f *httpFault) Close()          { f.srv.Close() }

func (f *httpFault) OpenConns() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.conns)
}

// rawFault is a bare TCP server speaking just enough HTTP/1.1 to read
// requests; handle decides what each connection gets back. It returns true
// to read the next request on the connection (which also waits for the
// client to hang up), false when it has closed the connection itself.
type rawFault struct {
	ln       net.Listener
	handle   func(c net.Conn, r *http.Request) bool
	wg       sync.WaitGroup
	requests atomic.Int32
	accepted atomic.Int32
	mu       sync.Mutex
	conns    map[net.Conn]struct{}
}

func newRawFault(t *testing.T, handle func(c net.Conn, r *http.Request) bool) *rawFault {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	f := &rawFault{ln: ln, handle: handle, conns: map[net.Conn]struct{}{}}
	f.wg.Add(1)
	go f.acceptLoop()
	t.Cleanup(f.Close)
	return f
}

func (f *rawFault) acceptLoop() {
	defer f.wg.Done()
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		f.accepted.Add(1)
		f.mu.Lock()
		f.conns[c] = struct{}{}
		f.mu.Unlock()
		f.wg.Add(1)
		go f.serve(c)
	}
}

func (f *rawFault) serve(c net.Conn) {
	defer f.wg.Done()
	defer func() {
		c.Close()
		f.mu.Lock()
		delete(f.conns, c)
		f.mu.Unlock()
	}()
	br := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return // the client hung up (or the test closed the server)
		}
		_, _ = io.Copy(io.Discard, req.Body)
		f.requests.Add(1)
		if !f.handle(c, req) {
			return
		}
	}
}

func (f *rawFault) URL() string     { return "http://" + f.ln.Addr().String() }
func (f *rawFault) Requests() int32 { return f.requests.Load() }

func (f *rawFault) OpenConns() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.conns)
}

// Close stops accepting, drops every connection still open and waits for
// the server's goroutines. It may be called more than once.
func (f *rawFault) Close() {
	f.ln.Close()
	f.mu.Lock()
	for c := range f.conns {
		c.Close()
	}
	f.mu.Unlock()
	f.wg.Wait()
}

// refusedServer is an address where nothing listens: every dial is refused.
type refusedServer struct{ addr string }

func newRefused(t *testing.T) *refusedServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return &refusedServer{addr: addr}
}

func (r *refusedServer) URL() string     { return "http://" + r.addr }
func (r *refusedServer) Requests() int32 { return 0 }
func (r *refusedServer) OpenConns() int  { return 0 }
func (r *refusedServer) Close()          {}

// writeRaw writes a raw HTTP/1.1 reply head and body prefix.
func writeRaw(c net.Conn, status string, contentLength int, headers string, body string) {
	head := "HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\n" + headers
	if contentLength >= 0 {
		head += "Content-Length: " + strconv.Itoa(contentLength) + "\r\n"
	}
	_, _ = io.WriteString(c, head+"\r\n"+body)
}

// resetConn closes c with an RST instead of a FIN.
func resetConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	c.Close()
}

// newFaultTransport is the transport the fault tests hand the SDK, so that
// they can close its idle connections at the end.
func newFaultTransport() *http.Transport {
	return &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
		MaxIdleConns:        128,
		MaxIdleConnsPerHost: 64,
		IdleConnTimeout:     10 * time.Second,
	}
}

// hookRecorder keeps every record the public hooks see.
type hookRecorder struct {
	mu       sync.Mutex
	attempts []alicloud.AttemptInfo
	ops      []alicloud.OperationInfo
}

func (h *hookRecorder) OnAttempt(_ context.Context, a alicloud.AttemptInfo) {
	h.mu.Lock()
	h.attempts = append(h.attempts, a)
	h.mu.Unlock()
}

func (h *hookRecorder) OnOperation(_ context.Context, o alicloud.OperationInfo) {
	h.mu.Lock()
	h.ops = append(h.ops, o)
	h.mu.Unlock()
}

func (h *hookRecorder) Attempts() []alicloud.AttemptInfo {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]alicloud.AttemptInfo(nil), h.attempts...)
}

// newFaultClient returns a resourcesharing client pointed at endpoint with
// tiny backoffs.
func newFaultClient(endpoint string, tr http.RoundTripper, maxAttempts int, hooks ...alicloud.Hook) *rs.Client {
	return rs.New(alicloud.Config{
		Region:      "cn-hangzhou",
		Endpoint:    endpoint,
		Credentials: alicloud.NewStaticCredentials(faultKeyID, faultSecret, faultToken),
		HTTPClient:  &http.Client{Transport: tr},
		Retry:       alicloud.RetryOptions{MaxAttempts: maxAttempts, MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond},
		Hooks:       hooks,
	})
}

// eventually polls cond every 10ms until it holds or d has passed.
func eventually(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// leakWindow is how long goroutines and connections get to wind down.
const leakWindow = 2 * time.Second

// requireNoGoroutineLeak waits for the goroutine count to come back to
// baseline and dumps every stack when it does not.
func requireNoGoroutineLeak(t *testing.T, baseline int) {
	t.Helper()
	if eventually(leakWindow, func() bool { return runtime.NumGoroutine() <= baseline }) {
		return
	}
	buf := make([]byte, 1<<20)
	n := runtime.Stack(buf, true)
	t.Fatalf("goroutines did not return to the baseline of %d within %v: %d now\n%s",
		baseline, leakWindow, runtime.NumGoroutine(), buf[:n])
}

// requireConnsClosed waits until the server holds no open connection.
func requireConnsClosed(t *testing.T, srv faultServer) {
	t.Helper()
	if !eventually(leakWindow, func() bool { return srv.OpenConns() == 0 }) {
		t.Fatalf("%d server-side connection(s) still open after CloseIdleConnections", srv.OpenConns())
	}
}

// requireNoSecrets checks that none of the credentials' secret parts, nor a
// signed query, shows up in s.
func requireNoSecrets(t *testing.T, s string) {
	t.Helper()
	for _, bad := range []string{faultSecret, faultToken, "Signature=", "SecurityToken="} {
		require.NotContains(t, s, bad)
	}
}

// lazyBody streams n bytes of a JSON string value without allocating them.
type lazyBody struct {
	prefix string
	n      int64
}

func (l *lazyBody) WriteTo(w io.Writer, written *atomic.Int64) error {
	chunk := []byte(strings.Repeat("a", 32<<10))
	if _, err := io.WriteString(w, l.prefix); err != nil {
		return err
	}
	written.Add(int64(len(l.prefix)))
	left := l.n - int64(len(l.prefix))
	for left > 0 {
		c := chunk
		if int64(len(c)) > left {
			c = c[:left]
		}
		m, err := w.Write(c)
		written.Add(int64(m))
		left -= int64(m)
		if err != nil {
			return err
		}
	}
	return nil
}
