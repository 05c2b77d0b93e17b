package rpc_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	"github.com/resourcekit/alicloud/internal/decode"
	"github.com/resourcekit/alicloud/internal/rpc"
	rs "github.com/resourcekit/alicloud/resourcesharing"
)

// faultCase is one misbehaving server and what the caller must see.
type faultCase struct {
	name string
	// write calls AcceptResourceShareInvitation (a write); otherwise
	// ListResourceShareInvitations (read-only).
	write       bool
	maxAttempts int           // default 3
	deadline    time.Duration // the caller's deadline; default 3s
	// Exactly one of these describes the server.
	handler http.HandlerFunc
	raw     func(c net.Conn, r *http.Request) bool
	refused bool
	// transport, when set, adjusts the client's transport.
	transport func(*http.Transport)
	check     func(t *testing.T, r faultResult)
}

type faultResult struct {
	err      error
	elapsed  time.Duration
	requests int32
	list     *rs.ListResourceShareInvitationsResponse
	hooks    *hookRecorder
}

// slack is what a call may take beyond its deadline: the time to notice it
// and unwind, on a loaded 2-core machine under -race.
const slack = 200 * time.Millisecond

// runFault runs one call against the faulty server, then checks that the
// call ended in time, that closing idle connections leaves no server-side
// connection open, and that no goroutine is left behind.
func runFault(t *testing.T, fc faultCase) {
	t.Run(fc.name, func(t *testing.T) {
		baseline := runtime.NumGoroutine()
		var srv faultServer
		switch {
		case fc.refused:
			srv = newRefused(t)
		case fc.raw != nil:
			srv = newRawFault(t, fc.raw)
		default:
			srv = newHTTPFault(t, fc.handler)
		}
		if fc.maxAttempts == 0 {
			fc.maxAttempts = 3
		}
		if fc.deadline == 0 {
			fc.deadline = 3 * time.Second
		}
		tr := newFaultTransport()
		if fc.transport != nil {
			fc.transport(tr)
		}
		hooks := &hookRecorder{}
		client := newFaultClient(srv.URL(), tr, fc.maxAttempts, hooks)

		ctx, cancel := context.WithTimeout(context.Background(), fc.deadline)
		res := faultResult{hooks: hooks}
		start := time.Now()
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("the call panicked: %v", p)
				}
			}()
			if fc.write {
				_, res.err = client.AcceptResourceShareInvitation(ctx, &rs.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: "i-fault"})
			} else {
				res.list, res.err = client.ListResourceShareInvitations(ctx, nil)
			}
		}()
		res.elapsed = time.Since(start)
		cancel()
		res.requests = srv.Requests()
		t.Logf("%s: %v after %v, %d request(s)", fc.name, res.err, res.elapsed.Round(time.Millisecond), res.requests)

		assert.Less(t, res.elapsed, fc.deadline+slack, "the call must end within the caller's deadline")
		if res.err != nil {
			requireNoSecrets(t, res.err.Error())
		}
		fc.check(t, res)

		tr.CloseIdleConnections()
		requireConnsClosed(t, srv)
		srv.Close()
		requireNoGoroutineLeak(t, baseline)
	})
}

func jsonHandler(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Header().Set("x-acs-request-id", "req-fault")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func contentHandler(status int, ctype, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// asAPIError, asResponseError and asOperationError require err to be of
// that public type.
func asAPIError(t *testing.T, err error) *alicloud.APIError {
	t.Helper()
	var e *alicloud.APIError
	require.ErrorAs(t, err, &e, "want *alicloud.APIError, got %T: %v", err, err)
	return e
}

func asResponseError(t *testing.T, err error) *alicloud.ResponseError {
	t.Helper()
	var e *alicloud.ResponseError
	require.ErrorAs(t, err, &e, "want *alicloud.ResponseError, got %T: %v", err, err)
	return e
}

func asOperationError(t *testing.T, err error) *alicloud.OperationError {
	t.Helper()
	var e *alicloud.OperationError
	require.ErrorAs(t, err, &e, "want *alicloud.OperationError, got %T: %v", err, err)
	return e
}

const gatewayPage = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>Tengine</center></body></html>`

// TestFaultHTTPStatuses: 5xx replies are retried for reads and, except 503,
// never for writes; each ends in the type its body calls for.
func TestFaultHTTPStatuses(t *testing.T) {
	for _, tt := range []struct {
		status      int
		ctype, body string
		api         bool // a JSON error reply with a Code
		readRetried bool
		writeRetry  bool
	}{
		{500, "application/json", `{"Code":"InternalError","Message":"The request processing has failed due to some unknown error.","RequestId":"r500"}`, true, true, false},
		{502, "text/html", gatewayPage, false, true, false},
		{503, "application/json", `{"Code":"ServiceUnavailable","Message":"The request has failed due to a temporary failure of the server.","RequestId":"r503"}`, true, true, true},
		{503, "text/html", "<html><body>503 Service Temporarily Unavailable</body></html>", false, true, false},
		{504, "text/plain", "upstream request timeout", false, true, false},
	} {
		for _, write := range []bool{false, true} {
			name := strconv.Itoa(tt.status) + "/" + strings.Split(tt.ctype, "/")[1] + "/read"
			if write {
				name = strings.TrimSuffix(name, "read") + "write"
			}
			want := int32(1)
			if (!write && tt.readRetried) || (write && tt.writeRetry) {
				want = 3
			}
			runFault(t, faultCase{name: name, write: write, handler: contentHandler(tt.status, tt.ctype, tt.body),
				check: func(t *testing.T, r faultResult) {
					assert.Equal(t, want, r.requests, "attempts")
					if tt.api {
						e := asAPIError(t, r.err)
						assert.Equal(t, tt.status, e.HTTPStatus)
						assert.Equal(t, int(want), e.Attempts)
						return
					}
					e := asResponseError(t, r.err)
					assert.Equal(t, tt.status, e.HTTPStatus)
					assert.Equal(t, tt.ctype, e.ContentType)
					assert.NotEmpty(t, e.Excerpt)
				}})
		}
	}
}

func TestFaultConnectionRefused(t *testing.T) {
	for _, write := range []bool{false, true} {
		runFault(t, faultCase{name: map[bool]string{false: "read", true: "write"}[write], write: write, refused: true,
			check: func(t *testing.T, r faultResult) {
				e := asOperationError(t, r.err)
				assert.Equal(t, 3, e.Attempts, "nothing was delivered: retried even for a write")
				assert.ErrorIs(t, r.err, syscall.ECONNREFUSED)
				assert.Less(t, r.elapsed, time.Second)
			}})
	}
}

// TestFaultConnectionResetMidBody: the server sends the head and half the
// body, then resets the connection.
func TestFaultConnectionResetMidBody(t *testing.T) {
	half := func(status string) func(c net.Conn, r *http.Request) bool {
		return func(c net.Conn, r *http.Request) bool {
			body := `{"RequestId":"r","NextToken":"` + strings.Repeat("x", 1000)
			writeRaw(c, status, 2*len(body), "", body)
			time.Sleep(30 * time.Millisecond) // let the client read what was sent
			resetConn(c)
			return false
		}
	}
	brokenOff := func(t *testing.T, err error) {
		t.Helper()
		assert.True(t, errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF),
			"want a reset or an unexpected EOF in the chain, got %v", err)
	}
	// A 200 whose body breaks off: a write may have been carried out, so it
	// is reported as a failed operation and not retried; a read is asked again.
	for _, write := range []bool{false, true} {
		want := map[bool]int{false: 3, true: 1}[write]
		runFault(t, faultCase{name: "200/" + map[bool]string{false: "read", true: "write"}[write], write: write, raw: half("200 OK"),
			check: func(t *testing.T, r faultResult) {
				e := asOperationError(t, r.err)
				assert.Equal(t, want, e.Attempts)
				assert.Equal(t, int32(want), r.requests)
				brokenOff(t, r.err)
			}})
	}
	// A 503 whose body breaks off: retried for reads only.
	for _, write := range []bool{false, true} {
		want := map[bool]int32{false: 3, true: 1}[write]
		runFault(t, faultCase{name: "503/" + map[bool]string{false: "read", true: "write"}[write], write: write, raw: half("503 Service Unavailable"),
			check: func(t *testing.T, r faultResult) {
				e := asResponseError(t, r.err)
				assert.Equal(t, 503, e.HTTPStatus)
				assert.Equal(t, want, r.requests)
				brokenOff(t, r.err)
			}})
	}
}

// TestFaultServerNeverAnswers: the server accepts, reads the request and
// never replies. The caller's 200ms deadline must end the call.
func TestFaultServerNeverAnswers(t *testing.T) {
	for _, write := range []bool{false, true} {
		runFault(t, faultCase{name: map[bool]string{false: "read", true: "write"}[write], write: write, deadline: 200 * time.Millisecond,
			raw: func(c net.Conn, r *http.Request) bool { return true },
			check: func(t *testing.T, r faultResult) {
				e := asOperationError(t, r.err)
				assert.Equal(t, 1, e.Attempts)
				assert.ErrorIs(t, r.err, context.DeadlineExceeded)
				assert.GreaterOrEqual(t, r.elapsed, 190*time.Millisecond)
			}})
	}
}

// trickle sends the head of a reply at once, then one byte every 10ms.
func trickle(status int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "100000")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `{"RequestId":"`)
		w.(http.Flusher).Flush()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-r.Context().Done():
				return
			case <-tick.C:
				if _, err := io.WriteString(w, "a"); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		}
	}
}

func TestFaultSlowBody(t *testing.T) {
	runFault(t, faultCase{name: "200/read", deadline: 200 * time.Millisecond, handler: trickle(200),
		check: func(t *testing.T, r faultResult) {
			e := asOperationError(t, r.err)
			assert.Equal(t, 1, e.Attempts)
			assert.ErrorIs(t, r.err, context.DeadlineExceeded)
		}})
	runFault(t, faultCase{name: "503/read", deadline: 200 * time.Millisecond, handler: trickle(503),
		check: func(t *testing.T, r faultResult) {
			asOperationError(t, r.err)
			assert.ErrorIs(t, r.err, context.DeadlineExceeded)
			assert.Equal(t, int32(1), r.requests, "nothing is retried once the deadline has passed")
		}})
	// The error reply's body is read while deciding on a retry; a write is
	// not retried, and the reply that could not be read is what it gets.
	runFault(t, faultCase{name: "503/write", write: true, deadline: 200 * time.Millisecond, handler: trickle(503),
		check: func(t *testing.T, r faultResult) {
			e := asResponseError(t, r.err)
			assert.Equal(t, 503, e.HTTPStatus)
			assert.ErrorIs(t, r.err, context.DeadlineExceeded)
		}})
}

func TestFaultTruncatedBody(t *testing.T) {
	truncated := func(status string) func(c net.Conn, r *http.Request) bool {
		return func(c net.Conn, r *http.Request) bool {
			writeRaw(c, status, 1000, "", `{"RequestId":"abc","NextToken":"`)
			c.Close()
			return false
		}
	}
	for _, write := range []bool{false, true} {
		want := map[bool]int{false: 3, true: 1}[write]
		runFault(t, faultCase{name: "200/" + map[bool]string{false: "read", true: "write"}[write], write: write, raw: truncated("200 OK"),
			check: func(t *testing.T, r faultResult) {
				e := asOperationError(t, r.err)
				assert.Equal(t, want, e.Attempts, "reads are asked again, writes are not")
				assert.ErrorIs(t, r.err, io.ErrUnexpectedEOF)
			}})
	}
	runFault(t, faultCase{name: "500/read", raw: truncated("500 Internal Server Error"),
		check: func(t *testing.T, r faultResult) {
			e := asResponseError(t, r.err)
			assert.Equal(t, 500, e.HTTPStatus)
			assert.ErrorIs(t, r.err, io.ErrUnexpectedEOF)
			assert.Equal(t, int32(3), r.requests)
		}})
}

func TestFaultHTMLGatewayPage(t *testing.T) {
	runFault(t, faultCase{name: "200", handler: contentHandler(200, "text/html", gatewayPage),
		check: func(t *testing.T, r faultResult) {
			e := asResponseError(t, r.err)
			assert.Equal(t, 200, e.HTTPStatus)
			assert.Equal(t, "text/html", e.ContentType)
			assert.Contains(t, e.Excerpt, "<title>502 Bad Gateway</title>")
			var se *decode.SyntaxError
			assert.ErrorAs(t, r.err, &se)
			assert.Equal(t, int32(1), r.requests)
		}})
	runFault(t, faultCase{name: "502/write", write: true, handler: contentHandler(502, "text/html", gatewayPage),
		check: func(t *testing.T, r faultResult) {
			e := asResponseError(t, r.err)
			assert.Equal(t, 502, e.HTTPStatus)
			assert.Contains(t, r.err.Error(), "HTTP 502")
			assert.Equal(t, int32(1), r.requests)
		}})
}

// TestFaultHugeBody: a 50 MiB reply is refused after the 16 MiB limit,
// without reading the rest. The body is generated as it is sent.
func TestFaultHugeBody(t *testing.T) {
	const size = 50 << 20
	// The 200 goes to a read, the 500 to a write, so that neither is
	// retried: each attempt would read another 16 MiB.
	for _, status := range []int{200, 500} {
		var written atomic.Int64
		// Reading 16 MiB under -race on a busy 2-core machine can take
		// seconds: the deadline is generous, the byte count is the check.
		runFault(t, faultCase{name: strconv.Itoa(status), write: status != 200, deadline: 30 * time.Second,
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", strconv.Itoa(size))
				w.WriteHeader(status)
				prefix := `{"RequestId":"`
				if status != 200 {
					prefix = `{"Code":"InternalError","Message":"`
				}
				_ = (&lazyBody{prefix: prefix, n: size}).WriteTo(w, &written)
			},
			check: func(t *testing.T, r faultResult) {
				e := asResponseError(t, r.err)
				assert.Equal(t, status, e.HTTPStatus)
				assert.ErrorIs(t, r.err, rpc.ErrBodyTooLarge)
				assert.LessOrEqual(t, len(e.Excerpt), 300)
				// 16 MiB read per attempt, 64 KiB drained, plus what the
				// socket buffers hold: far from 50 MiB.
				assert.Equal(t, int32(1), r.requests)
				assert.Less(t, written.Load(), int64(32<<20), "bytes the server managed to send")
				t.Logf("server wrote %d MiB over %d attempt(s)", written.Load()>>20, r.requests)
			}})
	}
}

func TestFaultMalformedJSON(t *testing.T) {
	runFault(t, faultCase{name: "invalid UTF-8 is repaired", handler: jsonHandler(200,
		"{\"RequestId\":\"a\xffb\",\"NextToken\":\"\xc3\x28\",\"ResourceShareInvitations\":[{\"ResourceShareName\":\"\xed\xa0\x80x\"}]}"),
		check: func(t *testing.T, r faultResult) {
			require.NoError(t, r.err)
			assert.Equal(t, "a\uFFFDb", r.list.RequestId)
			assert.Equal(t, "\uFFFD(", r.list.NextToken)
			require.Len(t, r.list.ResourceShareInvitations, 1)
			assert.Equal(t, "\uFFFD\uFFFD\uFFFDx", r.list.ResourceShareInvitations[0].ResourceShareName)
		}})
	runFault(t, faultCase{name: "object where a string is expected", handler: jsonHandler(200,
		`{"RequestId":"r","ResourceShareInvitations":[{"ResourceShareId":{"Id":"rs-1"}}]}`),
		check: func(t *testing.T, r faultResult) {
			e := asResponseError(t, r.err)
			var se *decode.SyntaxError
			require.ErrorAs(t, r.err, &se)
			assert.Contains(t, se.Error(), "expected string, found object")
			assert.Contains(t, e.Excerpt, `"ResourceShareId"`)
			assert.Equal(t, int32(1), r.requests, "a reply that cannot be decoded is not retried")
		}})
	runFault(t, faultCase{name: "array where an object is expected", handler: jsonHandler(200,
		`{"RequestId":"r","ResourceShareInvitations":[["rs-1"]]}`),
		check: func(t *testing.T, r faultResult) {
			asResponseError(t, r.err)
			assert.Contains(t, r.err.Error(), "expected object, found array")
		}})
	runFault(t, faultCase{name: "duplicated scalar keys: last wins", handler: jsonHandler(200,
		`{"RequestId":"first","NextToken":"t1","RequestId":"second","NextToken":"t2"}`),
		check: func(t *testing.T, r faultResult) {
			require.NoError(t, r.err)
			assert.Equal(t, "second", r.list.RequestId)
			assert.Equal(t, "t2", r.list.NextToken)
		}})
	runFault(t, faultCase{name: "duplicated array keys: last wins", handler: jsonHandler(200,
		`{"RequestId":"r","ResourceShareInvitations":[{"ResourceShareId":"rs-first"}],"ResourceShareInvitations":[{"ResourceShareId":"rs-second"}]}`),
		check: func(t *testing.T, r faultResult) {
			require.NoError(t, r.err)
			require.Len(t, r.list.ResourceShareInvitations, 1)
			assert.Equal(t, "rs-second", r.list.ResourceShareInvitations[0].ResourceShareId)
		}})
	for _, open := range []string{"[", `{"a":`} {
		closeWith := map[string]string{"[": "]", `{"a":`: "}"}[open]
		deep := strings.Repeat(open, 10000) + "1" + strings.Repeat(closeWith, 10000)
		runFault(t, faultCase{name: "10k levels " + open + " in an unknown member", handler: jsonHandler(200, `{"RequestId":"r","Extra":`+deep+`}`),
			check: func(t *testing.T, r faultResult) {
				asResponseError(t, r.err)
				assert.Contains(t, r.err.Error(), "maximum nesting depth")
			}})
	}
	runFault(t, faultCase{name: "10k levels in a known member", handler: jsonHandler(200,
		`{"RequestId":"r","ResourceShareInvitations":[{"InvitationFailedDetails":`+strings.Repeat("[", 10000)+strings.Repeat("]", 10000)+`}]}`),
		check: func(t *testing.T, r faultResult) {
			asResponseError(t, r.err)
		}})
	runFault(t, faultCase{name: "10k levels in an error reply", write: true, handler: jsonHandler(500,
		`{"Code":"InternalError","Detail":`+strings.Repeat("[", 10000)+strings.Repeat("]", 10000)+`}`),
		check: func(t *testing.T, r faultResult) {
			e := asResponseError(t, r.err)
			assert.Equal(t, 500, e.HTTPStatus)
			assert.Contains(t, r.err.Error(), "maximum nesting depth")
		}})
}
