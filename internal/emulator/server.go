package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server is a Service listening on a loopback port.
type Server struct {
	*Service
	// URL is the base URL, http://127.0.0.1:<port>.
	URL string

	hs        *http.Server
	ln        net.Listener
	closeOnce sync.Once
	closeErr  error
	conns     ConnTracker
}

// ConnTracker remembers the state of an http.Server's connections (set its
// Track as the server's ConnState), so that a shutdown can first drop the
// connections that carry no request: clients often hold one they dialled
// but never used, which http.Server.Shutdown would wait five seconds for.
type ConnTracker struct {
	mu    sync.Mutex
	conns map[net.Conn]http.ConnState
}

// Track records a connection's new state.
func (t *ConnTracker) Track(c net.Conn, state http.ConnState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch state {
	case http.StateClosed, http.StateHijacked:
		delete(t.conns, c)
	default:
		if t.conns == nil {
			t.conns = map[net.Conn]http.ConnState{}
		}
		t.conns[c] = state
	}
}

// Shutdown stops hs, which serves ln with t as its ConnState: it closes ln
// first, so that no connection arrives after the unused ones are dropped,
// lets requests in progress finish for up to wait, then closes what is
// left. It returns the error of that forced close, or the timeout when
// requests outlived wait.
func (t *ConnTracker) Shutdown(hs *http.Server, ln net.Listener, wait time.Duration) error {
	_ = ln.Close()
	hs.SetKeepAlivesEnabled(false)
	t.closeUnused()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	err := hs.Shutdown(ctx)
	if err == nil || errors.Is(err, http.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
		return nil
	}
	if cerr := hs.Close(); cerr != nil {
		return cerr
	}
	return err
}

// closeUnused closes the connections that are new or idle.
func (t *ConnTracker) closeUnused() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for c, state := range t.conns {
		if state == http.StateNew || state == http.StateIdle {
			_ = c.Close()
		}
	}
}

// Start builds a Service and serves it on 127.0.0.1 at a port the system
// picks. Nothing listens beyond the loopback interface.
func Start(cfg Config) (*Server, error) {
	svc, err := NewService(cfg)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("emulator: listen on loopback: %w", err)
	}
	s := &Server{Service: svc, URL: "http://" + ln.Addr().String(), ln: ln}
	s.hs = &http.Server{Handler: svc, ReadHeaderTimeout: 10 * time.Second, ConnState: s.conns.Track}
	go func() { _ = s.hs.Serve(ln) }() // returns ErrServerClosed on Close
	return s, nil
}

// Close stops the server: it stops accepting, closes the connections that
// carry no request (clients often hold one they dialled but never used,
// which http.Server.Shutdown would wait five seconds for), lets requests in
// progress finish for up to five seconds, then drops what is left. It is
// safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.conns.Shutdown(s.hs, s.ln, 5*time.Second) })
	return s.closeErr
}
