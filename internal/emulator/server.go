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

// CloseUnused closes the connections that are new or idle. Call it after
// the listener is closed and keep-alives are off, so that none can become
// unused again.
func (t *ConnTracker) CloseUnused() {
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
	s.closeOnce.Do(func() {
		// Closing the listener first means no connection can arrive after
		// the idle ones are dropped.
		_ = s.ln.Close()
		s.hs.SetKeepAlivesEnabled(false)
		s.conns.CloseUnused()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.hs.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.closeErr = s.hs.Close()
		}
	})
	return s.closeErr
}
