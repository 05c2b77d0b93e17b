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

	connMu sync.Mutex
	conns  map[net.Conn]http.ConnState
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
	s := &Server{Service: svc, URL: "http://" + ln.Addr().String(), ln: ln, conns: map[net.Conn]http.ConnState{}}
	s.hs = &http.Server{Handler: svc, ReadHeaderTimeout: 10 * time.Second, ConnState: s.track}
	go func() { _ = s.hs.Serve(ln) }() // returns ErrServerClosed on Close
	return s, nil
}

// track remembers the state of every connection, so Close can drop those
// that carry no request.
func (s *Server) track(c net.Conn, state http.ConnState) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	switch state {
	case http.StateClosed, http.StateHijacked:
		delete(s.conns, c)
	default:
		s.conns[c] = state
	}
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
		s.connMu.Lock()
		for c, state := range s.conns {
			if state == http.StateNew || state == http.StateIdle {
				_ = c.Close()
			}
		}
		s.connMu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.hs.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.closeErr = s.hs.Close()
		}
	})
	return s.closeErr
}
