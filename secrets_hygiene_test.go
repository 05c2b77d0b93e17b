package alicloud_test

// Secrets hygiene: with the most verbose logging on, every seed operation
// goes through success, error, retry and transport-failure paths; then the
// logs, the hook records, the errors and every value a caller can reach
// are searched for the access key secret, the security token and every
// signature the server received.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/resourcekit/alicloud"
	rm "github.com/resourcekit/alicloud/resourcemanager"
	rs "github.com/resourcekit/alicloud/resourcesharing"
)

const (
	hygKeyID  = "LTAI5tHygieneKeyID"
	hygSecret = "hygSECRETq7Wm2ZpL9xV4"
	hygToken  = "hygSTSTOKENc3Rz8Kd1Nf6"
)

// hygServer answers the seed operations and remembers every signature it
// received and whether the security token came along.
type hygServer struct {
	srv       *httptest.Server
	mode      atomic.Value // string: success, error, retry, html, skew
	n         atomic.Int64
	mu        sync.Mutex
	sigs      []string
	tokenSeen atomic.Int64
	v3Seen    atomic.Int64
}

var hygBodies = map[string]string{
	"AcceptResourceShareInvitation": `{"RequestId":"R-accept","ResourceShareInvitation":{"ResourceShareInvitationId":"i-1","Status":"Accepted","CreateTime":"2022-09-02T06:43:12.353Z"}}`,
	"ListResourceShareInvitations":  `{"RequestId":"R-list","NextToken":"","ResourceShareInvitations":[{"ResourceShareInvitationId":"i-1","Status":"Pending"}]}`,
	"AssociateResourceShare":        `{"RequestId":"R-assoc","ResourceShareAssociations":[{"ResourceShareId":"rs-1","EntityId":"123","EntityType":"Account","AssociationStatus":"Associating"}]}`,
	"ResendPromoteResourceAccountEmail": `{"RequestId":"R-resend","Account":{"AccountId":"12323344","DisplayName":"admin","RecordId":"rec-1",` +
		`"Status":"PromoteVerifying","JoinTime":"2015-01-23T12:33:18Z"}}`,
	"CreateResourceAccount": `{"RequestId":"R-create","Account":{"AccountId":"12323344","DisplayName":"dev-account","Type":"ResourceAccount","Status":"CreateSuccess"}}`,
}

var hygSignatureInHeader = regexp.MustCompile(`Signature=([0-9A-Za-z+/=_-]+)`)

func newHygServer(t *testing.T) *hygServer {
	h := &hygServer{}
	h.mode.Store("success")
	h.srv = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hygServer) serve(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm() // query and, for form-body operations, the body
	h.mu.Lock()
	if s := r.Form.Get("Signature"); s != "" {
		h.sigs = append(h.sigs, s)
	}
	if m := hygSignatureInHeader.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		h.sigs = append(h.sigs, m[1])
		h.v3Seen.Add(1)
	}
	h.mu.Unlock()
	if r.Form.Get("SecurityToken") == hygToken || r.Header.Get("x-acs-security-token") == hygToken {
		h.tokenSeen.Add(1)
	}
	action := r.Form.Get("Action")
	if action == "" {
		action = r.Header.Get("x-acs-action")
	}
	reply := func(status int, body string) {
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Header().Set("x-acs-request-id", "R-header")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
	n := h.n.Add(1)
	switch h.mode.Load().(string) {
	case "error":
		reply(403, `{"Code":"Forbidden.RAM","Message":"User not authorized to operate on the specified resource.","RequestId":"R-denied",`+
			`"HostId":"resourcesharing.aliyuncs.com","Recommend":"https://api.aliyun.com/troubleshoot?q=Forbidden.RAM",`+
			`"AccessDeniedDetail":{"AuthAction":"x:`+action+`","AuthPrincipalType":"SubUser","NoPermissionType":"ImplicitDeny","EncodedDiagnosticMessage":"AQEAAAA="}}`)
	case "retry":
		if n%2 == 1 {
			w.Header().Set("x-acs-retry-after", "1")
			reply(400, `{"Code":"Throttling.User","Message":"Request was denied due to user flow control.","RequestId":"R-throttled"}`)
			return
		}
		reply(200, hygBodies[action])
	case "skew":
		stamp := r.Form.Get("Timestamp")
		if stamp == "" {
			stamp = r.Header.Get("x-acs-date")
		}
		ts, _ := time.Parse("2006-01-02T15:04:05Z", stamp)
		server := time.Now().Add(2 * time.Hour)
		if server.Sub(ts).Abs() > 15*time.Minute {
			w.Header().Set("Date", server.UTC().Format(http.TimeFormat))
			reply(400, `{"Code":"InvalidTimeStamp.Expired","Message":"Specified time stamp or date value is expired.","RequestId":"R-skew"}`)
			return
		}
		reply(200, hygBodies[action])
	case "html":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		_, _ = io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
	default:
		reply(200, hygBodies[action])
	}
}

// secrets returns what must never show up: the secret, the token, and every
// signature received, raw and URL-escaped.
func (h *hygServer) secrets() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := []string{hygSecret, hygToken, url.QueryEscape(hygToken)}
	for _, s := range h.sigs {
		out = append(out, s, url.QueryEscape(s), url.PathEscape(s))
	}
	return out
}

// hygHooks records every hook call.
type hygHooks struct {
	mu      sync.Mutex
	records []any
}

func (h *hygHooks) OnAttempt(_ context.Context, a alicloud.AttemptInfo) {
	h.mu.Lock()
	h.records = append(h.records, a)
	h.mu.Unlock()
}

func (h *hygHooks) OnOperation(_ context.Context, o alicloud.OperationInfo) {
	h.mu.Lock()
	h.records = append(h.records, o)
	h.mu.Unlock()
}

// hygFormats renders v every way a caller might print or log it.
func hygFormats(v any) []string {
	var out []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out = append(out, fmt.Sprintf(verb, v))
	}
	if b, err := json.Marshal(v); err == nil {
		out = append(out, string(b))
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("value", "v", v)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("value", "v", v)
	return append(out, buf.String())
}

// hygErrorFormats renders err and every error in its chain.
func hygErrorFormats(err error) []string {
	var out []string
	var walk func(e error)
	walk = func(e error) {
		if e == nil {
			return
		}
		out = append(out, e.Error())
		out = append(out, hygFormats(e)...)
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				walk(inner)
			}
		}
	}
	walk(err)
	var ue *url.Error
	if errors.As(err, &ue) {
		out = append(out, ue.URL)
	}
	return out
}

// hygRequireClean fails with the offending secret and where it was found.
func hygRequireClean(t *testing.T, secrets []string, what string, outputs ...string) {
	t.Helper()
	for _, out := range outputs {
		for _, s := range secrets {
			if i := strings.Index(out, s); i >= 0 {
				lo, hi := max(0, i-120), min(len(out), i+len(s)+40)
				t.Errorf("%s shows a secret (%q): ...%s...", what, s, out[lo:hi])
				return
			}
		}
	}
}

type hygRun struct {
	logs      *bytes.Buffer
	hooks     *hygHooks
	values    []any
	errs      []error
	cfg       alicloud.Config
	rsClient  *rs.Client
	rmClient  *rm.Client
	envClient *rm.Client
}

// seedCalls runs the five seed operations once each and keeps what they
// return.
func (h *hygRun) seedCalls(ctx context.Context) {
	keep := func(out any, err error) {
		if err != nil {
			h.errs = append(h.errs, err)
		} else {
			h.values = append(h.values, out)
		}
	}
	accept := &rs.AcceptResourceShareInvitationRequest{ResourceShareInvitationId: "i-1"}
	list := &rs.ListResourceShareInvitationsRequest{MaxResults: 10}
	assoc := &rs.AssociateResourceShareRequest{ResourceShareId: "rs-1", Targets: []string{"123"}}
	resend := &rm.ResendPromoteResourceAccountEmailRequest{RecordId: "rec-1"}
	create := &rm.CreateResourceAccountRequest{DisplayName: "dev-account", Tag: []rm.Tag{{Key: "k", Value: "v"}}}
	h.values = append(h.values, accept, list, assoc, resend, create)
	keep(h.rsClient.AcceptResourceShareInvitation(ctx, accept))
	keep(h.rsClient.ListResourceShareInvitations(ctx, list))
	keep(h.rsClient.AssociateResourceShare(ctx, assoc))
	keep(h.rmClient.ResendPromoteResourceAccountEmail(ctx, resend))
	keep(h.rmClient.CreateResourceAccount(ctx, create))
	keep(h.envClient.CreateResourceAccount(ctx, create))
}

func newHygRun(t *testing.T, endpoint string, attempts int, sig alicloud.SignatureVersion) *hygRun {
	h := &hygRun{logs: &bytes.Buffer{}, hooks: &hygHooks{}}
	logger := slog.New(slog.NewJSONHandler(&hygSyncWriter{w: h.logs}, &slog.HandlerOptions{Level: slog.LevelDebug - 10, AddSource: true}))
	h.cfg = alicloud.Config{
		Region:           "cn-hangzhou",
		Endpoint:         endpoint,
		Credentials:      alicloud.NewStaticCredentials(hygKeyID, hygSecret, hygToken),
		Retry:            alicloud.RetryOptions{MaxAttempts: attempts, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond},
		Logger:           logger,
		Hooks:            []alicloud.Hook{h.hooks},
		UserAgent:        "hygiene-test",
		SignatureVersion: sig,
	}
	h.rsClient = rs.New(h.cfg)
	h.rmClient = rm.New(h.cfg)
	env := &alicloud.EnvironmentCredentials{Getenv: func(k string) string {
		return map[string]string{alicloud.EnvAccessKeyID: hygKeyID, alicloud.EnvAccessKeySecret: hygSecret, alicloud.EnvSecurityToken: hygToken}[k]
	}}
	h.envClient = rm.New(h.cfg, rm.WithCredentials(env))
	return h
}

type hygSyncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *hygSyncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// outputs gathers everything the run produced, except the clients.
func (h *hygRun) outputs(t *testing.T) map[string][]string {
	out := map[string][]string{"logs": {h.logs.String()}}
	h.hooks.mu.Lock()
	for _, r := range h.hooks.records {
		out["hook records"] = append(out["hook records"], hygFormats(r)...)
		switch r := r.(type) {
		case alicloud.AttemptInfo:
			if r.Err != nil {
				out["hook records"] = append(out["hook records"], hygErrorFormats(r.Err)...)
			}
		case alicloud.OperationInfo:
			if r.Err != nil {
				out["hook records"] = append(out["hook records"], hygErrorFormats(r.Err)...)
			}
		}
	}
	h.hooks.mu.Unlock()
	for _, err := range h.errs {
		out["errors"] = append(out["errors"], hygErrorFormats(err)...)
	}
	for _, v := range h.values {
		out["responses and requests"] = append(out["responses and requests"], hygFormats(v)...)
	}
	creds, err := h.cfg.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	cache := alicloud.NewCredentialsCache(h.cfg.Credentials, alicloud.CredentialsRefreshOptions{})
	_, err = cache.Retrieve(context.Background())
	require.NoError(t, err)
	chain := alicloud.NewChainCredentials(&alicloud.EnvironmentCredentials{Getenv: func(string) string { return "" }}, h.cfg.Credentials)
	_, err = chain.Retrieve(context.Background())
	require.NoError(t, err)
	for _, v := range []any{h.cfg, &h.cfg, h.cfg.Credentials, creds, &creds, cache, chain, h.rsClient.Options(), h.rmClient.Options(), h.envClient.Options()} {
		out["config and credentials"] = append(out["config and credentials"], hygFormats(v)...)
	}
	return out
}

func (h *hygRun) check(t *testing.T, secrets []string) {
	t.Helper()
	for what, outs := range h.outputs(t) {
		hygRequireClean(t, secrets, what, outs...)
	}
}

func TestSecretsHygieneSeedOperations(t *testing.T) {
	srv := newHygServer(t)
	ctx := context.Background()
	run := newHygRun(t, srv.srv.URL, 3, alicloud.SignatureV1)
	v3 := newHygRun(t, srv.srv.URL, 3, alicloud.SignatureV3)
	for _, mode := range []string{"success", "error", "retry", "html", "success"} {
		for _, r := range []*hygRun{run, v3} {
			srv.mode.Store(mode)
			srv.n.Store(0)
			r.seedCalls(ctx)
		}
	}
	// The skew path, on clients of their own: they learn the offset.
	srv.mode.Store("skew")
	skewed := newHygRun(t, srv.srv.URL, 3, alicloud.SignatureV1)
	skewed.seedCalls(ctx)
	skewedV3 := newHygRun(t, srv.srv.URL, 3, alicloud.SignatureV3)
	skewedV3.seedCalls(ctx)
	// Client-side validation errors.
	_, err := run.rsClient.AcceptResourceShareInvitation(ctx, &rs.AcceptResourceShareInvitationRequest{})
	run.errs = append(run.errs, err)
	_, err = run.rmClient.CreateResourceAccount(ctx, &rm.CreateResourceAccountRequest{DisplayName: "x"})
	run.errs = append(run.errs, err)

	// The search is only meaningful if the secrets were in play.
	require.NotZero(t, srv.tokenSeen.Load(), "the security token was sent")
	require.NotZero(t, srv.v3Seen.Load(), "V3 signatures were received")
	secrets := srv.secrets()
	require.Greater(t, len(secrets), 60, "signatures were received")
	var apiErr *alicloud.APIError
	var respErr *alicloud.ResponseError
	var valErr *alicloud.ValidationError
	all := append(append(append([]error(nil), run.errs...), v3.errs...), skewed.errs...)
	require.NotEmpty(t, all)
	found := map[string]bool{}
	for _, e := range all {
		found["api"] = found["api"] || errors.As(e, &apiErr)
		found["response"] = found["response"] || errors.As(e, &respErr)
		found["validation"] = found["validation"] || errors.As(e, &valErr)
	}
	assert.Equal(t, map[string]bool{"api": true, "response": true, "validation": true}, found)
	assert.Empty(t, skewed.errs, "the skew path ends in success")
	assert.Empty(t, skewedV3.errs, "the skew path ends in success")
	assert.Len(t, v3.errs, len(run.errs)-2, "V3 takes the same paths (less the two validation errors)")
	assert.Contains(t, run.logs.String(), `"code":"Throttling.User"`, "the retry path was logged")
	assert.Contains(t, run.logs.String(), `"action":"CreateResourceAccount"`)

	for _, r := range []*hygRun{run, v3, skewed, skewedV3} {
		r.check(t, secrets)
	}
}

// hygHangServer accepts connections and reads requests but never answers.
func hygHangServer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					if _, err := http.ReadRequest(br); err != nil {
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return "http://" + ln.Addr().String()
}

// hygRecordingTransport keeps the signatures of requests that never got an
// answer, which the server side cannot report.
type hygRecordingTransport struct {
	mu   sync.Mutex
	sigs []string
	rt   http.RoundTripper
}

func (r *hygRecordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	if s := req.URL.Query().Get("Signature"); s != "" {
		r.sigs = append(r.sigs, s, url.QueryEscape(s))
	}
	if m := hygSignatureInHeader.FindStringSubmatch(req.Header.Get("Authorization")); m != nil {
		r.sigs = append(r.sigs, m[1])
	}
	r.mu.Unlock()
	return r.rt.RoundTrip(req)
}

func TestSecretsHygieneTransportFailures(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	refused := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())

	for _, tt := range []struct {
		name     string
		endpoint string
		deadline time.Duration
		sig      alicloud.SignatureVersion
	}{
		{name: "connection refused", endpoint: refused, deadline: 5 * time.Second},
		{name: "connection refused, V3", endpoint: refused, deadline: 5 * time.Second, sig: alicloud.SignatureV3},
		{name: "no reply before the deadline, V3", endpoint: hygHangServer(t), deadline: 100 * time.Millisecond, sig: alicloud.SignatureV3},
		{name: "no reply before the deadline", endpoint: hygHangServer(t), deadline: 100 * time.Millisecond},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := &hygRecordingTransport{rt: &http.Transport{}}
			run := newHygRun(t, tt.endpoint, 2, tt.sig)
			run.cfg.HTTPClient = &http.Client{Transport: rec}
			run.rsClient = rs.New(run.cfg)
			run.rmClient = rm.New(run.cfg)
			run.envClient = rm.New(run.cfg)
			ctx, cancel := context.WithTimeout(context.Background(), tt.deadline)
			defer cancel()
			run.seedCalls(ctx)
			require.Len(t, run.errs, 6)
			for _, err := range run.errs {
				var oe *alicloud.OperationError
				require.ErrorAs(t, err, &oe)
			}
			rec.mu.Lock()
			secrets := append([]string{hygSecret, hygToken, url.QueryEscape(hygToken)}, rec.sigs...)
			rec.mu.Unlock()
			run.check(t, secrets)
		})
	}
}

// TestSecretsHygieneClients: a client printed with any verb, or logged with
// slog's text handler, must not show the credentials it holds.
func TestSecretsHygieneClients(t *testing.T) {
	cfg := alicloud.Config{Region: "cn-hangzhou", Credentials: alicloud.NewStaticCredentials(hygKeyID, hygSecret, hygToken)}
	secrets := []string{hygSecret, hygToken}
	for _, c := range []any{rs.New(cfg), rm.New(cfg), *rs.New(cfg), *rm.New(cfg)} {
		hygRequireClean(t, secrets, fmt.Sprintf("%T", c), hygFormats(c)...)
	}
}

// TestHTTPSByDefault: without an endpoint, and with an endpoint that names
// no scheme, requests go over HTTPS; plain HTTP only when the endpoint
// says http:// itself.
func TestHTTPSByDefault(t *testing.T) {
	for _, tt := range []struct {
		product  string
		endpoint string
		want     string // scheme://host, or "" when the endpoint is refused
	}{
		{"rs", "", "https://resourcesharing.cn-hangzhou.aliyuncs.com"},
		{"rm", "", "https://resourcemanager.aliyuncs.com"},
		{"rs", "resourcesharing.cn-shanghai.aliyuncs.com", "https://resourcesharing.cn-shanghai.aliyuncs.com"},
		{"rm", "127.0.0.1:8443", "https://127.0.0.1:8443"},
		{"rs", "https://rs.example.test", "https://rs.example.test"},
		{"rs", "http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"rm", "HTTP://127.0.0.1:8080/", "http://127.0.0.1:8080"},
		{"rs", "ftp://rs.example.test", ""},
		{"rs", "ws://rs.example.test", ""},
	} {
		t.Run(tt.product+" "+tt.endpoint, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			var got []string
			mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				got = append(got, r.URL.Scheme+"://"+r.URL.Host)
				resp := httpmock.NewStringResponse(200, `{"RequestId":"r"}`)
				resp.Header.Set("Content-Type", "application/json")
				return resp, nil
			})
			cfg := alicloud.Config{Region: "cn-hangzhou", Endpoint: tt.endpoint, HTTPClient: &http.Client{Transport: mt},
				Credentials: alicloud.NewStaticCredentials(hygKeyID, hygSecret, "")}
			var err error
			if tt.product == "rs" {
				_, err = rs.New(cfg).ListResourceShareInvitations(context.Background(), nil)
			} else {
				_, err = rm.New(cfg).ListAccounts(context.Background(), nil)
			}
			if tt.want == "" {
				var oe *alicloud.OperationError
				require.ErrorAs(t, err, &oe)
				assert.Empty(t, got, "nothing is sent to an endpoint with another scheme")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, []string{tt.want}, got)
		})
	}
}
