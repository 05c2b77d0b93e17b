package bench

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// Endpoint is what a benchmark needs from the server, whether it runs in
// this process (*Server) or in a child process (*Remote).
type Endpoint interface {
	BaseURL() string
	Host() string
	NewConns() int64
	Rejected() int64
	LastRejection() string
	SetVerify(on bool)
}

// BaseURL is the server's URL.
func (s *Server) BaseURL() string { return s.URL }

// SetVerify turns signature checking on or off.
func (s *Server) SetVerify(on bool) { s.Verify.Store(on) }

var _ Endpoint = (*Server)(nil)

// ServeChildEnv is set in the environment of a test binary started by
// StartRemote; such a process serves instead of testing.
const ServeChildEnv = "BENCH_SERVE_CHILD"

// ServeChild runs the benchmark server in this process until stdin closes:
// the data server, plus a second listener for control requests so that
// they never count as the data server's connections. It prints both URLs
// on one line.
func ServeChild() {
	srv := NewServer()
	srv.Prerender(1, 1)
	srv.Prerender(20, 1)
	srv.Prerender(100, TotalInvitations/100)
	ctl := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/stats":
			fmt.Fprintf(w, "%d %d %d\n%s", srv.NewConns(), srv.Requests(), srv.Rejected(), srv.LastRejection())
		case "/verify":
			srv.SetVerify(r.URL.Query().Get("on") == "1")
		default:
			http.NotFound(w, r)
		}
	}))
	fmt.Printf("%s %s\n", srv.URL, ctl.URL)
	_, _ = io.Copy(io.Discard, os.Stdin)
	ctl.Close()
	srv.Close()
}

// Remote is a benchmark server in a child process. Running it apart keeps
// the server's allocations, garbage and CPU profile out of the clients'
// numbers: B/op and allocs/op are the client's alone. Its time still
// shares the machine's cores, as it would in-process.
type Remote struct {
	url, ctl string
	cmd      *exec.Cmd
	stdin    io.WriteCloser
	hc       *http.Client
}

// StartRemote starts exe (the running test binary) as a server child.
func StartRemote(exe string) (*Remote, error) {
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), ServeChildEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("server child: %w", err)
	}
	u, c, ok := strings.Cut(strings.TrimSpace(line), " ")
	if !ok {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("server child said %q", line)
	}
	return &Remote{url: u, ctl: c, cmd: cmd, stdin: stdin, hc: &http.Client{}}, nil
}

// Close stops the child and waits for it.
func (r *Remote) Close() error {
	r.stdin.Close()
	return r.cmd.Wait()
}

// BaseURL is the data server's URL.
func (r *Remote) BaseURL() string { return r.url }

// Host is the data server's host:port.
func (r *Remote) Host() string { return strings.TrimPrefix(r.url, "http://") }

func (r *Remote) stats() (conns, requests, rejected int64, last string) {
	resp, err := r.hc.Get(r.ctl + "/stats")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	head, last, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(head)
	n := func(i int) int64 { v, _ := strconv.ParseInt(f[i], 10, 64); return v }
	return n(0), n(1), n(2), last
}

// NewConns is the number of connections the data server has accepted.
func (r *Remote) NewConns() int64 { c, _, _, _ := r.stats(); return c }

// Rejected is the number of requests the data server refused.
func (r *Remote) Rejected() int64 { _, _, x, _ := r.stats(); return x }

// LastRejection describes the last refusal.
func (r *Remote) LastRejection() string { _, _, _, l := r.stats(); return l }

// SetVerify turns signature checking on or off.
func (r *Remote) SetVerify(on bool) {
	v := "0"
	if on {
		v = "1"
	}
	resp, err := r.hc.Get(r.ctl + "/verify?on=" + v)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
}
